"""Run every benchmark: `uv run python benchmarks/run.py [--scale small|default|large]`.

Each `bench_<what>.py` times the naive approach and ours on the same input in the same run and
prints one summary line last (e.g. `tiltak-bench generate_s=… full_s=…`). This runner executes
them one after another in fresh processes (so peak memory is measured per benchmark) and
repeats their summary lines at the end. Times are reported, never asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="default", choices=["small", "default", "large"])
    parser.add_argument("names", nargs="*", help="only these benchmarks (e.g. tiltak web)")
    args = parser.parse_args()
    benches = sorted(HERE.glob("bench_*.py"))
    if args.names:
        benches = [b for b in benches if b.stem.removeprefix("bench_") in args.names]
    summaries, failed = [], []
    for bench in benches:
        print(f"== {bench.stem} (--scale {args.scale})", flush=True)
        proc = subprocess.run(
            [sys.executable, str(bench), "--scale", args.scale], stdout=subprocess.PIPE, text=True
        )
        print(proc.stdout, end="", flush=True)
        lines = [line for line in proc.stdout.splitlines() if line.strip()]
        if proc.returncode != 0 or not lines:
            failed.append(bench.stem)
        else:
            summaries.append(lines[-1])
    print("== summary")
    for line in summaries:
        print(line)
    for name in failed:
        print(f"{name} FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
