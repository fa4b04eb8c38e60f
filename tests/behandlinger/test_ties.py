# ruff: noqa: E501 -- SQL in assertions reads better on one line
"""Ties in polly's audit log (CONTRACT §6): the current version is the latest by time, then the
payload's root lastModifiedDate, then a DELETE after any other action, then audit_id.

Each audit_id below is chosen so that ordering by audit_id alone would pick the wrong row.
"""

from __future__ import annotations

from polly_log import Polly, Stage, process_data, scenario, uid

V113 = "2019-12-19T10:14:07.356"  # PM:V1.13 set every older audit row to this one time

MIGRATED = uid("ties-v113-process")
MIGRATED_POLICY = uid("ties-v113-policy")
SAME_TIME_POLICY = uid("ties-same-time-policy")
LIVE_POLICY = uid("ties-live-policy")
TIE_IT = uid("ties-it")


def _audit_id(n: int) -> str:
    return f"00000000-0000-0000-0000-{n:012d}"


@scenario
def _tie_rows(p: Polly) -> None:
    p.information_type(TIE_IT, time="2020-01-10T00:00:00")
    # A process saved three times before V1.13: one time, three stamps. The last save has the
    # lowest audit_id and other legal bases.
    first = process_data(
        name="Første", number=801, legalBases=[{"gdpr": "ART61A", "nationalLaw": "FTRL"}]
    )
    middle = process_data(
        name="Andre", number=801, legalBases=[{"gdpr": "ART61B", "nationalLaw": "FTRL"}]
    )
    last = process_data(
        name="Tredje",
        number=801,
        legalBases=[
            {"gdpr": "ART61C", "nationalLaw": "FTRL"},
            {"gdpr": "ART61E", "nationalLaw": "FTRL"},
        ],
    )
    p.process(
        MIGRATED,
        V113,
        first,
        action="CREATE",
        audit_id=_audit_id(903),
        lastModifiedDate="2019-11-01T09:00:00",
    )
    p.process(
        MIGRATED, V113, middle, audit_id=_audit_id(902), lastModifiedDate="2019-11-15T09:00:00.5"
    )
    p.process(MIGRATED, V113, last, audit_id=_audit_id(901), lastModifiedDate="2019-12-02T09:00:00")
    # A policy with CREATE, UPDATE, UPDATE, DELETE at the migration time; the DELETE carries the
    # stamp of the last UPDATE.
    for n, (action, stamp) in enumerate(
        [
            ("CREATE", "2019-11-01T09:00:01"),
            ("UPDATE", "2019-11-02T09:00:00"),
            ("UPDATE", "2019-11-03T09:00:00"),
            ("DELETE", "2019-11-03T09:00:00"),
        ]
    ):
        p.policy(
            MIGRATED_POLICY,
            V113,
            MIGRATED,
            TIE_IT,
            action=action,
            audit_id=_audit_id(913 - n),
            lastModifiedDate=stamp,
        )
    # A policy created and deleted at one time, with one stamp.
    for n, action in enumerate(["CREATE", "DELETE"]):
        p.policy(
            SAME_TIME_POLICY,
            "2021-03-01T12:00:00",
            MIGRATED,
            TIE_IT,
            action=action,
            audit_id=_audit_id(921 - n),
            lastModifiedDate="2021-03-01T12:00:00",
        )
    # A policy that stays: it is bridged.
    p.policy(
        LIVE_POLICY,
        "2021-03-01T12:00:00",
        MIGRATED,
        TIE_IT,
        action="CREATE",
        lastModifiedDate="2021-03-01T12:00:00",
    )


def test_v113_one_timestamp_saves_are_ordered_by_last_modified_date(stage: Stage) -> None:
    """Saves that V1.13 gave one time are ordered by lastModifiedDate: the last save is current, and
    its legal bases are the ones in stage_behandlingsgrunnlag."""
    rows = stage.query(
        "SELECT name, aktivObservasjon FROM behandlinger.stage_behandlinger WHERE behandlingId = ? ORDER BY auditId DESC",
        [MIGRATED],
    )
    assert rows == [("Første", False), ("Andre", False), ("Tredje", True)]
    grunnlag = stage.query(
        "SELECT legalBasisNr, gdpr FROM behandlinger.stage_behandlingsgrunnlag WHERE behandlingId = ? ORDER BY 1",
        [MIGRATED],
    )
    assert grunnlag == [(1, "ART61C"), (2, "ART61E")]


def test_policy_deleted_at_its_last_save_time_is_deleted_and_not_bridged(stage: Stage) -> None:
    """A policy whose DELETE ties with its last UPDATE (V1.13), and one created and deleted at one
    time, are slettet with action DELETE and are not in the bridge; a live policy is."""
    rows = stage.query(
        "SELECT policyId, action, slettet FROM behandlinger.stage_policy WHERE policyId IN (?, ?, ?) ORDER BY policyId",
        [MIGRATED_POLICY, SAME_TIME_POLICY, LIVE_POLICY],
    )
    assert sorted(rows) == sorted(
        [
            (MIGRATED_POLICY, "DELETE", True),
            (SAME_TIME_POLICY, "DELETE", True),
            (LIVE_POLICY, "CREATE", False),
        ]
    )
    bridged = stage.query(
        "SELECT policyId FROM behandlinger.stage_bridge_policy_behandling WHERE behandlingId = ?",
        [MIGRATED],
    )
    assert bridged == [(LIVE_POLICY,)]
