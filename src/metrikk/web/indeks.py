"""An in-memory, per-kontor index for the dashboard's two expensive calls.

A dashboard request asks about ONE kontor over a period: distinct persons per cell of two
groupings (with their roll-ups), and the occupancy of the gjennomføringer the kontor's people
were on. (The third, distinct persons under oppfølging, is `indeks_oppfolging`, on this
module's cache.) In DuckDB the first is `COUNT(DISTINCT person_id)` with `GROUPING SETS` over about
100 000 deltakelse-weeks for a kontor-year (35–45 ms of CPU), and the second a semi-join on
36-character gjennomføring ids (about 30 ms). Both are the same work on every request.

This module loads a kontor's rows once per published snapshot, dictionary-codes every column
(small integers, 0 = NULL) and keeps them sorted by week. A request then takes a contiguous
slice for its weeks, masks its filters with lookup tables, and counts distinct persons by
sorting packed (grouping, person, grouping) keys. Answers are identical to the SQL in
`queries/`, which stays as the fallback (no snapshot reader, or `METRIKK_WEB_INDEKS=0`) and as
the oracle in tests/web/test_indeks.py.

The snapshot is immutable, so an index never goes stale: it is keyed by the reader's file
identity and dropped when a newer snapshot is read. Indexes are built on first use, one build
per key even when requests arrive together, and kept within a memory budget (least recently
used first out). The largest kontor of the `default` scale (434 000 deltakelse-weeks over five
years) takes about 7 MB and 0.8–0.9 s to load.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrikk.settings import web_indeks_enabled
from metrikk.web import perioder
from metrikk.web import queries as q

EPOCH = date(1970, 1, 5)  # a Monday: week number = (uke_start - EPOCH).days // 7
BUDGET_BYTES = 256 * 1024 * 1024

# Columns coded in a tiltak index: every grouping/filter column except the week.
TILTAK_COLUMNS = tuple(c for c in q.DIMENSIONS.values() if c != "uke_start")
FILTERS = q.FILTER_DIMENSIONS
GJ_MEASURES = ("antall_deltar", "antall_venter", "antall_plasser")


def enabled() -> bool:
    return web_indeks_enabled()


def week_no(d: date) -> np.int32:
    """The week number of a Monday; as np.int32, so searchsorted does not convert the array."""
    return np.int32((d - EPOCH).days // 7)


def _week_slice(weeks: np.ndarray, fra: date, til: date) -> tuple[int, int]:
    """The rows [lo, hi) of a week-sorted array that fall in fra..til."""
    return (
        int(np.searchsorted(weeks, week_no(fra), "left")),
        int(np.searchsorted(weeks, week_no(til), "right")),
    )


def weeks(col: pa.ChunkedArray) -> np.ndarray:
    """DATE (days since 1970-01-01, a Thursday) -> week numbers since EPOCH."""
    days = col.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64)
    return ((days - 4) // 7).astype(np.int32)


@dataclass
class Coded:
    """A dictionary-coded column: codes[i] indexes values; code 0 is NULL."""

    codes: np.ndarray
    values: list[Any]

    @classmethod
    def of(cls, col: pa.ChunkedArray) -> Coded:
        enc = pc.dictionary_encode(col.combine_chunks())
        codes = pc.fill_null(pc.add(enc.indices.cast(pa.int32()), 1), 0).to_numpy(
            zero_copy_only=False
        )
        small = np.int16 if len(enc.dictionary) < np.iinfo(np.int16).max else np.int32
        return cls(codes.astype(small), [None, *enc.dictionary.to_pylist()])

    def lookup(self, wanted: Sequence[Any]) -> np.ndarray:
        """A boolean table over codes, True for the codes of `wanted` (NULL is never wanted)."""
        table = np.zeros(len(self.values), dtype=bool)
        index = {v: i for i, v in enumerate(self.values) if i}
        table[[index[v] for v in wanted if v in index]] = True
        return table


def runs(sorted_keys: np.ndarray) -> np.ndarray:
    """The first of each run of equal values in a sorted array."""
    first = np.ones(len(sorted_keys), dtype=bool)
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=first[1:])
    return sorted_keys[first]


def distinct(keys: np.ndarray, bound: int, *, nearly_sorted: bool = False) -> np.ndarray:
    """The distinct values of `keys` (each in 0..bound-1), sorted. `keys` may be reordered.

    Three ways, by what is cheapest (benchmarks/RESULTS.md): keys that are nearly in order go
    through a stable sort (timsort on runs: 0.04 ms for 100 000 keys, where NumPy's default
    sort takes 2.3 ms); keys dense in their range mark a boolean table (0.5 ms for 100 000 keys
    under 500 000); other keys are sorted.
    """
    if nearly_sorted:
        keys.sort(kind="stable")
        return runs(keys)
    if bound <= 8 * len(keys):
        seen = np.zeros(bound, dtype=bool)
        seen[keys] = True
        return np.flatnonzero(seen).astype(keys.dtype, copy=False)
    keys.sort()
    return runs(keys)


class TiltakIndeks:
    """One kontor's deltakelse-weeks: week numbers (sorted), person codes, coded columns."""

    def __init__(self, table: pa.Table):
        uke = weeks(table.column("uke_start"))
        person = Coded.of(table.column("person_id"))
        cols = {c: Coded.of(table.column(c)) for c in TILTAK_COLUMNS}
        # Rows in (week, person code) order: then the packed keys of a request by week or
        # period come nearly sorted, and `distinct` takes them in one pass.
        order = np.lexsort((person.codes, uke))
        self.uke = uke[order]
        self.person = Coded(person.codes[order], person.values)
        self.cols = {c: Coded(v.codes[order], v.values) for c, v in cols.items()}
        self.has_null_person = bool((self.person.codes == 0).any())
        self.nbytes = self.uke.nbytes + sum(
            c.codes.nbytes for c in (self.person, *self.cols.values())
        )

    def distinct_persons(
        self, f: q.TiltakFilter, dims: Sequence[str], periode: str = "uke"
    ) -> dict[str, Any]:
        """Exactly what `queries.distinct_persons` (the SQL) returns, computed from the index.

        The dimension "periode" is the week's period of kind `periode` (perioder.key): weeks map
        to their month or year before persons are counted, so a person in two weeks of a month
        is one person in that month.
        """
        lo, hi = _week_slice(self.uke, f.fra, f.til)
        mask: np.ndarray | None = None
        for col in FILTERS:
            wanted = getattr(f, col)
            if wanted:
                m = self.cols[col].lookup(wanted)[self.cols[col].codes[lo:hi]]
                mask = m if mask is None else mask & m

        def take(a: np.ndarray) -> np.ndarray:
            return a[lo:hi] if mask is None else a[lo:hi][mask]

        # Codes are used as they are (no renumbering): weeks as offsets from `fra`, the
        # other columns by their dictionary codes; both are small.
        start = week_no(f.fra)
        local, values = [], []
        for d in dims:
            if d == "uke":
                local.append(take(self.uke) - start)
                n = week_no(f.til) - start + 1
                values.append([f.fra + timedelta(weeks=i) for i in range(n)])
            elif d == "periode":
                n = week_no(f.til) - start + 1
                keys = [perioder.key(periode, f.fra + timedelta(weeks=i)) for i in range(n)]
                found = list(dict.fromkeys(keys))
                of_week = np.array([found.index(k) for k in keys], dtype=np.int32)
                local.append(of_week[take(self.uke) - start])
                values.append(found)
            else:
                col = self.cols[q.DIMENSIONS[d]]
                local.append(take(col.codes))
                values.append(col.values)
        sizes = [len(v) for v in values]
        npersons = len(self.person.values)
        bound = sizes[0] * npersons * int(np.prod(sizes[1:]))
        dtype = np.int32 if bound < 2**31 else np.int64
        rest_size, rest = 1, np.zeros(len(local[0]), dtype=dtype)
        for i in range(1, len(dims)):  # combinations of dims[1:] (0 for one dim)
            rest = rest * sizes[i] + local[i]
            rest_size *= sizes[i]
        first_code = local[0].astype(dtype)
        occupied = np.flatnonzero(np.bincount(first_code * rest_size + rest))

        # Distinct persons per cell AND per value of dims[0] from ONE set of distinct packed keys
        # (dims[0], person, dims[1:]): distinct keys are distinct (cell, person), and distinct
        # key // rest_size are distinct (dims[0], person). np.unique took 50 ms.
        person = take(self.person.codes)
        if self.has_null_person:  # COUNT(DISTINCT) skips NULL persons; their cells still exist
            known = person != 0
            person, first_code, rest = person[known], first_code[known], rest[known]
        keys = (first_code * npersons + person) * rest_size + rest
        # distinct (dims[0], person, dims[1:]); by week or period the rows' own order
        pairs = distinct(keys, bound, nearly_sorted=dims[0] in ("uke", "periode"))
        fp = pairs // rest_size  # dims[0] * npersons + person, still sorted
        per_cell = np.bincount(
            (fp // npersons) * rest_size + pairs % rest_size, minlength=sizes[0] * rest_size
        )
        per_first = np.bincount(runs(fp) // npersons, minlength=sizes[0])
        total = int(np.count_nonzero(np.bincount(person, minlength=npersons)[1:]))

        index = np.unravel_index(occupied, sizes)
        labels = [[values[i][j] for j in index[i].tolist()] for i in range(len(dims))]
        cells = dict(zip(zip(*labels, strict=True), per_cell[occupied].tolist(), strict=True))
        first = {values[0][i]: int(per_first[i]) for i in np.unique(index[0]).tolist()}
        present = {
            d: sorted(set(labels[i])) for i, d in enumerate(dims) if d not in ("uke", "periode")
        }
        return {"cells": cells, "first": first, "total": total, "present": present}


class GjennomforingIndeks:
    """The gjennomføringer one kontor's people were ever on, and their weekly occupancy."""

    def __init__(self, deltakelser: pa.Table, uker: pa.Table):
        self.uke = weeks(deltakelser.column("uke_start"))
        self.gj = Coded.of(deltakelser.column("gjennomforing_id"))
        self.table = uker  # sorted by uke_start, tiltakskode, gjennomforing_id
        self.g_uke = weeks(uker.column("uke_start"))
        col = uker.column("gjennomforing_id")
        ids = pc.index_in(col, value_set=pa.array(self.gj.values[1:], type=col.type))
        self.g_gj = pc.fill_null(pc.add(ids, 1), 0).to_numpy(zero_copy_only=False)
        self.g_tiltak = Coded.of(uker.column("tiltakskode"))
        self.measures = {
            m: pc.fill_null(uker.column(m), 0).to_numpy(zero_copy_only=False).astype(np.int64)
            for m in GJ_MEASURES
        }
        self.nbytes = (
            self.uke.nbytes
            + self.gj.codes.nbytes
            + self.g_uke.nbytes
            + self.g_gj.nbytes
            + self.g_tiltak.codes.nbytes
            + sum(a.nbytes for a in self.measures.values())
            + uker.nbytes
        )

    def _selected(self, fra: date, til: date, tiltakskode: Sequence[str]) -> np.ndarray:
        """Row numbers of `table` in fra..til for gjennomføringer with the kontor's people."""
        lo, hi = _week_slice(self.uke, fra, til)
        on = np.zeros(len(self.gj.values), dtype=bool)
        on[self.gj.codes[lo:hi]] = True
        on[0] = False  # deltakelser without a gjennomføring
        glo, ghi = _week_slice(self.g_uke, fra, til)
        m = on[self.g_gj[glo:ghi]]
        if tiltakskode:
            m &= self.g_tiltak.lookup(tiltakskode)[self.g_tiltak.codes[glo:ghi]]
        return np.flatnonzero(m) + glo

    def ukesum(self, fra: date, til: date, tiltakskode: Sequence[str]) -> dict[date, dict]:
        """Exactly what `queries.gjennomforing_ukesum` returns."""
        rows = self._selected(fra, til, tiltakskode)
        week = self.g_uke[rows] - week_no(fra)
        n = week_no(til) - week_no(fra) + 1
        deltar = self.measures["antall_deltar"][rows]
        plasser = self.measures["antall_plasser"][rows]
        has = plasser != 0

        def total(values: np.ndarray | None, where: np.ndarray | None = None) -> np.ndarray:
            w, v = (week, values) if where is None else (week[where], values[where])
            return np.bincount(w, minlength=n) if v is None else np.bincount(w, v, minlength=n)

        sums = (
            total(None),
            total(deltar),
            total(self.measures["antall_venter"][rows]),
            total(plasser, has),
            total(deltar, has),
        )
        return {
            fra + timedelta(weeks=i): {
                k: int(s[i]) for k, s in zip(q.UKESUM_KEYS, sums, strict=True)
            }
            for i in range(n)
        }

    def uker(
        self, fra: date, til: date, tiltakskode: Sequence[str], rader_fra: date | None = None
    ) -> list[dict[str, Any]]:
        """Exactly what `queries.gjennomforing_uker` returns (same columns, same order)."""
        rows = self._selected(fra, til, tiltakskode)
        if rader_fra is not None:
            rows = rows[self.g_uke[rows] >= week_no(rader_fra)]
        return self.table.take(pa.array(rows, type=pa.int64())).to_pylist()


# --- loading and the cache -------------------------------------------------------------------


def _load_tiltak(con: q.Reader, kontor: str) -> TiltakIndeks:
    columns = ", ".join(
        f"{q.DIMENSION_SQL[d]} AS {c}" for d, c in q.DIMENSIONS.items() if d != "uke"
    )
    return TiltakIndeks(
        con.execute(
            f"SELECT uke_start, person_id, {columns} FROM {q.deltakelse_uke(con)}"
            " WHERE kontor = ? ORDER BY uke_start",
            [kontor],
        ).to_arrow_table()
    )


def _load_gjennomforing(con: q.Reader, kontor: str) -> GjennomforingIndeks:
    q.require(con, q.DELTAKELSE_UKE, "tiltak_gold.uke_gjennomforing")
    deltakelser = con.execute(
        f"SELECT uke_start, gjennomforing_id FROM {q.DELTAKELSE_UKE} WHERE kontor = ?"
        " ORDER BY uke_start",
        [kontor],
    ).to_arrow_table()
    uker = con.execute(
        f"""
        SELECT g.aar, g.uke, g.uke_start, g.gjennomforing_id, g.tiltakskode,
               g.antall_deltar, g.antall_venter, g.antall_plasser, g.belegg,
               g.antall_fra_lokale_kontor, g.antall_fra_andre_kontor
        FROM tiltak_gold.uke_gjennomforing g
        WHERE g.gjennomforing_id IN (SELECT gjennomforing_id FROM {q.DELTAKELSE_UKE}
                                     WHERE kontor = ? AND gjennomforing_id IS NOT NULL)
        ORDER BY g.uke_start, g.tiltakskode, g.gjennomforing_id
        """,
        [kontor],
    ).to_arrow_table()
    return GjennomforingIndeks(deltakelser, uker)


_CACHE: OrderedDict[tuple, Any] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_BUILDING: dict[tuple, threading.Lock] = {}


def cached(con: q.Reader, kind: str, kontor: str, load: Callable[[q.Reader, str], Any]):
    key = (con.key, kind, kontor)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
        build = _BUILDING.setdefault(key, threading.Lock())
    with build:  # one build per key; the others wait for it
        with _CACHE_LOCK:
            if key in _CACHE:
                return _CACHE[key]
        index = load(con, kontor)
        with _CACHE_LOCK:
            for old in [k for k in _CACHE if k[0] != con.key]:  # an older snapshot's
                del _CACHE[old]
            _CACHE[key] = index
            while sum(v.nbytes for v in _CACHE.values()) > BUDGET_BYTES and len(_CACHE) > 1:
                _CACHE.popitem(last=False)
            _BUILDING.pop(key, None)
        return index


def _warm_default_kontor(con: q.Reader) -> None:
    """Build the default kontor's indexes as soon as a snapshot is opened, so the first person
    to open the dashboard after a publish does not wait for them (0219: about 1.3 s)."""
    if not enabled() or not q.has_table(con, "tiltak_silver", "deltakelse_uke"):
        return
    kontor = q.default_kontor(con)
    if kontor:
        cached(con, "tiltak", kontor, _load_tiltak)
        if q.has_table(con, "tiltak_gold", "uke_gjennomforing"):
            cached(con, "gjennomforing", kontor, _load_gjennomforing)


q.on_new_snapshot(_warm_default_kontor)


def clear() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()


# --- what the API calls ----------------------------------------------------------------------


def distinct_persons(
    con, f: q.TiltakFilter, dims: Sequence[str], periode: str = "uke"
) -> dict[str, Any]:
    if enabled() and isinstance(con, q.Reader):
        return cached(con, "tiltak", f.kontor, _load_tiltak).distinct_persons(f, dims, periode)
    return q.distinct_persons(con, f, dims, periode)


def gjennomforing_ukesum(con, fra: date, til: date, kontor: str | None, tiltakskode=()):
    if kontor and enabled() and isinstance(con, q.Reader):
        index = cached(con, "gjennomforing", kontor, _load_gjennomforing)
        return index.ukesum(fra, til, tiltakskode)
    return q.gjennomforing_ukesum(con, fra, til, kontor, tiltakskode)


def gjennomforing_uker(
    con, fra: date, til: date, kontor: str | None, tiltakskode=(), rader_fra: date | None = None
) -> list[dict[str, Any]]:
    if kontor and enabled() and isinstance(con, q.Reader):
        index = cached(con, "gjennomforing", kontor, _load_gjennomforing)
        return index.uker(fra, til, tiltakskode, rader_fra)
    return q.gjennomforing_uker(con, fra, til, kontor, tiltakskode, rader_fra)
