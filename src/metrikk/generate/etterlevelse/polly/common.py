"""What every part of the polly generator shares: the `Process` record the etterlevelse side
reads, the audit user and timestamp rules, and `PollyBase` (state, `emit`, legal bases).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from metrikk.generate.etterlevelse.base import (
    NO_USER_P,
    P_TIME_FIX,
    P_USER_COLUMN,
    Person,
    Rng,
    Sink,
    dumps,
    iso,
)
from metrikk.generate.etterlevelse.polly.codes import GDPR, NATIONAL_LAW


@dataclass
class Process:
    """A PROCESS with the facts the etterlevelse side needs (behandlingIds)."""

    id: str
    index: int
    created: datetime
    deleted: datetime | None
    number: int = 0
    policies: list[tuple[datetime, datetime | None, str]] = field(default_factory=list)


def audit_user(rng: Rng, t: datetime, owners: list[Person]) -> str:
    if t < P_USER_COLUMN:
        return "n/a"
    if rng.chance(0.008):
        return NO_USER_P
    return rng.pick(owners).user


def stamp_root(root: dict, created: datetime, created_by: str, t: datetime, by: str) -> dict:
    root["createdBy"] = created_by
    root["createdDate"] = iso(created)
    root["lastModifiedBy"] = by
    root["lastModifiedDate"] = iso(t)
    return root


def _audit_time(t: datetime) -> datetime:
    # V1.13 turned TIME from DATE into TIMESTAMP and set every existing row to the migration time.
    return P_TIME_FIX if t < P_TIME_FIX else t


class PollyBase:
    """State of one polly run and the helpers every audited table uses.

    The table parts (codelist, processor, information_type, process, policy) are mixins on this
    class; `PollyGenerator` combines them. State set by one part and read by others: the code
    lists (`codes`, `code_times`, `deleted_codes`; read through `codes_at`, codelist.py),
    the processors (`processor_created`, `processor_ids`; set in `run`) and the information
    types by existence (`it_sorted`, `it_exists`; set in `processes`).
    """

    # Set by the table parts (see above); declared here so each part can be read on its own.
    code_times: dict[str, list[tuple[datetime, str]]]
    deleted_codes: dict[tuple[str, str], datetime]
    processor_created: list[datetime]
    processor_ids: list[str]
    it_sorted: list[dict]
    it_exists: list[datetime]

    def __init__(
        self,
        seed: int,
        params: dict,
        people: list[Person],
        horizon: datetime,
        until: datetime,
        sink: Sink,
    ):
        self.seed = seed
        self.p = params
        self.people = people
        self.horizon = horizon
        self.until = until
        self.sink = sink
        self.admins = people[: max(4, len(people) // 60)]
        self.codes: dict[str, list[str]] = {}

    # --- helpers ---
    def emit(
        self, rng: Rng, action: str, table: str, table_id: str, t: datetime, user: str, data: dict
    ) -> None:
        at = _audit_time(t)
        audit_id = rng.uuid()  # drawn even after `until`, so the draws never depend on it
        if at <= self.until:
            self.sink.add(audit_id, action, table, table_id, at, user, dumps(data))

    def _legal_bases(self, rng: Rng, n: int) -> list[dict]:
        out = []
        for _ in range(n):
            gdpr = rng.pick(list(GDPR), [2, 2, 30, 1, 30, 3, 2, 10, 1, 1, 1, 1, 6, 5, 1, 2])
            law = rng.pick(list(NATIONAL_LAW), [30, 10, 8, 3, 2, 5, 4, 6, 5, 3, 4, 2, 3, 3, 2, 2])
            out.append(
                {
                    "gdpr": gdpr,
                    "nationalLaw": law,
                    "description": f"§ {rng.randint(1, 25)}-{rng.randint(1, 15)}",
                }
            )
        return out
