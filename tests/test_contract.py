"""Every table and column the contract names exists after a run over empty sources, and a run
over partial sources works (CONTRACT §1, §4, §6)."""

from __future__ import annotations

import pytest

GOLD = {
    "tiltak_gold.uke_deltakere": "aar uke uke_start kontor kontor_navn fylke avdeling innsatsgruppe tiltakskode "
    "tiltakstype_navn tiltakskategori antall_personer antall_deltakelser antall_startet antall_sluttet",
    "tiltak_gold.uke_antall": "aar uke kontor tiltaksnavn innsatsgruppe avdeling antall",
    "tiltak_gold.uke_antall_avdeling": "aar uke kontor tiltaksnavn avdeling antall",
    "tiltak_gold.uke_gjennomforing": "aar uke uke_start gjennomforing_id tiltakskode antall_deltar antall_venter "
    "antall_plasser belegg antall_fra_lokale_kontor antall_fra_andre_kontor",
    "tiltak_gold.uke_datakvalitet": "aar uke uke_start antall_telt uten_innsatsgruppe uten_avdeling uten_kontor "
    "kontor_fra_fallback ikke_telt_mangler_start ikke_telt_ugyldig_periode ikke_telt_ukjent_gjennomforing",
    "tiltak_gold.uke_oppfolging": "aar uke uke_start kontor avdeling innsatsgruppe antall_under_oppfolging "
    "antall_paa_tiltak",
    "tiltak_gold.uke_ventetid": "aar uke uke_start kontor tiltakskode antall_oppstart sum_ventedager "
    "antall_ventet_over_14 antall_ventet_over_30 antall_ventet_over_90",
    "tiltak_silver.deltakelse_uke": "aar uke uke_start deltakelse_id kilde person_id gjennomforing_id referansedag "
    "kontor kontor_navn fylke kontor_kilde avdeling veiledergruppe_id innsatsgruppe tiltakskode tiltakstype_navn "
    "tiltakskategori tiltaksgruppe startet sluttet",
}
# CONTRACT §2: every landing table exists (empty) from the first command on, optional ones included.
TILTAK_BRONZE = {
    "tiltak_bronze.tiltakstype": "id navn tiltakskode arena_tiltakskode",
    "tiltak_bronze.gjennomforing": "id tiltakstype_id avtale_id tiltaksnummer navn start_dato slutt_dato status oppstart "
    "antall_plasser opprettet_tidspunkt oppdatert_tidspunkt avsluttet_tidspunkt",
    "tiltak_bronze.gjennomforing_nav_enhet": "gjennomforing_id enhetsnummer",
    "tiltak_bronze.nav_enhet": "enhetsnummer navn type status overordnet_enhet",
    "tiltak_bronze.deltaker": "id person_id gjennomforing_id start_dato slutt_dato registrert_tidspunkt kilde "
    "dager_per_uke prosent_stilling",
    "tiltak_bronze.deltaker_status": "id deltaker_id status aarsak gyldig_fra gyldig_til opprettet",
    "tiltak_bronze.arbeidsgiver_avtale_hendelse": "hendelse_id avtale_id tidspunkt hendelse_type versjon person_id "
    "tiltakstype avtale_status start_dato slutt_dato enhet_oppfolging enhet_geografisk",
    "tiltak_bronze.vedtak_14a": "vedtak_id person_id innsatsgruppe hovedmal fattet_tidspunkt ansvarlig_enhet",
    "tiltak_bronze.oppfolgingsperiode": "person_id startdato sluttdato",
    "tiltak_bronze.oppfolgingskontor_historikk": "person_id kontor_id endret_tidspunkt endringstype",
    "tiltak_bronze.veileder_tilordning": "person_id veileder_ident tilordnet_tidspunkt tilordning_seq",
    "tiltak_bronze.veiledergruppe_snapshot": "snapshot_dato enhetsnummer gruppe_id gruppe_navn veileder_ident",
    "tiltak_bronze.avdeling_veiledergruppe": "enhetsnummer gruppe_id avdeling",
    "tiltak_bronze.tiltaksgruppe": "enhetsnummer tiltakskode tiltaksgruppe",
}
ETTERLEVELSE = {
    "etterlevelse.stage_besvarelser": "etterlevelseDokumentasjonId kravNummer kravVersjon time suksesskriterieId "
    "suksesskriterieStatus user aktivRad slettet",
    "etterlevelse.stage_dokument": "etterlevelseDokumentasjonId time aktivRad slettet",
    "etterlevelse.stage_krav": "kravNummer tema regelverk underavdeling",
    "etterlevelse.stage_meldinger": "kravNummer",
    "etterlevelse.stage_relasjoner": "etterlevelseDokumentasjonIdFra etterlevelseDokumentasjonIdTil relationType",
    "etterlevelse.stage_tildelt_og_notater": "kravNummer",
    "etterlevelse.stage_pvk_dokument": "etterlevelseDokumentasjonId pvkDokumentId",
    "etterlevelse.stage_risikoscenario": "risikoscenarioId pvkDokumentId",
    "etterlevelse.stage_tiltak": "tiltakId pvkDokumentId",
    "etterlevelse.ds_varslinger_tid": "",
    "etterlevelse.ds_varslinger_snapshot": "",
    "etterlevelse.ds_beskrivelser": "",
    "etterlevelse.ds_prioriterte_krav": "",
    "etterlevelse.ds_gjenbruk": "",
    "etterlevelse.ds_sist_oppdatert": "",
    "etterlevelse.ds_pvk_flyt": "",
    "etterlevelse.ds_dokument": "",
    "etterlevelse.ds_besvarelser_tema": "",
}
BEHANDLINGER = {
    "behandlinger.stage_behandlinger": "behandlingId aktivObservasjon",
    "behandlinger.stage_bridge_policy_behandling": "behandlingId policyId",
    "behandlinger.stage_policy": "policyId informationTypeId",
    "behandlinger.stage_informationType": "informationTypeId",
    "behandlinger.stage_behandlingsgrunnlag": "behandlingId",
    "behandlinger.stage_systems": "code behandlingId",
    "behandlinger.stage_dataprocessors": "dataprocessorId behandlingId",
}
CONTRACT = {**GOLD, **TILTAK_BRONZE, **ETTERLEVELSE, **BEHANDLINGER}


@pytest.fixture(scope="module", name="columns")
def _columns(tmp_path_factory):
    """Column names of every table after one run over empty sources (through the real CLI)."""
    import duckdb
    from typer.testing import CliRunner

    from metrikk.cli import app

    warehouse = tmp_path_factory.mktemp("contract") / "metrikk.duckdb"
    result = CliRunner().invoke(
        app, ["--warehouse", str(warehouse), "run", "--as-of", "2024-03-03"]
    )
    assert result.exit_code == 0, result.output
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns"
        ).fetchall()
    out: dict[str, set[str]] = {}
    for schema, table, column in rows:
        out.setdefault(f"{schema}.{table}", set()).add(column)
    return out


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_contract_table_exists_with_its_columns(table, columns):
    """The table exists as schema.table in the DuckDB file with every column the contract names."""
    assert table in columns, f"{table} is missing"
    missing = set(CONTRACT[table].split()) - columns[table]
    assert not missing, f"{table} lacks {sorted(missing)}"
