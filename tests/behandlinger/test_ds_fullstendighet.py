# ruff: noqa: E501 -- SQL in assertions reads better on one line
"""behandlinger.ds_fullstendighet: completeness per ISO week × avdeling × seksjon × indikator,
read from hand-made polly audit rows of every era of research §1.5 (docs/behandlinger.md
"ds_fullstendighet" has the rules). Each scenario uses department codes of its own, so the
rows of one test are those of its avdeling."""

from __future__ import annotations

from polly_log import Polly, Stage, process_data, read, scenario, uid

LAST_WEEK = "2026-06-22"  # the last ISO week that is over on AS_OF (2026-06-30)


def cell(
    stage: Stage, avdeling: str, uke: str, seksjon: str | None = None
) -> dict[str, tuple[int, int]]:
    """{indikator: (antallBehandlinger, antallMangler)} for one avdeling (and seksjon) and week."""
    rows = stage.query(
        "SELECT indikator, SUM(antallBehandlinger), SUM(antallMangler) FROM behandlinger.ds_fullstendighet "
        "WHERE avdeling = ? AND uke_start = CAST(? AS DATE) AND (? IS NULL OR seksjon = ?) GROUP BY indikator",
        [avdeling, uke, seksjon, seksjon],
    )
    return {r[0]: (int(r[1]), int(r[2])) for r in rows}


def missing(stage: Stage, avdeling: str, uke: str) -> dict[str, int]:
    return {k: v[1] for k, v in cell(stage, avdeling, uke).items() if v[1]}


# --- legal bases: the app's alert rules (polly AlertService.checkPolicy) -----------------------

A6 = "FT_A6"


def _affiliation(dept: str, **extra) -> dict:
    return {"department": dept, "subDepartments": [], "productTeams": [], "products": [], **extra}


@scenario
def _legal_basis_rows(p: Polly) -> None:
    t = "2026-01-05T08:00:00"
    it_pol, it_saer = uid("ft-it-pol"), uid("ft-it-saer")
    p.information_type(it_pol, time=t)
    p.information_type(it_saer, time=t, sensitivity="SAERLIGE")

    def proc(label: str, legal: list[str], policies: list[tuple[str, str, list[str]]]) -> None:
        pid = uid(f"ft-a6-{label}")
        bases = [{"gdpr": g, "nationalLaw": "FTRL", "description": None} for g in legal]
        p.process(
            pid, t, process_data(affiliation=_affiliation(A6), legalBases=bases), action="CREATE"
        )
        for n, (it, use, own) in enumerate(policies):
            data = {
                "purposes": ["AAP"],
                "subjectCategories": ["BRUKER"],
                "legalBasesUse": use,
                "legalBases": [{"gdpr": g, "nationalLaw": None, "description": None} for g in own],
            }
            p.policy(uid(f"ft-a6-{label}-pol{n}"), t, pid, it, data=data, action="CREATE")

    proc("no-art6", [], [(it_pol, "INHERITED_FROM_PROCESS", [])])  # missing Art. 6
    proc("unresolved", [], [(it_pol, "UNRESOLVED", [])])  # uavklart, not Art. 6
    proc("excess", [], [(it_pol, "EXCESS_INFO", [])])  # neither
    proc("saer-no-art9", ["ART61C"], [(it_saer, "INHERITED_FROM_PROCESS", [])])  # missing Art. 9
    proc("saer-art9", ["ART61C", "ART92B"], [(it_saer, "INHERITED_FROM_PROCESS", [])])
    proc("policy-own", [], [(it_saer, "DEDICATED_LEGAL_BASES", ["ART61E", "ART92G"])])
    proc("no-policies", [], [])  # the app raises no alert without policies
    # A policy deleted before the week no longer counts.
    proc("deleted-policy", [], [(it_pol, "INHERITED_FROM_PROCESS", [])])
    p.policy(
        uid("ft-a6-deleted-policy-pol0"),
        "2026-02-02T08:00:00",
        uid("ft-a6-deleted-policy"),
        it_pol,
        action="DELETE",
    )


def test_legal_basis_indicators_follow_the_app(stage: Stage) -> None:
    """Art. 6 is missing when a policy that is neither UNRESOLVED nor EXCESS_INFO has no Art. 6
    basis of its own or from the process; Art. 9 likewise for SAERLIGE information types;
    GRUNNLAG_UAVKLART counts UNRESOLVED policies."""
    c = cell(stage, A6, LAST_WEEK)
    assert {k: v[0] for k, v in c.items()} == dict.fromkeys(c, 8)
    assert c["ART6_MANGLER"][1] == 1
    assert c["ART9_MANGLER"][1] == 1
    assert c["GRUNNLAG_UAVKLART"][1] == 1
    # Before the policy was deleted (week of 2026-01-26) that process lacked Art. 6 too.
    assert cell(stage, A6, "2026-01-26")["ART6_MANGLER"] == (8, 2)
    # Nothing before the processes were created.
    assert cell(stage, A6, "2025-12-29") == {}


# --- eras and history of one avdeling ----------------------------------------------------------

HIST = "FT_HIST"
TIE = "FT_TIE"


@scenario
def _era_rows(p: Polly) -> None:
    # 2019-11 shape: data holds legalBases/start/end only, department at the data root, name at
    # the root. PM:V1.13 set the time of every older row to one instant; lastModifiedDate orders
    # them: the newer save moved it to FT_HIST.
    h1 = uid("ft-hist-1")
    mig = "2019-12-19T10:14:07.356"
    old = {"legalBases": [], "start": "0001-01-01", "end": "9999-12-31"}
    p.process(
        h1,
        mig,
        {**old, "department": TIE},
        action="CREATE",
        # audit_ids chosen so that ordering the tie by audit_id alone picks the wrong save.
        audit_id="ffffffff-0000-4000-8000-000000000001",
        name="H1",
        purposeCode="AAP",
        lastModifiedDate="2019-11-01T08:00:00",
    )
    p.process(
        h1,
        mig,
        {**old, "department": HIST},
        audit_id="00000000-0000-4000-8000-000000000001",
        name="H1",
        purposeCode="AAP",
        lastModifiedDate="2019-12-01T08:00:00",
    )
    # 2020-06: retention and the old dataProcessing shape without agreements, dpia unanswered.
    v2020 = {
        **old,
        "department": HIST,
        "profiling": False,
        "automaticProcessing": None,
        "retention": {"retentionPlan": None},
        "dataProcessing": {"dataProcessor": True, "dataProcessorAgreements": []},
        "dpia": {"needForDpia": None},
    }
    p.process(h1, "2020-06-03T08:00:00", v2020, name="H1", purposeCode="AAP")
    # 2020-08: an agreement is named (old shape).
    v2020b = {
        **v2020,
        "dataProcessing": {"dataProcessor": True, "dataProcessorAgreements": ["Avtale 1"]},
    }
    p.process(h1, "2020-08-05T08:00:00", v2020b, name="H1", purposeCode="AAP")
    # 2021-04: processors[] shape; the processor has no contract yet.
    proc = uid("ft-hist-processor")
    p.processor(proc, time="2021-04-01T08:00:00")
    v2021 = process_data(
        affiliation=_affiliation(HIST),
        dataProcessing={"dataProcessor": True, "processors": [proc]},
        dpia={"needForDpia": True},
        automaticProcessing=False,
        retention={"retentionPlan": True, "retentionMonths": 12, "retentionStart": "Vedtak"},
    )
    p.process(h1, "2021-04-07T08:00:00", v2021)
    # 2021-05: the processor gets a contract.
    p.processor(proc, time="2021-05-05T08:00:00", action="UPDATE", contract="2021/55")
    # 2025-07: aiUsageDescription; 2025-11: seksjoner.
    v2025 = {**v2021, "aiUsageDescription": {"aiUsage": False}}
    v2025["affiliation"] = _affiliation(
        HIST,
        nomDepartmentId="nom-ft-hist",
        nomDepartmentName="Avdeling for historikk",
        seksjoner=[{"nomSeksjonId": "ft-seksjon", "nomSeksjonName": "Seksjon for test"}],
    )
    p.process(h1, "2025-12-03T08:00:00", v2025)

    # A process deleted in the week of 2021-06-07, and one whose period ended 2022-12-31.
    h2 = uid("ft-hist-2")
    p.process(
        h2, "2021-01-06T08:00:00", process_data(affiliation=_affiliation(HIST)), action="CREATE"
    )
    p.process(
        h2, "2021-06-09T08:00:00", process_data(affiliation=_affiliation(HIST)), action="DELETE"
    )
    h3 = uid("ft-hist-3")
    p.process(
        h3,
        "2021-01-06T08:00:00",
        process_data(affiliation=_affiliation(HIST), end="2022-12-31"),
        action="CREATE",
    )
    p.codelist("DEPARTMENT", HIST, "Historikkavdelingen")


def test_v113_tie_is_read_by_the_change_stamp(stage: Stage) -> None:
    """Rows tied on PM:V1.13's time count in the avdeling of the save with the newest lastModifiedDate."""
    assert cell(stage, TIE, "2019-12-16") == {}
    assert cell(stage, HIST, "2019-12-16")["DPIA_UKJENT"] == (1, 1)


def test_every_era_of_one_process(stage: Stage) -> None:
    """Week by week the indicators follow the version current at the week's end."""
    # 2019 shape: nothing but legal bases; every yes/no field is unknown, no retention plan.
    assert missing(stage, HIST, "2019-12-16") == {
        "DPIA_UKJENT": 1,
        "LAGRINGSPLAN_MANGLER": 1,
        "PROFILERING_UKJENT": 1,
        "AUTOMATISERING_UKJENT": 1,
        "KI_UKJENT": 1,
    }
    # 2020-06: profiling answered, a data processor without an agreement (old shape).
    assert missing(stage, HIST, "2020-06-01") == {
        "DPIA_UKJENT": 1,
        "LAGRINGSPLAN_MANGLER": 1,
        "AUTOMATISERING_UKJENT": 1,
        "KI_UKJENT": 1,
        "DATABEHANDLER_UTEN_AVTALE": 1,
    }
    # 2020-08: the old shape names an agreement.
    assert "DATABEHANDLER_UTEN_AVTALE" not in missing(stage, HIST, "2020-08-03")
    # 2021-04: processors[] with a processor without a contract; 2021-05: contract added.
    assert missing(stage, HIST, "2021-04-05")["DATABEHANDLER_UTEN_AVTALE"] == 1
    assert "DATABEHANDLER_UTEN_AVTALE" not in missing(stage, HIST, "2021-05-03")
    # 2025-12: AI use answered.
    assert (
        missing(stage, HIST, "2025-11-24")["KI_UKJENT"] == 3 - 1 - 1
    )  # h1 only (h2 deleted, h3 ended)
    assert "KI_UKJENT" not in missing(stage, HIST, "2025-12-01")


def test_active_means_not_deleted_and_in_period(stage: Stage) -> None:
    """Deleted processes leave from the week of the DELETE; ended ones after the week holding the end date."""
    counts = {
        uke: cell(stage, HIST, uke)["DPIA_UKJENT"][0]
        for uke in ("2021-01-04", "2021-05-31", "2021-06-07", "2022-12-19", "2022-12-26")
    }
    assert counts == {
        "2021-01-04": 3,
        "2021-05-31": 3,
        "2021-06-07": 2,
        "2022-12-19": 2,
        "2022-12-26": 1,
    }


def test_seksjon_and_one_name_per_avdeling(stage: Stage) -> None:
    """The codelist name wins over the NOM name; the first NOM seksjon is the seksjon."""
    rows = stage.query(
        "SELECT DISTINCT avdelingNavn, seksjon, seksjonNavn, uke_start >= DATE '2025-12-01' FROM behandlinger.ds_fullstendighet WHERE avdeling = ? ORDER BY 4",
        [HIST],
    )
    assert rows == [
        ("Historikkavdelingen", "UKJENT", "Uten seksjon", False),
        ("Historikkavdelingen", "ft-seksjon", "Seksjon for test", True),
    ]


def test_unknown_avdeling_is_a_bucket_in_the_totals(run_alone, warehouse) -> None:
    """A process without avdeling counts under UKJENT, and the avdelinger sum to every active process."""
    p = Polly()
    known, unknown = uid("ft-known"), uid("ft-unknown")
    p.process(
        known,
        "2026-03-02T08:00:00",
        process_data(affiliation=_affiliation("FT_KJENT")),
        action="CREATE",
    )
    no_dept = process_data()
    del no_dept["affiliation"]
    p.process(unknown, "2026-03-02T08:00:00", no_dept, action="CREATE")
    code, output = run_alone(p)
    assert code == 0, output
    rows = read(
        warehouse,
        "SELECT avdeling, avdelingNavn, antallBehandlinger, antallMangler FROM behandlinger.ds_fullstendighet "
        "WHERE uke_start = DATE '2026-06-22' AND indikator = 'DPIA_UKJENT' ORDER BY 1",
    )
    assert rows == [("FT_KJENT", "FT_KJENT", 1, 0), ("UKJENT", "Uten avdeling", 1, 0)]
    weeks = read(
        warehouse,
        "SELECT MIN(uke_start), MAX(uke_start), COUNT(DISTINCT indikator) FROM behandlinger.ds_fullstendighet",
    )
    assert [(str(a), str(b), n) for a, b, n in weeks] == [("2026-03-02", "2026-06-22", 9)]
