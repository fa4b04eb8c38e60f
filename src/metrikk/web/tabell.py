"""Tables of counts of people, as the dashboard shows them: zero-filled, ordered, shares that add
up to 100, every count protected under `--min-antall` (suppression.py), and the change between
two figures.

Shared by the period view (`tiltak_perioder.py`), «Denne uken» (`denne_uken.py`) and the data
quality view. Every total handed in here is a distinct count computed as such (never a sum of
cells); with K each is protected on its own, and everything derived (shares, order, changes) is
computed from the shown numbers only.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

from metrikk.web import limits, perioder
from metrikk.web import queries as q
from metrikk.web.suppression import label as hidden_label
from metrikk.web.suppression import protect

Number = int | float


def shares(values: Sequence[Number], decimals: int = 1) -> list[float | None]:
    """Percentages rounded by largest remainder so they add up to exactly 100."""
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


def protected(value: Number, k: int | None) -> Number | None:
    """The figure as shown: a count protected as a count; a weekly average (float) rounded to
    one decimal, or with K protected like a count of its rounded value (None = hidden)."""
    if isinstance(value, float):
        if k:
            return protect(round(value), k)
        return round(value, 1)
    return protect(int(value), k)


def shown(value: Number, k: int | None) -> Number | str:
    p = protected(value, k)
    return hidden_label(k) if p is None else p  # type: ignore[arg-type]


def change(now: Number | str | None, then: Number | str | None) -> dict[str, Any]:
    """The change from `then` to `now`, from the SHOWN numbers: none when either is hidden or
    missing; the percentage only when `then` is above 0."""
    if not isinstance(now, (int, float)) or not isinstance(then, (int, float)):
        return {"antall": None, "prosent": None}
    diff = round(now - then, 1) if isinstance(now - then, float) else now - then
    pct = round(100 * (now - then) / then, 1) if then > 0 else None
    return {"antall": diff, "prosent": pct}


def value_label(dim: str, v: Any, names: dict[str, str], kind: str = "uke") -> str:
    if v is None:
        return "Ukjent"
    if dim == "periode":
        return perioder.label(kind, v)
    if dim == "uke":
        return q.week_label(v)
    if dim == "tiltakskode":
        return names.get(v, v)
    if dim == "innsatsgruppe":
        return q.INNSATSGRUPPE_NAVN.get(v, v)
    if dim == "tiltakskategori":
        return q.KATEGORI_NAVN.get(v, v)
    return str(v)


def value_code(dim: str, v: Any, kind: str = "uke") -> Any:
    """A value as JSON carries it: periods and weeks as their codes, the rest as they are."""
    if dim == "periode":
        return perioder.code(kind, v)
    if dim == "uke":
        return q.week_label(v)
    return v


DIMENSION_LABELS = {**q.DIMENSION_LABELS, "periode": "Periode"}


def build(
    dims: list[str],
    domains: dict[str, list[Any]],
    cells: dict[tuple, Number],
    first: dict[Any, Number],
    second: dict[Any, Number] | None,
    total: Number,
    names: dict[str, str],
    sorter: str,
    k: int | None,
    kind: str = "uke",
    narrow: str = "Velg en kortere periode, færre grupperinger eller flere filtre.",
) -> dict[str, Any]:
    """Zero-fill, order, share and protect a table of distinct counts (or weekly averages).

    `first` and `second` are the totals per value of dims[0] and dims[1], `total` the table's
    total: each computed as a distinct count (or the average of weekly distinct counts) in its
    own right. Time dimensions ("periode", "uke") keep their order; others are sorted by size
    (shown numbers) unless `sorter == "navn"`.
    """
    n = 1
    for d in dims:
        n *= max(1, len(domains[d]))
    limits.check_rows(n, "kombinasjoner", narrow)

    def size_of(v: Number) -> float:
        p = protected(v, k)
        return k / 2 if p is None else float(p)  # a hidden count sorts between 0 and K

    for i, d in enumerate(dims):
        if d in ("periode", "uke"):
            continue
        if sorter == "navn":
            domains[d].sort(key=lambda v, d=d: value_label(d, v, names, kind).casefold())
            continue
        totals = first if i == 0 else second or {}
        size = {v: size_of(totals.get(v, 0)) for v in domains[d]}
        domains[d].sort(
            key=lambda v, d=d, size=size: (-size[v], value_label(d, v, names, kind).casefold())
        )

    keys = list(itertools.product(*(domains[d] for d in dims)))
    shown_cells = [protected(cells.get(key, 0), k) for key in keys]
    width = len(keys) // max(1, len(domains[dims[0]])) if len(dims) > 1 else len(keys)
    share_list: list[float | None] = []
    for j in range(0, len(keys), max(1, width)):
        run = shown_cells[j : j + width]
        part = shares([0 if p is None else p for p in run])
        share_list.extend(None if p is None else a for p, a in zip(run, part, strict=True))
    rader = []
    for key, p, andel in zip(keys, shown_cells, share_list, strict=True):
        row = {d: value_code(d, v, kind) for d, v in zip(dims, key, strict=True)}
        row.update(antall=hidden_label(k) if p is None else p, andel=andel, skjult=p is None)
        rader.append(row)
    out: dict[str, Any] = {
        "gruppering": dims,
        "gruppering_navn": [DIMENSION_LABELS[d] for d in dims],
        "verdier": {
            d: [
                {"verdi": value_code(d, v, kind), "navn": value_label(d, v, names, kind)}
                for v in domains[d]
            ]
            for d in dims
        },
        "rader": rader,
        "totalt_per": [
            {dims[0]: value_code(dims[0], v, kind), "antall": shown(first.get(v, 0), k)}
            for v in domains[dims[0]]
        ],
        "totalt": shown(total, k),
        "min_antall": k,
    }
    if len(dims) > 1:
        out["totalt_per_serie"] = [
            {dims[1]: value_code(dims[1], v, kind), "antall": shown((second or {}).get(v, 0), k)}
            for v in domains[dims[1]]
        ]
    return out


def average(
    weekly: dict[tuple, int], group_of: Callable[[tuple], tuple | None], weeks_in: Callable
) -> dict[tuple, float]:
    """Mean over weeks: weekly[(week, *rest)] summed into group_of(key) and divided by the
    number of weeks of that group (`weeks_in(group)`); zero weeks count as 0."""
    sums: dict[tuple, float] = {}
    for key, n in weekly.items():
        g = group_of(key)
        if g is not None:
            sums[g] = sums.get(g, 0) + n
    return {g: s / weeks_in(g) for g, s in sums.items()}
