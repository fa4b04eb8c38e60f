"""Persons on tiltak per week, month or year (`/api/v1/tiltak/perioder`), and two periods side
by side with their difference (`/api/v1/tiltak/sammenligning`): the JSON twins of /tiltak.

Two measures, each labelled on the page and in the export:
- `maal=unike`: «unike personer i perioden», COUNT(DISTINCT person_id) over all the period's
  weeks (a person on tiltak in four weeks of April is one person in April);
- `maal=snitt`: «gjennomsnitt per uke», the mean of the weekly distinct counts. Headcount is
  semi-additive: a month is never the sum of its weeks.
Totals (per x value, per series value, the whole table) are computed the same way, never summed
from cells. `/api/v1/tiltak/uker` stays as it was (week × grouping, distinct persons); for
`periode=uke&maal=unike` this route gives the same numbers (tested).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from metrikk.web import eksport, indeks, perioder, tabell
from metrikk.web import queries as q
from metrikk.web.common import ApiError, _resolve_kontor, _source, selected_filter
from metrikk.web.eksport import Format, export_response

router = APIRouter(prefix="/api/v1", tags=["api"])

Gruppering = Literal[
    "periode", "avdeling", "innsatsgruppe", "tiltakskode", "tiltakskategori", "tiltaksgruppe"
]
Maal = Literal["unike", "snitt"]
MAAL_NAVN = {"unike": "unike personer i perioden", "snitt": "gjennomsnitt per uke"}
TOPP = 8  # series shown in a chart; the rest are one series «Andre»
FILTER_DIMS = q.FILTER_DIMENSIONS


def period_of(con, kind: str, fra: str | None, til: str | None) -> perioder.Periode:
    rng = q.week_range(con)
    if rng is None:
        raise ApiError("Det finnes ingen publiserte tiltaksdata ennå. Kjør «metrikk run».", 503)
    try:
        return perioder.resolve(kind, fra, til, rng[0], rng[1])
    except perioder.PeriodError as e:
        raise ApiError(str(e)) from None


class Measure:
    """Distinct persons (`unike`) or the weekly average (`snitt`) for a filter and a period."""

    def __init__(self, con, per: perioder.Periode, maal: str):
        self.con, self.per, self.maal = con, per, maal
        self.weeks_of = per.weeks_of()
        self.nweeks = len(per.weeks())

    def __call__(self, f: q.TiltakFilter, dims: list[str]) -> dict[str, Any]:
        kind = self.per.kind
        if self.maal == "unike":
            return indeks.distinct_persons(self.con, f, dims, kind)
        others = [d for d in dims if d != "periode"]
        weekly = indeks.distinct_persons(self.con, f, ["uke", *others])

        def weeks_in(group: tuple) -> int:
            if "periode" in dims:
                return len(self.weeks_of[group[dims.index("periode")]])
            return self.nweeks

        def group_of(key: tuple) -> tuple:
            w, rest = key[0], key[1:]
            it = iter(rest)
            return tuple(perioder.key(kind, w) if d == "periode" else next(it) for d in dims)

        cells = tabell.average(weekly["cells"], group_of, weeks_in)
        if dims[0] == "periode":
            first_weekly = {(w,): n for w, n in weekly["first"].items()}
            first = tabell.average(
                first_weekly,
                lambda key: (perioder.key(kind, key[0]),),
                lambda g: len(self.weeks_of[g[0]]),
            )
        else:
            pairs = (
                weekly
                if others == [dims[0]]
                else indeks.distinct_persons(self.con, f, ["uke", dims[0]])
            )
            first = tabell.average(pairs["cells"], lambda key: (key[1],), lambda g: self.nweeks)
        total = sum(weekly["first"].values()) / max(1, self.nweeks)
        return {
            "cells": cells,
            "first": {g[0]: v for g, v in first.items()},
            "total": total,
            "present": weekly["present"],
        }


def _chosen(con, kontor: str, filters: dict[str, list[str]], k: int | None) -> dict[str, list]:
    """The filters as counted: under K each one value or all (api.selected_filter), else a 400."""
    if not k:
        return filters
    options = q.filter_options(con, kontor, k)
    return {
        name: list(selected_filter(name, values, {o["verdi"] for o in options.get(name, [])}, k))
        for name, values in filters.items()
    }


def _filter(kontor: str, per: perioder.Periode, filters: dict[str, list[str]]) -> q.TiltakFilter:
    return q.TiltakFilter(kontor, per.fra, per.til, *(tuple(filters[d]) for d in FILTER_DIMS))


def _period_info(per: perioder.Periode) -> dict[str, Any]:
    weeks_of = per.weeks_of()
    return {
        "type": per.kind,
        "type_navn": perioder.NAVN[per.kind],
        "fra": perioder.code(per.kind, per.keys[0]),
        "til": perioder.code(per.kind, per.keys[-1]),
        "fra_navn": perioder.label(per.kind, per.keys[0]),
        "til_navn": perioder.label(per.kind, per.keys[-1]),
        "fra_uke": q.week_label(per.fra),
        "til_uke": q.week_label(per.til),
        "fra_start": per.fra.isoformat(),
        "til_start": per.til.isoformat(),
        "antall_uker": len(per.weeks()),
        "perioder": [
            {
                "verdi": perioder.code(per.kind, v),
                "navn": perioder.label(per.kind, v),
                "antall_uker": len(weeks_of[v]),
                "uker_i_kalenderen": per.full_weeks(v),
                "fullstendig": len(weeks_of[v]) == per.full_weeks(v),
            }
            for v in per.keys
        ],
    }


@router.get(
    "/tiltak/perioder",
    summary="Unike personer på tiltak per uke, måned eller år, nullfylt",
    description=(
        "Som /tiltak/uker, men perioden kan være uke, måned (en uke hører til måneden torsdagen "
        "er i) eller år, og målet kan være unike personer i perioden (`maal=unike`) eller "
        "gjennomsnitt per uke (`maal=snitt`). Gruppering `periode` er tidsaksen. Summer og "
        "totaler er alltid unike personer (eller gjennomsnitt av ukentlige unike personer), "
        "aldri summer av celler. `format=csv|xlsx` gir tabellen slik den vises."
    ),
)
def tiltak_perioder(
    request: Request,
    kontor: str | None = None,
    avdeling: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI query list
    innsatsgruppe: Annotated[list[str], Query()] = [],  # noqa: B006
    tiltakskode: Annotated[list[str], Query()] = [],  # noqa: B006
    tiltakskategori: Annotated[list[str], Query()] = [],  # noqa: B006
    tiltaksgruppe: Annotated[list[str], Query()] = [],  # noqa: B006
    periode: Literal["uke", "maned", "aar"] = "uke",
    fra: Annotated[str | None, Query(description="2025-U14, 2025-04 eller 2025")] = None,
    til: Annotated[str | None, Query(description="2025-U25, 2025-06 eller 2025")] = None,
    gruppering: Annotated[list[Gruppering], Query()] = ["periode"],  # noqa: B006
    maal: Maal = "unike",
    sorter: Literal["storrelse", "navn"] = "storrelse",
    visning: Literal["antall", "prosent"] = "antall",
    format: Format = "json",
) -> Any:
    dims = list(dict.fromkeys(gruppering)) or ["periode"]
    filters = {
        "avdeling": avdeling,
        "innsatsgruppe": innsatsgruppe,
        "tiltakskode": tiltakskode,
        "tiltakskategori": tiltakskategori,
        "tiltaksgruppe": tiltaksgruppe,
    }
    k = request.app.state.min_antall
    with _source(request).read() as con:
        kontor, kontor_navn = _resolve_kontor(con, kontor)
        per = period_of(con, periode, fra, til)
        filters = _chosen(con, kontor, filters, k)
        f = _filter(kontor, per, filters)
        measure = Measure(con, per, maal)
        res = measure(f, dims)
        second = measure(f, [dims[1]])["first"] if len(dims) > 1 else None
        domains = {
            d: list(per.keys)
            if d == "periode"
            else sorted(set(res["present"][d]) | set(filters[d]), key=lambda v: (v is None, v))
            for d in dims
        }
        names = q.tiltak_names(con)
        out = tabell.build(
            dims,
            domains,
            res["cells"],
            res["first"],
            second,
            res["total"],
            names,
            sorter,
            k,
            kind=periode,
        )
        # «Andre» is the distinct persons of a set of values: under K no such total is shown
        # (totals of arbitrary subsets would give hidden counts back), so the chart shows all.
        if not k and len(dims) > 1 and dims[1] != "periode" and len(domains[dims[1]]) > TOPP:
            rest = domains[dims[1]][TOPP - 1 :]
            andre = measure(replace(f, **{dims[1]: tuple(rest)}), [dims[0]])["first"]
            out["andre"] = {
                "navn": f"Andre ({len(rest)})",
                "verdier": [tabell.value_code(dims[1], v, periode) for v in rest],
                "antall_per": [
                    {
                        dims[0]: tabell.value_code(dims[0], v, periode),
                        "antall": tabell.shown(andre.get(v, 0), k),
                    }
                    for v in domains[dims[0]]
                ],
            }
        m = q.meta(con)
    out.update(
        kontor={"enhetsnummer": kontor, "navn": kontor_navn},
        periode=_period_info(per),
        maal=maal,
        maal_navn=MAAL_NAVN[maal],
        filter=filters,
        data={
            "siste_uke": (m["uker"] or {}).get("siste"),
            "lastet": m["lastet"],
            "syntetisk": m["syntetisk"],
        },
    )
    if format == "json":
        return out
    header, rows = export_table(out, visning)
    preamble = eksport.preamble(
        kontor=(kontor, kontor_navn),
        periode=f"{out['periode']['fra_navn']} – {out['periode']['til_navn']} "
        f"({out['periode']['fra_uke']} – {out['periode']['til_uke']})",
        maal=("Andel (%) av " if visning == "prosent" else "") + MAAL_NAVN[maal],
        filters=filters,
        syntetisk=m["syntetisk"],
        names=names,
        min_antall=k,
    )
    filename = f"tiltak_{kontor}_{out['periode']['fra']}_{out['periode']['til']}"
    return export_response(format, filename, header, rows, sheet="Tiltak", preamble=preamble)


def export_table(out: dict[str, Any], visning: str) -> tuple[list[str], list[list[Any]]]:
    """The table as the page shows it (Norwegian headers, a total row, totals per row)."""
    dims = out["gruppering"]
    labels = {d: {v["verdi"]: v["navn"] for v in out["verdier"][d]} for d in dims}
    measure = "andel" if visning == "prosent" else "antall"
    unit = "Andel (%)" if visning == "prosent" else out["maal_navn"].capitalize()
    x = dims[0]
    totals = {t[x]: t["antall"] for t in out["totalt_per"]}
    total_label = f"Totalt ({out['maal_navn']})"
    if len(dims) == 2:
        s = dims[1]
        series = [v["verdi"] for v in out["verdier"][s]]
        header = [out["gruppering_navn"][0]] + [labels[s][v] for v in series]
        by = {(r[x], r[s]): r for r in out["rader"]}
        if visning != "prosent":
            header.append(total_label)
        rows = []
        for xv in [v["verdi"] for v in out["verdier"][x]]:
            row = [labels[x][xv]]
            for sv in series:
                r = by[(xv, sv)]
                row.append(r["antall"] if r["skjult"] else r[measure])
            if visning != "prosent":
                row.append(totals[xv])
            rows.append(row)
        if visning != "prosent":
            per_series = {t[s]: t["antall"] for t in out["totalt_per_serie"]}
            rows.append([total_label] + [per_series[v] for v in series] + [out["totalt"]])
        return header, rows
    header = [out["gruppering_navn"][0], unit]
    rows = [[labels[x][r[x]], r["antall"] if r["skjult"] else r[measure]] for r in out["rader"]]
    if visning != "prosent":
        rows.append([total_label, out["totalt"]])
    return header, rows


@router.get(
    "/tiltak/sammenligning",
    summary="To perioder side om side, med forskjell i antall og prosent",
    description=(
        "Unike personer i hver periode (eller gjennomsnitt per uke) per verdi av én gruppering, "
        "og forskjellen (periode A minus periode B) i antall og prosent av B. Forskjellene "
        "regnes av tallene som vises."
    ),
)
def tiltak_sammenligning(
    request: Request,
    fra2: Annotated[str, Query(description="Første periode å sammenligne med")],
    til2: Annotated[str, Query(description="Siste periode å sammenligne med")],
    kontor: str | None = None,
    avdeling: Annotated[list[str], Query()] = [],  # noqa: B006
    innsatsgruppe: Annotated[list[str], Query()] = [],  # noqa: B006
    tiltakskode: Annotated[list[str], Query()] = [],  # noqa: B006
    tiltakskategori: Annotated[list[str], Query()] = [],  # noqa: B006
    tiltaksgruppe: Annotated[list[str], Query()] = [],  # noqa: B006
    periode: Literal["uke", "maned", "aar"] = "uke",
    fra: str | None = None,
    til: str | None = None,
    gruppering: Literal[
        "ingen", "avdeling", "innsatsgruppe", "tiltakskode", "tiltakskategori", "tiltaksgruppe"
    ] = "ingen",
    maal: Maal = "unike",
    format: Format = "json",
) -> Any:
    filters = {
        "avdeling": avdeling,
        "innsatsgruppe": innsatsgruppe,
        "tiltakskode": tiltakskode,
        "tiltakskategori": tiltakskategori,
        "tiltaksgruppe": tiltaksgruppe,
    }
    k = request.app.state.min_antall
    with _source(request).read() as con:
        kontor, kontor_navn = _resolve_kontor(con, kontor)
        filters = _chosen(con, kontor, filters, k)
        a = period_of(con, periode, fra, til)
        b = period_of(con, periode, fra2, til2)
        results = []
        for per in (a, b):
            f = _filter(kontor, per, filters)
            measure = Measure(con, per, maal)
            results.append(
                measure(f, [gruppering]) if gruppering != "ingen" else measure(f, ["periode"])
            )
        names = q.tiltak_names(con)
        m = q.meta(con)
    ra, rb = results
    rows = []
    if gruppering != "ingen":
        values = sorted(
            set(ra["first"]) | set(rb["first"]) | set(filters[gruppering]),
            key=lambda v: (v is None, v),
        )
        for v in values:
            sa, sb = tabell.shown(ra["first"].get(v, 0), k), tabell.shown(rb["first"].get(v, 0), k)
            rows.append(
                {
                    "verdi": v,
                    "navn": tabell.value_label(gruppering, v, names),
                    "a": sa,
                    "b": sb,
                    "endring": tabell.change(sa, sb),
                }
            )
        rows.sort(
            key=lambda r: (
                -(r["a"] if isinstance(r["a"], (int, float)) else (k or 0) / 2),
                r["navn"].casefold(),
            )
        )
    ta, tb = tabell.shown(ra["total"], k), tabell.shown(rb["total"], k)
    out = {
        "kontor": {"enhetsnummer": kontor, "navn": kontor_navn},
        "a": _period_info(a),
        "b": _period_info(b),
        "gruppering": gruppering,
        "gruppering_navn": tabell.DIMENSION_LABELS.get(gruppering, ""),
        "maal": maal,
        "maal_navn": MAAL_NAVN[maal],
        "rader": rows,
        "totalt": {"a": ta, "b": tb, "endring": tabell.change(ta, tb)},
        "filter": filters,
        "min_antall": k,
        "data": {"siste_uke": (m["uker"] or {}).get("siste"), "syntetisk": m["syntetisk"]},
    }
    if format == "json":
        return out
    la = f"{out['a']['fra_navn']} – {out['a']['til_navn']}"
    lb = f"{out['b']['fra_navn']} – {out['b']['til_navn']}"
    header = [out["gruppering_navn"] or "Utvalg", la, lb, "Forskjell", "Forskjell (%)"]
    body = [
        [r["navn"], r["a"], r["b"], r["endring"]["antall"], r["endring"]["prosent"]] for r in rows
    ]
    body.append(
        [
            f"Totalt ({MAAL_NAVN[maal]})",
            ta,
            tb,
            out["totalt"]["endring"]["antall"],
            out["totalt"]["endring"]["prosent"],
        ]
    )
    preamble = eksport.preamble(
        kontor=(kontor, kontor_navn),
        periode=f"{la} sammenlignet med {lb}",
        maal=MAAL_NAVN[maal],
        filters=filters,
        syntetisk=m["syntetisk"],
        names=names,
        min_antall=k,
    )
    return export_response(
        format,
        f"sammenligning_{kontor}_{out['a']['fra']}_{out['b']['fra']}",
        header,
        body,
        sheet="Sammenligning",
        preamble=preamble,
    )
