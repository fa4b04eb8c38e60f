"""The JSON API of the tiltak counts: `/api/v1/tiltak/uker` (distinct persons per week and
group, and its export) and `/api/v1/gjennomforinger/uker`. Included in api.router."""

from __future__ import annotations

import itertools
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from metrikk.web import eksport, indeks, limits
from metrikk.web import queries as q
from metrikk.web.common import (
    _min_antall,
    _resolve_kontor,
    _source,
    resolve_period,
    selected_filter,
)
from metrikk.web.eksport import Dimension, Format, export_response
from metrikk.web.suppression import label as hidden_label
from metrikk.web.suppression import protect, ratio, shown
from metrikk.web.tabell import shares

NARROW_TILTAK = "Velg en kortere periode, færre grupperinger eller flere filtre."
NARROW_GJENNOMFORING = "Velg et kontor, en kortere periode, færre tiltak eller rader=siste."

router = APIRouter()


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
