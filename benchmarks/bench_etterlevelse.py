"""Benchmark the etterlevelse domain on synthetic sources: full run, one incremental day, peak RSS.

    uv run python benchmarks/bench_etterlevelse.py [--scale default] [--until 2026-06-30] [--seed 42]

Each step runs the real CLI in its own process; the peak RSS is that process's ru_maxrss from
os.wait4. The last line is machine-readable:

    etterlevelse-bench full_s=… incremental_s=… peak_rss_mb=…

The target (brief) is a full run at `default` scale under 1 GiB peak RSS. Times are printed,
never asserted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path


def run(args: list[str]) -> tuple[float, float]:
    """Run `metrikk args` in a child process; return (seconds, peak RSS in MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "metrikk", *args])
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"metrikk {' '.join(args)} failed with exit code {code}")
    return seconds, usage.ru_maxrss / 1024  # Linux: ru_maxrss is in KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="default")
    parser.add_argument("--until", default="2026-06-30")
    parser.add_argument("--seed", default="42")
    parser.add_argument("--workdir", type=Path, default=None)
    a = parser.parse_args()
    work = a.workdir or Path(tempfile.mkdtemp(prefix="bench-etterlevelse-"))
    wh = str(work / "metrikk.duckdb")
    until = date.fromisoformat(a.until)
    nxt = (until + timedelta(days=1)).isoformat()

    gen_s, gen_rss = run(
        [
            "--warehouse",
            wh,
            "generate",
            "--domain",
            "etterlevelse",
            "--scale",
            a.scale,
            "--seed",
            a.seed,
            "--until",
            a.until,
        ]
    )
    print(f"generate: {gen_s:.1f} s, peak {gen_rss:.0f} MiB")
    full_s, full_rss = run(
        ["--warehouse", wh, "run", "--as-of", a.until, "--domain", "etterlevelse"]
    )
    print(f"full run as of {a.until}: {full_s:.1f} s, peak {full_rss:.0f} MiB")
    run(
        [
            "--warehouse",
            wh,
            "generate",
            "--domain",
            "etterlevelse",
            "--scale",
            a.scale,
            "--seed",
            a.seed,
            "--until",
            nxt,
        ]
    )
    inc_s, inc_rss = run(["--warehouse", wh, "run", "--as-of", nxt, "--domain", "etterlevelse"])
    print(f"incremental run as of {nxt}: {inc_s:.1f} s, peak {inc_rss:.0f} MiB")
    print(
        f"etterlevelse-bench full_s={full_s:.1f} incremental_s={inc_s:.1f} "
        f"peak_rss_mb={max(full_rss, inc_rss):.0f}"
    )


if __name__ == "__main__":
    main()
