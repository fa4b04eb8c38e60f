"""The JSON API (`/api/v1/...`) and the Brum-compatible routes (`/ukeAntall`, ...).

Every page of the dashboard renders from these endpoints (its "JSON twin"). Exports (CSV and
Excel) are the same endpoints with `format=csv|xlsx` and show the same figures as the table.
"""

from __future__ import annotations

import io
import itertools
import re
import time
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from metrikk.tablefile import write_csv, write_xlsx
from metrikk.web import eksport, indeks, limits
from metrikk.web import queries as q
from metrikk.web.suppression import RefusedSelection, protect, ratio, selection, shown
from metrikk.web.suppression import label as hidden_label

MAX_ETTERLEVELSE_ROWS = 50_000
JSON_ETTERLEVELSE_ROWS = 5000  # what a browser shows of a ds_* table
NARROW_TILTAK = "Velg en kortere periode, færre grupperinger eller flere filtre."
NARROW_GJENNOMFORING = "Velg et kontor, en kortere periode, færre tiltak eller rader=siste."

router = APIRouter(prefix="/api/v1", tags=["api"])
brum = APIRouter(tags=["brum"])


class ApiError(Exception):
    """A request the API refuses; `message` is shown to a person (bokmål)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def _source(request: Request) -> q.Source:
    return request.app.state.source


def _min_antall(request: Request) -> int | None:
    return request.app.state.min_antall


# --- weeks ----------------------------------------------------------------------------------

WEEK_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[WwUu]\s*(\d{1,2})\s*$")


def weeks_in_year(aar: int) -> int:
    return date(aar, 12, 28).isocalendar()[1]


def monday_of(aar: int, uke: int, what: str) -> date:
    if not 1900 <= aar <= 2999:
        raise ApiError(f"{what}: året {aar} er utenfor det vi støtter (1900–2999).")
    n = weeks_in_year(aar)
    if not 1 <= uke <= n:
        if uke == 53:
            raise ApiError(f"{what}: uke 53 finnes ikke i {aar} – året har bare {n} uker.")
        raise ApiError(f"{what}: uke {uke} finnes ikke; {aar} har uke 1–{n}.")
    return date.fromisocalendar(aar, uke, 1)


def parse_week(text: str, what: str) -> date:
    m = WEEK_RE.match(text)
    if not m:
        raise ApiError(
            f"{what}: «{text}» er ikke en uke. Skriv år og uke som 2025-U42 (eller 2025-W42)."
        )
    return monday_of(int(m.group(1)), int(m.group(2)), what)


def resolve_period(
    con,
    fra: str | None,
    til: str | None,
    fra_aar: int | None,
    fra_uke: int | None,
    til_aar: int | None,
    til_uke: int | None,
    default_weeks: int = 12,
) -> tuple[date, date]:
    """The requested (fra, til) Mondays, checked against the published weeks."""
    rng = q.week_range(con)
    if rng is None:
        raise ApiError("Det finnes ingen publiserte tiltaksdata ennå. Kjør «metrikk run».", 503)
    first, last = rng

    def one(text, aar, uke, what) -> date | None:
        if text:
            return parse_week(text, what)
        if aar is not None or uke is not None:
            if aar is None or uke is None:
                raise ApiError(f"{what}: oppgi både år og uke (eller en uke som 2025-U42).")
            return monday_of(aar, uke, what)
        return None

    til_d = one(til, til_aar, til_uke, "Til uke") or last
    fra_d = one(fra, fra_aar, fra_uke, "Fra uke") or max(
        first, til_d - timedelta(weeks=default_weeks - 1)
    )
    if til_d > last:
        raise ApiError(
            f"Til uke {q.week_label(til_d)} er etter siste uke med data ({q.week_label(last)})."
        )
    if fra_d > last:
        raise ApiError(
            f"Fra uke {q.week_label(fra_d)} er etter siste uke med data ({q.week_label(last)})."
        )
    if til_d < first:
        raise ApiError(
            f"Til uke {q.week_label(til_d)} er før første uke med data ({q.week_label(first)})."
        )
    if fra_d > til_d:
        raise ApiError(
            f"Fra uke ({q.week_label(fra_d)}) må være før eller lik til uke "
            f"({q.week_label(til_d)})."
        )
    return max(fra_d, first), til_d


def _resolve_kontor(con, kontor: str | None) -> tuple[str, str]:
    if not kontor:
        kontor = q.default_kontor(con)
        if kontor is None:
            raise ApiError("Det finnes ingen kontor med tiltaksdata ennå.", 503)
    navn = q.kontor_navn(con, kontor)
    if navn is None:
        raise ApiError(
            f"Kontoret «{kontor}» finnes ikke blant lokalkontorene i dataene. "
            "Se /api/v1/kontorer for gyldige enhetsnumre.",
            404,
        )
    return kontor, navn


def selected_filter(name: str, values: Sequence[str], every: set[str], k: int | None) -> tuple:
    """A filter as counted, for every route under K: one value or all of `every`
    (`suppression.selection`, the one rule), any other set a Norwegian 400."""
    try:
        return selection(name, values, every, k)
    except RefusedSelection as e:
        raise ApiError(str(e)) from None


# --- shares that add up to 100 ---------------------------------------------------------------


def shares(values: Sequence[int], decimals: int = 1) -> list[float | None]:
    """Percentages of `values` rounded by largest remainder so they add up to exactly 100."""
    total = sum(values)
    if total <= 0:
        return [None if total == 0 else 0.0 for _ in values]
    scale = 10**decimals
    exact = [v * 100 * scale / total for v in values]
    floors = [int(e) for e in exact]
    rest = 100 * scale - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:rest]:
        floors[i] += 1
    return [f / scale for f in floors]


# --- export ---------------------------------------------------------------------------------


def export_response(
    fmt: str,
    filename: str,
    header: list[str],
    rows: list[list[Any]],
    sheet: str = "data",
    preamble: list[list[str]] | None = None,
) -> Response:
    """CSV (semicolon, UTF-8 with BOM, decimal comma: what Norwegian Excel opens) or .xlsx,
    both written by metrikk.tablefile (text that would run as a formula is neutralised).

    `preamble` (web/eksport.py: the kontor, period, filters and «syntetiske data») comes
    before the table, followed by an empty row."""
    rows = limits.export_rows(rows)  # the row cap, and the time budget while writing
    preamble = preamble or []
    if fmt == "csv":
        buf = io.StringIO()
        write_csv(buf, header, rows, delimiter=";", decimal_comma=True, preamble=preamble)
        return Response(
            ("\ufeff" + buf.getvalue()).encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
        )
    buf = io.BytesIO()
    write_xlsx(buf, sheet, header, rows, preamble=preamble)
    return Response(
        buf.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{filename}.xlsx"'},
    )


Format = Literal["json", "csv", "xlsx"]
Dimension = Literal[
    "uke",
    "avdeling",
    "innsatsgruppe",
    "tiltakskode",
    "tiltaksnavn",
    "tiltakskategori",
    "tiltaksgruppe",
]

# --- routes: metadata -----------------------------------------------------------------------


@router.get("/meta", summary="Datagrunnlag: syntetiske data, lastetidspunkt og uker")
def meta(request: Request) -> dict[str, Any]:
    with _source(request).read() as con:
        out = dict(q.meta(con))
    out["min_antall"] = _min_antall(request)
    return out


@router.get("/kontorer", summary="Lokalkontorer som finnes i tiltaksdataene")
def kontorer(request: Request) -> dict[str, Any]:
    k = _min_antall(request)
    with _source(request).read() as con:
        rows = q.kontorer(con)
        default = q.default_kontor(con)
    if k:
        rows = [{**r, "antall_personer": shown(r["antall_personer"], k)} for r in rows]
    return {"standard": default, "kontorer": rows}


@router.get(
    "/tiltak/valg",
    summary="Filtervalg (avdeling, innsatsgruppe, tiltak, tiltaksgruppe) for et kontor",
)
def tiltak_valg(request: Request, kontor: str | None = None) -> dict[str, Any]:
    with _source(request).read() as con:
        kontor, navn = _resolve_kontor(con, kontor)
        opts = q.filter_options(con, kontor, _min_antall(request))
        m = q.meta(con)
    return {
        "kontor": {"enhetsnummer": kontor, "navn": navn},
        "valg": opts,
        "uker": m["uker"],
        "grupperinger": [
            {"verdi": k, "navn": v} for k, v in q.DIMENSION_LABELS.items() if k != "tiltaksnavn"
        ],
    }


# --- routes: weekly tiltak counts -----------------------------------------------------------


@router.get(
    "/tiltak/uker",
    summary="Unike personer på tiltak per uke og gruppe, nullfylt",
    description=(
        "Antall unike personer (COUNT DISTINCT person_id over tiltak_silver.deltakelse_uke) for "
        "hver kombinasjon av grupperingene, for et kontor og en periode. Hver uke × gruppe som "
        "spørres om er med, også når antallet er 0. `totalt_per` og `totalt` er også unike "
        "personer, ikke summer av cellene. `format=csv|xlsx` gir tabellen slik den vises."
    ),
)
def tiltak_uker(
    request: Request,
    kontor: str | None = None,
    avdeling: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI query list
    innsatsgruppe: Annotated[list[str], Query()] = [],  # noqa: B006
    tiltakskode: Annotated[list[str], Query()] = [],  # noqa: B006
    tiltakskategori: Annotated[list[str], Query()] = [],  # noqa: B006
    tiltaksgruppe: Annotated[list[str], Query()] = [],  # noqa: B006
    fra: Annotated[
        str | None, Query(description="Første uke, f.eks. 2025-U38 eller 2025-W38")
    ] = None,
    til: Annotated[str | None, Query(description="Siste uke, f.eks. 2025-U42")] = None,
    fra_aar: Annotated[int | None, Query(ge=1900, le=2999)] = None,
    fra_uke: Annotated[int | None, Query(ge=1, le=53)] = None,
    til_aar: Annotated[int | None, Query(ge=1900, le=2999)] = None,
    til_uke: Annotated[int | None, Query(ge=1, le=53)] = None,
    gruppering: Annotated[list[Dimension], Query()] = ["uke"],  # noqa: B006
    sorter: Literal["storrelse", "navn"] = "storrelse",
    visning: Literal["antall", "prosent"] = "antall",
    format: Format = "json",
) -> Any:
    dims = list(dict.fromkeys(gruppering))
    if "tiltakskode" in dims and "tiltaksnavn" in dims:
        dims.remove("tiltaksnavn")
    if not dims:
        dims = ["uke"]
    k = _min_antall(request)
    with _source(request).read() as con:
        kontor, kontor_navn = _resolve_kontor(con, kontor)
        fra_d, til_d = resolve_period(con, fra, til, fra_aar, fra_uke, til_aar, til_uke)
        # Under K each filter is one value or all (suppression.selection): with any set of
        # values, the totals of every subset of cells would give hidden counts back.
        options = q.filter_options(con, kontor, k) if k else {}
        chosen = {
            name: selected_filter(name, values, {o["verdi"] for o in options.get(name, [])}, k)
            for name, values in (
                ("avdeling", avdeling),
                ("innsatsgruppe", innsatsgruppe),
                ("tiltakskode", tiltakskode),
                ("tiltakskategori", tiltakskategori),
                ("tiltaksgruppe", tiltaksgruppe),
            )
        }
        f = q.TiltakFilter(
            kontor,
            fra_d,
            til_d,
            chosen["avdeling"],
            chosen["innsatsgruppe"],
            chosen["tiltakskode"],
            chosen["tiltakskategori"],
            chosen["tiltaksgruppe"],
        )
        res = indeks.distinct_persons(con, f, dims)
        names = q.tiltak_names(con)
        m = q.meta(con)
    out = build_tiltak_table(res, dims, f, names, sorter, k)
    out.update(
        kontor={"enhetsnummer": kontor, "navn": kontor_navn},
        periode={
            "fra": q.week_label(fra_d),
            "til": q.week_label(til_d),
            "fra_start": fra_d.isoformat(),
            "til_start": til_d.isoformat(),
            "antall_uker": (til_d - fra_d).days // 7 + 1,
        },
        filter={name: list(values) for name, values in chosen.items()},
        data={
            "siste_uke": (m["uker"] or {}).get("siste"),
            "lastet": m["lastet"],
            "syntetisk": m["syntetisk"],
        },
    )
    if format == "json":
        return out
    header, rows = tiltak_export_table(out, visning)
    filename = f"tiltak_{kontor}_{out['periode']['fra']}_{out['periode']['til']}"
    preamble = eksport.preamble(
        kontor=(kontor, kontor_navn),
        periode=f"{out['periode']['fra']} – {out['periode']['til']}",
        maal="Andel (%) av unike personer" if visning == "prosent" else "unike personer",
        filters=out["filter"],
        names=names,
        syntetisk=m["syntetisk"],
        min_antall=k,
    )
    return export_response(format, filename, header, rows, sheet="Tiltak", preamble=preamble)


def _value_label(dim: str, v: Any, names: dict[str, str]) -> str:
    if dim == "uke":
        return q.week_label(v)
    if dim == "tiltakskode":
        return names.get(v, v)
    if dim == "innsatsgruppe":
        return q.INNSATSGRUPPE_NAVN.get(v, v)
    if dim == "tiltakskategori":
        return q.KATEGORI_NAVN.get(v, v)
    return v


def build_tiltak_table(
    res: dict[str, Any],
    dims: list[str],
    f: q.TiltakFilter,
    names: dict[str, str],
    sorter: str,
    k: int | None,
) -> dict[str, Any]:
    """Zero-fill, order, share and protect the distinct counts of `q.distinct_persons`."""
    requested = {
        "avdeling": f.avdeling,
        "innsatsgruppe": f.innsatsgruppe,
        "tiltakskode": f.tiltakskode,
        "tiltakskategori": f.tiltakskategori,
        "tiltaksgruppe": f.tiltaksgruppe,
    }
    domains: dict[str, list[Any]] = {}
    for d in dims:
        if d == "uke":
            domains[d] = q.weeks_between(f.fra, f.til)
        else:
            domains[d] = sorted(set(res["present"][d]) | set(requested.get(d, ())))
    n = 1
    for d in dims:
        n *= max(1, len(domains[d]))
    limits.check_rows(n, "kombinasjoner", NARROW_TILTAK)
    cells = res["cells"]
    first_tot = {v: res["first"].get(v, 0) for v in domains[dims[0]]}

    # What is shown: with K, every count (cells and totals) protected on its own (suppression.py).
    # Order and shares are then computed from the shown numbers only, never from true counts.
    def sort_size(v: int) -> float:
        p = protect(v, k)
        return k / 2 if p is None else p  # a hidden count sorts between 0 and K

    # Order: weeks by time; anything else by size (distinct persons) unless sorted by name.
    for i, d in enumerate(dims):
        if d == "uke":
            continue
        if sorter == "navn":
            domains[d].sort(key=lambda v, d=d: _value_label(d, v, names).casefold())
        else:
            size: dict[Any, float] = {}
            if i == 0:
                size = {v: sort_size(t) if k else t for v, t in first_tot.items()}
            else:  # the zero-filled cells add nothing
                for key, v in cells.items():
                    size[key[i]] = size.get(key[i], 0) + (sort_size(v) if k else v)
            domains[d].sort(
                key=lambda v, d=d, size=size: (
                    -size.get(v, 0),
                    _value_label(d, v, names).casefold(),
                )
            )
    pos = [{v: j for j, v in enumerate(domains[d])} for d in dims]
    # Every combination, zero-filled, in display order (the first dimension outermost).
    keys = list(itertools.product(*(domains[d] for d in dims)))
    counts = [cells.get(key, 0) for key in keys]
    protected = [protect(c, k) for c in counts] if k else counts

    # Shares within each value of the first dimension (the x axis), adding up to 100: the
    # combinations of one x value are a run of `width` in `keys`. With K they are shares of the
    # shown numbers; a hidden cell has no share and is left out of the denominator.
    width = len(keys) // max(1, len(domains[dims[0]])) if len(dims) > 1 else len(keys)
    share_list: list[float | None] = []
    for j in range(0, len(keys), max(1, width)):
        run = protected[j : j + width]
        part = shares([0 if p is None else p for p in run])
        share_list.extend(None if p is None else a for p, a in zip(run, part, strict=True))

    # Row labels in the same product order as `keys` (weeks as "2025-U38").
    labelled = itertools.product(
        *([q.week_label(v) for v in domains[d]] if d == "uke" else domains[d] for d in dims)
    )
    columns = (*dims, "antall", "andel", "skjult")
    rader = [
        dict(
            zip(
                columns,
                (*lk, hidden_label(k) if p is None else p, andel, p is None),
                strict=True,
            )
        )
        for lk, p, andel in zip(labelled, protected, share_list, strict=True)
    ]
    return {
        "gruppering": dims,
        "gruppering_navn": [q.DIMENSION_LABELS[d] for d in dims],
        "verdier": {
            d: [
                {"verdi": q.week_label(v) if d == "uke" else v, "navn": _value_label(d, v, names)}
                for v in domains[d]
            ]
            for d in dims
        },
        "rader": rader,
        "totalt_per": [
            {dims[0]: q.week_label(v) if dims[0] == "uke" else v, "antall": shown(t, k)}
            for v, t in sorted(first_tot.items(), key=lambda it: pos[0][it[0]])
        ],
        "totalt": shown(res["total"], k),
        "min_antall": k,
        "måltall": "unike personer",
    }


def tiltak_export_table(out: dict[str, Any], visning: str) -> tuple[list[str], list[list[Any]]]:
    """The table exactly as the dashboard shows it, with Norwegian headers."""
    dims = out["gruppering"]
    labels = {d: {v["verdi"]: v["navn"] for v in out["verdier"][d]} for d in dims}
    measure = "andel" if visning == "prosent" else "antall"
    unit = "Andel (%)" if visning == "prosent" else "Antall personer"
    if len(dims) == 2:
        x, s = dims
        series = [v["verdi"] for v in out["verdier"][s]]
        header = [out["gruppering_navn"][0]] + [labels[s][v] for v in series]
        by = {(r[x], r[s]): r for r in out["rader"]}
        total = {t[x]: t["antall"] for t in out["totalt_per"]}
        if visning != "prosent":
            header.append("Totalt (unike personer)")
        rows = []
        for xv in [v["verdi"] for v in out["verdier"][x]]:
            row = [labels[x][xv]]
            for sv in series:
                r = by[(xv, sv)]
                row.append(r["antall"] if r["skjult"] else r[measure])
            if visning != "prosent":
                row.append(total[xv])
            rows.append(row)
        return header, rows
    header = [out["gruppering_navn"][i] for i in range(len(dims))] + [unit]
    rows = [
        [labels[d][r[d]] for d in dims] + [r["antall"] if r["skjult"] else r[measure]]
        for r in out["rader"]
    ]
    if len(dims) == 1 and visning != "prosent":
        rows.append(["Totalt (unike personer)", out["totalt"]])
    return header, rows


# --- routes: gjennomføring (data quality: datakvalitet.py) ----------------------------------------------------


@router.get("/gjennomforinger/uker", summary="Belegg per gjennomføring og uke")
def gjennomforing_uker(
    request: Request,
    kontor: str | None = None,
    tiltakskode: Annotated[list[str], Query()] = [],  # noqa: B006
    fra: str | None = None,
    til: str | None = None,
    rader: Annotated[
        Literal["alle", "siste"],
        Query(description="Rader per gjennomføring for alle uker, eller bare for siste uke"),
    ] = "alle",
    format: Format = "json",
) -> Any:
    k = _min_antall(request)
    with _source(request).read() as con:
        if kontor:
            kontor, _ = _resolve_kontor(con, kontor)
        fra_d, til_d = resolve_period(con, fra, til, None, None, None, None)
        if k:  # one tiltak or all, as on /tiltak/uker
            every = {t for t, _, _ in q.all_tiltak(con)}
            tiltakskode = list(selected_filter("tiltakskode", tiltakskode, every, k))
        per_week = indeks.gjennomforing_ukesum(con, fra_d, til_d, kontor, tiltakskode)
        rows = indeks.gjennomforing_uker(
            con, fra_d, til_d, kontor, tiltakskode, rader_fra=til_d if rader == "siste" else None
        )
        limits.check_rows(len(rows), "rader", NARROW_GJENNOMFORING)
        names = q.tiltak_names(con)
        from metrikk.web.gjennomforinger import (
            names as gjennomforing_names,  # lazy: gjennomforinger imports api
        )

        gj_names = gjennomforing_names(con)
        syntetisk = q.meta(con)["syntetisk"]
    rader_ut = [
        {
            "uke": q.week_label(r["uke_start"]),
            "gjennomforing_id": r["gjennomforing_id"],
            "navn": (gj_names.get(r["gjennomforing_id"]) or {}).get("navn"),
            "tiltakskode": r["tiltakskode"],
            "tiltaksnavn": names.get(r["tiltakskode"], r["tiltakskode"]),
            "deltar": shown(r["antall_deltar"], k),
            "venter": shown(r["antall_venter"], k),
            "plasser": r["antall_plasser"],
            "belegg": (
                ratio(r["antall_deltar"], r["antall_plasser"], k)
                if k
                else None
                if r["belegg"] is None
                else round(float(r["belegg"]), 4)
            ),
            "fra_lokale_kontor": shown(r["antall_fra_lokale_kontor"], k),
            "fra_andre_kontor": shown(r["antall_fra_andre_kontor"], k),
        }
        for r in rows
    ]
    # The weekly sums are counts of their own: protected as they are, like the totals of
    # /tiltak/uker (plasser and the number of gjennomføringer do not count people).
    uker = [
        {
            "uke": q.week_label(w),
            "deltar": shown(v["deltar"], k),
            "venter": shown(v["venter"], k),
            "plasser": v["plasser"],
            "gjennomforinger": v["gjennomforinger"],
            "belegg": ratio(v["deltar_med_plasser"], v["plasser"], k),
        }
        for w, v in per_week.items()
    ]
    out = {
        "kontor": kontor,
        "periode": {"fra": q.week_label(fra_d), "til": q.week_label(til_d)},
        "uker": uker,
        "rader": rader_ut,
        "min_antall": k,
    }
    if format == "json":
        return out
    header = [
        "Uke",
        "Gjennomføring",
        "Gjennomføring-id",
        "Tiltak",
        "Deltar",
        "Venter",
        "Plasser",
        "Belegg (%)",
        "Fra lokale kontor",
        "Fra andre kontor",
    ]
    rows_out = [
        [
            r["uke"],
            r["navn"],
            r["gjennomforing_id"],
            r["tiltaksnavn"],
            r["deltar"],
            r["venter"],
            r["plasser"],
            None if r["belegg"] is None else round(100 * r["belegg"], 1),
            r["fra_lokale_kontor"],
            r["fra_andre_kontor"],
        ]
        for r in rader_ut
    ]
    return export_response(
        format,
        f"gjennomforinger_{out['periode']['fra']}_{out['periode']['til']}",
        header,
        rows_out,
        sheet="Gjennomføringer",
        preamble=eksport.preamble(
            kontor=(kontor, "") if kontor else ("", "Alle kontor"),
            periode=f"{out['periode']['fra']} – {out['periode']['til']}",
            filters={"tiltakskode": tiltakskode},
            names=names,
            syntetisk=syntetisk,
            min_antall=k,
        ),
    )


# --- routes: etterlevelse (generic) ---------------------------------------------------------


@router.get("/etterlevelse", summary="Datasettene i etterlevelse (ds_*) med kolonner")
def etterlevelse(request: Request) -> dict[str, Any]:
    with _source(request).read() as con:
        return {"datasett": q.etterlevelse_datasett(con)}


# The ds_* tables count documents, answers and behandlinger, never people, and are read
# generically. Should one ever count people (NAV employees: users of the apps), a column named
# for them is protected like every other count of people when K is set.
PERSON_COLUMN = re.compile(
    r"bruker|user|person|ansatt|deltaker|veileder|saksbehandler|ident", re.IGNORECASE
)
INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UBIGINT", "UINTEGER"}


@router.get("/etterlevelse/{datasett}", summary="Radene i ett etterlevelse-datasett")
def etterlevelse_ds(
    request: Request,
    datasett: str,
    grense: Annotated[
        int | None,
        Query(
            ge=1,
            le=MAX_ETTERLEVELSE_ROWS,
            description=f"Høyst så mange rader (standard: {JSON_ETTERLEVELSE_ROWS} som JSON, "
            f"alle, opptil {MAX_ETTERLEVELSE_ROWS}, i en eksport)",
        ),
    ] = None,
    sorter: Annotated[
        str | None,
        Query(description="Kolonne radene sorteres etter (standard: første tidskolonne)"),
    ] = None,
    format: Format = "json",
) -> Any:
    with _source(request).read() as con:
        known = {d["navn"]: d for d in q.etterlevelse_datasett(con)}
        if datasett not in known:
            raise ApiError(
                f"Fant ikke datasettet «{datasett}». Kjente datasett: "
                f"{', '.join(known) or 'ingen ennå'}.",
                404,
            )
        columns = known[datasett]["kolonner"]
        if sorter is not None and sorter not in {c["navn"] for c in columns}:
            raise ApiError(
                f"Datasettet {datasett} har ingen kolonne «{sorter}». Kolonner: "
                f"{', '.join(c['navn'] for c in columns)}."
            )
        if sorter is None:
            sorter = next(
                (c["navn"] for c in columns if c["type"].startswith(("DATE", "TIMESTAMP"))), None
            )
        eksport = format != "json"
        data = q.etterlevelse_rows(con, datasett, grense or _default_rows(eksport), sorter)
        syntetisk = q.meta(con)["syntetisk"]
    if eksport and grense is None and data["totalt"] > len(data["rader"]):
        # An export without a limit is the whole dataset or nothing, never a silent cut.
        raise ApiError(
            f"Datasettet {datasett} har {data['totalt']} rader; en eksport har høyst "
            f"{MAX_ETTERLEVELSE_ROWS}. Sett grense= for å laste ned de første radene."
        )
    limits.check_rows(len(data["rader"]), "rader", "Sett en lavere grense.")
    k = _min_antall(request)
    types = {c["navn"]: c["type"] for c in columns}
    people = [
        i
        for i, name in enumerate(data["kolonner"])
        if k and PERSON_COLUMN.search(name) and types.get(name) in INTEGER_TYPES
    ]
    if people:  # counts of NAV employees are people too (docs/decisions.md)
        data["rader"] = [
            tuple(shown(v, k) if i in people and v is not None else v for i, v in enumerate(r))
            for r in data["rader"]
        ]
    if format != "json":
        return export_response(
            format,
            datasett,
            data["kolonner"],
            [[_plain(v) for v in r] for r in data["rader"]],
            sheet=datasett,
            preamble=_ds_preamble(datasett, sorter, len(data["rader"]), data["totalt"], syntetisk),
        )
    return {
        "datasett": datasett,
        "kolonner": known[datasett]["kolonner"],
        "rader": [dict(zip(data["kolonner"], map(_plain, r), strict=True)) for r in data["rader"]],
        "totalt": data["totalt"],
        "vist": len(data["rader"]),
        "sortert_etter": sorter,
    }


def _default_rows(eksport: bool) -> int:
    return MAX_ETTERLEVELSE_ROWS if eksport else JSON_ETTERLEVELSE_ROWS


def _ds_preamble(
    datasett: str, sorter: str | None, vist: int, totalt: int, syntetisk: bool
) -> list[list[str]]:
    """What an etterlevelse export holds: the dataset, its order and whether it is all of it."""
    rader = f"alle {totalt}" if vist == totalt else f"de første {vist} av {totalt}"
    rader += f", sortert etter {sorter}" if sorter else ""
    return eksport.preamble(extra=[("Datasett", datasett), ("Rader", rader)], syntetisk=syntetisk)


def _plain(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (int, float, str, bool)) or v is None:
        return v
    return str(v)


# --- Brum compatibility -------------------------------------------------------------------------


@brum.get(
    "/ukeAntall",
    summary="Brum: antall per tiltak, avdeling og innsatsgruppe for én uke",
    description=(
        "Samme form som Brum-backendens /ukeAntall: `headers` er tiltaksnavnene (sortert), "
        "`data` én rad per avdeling og innsatsgruppe (sortert på avdeling, så innsatsgruppe), "
        "`dataAvdeling` én rad per avdeling med unike personer over innsatsgruppene. Uten "
        "`kontor` brukes Nav Bærum (0219) når det finnes, ellers kontoret med flest personer."
    ),
)
def uke_antall(
    request: Request,
    aar: Annotated[int, Query(ge=1900, le=2999)],
    uke: Annotated[int, Query(ge=1, le=53)],
    kontor: str | None = None,
) -> dict[str, Any]:
    monday_of(aar, uke, "Uke")
    k = _min_antall(request)
    with _source(request).read() as con:
        kontor, _ = _resolve_kontor(con, kontor)
        innsats, avdeling = q.brum_uke_antall(con, aar, uke, kontor)
    return brum_shape(aar, uke, innsats, avdeling, k)


def brum_shape(aar: int, uke: int, innsats, avdeling, k: int | None) -> dict[str, Any]:
    """Brum's TransformedData: ordinal sort of tiltaksnavn, avdeling and innsatsgruppe.

    With K every value is protected (suppression.py) and stays numeric as Ktor's: a hidden
    count is `null` (a gap in Brum's Highcharts), and `skjulteVerdier` lists the hidden cells
    as [row, column] of `data` and `dataAvdeling`, beside `minAntall`.
    """
    headers = sorted({r[0] for r in innsats} | {r[0] for r in avdeling})
    cells: dict[tuple, int] = {}
    for t, ig, av, n in innsats:
        cells[(av, ig, t)] = cells.get((av, ig, t), 0) + int(n)
    avd: dict[tuple, int] = {}
    for t, av, n in avdeling:
        avd[(av, t)] = avd.get((av, t), 0) + int(n)
    pairs = sorted({(av, ig) for av, ig, _ in cells})
    avdelinger = sorted({av for av, _ in avd} | {av for av, _ in pairs})
    data = [
        {
            "avdeling": av,
            "innsatsgruppe": ig,
            "verdier": [protect(cells.get((av, ig, t), 0), k) for t in headers],
        }
        for av, ig in pairs
    ]
    data_avdeling = [
        {"avdeling": av, "verdier": [protect(avd.get((av, t), 0), k) for t in headers]}
        for av in avdelinger
    ]
    out: dict[str, Any] = {
        "aar": aar,
        "uke": uke,
        "headers": headers,
        "data": data,
        "dataAvdeling": data_avdeling,
    }
    if k:
        out["minAntall"] = k
        out["skjulteVerdier"] = {
            name: [
                [i, j]
                for i, row in enumerate(rows)
                for j, v in enumerate(row["verdier"])
                if v is None
            ]
            for name, rows in (("data", data), ("dataAvdeling", data_avdeling))
        }
    return out


@brum.get("/status", summary="Brum: status og oppetid (TT:MM:SS)")
def status(request: Request) -> dict[str, str]:
    return {"status": "ok", "oppetid": oppetid(time.monotonic() - request.app.state.started)}


def oppetid(seconds: float) -> str:
    """Uptime as Brum's Ktor backend writes it (`tilOppetid`: "%02d:%02d:%02d", hours unbounded)."""
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


# Error bodies: {"feil": …} under /api/v1 and on the pages; the Brum routes answer as Brum's Ktor
# backend did (`FeilRespons`: {"errorMelding": …}), with the same Norwegian text.
ERROR_KEY = "feil"
BRUM_ERROR_KEY = "errorMelding"


def error_response(
    message: str,
    status: int,
    details: Any = None,
    *,
    key: str = ERROR_KEY,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {key: message}
    if details is not None:
        body["detaljer"] = details
    return JSONResponse(body, status_code=status, headers=headers)
