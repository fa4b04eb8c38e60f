"""Besvarelser: the answers a document gives to a krav (`Etterlevelse`, then own table
`ETTERLEVELSE`), with their suksesskriterium elements in every era's shape.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from metrikk.generate.etterlevelse import base as b
from metrikk.generate.etterlevelse.app.common import AppBase, Doc, KravVersion, envelope, own
from metrikk.generate.etterlevelse.base import MIGRATION, iso, sentences

SK_FINAL = ("OPPFYLT", "UNDER_ARBEID", "IKKE_RELEVANT", "IKKE_OPPFYLT")


class BesvarelserMixin(AppBase):
    """Answer entities before and after the migration."""

    def _pre_answers(self, doc: Doc, start: datetime, *, long: bool, delete_all: bool) -> list:
        """Answers saved before the migration (behandlingId only); returns the live entities."""
        rng = doc.rng
        end = MIGRATION - timedelta(hours=2)
        numbers = [
            nr
            for nr, vs in self.kravs.items()
            if any(v.activated and v.activated < end for v in vs)
        ]
        numbers = [
            nr for nr in numbers if self.relevant(self.kravs[nr][0].relevans, doc.irrelevans)
        ]
        k = max(1, int(len(numbers) * rng.uniform(0.15, 0.45)))
        live = []
        for nr in rng.sample(numbers, min(k, len(numbers))):
            lo = start
            first_active = next((v.activated for v in self.kravs[nr] if v.activated), None)
            if first_active and first_active > lo:
                lo = first_active
            if lo >= end:
                continue
            t0 = (
                rng.moment(lo, end)
                if not long
                else rng.moment(lo, min(end, lo + timedelta(days=300)))
            )
            kv = self.krav_at(nr, t0)
            if kv is None:
                continue
            ans = self._answer(doc, kv, t0, end, pre=True, delete=delete_all)
            if ans is not None:
                live.append(ans)
        if long:
            # Guarantee each legacy era is exercised by this behandling.
            for when in (
                b.d(2021, 6, 7),
                b.d(2021, 8, 16),
                b.d(2021, 12, 6),
                b.d(2022, 5, 16),
                b.d(2023, 1, 9),
            ):
                nrs = [nr for nr in numbers if self.krav_at(nr, when)]
                if nrs:
                    kv = self.krav_at(rng.pick(nrs), when)
                    ans = self._answer(
                        doc,
                        kv,
                        rng.moment(when, when + timedelta(days=3)),
                        end,
                        pre=True,
                        delete=False,
                        quirk=True,
                    )
                    if ans is not None:
                        live.append(ans)
        return live

    def _answer(
        self,
        doc: Doc,
        kv: KravVersion,
        t0: datetime,
        limit: datetime,
        *,
        pre: bool,
        delete: bool = False,
        quirk: bool = False,
        entity: dict | None = None,
    ):
        """Write one answer entity's saves from t0 up to `limit`; returns it for continuation."""
        rng = doc.rng
        if entity is None:
            n_sk = len(kv.sk_ids)
            empty = rng.chance(0.05)
            profile = rng.pick(SK_FINAL, [50, 22, 22, 6])
            finals = [
                profile if rng.chance(0.7) else rng.pick(SK_FINAL, [50, 22, 22, 6])
                for _ in range(n_sk)
            ]
            entity = {
                "id": rng.uuid(),
                "kv": kv,
                "created": t0,
                "created_iso": iso(t0),
                "created_by": self.user(rng, doc.team),
                "v": 0,
                "sk": []
                if empty
                else [
                    [sid, f, "", rng.chance(0.25)] for sid, f in zip(kv.sk_ids, finals, strict=True)
                ],
                "frist": (t0 + timedelta(days=rng.randint(30, 200))).date().isoformat()
                if rng.chance(0.2)
                else None,
                "dok": [f"https://confluence.adeo.no/x/{rng.randrange(10**6)}"]
                if rng.chance(0.3)
                else [],
                "quirk": quirk,
            }
        n = min(15, 1 + int(rng.expovariate(1 / 2.3))) if not quirk else 3
        times = self.save_times(rng, t0, n, limit)
        if delete or rng.chance(0.015):
            times.append(rng.next_save(times[-1], limit))
            deleting = True
        else:
            deleting = False
        total = len(times)
        for j, t in enumerate(times):
            action = (
                "CREATE"
                if entity["v"] == 0 and j == 0
                else ("DELETE" if deleting and j == total - 1 else "UPDATE")
            )
            progress = (j + 1) / total
            for el in entity["sk"]:
                # The free-text begrunnelse is written along the way; some stay empty.
                if (
                    not el[2]
                    and (progress >= 0.999 or rng.chance(progress * 0.6))
                    and rng.chance(0.9)
                ):
                    el[2] = sentences(rng, 1, 2)
            by = entity["created_by"] if entity["v"] == 0 else self.user(rng, doc.team)
            if entity["v"] > 0 and j > 0 and t == times[j - 1] and rng.chance(0.15):
                entity["v"] -= 1  # a double write: same timestamp and same version
            self._emit_answer(doc, entity, t, by, action, progress)
            entity["v"] += 1
        return None if deleting else entity

    def _emit_answer(
        self, doc: Doc, e: dict, t: datetime, by: str, action: str, progress: float
    ) -> None:
        rng = doc.rng
        kv: KravVersion = e["kv"]
        done = progress >= 0.999
        elements = None
        if t >= b.SK_BEGRUNNELSER:
            elements = []
            for sid, final, text, shown_early in e["sk"]:
                status = final if (done or shown_early) else "UNDER_ARBEID"
                el = {"suksesskriterieId": sid, "begrunnelse": text}
                if t < b.SK_OPPFYLT:
                    pass  # the first week: only id and text
                elif t < b.SK_STATUS_ENUM:
                    el["oppfylt"] = status == "OPPFYLT"
                    if t >= b.SK_IKKE_RELEVANT:
                        el["ikkeRelevant"] = status == "IKKE_RELEVANT"
                    if t >= b.SK_UNDER_ARBEID:
                        el["underArbeid"] = status in ("UNDER_ARBEID", "IKKE_OPPFYLT") or (
                            status == "OPPFYLT" and (e["quirk"] or rng.chance(0.2))
                        )
                else:
                    if status == "IKKE_OPPFYLT" and t < b.SK_IKKE_OPPFYLT:
                        status = "UNDER_ARBEID"
                    if status == "UNDER_ARBEID" and t >= b.SK_IKKE_PAABEGYNT and not text:
                        status = "IKKE_PAABEGYNT"
                    el["suksesskriterieStatus"] = status
                if t >= b.SK_VEILEDNING:
                    el["veiledning"] = False
                    el["veiledningsTekst"] = None
                    el["veiledningsTekst2"] = None
                elements.append(el)
        finals = [f for _, f, _, _ in e["sk"]]
        if done and finals and all(f == "IKKE_RELEVANT" for f in finals):
            status = (
                "IKKE_RELEVANT_FERDIG_DOKUMENTERT"
                if t >= b.E_STATUS_IKKE_RELEVANT_FD
                else "IKKE_RELEVANT"
            )
        elif done and finals and rng.chance(0.8):
            status = "FERDIG_DOKUMENTERT"
        else:
            status = rng.pick(
                ["UNDER_REDIGERING", "OPPFYLLES_SENERE", "IKKE_PAABEGYNT"], [85, 7, 8]
            )
        payload = {
            "etterleves": bool(finals) and all(f in ("OPPFYLT", "IKKE_RELEVANT") for f in finals),
            "statusBegrunnelse": sentences(rng, 1, 1) if status == "OPPFYLLES_SENERE" else None,
            "dokumentasjon": e["dok"],
            "fristForFerdigstillelse": e["frist"],
            "status": status,
        }
        if elements is not None:
            payload["suksesskriterieBegrunnelser"] = elements
        v = e["v"]
        doc_id = doc.id if t >= MIGRATION else None
        if t < b.ETTERLEVELSE_OWN_TABLE:
            dom = {"id": e["id"], "behandlingId": doc.behandling}
            if t >= MIGRATION:
                dom["etterlevelseDokumentasjonId"] = doc_id
            dom.update(kravNummer=kv.nummer, kravVersjon=kv.versjon, **payload)
            row = envelope(
                e["id"], "Etterlevelse", dom, e["created_iso"], e["created_by"], t, by, v
            )
            self.emit(rng, action, "Etterlevelse", e["id"], t, by, v, row)
        else:
            root = {
                "id": e["id"],
                "behandlingId": doc.behandling,
                "etterlevelseDokumentasjonId": doc_id,
                "kravNummer": kv.nummer,
                "kravVersjon": kv.versjon,
                "etterlevelseData": payload,
            }
            self.emit(
                rng,
                action,
                "ETTERLEVELSE",
                e["id"],
                t,
                by,
                v,
                own(root, e["created_iso"], e["created_by"], t, by, v),
            )

    def _doc_answers(self, doc: Doc, first: datetime, life_end: datetime) -> None:
        rng = doc.rng
        end = min(life_end, doc.deleted or life_end)
        # Pre-migration answers of a migrated document that is edited again continue with a doc id.
        for e in doc.pre_answers:
            if rng.chance(0.3):
                t0 = rng.moment(first, end)
                if e["kv"].active_at(t0):
                    self._answer(doc, e["kv"], t0, end, pre=False, entity=e)
        activity = rng.pick([0.05, 0.2, 0.4, 0.65], [15, 30, 35, 20])
        mid = first + (end - first) / 2
        numbers = [
            nr for nr, vs in self.kravs.items() if self.relevant(vs[0].relevans, doc.irrelevans)
        ]
        numbers = [
            nr
            for nr in numbers
            if any(
                v.activated and v.activated <= end and (v.ended is None or v.ended > first)
                for v in self.kravs[nr]
            )
        ]
        answered = {e["kv"].nummer for e in doc.pre_answers}
        pool = [nr for nr in numbers if nr not in answered]
        k = int(len(pool) * activity)
        metas = []
        for nr in rng.sample(pool, min(k, len(pool))):
            t0 = rng.moment(first, end) if rng.chance(0.5) else rng.moment(first, mid)
            kv = self.krav_at(nr, t0)
            if kv is None:
                continue
            e = self._answer(doc, kv, t0, end, pre=False)
            # A newer krav version: the document answers it as a new entity.
            newer = [
                v
                for v in self.kravs[nr]
                if v.versjon > kv.versjon and v.activated and v.activated < end
            ]
            if newer and rng.chance(0.5):
                nv = newer[0]
                t1 = rng.moment(nv.activated, end)
                if nv.active_at(t1):
                    self._answer(doc, nv, t1, end, pre=False)
            if e is not None and rng.chance(0.06):
                metas.append((kv, t0))
        for e in doc.pre_answers:
            if rng.chance(0.1) and e["created"] >= b.METADATA_START:
                metas.append((e["kv"], e["created"]))
        for kv, t0 in metas:
            self._metadata(doc, kv, t0, end)
