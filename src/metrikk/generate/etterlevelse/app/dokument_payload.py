"""How a document's fields fill in over time, and its payload as the app's Java class had it at
any moment (fields appear on their real dates, nulls explicit).
"""

from __future__ import annotations

from datetime import datetime

from metrikk.generate.etterlevelse import base as b
from metrikk.generate.etterlevelse.app.codes import AVDELING
from metrikk.generate.etterlevelse.app.common import AppBase, Doc
from metrikk.generate.etterlevelse.base import entity_rng, iso, sentences


class DokumentPayloadMixin(AppBase):
    """A document's evolving state and its payload per era."""

    def _evolve_doc(self, doc: Doc, t: datetime) -> None:
        rng, st, tg = doc.rng, doc.state, doc.targets

        def go(p: float) -> bool:
            return doc.showcase or rng.chance(p)

        if not st["title"] and rng.chance(0.9):
            st["title"] = b.title(rng)
        if t >= b.DOC_TEAMS and tg["teams"] and not st["teams"] and go(0.6):
            st["teams"] = [
                entity_rng(self.seed, "team", rng.randrange(self.p["teams"])).uuid()
                for _ in range(rng.randint(1, 2))
            ]
        if t >= b.DOC_AVDELING and tg["avdeling"] and st["avdeling"] is None and go(0.6):
            st["avdeling"] = rng.pick(list(AVDELING))
        if (
            t >= b.DOC_BESKRIVELSE
            and tg["beskrivelse"]
            and (not st["beskrivelse"] or rng.chance(0.1))
            and go(0.7)
        ):
            st["beskrivelse"] = sentences(rng, 1, 4)
        if (
            t >= b.DOC_PRIORITERT
            and tg["prioritert"]
            and not st["prioritertKravNummer"]
            and go(0.5)
        ):
            st["prioritertKravNummer"] = [
                str(nr)
                for nr in sorted(
                    rng.sample(list(self.kravs), min(len(self.kravs), rng.randint(1, 8)))
                )
            ]
        if t >= b.DOC_VARSLING and tg["varsling"] and not st["varslingsadresser"] and go(0.8):
            adr = []
            n = 3 if doc.showcase else rng.randint(1, 3)
            for k in range(n):
                typ = rng.pick(["SLACK", "EPOST", "SLACK_USER"], [55, 35, 10])
                if doc.showcase:
                    typ = ("SLACK", "EPOST", "SLACK_USER")[k % 3]
                if typ == "EPOST":
                    adr.append({"adresse": f"team{rng.randrange(500)}@nav.no", "type": typ})
                elif typ == "SLACK":
                    adr.append({"adresse": f"C0{rng.randrange(10**8):08d}", "type": typ})
                else:
                    adr.append({"adresse": f"U0{rng.randrange(10**8):08d}", "type": typ})
            st["varslingsadresser"] = adr
        elif st["varslingsadresser"] and rng.chance(0.03):
            st["varslingsadresser"] = []
        if t >= b.DOC_GJENBRUK and tg["gjenbruk"] and go(0.5):
            if not st["forGjenbruk"]:
                st["forGjenbruk"] = True
                st["gjenbrukBeskrivelse"] = sentences(rng, 1, 2)
            elif go(0.6):
                st["tilgjengeligForGjenbruk"] = True
        if t >= b.DOC_RESOURCES and tg["resources"] and not st["resources"] and go(0.5):
            st["resources"] = [p.ident for p in rng.some(doc.team, 1, 2)]
        if t >= b.DOC_RISIKOEIERE and tg["risikoeiere"] and not st["risikoeiere"] and go(0.5):
            st["risikoeiere"] = [rng.pick(self.people).ident]
        if t >= b.DOC_P360 and tg["p360"] and st["P360Recno"] is None:
            st["P360Recno"] = rng.randrange(10**6, 10**7)
            st["P360CaseNumber"] = f"{t.year % 100}/{rng.randrange(10**5):05d}"
        if t >= b.DOC_SEKSJONER and not st["seksjoner"] and rng.chance(0.3):
            st["seksjoner"] = [
                {
                    "nomSeksjonId": f"nom-s{rng.randrange(900)}",
                    "nomSeksjonName": f"Seksjon {rng.randrange(900)}",
                }
            ]
        if t >= b.DOC_STATUS and rng.chance(0.1):
            st["status"] = {"UNDER_ARBEID": "SENDT_TIL_GODKJENNING_TIL_RISIKOEIER"}.get(
                st["status"], "GODKJENT_AV_RISIKOEIER"
            )
        if t >= b.DOC_VERSJON and st["status"] == "GODKJENT_AV_RISIKOEIER" and rng.chance(0.3):
            st["historikk"].append(
                {
                    "versjon": st["versjon"],
                    "godkjentAvRisikoeier": st["risikoeiere"][0] if st["risikoeiere"] else None,
                    "godkjentAvRisikoierDato": iso(t),
                    "nyVersjonOpprettetDato": iso(t),
                    "kravTilstandHistorikk": [],
                }
            )
            st["versjon"] += 1
            st["status"] = "UNDER_ARBEID"
        if rng.chance(0.05):
            st["irrelevansFor"] = self._irrelevans(rng)

    def _doc_payload(self, doc: Doc, t: datetime, state: dict | None = None) -> dict:
        """The document's fields as the app's Java class had them at time t (nulls explicit)."""
        st = doc.state if state is None else state
        p: dict = {
            "etterlevelseNummer": doc.nummer,
            "title": st["title"],
            "behandlingIds": st["behandlingIds"],
        }
        if t >= b.DOC_BEHANDLER_PO:
            p["behandlerPersonopplysninger"] = st["behandlerPersonopplysninger"]
        if t < b.DOC_VIRKEMIDDEL_REMOVED:
            p["virkemiddelId"] = None
            p["knyttetTilVirkemiddel"] = False
            p["knytteTilTeam"] = bool(st["teams"])
        if t >= b.DOC_TEAMS:
            p["teams"] = st["teams"]
        p["irrelevansFor"] = st["irrelevansFor"]
        if b.DOC_AVDELING <= t < b.DOC_NOM_AVDELING:
            p["avdeling"] = st["avdeling"]
        if t >= b.DOC_NOM_AVDELING:
            a = st["avdeling"]
            p["nomAvdelingId"] = f"nom-{a.lower()}" if a else None
            p["avdelingNavn"] = AVDELING[a] if a else None
        if t >= b.DOC_BESKRIVELSE:
            p["beskrivelse"] = st["beskrivelse"]
        if t >= b.DOC_PRIORITERT:
            p["prioritertKravNummer"] = st["prioritertKravNummer"]
        if t >= b.DOC_VARSLING:
            p["varslingsadresser"] = st["varslingsadresser"]
        if t >= b.DOC_GJENBRUK:
            p["gjenbrukBeskrivelse"] = st["gjenbrukBeskrivelse"]
            p["forGjenbruk"] = st["forGjenbruk"]
            p["tilgjengeligForGjenbruk"] = st["tilgjengeligForGjenbruk"]
        if t >= b.DOC_RESOURCES:
            p["resources"] = st["resources"]
        if t >= b.DOC_RISIKOEIERE:
            p["risikoeiere"] = st["risikoeiere"]
            p["Risikovurderinger"] = st["Risikovurderinger"]
        if t >= b.DOC_P360:
            p["P360Recno"] = st["P360Recno"]
            p["P360CaseNumber"] = st["P360CaseNumber"]
        if t >= b.DOC_SEKSJONER:
            p["seksjoner"] = st["seksjoner"]
        if t >= b.DOC_STATUS:
            p["status"] = st["status"]
            p["meldingEtterlevelerTilRisikoeier"] = None
            p["meldingRisikoeierTilEtterleveler"] = None
        if t >= b.DOC_VERSJON:
            p["etterlevelseDokumentVersjon"] = st["versjon"]
            p["versjonHistorikk"] = st["historikk"]
        if t >= b.DOC_DP_BEHANDLING:
            p["dpBehandlingIds"] = []
        if t >= b.DOC_ARDOQ:
            p["ardoqSystemIds"] = []
        if t >= b.DOC_ENHETER:
            p["enheter"] = []
        return p
