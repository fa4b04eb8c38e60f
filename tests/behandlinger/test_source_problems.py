# ruff: noqa: E501 -- SQL in assertions reads better on one line
"""Problems in the source never stop publishing (CONTRACT §6): a policy pointing at an
information type the log never shows, a policy on an unknown behandling, an unknown processor and
a code deleted from its codelist are kept, published, counted in behandlinger_int.referanseavvik
and printed under «Kildeendringer» by the shared scenario run (which must exit 0, conftest
`stage`)."""

from __future__ import annotations

import duckdb
from polly_log import Polly, Stage, process_data, scenario, uid

from metrikk.publish import published_path

PROCESS = uid("source-problem-process")
NO_IT_POLICY = uid("source-problem-policy-unknown-it")
MISSING_IT = uid("source-problem-it-never-logged")
EMPTY_IT_POLICY = uid("source-problem-policy-without-it")
NO_PROCESS_POLICY = uid("source-problem-policy-unknown-process")
MISSING_PROCESS = uid("source-problem-process-never-logged")
MISSING_PROCESSOR = uid("source-problem-processor-never-logged")
KNOWN_IT = uid("source-problem-it")


@scenario
def _source_problem_rows(p: Polly) -> None:
    p.information_type(KNOWN_IT)
    # SYS_090 is created, then deleted from the SYSTEM list in 2022; the process still lists it.
    p.codelist("SYSTEM", "SYS_090", "Sys-090", time="2020-01-14T07:31:05")
    p.codelist("SYSTEM", "SYS_090", "Sys-090", time="2022-05-03T10:00:00", action="DELETE")
    p.codelist("SYSTEM", "SYS_LIVE", "Sys-live", time="2020-01-14T07:31:05")
    affiliation = {
        "department": "YTA",
        "subDepartments": [],
        "productTeams": [],
        "products": ["SYS_090", "SYS_LIVE"],
    }
    p.process(
        PROCESS,
        "2023-02-01T08:00:00",
        process_data(
            number=851,
            affiliation=affiliation,
            dataProcessing={"dataProcessor": True, "processors": [MISSING_PROCESSOR]},
        ),
        action="CREATE",
    )
    p.policy(NO_IT_POLICY, "2023-02-01T09:00:00", PROCESS, MISSING_IT, action="CREATE")
    p.policy(NO_PROCESS_POLICY, "2023-02-01T09:00:00", MISSING_PROCESS, KNOWN_IT, action="CREATE")
    p.audit(
        "POLICY",
        EMPTY_IT_POLICY,
        "2023-02-01T09:00:00",
        {"id": EMPTY_IT_POLICY, "process": {"id": PROCESS}, "data": {"purposes": ["AAP"]}},
        action="CREATE",
    )


def _published(stage: Stage, sql: str, params: list) -> list[tuple]:
    path = published_path(stage.warehouse)
    assert path is not None, "the run published nothing"
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def test_policy_with_unknown_information_type_is_published(stage: Stage) -> None:
    """The run succeeds and publishes policies whose information type is unknown or missing, with
    their ids as the source gives them."""
    rows = _published(
        stage,
        "SELECT policyId, informationTypeId, slettet FROM behandlinger.stage_policy WHERE policyId IN (?, ?) ORDER BY policyId",
        [NO_IT_POLICY, EMPTY_IT_POLICY],
    )
    assert sorted(rows) == sorted(
        [(NO_IT_POLICY, MISSING_IT, False), (EMPTY_IT_POLICY, None, False)]
    )


def test_unknown_behandling_and_processor_are_published(stage: Stage) -> None:
    """A policy on a behandling the log never shows stays in the bridge (behandlingSlettet unknown),
    and a processor the log never shows keeps its row in stage_dataprocessors."""
    bridge = _published(
        stage,
        "SELECT behandlingId, behandlingSlettet FROM behandlinger.stage_bridge_policy_behandling WHERE policyId = ?",
        [NO_PROCESS_POLICY],
    )
    assert bridge == [(MISSING_PROCESS, None)]
    processors = _published(
        stage,
        "SELECT dataprocessorId, name FROM behandlinger.stage_dataprocessors WHERE behandlingId = ?",
        [PROCESS],
    )
    assert processors == [(MISSING_PROCESSOR, None)]


def test_deleted_code_is_not_a_known_code(stage: Stage) -> None:
    """A code deleted from SYSTEM keeps its row with kjentKode false and kodeSlettet true; a live
    code is known."""
    rows = stage.query(
        "SELECT code, shortName, kjentKode, kodeSlettet FROM behandlinger.stage_systems WHERE behandlingId = ? ORDER BY code",
        [PROCESS],
    )
    assert rows == [("SYS_090", "Sys-090", False, True), ("SYS_LIVE", "Sys-live", True, False)]


def test_source_problems_are_counted(stage: Stage) -> None:
    """Each problem is one row of behandlinger_int.referanseavvik with its count and an example
    (no other scenario has these problems, so the counts are exactly this scenario's)."""
    rows = stage.query(
        "SELECT tabell, felt, avvik, antall, antall_verdier, eksempel FROM behandlinger_int.referanseavvik "
        "WHERE avvik NOT LIKE '%finnes i kodeverket%' ORDER BY ALL"
    )
    assert rows == [
        (
            "behandlinger.stage_bridge_policy_behandling",
            "behandlingId",
            "peker på en behandling revisjonsloggen ikke viser",
            1,
            1,
            MISSING_PROCESS,
        ),
        (
            "behandlinger.stage_dataprocessors",
            "dataprocessorId",
            "peker på en databehandler revisjonsloggen ikke viser",
            1,
            1,
            MISSING_PROCESSOR,
        ),
        ("behandlinger.stage_policy", "informationTypeId", "mangler informationTypeId", 1, 0, None),
        (
            "behandlinger.stage_policy",
            "informationTypeId",
            "peker på en opplysningstype revisjonsloggen ikke viser",
            1,
            1,
            MISSING_IT,
        ),
        (
            "behandlinger.stage_systems",
            "code",
            "bruker en kode som er slettet fra kodeverket SYSTEM",
            1,
            1,
            "SYS_090",
        ),
    ]


def test_source_problems_are_reported_by_the_run(stage: Stage) -> None:
    """`metrikk run` exits 0 (conftest) and names each problem under «Kildeendringer»."""
    text = " ".join(stage.run_output.split())
    assert "Kildeendringer" in text
    for line in [
        f"behandlinger.stage_policy informationTypeId: 1 rader peker på en opplysningstype revisjonsloggen ikke viser (1 ulike verdier, f.eks. «{MISSING_IT}»)",
        "behandlinger.stage_policy informationTypeId: 1 rader mangler informationTypeId (0 ulike verdier)",
        f"behandlinger.stage_bridge_policy_behandling behandlingId: 1 rader peker på en behandling revisjonsloggen ikke viser (1 ulike verdier, f.eks. «{MISSING_PROCESS}»)",
        f"behandlinger.stage_dataprocessors dataprocessorId: 1 rader peker på en databehandler revisjonsloggen ikke viser (1 ulike verdier, f.eks. «{MISSING_PROCESSOR}»)",
        "behandlinger.stage_systems code: 1 rader bruker en kode som er slettet fra kodeverket SYSTEM (1 ulike verdier, f.eks. «SYS_090»)",
    ]:
        assert line in text, line
