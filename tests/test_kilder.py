"""`metrikk.kilder`: kilder.yaml, a deployment's METRIKK_KILDER file and the per-source env
overrides become the locations the tiltak_kilde models read; every mistake is a bokmål message
naming the file (or variable), source, table and column."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from metrikk.kilder import DEKLARASJON, KildeFeil, lag_kildetabeller, les_deklarasjon, les_kilder
from metrikk.settings import Settings, kilde_steder_from_env


def settings(
    tmp_path: Path, fil: dict | None = None, env: dict[str, str] | None = None
) -> Settings:
    path = None
    if fil is not None:
        path = tmp_path / "kilder.yaml"
        path.write_text(yaml.safe_dump(fil, allow_unicode=True), encoding="utf-8")
    return Settings(
        warehouse=tmp_path / "w.duckdb",
        kilder_fil=path,
        kilde_steder=kilde_steder_from_env(env or {}),
    )


def prod_file() -> dict:
    """A deployment file naming every source, as deploy/kilder.prod.yaml does."""
    return {
        navn: {"prosjekt": None, "datasett": k.datasett} for navn, k in les_deklarasjon().items()
    }


def test_the_packaged_declaration_names_every_source_the_models_read():
    """kilder.yaml declares the ten sources with their tables; DATETIME only where the source is wall-clock time."""
    kilder = les_deklarasjon(DEKLARASJON)
    assert set(kilder) == {
        "valp",
        "norg2",
        "amt_deltaker",
        "amt_tiltak",
        "vedtak_14a",
        "veilarboppfolging",
        "ao_oppfolgingskontor",
        "team_tiltak",
        "pdl",
        "veilarbfilter",
    }
    datetimes = {
        (t.kilde, t.tabell, c)
        for k in kilder.values()
        for t in k.tabeller.values()
        for c, typ in t.kolonner
        if typ == "DATETIME"
    }
    assert {(k, t) for k, t, _ in datetimes} == {
        ("veilarboppfolging", "oppfolgingsperiode"),
        ("veilarboppfolging", "veileder_tilordninger"),
    }


def test_without_overrides_the_local_schemas_are_used(tmp_path):
    """Locally every source is the DuckDB schema kilder.yaml names, and the table its real name."""
    t = les_kilder(settings(tmp_path)).tabell("vedtak_14a", "statistikk_dvh_fellestabell")
    assert (t.prosjekt, t.datasett, t.navn) == (
        None,
        "kilde_14a_vedtak_statistikk",
        "statistikk_dvh_fellestabell",
    )


def test_env_overrides_set_one_sources_project_and_dataset(tmp_path):
    """METRIKK_KILDE_<KILDE>_PROSJEKT / _DATASETT override that source only."""
    kilder = les_kilder(
        settings(
            tmp_path,
            env={
                "METRIKK_KILDE_VEDTAK_14A_PROSJEKT": "obo-prod",
                "METRIKK_KILDE_VEDTAK_14A_DATASETT": "14a_vedtak_statistikk",
            },
        )
    )
    t = kilder.tabell("vedtak_14a", "statistikk_dvh_fellestabell")
    assert (t.prosjekt, t.datasett) == ("obo-prod", "14a_vedtak_statistikk")
    assert t.sted("bigquery") == "obo-prod.14a_vedtak_statistikk.statistikk_dvh_fellestabell"
    assert kilder.tabell("valp", "gjennomforing_view").prosjekt is None


def test_settings_read_the_kilde_environment():
    """Settings.from_env reads METRIKK_KILDER and every non-empty METRIKK_KILDE_<KILDE>_*."""
    s = Settings.from_env(
        {
            "METRIKK_KILDER": "/etc/metrikk/kilder.yaml",
            "METRIKK_KILDE_AMT_DELTAKER_DATASETT": "amt_deltaker_ds",
            "METRIKK_KILDE_VALP_PROSJEKT": "",
            "METRIKK_KILDE_VALP_NOE_ANNET": "x",
        }
    )
    assert s.kilder_fil == Path("/etc/metrikk/kilder.yaml")
    assert s.kilde_steder == (
        ("METRIKK_KILDE_AMT_DELTAKER_DATASETT", "amt_deltaker", "datasett", "amt_deltaker_ds"),
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"METRIKK_KILDE_KOMET_DATASETT": "x"},
            "Miljøvariabelen METRIKK_KILDE_KOMET_DATASETT nevner en ukjent kilde «komet»",
        ),
        (
            {"METRIKK_KILDE_VALP_PROSJEKT": "Team Valp"},
            "METRIKK_KILDE_VALP_PROSJEKT: «Team Valp» er ikke et gyldig BigQuery-prosjekt",
        ),
        (
            {"METRIKK_KILDE_VALP_DATASETT": "a.b"},
            "METRIKK_KILDE_VALP_DATASETT: «a.b» er ikke et gyldig datasettnavn",
        ),
    ],
)
def test_a_bad_env_override_is_named(tmp_path, env, message):
    """An override for an unknown source or with an invalid name is refused, naming the variable."""
    with pytest.raises(KildeFeil, match=message):
        les_kilder(settings(tmp_path, env=env))


def test_a_deployment_file_sets_locations_renames_and_unavailable_tables(tmp_path):
    """METRIKK_KILDER replaces the packaged file: locations per source, `tabell:` renames, `null`
    marks a table this deployment has no access to; tables it leaves out keep their declaration."""
    fil = prod_file()
    fil["valp"] = {
        "prosjekt": "team-mulighetsrommet-prod-5492",
        "datasett": "mulighetsrommet_api_datastream",
        "tabeller": {"public_gjennomforing": None},
    }
    fil["amt_tiltak"]["tabeller"] = {
        "deltaker": {"tabell": "amt_tiltak_deltaker_view"},
        "bruker": "amt_tiltak_bruker_view",
    }
    fil["pdl"]["tabeller"] = {
        "identer": {
            **dict(les_deklarasjon()["pdl"].tabeller["identer"].kolonner),
            "ekstra_kolonne": "STRING",
        }
    }
    kilder = les_kilder(settings(tmp_path, fil))
    assert not kilder.tabell("valp", "public_gjennomforing").tilgjengelig
    assert kilder.tabell("valp", "gjennomforing_view").sted("bigquery") == (
        "team-mulighetsrommet-prod-5492.mulighetsrommet_api_datastream.gjennomforing_view"
    )
    assert kilder.tabell("amt_tiltak", "deltaker").navn == "amt_tiltak_deltaker_view"
    assert kilder.tabell("amt_tiltak", "bruker").navn == "amt_tiltak_bruker_view"
    assert kilder.tabell("amt_tiltak", "deltaker_status").navn == "deltaker_status"
    variables = kilder.variabler()
    assert variables["valp"]["tabeller"]["public_gjennomforing"]["navn"] is None
    assert (
        variables["valp"]["tabeller"]["public_gjennomforing"]["kolonner"]["antall_plasser"]
        == "INT64"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda f: f.pop("team_tiltak"),
            r"mangler kildene team_tiltak\. Hver kilde må stå i filen",
        ),
        (lambda f: f.update(komet={"datasett": "x"}), "ukjent kilde «komet»"),
        (
            lambda f: f["valp"].update(tabeller={"avtale_view": None}),
            "kilden valp har tabeller metrikk ikke leser: avtale_view",
        ),
        (
            lambda f: f["pdl"].update(tabeller={"identer": {"aktor_id": "STRING"}}),
            r"pdl\.identer mangler kolonnen ident \(STRING\), som metrikk leser",
        ),
        (
            lambda f: f["pdl"].update(
                tabeller={
                    "identer": {
                        "aktor_id": "STRING",
                        "ident": "STRING",
                        "gruppe": "STRING",
                        "historisk": "STRING",
                    }
                }
            ),
            r"pdl\.identer, kolonne historisk: typen er STRING, men metrikk leser den som BOOL",
        ),
        (
            lambda f: f["pdl"].update(tabeller={"identer": {"ident": "TEKST"}}),
            "kolonne ident: ukjent type «TEKST»",
        ),
        (
            lambda f: f["norg2"].update(prosjekt="Norg2!"),
            r"norg2\.prosjekt «Norg2!» er ikke et gyldig BigQuery-prosjekt",
        ),
        (lambda f: f["norg2"].pop("datasett"), "kilden norg2 mangler datasett"),
        (lambda f: f["norg2"].update(tabell="x"), "kilden norg2 har ukjente nøkler tabell"),
        (
            lambda f: f["amt_tiltak"].update(tabeller={"bruker": "bruker; DROP TABLE x"}),
            r"amt_tiltak\.bruker: «bruker; DROP TABLE x» er ikke et gyldig tabellnavn",
        ),
    ],
)
def test_a_bad_deployment_file_is_named(tmp_path, change, message):
    """Each mistake in a deployment's kilder.yaml is refused with the file, source, table and column."""
    fil = prod_file()
    change(fil)
    with pytest.raises(KildeFeil, match=message) as e:
        les_kilder(settings(tmp_path, fil))
    assert str(tmp_path / "kilder.yaml") in str(e.value)


def test_a_missing_or_broken_file_is_named(tmp_path):
    """A METRIKK_KILDER file that does not exist or is not YAML is named with its line."""
    with pytest.raises(KildeFeil, match="Fant ikke kildefilen"):
        les_kilder(Settings(kilder_fil=tmp_path / "finnes-ikke.yaml"))
    bad = tmp_path / "kilder.yaml"
    bad.write_text("valp:\n  datasett: [x\n", encoding="utf-8")
    with pytest.raises(KildeFeil, match=r"kilder.yaml, linje \d+: er ikke gyldig YAML"):
        les_kilder(Settings(kilder_fil=bad))


def test_a_bad_kilder_file_is_a_sqlmesh_config_error_in_bokmal(tmp_path):
    """The SQLMesh config reports a bad kilder.yaml as a ConfigError, which `run` shows without a traceback."""
    from sqlmesh.utils.errors import ConfigError

    from metrikk.pipeline.config import make_config

    with pytest.raises(ConfigError, match="ukjent kilde «komet»"):
        make_config(settings(tmp_path, {**prod_file(), "komet": {"datasett": "x"}}))


def test_raw_tables_are_created_locally_with_wall_clock_as_timestamp(tmp_path):
    """lag_kildetabeller makes every available raw table in its schema; DATETIME becomes a zone-less TIMESTAMP."""
    fil = prod_file()
    fil["valp"]["tabeller"] = {"public_gjennomforing": None}
    kilder = les_kilder(settings(tmp_path, fil))
    con = duckdb.connect()
    lag_kildetabeller(con, kilder)
    lag_kildetabeller(con, kilder)  # idempotent
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'kilde_veilarboppfolging' AND table_name = 'oppfolgingsperiode'"
        ).fetchall()
    )
    assert types["startdato"] == "TIMESTAMP" and types["aktor_id"] == "VARCHAR"
    tables = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'kilde_valp'"
        ).fetchall()
    }
    assert "public_gjennomforing" not in tables and "gjennomforing_view" in tables


def test_the_production_example_is_a_valid_deployment_file():
    """deploy/kilder.prod.yaml names every source with valid locations; the known ones are as researched."""
    path = Path(__file__).resolve().parents[1] / "deploy" / "kilder.prod.yaml"
    kilder = les_kilder(Settings(kilder_fil=path))
    assert kilder.tabell("vedtak_14a", "statistikk_dvh_fellestabell").sted("bigquery") == (
        "obo-prod.14a_vedtak_statistikk.statistikk_dvh_fellestabell"
    )
    assert kilder.tabell("valp", "gjennomforing_view").prosjekt == "team-mulighetsrommet-prod-5492"
    assert kilder.tabell("pdl", "identer").tilgjengelig
