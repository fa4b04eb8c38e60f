"""The per-kontor index of «Andel på tiltak»: distinct persons under oppfølging from spells.

The view counts distinct persons under oppfølging, and of them på tiltak, over a period per
value of a grouping (`queries.oppfolging_unike`, COUNT DISTINCT over the person-weeks of
`tiltak_silver.oppfolging_uke`: 236 000 rows for the largest kontor over a year). A person's
weeks come in runs with the same avdeling, veiledergruppe, innsatsgruppe and på tiltak; the
index keeps each run as one spell (`queries.FORLOP_SQL`), about a twentieth of the rows. A person
has a week in a set of weeks exactly when one of their spells overlaps it, so a request takes
the spells that overlap its weeks (and pass its filters), cuts each to them, maps its weeks to
periods (a spell touches a contiguous range of months or years) and counts distinct persons by
sorting packed (period, value, person) keys, as `indeks.TiltakIndeks` does.

Answers are identical to the SQL, which stays as the fallback and as the oracle in
tests/web/test_indeks_oppfolging.py. Indexes share `indeks`'s cache (one snapshot, a memory
budget, one build per key); the default kontor's is built when a snapshot is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

from metrikk.web import indeks, perioder
from metrikk.web import queries as q

COLUMNS = {"avdeling": "avdeling", "veiledergruppe": "veiledergruppe_id"}
COLUMNS["innsatsgruppe"] = "innsatsgruppe"


def _distinct(group: np.ndarray, person: np.ndarray, ngroups: int, npersons: int) -> np.ndarray:
    """Distinct persons per group code; person code 0 (NULL) is never counted."""
    known = person != 0
    keys = group[known].astype(np.int64) * npersons + person[known]
    return np.bincount(indeks.distinct(keys, ngroups * npersons) // npersons, minlength=ngroups)


def _pairs(
    code: np.ndarray, n: int, person: np.ndarray, paa: np.ndarray, npersons: int
) -> tuple[list[int], np.ndarray, np.ndarray]:
    """(present codes, under oppfølging, på tiltak) per code. Every code with a row is present,
    also when its only persons are NULL, as a group of the SQL's GROUP BY is."""
    present = np.flatnonzero(np.bincount(code, minlength=n)).tolist()
    return (
        present,
        _distinct(code, person, n, npersons),
        _distinct(code[paa], person[paa], n, npersons),
    )


class OppfolgingIndeks:
    """One kontor's spells: first and last week numbers, person and column codes, på tiltak."""

    def __init__(self, forlop: pa.Table):
        self.fra = indeks.weeks(forlop.column("fra_uke"))
        self.til = indeks.weeks(forlop.column("til_uke"))
        self.person = indeks.Coded.of(forlop.column("person_id"))
        self.cols = {d: indeks.Coded.of(forlop.column(c)) for d, c in COLUMNS.items()}
        self.paa = forlop.column("paa_tiltak").to_numpy(zero_copy_only=False).astype(bool)
        self.nbytes = sum(
            a.nbytes
            for a in (self.fra, self.til, self.person.codes, self.paa)
            + tuple(c.codes for c in self.cols.values())
        )

    def unike(
        self,
        fra: date,
        til: date,
        periode: str,
        dim: str | None,
        avdeling: Sequence[str] = (),
        innsatsgruppe: Sequence[str] = (),
        *,
        per_periode: bool = True,
    ) -> dict[str, dict]:
        """Exactly what `queries.oppfolging_unike` (the SQL) returns, from the spells."""
        first, last = indeks.week_no(fra), indeks.week_no(til)
        mask = (self.til >= first) & (self.fra <= last)
        for col, wanted in (("avdeling", avdeling), ("innsatsgruppe", innsatsgruppe)):
            if wanted:
                mask &= self.cols[col].lookup(wanted)[self.cols[col].codes]
        rows = np.flatnonzero(mask)
        if dim is None:
            g, gvalues = np.zeros(len(rows), dtype=np.int32), [None]
        else:
            g, gvalues = self.cols[dim].codes[rows].astype(np.int32), self.cols[dim].values
        person, paa = self.person.codes[rows], self.paa[rows]
        ng, npersons = len(gvalues), len(self.person.values)
        out: dict[str, dict] = {"cells": {}, "periods": {}, "groups": {}, "total": (0, 0)}
        if not len(rows):
            return out

        present, under, paa_n = _pairs(g, ng, person, paa, npersons)
        out["groups"] = {gvalues[i]: (int(under[i]), int(paa_n[i])) for i in present}
        _, under, paa_n = _pairs(np.zeros(len(rows), dtype=np.int32), 1, person, paa, npersons)
        out["total"] = (int(under[0]), int(paa_n[0]))
        if not per_periode:
            return out

        # Each spell, cut to fra..til, touches the contiguous periods of its first and last
        # week: expand it to one row per period.
        keys = [perioder.key(periode, fra + timedelta(weeks=i)) for i in range(last - first + 1)]
        found = list(dict.fromkeys(keys))
        of_week = np.array([found.index(k) for k in keys], dtype=np.int32)
        lo = of_week[np.maximum(self.fra[rows], first) - first]
        hi = of_week[np.minimum(self.til[rows], last) - first]
        count = hi - lo + 1
        at = np.repeat(np.arange(len(rows)), count)
        p = np.repeat(lo, count) + (np.arange(len(at)) - np.repeat(np.cumsum(count) - count, count))
        person, paa, p = person[at], paa[at], p.astype(np.int32)
        nperiods = len(found)
        present, under, paa_n = _pairs(p, nperiods, person, paa, npersons)
        out["periods"] = {found[i]: (int(under[i]), int(paa_n[i])) for i in present}
        present, under, paa_n = _pairs(p * ng + g[at], nperiods * ng, person, paa, npersons)
        out["cells"] = {
            (found[i // ng], gvalues[i % ng]): (int(under[i]), int(paa_n[i])) for i in present
        }
        return out


def _load(con: q.Reader, kontor: str) -> OppfolgingIndeks:
    q.require(con, q.OPPFOLGING_UKE)
    return OppfolgingIndeks(con.execute(q.FORLOP_SQL, [kontor]).to_arrow_table())


def _warm_default_kontor(con: q.Reader) -> None:
    """Build the default kontor's spells when a snapshot is opened (0219: about 1.4 s)."""
    if indeks.enabled() and q.has_table(con, "tiltak_silver", "oppfolging_uke"):
        kontor = q.default_kontor(con)
        if kontor:
            indeks.cached(con, "oppfolging", kontor, _load)


q.on_new_snapshot(_warm_default_kontor)


def oppfolging_unike(
    con,
    kontor: str,
    fra: date,
    til: date,
    periode: str,
    dim: str | None,
    avdeling: Sequence[str] = (),
    innsatsgruppe: Sequence[str] = (),
    *,
    per_periode: bool = True,
) -> dict[str, Any]:
    """`queries.oppfolging_unike`, from the kontor's spells when the index is on."""
    if indeks.enabled() and isinstance(con, q.Reader):
        index = indeks.cached(con, "oppfolging", kontor, _load)
        return index.unike(fra, til, periode, dim, avdeling, innsatsgruppe, per_periode=per_periode)
    return q.oppfolging_unike(
        con, kontor, fra, til, periode, dim, avdeling, innsatsgruppe, per_periode=per_periode
    )
