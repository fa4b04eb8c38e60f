"""DOCUMENT_RELATION rows: documents that inherit from or copy another."""

from __future__ import annotations

from datetime import timedelta

from metrikk.generate.etterlevelse import base as b
from metrikk.generate.etterlevelse.app.common import AppBase, own
from metrikk.generate.etterlevelse.base import entity_rng


class RelasjonerMixin(AppBase):
    """DOCUMENT_RELATION audit rows."""

    def relations(self) -> None:
        rng = entity_rng(self.seed, "relations", 0)
        children = [
            dd
            for dd in self.docs_list
            if not dd.migrated and dd.created >= b.DOCUMENT_RELATION and dd.edits
        ]
        mothers = [dd for dd in self.docs_list if dd.edits]
        seen = set()
        for child in children[: self.p["relations"] * 3]:
            if len(seen) >= self.p["relations"]:
                break
            cands = [
                m
                for m in mothers
                if m.edits[0] < child.created
                and m is not child
                and (m.deleted is None or m.deleted > child.created)
            ]
            if not cands or not rng.chance(0.5):
                continue
            mother = rng.pick(cands)
            if (mother.id, child.id) in seen:
                continue
            seen.add((mother.id, child.id))
            t = child.created + timedelta(seconds=rng.uniform(1, 30))
            rtype = rng.pick(["ARVER", "ENGANGSKOPI", "BYGGER"], [80, 14, 6])
            if b.RELATION_KOPI[0] <= t <= b.RELATION_KOPI[1]:
                rtype = "KOPI"
            rid = rng.uuid()
            by = child.team[0].user
            events = [("CREATE", t)]
            if rng.chance(0.1):
                events.append(("UPDATE", rng.moment(t, self.horizon)))
            if rng.chance(0.1) or (child.deleted and rng.chance(0.5)):
                events.append(("DELETE", rng.moment(events[-1][1], self.horizon)))
            for v, (action, te) in enumerate(events):
                u = by if v == 0 else self.user(rng, child.team)
                data = None if v == 0 or rng.chance(0.5) else {}
                root = {
                    "id": rid,
                    "relationType": rtype,
                    "fromDocument": mother.id,
                    "toDocument": child.id,
                    "data": data,
                }
                self.emit(
                    rng, action, "DOCUMENT_RELATION", rid, te, u, v, own(root, t, by, te, u, v)
                )
