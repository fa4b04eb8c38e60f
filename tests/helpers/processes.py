"""Real `metrikk` processes over real warehouse files (tests/run, tests/pipeline; the fixtures
`tiltak_base` and `tiltak_clean` are in tests/conftest.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

# The warehouse keeps its file name in every copy: SQLMesh's views name the DuckDB catalog after
# the file's stem (DESIGN, "Known traps").
NAME = "metrikk.duckdb"
FIRST_AS_OF = "2025-03-02"
AS_OF = "2025-06-29"


def cli(warehouse: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run `python -m metrikk --warehouse W ARGS` as a real process and wait for it."""
    return subprocess.run(
        [sys.executable, "-m", "metrikk", "--warehouse", str(warehouse), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=warehouse.parent,
        env={**os.environ, "COLUMNS": "200"},
    )


def start(warehouse: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "metrikk", "--warehouse", str(warehouse), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=warehouse.parent,
        env={**os.environ, "COLUMNS": "200"},
    )


def copy_warehouse(src: Path, dest_dir: Path) -> Path:
    """A copy of a warehouse (file, SQLMesh cache and published snapshots) under the same name."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(src)) as con:
        con.execute("CHECKPOINT")
    shutil.copy2(src, dest_dir / NAME)
    for extra in (f".{NAME}.sqlmesh-cache", f"{NAME}.publisert"):
        if (src.parent / extra).exists():
            shutil.copytree(src.parent / extra, dest_dir / extra)
    return dest_dir / NAME


def table_rows(path: Path, schema: str) -> dict[str, list[tuple]]:
    """Every table of `schema` in a DuckDB file, rows sorted, read with plain duckdb."""
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ? "
                "AND table_catalog = current_database() ORDER BY 1",
                [schema],
            ).fetchall()
        ]
        return {
            t: con.execute(f'SELECT * FROM "{schema}"."{t}" ORDER BY ALL').fetchall()
            for t in tables
        }
