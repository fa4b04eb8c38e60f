"""Krav: versions, their audit rows (generic storage `Krav`, then own table `KRAV`) and the
current `etterlevelse_krav` table.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from metrikk.generate.etterlevelse import base as b
from metrikk.generate.etterlevelse.app.codes import AVDELING, RELEVANS, UNDERAVDELING
from metrikk.generate.etterlevelse.app.common import AppBase, KravVersion, envelope, own
from metrikk.generate.etterlevelse.base import Rng, dumps, entity_rng, iso, sentences

KRAV_EMNER = (
    "tilgangskontroll",
    "logging",
    "sletting",
    "informasjon til brukeren",
    "arkivering",
    "universell utforming",
    "risikovurdering",
    "dataminimering",
)


class KravMixin(AppBase):
    """Krav versions, their audit rows and the current krav table."""

    def krav(self) -> None:
        n = self.p["krav"]
        self.kravs: dict[int, list[KravVersion]] = {}
        rows = {"id": [], "krav_nummer": [], "krav_versjon": [], "status": [], "data": []}
        start, end = b.E_AUDIT_START, self.horizon
        for i in range(n):
            nummer = 101 + i
            rng = entity_rng(self.seed, "krav", nummer)
            # Numbers come from a sequence: creation order follows the number.
            frac = i / n
            lo = start + (end - start) * (frac**1.6) * 0.92
            created = rng.moment(lo, lo + timedelta(days=20))
            n_versions = rng.choices([1, 2, 3, 4, 5, 6], weights=[34, 32, 16, 9, 6, 3])[0]
            owners = rng.some(self.kraveiere, 1, 2)
            relevans = [] if rng.chance(0.5) else rng.some(list(RELEVANS), 1, 2)
            regelverk = [
                {"lov": lov, "spesifisering": f"§ {rng.randint(1, 40)}"}
                for lov in rng.some(self.lov, 1, 3)
            ]
            n_sk = max(1, min(8, int(rng.triangular(1, 8, 3))))
            sk_ids = list(range(1, n_sk + 1))
            never_active = rng.chance(0.1)
            retired = rng.chance(0.15)
            versions: list[KravVersion] = []
            t = created
            for v in range(1, n_versions + 1):
                if t > end:
                    break
                activated = (
                    None
                    if (never_active and v == n_versions)
                    else rng.moment(t + timedelta(days=3), t + timedelta(days=60))
                )
                if v > 1 and rng.chance(0.4):
                    sk_ids = sk_ids + [sk_ids[-1] + 1]
                payload = self._krav_payload(rng, nummer, v, relevans, regelverk, sk_ids)
                kv = KravVersion(
                    rng.uuid(),
                    nummer,
                    v,
                    t,
                    activated,
                    None,
                    payload,
                    list(sk_ids),
                    relevans,
                    owners,
                )
                if versions and versions[-1].activated and activated:
                    versions[-1].ended = activated
                versions.append(kv)
                if activated is None:
                    break
                t = rng.moment(activated + timedelta(days=90), activated + timedelta(days=600))
            last = versions[-1]
            if retired and last.activated:
                last.ended = rng.moment(
                    last.activated + timedelta(days=120), last.activated + timedelta(days=900)
                )
            self.kravs[nummer] = versions
            for kv in versions:
                status = self._krav_events(rng, kv)
                if kv.created <= self.until:
                    rows["id"].append(kv.id)
                    rows["krav_nummer"].append(nummer)
                    rows["krav_versjon"].append(kv.versjon)
                    rows["status"].append(status)
                    payload = dict(kv.payload, status=status)
                    payload.pop("virkemiddelIder", None)
                    rows["data"].append(dumps(payload))
        self.current["etterlevelse_krav"] = rows

    def _krav_payload(self, rng: Rng, nummer: int, v: int, relevans, regelverk, sk_ids) -> dict:
        navn = " ".join(
            (
                rng.pick(["Behandlingen skal", "Løsningen skal", "Teamet skal", "Det skal"]),
                rng.pick(["ha", "sikre", "dokumentere", "vurdere"]),
                rng.pick(KRAV_EMNER),
            )
        )
        return {
            "navn": navn,
            "beskrivelse": sentences(rng, 1, 2),
            "hensikt": sentences(rng, 1, 2),
            "utdypendeBeskrivelse": sentences(rng, 0, 3),
            "versjonEndringer": None if v == 1 else f"Versjon {v}: {sentences(rng, 1, 1)}",
            "notat": None,
            "varselMelding": None,
            "implementasjoner": sentences(rng, 0, 2) or None,
            "dokumentasjon": [f"https://lovdata.no/lov/{rng.randrange(10**4)}"]
            if rng.chance(0.5)
            else [],
            "begrepIder": [],
            "rettskilder": [],
            "tagger": rng.some(["personvern", "sikkerhet", "arkiv", "uu", "ki"], 0, 2),
            "varslingsadresser": [{"adresse": f"#krav-{nummer}", "type": "SLACK"}],
            "regelverk": regelverk,
            "suksesskriterier": [
                {
                    "id": sid,
                    "navn": f"Suksesskriterium {sid}",
                    "beskrivelse": sentences(rng, 1, 1),
                    "behovForBegrunnelse": rng.chance(0.85),
                }
                for sid in sk_ids
            ],
            "avdeling": rng.pick(list(AVDELING)),
            "underavdeling": rng.pick(list(UNDERAVDELING)),
            "relevansFor": relevans,
            "kravIdRelasjoner": [],
            "aktivertDato": None,
            "status": "UTKAST",
            "virkemiddelIder": [],
        }

    def _krav_events(self, rng: Rng, kv: KravVersion) -> str:
        """Write the audit rows of one krav version; return its status at `until`."""
        events = [("CREATE", kv.created, "UTKAST")]
        t = kv.created
        stop = kv.activated or min(self.horizon, kv.created + timedelta(days=300))
        for _ in range(rng.randint(0, 4)):
            t = rng.next_save(t, stop)
            if t >= stop:
                break
            events.append(("UPDATE", t, "UTKAST"))
        if kv.activated:
            events.append(("UPDATE", kv.activated, "AKTIV"))
            t = kv.activated
            for _ in range(rng.choice((0, 0, 1, 2))):
                t = rng.moment(t + timedelta(days=10), t + timedelta(days=400))
                if kv.ended and t >= kv.ended:
                    break
                events.append(("UPDATE", t, "AKTIV"))
        if kv.ended:
            events.append(("UPDATE", kv.ended, "UTGAATT"))
        status = "UTKAST"
        created_by = rng.pick(kv.owners).user
        for k, (action, t, st) in enumerate(events):
            if t > self.horizon:
                break
            if t <= self.until:
                status = st
            by = created_by if k == 0 else rng.pick(kv.owners).user
            payload = dict(kv.payload)
            payload["status"] = "UNDER_ARBEID" if st == "UTKAST" and t < b.KRAV_UTKAST else st
            payload["aktivertDato"] = iso(kv.activated) if st != "UTKAST" else None
            if t >= b.KRAV_TAGGER_EMPTIED:
                payload["tagger"] = []
            if t < b.KRAV_OWN_TABLE:
                dom = {"id": kv.id, "kravNummer": kv.nummer, "kravVersjon": kv.versjon, **payload}
                row = envelope(kv.id, "Krav", dom, kv.created, created_by, t, by, k)
                self.emit(rng, action, "Krav", kv.id, t, by, k, row)
            else:
                payload.pop("virkemiddelIder", None)
                root = {
                    "id": kv.id,
                    "kravNummer": kv.nummer,
                    "kravVersjon": kv.versjon,
                    "data": payload,
                }
                self.emit(
                    rng,
                    action,
                    "KRAV",
                    kv.id,
                    t,
                    by,
                    k,
                    own(root, kv.created, created_by, t, by, k),
                )
        return status

    def krav_at(self, nummer: int, t: datetime) -> KravVersion | None:
        for kv in self.kravs[nummer]:
            if kv.active_at(t):
                return kv
        return None

    def relevant(self, kv_relevans: list[str], irrelevans: list[str]) -> bool:
        return not kv_relevans or not all(r in irrelevans for r in kv_relevans)
