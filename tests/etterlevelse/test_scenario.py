"""Every schema break and fixed fault, checked on one hand-made history run through the real CLI."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import duckdb
import pytest
from etterlevelse_scenario import AS_OF, build_scenario
from etterlevelse_sources import USER
from tests.helpers.privacy_scan import scan
from typer.testing import CliRunner

from metrikk.cli import app
from metrikk.settings import DEVELOPMENT_PSEUDONYM_KEY


@pytest.fixture(scope="module", name="wh")
def _wh(tmp_path_factory) -> Path:
    """A warehouse with the scenario loaded and the etterlevelse domain run once."""
    base = tmp_path_factory.mktemp("scenario")
    build_scenario().write(base / "kilder")
    warehouse = base / "metrikk.duckdb"
    runner = CliRunner()
    for args in (
        ["load", str(base / "kilder")],
        ["run", "--as-of", AS_OF, "--domain", "etterlevelse"],
    ):
        result = runner.invoke(app, ["--warehouse", str(warehouse), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return warehouse


@pytest.fixture(name="q")
def _q(wh: Path):
    def q(sql: str) -> list[tuple]:
        with duckdb.connect(str(wh)) as con:
            return con.execute(sql).fetchall()

    return q


def sk_status(q, etterlevelse_id: str) -> dict[int, str]:
    rows = q(
        f"SELECT suksesskriterieId, suksesskriterieStatus FROM etterlevelse.stage_besvarelser "
        f"WHERE etterlevelseId = '{etterlevelse_id}'"
    )
    return dict(rows)


def test_fault_01_legacy_status_precedence(q):
    """Legacy booleans map with the app's precedence: underArbeid, then oppfylt, then ikkeRelevant, else UNDER_ARBEID."""
    assert sk_status(q, "eA") == {
        1: "OPPFYLT",
        2: "UNDER_ARBEID",
        3: "IKKE_RELEVANT",
        4: "IKKE_RELEVANT",
        5: "UNDER_ARBEID",
        6: "OPPFYLT",
    }


def test_break_2021_06_suksesskriterie_id_key(q):
    """An element from the first days of June 2021 that names its id `id` still gets its suksesskriterieId."""
    assert 6 in sk_status(q, "eA")


def test_fault_02_pseudonym_is_hmac_of_user(q):
    """`user` is HMAC-SHA256(development key, user) in hex, equal to Python's hmac, in every table."""
    expected = hmac.new(
        DEVELOPMENT_PSEUDONYM_KEY.encode(), USER.encode(), hashlib.sha256
    ).hexdigest()
    for table in ("stage_besvarelser", "stage_relasjoner", "stage_pvk_dokument", "stage_tiltak"):
        users = {r[0] for r in q(f"SELECT DISTINCT user FROM etterlevelse.{table}")}
        assert users == {expected}, table
    person = hmac.new(DEVELOPMENT_PSEUDONYM_KEY.encode(), b"C111111", hashlib.sha256).hexdigest()
    assert (person,) in q("SELECT fraBruker FROM etterlevelse.stage_meldinger")


def test_fault_04_ties_give_one_aktiv_rad(q):
    """Versions saved at the same time give one aktivRad: the higher version, then the higher audit_id."""
    assert q(
        "SELECT audit_id FROM etterlevelse.stage_dokument WHERE aktivRad AND etterlevelseDokumentasjonId='dTie'"
    ) == [("tie-b",)]
    assert q(
        "SELECT audit_id FROM etterlevelse.stage_dokument WHERE aktivRad AND etterlevelseDokumentasjonId='dTie2'"
    ) == [("tie2-b",)]
    assert q(
        "SELECT DISTINCT audit_id FROM etterlevelse.stage_besvarelser WHERE aktivRad AND etterlevelseId='eE3'"
    ) == [("svar-tie-b",)]
    for table, key in [
        ("stage_dokument", "etterlevelseDokumentasjonId"),
        ("stage_relasjoner", "id"),
        ("stage_pvk_dokument", "pvkDokumentId"),
    ]:
        assert (
            q(f"SELECT {key} FROM etterlevelse.{table} GROUP BY 1 HAVING count_if(aktivRad) <> 1")
            == []
        )


def test_ties_saves_at_one_time_and_version_follow_last_modified_date(q):
    """Three saves of a document with one time and one version: the one with the latest root
    lastModifiedDate is current (not the highest audit_id), in stage_dokument and the ds tables."""
    assert q(
        "SELECT audit_id, beskrivelseAntallTegn FROM etterlevelse.stage_dokument "
        "WHERE aktivRad AND etterlevelseDokumentasjonId='dLmd'"
    ) == [("lmd-a", len("Siste lagring"))]
    assert q(
        "SELECT harBeskrivelse, antallTegnBeskrivelse FROM etterlevelse.ds_beskrivelser "
        "WHERE etterlevelseDokumentasjonId='dLmd'"
    ) == [(True, len("Siste lagring"))]


def test_ties_update_and_delete_of_one_save_make_the_answer_deleted(q):
    """An UPDATE and a DELETE of one answer with one time, version and stamp: the DELETE is the
    current version, every row of the answer is slettet, and ds_besvarelser_tema leaves it out."""
    rows = q(
        "SELECT DISTINCT audit_id, aktivRad, slettet FROM etterlevelse.stage_besvarelser "
        "WHERE etterlevelseId='eLmd' ORDER BY audit_id"
    )
    assert rows == [
        ("svar-del-0", False, True),
        ("svar-del-a", True, True),
        ("svar-del-z", False, True),
    ]
    assert q(
        "SELECT count(*) FROM etterlevelse.ds_besvarelser_tema WHERE etterlevelseDokumentasjonId='dLmd'"
    ) == [(0,)]


def test_fault_04_delete_is_slettet_not_live(q):
    """An entity whose latest action is DELETE, or that is missing from its current table, is slettet."""
    rows = dict(
        q(
            "SELECT etterlevelseDokumentasjonId, bool_and(slettet) FROM etterlevelse.stage_dokument GROUP BY 1"
        )
    )
    assert rows["dDel"] and rows["dGone"]
    assert not rows["dE"] and not rows["dC"]
    assert q(
        "SELECT DISTINCT slettet FROM etterlevelse.stage_besvarelser WHERE etterlevelseId='eB2'"
    ) == [(True,)]


def test_fault_04_newer_krav_version_supersedes(q):
    """For one document and kravNummer, the answer to krav version 2 replaces the answer to version 1."""
    rows = q(
        "SELECT DISTINCT etterlevelseId, kravVersjon FROM etterlevelse.stage_besvarelser "
        "WHERE aktivRad AND etterlevelseDokumentasjonId='dE' AND kravNummer=101"
    )
    assert rows == [("eE2", 2)]


def test_break_2023_08_pre_migration_answers_map_through_behandling(q):
    """Answers saved before Aug 2023 with only behandlingId reach the migrated document."""
    got = dict(
        q(
            "SELECT DISTINCT etterlevelseId, etterlevelseDokumentasjonId FROM etterlevelse.stage_besvarelser "
            "WHERE kobling='BEHANDLING'"
        )
    )
    assert got == {"eA": "dA", "eC": "dC", "eD": "dDup2"}


def test_fault_05_first_audit_row_in_new_shape_still_maps(q):
    """A migrated document whose first audit row has the 2025 shape still maps its behandlingId."""
    assert q(
        "SELECT etterlevelseDokumentasjonId FROM etterlevelse_int.behandling_dokument WHERE behandlingId='bA'"
    ) == [("dA",)]


def test_fault_05_duplicate_behandling_resolved_deterministically(q):
    """Two migrated documents with one behandlingId: the lower etterlevelseNummer wins, and the count is kept."""
    assert q(
        "SELECT etterlevelseDokumentasjonId, antallKandidater FROM etterlevelse_int.behandling_dokument "
        "WHERE behandlingId='bD'"
    ) == [("dDup2", 2)]


def test_fault_05_unmapped_answers_kept_and_counted(q):
    """An answer whose behandlingId maps to no document is kept with a null document and is its own entity."""
    rows = q(
        "SELECT count(DISTINCT audit_id), count_if(aktivRad) FROM etterlevelse.stage_besvarelser "
        "WHERE kobling='IKKE_KOBLET'"
    )
    assert rows == [(2, 1)]
    assert q(
        "SELECT DISTINCT etterlevelseDokumentasjonId FROM etterlevelse.stage_besvarelser WHERE etterlevelseId='eX'"
    ) == [(None,)]


def test_break_2024_10_etterlevelse_own_table_payload_key(q):
    """ETTERLEVELSE rows read kravNummer from the root and criteria from etterlevelseData."""
    assert sk_status(q, "eE2") == {1: "OPPFYLT", 2: "IKKE_RELEVANT"}
    assert q(
        "SELECT DISTINCT kravNummer, kravVersjon, etterlevelseDokumentasjonId FROM etterlevelse.stage_besvarelser "
        "WHERE etterlevelseId='eE2'"
    ) == [(101, 2, "dE")]


def test_break_2023_08_gs_envelope_data_data(q):
    """GS-era answers after the migration read etterlevelseDokumentasjonId from data.data."""
    assert q(
        "SELECT DISTINCT etterlevelseDokumentasjonId, kobling FROM etterlevelse.stage_besvarelser "
        "WHERE etterlevelseId='eB'"
    ) == [("dB", "SVAR")]


def test_break_2025_03_dokument_both_table_name_spellings(q):
    """Both EtterlevelseDokumentasjon and ETTERLEVELSE_DOKUMENTASJON rows become versions with their fields."""
    rows = q(
        "SELECT etterlevelseNummer, irrelevansFor, prioritertKravNummer, varslingsadresseTyper "
        "FROM etterlevelse.stage_dokument WHERE etterlevelseDokumentasjonId='dE' ORDER BY time"
    )
    normalised = [(n, irr, prio, sorted(typer)) for n, irr, prio, typer in rows]
    assert normalised == [
        (201, ["PERSONOPPLYSNINGER"], [101], ["EPOST", "SLACK"]),
        (201, ["PERSONOPPLYSNINGER"], [101, 103], ["SLACK"]),
    ]


def test_break_2025_06_avdeling_replaced_by_nom(q):
    """ds_dokument takes the NOM avdeling after June 2025 and the old AVDELING code before."""
    assert q(
        "SELECT avdeling FROM etterlevelse.ds_dokument WHERE etterlevelseDokumentasjonId='dE' ORDER BY time"
    ) == [("AVD_IT",), ("nom-1",)]


def test_fault_06_krav_ferdig_follows_app_status(q):
    """kravFerdigUtfylt is the app's rule (FERDIG_DOKUMENTERT statuses), not a suksesskriterium rule."""
    rows = dict(
        q(
            "SELECT DISTINCT etterlevelseId, kravFerdigUtfylt FROM etterlevelse.stage_besvarelser "
            "WHERE etterlevelseId IN ('eE1','eE2')"
        )
    )
    assert rows == {"eE1": False, "eE2": True}


def test_fault_07_relevant_krav_in_force_at_version_time(q):
    """A document version counts the krav AKTIV at its own time, minus irrelevant ones."""
    rows = q(
        "SELECT relevanteKrav FROM etterlevelse.stage_dokument WHERE etterlevelseDokumentasjonId='dE' ORDER BY time"
    )
    assert rows == [([101],), ([101, 103],)]
    assert q(
        "SELECT relevanteKrav FROM etterlevelse.stage_dokument WHERE etterlevelseDokumentasjonId='dB' ORDER BY time"
    ) == [([101, 102],), ([101, 102],)]


def test_fault_09_relasjoner_have_time_and_slettet(q):
    """Relations carry time, one aktivRad and slettet; a deleted relation is not live."""
    rows = q(
        "SELECT id, relationType, slettet FROM etterlevelse.stage_relasjoner WHERE aktivRad ORDER BY id"
    )
    assert rows == [("rel1", "ARVER", True), ("rel2", "ENGANGSKOPI", False)]


def test_fault_10_sist_oppdatert_one_row_per_day_and_stops_at_deletion(q):
    """ds_sist_oppdatert has one row per document and day, ends at as_of, and counts days since the last answer."""
    assert (
        q(
            "SELECT etterlevelseDokumentasjonId, dato FROM etterlevelse.ds_sist_oppdatert GROUP BY 1, 2 HAVING count(*) > 1"
        )
        == []
    )
    last = q(
        "SELECT dato, sistOppdatert, dagerSidenOppdatering FROM etterlevelse.ds_sist_oppdatert "
        "WHERE aktivRad AND etterlevelseDokumentasjonId='dE'"
    )
    assert [(str(a), str(b), c) for a, b, c in last] == [(AS_OF, "2025-07-02", 363)]


def test_fault_11_pvk_explicit_schema_and_reentry(q):
    """PVK versions from every era share one schema; ds_pvk_flyt counts re-entries and adds no fake rows."""
    rows = q(
        "SELECT status, pvkVurdering, sendtTilPvoDato IS NOT NULL FROM etterlevelse.stage_pvk_dokument ORDER BY time"
    )
    assert rows[0][:2] == ("UNDERARBEID", "SKAL_UTFORE") and rows[-1] == (
        "SENDT_TIL_PVO",
        "SKAL_UTFORE",
        True,
    )
    flyt = dict(
        (s, n)
        for s, n in q(
            "SELECT status, antallGanger FROM etterlevelse.ds_pvk_flyt WHERE pvkDokumentId='pvk1'"
        )
    )
    assert flyt == {"UNDERARBEID": 2, "SENDT_TIL_PVO": 2}


def test_fault_12_meldinger_kept_without_null_status_cutoff(q):
    """All meldinger are kept even when no thread has a null status, with no phantom rows."""
    assert q("SELECT count(*), count(DISTINCT id) FROM etterlevelse.stage_meldinger") == [(3, 2)]
    assert q(
        "SELECT meldingNr FROM etterlevelse.stage_meldinger WHERE id='tb1' AND sisteMelding"
    ) == [(2,)]


def test_fault_14_no_free_text_or_idents_in_ds(wh: Path):
    """No ds_* value is free text or holds an ident, by what the columns hold (tests/helpers/privacy_scan.py),
    not by a list of column names; the scenario's sources do hold both (the control)."""
    con = duckdb.connect(str(wh), read_only=True)
    try:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema = 'etterlevelse' AND (table_name LIKE 'ds\\_%' ESCAPE '\\'"
            # the row-level table behind the dokumentstatus page's document list
            " OR table_name = 'stage_dokument_status_uke')"
        ).fetchall()
        assert len(tables) == 13
        columns, findings = scan(con, tables)
        _, in_sources = scan(con, [("landing_zone", "etterlevelse_audit_version")])
    finally:
        con.close()
    assert columns >= 15
    assert not findings, "\n".join(findings)
    assert any("NAV ident" in f for f in in_sources) and any("fritekst" in f for f in in_sources)


def test_referential_joins_hold(q):
    """Every besvarelse, pvk and relation with a document id points at a stage_dokument row."""
    for table, col in [
        ("stage_besvarelser", "etterlevelseDokumentasjonId"),
        ("stage_pvk_dokument", "etterlevelseDokumentasjonId"),
        ("stage_relasjoner", "etterlevelseDokumentasjonIdFra"),
    ]:
        assert (
            q(
                f"SELECT {col} FROM etterlevelse.{table} WHERE {col} IS NOT NULL AND {col} NOT IN "
                f"(SELECT etterlevelseDokumentasjonId FROM etterlevelse.stage_dokument)"
            )
            == []
        )


def test_stage_krav_tema_from_lov_codelist(q):
    """stage_krav has one row per krav version and lov, with tema from the LOV codelist."""
    rows = q(
        "SELECT regelverk, tema FROM etterlevelse.stage_krav WHERE kravNummer=101 AND aktivRad ORDER BY 1"
    )
    assert rows == [("ARKIVLOVEN", "ARKIV"), ("PERSONOPPLYSNINGSLOVEN", "PERSONVERN")]


def test_ds_bruk_uke_counts_completed_document(q):
    """dE is completed in the ISO week of its last ferdig answer (2025-06-30) under its avdeling."""
    rows = q(
        "SELECT aar, uke, avdeling, antallFullforteDokumenter FROM etterlevelse.ds_bruk_uke "
        "WHERE antallFullforteDokumenter > 0"
    )
    assert rows == [(2025, 27, "Avdeling for IT", 1)]
