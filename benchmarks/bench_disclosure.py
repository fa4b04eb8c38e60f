"""How often an attacker who combines every figure can pin a hidden count under `--min-antall K`.

`uv run python benchmarks/bench_disclosure.py [--scale small|default]`

Not a timing: a measurement of what the disclosure control (`metrikk.web.suppression.protect`,
the real function: its base and its boundaries are read from it, never restated here) leaves to
an exact attacker. Four disjoint cells (persons with one value of a dimension in one week, e.g.
four tiltak) hold counts; the attacker sees the protected count of several sets of cells, as the
API shows them, and enumerates every vector of true counts (0 … 35 each) that gives exactly what
it saw. A hidden count (1 … K-1) is *pinned* when all of those vectors agree on it. What the
attacker sees (the sets of cells whose totals it gets):

- `one_or_all`: each cell and the total: one response of /api/v1/tiltak/uker, and every filter
  the app accepts under K in one dimension (one value or all);
- `margins`: a 2 × 2 table with its row, column and grand totals: the same rule in two
  dimensions (avdeling × tiltak, each filtered to one value or all);
- `all_but_one`: the cells, the total and the total with each cell filtered out (503 − 500): what
  the app would give if it also accepted «alle unntatt én» (it does not);
- `intervals`: every run of consecutive cells: periods of weeks, were the weeks' persons disjoint;
- `subsets`: the total of every set of cells (any set of tiltak ticked: refused under K).

Two shares per (what, K), both exact (no sampling): `typical`, the expected share of hidden
counts pinned when each cell is drawn from DRAW (mostly 1-12, some 0, 15, 20: a kontor's week
split four ways), over all 18^4 draws; and `any`, the share pinned over every vector of cells
0 … 3K-1 (each small vector equally likely: the worst structure, not the usual one).

`--hide-zeros` measures the alternative where 0 is hidden like 1 … K-1 (not the app's rule).

`--warehouse PATH` (a published warehouse, e.g. the one `metrikk demo` builds) counts instead, in
real data, how often the one thing the four cells above are too few to show happens: a hidden
count of one kontor and week (every rectangle of one value or all of avdeling, innsatsgruppe,
tiltak) with exactly K-1 non-zero parts along avdeling or innsatsgruppe (a person has one of
each in a week, so the parts are disjoint): the attacker then knows the count is K-1 and each
part 1, because zeros are shown. Along tiltak the parts may overlap (a person on two tiltak),
so those are counted apart.

Prints one line per (what, K) and a summary line last. Results: benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from itertools import combinations, product
from pathlib import Path

import duckdb
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from metrikk.web.suppression import protect  # noqa: E402

N, TOP = 4, 35
DRAW = [0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 20]
FAMILIES = {
    "one_or_all": [(i,) for i in range(N)] + [tuple(range(N))],
    "margins": [(0,), (1,), (2,), (3,), (0, 1), (2, 3), (0, 2), (1, 3), (0, 1, 2, 3)],
    "all_but_one": [(i,) for i in range(N)]
    + [tuple(j for j in range(N) if j != i) for i in range(N)]
    + [tuple(range(N))],
    "intervals": [tuple(range(i, j + 1)) for i in range(N) for j in range(i, N)],
    "subsets": [s for r in range(1, N + 1) for s in combinations(range(N), r)],
}


def shown_codes(sums: np.ndarray, k: int, hide_zeros: bool = False) -> np.ndarray:
    """protect() of every sum, hidden as -1: a lookup table made by calling protect itself."""
    table = np.array(
        [-1 if (p := protect(v, k)) is None else p for v in range(N * TOP + 1)], dtype=np.int32
    )
    if hide_zeros:
        table[0] = -1
    return table[sums]


def groups(codes: np.ndarray) -> np.ndarray:
    """The same number for every row of `codes` that shows the same (what the attacker sees)."""
    values, dense = np.unique(codes, return_inverse=True)  # codes -> 0 … len(values)-1
    dense = dense.reshape(codes.shape).astype(np.int64)
    radix = len(values)
    if radix ** codes.shape[1] < 2**62:
        key = np.zeros(len(codes), dtype=np.int64)
        for j in range(codes.shape[1]):
            key = key * radix + dense[:, j]
        return np.unique(key, return_inverse=True)[1].ravel()
    return np.unique(dense, axis=0, return_inverse=True)[1].ravel()


def pinned_share(lo, hi, group, truths: np.ndarray, k: int, weights=None) -> tuple[float, int]:
    """Share of the hidden cells of `truths` pinned (weighted), and how many hidden cells."""
    index = np.zeros(len(truths), dtype=np.int64)
    for i in range(N):
        index = index * (TOP + 1) + truths[:, i]
    g = group[index]
    hidden = (truths > 0) & (truths < k)
    pinned = hidden & (lo[g] == hi[g])
    w = np.ones(len(truths)) if weights is None else weights
    total = float((hidden * w[:, None]).sum())
    return 100 * float((pinned * w[:, None]).sum()) / max(total, 1.0), int(hidden.sum())


def zero_parts(warehouse: Path, ks) -> int:
    """In a real warehouse: hidden counts that K-1 non-zero parts pin (see the docstring)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute(
        "SELECT kontor, uke_start, person_id, avdeling, innsatsgruppe, tiltakskode"
        " FROM tiltak_silver.deltakelse_uke WHERE kontor IS NOT NULL"
    ).fetchall()
    persons: dict = defaultdict(set)
    parts: dict = defaultdict(set)
    for kontor, week, person, *values in rows:
        for mask in product((0, 1), repeat=3):
            rect = tuple(v if m else None for v, m in zip(values, mask, strict=True))
            persons[(kontor, week, rect)].add(person)
            for d in range(3):
                if not mask[d]:
                    parts[(kontor, week, rect, d)].add(values[d])
    summary = []
    for k in ks:
        hidden = disjoint = tiltak = 0
        for (kontor, week, rect), who in persons.items():
            if not 0 < len(who) < k:
                continue
            hidden += 1
            n = [len(parts[(kontor, week, rect, d)]) if rect[d] is None else 0 for d in range(3)]
            disjoint += n[0] == k - 1 or n[1] == k - 1
            tiltak += n[2] == k - 1 and not (n[0] == k - 1 or n[1] == k - 1)
        share = 100 * disjoint / max(hidden, 1)
        print(
            f"warehouse K={k:<3d} hidden={hidden:6d} pinned by K-1 non-zero parts: "
            f"{disjoint} ({share:.2f} %); along tiltak only: {tiltak}"
        )
        summary.append(f"zero_parts_k{k}={share:.2f}%")
    print("disclosure-bench " + " ".join(summary))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="default", choices=["small", "default", "large"])
    parser.add_argument("--hide-zeros", action="store_true")
    parser.add_argument("--warehouse", type=Path)
    args = parser.parse_args()
    ks = (5, 10) if args.scale == "small" else (5, 6, 7, 8, 10)
    if args.warehouse:
        return zero_parts(args.warehouse, ks)
    started = time.process_time()
    grid = np.array(list(product(range(TOP + 1), repeat=N)), dtype=np.int32)
    draws = np.array(list(product(range(len(DRAW)), repeat=N)), dtype=np.int32)
    typical_truths = np.array(DRAW, dtype=np.int32)[draws]
    summary = []
    for k in ks:
        b = protect(k, k)
        print(
            f"K={k}: protect() shows K … as {b}; {3 * k - 1} as {protect(3 * k - 1, k)}, "
            f"{3 * k} as {protect(3 * k, k)}"
        )
    for name, family in FAMILIES.items():
        sums = np.stack([grid[:, list(s)].sum(axis=1) for s in family], axis=1)
        for k in ks:
            group = groups(shown_codes(sums, k, args.hide_zeros))
            # Per group, the least and greatest value of each cell among the vectors that look
            # the same: a hidden cell is pinned when they are equal.
            lo = np.full((group.max() + 1, N), TOP + 1, dtype=np.int32)
            hi = np.full((group.max() + 1, N), -1, dtype=np.int32)
            for i in range(N):
                np.minimum.at(lo[:, i], group, grid[:, i])
                np.maximum.at(hi[:, i], group, grid[:, i])
            typical, _ = pinned_share(lo, hi, group, typical_truths, k)
            small = grid[(grid < 3 * k).all(axis=1)]
            worst, hidden = pinned_share(lo, hi, group, small, k)
            print(
                f"{name:12s} K={k:<3d} typical={typical:5.2f} %  any={worst:5.2f} % "
                f"(of {hidden} hidden cells)",
                flush=True,
            )
            summary.append(f"{name}_k{k}={typical:.2f}%/{worst:.2f}%")
    mode = " hide-zeros" if args.hide_zeros else ""
    print(f"disclosure-bench{mode} cpu={time.process_time() - started:.0f}s " + " ".join(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
