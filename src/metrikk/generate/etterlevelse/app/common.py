"""What every part of the etterlevelse app generator shares: the krav version and document
records, the row envelopes of generic storage and of the own tables, and `AppBase` (state,
`emit`, users, save times).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from metrikk.generate.etterlevelse.base import NO_USER_E, Person, Rng, Sink, dumps, iso
from metrikk.generate.etterlevelse.polly.common import Process

SYSTEM_USER_E = "etterlevelse-backend"


@dataclass
class KravVersion:
    id: str
    nummer: int
    versjon: int
    created: datetime
    activated: datetime | None
    ended: datetime | None  # UTGAATT from this moment
    payload: dict
    sk_ids: list[int]
    relevans: list[str]
    owners: list[Person]

    def active_at(self, t: datetime) -> bool:
        return (
            self.activated is not None
            and self.activated <= t
            and (self.ended is None or t < self.ended)
        )


@dataclass
class Doc:
    id: str
    index: int
    migrated: bool
    behandling: str | None
    created: datetime
    team: list[Person]
    irrelevans: list[str]
    rng: Rng
    nummer: int = 0
    edits: list[datetime] = field(default_factory=list)
    deleted: datetime | None = None
    last_activity: datetime | None = None
    state: dict = field(default_factory=dict)
    pre_answers: list = field(default_factory=list)
    targets: dict = field(default_factory=dict)
    state_until: dict = field(default_factory=dict)
    showcase: bool = False


def _stamps(created: datetime | str, created_by: str, t: datetime, by: str) -> dict:
    c = created if isinstance(created, str) else iso(created)
    return {
        "createdBy": created_by,
        "createdDate": c,
        "lastModifiedBy": by,
        "lastModifiedDate": iso(t),
    }


def envelope(
    eid: str,
    typ: str,
    dom: dict,
    created: datetime | str,
    created_by: str,
    t: datetime,
    by: str,
    v: int,
) -> dict:
    """Generic-storage row: {id, type, data:{…}, createdBy, …, version}."""
    st = _stamps(created, created_by, t, by)
    dom["changeStamp"] = st
    dom["version"] = v
    return {"id": eid, "type": typ, "data": dom, **st, "version": v}


def own(root: dict, created: datetime | str, created_by: str, t: datetime, by: str, v: int) -> dict:
    root.update(_stamps(created, created_by, t, by))
    root["version"] = v
    return root


class AppBase:
    """State of one run of the etterlevelse app and the helpers every entity uses.

    The entity parts (codelist, krav, dokument, besvarelser, metadata, relasjoner, pvk,
    meldinger) are mixins on this class; `AppGenerator` combines them. State set by one part
    and read by others: `lov` (codelist.py), `kravs` (krav.py; read through `krav_at` and
    `relevant`), `docs_list` (dokument.py), and `current`, the rows of the current tables.
    """

    # Set by the entity parts (see above); declared here so each part can be read on its own.
    lov: list[str]
    kravs: dict[int, list[KravVersion]]
    docs_list: list[Doc]

    def __init__(
        self,
        seed: int,
        params: dict,
        people: list[Person],
        processes: list[Process],
        horizon: datetime,
        until: datetime,
        sink: Sink,
        progress=None,
    ):
        self.seed = seed
        self.p = params
        self.people = people
        self.processes = processes
        self.horizon = horizon
        self.until = until
        self.sink = sink
        self.progress = progress
        self.current: dict[str, dict[str, list]] = {}
        self.kraveiere = people[-max(6, len(people) // 40) :]
        self.admins = self.kraveiere[:3]
        self.showcase_left = 3
        self.proc_sorted = sorted(processes, key=lambda p: p.created)
        self.proc_created = [p.created for p in self.proc_sorted]

    # --- emitting ---
    def emit(
        self,
        rng: Rng,
        action: str,
        table: str,
        table_id: str,
        t: datetime,
        user: str,
        version: int,
        data: dict,
    ) -> None:
        # The audit id is drawn even for rows after `until`, so the draws never depend on it.
        audit_id = rng.uuid()
        if t <= self.until:
            self.sink.add(audit_id, action, table, table_id, t, user, version, dumps(data))

    def user(self, rng: Rng, team: list[Person]) -> str:
        r = rng.random()
        if r < 0.003:
            return NO_USER_E
        if r < 0.005:
            return SYSTEM_USER_E
        return rng.pick(team).user

    def save_times(self, rng: Rng, start: datetime, n: int, limit: datetime) -> list[datetime]:
        """n save moments from start, bursty, with an occasional exact repeat (a timestamp tie)."""
        times = [start]
        while len(times) < n:
            if rng.chance(0.012):
                times.append(times[-1])
                continue
            t = rng.next_save(times[-1], limit)
            if t <= times[-1]:
                break
            times.append(t)
        return times
