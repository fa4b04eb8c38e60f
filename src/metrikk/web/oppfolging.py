"""«Andel på tiltak»: the persons under arbeidsrettet oppfølging at a kontor and how many of them
were på tiltak (`/api/v1/tiltak/oppfolging`), per innsatsgruppe, avdeling or veiledergruppe,
per week, month or year. The denominator office leaders ask for: «hvor stor andel av våre personer i Trenger
veiledning er på tiltak?» (CONTRACT §3 "Under oppfølging", §4 `uke_oppfolging`).

Where each figure comes from:
- per week: `tiltak_gold.uke_oppfolging`. A person under oppfølging is in exactly one of its
  cells in a week, so a week's sum over cells (all avdelinger of an innsatsgruppe, or the whole
  kontor) is a count of distinct persons; per veiledergruppe (not in the gold grain) the same
  counts from `tiltak_silver.oppfolging_uke`;
- «unike personer i perioden» for a month or a year, and for the whole period of every kind:
  COUNT(DISTINCT person_id) over `tiltak_silver.oppfolging_uke` for exactly that roll-up, never
  a sum of cells. A person is på tiltak in a period when at least one of the period's weeks had
  them på tiltak (in that group);
- «gjennomsnitt per uke»: the mean of the weekly counts, as on the tiltak page.

The share is på tiltak / under oppfølging. Under `--min-antall` both counts are protected on
their own and the share is computed from the shown numbers (none when either is hidden).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from metrikk.web import eksport, indeks_oppfolging, limits, perioder, tabell
from metrikk.web import queries as q
from metrikk.web.common import _resolve_kontor, _source
from metrikk.web.eksport import Format, export_response
from metrikk.web.tiltak_perioder import MAAL_NAVN, Maal, _period_info, period_of
from metrikk.web.tiltak_perioder import _chosen as tiltak_chosen

router = APIRouter(prefix="/api/v1", tags=["api"])

Gruppering = Literal["innsatsgruppe", "avdeling", "veiledergruppe", "ingen"]
GRUPPERING_NAVN = {
    "innsatsgruppe": "Innsatsgruppe",
    "avdeling": "Avdeling",
    "veiledergruppe": "Veiledergruppe",
    "ingen": "Utvalg",
}
UTEN_VEILEDERGRUPPE = "Uten veiledergruppe"
Celler = Literal["andel", "paa_tiltak", "under_oppfolging"]
CELLER_NAVN = {
    "andel": "Andel på tiltak (%)",
    "paa_tiltak": "På tiltak",
    "under_oppfolging": "Under oppfølging",
}
FILTERS = ("avdeling", "innsatsgruppe")
NARROW = "Velg en kortere periode, færre perioder eller en annen gruppering."

Pair = tuple[float, float]  # (under oppfølging, på tiltak): counts, or weekly averages


def andel(paa: Any, under: Any) -> float | None:
    """På tiltak as a share (%) of under oppfølging, one decimal; none without both numbers."""
    if not isinstance(paa, (int, float)) or not isinstance(under, (int, float)) or under <= 0:
        return None
    return round(100 * paa / under, 1)


def figure(pair: Pair, k: int | None) -> dict[str, Any]:
    """The two counts as shown and the share. Under K the share is of the shown numbers;
    without K of the true ones (a weekly average is shown with one decimal)."""
    under, paa = pair
    u, p = tabell.shown(under, k), tabell.shown(paa, k)
    return {
        "under_oppfolging": u,
        "paa_tiltak": p,
        "andel": andel(p, u) if k else andel(paa, under),
    }


def measure(
    con, kontor: str, per: perioder.Periode, maal: str, dim: str | None, filters: dict
) -> dict[str, Any]:
    """{cells: {(period, value): pair}, periods: {period: pair}, groups: {value: pair},
    total: pair} for the measure `maal` (module docstring)."""
    kind = per.kind
    # The weekly figures serve the weekly average and the weeks' own cells; distinct persons
    # of a month or a year never come from them.
    weekly = (
        q.oppfolging_ukevis(con, kontor, per.fra, per.til, dim, **filters)
        if maal == "snitt" or kind == "uke"
        else []
    )
    if maal == "snitt":
        weeks_of = per.weeks_of()
        nweeks = max(1, len(per.weeks()))
        cells: dict[tuple, list[float]] = {}
        periods: dict[Any, list[float]] = {}
        groups: dict[Any, list[float]] = {}
        total = [0.0, 0.0]
        for week, g, under, paa in weekly:
            key = perioder.key(kind, week)
            for acc in (cells.setdefault((key, g), [0, 0]), periods.setdefault(key, [0, 0])):
                acc[0] += under
                acc[1] += paa
            acc = groups.setdefault(g, [0, 0])
            acc[0] += under
            acc[1] += paa
            total[0] += under
            total[1] += paa

        def mean(v: list[float], n: int) -> Pair:
            return (v[0] / n, v[1] / n)

        return {
            "cells": {c: mean(v, len(weeks_of[c[0]])) for c, v in cells.items()},
            "periods": {p: mean(v, len(weeks_of[p])) for p, v in periods.items()},
            "groups": {g: mean(v, nweeks) for g, v in groups.items()},
            "total": mean(total, nweeks),
        }
    distinct = indeks_oppfolging.oppfolging_unike(
        con, kontor, per.fra, per.til, kind, dim, **filters, per_periode=kind != "uke"
    )
    if kind == "uke":  # a week's figures straight from the gold table
        distinct["cells"] = {(w, g): (u, p) for w, g, u, p in weekly}
        sums: dict[Any, list[int]] = {}
        for w, _, u, p in weekly:
            acc = sums.setdefault(w, [0, 0])
            acc[0] += u
            acc[1] += p
        distinct["periods"] = {w: (v[0], v[1]) for w, v in sums.items()}
    return distinct


def _chosen(con, kontor: str, filters: dict[str, list[str]], k: int | None) -> dict[str, list]:
    """Under K each filter is one value or all (as on the tiltak page), else a 400."""
    return tiltak_chosen(con, kontor, filters, k)


def _order(dim: str | None, values: set, groups: dict, k: int | None) -> list:
    if dim is None:
        return [None]
    if dim == "innsatsgruppe":  # the code list's own order, as people know it
        known = list(q.INNSATSGRUPPE_NAVN)
        return sorted(values, key=lambda v: (known.index(v) if v in known else len(known), v))

    def size(v: Any) -> float:
        s = tabell.shown(groups.get(v, (0, 0))[0], k)
        return s if isinstance(s, (int, float)) else (k or 0) / 2

    return sorted(values, key=lambda v: (-size(v), str(v).casefold()))


def _label(dim: str | None, v: Any, grupper: dict[str, str]) -> str:
    if dim is None:
        return "Alle under oppfølging"
    if dim == "innsatsgruppe":
        return q.INNSATSGRUPPE_NAVN.get(v, v)
    if dim == "veiledergruppe":
        return UTEN_VEILEDERGRUPPE if v is None else grupper.get(v, str(v))
    return "Ukjent" if v is None else str(v)


@router.get(
    "/tiltak/oppfolging",
    summary="Andel av personene under oppfølging som er på tiltak, per innsatsgruppe, avdeling "
    "eller veiledergruppe",
    description=(
        "Personer under arbeidsrettet oppfølging med kontoret som oppfølgingskontor, og hvor "
        "mange av dem som var på tiltak, per uke, måned eller år og per innsatsgruppe, "
        "avdeling eller veiledergruppe. Ukene kommer fra tiltak_gold.uke_oppfolging (per "
        "veiledergruppe fra tiltak_silver.oppfolging_uke); unike personer for en måned, "
        "et år eller hele perioden telles i tiltak_silver.oppfolging_uke, aldri som summer av "
        "celler. `sammendrag` gjelder hele perioden, `utvikling` hver periode. "
        "`format=csv|xlsx` med `tabell=sammendrag|utvikling` (og `celler` for utviklingen) gir "
        "tabellen slik den vises."
    ),
)
def oppfolging(
    request: Request,
    kontor: str | None = None,
    periode: Literal["uke", "maned", "aar"] = "maned",
    fra: Annotated[str | None, Query(description="2025-U14, 2025-04 eller 2025")] = None,
    til: Annotated[str | None, Query(description="2025-U25, 2025-06 eller 2025")] = None,
    gruppering: Gruppering = "innsatsgruppe",
    maal: Maal = "unike",
    avdeling: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI query list
    innsatsgruppe: Annotated[list[str], Query()] = [],  # noqa: B006
    tabell_: Annotated[Literal["sammendrag", "utvikling"], Query(alias="tabell")] = "sammendrag",
    celler: Celler = "andel",
    format: Format = "json",
) -> Any:
    k = request.app.state.min_antall
    dim = None if gruppering == "ingen" else gruppering
    with _source(request).read() as con:
        kontor, kontor_navn = _resolve_kontor(con, kontor)
        q.require(con, q.UKE_OPPFOLGING, q.OPPFOLGING_UKE)
        per = period_of(con, periode, fra, til)
        filters = _chosen(con, kontor, {"avdeling": avdeling, "innsatsgruppe": innsatsgruppe}, k)
        res = measure(con, kontor, per, maal, dim, filters)
        grupper = q.veiledergruppe_navn(con, kontor) if dim == "veiledergruppe" else {}
        m = q.meta(con)
    values = {g for _, g in res["cells"]} | set(res["groups"])
    if dim in filters:
        values |= set(filters[dim])
    order = _order(dim, values, res["groups"], k)
    limits.check_rows(len(order) * len(per.keys), "kombinasjoner", NARROW)
    zero: Pair = (0, 0)
    weeks_of = per.weeks_of()
    out: dict[str, Any] = {
        "kontor": {"enhetsnummer": kontor, "navn": kontor_navn},
        "periode": _period_info(per),
        "maal": maal,
        "maal_navn": MAAL_NAVN[maal],
        "gruppering": gruppering,
        "gruppering_navn": GRUPPERING_NAVN[gruppering],
        "grupper": [{"verdi": v, "navn": _label(dim, v, grupper)} for v in order],
        "sammendrag": [
            {"verdi": v, "navn": _label(dim, v, grupper), **figure(res["groups"].get(v, zero), k)}
            for v in order
        ],
        "totalt": figure(res["total"], k),
        "utvikling": [
            {
                "periode": perioder.code(per.kind, p),
                "navn": perioder.label(per.kind, p),
                "antall_uker": len(weeks_of[p]),
                "grupper": [figure(res["cells"].get((p, v), zero), k) for v in order],
                "totalt": figure(res["periods"].get(p, zero), k),
            }
            for p in per.keys
        ],
        "filter": filters,
        "min_antall": k,
        "data": {
            "siste_uke": (m["uker"] or {}).get("siste"),
            "lastet": m["lastet"],
            "syntetisk": m["syntetisk"],
        },
    }
    if format == "json":
        return out
    header, rows = export_table(out, tabell_, celler)
    preamble = eksport.preamble(
        kontor=(kontor, kontor_navn),
        periode=f"{out['periode']['fra_navn']} – {out['periode']['til_navn']} "
        f"({out['periode']['fra_uke']} – {out['periode']['til_uke']})",
        maal=f"Personer under oppfølging og på tiltak, {MAAL_NAVN[maal]}",
        filters=filters,
        extra=[
            (
                "Tabell",
                "hele perioden per gruppe"
                if tabell_ == "sammendrag"
                else f"per {perioder.NAVN[per.kind].lower()}: {CELLER_NAVN[celler].lower()}",
            )
        ],
        syntetisk=m["syntetisk"],
        min_antall=k,
    )
    filename = f"andel_paa_tiltak_{kontor}_{out['periode']['fra']}_{out['periode']['til']}"
    return export_response(
        format, filename, header, rows, sheet="Andel på tiltak", preamble=preamble
    )


def export_table(out: dict[str, Any], which: str, celler: str) -> tuple[list[str], list[list[Any]]]:
    """The page's tables: the whole period per group, or a measure per period and group."""
    total_label = f"Totalt ({out['maal_navn']})"
    if which == "sammendrag":
        header = [
            out["gruppering_navn"],
            "Under oppfølging",
            "På tiltak",
            "Andel på tiltak (%)",
        ]
        rows = [
            [r["navn"], r["under_oppfolging"], r["paa_tiltak"], r["andel"]]
            for r in out["sammendrag"]
        ]
        t = out["totalt"]
        if out["gruppering"] != "ingen":
            rows.append([total_label, t["under_oppfolging"], t["paa_tiltak"], t["andel"]])
        return header, rows
    header = ["Periode"] + [g["navn"] for g in out["grupper"]]
    if out["gruppering"] != "ingen":
        header.append("Totalt")
    rows = []
    for r in out["utvikling"]:
        row = [r["navn"]] + [f[celler] for f in r["grupper"]]
        if out["gruppering"] != "ingen":
            row.append(r["totalt"][celler])
        rows.append(row)
    rows.append(
        [f"Hele perioden ({out['maal_navn']})"]
        + [s[celler] for s in out["sammendrag"]]
        + ([out["totalt"][celler]] if out["gruppering"] != "ingen" else [])
    )
    return header, rows
