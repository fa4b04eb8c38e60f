"""«Ventetid»: how long the deltakelser that started at a kontor had waited
(`/api/v1/tiltak/ventetid`), per tiltak or tiltaksgruppe and per week, month or year
(CONTRACT §3 "Ventetid", §4 `uke_ventetid`).

Every measure of `uke_ventetid` is additive (the number of oppstarter, the sum of ventedager and
the numbers that waited over 14, 30 and 90 days), so any roll-up is a sum: the mean is the sum
of ventedager / oppstarter and a share is «over 30» / oppstarter, for any set of weeks, kontor
and tiltak. By tiltaksgruppe (not a column of the gold table) the same sums come from
`tiltak_silver.oppstart`, the rows the gold table sums (queries.ventetid_ukevis).

An oppstart is a deltakelse, a record of a person: under `--min-antall` the number of oppstarter
and those over 14/30/90 days are protected counts, the shares are of the shown numbers, and the
mean is left out when its number of oppstarter is hidden and otherwise shown in whole days
(docs/decisions.md, "Ventetid under --min-antall").
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from metrikk.web import eksport, limits, perioder, tabell
from metrikk.web import queries as q
from metrikk.web.common import _resolve_kontor, _source
from metrikk.web.eksport import Format, export_response
from metrikk.web.suppression import protect
from metrikk.web.tiltak_perioder import _chosen, _period_info, period_of

router = APIRouter(prefix="/api/v1", tags=["api"])

Gruppering = Literal["tiltakskode", "tiltaksgruppe"]
GRENSER = (14, 30, 90)
NARROW = "Velg en kortere periode eller færre perioder."

Sums = tuple[int, int, int, int, int]  # oppstarter, ventedager, over 14, over 30, over 90


def figure(s: Sums, k: int | None) -> dict[str, Any]:
    """The shown numbers of one group: oppstarter, mean ventedager, and per limit the number
    and share (%) that waited longer."""
    n, dager, *over = s
    shown_n = tabell.shown(n, k)
    if n == 0 or (k and protect(n, k) is None):
        snitt = None
    else:
        snitt = round(dager / n) if k else round(dager / n, 1)
    out: dict[str, Any] = {"antall_oppstart": shown_n, "snitt_ventedager": snitt}
    for grense, o in zip(GRENSER, over, strict=True):
        shown_o = tabell.shown(o, k)
        if k:
            share = (
                round(100 * shown_o / shown_n, 1)
                if isinstance(shown_o, int) and isinstance(shown_n, int) and shown_n > 0
                else None
            )
        else:
            share = round(100 * o / n, 1) if n else None
        out[f"ventet_over_{grense}"] = shown_o
        out[f"andel_over_{grense}"] = share
    return out


def _add(acc: list[int], row: tuple) -> None:
    for i, v in enumerate(row):
        acc[i] += int(v)


@router.get(
    "/tiltak/ventetid",
    summary="Ventetid før oppstart per tiltak eller tiltaksgruppe: snitt og andel over 30 dager",
    description=(
        "Komet-deltakelser som startet i perioden hos kontoret (kontoret på startdatoen), med "
        "gjennomsnittlig antall ventedager fra første ventestatus til start og andelen som "
        "ventet mer enn 14, 30 og 90 dager. Alle mål er summer (tiltak_gold.uke_ventetid; per "
        "tiltaksgruppe fra tiltak_silver.oppstart), så snitt og andeler regnes for ethvert "
        "utvalg. `sammendrag` gjelder hele perioden per gruppe, `utvikling` hver periode. "
        "`format=csv|xlsx` med `tabell=sammendrag|utvikling` gir tabellen slik den vises."
    ),
)
def ventetid(
    request: Request,
    kontor: str | None = None,
    periode: Literal["uke", "maned", "aar"] = "maned",
    fra: Annotated[str | None, Query(description="2025-U14, 2025-04 eller 2025")] = None,
    til: Annotated[str | None, Query(description="2025-U25, 2025-06 eller 2025")] = None,
    gruppering: Gruppering = "tiltakskode",
    tiltakskode: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI query list
    tiltaksgruppe: Annotated[list[str], Query()] = [],  # noqa: B006
    tabell_: Annotated[Literal["sammendrag", "utvikling"], Query(alias="tabell")] = "sammendrag",
    format: Format = "json",
) -> Any:
    k = request.app.state.min_antall
    with _source(request).read() as con:
        kontor, kontor_navn = _resolve_kontor(con, kontor)
        per = period_of(con, periode, fra, til)
        filters = _chosen(
            con, kontor, {"tiltakskode": tiltakskode, "tiltaksgruppe": tiltaksgruppe}, k
        )
        rows = q.ventetid_ukevis(con, kontor, per.fra, per.til, gruppering, **filters)
        names = q.tiltak_names(con)
        m = q.meta(con)
    groups: dict[Any, list[int]] = {}
    periods: dict[Any, list[int]] = {p: [0] * 5 for p in per.keys}
    total = [0] * 5
    for week, g, *sums in rows:
        _add(groups.setdefault(g, [0] * 5), sums)
        _add(periods[perioder.key(per.kind, week)], sums)
        _add(total, sums)
    for v in filters[gruppering]:
        groups.setdefault(v, [0] * 5)
    limits.check_rows(max(len(groups), len(per.keys)), "rader", NARROW)

    def label(v: Any) -> str:
        return tabell.value_label(gruppering, v, names)

    def size(v: Any) -> float:
        s = tabell.shown(groups[v][0], k)
        return s if isinstance(s, (int, float)) else (k or 0) / 2

    order = sorted(groups, key=lambda v: (-size(v), label(v).casefold()))
    out: dict[str, Any] = {
        "kontor": {"enhetsnummer": kontor, "navn": kontor_navn},
        "periode": _period_info(per),
        "gruppering": gruppering,
        "gruppering_navn": tabell.DIMENSION_LABELS[gruppering],
        "sammendrag": [
            {"verdi": v, "navn": label(v), **figure(tuple(groups[v]), k)} for v in order
        ],
        "totalt": figure(tuple(total), k),
        "utvikling": [
            {
                "periode": perioder.code(per.kind, p),
                "navn": perioder.label(per.kind, p),
                **figure(tuple(periods[p]), k),
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
    header, body = export_table(out, tabell_)
    preamble = eksport.preamble(
        kontor=(kontor, kontor_navn),
        periode=f"{out['periode']['fra_navn']} – {out['periode']['til_navn']} "
        f"({out['periode']['fra_uke']} – {out['periode']['til_uke']})",
        maal="Ventetid før oppstart: oppstarter, gjennomsnittlig antall ventedager og andel "
        "som ventet over 30 dager",
        filters=filters,
        names=names,
        extra=[
            (
                "Tabell",
                f"hele perioden per {out['gruppering_navn'].lower()}"
                if tabell_ == "sammendrag"
                else f"per {perioder.NAVN[per.kind].lower()}",
            )
        ],
        syntetisk=m["syntetisk"],
        min_antall=k,
    )
    filename = f"ventetid_{kontor}_{out['periode']['fra']}_{out['periode']['til']}"
    return export_response(format, filename, header, body, sheet="Ventetid", preamble=preamble)


COLUMNS = (
    ("antall_oppstart", "Oppstarter"),
    ("snitt_ventedager", "Snitt ventetid (dager)"),
    ("ventet_over_30", "Ventet over 30 dager"),
    ("andel_over_30", "Andel over 30 dager (%)"),
)


def export_table(out: dict[str, Any], which: str) -> tuple[list[str], list[list[Any]]]:
    """The page's tables: per group for the whole period (with a total row), or per period."""
    first = out["gruppering_navn"] if which == "sammendrag" else "Periode"
    header = [first] + [name for _, name in COLUMNS]
    rows = out["sammendrag"] if which == "sammendrag" else out["utvikling"]
    body = [[r["navn"]] + [r[c] for c, _ in COLUMNS] for r in rows]
    body.append(["Totalt"] + [out["totalt"][c] for c, _ in COLUMNS])
    return header, body
