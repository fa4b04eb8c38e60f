"""How often an attacker who combines every figure can pin a hidden count under `--min-antall K`.

`uv run python benchmarks/bench_disclosure.py [--scale small|default]`

Not a timing: a measurement of what the disclosure control (`metrikk.web.suppression.protect`,
the real function) leaves to an exact attacker. Four disjoint cells (persons with one value of a
dimension in one week, e.g. four tiltak) hold random counts; the attacker sees the protected
count of several sets of cells, as the API shows them, and enumerates every vector of true counts
(0 … 35 each) that gives exactly what it saw. A hidden count (1 … K-1) is *pinned* when all of
those vectors agree on it. What the attacker sees:

- `table`: the four cells and their total (one response of /api/v1/tiltak/uker);
- `margins`: a 2 × 2 table with its row, column and grand totals (one two-way response);
- `complements`: the cells, the total, and the total with each cell filtered out (503 − 500);
- `subsets`: the total of every set of cells (any tiltak filter a person can tick).

Prints one line per (what, K) and a summary line last. Results: benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import random
import sys
from itertools import combinations, product
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from metrikk.web.suppression import protect  # noqa: E402

N, TOP = 4, 35
# Counts of small cells: many 1-4, some zeros, some tens (a kontor's week split four ways).
DRAW = [0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 20]
FAMILIES = {
    "table": [(i,) for i in range(N)] + [tuple(range(N))],
    "margins": [(0,), (1,), (2,), (3,), (0, 1), (2, 3), (0, 2), (1, 3), (0, 1, 2, 3)],
    "complements": [(i,) for i in range(N)]
    + [tuple(j for j in range(N) if j != i) for i in range(N)]
    + [tuple(range(N))],
    "subsets": [s for r in range(1, N + 1) for s in combinations(range(N), r)],
}


def shown_codes(sums: np.ndarray, k: int) -> np.ndarray:
    """protect() over an array, hidden as -1 (checked against protect() below)."""
    rounded = (2 * sums + k) // (2 * k) * k
    return np.where(sums == 0, 0, np.where(sums < k, -1, rounded))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="default", choices=["small", "default", "large"])
    trials = {"small": 150, "default": 600, "large": 3000}[parser.parse_args().scale]
    grid = np.array(list(product(range(TOP + 1), repeat=N)), dtype=np.int32)
    for v in range(3 * TOP):
        for k in (5, 6, 10):
            code = int(shown_codes(np.array([v]), k)[0])
            assert code == (-1 if protect(v, k) is None else protect(v, k)), (v, k)
    summary = []
    for name, family in FAMILIES.items():
        sums = np.stack([grid[:, list(s)].sum(axis=1) for s in family], axis=1)
        for k in (5, 6, 10):
            # Group the grid by what the attacker sees; per group, the least and greatest value
            # of each cell among the vectors that look the same.
            _, group = np.unique(shown_codes(sums, k), axis=0, return_inverse=True)
            group = group.ravel()
            lo = np.full((group.max() + 1, N), TOP + 1, dtype=np.int32)
            hi = np.full((group.max() + 1, N), -1, dtype=np.int32)
            for i in range(N):
                np.minimum.at(lo[:, i], group, grid[:, i])
                np.maximum.at(hi[:, i], group, grid[:, i])
            rnd = random.Random(1)
            hidden = pinned = 0
            for _ in range(trials):
                truth = [rnd.choice(DRAW) for _ in range(N)]
                g = group[sum(t * (TOP + 1) ** (N - 1 - i) for i, t in enumerate(truth))]
                for i, t in enumerate(truth):
                    if 0 < t < k:
                        hidden += 1
                        pinned += bool(lo[g, i] == hi[g, i])
            share = 100 * pinned / max(hidden, 1)
            print(f"{name:12s} K={k:<3d} hidden={hidden:5d} pinned={pinned:5d} ({share:.1f} %)")
            summary.append(f"{name}_k{k}={share:.1f}%")
    print("disclosure-bench " + " ".join(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
