"""Personvernkonsekvensvurdering: PVK_DOKUMENT with its status eras, and the RISIKOSCENARIO and
TILTAK rows under it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from metrikk.generate.etterlevelse import base as b
from metrikk.generate.etterlevelse.app.codes import YTTERLIGERE
from metrikk.generate.etterlevelse.app.common import AppBase, Doc, own
from metrikk.generate.etterlevelse.base import Rng, entity_rng, iso, sentences

RISIKOER = (
    "uautorisert tilgang",
    "feil vedtak",
    "tap av data",
    "manglende sletting",
    "feilutbetaling",
)
TILTAK_NAVN = (
    "innfør tilgangsstyring",
    "slett gamle data",
    "logg oppslag",
    "opplæring",
    "kodegjennomgang",
)


class PvkMixin(AppBase):
    """PVK documents, risikoscenarioer and tiltak."""

    def pvk(self) -> None:
        rng = entity_rng(self.seed, "pvk-docs", 0)
        cands = [
            dd
            for dd in self.docs_list
            if dd.edits
            and dd.edits[-1] > b.PVK_START
            and (dd.deleted is None or dd.deleted > b.PVK_START + timedelta(days=30))
        ]
        chosen = rng.sample(cands, min(self.p["pvk"], len(cands)))
        for i, doc in enumerate(chosen):
            self._pvk(entity_rng(self.seed, "pvk", i), doc)

    def _pvk_status_next(self, rng: Rng, s: str, t: datetime) -> str:
        new = t >= b.PVK_NEW_STATUSES
        if not new:
            return (
                "INAKTIV"
                if s == "AKTIV" and rng.chance(0.15)
                else ("AKTIV" if s == "INAKTIV" and rng.chance(0.5) else s)
            )
        r = rng.random()
        if s in ("AKTIV", "INAKTIV"):
            if t < b.PVK_AKTIV_REMOVED and s == "AKTIV" and r < 0.3:
                return "AKTIV"
            return "UNDERARBEID"
        if r < 0.55:
            return s  # edits without a status change
        pvo_ua = t >= b.PVK_PVO_UNDERARBEID
        trenger = t >= b.PVK_TRENGER_GODKJENNING
        revurd = t >= b.PVK_REVURDERING
        nxt = {
            "UNDERARBEID": "SENDT_TIL_PVO",
            "SENDT_TIL_PVO": "PVO_UNDERARBEID" if pvo_ua else "VURDERT_AV_PVO",
            "PVO_UNDERARBEID": "VURDERT_AV_PVO_TRENGER_MER_ARBEID"
            if revurd and rng.chance(0.3)
            else "VURDERT_AV_PVO",
            "VURDERT_AV_PVO_TRENGER_MER_ARBEID": "SENDT_TIL_PVO_FOR_REVURDERING",
            "SENDT_TIL_PVO_FOR_REVURDERING": "PVO_UNDERARBEID" if pvo_ua else "VURDERT_AV_PVO",
            "VURDERT_AV_PVO": "TRENGER_GODKJENNING" if trenger else "GODKJENT_AV_RISIKOEIER",
            "TRENGER_GODKJENNING": "GODKJENT_AV_RISIKOEIER",
            "GODKJENT_AV_RISIKOEIER": "GODKJENT_AV_RISIKOEIER"
            if t >= b.PVK_AKTIV_REMOVED or rng.chance(0.7)
            else "AKTIV",
        }
        return nxt.get(s, s)

    def _pvk(self, rng: Rng, doc: Doc) -> None:
        pid = rng.uuid()
        lo = max(b.PVK_START, doc.edits[0])
        end = min(self.horizon, doc.deleted or self.horizon)
        created = rng.moment(lo, min(end, lo + timedelta(days=200)))
        n = rng.randint(3, 25)
        times = self.save_times(rng, created, n, end)
        created_by = self.user(rng, doc.team)
        status = "AKTIV" if created < b.PVK_NEW_STATUSES else "UNDERARBEID"
        st = {
            "ytterligereEgenskaper": rng.some(YTTERLIGERE, 0, 3),
            "skalUtforePvk": rng.pick([True, False, None], [50, 30, 20]),
            "innsendinger": 0,
            "meldinger": [],
        }
        for v, t in enumerate(times):
            if v:
                before = status
                status = self._pvk_status_next(rng, status, t)
                if (
                    status in ("SENDT_TIL_PVO", "SENDT_TIL_PVO_FOR_REVURDERING")
                    and status != before
                ):
                    st["innsendinger"] += 1
                    st["meldinger"].append(
                        {
                            "innsendingId": st["innsendinger"],
                            "merknadTilPvo": sentences(rng, 0, 1) or None,
                            "endringsNotat": None,
                            "sendtTilPvoDato": iso(t),
                            "sendtTilPvoAv": self.user(rng, doc.team),
                            "etterlevelseDokumentVersjon": 1,
                        }
                    )
            by = created_by if v == 0 else self.user(rng, doc.team)
            data = self._pvk_payload(rng, st, status, t)
            root = {
                "id": pid,
                "etterlevelseDokumentId": doc.id,
                "status": status,
                "pvkDokumentData": data,
            }
            self.emit(
                rng,
                "CREATE" if v == 0 else "UPDATE",
                "PVK_DOKUMENT",
                pid,
                t,
                by,
                v,
                own(root, created, created_by, t, by, v),
            )
        for j in range(int(rng.triangular(0, 15, 3))):
            self._risikoscenario(entity_rng(self.seed, f"risiko-{pid}", j), pid, doc, created, end)
        for j in range(int(rng.triangular(0, 20, 3))):
            self._tiltak(entity_rng(self.seed, f"tiltak-{pid}", j), pid, doc, created, end)

    def _pvk_payload(self, rng: Rng, st: dict, status: str, t: datetime) -> dict:
        d: dict = {"ytterligereEgenskaper": st["ytterligereEgenskaper"]}
        if t < b.PVK_VURDERING:
            d["skalUtforePvk"] = st["skalUtforePvk"]
        else:
            d["pvkVurdering"] = {True: "SKAL_UTFORE", False: "SKAL_IKKE_UTFORE", None: "UNDEFINED"}[
                st["skalUtforePvk"]
            ]
            d["pvkVurderingsBegrunnelse"] = None
        if t < b.PVK_VURDERING:
            d["stemmerPersonkategorier"] = None
            d["personkategoriAntallBeskrivelse"] = None
            d["tilgangsBeskrivelsePersonopplysningene"] = None
            d["lagringsBeskrivelsePersonopplysningene"] = None
        d["harInvolvertRepresentant"] = None
        d["representantInvolveringsBeskrivelse"] = None
        d["harDatabehandlerRepresentantInvolvering"] = None
        d["dataBehandlerRepresentantInvolveringBeskrivelse"] = None
        if t >= b.PVK_NEW_STATUSES:
            d["antallInnsendingTilPvo"] = st["innsendinger"]
            d["berOmNyVurderingFraPvo"] = None
            d["merknadTilRisikoeier"] = None
            d["merknadFraRisikoeier"] = None
            d["godkjentAvRisikoeier"] = None
            d["godkjentAvRisikoeierDato"] = None
            if status == "GODKJENT_AV_RISIKOEIER":
                d["godkjentAvRisikoeier"] = "risikoeier"
                d["godkjentAvRisikoeierDato"] = iso(t)
        if t < b.PVK_MELDINGER_TIL_PVO:
            if t >= b.PVK_NEW_STATUSES:
                last = st["meldinger"][-1] if st["meldinger"] else None
                d["merknadTilPvoEllerRisikoeier"] = last["merknadTilPvo"] if last else None
            if t >= b.PVK_SENDT_TIL_PVO_DATO:
                last = st["meldinger"][-1] if st["meldinger"] else None
                d["sendtTilPvoDato"] = last["sendtTilPvoDato"] if last else None
                d["sendtTilPvoAv"] = last["sendtTilPvoAv"] if last else None
        else:
            d["meldingerTilPvo"] = st["meldinger"]
        return d

    def _risikoscenario(
        self, rng: Rng, pid: str, doc: Doc, pvk_created: datetime, end: datetime
    ) -> None:
        lo = max(pvk_created, b.RISIKOSCENARIO_START)
        if lo >= end:
            return
        rid = rng.uuid()
        created = rng.moment(lo, end)
        times = self.save_times(rng, created, rng.randint(1, 6), end)
        deleted = rng.chance(0.08) and len(times) > 1
        created_by = self.user(rng, doc.team)
        general = rng.chance(0.4)
        s, k = rng.randint(1, 5), rng.randint(1, 5)
        data = {
            "navn": f"Risiko for {rng.pick(RISIKOER)}",
            "beskrivelse": sentences(rng, 1, 2),
            "sannsynlighetsNivaa": s,
            "sannsynlighetsNivaaBegrunnelse": sentences(rng, 1, 1),
            "konsekvensNivaa": k,
            "konsekvensNivaaBegrunnelse": sentences(rng, 1, 1),
            "generelScenario": general,
            "relevanteKravNummer": [] if general else [rng.pick(list(self.kravs))],
            "tiltakOppdatert": False,
            "ingenTiltak": None,
            "sannsynlighetsNivaaEtterTiltak": None,
            "konsekvensNivaaEtterTiltak": None,
            "nivaaBegrunnelseEtterTiltak": None,
        }
        for v, t in enumerate(times):
            if v:
                data = dict(
                    data,
                    sannsynlighetsNivaaEtterTiltak=max(1, s - 1),
                    konsekvensNivaaEtterTiltak=k,
                    tiltakOppdatert=True,
                )
            action = (
                "CREATE" if v == 0 else ("DELETE" if deleted and v == len(times) - 1 else "UPDATE")
            )
            by = created_by if v == 0 else self.user(rng, doc.team)
            root = {"id": rid, "pvkDokumentId": pid, "risikoscenarioData": data}
            self.emit(
                rng,
                action,
                "RISIKOSCENARIO",
                rid,
                t,
                by,
                v,
                own(root, created, created_by, t, by, v),
            )

    def _tiltak(self, rng: Rng, pid: str, doc: Doc, pvk_created: datetime, end: datetime) -> None:
        lo = max(pvk_created, b.TILTAK_START)
        if lo >= end:
            return
        tid = rng.uuid()
        created = rng.moment(lo, end)
        times = self.save_times(rng, created, rng.randint(1, 5), end)
        deleted = rng.chance(0.05) and len(times) > 1
        created_by = self.user(rng, doc.team)
        data = {
            "navn": f"Tiltak: {rng.pick(TILTAK_NAVN)}",
            "beskrivelse": sentences(rng, 1, 2),
            "ansvarlig": rng.pick(doc.team).ident,
            "frist": (created + timedelta(days=rng.randint(30, 365))).date().isoformat(),
            "ansvarligTeam": None,
            "iverksatt": False,
            "iverksattDato": None,
            "iverksettingsKommentar": None,
        }
        for v, t in enumerate(times):
            if v and rng.chance(0.4):
                data = dict(data, iverksatt=True, iverksattDato=t.date().isoformat())
            action = (
                "CREATE" if v == 0 else ("DELETE" if deleted and v == len(times) - 1 else "UPDATE")
            )
            by = created_by if v == 0 else self.user(rng, doc.team)
            root = {"id": tid, "pvkDokumentId": pid, "tiltakData": data}
            self.emit(
                rng, action, "TILTAK", tid, t, by, v, own(root, created, created_by, t, by, v)
            )
