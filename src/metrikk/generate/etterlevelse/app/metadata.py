"""EtterlevelseMetadata (assignees and notes per document and krav) and the current
`etterlevelse_etterlevelse_metadata` table.
"""

from __future__ import annotations

from datetime import datetime

from metrikk.generate.etterlevelse import base as b
from metrikk.generate.etterlevelse.app.common import AppBase, Doc, KravVersion, envelope, own
from metrikk.generate.etterlevelse.base import MIGRATION, dumps, sentences


class MetadataMixin(AppBase):
    """EtterlevelseMetadata audit rows and current rows."""

    def _metadata(self, doc: Doc, kv: KravVersion, t0: datetime, end: datetime) -> None:
        rng = doc.rng
        mid = rng.uuid()
        t0 = max(t0, b.METADATA_START)
        created_by = self.user(rng, doc.team)
        tildelt = [p.user for p in rng.some(doc.team, 0, 2)]
        notater = sentences(rng, 1, 2) if rng.chance(0.3) else None
        times = self.save_times(rng, t0, rng.randint(1, 4), max(end, t0))
        deleted = rng.chance(0.05)
        alive = True
        current = None
        for v, t in enumerate(times):
            action = (
                "CREATE"
                if v == 0
                else ("DELETE" if deleted and v == len(times) - 1 and v > 0 else "UPDATE")
            )
            if action == "DELETE":
                alive = alive and t > self.until
            elif v:
                if rng.chance(0.5):
                    tildelt = [p.user for p in rng.some(doc.team, 0, 2)]
                else:
                    notater = sentences(rng, 1, 3)
            by = created_by if v == 0 else self.user(rng, doc.team)
            if t < b.METADATA_OWN_TABLE:
                dom = {"id": mid, "behandlingId": doc.behandling}
                if t >= MIGRATION:
                    dom["etterlevelseDokumentasjonId"] = doc.id
                dom.update(
                    kravNummer=kv.nummer,
                    kravVersjon=kv.versjon,
                    tildeltMed=tildelt,
                    notater=notater,
                )
                self.emit(
                    rng,
                    action,
                    "EtterlevelseMetadata",
                    mid,
                    t,
                    by,
                    v,
                    envelope(mid, "EtterlevelseMetadata", dom, t0, created_by, t, by, v),
                )
            else:
                root = {
                    "id": mid,
                    "kravNummer": kv.nummer,
                    "kravVersjon": kv.versjon,
                    "etterlevelseDokumentasjonId": doc.id,
                    "data": {"tildeltMed": tildelt, "notater": notater},
                }
                self.emit(
                    rng,
                    action,
                    "ETTERLEVELSE_METADATA",
                    mid,
                    t,
                    by,
                    v,
                    own(root, t0, created_by, t, by, v),
                )
            if t <= self.until:
                current = {"tildeltMed": list(tildelt), "notater": notater}
        doc_alive = doc.deleted is None or doc.deleted > self.until
        if current is not None and alive and doc_alive:
            m = self.current["etterlevelse_etterlevelse_metadata"]
            m["id"].append(mid)
            m["krav_nummer"].append(kv.nummer)
            m["krav_versjon"].append(kv.versjon)
            m["etterlevelse_dokumentasjon"].append(doc.id)
            m["data"].append(dumps(current))
