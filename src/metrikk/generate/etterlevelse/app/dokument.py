"""Etterlevelsesdokumentasjon: the migrated behandlinger and new documents, their audit rows
(`EtterlevelseDokumentasjon`, then `ETTERLEVELSE_DOKUMENTASJON`) and the current table;
historic `BehandlingData`. Which fields a document has at a time: dokument_payload.py.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import datetime, timedelta

from metrikk.generate.etterlevelse import base as b
from metrikk.generate.etterlevelse.app.codes import RELEVANS
from metrikk.generate.etterlevelse.app.common import AppBase, Doc, envelope, own
from metrikk.generate.etterlevelse.base import MIGRATION, MIGRATION_USER, Rng, dumps, entity_rng


class DokumentMixin(AppBase):
    """Documents: their life, their audit rows, the current table."""

    def docs(self) -> None:
        n_docs = self.p["docs"]
        procs_before = [
            p
            for p in self.processes
            if p.created < MIGRATION - timedelta(days=60)
            and (p.deleted is None or p.deleted > MIGRATION)
        ]
        n_beh = min(len(procs_before), int(n_docs * 0.37))
        brng = entity_rng(self.seed, "behandlinger", n_beh)
        behandlinger = brng.sample(procs_before, n_beh)
        docs: list[Doc] = []
        unmapped = 0
        # Pre-migration: answers keyed only by behandlingId (one 'behandling' per process).
        for j, proc in enumerate(behandlinger):
            rng = entity_rng(self.seed, "behandling", proc.id)
            team = rng.some(self.people, 1, 4)
            irrelevans = self._irrelevans(rng)
            gone = (
                j % 17 == 5
            )  # every answer deleted before the migration: no document, never mappable
            first = max(proc.created, b.E_AUDIT_START) + timedelta(days=rng.uniform(1, 60))
            if j == 0:
                first = b.d(2021, 6, 14)  # one long-lived behandling spans every legacy-boolean era
            start = rng.moment(first, MIGRATION - timedelta(days=20)) if j else first
            doc = Doc(rng.uuid(), len(docs), True, proc.id, MIGRATION, team, irrelevans, rng)
            self._behandling_data(rng, proc.id, irrelevans, start, team)
            answers = self._pre_answers(doc, start, long=(j == 0), delete_all=gone)
            if gone:
                unmapped += 1
                continue
            doc.pre_answers = answers
            docs.append(doc)
        # V1.16 numbers the migrated documents first.
        for k, doc in enumerate(docs):
            doc.nummer = 101 + k
        n_new = max(0, n_docs - len(docs))
        new_docs = []
        for i in range(n_new):
            rng = entity_rng(self.seed, "doc", i)
            lo = MIGRATION + timedelta(days=7)
            span = self.horizon - lo
            created = rng.moment(
                lo + span * (i / max(n_new, 1)) * 0.98, lo + span * ((i + 1) / max(n_new, 1))
            )
            team = rng.some(self.people, 1, 4)
            new_docs.append(
                Doc(
                    rng.uuid(),
                    len(docs) + i,
                    False,
                    None,
                    created,
                    team,
                    self._irrelevans(rng),
                    rng,
                )
            )
        new_docs.sort(key=lambda dd: dd.created)
        for k, doc in enumerate(new_docs):
            doc.nummer = 101 + len(docs) + k
        docs.extend(new_docs)
        self.docs_list = docs
        self.unmapped_behandlinger = unmapped
        cur_docs = {"id": [], "data": []}
        meta = {
            "id": [],
            "krav_nummer": [],
            "krav_versjon": [],
            "etterlevelse_dokumentasjon": [],
            "data": [],
        }
        self.current["etterlevelse_etterlevelse_metadata"] = meta
        for k, doc in enumerate(docs):
            self._doc(doc)
            if doc.created <= self.until and (doc.deleted is None or doc.deleted > self.until):
                cur_docs["id"].append(doc.id)
                cur_docs["data"].append(dumps(self._doc_payload(doc, self.until, doc.state_until)))
            if self.progress and k % 50 == 49:
                self.progress(
                    "etterlevelse_audit_version",
                    len(self.sink),
                    len(self.sink) * len(docs) // (k + 1),
                )
        self.current["etterlevelse_etterlevelse_dokumentasjon"] = cur_docs

    def _irrelevans(self, rng: Rng) -> list[str]:
        codes = list(RELEVANS)
        out = rng.some(codes[1:], 0, 3)
        if rng.chance(0.15):
            out.insert(0, "PERSONOPPLYSNINGER")
        return out

    def _behandling_data(
        self, rng: Rng, behandling_id: str, irrelevans: list[str], start: datetime, team
    ) -> None:
        """Historic GS type BehandlingData: per-behandling properties before documents existed."""
        if not rng.chance(0.5):
            return
        bid = rng.uuid()
        t = rng.moment(start, MIGRATION - timedelta(days=1))
        created, by = t, self.user(rng, team)
        for v in range(rng.randint(1, 3)):
            if t >= MIGRATION:
                break
            u = by if v == 0 else self.user(rng, team)
            dom = {
                "id": bid,
                "behandlingId": behandling_id,
                "irrelevansFor": irrelevans if v else irrelevans[:1],
            }
            self.emit(
                rng,
                "CREATE" if v == 0 else "UPDATE",
                "BehandlingData",
                bid,
                t,
                u,
                v,
                envelope(bid, "BehandlingData", dom, created, by, t, u, v),
            )
            t = rng.next_save(t, MIGRATION - timedelta(hours=1))

    def _doc(self, doc: Doc) -> None:
        rng = doc.rng
        if doc.migrated:
            # Document 1 is never edited and document 0 always is: both cases exist at every scale.
            never = (rng.chance(0.25) or doc.index == 1) and doc.index != 0
            first = (
                None
                if never
                else rng.moment(
                    MIGRATION + timedelta(days=2),
                    min(self.horizon, MIGRATION + timedelta(days=rng.uniform(10, 900))),
                )
            )
            if doc.index == 0 and first is not None and first > b.DOK_OWN_TABLE:
                first = rng.moment(MIGRATION + timedelta(days=5), b.d(2024, 3, 1))
        else:
            first = doc.created
        st = doc.state
        st.update(
            title="" if doc.migrated else b.title(rng),
            behandlingIds=[doc.behandling]
            if doc.migrated
            else self._behandling_ids(rng, doc.created),
            irrelevansFor=list(doc.irrelevans),
            teams=[],
            behandlerPersonopplysninger=True,
            avdeling=None,
            beskrivelse=None,
            gjenbrukBeskrivelse=None,
            forGjenbruk=False,
            tilgjengeligForGjenbruk=False,
            prioritertKravNummer=[],
            varslingsadresser=[],
            resources=[],
            risikoeiere=[],
            Risikovurderinger=[],
            P360Recno=None,
            P360CaseNumber=None,
            seksjoner=[],
            status="UNDER_ARBEID",
            versjon=1,
            historikk=[],
        )
        doc.targets = {
            "beskrivelse": rng.chance(0.6),
            "prioritert": rng.chance(0.15),
            "varsling": rng.chance(0.75),
            "gjenbruk": rng.chance(0.045),
            "resources": rng.chance(0.5),
            "risikoeiere": rng.chance(0.4),
            "avdeling": rng.chance(0.8),
            "teams": rng.chance(0.85),
            "p360": rng.chance(0.05),
        }
        doc.state_until = {k: (list(v) if isinstance(v, list) else v) for k, v in st.items()}
        created_by = MIGRATION_USER if doc.migrated else doc.team[0].user
        created = MIGRATION if doc.migrated else doc.created
        if first is None:
            doc.last_activity = None
            return
        life_end = min(self.horizon, first + timedelta(days=rng.expovariate(1 / 500) + 30))
        n_edits = rng.randint(2, 12)
        times = self.save_times(rng, first, n_edits, life_end)
        window = [t for t in times if b.DOC_RISIKOEIERE <= t < b.DOC_NOM_AVDELING]
        if self.showcase_left and len(window) >= 3:
            # A few documents take up every optional field at the first chance, so each field
            # shows up even at the smallest scale and with any seed.
            doc.showcase = True
            doc.targets = dict.fromkeys(doc.targets, True)
            self.showcase_left -= 1
        if rng.chance(0.07):
            doc.deleted = rng.moment(
                times[-1] + timedelta(hours=1), times[-1] + timedelta(days=120)
            )
        doc.edits = times
        doc.last_activity = times[-1]
        version = 1 if doc.migrated else 0
        events = [("UPDATE" if doc.migrated else "CREATE", t) for t in times[:1]] + [
            ("UPDATE", t) for t in times[1:]
        ]
        if doc.deleted:
            events.append(("DELETE", doc.deleted))
        for action, t in events:
            if action == "UPDATE" or action == "CREATE":
                self._evolve_doc(doc, t)
            if t <= self.until:
                doc.state_until = {
                    k: (list(v) if isinstance(v, list) else v) for k, v in doc.state.items()
                }
            by = doc.team[0].user if action == "CREATE" else self.user(rng, doc.team)
            payload = self._doc_payload(doc, t)
            if t < b.DOK_OWN_TABLE:
                dom = {"id": doc.id, **payload}
                row = envelope(
                    doc.id, "EtterlevelseDokumentasjon", dom, created, created_by, t, by, version
                )
                self.emit(rng, action, "EtterlevelseDokumentasjon", doc.id, t, by, version, row)
            else:
                root = {"id": doc.id, "etterlevelseDokumentasjonData": payload}
                self.emit(
                    rng,
                    action,
                    "ETTERLEVELSE_DOKUMENTASJON",
                    doc.id,
                    t,
                    by,
                    version,
                    own(root, created, created_by, t, by, version),
                )
            version += 1
        self._doc_answers(doc, first, life_end)

    def _behandling_ids(self, rng: Rng, t: datetime) -> list[str]:
        if t >= b.d(2024, 1, 1) and rng.chance(0.15):
            return []
        n = bisect_left(self.proc_created, t)  # processes created before t
        if not n:
            return []
        want, out = rng.upto(1, 2), []
        for _ in range(6):
            p = self.proc_sorted[int(rng.random() * n)]
            if (p.deleted is None or p.deleted > t) and p.id not in out:
                out.append(p.id)
            if len(out) == want:
                break
        return out
