"""A warehouse built by the REAL pipeline for the web tests: `metrikk generate` then `metrikk run`.

`build(dir)` runs both commands as subprocesses (the installed CLI, nothing mocked) for both
domains at `small` scale up to a fixed date, so every figure the API shows comes from the
pipeline's published tables. Measured on the shared 2-core machine at load 6–9: 3½–4½ min
(generate ≈ 15 s, run ≈ 3 min; 1 min 45 s of CPU). The directory is reused within a pytest
session (tests/web and tests/browser share it), so the cost is paid once per session.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

UNTIL = "2025-06-30"  # a Monday: the run publishes ISO weeks up to 2025-U26 (ends 2025-06-29)
AS_OF = UNTIL


def _metrikk(warehouse: Path, *args: str, log: Path) -> None:
    with open(log, "a") as out:
        proc = subprocess.run(
            [sys.executable, "-m", "metrikk", "--warehouse", str(warehouse), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if proc.returncode != 0:
        raise RuntimeError(
            f"metrikk {' '.join(args)} failed; see {log}:\n{log.read_text()[-3000:]}"
        )


def build(directory: Path) -> Path:
    """The pipeline warehouse in `directory` (built on first call, reused after)."""
    warehouse = directory / "pipeline.duckdb"
    done = directory / "ferdig"
    if done.exists():
        return warehouse
    directory.mkdir(parents=True, exist_ok=True)
    log = directory / "pipeline.log"
    start = time.monotonic()
    _metrikk(
        warehouse, "generate", "--domain", "all", "--scale", "small", "--until", UNTIL, log=log
    )
    generated = time.monotonic()
    _metrikk(warehouse, "run", "--as-of", AS_OF, log=log)
    done.write_text(
        f"generate {generated - start:.1f} s, run {time.monotonic() - generated:.1f} s\n"
    )
    return warehouse


if __name__ == "__main__":
    path = build(Path(sys.argv[1]))
    print(path, (path.parent / "ferdig").read_text().strip())
