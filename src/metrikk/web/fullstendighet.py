"""Behandlingskatalogen completeness over time: the page `/behandlinger/fullstendighet`, its JSON
twin `/api/v1/behandlinger/fullstendighet` (with CSV/Excel export); the SQL is in
web/queries/fullstendighet.py.

Reads `behandlinger.ds_fullstendighet` (one row per ISO week × avdeling × seksjon × indikator).
Each behandling sits in exactly one (avdeling, seksjon) per week, so sums over avdelinger and
seksjoner count every behandling once; the unknown avdeling (UKJENT) is a group like the others
and is in the totals. Counts are behandlinger, never persons, so small-count suppression does not
apply. Only codes, names of units and counts are read.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from metrikk.web import eksport
from metrikk.web import queries as q
from metrikk.web.api import ApiError, Format, export_response, parse_week
from metrikk.web.common import week_span
from metrikk.web.pages import BEHANDLINGER, FULLSTENDIGHET, VISNINGER, _context, templates

router = APIRouter(prefix="/api/v1/behandlinger", tags=["behandlinger"])
pages = APIRouter(include_in_schema=False)

SIDE = FULLSTENDIGHET[0]
API = "/api/v1/behandlinger/fullstendighet"

# indikator -> (name, help text). The rules are the model's (docs/behandlinger.md).
INDIKATORER: dict[str, tuple[str, str]] = {
    "ART6_MANGLER": (
        "Mangler behandlingsgrunnlag etter artikkel 6",
        "Behandlingen har minst én opplysningstype som verken har et artikkel 6-grunnlag selv "
        "eller arver et fra behandlingen. Opplysningstyper merket «uavklart» eller "
        "«overskuddsinformasjon» telles ikke her (samme regel som Behandlingskatalogen).",
    ),
    "ART9_MANGLER": (
        "Mangler grunnlag etter artikkel 9 for særlige kategorier",
        "Behandlingen bruker en opplysningstype med særlige kategorier personopplysninger, og "
        "verken opplysningstypen eller behandlingen har et artikkel 9-grunnlag.",
    ),
    "GRUNNLAG_UAVKLART": (
        "Behandlingsgrunnlag uavklart",
        "Minst én opplysningstype i behandlingen har behandlingsgrunnlag merket «uavklart».",
    ),
    "DPIA_UKJENT": (
        "Ikke svart om DPIA trengs",
        "Spørsmålet om behandlingen trenger en personvernkonsekvensvurdering (DPIA) er ikke "
        "besvart (verken ja eller nei).",
    ),
    "LAGRINGSPLAN_MANGLER": (
        "Mangler bevarings- og kassasjonsplan",
        "Behandlingen har ikke svart ja på at den følger en bevarings- og kassasjonsplan "
        "(svart nei eller ikke besvart).",
    ),
    "DATABEHANDLER_UTEN_AVTALE": (
        "Databehandler uten avtale",
        "Behandlingen bruker databehandler, men nevner ingen databehandler med avtale: minst én "
        "av databehandlerne den peker på har ingen avtale registrert, eller (før april 2021) "
        "ingen databehandleravtale er oppgitt.",
    ),
    "PROFILERING_UKJENT": (
        "Ikke svart om profilering",
        "Spørsmålet om behandlingen innebærer profilering er ikke besvart.",
    ),
    "AUTOMATISERING_UKJENT": (
        "Ikke svart om automatiserte avgjørelser",
        "Spørsmålet om behandlingen innebærer automatiserte avgjørelser er ikke besvart.",
    ),
    "KI_UKJENT": (
        "Ikke svart om bruk av KI",
        "Spørsmålet om behandlingen bruker kunstig intelligens er ikke besvart. Spørsmålet kom "
        "i juli 2025, så alle eldre versjoner teller som ikke besvart.",
    ),
}
AKTIV_HJELP = (
    "Aktive behandlinger er behandlinger som ikke er slettet ved ukens slutt og der perioden "
    "(fra–til-dato) omfatter ukens søndag, uansett status. Hver uke viser behandlingene slik de "
    "var lagret da uken var slutt."
)


def _pct(mangler: int, antall: int) -> float | None:
    return round(100 * mangler / antall, 1) if antall else None


def fullstendighet(
    con,
    indikator: str,
    avdeling: list[str],
    seksjon: list[str],
    fra: str | None,
    til: str | None,
) -> dict[str, Any]:
    """Share of active behandlinger that lack what `indikator` measures, per week and avdeling."""
    q.require_fullstendighet(con)
    if indikator not in INDIKATORER:
        raise ApiError(f"Ukjent indikator «{indikator}». Velg en av: {', '.join(INDIKATORER)}.")
    first, last = q.fullstendighet_uker(con)
    if last is None:
        raise q.Unavailable("Datasettet ds_fullstendighet er tomt. Kjør «metrikk run».")
    alle = q.fullstendighet_avdelinger(con)
    navn = {a["verdi"]: a["navn"] for a in alle}
    # A name in the filter means its code (a link written by hand).
    kode = {a["navn"]: a["verdi"] for a in alle}
    avdeling = list(dict.fromkeys(kode.get(a, a) for a in avdeling))
    unknown = [a for a in avdeling if a not in navn]
    if unknown:
        raise ApiError(
            f"Ukjent avdeling: {', '.join(f'«{a}»' for a in unknown)}. Avdelinger i dataene: "
            + ", ".join(f"{a['navn']} ({a['verdi']})" for a in alle)
            + "."
        )
    alle_seksjoner = q.fullstendighet_seksjoner(con)
    seksjon_navn = {s["verdi"]: s["navn"] for s in alle_seksjoner}
    seksjon_navn["UKJENT"] = "Uten seksjon"
    seksjon = list(dict.fromkeys(seksjon))
    unknown = [s for s in seksjon if s not in seksjon_navn]
    if unknown:
        raise ApiError(f"Ukjent seksjon: {', '.join(f'«{s}»' for s in unknown)}.")

    til_d = parse_week(til, "Til uke") if til else last
    fra_d = parse_week(fra, "Fra uke") if fra else None
    fra_d, til_d = week_span(fra_d, til_d, first, last, default_weeks=52)

    cells = q.fullstendighet_celler(con, indikator, fra_d, til_d, avdeling, seksjon)
    # Avdelinger in the chart and table: the chosen ones, else those with data, by name.
    shown = avdeling or sorted({a for _, a in cells}, key=lambda a: (a == "UKJENT", navn[a], a))
    weeks = q.weeks_between(fra_d, til_d)
    uker, serier = [], {a: [] for a in shown}
    for w in weeks:
        n_tot = m_tot = 0
        for a in shown:
            n, m = cells.get((w, a), (0, 0))
            n_tot, m_tot = n_tot + n, m_tot + m
            serier[a].append({"behandlinger": n, "mangler": m, "andel": _pct(m, n)})
        uker.append(
            {
                "uke": q.week_label(w),
                "behandlinger": n_tot,
                "mangler": m_tot,
                "andel": _pct(m_tot, n_tot),
            }
        )
    kolonner = [
        "Uke",
        *(f"{navn[a]} (%)" for a in shown),
        "Totalt (%)",
        "Aktive behandlinger",
        "Mangler",
    ]
    rader = [
        [
            u["uke"],
            *(serier[a][i]["andel"] for a in shown),
            u["andel"],
            u["behandlinger"],
            u["mangler"],
        ]
        for i, u in enumerate(uker)
    ]
    inavn, hjelp = INDIKATORER[indikator]
    return {
        "periode": {"fra": q.week_label(fra_d), "til": q.week_label(til_d)},
        "forste_uke": q.week_label(first),
        "siste_uke": q.week_label(last),
        "indikator": {"verdi": indikator, "navn": inavn, "hjelp": hjelp},
        "indikator_valg": [{"verdi": k, "navn": v[0]} for k, v in INDIKATORER.items()],
        "filter": {"avdeling": avdeling, "seksjon": seksjon},
        "avdelinger": [{"verdi": a, "navn": navn[a]} for a in shown],
        "alle_avdelinger": alle,
        "alle_seksjoner": alle_seksjoner,
        "uker": uker,
        "serier": [{"verdi": a, "navn": navn[a], "uker": serier[a]} for a in shown],
        "tabell": {"kolonner": kolonner, "rader": rader, "sum": None},
        "_navn": {"avdeling": navn, "seksjon": seksjon_navn},
    }


@router.get(
    "/fullstendighet",
    summary="Fullstendighet i Behandlingskatalogen per uke og avdeling",
    description="Fra behandlinger.ds_fullstendighet: andelen aktive behandlinger som mangler det "
    "indikatoren måler, per ISO-uke og avdeling (standard: de siste 52 ukene med data). "
    "`avdeling` og `seksjon` kan gis flere ganger; uten dem er alle med.",
)
def fullstendighet_route(
    request: Request,
    indikator: str = "ART6_MANGLER",
    avdeling: Annotated[list[str], Query()] = [],  # noqa: B006
    seksjon: Annotated[list[str], Query()] = [],  # noqa: B006
    fra: str | None = None,
    til: str | None = None,
    format: Format = "json",
) -> Any:
    with request.app.state.source.read() as con:
        out = fullstendighet(con, indikator, avdeling, seksjon, fra, til)
        syntetisk = bool(q.meta(con).get("syntetisk"))
    navn = out.pop("_navn")
    if format == "json":
        return out
    t = out["tabell"]
    p = out["periode"]
    preamble = eksport.preamble(
        periode=f"{p['fra']} – {p['til']}",
        maal=f"{out['indikator']['navn']}: andel av aktive behandlinger ved ukens slutt",
        filters={
            "avdeling": [f"{navn['avdeling'][a]} ({a})" for a in out["filter"]["avdeling"]],
            "seksjon": [f"{navn['seksjon'][s]} ({s})" for s in out["filter"]["seksjon"]],
        },
        extra=[("Regel", out["indikator"]["hjelp"]), ("Aktive behandlinger", AKTIV_HJELP)],
        syntetisk=syntetisk,
    )
    filename = f"fullstendighet_{out['indikator']['verdi']}_{p['fra']}_{p['til']}"
    return export_response(
        format, filename, t["kolonner"], t["rader"], sheet="Fullstendighet", preamble=preamble
    )


@pages.get(SIDE, response_class=HTMLResponse)
def fullstendighet_side(request: Request) -> HTMLResponse:
    undermeny = [
        (p, s.get("kort", s["tittel"])) for p, s in VISNINGER.items() if s["meny"] == BEHANDLINGER
    ] + [FULLSTENDIGHET]
    ctx = _context(
        request,
        BEHANDLINGER[0],
        undermeny=undermeny,
        side=SIDE,
        api=API,
        indikatorer=[(k, n, h) for k, (n, h) in INDIKATORER.items()],
        aktiv_hjelp=AKTIV_HJELP,
        avdelinger=[],
        seksjoner=[],
    )
    if ctx["feil"] is None:
        with request.app.state.source.read() as con:
            try:
                q.require_fullstendighet(con)
            except q.Unavailable as e:
                ctx["feil"] = str(e)
            else:
                ctx["avdelinger"] = q.fullstendighet_avdelinger(con)
                ctx["seksjoner"] = q.fullstendighet_seksjoner(con)
    return templates.TemplateResponse(request, "fullstendighet.html", ctx)
