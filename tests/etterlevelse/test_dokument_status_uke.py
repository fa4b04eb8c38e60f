"""Document status and suksesskriterier per week (etterlevelse.stage_dokument_status_uke,
ds_dokument_status_uke, ds_suksesskriterier_uke) on hand-made audit rows from every era of the
research note: answers before the Aug 2023 migration (legacy booleans, reached through the
behandlingId), generic-storage documents and answers, own-table documents and answers, PVK
approvals before the status field, the AVDELING code and the NOM avdeling, and the document
status field (Dec 2025+). The rule is in docs/etterlevelse.md, «Dokumentstatus per uke».

Times are naive UTC at midday, so every save lands in the ISO week (Europe/Oslo) of its date.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from etterlevelse_scenario import MIGRATION, gs_dok
from etterlevelse_sources import Sources, kriterium
from typer.testing import CliRunner

from metrikk.cli import app

AS_OF = "2026-03-02"  # a Monday: the last ended week is 2026-U09 (starts 2026-02-23)


def pvk(s: Sources, time: str, status: str, *, action: str = "UPDATE") -> None:
    s.audit(
        "PVK_DOKUMENT",
        "pvkOwn",
        time,
        {
            "id": "pvkOwn",
            "etterlevelseDokumentId": "dOwn",
            "status": status,
            "pvkDokumentData": {"antallInnsendingTilPvo": 0},
        },
        action=action,
    )


def build() -> Sources:
    s = Sources()
    s.krav("k101", "2021-01-01T08:00:00", nummer=101)
    s.add(
        "landing_zone.etterlevelse_krav",
        id="k101",
        krav_nummer=101,
        krav_versjon=1,
        status="AKTIV",
        data={
            "kravNummer": 101,
            "regelverk": [{"lov": "PERSONOPPLYSNINGSLOVEN"}],
            "relevansFor": [],
            "suksesskriterier": [{"id": 1}, {"id": 2}],
        },
    )
    for liste, kode, navn, data in [
        ("LOV", "PERSONOPPLYSNINGSLOVEN", "Personopplysningsloven", {"tema": "PERSONVERN"}),
        ("TEMA", "PERSONVERN", "Personvern", None),
        ("AVDELING", "AVD_HR", "HR-avdelingen", None),
    ]:
        s.add(
            "landing_zone.etterlevelse_codelist",
            list=liste,
            code=kode,
            short_name=navn,
            description="",
            data=data,
        )

    # dMig: answered through behandling b1 in the legacy boolean era (2022), migrated Aug 2023,
    # given the AVDELING code in 2024, answered again in the own-table era (2025).
    s.svar_gs(
        "e1",
        "2022-03-02T12:00:00",
        krav=101,
        behandling="b1",
        kriterier=[kriterium(1, oppfylt=True)],
    )
    gs_dok(
        s,
        "dMig",
        "2023-08-10T12:00:00",
        action="CREATE",
        created_by=MIGRATION,
        behandlingIds=["b1"],
    )
    gs_dok(
        s,
        "dMig",
        "2024-04-03T12:00:00",
        version=1,
        created_by=MIGRATION,
        behandlingIds=["b1"],
        avdeling="AVD_HR",
    )
    s.svar_own(
        "e1",
        "2025-02-05T12:00:00",
        krav=101,
        dok="dMig",
        kriterier=[kriterium(1, "OPPFYLT"), kriterium(2, "IKKE_RELEVANT")],
    )

    # dGs: a generic-storage document, answered in 2024, the answer deleted in 2025.
    gs_dok(s, "dGs", "2024-01-10T12:00:00", action="CREATE")
    s.svar_gs(
        "e2", "2024-02-07T12:00:00", krav=101, dok="dGs", kriterier=[kriterium(1, "UNDER_ARBEID")]
    )
    s.svar_own(
        "e2",
        "2025-01-15T12:00:00",
        krav=101,
        dok="dGs",
        action="DELETE",
        kriterier=[kriterium(1, "UNDER_ARBEID")],
    )

    # dOwn: an own-table document with a NOM avdeling (renamed later), a PVK that is approved
    # before the status field exists, then the status field (Dec 2025+), seksjon and two teams.
    nom = {"nomAvdelingId": "nom-it"}
    s.dok_own("dOwn", "2025-04-02T12:00:00", action="CREATE", **nom, avdelingNavn="IT")
    pvk(s, "2025-05-07T12:00:00", "UNDERARBEID", action="CREATE")
    pvk(s, "2025-06-04T12:00:00", "TRENGER_GODKJENNING")
    pvk(s, "2025-07-02T12:00:00", "GODKJENT_AV_RISIKOEIER")
    s.dok_own("dOwn", "2025-09-03T12:00:00", version=1, **nom, avdelingNavn="IT-avdelingen")
    s.dok_own(
        "dOwn",
        "2026-01-07T12:00:00",
        version=2,
        **nom,
        avdelingNavn="IT-avdelingen",
        status="UNDER_ARBEID",
    )
    s.dok_own(
        "dOwn",
        "2026-02-04T12:00:00",
        version=3,
        **nom,
        avdelingNavn="IT-avdelingen",
        status="SENDT_TIL_GODKJENNING_TIL_RISIKOEIER",
        teams=["t1", "t2"],
        seksjoner=[{"nomSeksjonId": "s1", "nomSeksjonName": "Seksjon for data"}],
    )

    # dDel: deleted through the app (a DELETE row); dSql: gone from the current table without one.
    s.dok_own("dDel", "2025-04-02T12:00:00", action="CREATE")
    s.dok_own("dDel", "2025-04-16T12:00:00", action="DELETE", version=1)
    s.dok_own("dSql", "2025-04-02T12:00:00", action="CREATE")

    # dDel is still in the current table (its DELETE has not reached the replica): the DELETE
    # in the audit log alone makes it slettet.
    for dok in ("dMig", "dGs", "dOwn", "dDel"):
        s.add("landing_zone.etterlevelse_etterlevelse_dokumentasjon", id=dok, data={"title": "x"})
    return s


@pytest.fixture(scope="module", name="wh")
def _wh(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("dokument_status")
    build().write(base / "kilder")
    warehouse = base / "metrikk.duckdb"
    runner = CliRunner()
    for args in (
        ["load", str(base / "kilder")],
        ["run", "--as-of", AS_OF, "--domain", "etterlevelse"],
    ):
        result = runner.invoke(app, ["--warehouse", str(warehouse), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return warehouse


def q(wh: Path, sql: str, *params) -> list[tuple]:
    with duckdb.connect(str(wh), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def status(wh: Path, dok: str) -> dict[str, tuple]:
    """{week start: (status, statusKilde, avdeling)} of one document."""
    rows = q(
        wh,
        "SELECT CAST(uke_start AS VARCHAR), status, statusKilde, avdeling"
        " FROM etterlevelse.stage_dokument_status_uke WHERE etterlevelseDokumentasjonId = ?",
        dok,
    )
    return {r[0]: r[1:] for r in rows}


def test_migrated_document_counts_from_its_first_legacy_answer(wh):
    """Before Aug 2023 the document is its behandling's answers: it appears with its first answer (2022) as under arbeid, named by its first version; the AVDELING code later gets its codelist name."""
    s = status(wh, "dMig")
    assert "2022-02-21" not in s
    assert s["2022-02-28"] == ("UNDER_ARBEID", "SVAR", "Uten avdeling")
    assert s["2024-03-25"] == ("UNDER_ARBEID", "SVAR", "Uten avdeling")
    assert s["2024-04-01"] == ("UNDER_ARBEID", "SVAR", "HR-avdelingen")
    assert max(s) == "2026-02-23"


def test_answers_start_a_document_and_a_deleted_answer_undoes_it(wh):
    """Generic-storage era: no answer is ikke påbegynt, an answer makes it under arbeid, and when the only answer is deleted it is ikke påbegynt again."""
    s = status(wh, "dGs")
    assert s["2024-01-08"][0] == "IKKE_PAABEGYNT"
    assert s["2024-01-29"][0] == "IKKE_PAABEGYNT"
    assert s["2024-02-05"][0] == "UNDER_ARBEID"
    assert s["2025-01-06"][0] == "UNDER_ARBEID"
    assert s["2025-01-13"][0] == "IKKE_PAABEGYNT"


def test_pvk_approval_before_the_status_field_and_the_field_after(wh):
    """Before the status field the PVK approval decides (TRENGER_GODKJENNING = sendt, GODKJENT_AV_RISIKOEIER = godkjent); once the field exists it decides, and UNDER_ARBEID without answers is ikke påbegynt. One name per NOM avdeling: the latest."""
    s = status(wh, "dOwn")
    assert s["2025-03-31"] == ("IKKE_PAABEGYNT", "SVAR", "IT-avdelingen")
    assert s["2025-05-05"][:2] == ("IKKE_PAABEGYNT", "SVAR")
    assert s["2025-06-02"][:2] == ("SENDT_TIL_GODKJENNING", "PVK")
    assert s["2025-06-30"][:2] == ("GODKJENT_AV_RISIKOEIER", "PVK")
    assert s["2025-12-29"][:2] == ("GODKJENT_AV_RISIKOEIER", "PVK")
    assert s["2026-01-05"][:2] == ("IKKE_PAABEGYNT", "SVAR")
    assert s["2026-02-02"][:2] == ("SENDT_TIL_GODKJENNING", "STATUSFELT")
    assert {v[2] for v in s.values()} == {"IT-avdelingen"}


def test_every_version_of_a_document_whose_latest_action_is_delete_is_slettet(wh):
    """stage_dokument: slettet on every row of dDel, whose latest version is a DELETE, although
    the current table still holds it (CONTRACT §6); dOwn, alive, has no slettet row."""
    rows = dict(
        q(
            wh,
            "SELECT etterlevelseDokumentasjonId, list(slettet ORDER BY time) "
            "FROM etterlevelse.stage_dokument WHERE etterlevelseDokumentasjonId IN ('dDel', 'dOwn') "
            "GROUP BY 1",
        )
    )
    assert rows["dDel"] == [True, True]
    assert not any(rows["dOwn"])


def test_deleted_documents_leave_the_count(wh):
    """A DELETE removes the document from its week on; a document missing from the current table without a DELETE counts up to the week of its last version."""
    assert sorted(status(wh, "dDel")) == ["2025-03-31", "2025-04-07"]
    assert sorted(status(wh, "dSql")) == ["2025-03-31"]


def test_ds_counts_each_document_once_per_avdeling_and_under_each_team(wh):
    """AVDELING rows count every document once (unknown avdeling is its own bucket); a document with two teams counts under each team, with seksjon names."""
    rows = q(
        wh,
        "SELECT avdeling, seksjon, seksjonNavn, team, nivaa, status, statusNavn, antallDokumenter"
        " FROM etterlevelse.ds_dokument_status_uke WHERE uke_start = DATE '2026-02-23'"
        " ORDER BY nivaa, avdeling, seksjon, team",
    )
    avdeling = [r for r in rows if r[4] == "AVDELING"]
    assert avdeling == [
        (
            "HR-avdelingen",
            "ALLE",
            "Alle seksjoner",
            "ALLE",
            "AVDELING",
            "UNDER_ARBEID",
            "Under arbeid",
            1,
        ),
        (
            "IT-avdelingen",
            "ALLE",
            "Alle seksjoner",
            "ALLE",
            "AVDELING",
            "SENDT_TIL_GODKJENNING",
            "Sendt til godkjenning",
            1,
        ),
        (
            "Uten avdeling",
            "ALLE",
            "Alle seksjoner",
            "ALLE",
            "AVDELING",
            "IKKE_PAABEGYNT",
            "Ikke påbegynt",
            1,
        ),
    ]
    team = {(r[0], r[3]): r[7] for r in rows if r[4] == "TEAM"}
    assert team == {
        ("HR-avdelingen", "UTEN_TEAM"): 1,
        ("IT-avdelingen", "t1"): 1,
        ("IT-avdelingen", "t2"): 1,
        ("Uten avdeling", "UTEN_TEAM"): 1,
    }
    seksjon = {(r[0], r[1], r[2]) for r in rows if r[4] == "SEKSJON"}
    assert ("IT-avdelingen", "s1", "Seksjon for data") in seksjon
    assert ("HR-avdelingen", "UTEN_SEKSJON", "Uten seksjon") in seksjon
    # Before the first week with a document there are no rows; the series ends at the last ended week.
    first, last = q(
        wh, "SELECT min(uke_start), max(uke_start) FROM etterlevelse.ds_dokument_status_uke"
    )[0]
    assert (str(first), str(last)) == ("2022-02-28", "2026-02-23")


def test_suksesskriterier_per_week_follow_the_current_answer(wh):
    """Legacy booleans (2022) count as their mapped status under the document's avdeling that week; a later answer replaces them; a deleted answer stops counting."""
    rows = {
        (str(r[0]), r[1]): r[2:]
        for r in q(
            wh,
            "SELECT uke_start, avdeling, tema, temaNavn, antallSuksesskriterier, antallOppfylt,"
            " antallUnderArbeid, antallIkkeRelevant, andelOppfylt FROM etterlevelse.ds_suksesskriterier_uke",
        )
    }
    assert rows[("2022-02-28", "Uten avdeling")] == ("PERSONVERN", "Personvern", 1, 1, 0, 0, 1.0)
    assert rows[("2025-01-27", "HR-avdelingen")] == ("PERSONVERN", "Personvern", 1, 1, 0, 0, 1.0)
    assert rows[("2025-02-03", "HR-avdelingen")] == ("PERSONVERN", "Personvern", 2, 1, 0, 1, 1.0)
    assert rows[("2024-02-05", "Uten avdeling")] == ("PERSONVERN", "Personvern", 2, 1, 1, 0, 0.5)
    assert ("2025-01-13", "Uten avdeling") not in rows
