"""`metrikk ingest kilder` as a whole: missing sources are named and change nothing, the write is
all or nothing, a deployment's kilder.yaml (unavailable tables, renames, env overrides) is
followed, synthetic raw tables make synthetic bronze, and `run`/`demo` never plan the source layer."""

from __future__ import annotations

import json

import duckdb
import yaml
from tests.ingest.kilderader import hmac_of
from tests.ingest.lager import Lager
from tests.ingest.verden import F2, world

from metrikk.kilder import les_deklarasjon

BRONZE_ROW = ("9999", "Nav Test", "LOKAL", "Aktiv", None)


def seed_bronze(lager: Lager) -> None:
    """A bronze row and datasett row that a failed ingest must leave exactly as they are."""
    with duckdb.connect(str(lager.path)) as con:
        con.execute("INSERT INTO tiltak_bronze.nav_enhet VALUES (?, ?, ?, ?, ?)", list(BRONZE_ROW))
        con.execute(
            "UPDATE metrikk_meta.datasett SET rader = 1, syntetisk = true "
            "WHERE schema_name = 'tiltak_bronze' AND table_name = 'nav_enhet'"
        )


def bronze_state(lager: Lager) -> dict:
    tables = [
        r[0]
        for r in lager.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'tiltak_bronze' ORDER BY 1"
        )
    ]
    state = {t: lager.query(f'SELECT * FROM tiltak_bronze."{t}" ORDER BY ALL') for t in tables}
    state["datasett"] = lager.query(
        "SELECT table_name, syntetisk, rader FROM metrikk_meta.datasett WHERE schema_name = 'tiltak_bronze' ORDER BY 1"
    )
    return state


def test_a_missing_raw_table_is_named_and_nothing_changes(tmp_path):
    """Without ao-oppfolgingskontor's kontorhistorikk the ingest stops before writing, naming source and table."""
    lager = Lager(tmp_path / "metrikk.duckdb")
    world().write(lager.path, skip=("ao_oppfolgingskontor.kontorhistorikk",))
    seed_bronze(lager)
    before = bronze_state(lager)
    r = lager.metrikk("ingest", "kilder", expect=1)
    assert (
        "kilden ao_oppfolgingskontor.kontorhistorikk: tabellen kilde_ao_oppfolgingskontor.kontorhistorikk finnes ikke"
        in r.output
    )
    assert "Ingenting ble endret i tiltak_bronze" in r.output
    assert bronze_state(lager) == before


def test_a_missing_raw_column_is_named_and_nothing_changes(tmp_path):
    """A raw table without a column metrikk reads stops the ingest, naming source, table and column."""
    lager = Lager(tmp_path / "metrikk.duckdb")
    world().write(lager.path)
    with duckdb.connect(str(lager.path)) as con:
        con.execute("ALTER TABLE kilde_pdl.identer DROP COLUMN historisk")
        con.execute(
            "ALTER TABLE kilde_valp.gjennomforing_view RENAME COLUMN status TO gjennomforing_status"
        )
    seed_bronze(lager)
    before = bronze_state(lager)
    r = lager.metrikk("ingest", "kilder", expect=1)
    assert "kilden pdl.identer: tabellen kilde_pdl.identer mangler kolonnen historisk." in r.output
    assert (
        "kilden valp.gjennomforing_view: tabellen kilde_valp.gjennomforing_view mangler kolonnen status."
        in r.output
    )
    assert bronze_state(lager) == before


def deployment_file(tmp_path) -> str:
    """A deployment's kilder.yaml: public_gjennomforing not granted, amt-tiltak's bruker under another name."""
    fil = {navn: {"datasett": k.datasett} for navn, k in les_deklarasjon().items()}
    fil["valp"]["tabeller"] = {"public_gjennomforing": None}
    fil["amt_tiltak"]["tabeller"] = {"bruker": "amt_tiltak_bruker_view"}
    path = tmp_path / "kilder.prod.yaml"
    path.write_text(yaml.safe_dump(fil, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_a_deployment_file_is_followed_and_a_failed_write_changes_nothing(tmp_path):
    """With a deployment file and an env override the ingest reads the renamed and moved tables,
    reads no rows for a table set to null, marks bronze synthetic where a raw table is synthetic,
    and logs JSON lines; a second ingest failing half-way through the write changes nothing."""
    lager = Lager(tmp_path / "metrikk.duckdb", env={"METRIKK_KILDE_PDL_DATASETT": "pdl_test"})
    fil = deployment_file(tmp_path)
    world().write(
        lager.path, skip=("valp.public_gjennomforing", "amt_tiltak.bruker", "pdl.identer")
    )
    with duckdb.connect(str(lager.path)) as con:
        con.execute(
            "CREATE TABLE kilde_amt_tiltak.amt_tiltak_bruker_view (id VARCHAR, person_ident VARCHAR)"
        )
        con.execute("INSERT INTO kilde_amt_tiltak.amt_tiltak_bruker_view VALUES ('b-2', ?)", [F2])
        con.execute("CREATE SCHEMA pdl_test")
        con.execute(
            "CREATE TABLE pdl_test.identer (aktor_id VARCHAR, ident VARCHAR, gruppe VARCHAR, historisk BOOLEAN)"
        )
        con.execute(
            "INSERT INTO pdl_test.identer VALUES ('1000000000002', ?, 'FOLKEREGISTERIDENT', false)",
            [F2],
        )
        con.execute(
            "INSERT INTO metrikk_meta.datasett VALUES ('pdl_test', 'identer', true, now(), 1)"
        )

    r = lager.metrikk("ingest", "kilder", "--kilder", fil, "--log-format", "json")
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert lines[0]["hendelse"] == "kilder_startet" and lines[-1]["hendelse"] == "kilder_fullfort"
    assert lines[-1]["exit_code"] == 0 and lines[-1]["ikke_tilgjengelig"] == [
        "valp.public_gjennomforing"
    ]
    assert lines[-1]["tabeller"]["tiltak_bronze.gjennomforing"]["rader"] == 2
    assert lager.query(
        "SELECT id, navn, antall_plasser, oppstart FROM tiltak_bronze.gjennomforing ORDER BY id"
    ) == [
        ("g-1", None, None, None),
        ("g-2", None, None, None),
    ]
    assert lager.one("SELECT person_id FROM tiltak_bronze.deltaker WHERE id = 'd-2'") == hmac_of(F2)
    synthetic = dict(
        lager.query(
            "SELECT table_name, syntetisk FROM metrikk_meta.datasett WHERE schema_name = 'tiltak_bronze'"
        )
    )
    assert synthetic["deltaker"] is True  # made with pdl_test.identer, recorded as synthetic
    assert synthetic["tiltakstype"] is False

    # The same ingest again, with veileder_tilordninger broken so that reading it fails after
    # several bronze tables were already replaced inside the transaction.
    before = bronze_state(lager)
    with duckdb.connect(str(lager.path)) as con:
        con.execute(
            "ALTER TABLE kilde_veilarboppfolging.veileder_tilordninger ALTER tilordning_seq TYPE VARCHAR"
        )
        con.execute(
            "UPDATE kilde_veilarboppfolging.veileder_tilordninger SET tilordning_seq = 'ikke et tall'"
        )
        con.execute("DELETE FROM kilde_valp.gjennomforing_view")
    r = lager.metrikk("ingest", "kilder", "--kilder", fil, expect=1)
    assert "Kildelaget kunne ikke leses; tiltak_bronze er uendret" in r.output
    assert "ikke et tall" in r.output
    assert bronze_state(lager) == before


def test_run_and_demo_never_plan_the_source_layer(tmp_path):
    """`metrikk run` (domain all) on a warehouse without raw sources succeeds and creates no
    tiltak_kilde object; "kilder" is not a domain `run` accepts."""
    lager = Lager(tmp_path / "metrikk.duckdb")
    lager.metrikk("run", "--as-of", "2024-01-07")
    assert (
        lager.query(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema LIKE '%tiltak_kilde%'"
        )
        == []
    )
    assert (
        lager.query(
            "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE '%kilde%'"
        )
        == []
    )
    r = lager.metrikk("run", "--domain", "kilder", expect=2)
    assert "kilder" in r.output


def test_dry_run_prints_bigquery_sql_with_quoted_sources(tmp_path):
    """`--target bigquery ingest kilder --dry-run` prints each kilde model for BigQuery, raw tables
    as `prosjekt`.`datasett`.`tabell`, and the staged, transactional bronze write; it runs nothing."""
    lager = Lager(
        tmp_path / "metrikk.duckdb",
        env={
            "METRIKK_KILDE_VEDTAK_14A_PROSJEKT": "obo-prod",
            "METRIKK_KILDE_VEDTAK_14A_DATASETT": "14a_vedtak_statistikk",
        },
    )
    r = lager.metrikk(
        "--target",
        "bigquery",
        "--project",
        "teamdatajegerne-prod-c8b1",
        "ingest",
        "kilder",
        "--dry-run",
    )
    out = r.stdout
    assert "-- tiltak_kilde.vedtak_14a (bigquery)" in out
    assert "FROM `obo-prod`.`14a_vedtak_statistikk`.`statistikk_dvh_fellestabell`" in out
    assert "BEGIN TRANSACTION;" in out and "COMMIT TRANSACTION;" in out
    assert "CREATE OR REPLACE TABLE `tiltak_bronze`.`_kilde_deltaker_kjoring`" in out
    assert not lager.path.exists()
