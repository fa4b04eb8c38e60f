"""Etterlevelse views: the JSON API under /api/v1/etterlevelse (with CSV/Excel export); their SQL
is in queries/etterlevelse.py. The behandlinger views are in behandlinger.py.

Each view answers `{..., "tabell": {"kolonner": [...], "rader": [[...]], "sum": [...] | null}}`:
`tabell` is exactly the table the page shows beside its chart and exactly what the export
writes, so page, JSON and file always agree. The other keys feed the chart.

These counts are documents and behandlinger, never persons, so small-count suppression (which
protects persons) does not apply here. No free text and no NAV idents are read: only ids,
statuses, codelist short names, dates and counts (processor names are organisations).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from metrikk.web import queries as q
from metrikk.web.common import ApiError, parse_week, week_span
from metrikk.web.eksport import Format, view_response, view_table
from metrikk.web.queries.etterlevelse import (
    BRUK_UKE,
    PVK_DOKUMENT,
    PVK_FLYT,
    SIST_OPPDATERT,
    avdeling_navn,
    bruk_avdelinger,
    bruk_kilde,
)
from metrikk.web.queries.etterlevelse import require_columns as require
from metrikk.web.tabell import shares

router = APIRouter(prefix="/api/v1/etterlevelse", tags=["etterlevelse"])


FORSTE_DATO, SISTE_DATO = date(1900, 1, 1), date(2999, 12, 31)  # as the weeks (common.monday_of)
# OpenAPI says these strings are dates, so generated requests (tests/web/test_openapi.py) send
# dates from the whole calendar; the range check is ours, for a Norwegian message.
DATE_SCHEMA: dict[str, Any] = {"json_schema_extra": {"format": "date"}}


def _parse_date(text: str | None, what: str) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        d = date.fromisoformat(text.strip())
    except ValueError:
        raise ApiError(f"{what}: «{text}» er ikke en dato. Skriv datoen som 2025-06-30.") from None
    if not FORSTE_DATO <= d <= SISTE_DATO:
        # Period arithmetic near the calendar's ends overflows (issue #12: til=9999-12-31 was a 500).
        raise ApiError(
            f"{what}: {d.isoformat()} er utenfor det vi støtter "
            f"({FORSTE_DATO.isoformat()} – {SISTE_DATO.isoformat()})."
        )
    return d


# --- days since last update ------------------------------------------------------------------

# (from, to inclusive or None, label)
BOKSER: list[tuple[int, int | None, str]] = [
    (0, 7, "0–7 dager"),
    (8, 30, "8–30 dager"),
    (31, 90, "31–90 dager"),
    (91, 180, "91–180 dager"),
    (181, 365, "181–365 dager"),
    (366, None, "Mer enn ett år"),
]


def sist_oppdatert(con, dato: date | None) -> dict[str, Any]:
    require(con, SIST_OPPDATERT)
    first, last = q.sist_oppdatert_dager(con)
    if last is None:
        raise q.Unavailable("Datasettet ds_sist_oppdatert er tomt. Kjør «metrikk run».")
    dato = dato or last
    if not first <= dato <= last:
        raise ApiError(
            f"Dato: {dato.isoformat()} er utenfor dataene ({first.isoformat()} – {last.isoformat()})."
        )
    counts = q.sist_oppdatert_bokser(con, dato, BOKSER)
    totalt, median, oppdatert = q.sist_oppdatert_totalt(con, dato)
    antall = [int(counts.get(i, 0)) for i in range(len(BOKSER))]
    andel = shares(antall)
    bokser = [
        {"fra": lo, "til": hi, "navn": navn, "antall": n, "andel": a}
        for (lo, hi, navn), n, a in zip(BOKSER, antall, andel, strict=True)
    ]
    return {
        "dato": dato.isoformat(),
        "forste_dato": first.isoformat(),
        "siste_dato": last.isoformat(),
        "dokumenter": int(totalt),
        "median_dager": None if median is None else float(median),
        "oppdatert_denne_dagen": int(oppdatert or 0),
        "bokser": bokser,
        "tabell": view_table(
            ["Dager siden siste oppdatering", "Dokumenter", "Andel (%)"],
            [[b["navn"], b["antall"], b["andel"]] for b in bokser],
            ["Totalt", int(totalt), 100.0 if totalt else None],
        ),
    }


@router.get(
    "/sist-oppdatert",
    summary="Dager siden siste oppdatering: fordeling av dokumentene en gitt dag",
    description="Fra etterlevelse.ds_sist_oppdatert: dokumentene som finnes på `dato` (standard: "
    "siste dag i dataene), fordelt på hvor mange dager det var siden et svar sist ble lagret.",
)
def sist_oppdatert_route(
    request: Request,
    dato: Annotated[
        str | None, Query(description="Dagen fordelingen gjelder (ÅÅÅÅ-MM-DD)", **DATE_SCHEMA)
    ] = None,
    format: Format = "json",
) -> Any:
    d = _parse_date(dato, "Dato")
    with request.app.state.source.read() as con:
        out = sist_oppdatert(con, d)
    return view_response(out, format, f"sist_oppdatert_{out['dato']}", "Sist oppdatert")


# --- PVK flow ----------------------------------------------------------------------------------

PVK_STATUSER: dict[str, str] = {
    "UNDERARBEID": "Under arbeid",
    "SENDT_TIL_PVO": "Sendt til PVO",
    "PVO_UNDERARBEID": "PVO vurderer",
    "VURDERT_AV_PVO": "Vurdert av PVO",
    "VURDERT_AV_PVO_TRENGER_MER_ARBEID": "Vurdert av PVO, trenger mer arbeid",
    "SENDT_TIL_PVO_FOR_REVURDERING": "Sendt til PVO for revurdering",
    "TRENGER_GODKJENNING": "Trenger godkjenning",
    "GODKJENT_AV_RISIKOEIER": "Godkjent av risikoeier",
    "AKTIV": "Aktiv",
    "INAKTIV": "Inaktiv",
    "UKJENT": "Uten status",
}

Periode = Literal["uke", "maned"]
MANEDER = "jan feb mar apr mai jun jul aug sep okt nov des".split()


def _period_start(d: date, periode: str) -> date:
    return d - timedelta(days=d.weekday()) if periode == "uke" else d.replace(day=1)


def _next_period(d: date, periode: str) -> date:
    if periode == "uke":
        return d + timedelta(days=7)
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def _periods_between(fra: date, til: date, periode: str) -> int:
    """How many periods fra … til (both period starts, fra <= til) spans."""
    if periode == "uke":
        return (til - fra).days // 7 + 1
    return (til.year - fra.year) * 12 + til.month - fra.month + 1


def period_label(d: date, periode: str) -> str:
    return q.week_label(d) if periode == "uke" else f"{MANEDER[d.month - 1]} {d.year}"


def pvk_flyt(con, periode: str, fra: date | None, til: date | None) -> dict[str, Any]:
    """Documents in each PVK status at the end of each period, and first entries per period.

    The stock is read from the full version history (stage_pvk_dokument: the latest version on or
    before the period's last day, by time, version, audit_id; deleted documents drop out);
    ds_pvk_flyt keeps only first and last entry per status, which cannot give the status on a
    given day when a status was entered three times or more. `nye` (first entry into a status in
    the period) is read from ds_pvk_flyt.forsteTid.
    """
    require(con, PVK_DOKUMENT, PVK_FLYT)
    first, last = q.pvk_dager(con)
    if last is None:
        raise q.Unavailable("Det finnes ingen PVK-dokumenter i dataene ennå.")
    if q.has_table(con, "etterlevelse", "ds_sist_oppdatert"):
        # The reference date of the run: statuses hold after the last saved version.
        ref = q.sist_oppdatert_siste_dag(con)
        last = max(last, ref or last)
    default_count = 26 if periode == "uke" else 12
    til_p = _period_start(til or last, periode)
    if fra is None:
        fra_p = til_p
        for _ in range(default_count - 1):
            fra_p = _period_start(fra_p - timedelta(days=1), periode)
        fra_p = max(fra_p, _period_start(first, periode))
    else:
        fra_p = _period_start(fra, periode)
    if fra_p > til_p:
        raise ApiError("Fra-datoen er etter til-datoen.")
    # Counted before they are listed: fra=1900-01-01 alone is 58 000 weeks.
    if _periods_between(fra_p, til_p, periode) > 520:
        raise ApiError("Perioden er for lang: velg høyst 520 uker eller måneder.")
    starts = []
    d = fra_p
    while d <= til_p:
        starts.append(d)
        d = _next_period(d, periode)
    ends = [_next_period(s, periode) for s in starts]
    rows = q.pvk_bestand(con, starts, ends)
    nye_rows = q.pvk_nye(con, starts[0], ends[-1] - timedelta(days=1))
    stock: dict[tuple[date, str], int] = {(s, st): int(n) for s, st, n in rows}
    nye: dict[tuple[date, str], int] = {}
    for dag, st, n in nye_rows:
        key = (_period_start(dag, periode), st or "UKJENT")
        nye[key] = nye.get(key, 0) + int(n)
    present = {st for _, st in stock} | {st for _, st in nye}
    statuser = [s for s in PVK_STATUSER if s in present] + sorted(present - set(PVK_STATUSER))
    perioder = []
    for s in starts:
        antall = {st: stock.get((s, st), 0) for st in statuser}
        perioder.append(
            {
                "periode": period_label(s, periode),
                "start": s.isoformat(),
                "antall": antall,
                "nye": {st: nye.get((s, st), 0) for st in statuser},
                "totalt": sum(antall.values()),
            }
        )
    navn = [PVK_STATUSER.get(st, st) for st in statuser]
    return {
        "periode": periode,
        "fra": starts[0].isoformat(),
        "til": (ends[-1] - timedelta(days=1)).isoformat(),
        "siste_dato": last.isoformat(),
        "statuser": [{"verdi": st, "navn": n} for st, n in zip(statuser, navn, strict=True)],
        "perioder": perioder,
        "tabell": view_table(
            ["Uke" if periode == "uke" else "Måned", *navn, "Totalt"],
            [[p["periode"], *(p["antall"][st] for st in statuser), p["totalt"]] for p in perioder],
        ),
    }


@router.get(
    "/pvk-flyt",
    summary="PVK-flyt: dokumenter i hvert PVK-steg per uke eller måned",
    description="Antall PVK-dokumenter i hver status ved slutten av hver uke/måned (fra "
    "versjonshistorikken i stage_pvk_dokument), og hvor mange som gikk inn i statusen for første "
    "gang i perioden (`nye`, fra ds_pvk_flyt). Standard: de siste 26 ukene eller 12 månedene.",
)
def pvk_flyt_route(
    request: Request,
    periode: Periode = "uke",
    fra: Annotated[str | None, Query(description="Første dag (ÅÅÅÅ-MM-DD)", **DATE_SCHEMA)] = None,
    til: Annotated[str | None, Query(description="Siste dag (ÅÅÅÅ-MM-DD)", **DATE_SCHEMA)] = None,
    format: Format = "json",
) -> Any:
    fra_d, til_d = _parse_date(fra, "Fra"), _parse_date(til, "Til")
    with request.app.state.source.read() as con:
        out = pvk_flyt(con, periode, fra_d, til_d)
    return view_response(out, format, f"pvk_flyt_{periode}_{out['fra']}_{out['til']}", "PVK-flyt")


# --- weekly usage ------------------------------------------------------------------------------

BRUK_MAAL: dict[str, str] = {
    "antallAktiveDokumenter": "Aktive dokumenter",
    "antallLagredeSvar": "Lagrede svar",
    "antallNyeDokumenter": "Nye dokumenter",
    "antallFullforteDokumenter": "Fullførte dokumenter",
}
Maal = Literal[
    "antallAktiveDokumenter",
    "antallLagredeSvar",
    "antallNyeDokumenter",
    "antallFullforteDokumenter",
]


def bruk_uke(
    con, fra: str | None, til: str | None, avdeling: list[str], maal: str
) -> dict[str, Any]:
    """ds_bruk_uke for a period, zero-filled per week × avdeling.

    Every document has one avdeling (its current version's), so the weekly totals over avdelinger
    are sums of disjoint counts, exact for documents as for answers.
    """
    require(con, BRUK_UKE)
    # A code in the filter (an old link: avdeling=AVD_HR) means the avdeling it names.
    navn = avdeling_navn(con)
    avdeling = list(dict.fromkeys(navn.get(a, a) for a in avdeling))
    first, last = q.bruk_uker(con)
    if last is None:
        raise q.Unavailable("Datasettet ds_bruk_uke er tomt. Kjør «metrikk run».")
    fra_d = parse_week(fra, "Fra uke") if fra else None
    til_d = parse_week(til, "Til uke") if til else last
    fra_d, til_d = week_span(fra_d, til_d, first, last, default_weeks=26)
    kilde = bruk_kilde(con)
    alle = bruk_avdelinger(con)
    unknown = [a for a in dict.fromkeys(avdeling) if a not in set(alle)]
    if unknown:
        raise ApiError(
            f"Ukjent avdeling: {', '.join(f'«{a}»' for a in unknown)}. Avdelinger i dataene: "
            f"{', '.join(alle)}."
        )
    rows = q.bruk_rader(con, kilde, fra_d, til_d, avdeling)
    by_key = {(r["uke_start"], r["avdeling"]): r for r in rows}
    size: dict[str, int] = {}
    for r in rows:
        size[r["avdeling"]] = size.get(r["avdeling"], 0) + int(r[maal] or 0)
    for a in avdeling:
        size.setdefault(a, 0)
    avdelinger = sorted(size, key=lambda a: (-size[a], a))
    weeks = q.weeks_between(fra_d, til_d)
    rader, uker = [], []
    for w in weeks:
        sums = dict.fromkeys(BRUK_MAAL, 0)
        for a in avdelinger:
            r = by_key.get((w, a), {})
            values = {m: int(r.get(m) or 0) for m in BRUK_MAAL}
            for m, v in values.items():
                sums[m] += v
            rader.append({"uke": q.week_label(w), "avdeling": a, **values})
        uker.append({"uke": q.week_label(w), **sums})
    cell = {(r["uke"], r["avdeling"]): r[maal] for r in rader}
    table_rows = [[u["uke"], *(cell[(u["uke"], a)] for a in avdelinger), u[maal]] for u in uker]
    # A document active in two weeks is one document, so active documents have no period sum;
    # answers, new and completed documents are events and add up.
    total = (
        None
        if maal == "antallAktiveDokumenter"
        else ["Sum for perioden", *(size[a] for a in avdelinger), sum(u[maal] for u in uker)]
    )
    return {
        "periode": {"fra": q.week_label(fra_d), "til": q.week_label(til_d)},
        "siste_uke": q.week_label(last),
        "forste_uke": q.week_label(first),
        "maal": {"verdi": maal, "navn": BRUK_MAAL[maal]},
        "maal_valg": [{"verdi": k, "navn": v} for k, v in BRUK_MAAL.items()],
        "avdelinger": avdelinger,
        "alle_avdelinger": alle,
        "uker": uker,
        "rader": rader,
        "tabell": view_table(["Uke", *avdelinger, "Totalt"], table_rows, total),
    }


@router.get(
    "/bruk",
    summary="Bruk per uke: aktive dokumenter, lagrede svar, nye og fullførte dokumenter per avdeling",
    description="Fra etterlevelse.ds_bruk_uke, nullfylt for hver uke og avdeling i perioden "
    "(standard: de siste 26 ukene med data). `maal` velger tallet i tabellen og eksporten.",
)
def bruk_route(
    request: Request,
    fra: str | None = None,
    til: str | None = None,
    avdeling: Annotated[list[str], Query()] = [],  # noqa: B006
    maal: Maal = "antallAktiveDokumenter",
    format: Format = "json",
) -> Any:
    with request.app.state.source.read() as con:
        out = bruk_uke(con, fra, til, avdeling, maal)
    p = out["periode"]
    return view_response(out, format, f"bruk_{maal}_{p['fra']}_{p['til']}", "Bruk per uke")
