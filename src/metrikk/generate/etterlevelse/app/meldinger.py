"""Messages: `Melding` (system and front-page messages, still generic storage) and the current
`etterlevelse_tilbakemelding` table (never audited).
"""

from __future__ import annotations

from datetime import timedelta

from metrikk.generate.etterlevelse import base as b
from metrikk.generate.etterlevelse.app.common import SYSTEM_USER_E, AppBase, envelope
from metrikk.generate.etterlevelse.base import dumps, entity_rng, iso, sentences


class MeldingerMixin(AppBase):
    """Melding audit rows and the current tilbakemeldinger."""

    # --- Melding (system and front-page messages, still generic storage) ---
    def noise(self) -> None:
        for i in range(self.p["meldinger"]):
            rng = entity_rng(self.seed, "melding", i)
            mid = rng.uuid()
            created = rng.moment(b.d(2021, 3, 1), self.horizon)
            by = rng.pick(self.admins).user if rng.chance(0.7) else SYSTEM_USER_E
            t = created
            for v in range(rng.randint(1, 4)):
                dom = {
                    "id": mid,
                    "melding": sentences(rng, 1, 2),
                    "secondaryTittel": None,
                    "secondaryMelding": None,
                    "meldingType": rng.pick(["SYSTEM", "FORSIDE", "OM_STOTTE_TIL_ETTERLEVELSE"]),
                    "meldingStatus": "ACTIVE" if v < 2 else "DEACTIVE",
                    "alertType": rng.pick(["INFO", "WARNING"]),
                }
                self.emit(
                    rng,
                    "CREATE" if v == 0 else "UPDATE",
                    "Melding",
                    mid,
                    t,
                    by,
                    v,
                    envelope(mid, "Melding", dom, created, by, t, by, v),
                )
                t = rng.moment(t + timedelta(days=1), t + timedelta(days=90))

    # --- Tilbakemelding (current table only; never audited) ---
    def tilbakemeldinger(self) -> None:
        rows = {"id": [], "krav_nummer": [], "krav_versjon": [], "created_date": [], "data": []}
        for i in range(self.p["tilbakemeldinger"]):
            rng = entity_rng(self.seed, "tilbakemelding", i)
            created = rng.moment(b.SK_BEGRUNNELSER, self.horizon)
            if created > self.until:
                continue
            nrs = [nr for nr in self.kravs if self.krav_at(nr, created)]
            if not nrs:
                continue
            kv = self.krav_at(rng.pick(nrs), created)
            melder = rng.pick(self.people)
            eier = rng.pick(kv.owners)
            n = rng.choices([1, 2, 3, 4, 5, 6], weights=[20, 40, 18, 10, 7, 5])[0]
            msgs = []
            t = created
            for m in range(1, n + 1):
                if t > self.until:
                    break
                frm = melder if m % 2 else eier
                edited = rng.chance(0.05)
                msgs.append(
                    {
                        "meldingNr": m,
                        "fraIdent": frm.ident,
                        "rolle": "MELDER" if m % 2 else "KRAVEIER",
                        "tid": iso(t),
                        "innhold": sentences(rng, 1, 3),
                        "endretTid": iso(t + timedelta(minutes=7)) if edited else None,
                        "endretAvIdent": frm.ident if edited else None,
                    }
                )
                t = rng.moment(
                    t + timedelta(hours=2), t + timedelta(days=rng.expovariate(1 / 8) + 1)
                )
            if created < b.TILBAKEMELDING_STATUS and rng.chance(0.85):
                status = None
            elif len(msgs) == 1:
                status = "UBESVART"
            else:
                status = rng.pick(["BESVART", "MIDLERTIDLIG_SVAR"], [88, 12])
            data = {
                "tittel": f"Spørsmål om {kv.payload['navn'].lower()[:40]}",
                "type": rng.pick(["UKLAR", "ANNET", "GOD"], [60, 30, 10]),
                "melder": {
                    "ident": melder.ident,
                    "varslingsadresse": {
                        "adresse": f"{melder.ident.lower()}@nav.no",
                        "type": "EPOST",
                    }
                    if rng.chance(0.5)
                    else {"adresse": f"U0{rng.randrange(10**8):08d}", "type": "SLACK_USER"},
                },
                "meldinger": msgs,
                "status": status,
                "endretKrav": rng.chance(0.05),
            }
            rows["id"].append(rng.uuid())
            rows["krav_nummer"].append(kv.nummer)
            rows["krav_versjon"].append(kv.versjon)
            rows["created_date"].append(created)
            rows["data"].append(dumps(data))
        self.current["etterlevelse_tilbakemelding"] = rows
