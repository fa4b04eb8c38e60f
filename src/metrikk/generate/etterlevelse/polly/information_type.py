"""INFORMATION_TYPE rows: the timeline is drawn first, the rows are written once the policies
that use each type are known.
"""

from __future__ import annotations

from datetime import timedelta

from metrikk.generate.etterlevelse.base import (
    P_AUDIT_START,
    P_IKKE_POL,
    P_IT_BACKFILL,
    P_ORG_MASTER,
    Rng,
    entity_rng,
    sentences,
)
from metrikk.generate.etterlevelse.polly.codes import CATEGORIES, IT_WORDS, THIRD_PARTIES
from metrikk.generate.etterlevelse.polly.common import PollyBase, audit_user, stamp_root


class InformationTypeMixin(PollyBase):
    """INFORMATION_TYPE timelines and audit rows."""

    def information_types(self) -> list[dict]:
        its = []
        for i in range(self.p["information_types"]):
            rng = entity_rng(self.seed, "information-type", i)
            pre = rng.chance(0.55)
            created = P_IT_BACKFILL if pre else rng.moment(P_AUDIT_START, self.horizon)
            sens = rng.pick(["POL", "SAERLIGE", "STRAFF", "IKKE_POL"], [70, 20, 3, 7])
            if sens == "IKKE_POL" and created < P_IKKE_POL:
                sens = "POL"
            times = [created]
            for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 5))):
                t = rng.moment(times[-1] + timedelta(days=3), times[-1] + timedelta(days=600))
                if t > self.horizon:
                    break
                times.append(t)
            its.append(
                {
                    "id": rng.uuid(),
                    "rng": rng,
                    "pre": pre,
                    "created": created,
                    # types from before the audit log existed long before their backfilled CREATE
                    "exists": P_AUDIT_START - timedelta(days=30) if pre else created,
                    "times": times,
                    "name": f"{rng.pick(CATEGORIES).capitalize()} – {rng.pick(IT_WORDS)} {i}",
                    "sensitivity": sens,
                    "policies": [],
                }
            )
        return its

    def write_information_types(self, its: list[dict]) -> None:
        for it in its:
            rng: Rng = it["rng"]
            systems = self.codes_at("SYSTEM", it["exists"])
            iid = it["id"]
            owners = rng.some(self.people, 1, 2)
            data = {
                "name": it["name"],
                "description": sentences(rng, 1, 2),
                "sensitivity": it["sensitivity"],
                "orgMaster": rng.pick(systems),
                "productTeams": [rng.uuid() for _ in range(rng.randint(0, 2))],
                "categories": rng.some(CATEGORIES, 1, 3),
                "sources": rng.some(THIRD_PARTIES, 0, 3),
                "keywords": rng.some(
                    ["sak", "vedtak", "inntekt", "helse", "adresse", "konto"], 0, 3
                ),
                "suggest": None,
            }
            created = it["created"]
            created_by = "system" if it["pre"] else rng.pick(owners).user
            deleted = None
            if (
                not it["policies"]
                and rng.chance(0.25)
                and it["times"][-1] < self.horizon - timedelta(days=30)
            ):
                deleted = rng.moment(it["times"][-1] + timedelta(days=1), self.horizon)
            events = [("CREATE", t) if k == 0 else ("UPDATE", t) for k, t in enumerate(it["times"])]
            if deleted:
                events.append(("DELETE", deleted))
            term = f"term-{rng.randrange(10**6):06d}"
            for k, (action, t) in enumerate(events):
                if k and action == "UPDATE":
                    if rng.chance(0.5):
                        data["description"] = sentences(rng, 1, 3)
                    else:
                        data["categories"] = rng.some(CATEGORIES, 1, 3)
                user = created_by if k == 0 else audit_user(rng, t, owners)
                shown = dict(data)
                if t < P_ORG_MASTER:
                    shown["navMaster"] = shown.pop("orgMaster")
                root = {
                    "id": iid,
                    "termId": term,
                    "data": shown,
                    "policies": [
                        {"id": pid}
                        for c, dl, pid in it["policies"]
                        if c <= t and (dl is None or dl > t)
                    ],
                }
                self.emit(
                    rng,
                    action,
                    "INFORMATION_TYPE",
                    iid,
                    t,
                    user,
                    stamp_root(root, created, created_by, t, user),
                )
