"""«Denne uken»: this week's answer at a glance for one kontor (`/api/v1/tiltak/denne-uken`).

The latest published week (or `uke=`): tiltak (or tiltakskategori) rows × avdeling (or
innsatsgruppe) columns of distinct persons, with a total per row, per column and in all, each
a distinct count of its own (never a sum of cells); beside each figure the same figure in the
week before and in the same ISO week a year earlier, and the change (number and %). Number
tiles above: på tiltak, startet, sluttet, venter, belegg and the share of the persons under
oppfølging who are på tiltak.

Every count of people goes through the protection of `--min-antall` (tabell.shown); changes
and percentages are computed from the shown numbers.

Adding a tile: write a function `(con, ctx, week) -> int | float | None` and add a `Tile` to
`TILES`. «Andel under oppfølging på tiltak» (issue #15) is such a tile: the kontor's
`antall_paa_tiltak` and `antall_under_oppfolging` of the week summed over the cells of
`tiltak_gold.uke_oppfolging` (a person under oppfølging lands in exactly one cell per week, so
the sums are distinct counts), both protected as counts, the ratio of the shown numbers; a
warehouse without that table simply has no such tile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from metrikk.web import eksport, indeks, perioder, tabell
from metrikk.web import queries as q
from metrikk.web.common import ApiError, _resolve_kontor, _source
from metrikk.web.definisjoner import help_text
from metrikk.web.eksport import Format, export_response
from metrikk.web.suppression import protect, ratio

router = APIRouter(prefix="/api/v1", tags=["api"])

Rader = Literal["tiltakskode", "tiltakskategori", "tiltaksgruppe"]
Kolonner = Literal["avdeling", "innsatsgruppe"]


def same_week_last_year(monday: date) -> tuple[date | None, str | None]:
    """The Monday of the same ISO week a year earlier, or None and why (week 53)."""
    aar, uke, _ = monday.isocalendar()
    if uke > perioder.weeks_in_year(aar - 1):
        return None, f"{aar - 1} har ingen uke {uke}."
    return date.fromisocalendar(aar - 1, uke, 1), None


@dataclass
class Context:
    kontor: str
    k: int | None


@dataclass(frozen=True)
class Tile:
    id: str
    navn: str
    enhet: str  # "personer", "deltakelser", "prosent"
    hjelp: str  # the definition key (definisjoner.py)
    value: Callable[[Any, Context, date], int | float | None]
    available: Callable[[Any], bool] = lambda con: True


def _persons(con, ctx: Context, week: date) -> int:
    return indeks.distinct_persons(con, q.TiltakFilter(ctx.kontor, week, week), ["uke"])["total"]


def _started_ended(con, ctx: Context, week: date) -> tuple[int, int]:
    return con.memo("startet_sluttet", q.startet_sluttet, ctx.kontor, week)


def _venter(con, ctx: Context, week: date) -> int:
    return indeks.gjennomforing_ukesum(con, week, week, ctx.kontor)[week]["venter"]


def _belegg(con, ctx: Context, week: date) -> float | None:
    s = indeks.gjennomforing_ukesum(con, week, week, ctx.kontor)[week]
    return ratio(s["deltar_med_plasser"], s["plasser"], ctx.k)


def _has_gjennomforing(con) -> bool:
    return q.has_table(con, "tiltak_gold", "uke_gjennomforing")


def _andel_oppfolging(con, ctx: Context, week: date) -> float | None:
    """På tiltak / under oppfølging at the kontor (tiltak_gold.uke_oppfolging: a person under
    oppfølging is in one cell per week, so the sums are distinct counts). Both counts are
    protected; the share is of the shown numbers."""
    under, paa = con.memo("oppfolging_uke_sum", q.oppfolging_uke_sum, ctx.kontor, week)
    u, p = protect(under, ctx.k), protect(paa, ctx.k)
    if u is None or p is None or u == 0:
        return None
    return p / u


def _has_oppfolging(con) -> bool:
    return q.has_table(con, "tiltak_gold", "uke_oppfolging")


TILES = (
    Tile("paa_tiltak", "På tiltak", "personer", "paa_tiltak", _persons),
    Tile("startet", "Startet", "personer", "startet", lambda c, x, w: _started_ended(c, x, w)[0]),
    Tile("sluttet", "Sluttet", "personer", "sluttet", lambda c, x, w: _started_ended(c, x, w)[1]),
    Tile("venter", "Venter på plass", "deltakelser", "venter", _venter, _has_gjennomforing),
    Tile("belegg", "Belegg", "prosent", "belegg", _belegg, _has_gjennomforing),
    Tile(
        "andel_paa_tiltak",
        "Andel under oppfølging på tiltak",
        "prosent",
        "andel_paa_tiltak",
        _andel_oppfolging,
        _has_oppfolging,
    ),
)


def _tile(con, ctx: Context, tile: Tile, weeks: dict[str, date | None]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, week in weeks.items():
        if week is None:
            values[name] = None
            continue
        v = tile.value(con, ctx, week)
        if tile.enhet == "prosent":
            values[name] = None if v is None else round(100 * v, 1)
        else:
            values[name] = tabell.shown(v, ctx.k)
    return {
        "id": tile.id,
        "navn": tile.navn,
        "enhet": tile.enhet,
        "hjelp": tile.hjelp,
        "hjelp_tekst": help_text(tile.hjelp),
        "antall": values["denne"],
        "forrige_uke": values["forrige"],
        "i_fjor": values["i_fjor"],
        "endring_uke": tabell.change(values["denne"], values["forrige"]),
        "endring_aar": tabell.change(values["denne"], values["i_fjor"]),
    }


def _figure(now: Any, before: Any, last_year: Any, k: int | None) -> dict[str, Any]:
    a, b, c = (None if v is None else tabell.shown(v, k) for v in (now, before, last_year))
    return {
        "antall": a,
        "forrige_uke": b,
        "i_fjor": c,
        "endring_uke": tabell.change(a, b),
        "endring_aar": tabell.change(a, c),
    }


@router.get(
    "/tiltak/denne-uken",
    summary="Denne uken for et kontor: tiltak × avdeling, endring fra forrige uke og fra i fjor",
    description=(
        "Unike personer per tiltak (eller tiltakskategori) og avdeling (eller innsatsgruppe) i "
        "siste publiserte uke (eller `uke`), med totaler som er unike personer, og de samme "
        "tallene for uken før og samme ISO-uke året før, med endring i antall og prosent. "
        "`fliser` har på tiltak, startet, sluttet, venter, belegg og andelen av personene "
        "under oppfølging som er på tiltak."
    ),
)
def denne_uken(
    request: Request,
    kontor: str | None = None,
    uke: Annotated[str | None, Query(description="Uken, f.eks. 2025-U25 (standard: siste)")] = None,
    rader: Rader = "tiltakskode",
    kolonner: Kolonner = "avdeling",
    format: Format = "json",
) -> Any:
    k = request.app.state.min_antall
    with _source(request).read() as con:
        kontor, kontor_navn = _resolve_kontor(con, kontor)
        rng = q.week_range(con)
        if rng is None:
            raise ApiError("Det finnes ingen publiserte tiltaksdata ennå. Kjør «metrikk run».", 503)
        first, last = rng
        try:
            week = perioder.parse("uke", uke, "Uke") if uke else last
        except perioder.PeriodError as e:
            raise ApiError(str(e)) from None
        if not first <= week <= last:
            raise ApiError(
                f"Uke {q.week_label(week)} har ingen publiserte data; data finnes fra "
                f"{q.week_label(first)} til {q.week_label(last)}."
            )
        before = week - timedelta(days=7)
        last_year, why = same_week_last_year(week)
        weeks = {
            "denne": week,
            "forrige": before if before >= first else None,
            "i_fjor": last_year if last_year is not None and last_year >= first else None,
        }
        res = {}
        cols = {}
        for name, w in weeks.items():
            if w is None:
                continue
            f = q.TiltakFilter(kontor, w, w)
            res[name] = indeks.distinct_persons(con, f, [rader, kolonner])
            cols[name] = indeks.distinct_persons(con, f, [kolonner])
        ctx = Context(kontor, k)
        fliser = [_tile(con, ctx, t, weeks) for t in TILES if t.available(con)]
        names = q.tiltak_names(con)
        m = q.meta(con)

    def get(part: str, name: str, key: Any) -> int | None:
        r = res.get(name) if part != "col" else cols.get(name)
        if r is None:
            return None
        if part == "cell":
            return r["cells"].get(key, 0)
        if part == "row":
            return r["first"].get(key, 0)
        return r["first"].get(key, 0)

    row_values = set().union(*(set(r["present"][rader]) for r in res.values()))
    col_values = set().union(*(set(r["present"][kolonner]) for r in cols.values()))

    def size(part: str, v: Any) -> float:
        p = tabell.shown(get(part, "denne", v) or 0, k)
        return p if isinstance(p, (int, float)) else (k or 0) / 2

    def order(values: set, part: str, dim: str) -> list:
        return sorted(
            values, key=lambda v: (-size(part, v), tabell.value_label(dim, v, names).casefold())
        )

    row_order = order(row_values, "row", rader)
    col_order = order(col_values, "col", kolonner)
    out: dict[str, Any] = {
        "kontor": {"enhetsnummer": kontor, "navn": kontor_navn},
        "uke": {
            "verdi": q.week_label(week),
            "start": week.isoformat(),
            "slutt": (week + timedelta(days=6)).isoformat(),
            "forrige": q.week_label(before) if weeks["forrige"] else None,
            "i_fjor": q.week_label(last_year) if weeks["i_fjor"] else None,
            "i_fjor_mangler": why
            or (None if weeks["i_fjor"] else "Ingen publiserte data for samme uke i fjor."),
            "forste": q.week_label(first),
            "siste": q.week_label(last),
        },
        "rader_etter": rader,
        "rader_navn": tabell.DIMENSION_LABELS[rader],
        "kolonner_etter": kolonner,
        "kolonner_navn": tabell.DIMENSION_LABELS[kolonner],
        "kolonner": [
            {"verdi": v, "navn": tabell.value_label(kolonner, v, names)} for v in col_order
        ],
        "rader": [
            {
                "verdi": rv,
                "navn": tabell.value_label(rader, rv, names),
                "celler": [
                    _figure(*(get("cell", n, (rv, cv)) for n in ("denne", "forrige", "i_fjor")), k)
                    for cv in col_order
                ],
                "totalt": _figure(*(get("row", n, rv) for n in ("denne", "forrige", "i_fjor")), k),
            }
            for rv in row_order
        ],
        "totalt_per_kolonne": [
            _figure(*(get("col", n, cv) for n in ("denne", "forrige", "i_fjor")), k)
            for cv in col_order
        ],
        "totalt": _figure(
            *((res[n]["total"] if n in res else None) for n in ("denne", "forrige", "i_fjor")), k
        ),
        "fliser": fliser,
        "min_antall": k,
        "data": {
            "siste_uke": q.week_label(last),
            "lastet": m["lastet"],
            "syntetisk": m["syntetisk"],
        },
    }
    if format == "json":
        return out
    header, rows = export_table(out)
    preamble = eksport.preamble(
        kontor=(kontor, kontor_navn),
        periode=f"Uke {out['uke']['verdi']} ({out['uke']['start']} – {out['uke']['slutt']})",
        maal="unike personer i uken",
        extra=[
            (
                "Sammenlignet med",
                f"forrige uke ({out['uke']['forrige'] or 'ingen data'}) og samme "
                f"uke i fjor ({out['uke']['i_fjor'] or out['uke']['i_fjor_mangler']})",
            ),
        ],
        syntetisk=m["syntetisk"],
        min_antall=k,
    )
    return export_response(
        format,
        f"denne_uken_{kontor}_{out['uke']['verdi']}",
        header,
        rows,
        sheet="Denne uken",
        preamble=preamble,
    )


def export_table(out: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The table of the page, plus the changes of the totals (number and %)."""
    header = (
        [out["rader_navn"]]
        + [c["navn"] for c in out["kolonner"]]
        + [
            "Totalt (unike personer)",
            f"Forrige uke ({out['uke']['forrige'] or '–'})",
            "Endring fra forrige uke",
            "Endring fra forrige uke (%)",
            f"Samme uke i fjor ({out['uke']['i_fjor'] or '–'})",
            "Endring fra i fjor",
            "Endring fra i fjor (%)",
        ]
    )

    def tail(t: dict[str, Any]) -> list[Any]:
        return [
            t["antall"],
            t["forrige_uke"],
            t["endring_uke"]["antall"],
            t["endring_uke"]["prosent"],
            t["i_fjor"],
            t["endring_aar"]["antall"],
            t["endring_aar"]["prosent"],
        ]

    rows = [
        [r["navn"]] + [c["antall"] for c in r["celler"]] + tail(r["totalt"]) for r in out["rader"]
    ]
    rows.append(
        ["Totalt (unike personer)"]
        + [c["antall"] for c in out["totalt_per_kolonne"]]
        + tail(out["totalt"])
    )
    return header, rows
