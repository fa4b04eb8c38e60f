"""POLICY rows: which information type a process uses, for which purpose."""

from __future__ import annotations

from datetime import datetime, timedelta

from metrikk.generate.etterlevelse.base import (
    P_DOCUMENT_IDS,
    P_POLICY_DATA,
    P_SUB_DEPARTMENTS,
    P_SUBJECT_CATEGORIES,
    Person,
    Rng,
)
from metrikk.generate.etterlevelse.polly.codes import SUBJECT_CATEGORIES
from metrikk.generate.etterlevelse.polly.common import PollyBase, Process, audit_user, stamp_root


class PolicyMixin(PollyBase):
    """POLICY audit rows (before V1.20 without a data column)."""

    def _policy(
        self,
        rng: Rng,
        pid: str,
        proc: Process,
        it: dict,
        created: datetime,
        deleted: datetime | None,
        owners: list[Person],
    ) -> None:
        purposes = [rng.pick(self.codes_at("PURPOSE", created))]
        cats = [rng.pick(SUBJECT_CATEGORIES, [60, 10, 5, 8, 6, 4, 3, 2, 2])]
        if rng.chance(0.25):
            cats += [c for c in rng.some(SUBJECT_CATEGORIES, 1, 2) if c not in cats]
        inherited = rng.chance(0.8)
        legal = [] if inherited else self._legal_bases(rng, 1)
        use = (
            "INHERITED_FROM_PROCESS"
            if inherited
            else rng.pick(["DEDICATED_LEGAL_BASES", "EXCESS_INFO", "UNRESOLVED"], [6, 2, 2])
        )
        docs = [rng.uuid()] if rng.chance(0.08) else []
        times = [created]
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
            t = rng.moment(times[-1] + timedelta(minutes=1), deleted or self.horizon)
            if t <= times[-1]:
                break
            times.append(t)
        events = [("CREATE", times[0])] + [("UPDATE", t) for t in times[1:]]
        if deleted:
            events.append(("DELETE", deleted))
        created_by = audit_user(rng, created, owners)
        for k, (action, t) in enumerate(events):
            if action == "UPDATE" and rng.chance(0.5):
                cats = rng.some(SUBJECT_CATEGORIES, 1, 3)
            user = created_by if k == 0 else audit_user(rng, t, owners)
            root: dict = {
                "id": pid,
                "informationTypeId": it["id"],
                "informationTypeName": it["name"],
                "informationType": {"id": it["id"]},
                "process": {"id": proc.id},
            }
            if t < P_POLICY_DATA:
                # Before V1.20 the policy had no data column: its fields were root columns.
                root["purposeCode"] = purposes[0]
                if t < P_SUBJECT_CATEGORIES:
                    root["subjectCategory"] = cats[0]
                else:
                    root["subjectCategories"] = cats
                root["legalBasesInherited"] = inherited
                root["legalBases"] = legal
                root["start"] = "0001-01-01"
                root["end"] = "9999-12-31"
            else:
                data = {
                    "purposes": purposes,
                    "subjectCategories": cats,
                    "legalBasesInherited": inherited,
                    "legalBases": legal,
                }
                if t >= P_SUB_DEPARTMENTS:
                    data["legalBasesUse"] = use
                if t >= P_DOCUMENT_IDS:
                    data["documentIds"] = docs
                root["data"] = data
            self.emit(
                rng, action, "POLICY", pid, t, user, stamp_root(root, created, created_by, t, user)
            )
