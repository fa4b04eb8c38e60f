"""HTML pages of the dashboard (bokmål). Each page renders its figures in the browser from its
JSON twin under `/api/v1`, so the chart, the table and the export always agree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from metrikk.web import etterlevelse as ev
from metrikk.web import queries as q
from metrikk.web import suppression
from metrikk.web.definisjoner import DEFINISJONER, as_list

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.globals["definisjoner"] = DEFINISJONER  # for the hjelp() macro (_hjelp.html)
router = APIRouter(include_in_schema=False)

NAV = [
    ("/tiltak/denne-uken", "Denne uken"),
    ("/tiltak", "Over tid"),
    ("/tiltak/oppfolging", "Andel på tiltak"),
    ("/tiltak/ventetid", "Ventetid"),
    ("/tiltak/gjennomforinger", "Gjennomføringer"),
    ("/tiltak/datakvalitet", "Datakvalitet"),
    ("/om-tallene", "Om tallene"),
    ("/etterlevelse", "Etterlevelse"),
    ("/behandlinger/grunnlag", "Behandlinger"),
]

ETTERLEVELSE = ("/etterlevelse", "Etterlevelse")
BEHANDLINGER = ("/behandlinger/grunnlag", "Behandlinger")
# A Behandlinger page of its own module (web/fullstendighet.py), last in the sub-menu.
FULLSTENDIGHET = ("/behandlinger/fullstendighet", "Fullstendighet")

# The etterlevelse and behandlinger views: page URL -> what the template needs.
VISNINGER: dict[str, dict[str, Any]] = {
    "/etterlevelse/sist-oppdatert": {
        "visning": "sist-oppdatert",
        "tittel": "Dager siden siste oppdatering",
        "ingress": "Hvor lenge det er siden et svar sist ble lagret i hvert etterlevelsesdokument, "
        "fordelt på intervaller – for dokumentene som fantes den valgte dagen.",
        "api": "/api/v1/etterlevelse/sist-oppdatert",
        "meny": ETTERLEVELSE,
    },
    "/etterlevelse/pvk-flyt": {
        "visning": "pvk-flyt",
        "tittel": "PVK-flyt",
        "ingress": "Hvor mange PVK-dokumenter (personvernkonsekvensvurderinger) som sto i hvert "
        "steg ved slutten av hver uke eller måned.",
        "api": "/api/v1/etterlevelse/pvk-flyt",
        "meny": ETTERLEVELSE,
    },
    "/etterlevelse/bruk": {
        "visning": "bruk",
        "tittel": "Bruk per uke",
        "ingress": "Aktive dokumenter, lagrede svar, nye og fullførte dokumenter i Støtte til "
        "etterlevelse per uke, fordelt på avdeling.",
        "api": "/api/v1/etterlevelse/bruk",
        "meny": ETTERLEVELSE,
    },
    "/behandlinger/grunnlag": {
        "visning": "grunnlag",
        "tittel": "Behandlinger etter behandlingsgrunnlag",
        "kort": "Behandlingsgrunnlag",
        "ingress": "Gjeldende behandlinger i Behandlingskatalogen per behandlingsgrunnlag. En "
        "behandling med flere grunnlag telles under hvert av dem.",
        "api": "/api/v1/behandlinger/grunnlag",
        "meny": BEHANDLINGER,
        "grupperinger": [
            ("gdpr", "GDPR-artikkel"),
            ("artikkel", "Artikkel 6 eller 9"),
            ("lov", "Nasjonal lov"),
        ],
    },
    "/behandlinger/databehandlere": {
        "visning": "databehandlere",
        "tittel": "Databehandlere utenfor EU/EØS",
        "ingress": "Gjeldende behandlinger som bruker databehandlere utenfor EU/EØS, per "
        "databehandler, land eller overføringsgrunnlag.",
        "api": "/api/v1/behandlinger/databehandlere",
        "meny": BEHANDLINGER,
        "grupperinger": [
            ("databehandler", "Databehandler"),
            ("land", "Land"),
            ("overforingsgrunnlag", "Overføringsgrunnlag"),
        ],
    },
}


def _context(request: Request, active: str, **extra: Any) -> dict[str, Any]:
    k = request.app.state.min_antall
    ctx: dict[str, Any] = {
        "request": request,
        "nav": NAV,
        "active": active,
        "meta": None,
        "feil": None,
        "min_antall": k,
        "beskyttelse": suppression.note(k) if k else None,
        "avrunding": suppression.base(k) if k else None,
        "personer": False,  # True on the pages that show counts of people (the note on them)
        # The kontor of the page, kept in the menu's tiltak links (only a plain enhetsnummer).
        "kontor_param": kp if (kp := request.query_params.get("kontor", "")).isalnum() else "",
    }
    try:
        with request.app.state.source.read() as con:
            ctx["meta"] = q.meta(con)
    except q.Unavailable as e:
        ctx["feil"] = str(e)
    ctx.update(extra)
    return ctx


def _kontor_context(request: Request, kontor: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"kontorer": [], "kontor": None, "valg": None}
    try:
        with request.app.state.source.read() as con:
            if not q.has_table(con, "tiltak_silver", "deltakelse_uke"):
                out["feil"] = "Tiltaksdataene er ikke publisert ennå. Kjør «metrikk run»."
                return out
            out["kontorer"] = q.kontorer(con)
            codes = {k["enhetsnummer"] for k in out["kontorer"]}
            chosen = kontor if kontor in codes else q.default_kontor(con)
            if kontor and kontor not in codes:
                out["feil"] = f"Fant ikke kontoret «{kontor}»; viser standardkontoret i stedet."
            if chosen:
                out["kontor"] = next(k for k in out["kontorer"] if k["enhetsnummer"] == chosen)
                out["valg"] = q.filter_options(con, chosen, request.app.state.min_antall)
    except q.Unavailable as e:
        out["feil"] = str(e)
    return out


@router.get("/")
def index(request: Request) -> RedirectResponse:
    """The landing view: this week for the kontor (the query, e.g. ?kontor=, is kept)."""
    query = request.url.query
    return RedirectResponse("/tiltak/denne-uken" + (f"?{query}" if query else ""), status_code=307)


# JSON twins: every page with `.json` appended redirects to the API endpoint it renders from,
# keeping the query string (datasette's convention).
TWINS = {
    "/tiltak.json": "/api/v1/tiltak/perioder",
    "/tiltak/denne-uken.json": "/api/v1/tiltak/denne-uken",
    "/tiltak/oppfolging.json": "/api/v1/tiltak/oppfolging",
    "/tiltak/ventetid.json": "/api/v1/tiltak/ventetid",
    "/tiltak/gjennomforinger.json": "/api/v1/gjennomforinger/liste",
    "/om-tallene.json": "/api/v1/definisjoner",
    "/tiltak/datakvalitet.json": "/api/v1/datakvalitet",
    "/etterlevelse.json": "/api/v1/etterlevelse",
    **{f"{page}.json": v["api"] for page, v in VISNINGER.items()},
}


def _twin(target: str):
    def redirect(request: Request) -> RedirectResponse:
        query = request.url.query
        return RedirectResponse(target + (f"?{query}" if query else ""), status_code=307)

    return redirect


for _page, _api in TWINS.items():
    router.add_api_route(_page, _twin(_api), methods=["GET"])


def _visning(page: str):
    spec = VISNINGER[page]

    def render(request: Request) -> HTMLResponse:
        # An etterlevelse view sits under /etterlevelse and links back to it; the behandlinger
        # views are the Behandlinger menu's own pages, reached through their sub-menu.
        v = dict(
            spec,
            tilbake=ETTERLEVELSE if spec["meny"] == ETTERLEVELSE else None,
            undermeny=[
                (p, s.get("kort", s["tittel"]))
                for p, s in VISNINGER.items()
                if s["meny"] == spec["meny"]
            ]
            + [FULLSTENDIGHET]
            if spec["meny"] == BEHANDLINGER
            else [],
            side=page,
        )
        ctx = _context(request, spec["meny"][0], v=v)
        if spec["visning"] == "bruk":
            v["maal"] = list(ev.BRUK_MAAL.items())
            v["avdelinger"] = []
            if ctx["feil"] is None:
                with request.app.state.source.read() as con:
                    try:
                        ev.require(con, ev.BRUK_UKE)
                    except q.Unavailable as e:
                        ctx["feil"] = str(e)
                    else:
                        v["avdelinger"] = [{"verdi": a, "navn": a} for a in ev.bruk_avdelinger(con)]
        return templates.TemplateResponse(request, "visning.html", ctx)

    return render


# Registered before /etterlevelse/{datasett}, which would otherwise catch them.
for _page in VISNINGER:
    router.add_api_route(_page, _visning(_page), methods=["GET"], response_class=HTMLResponse)


@router.get("/etterlevelse/{datasett}.json")
def etterlevelse_ds_json(request: Request, datasett: str) -> RedirectResponse:
    query = request.url.query
    return RedirectResponse(
        f"/api/v1/etterlevelse/{datasett}" + (f"?{query}" if query else ""), status_code=307
    )


def _kontor_page(request: Request, path: str, kontor: str | None) -> dict[str, Any]:
    """The context of a page about one kontor's persons: the kontor choice and the first error."""
    ctx = _context(request, path)
    kctx = _kontor_context(request, kontor)
    ctx.update({k: v for k, v in kctx.items() if k != "feil"})
    ctx["feil"] = ctx["feil"] or kctx.get("feil")
    ctx["personer"] = True
    return ctx


@router.get("/tiltak", response_class=HTMLResponse)
def tiltak(request: Request, kontor: str | None = None) -> HTMLResponse:
    ctx = _kontor_page(request, "/tiltak", kontor)
    ctx["dimensjoner"] = [("periode", "Periode")] + [
        (k, v) for k, v in q.DIMENSION_LABELS.items() if k not in ("tiltaksnavn", "uke")
    ]
    return templates.TemplateResponse(request, "tiltak.html", ctx)


@router.get("/tiltak/denne-uken", response_class=HTMLResponse)
def denne_uken(request: Request, kontor: str | None = None) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "denne_uken.html", _kontor_page(request, "/tiltak/denne-uken", kontor)
    )


@router.get("/tiltak/oppfolging", response_class=HTMLResponse)
def oppfolging(request: Request, kontor: str | None = None) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "oppfolging.html", _kontor_page(request, "/tiltak/oppfolging", kontor)
    )


@router.get("/tiltak/ventetid", response_class=HTMLResponse)
def ventetid(request: Request, kontor: str | None = None) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "ventetid.html", _kontor_page(request, "/tiltak/ventetid", kontor)
    )


@router.get("/om-tallene", response_class=HTMLResponse)
def om_tallene(request: Request) -> HTMLResponse:
    ctx = _context(request, "/om-tallene", definisjoner_liste=as_list())
    return templates.TemplateResponse(request, "om_tallene.html", ctx)


@router.get("/tiltak/gjennomforinger", response_class=HTMLResponse)
def gjennomforinger(request: Request, kontor: str | None = None) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "gjennomforinger.html", _kontor_page(request, "/tiltak/gjennomforinger", kontor)
    )


@router.get("/tiltak/datakvalitet", response_class=HTMLResponse)
def datakvalitet(request: Request, kontor: str | None = None) -> HTMLResponse:
    ctx = _context(request, "/tiltak/datakvalitet", personer=True)
    kctx = _kontor_context(request, kontor)
    ctx["kontorer"] = kctx.get("kontorer", [])
    # No kontor asked for: the whole country (the reasons for not counting exist only there).
    ctx["kontor"] = kctx.get("kontor") if kontor else None
    ctx["feil"] = ctx["feil"] or kctx.get("feil")
    return templates.TemplateResponse(request, "datakvalitet.html", ctx)


@router.get("/etterlevelse", response_class=HTMLResponse)
def etterlevelse(request: Request) -> HTMLResponse:
    ctx = _context(request, "/etterlevelse", datasett=[])
    if ctx["feil"] is None:
        with request.app.state.source.read() as con:
            ctx["datasett"] = q.etterlevelse_datasett(con)
    ctx["visninger"] = [
        (page, v["tittel"]) for page, v in VISNINGER.items() if v["meny"] == ETTERLEVELSE
    ]
    ctx["visninger"].insert(0, ("/etterlevelse/dokumentstatus", "Dokumentstatus"))
    ctx["behandlinger"] = BEHANDLINGER
    return templates.TemplateResponse(request, "etterlevelse.html", ctx)


@router.get("/etterlevelse/{datasett}", response_class=HTMLResponse)
def etterlevelse_ds(request: Request, datasett: str) -> HTMLResponse:
    ctx = _context(request, "/etterlevelse", datasett=datasett, kolonner=[])
    status = 200
    if ctx["feil"] is None:
        with request.app.state.source.read() as con:
            known = {d["navn"]: d for d in q.etterlevelse_datasett(con)}
        if datasett in known:
            ctx["kolonner"] = known[datasett]["kolonner"]
            ctx["beskrivelse"] = known[datasett]["beskrivelse"]
        else:
            ctx["feil"] = f"Fant ikke datasettet «{datasett}»."
            status = 404
    return templates.TemplateResponse(request, "etterlevelse_ds.html", ctx, status_code=status)
