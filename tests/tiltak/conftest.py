"""Fixtures for the tiltak tests: a module-scoped warehouse driven through the real CLI.

Each `metrikk run` costs several seconds of CPU, so a test module builds its sources once,
loads and runs them once, and its tests query the result. The CLI runs as a real process
(`python -m metrikk`): in-process, SQLMesh keeps its DuckDB connection open after the run, and
a second (read-only) connection to the same file from the same process is refused.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest


class Lager:
    """A warehouse file plus the real CLI and a plain read-only DuckDB reader for it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def metrikk(self, *args: object, expect: int | None = 0):
        proc = subprocess.run(
            [sys.executable, "-m", "metrikk", "--warehouse", str(self.path), *map(str, args)],
            capture_output=True,
            text=True,
            check=False,
        )
        result = SimpleNamespace(exit_code=proc.returncode, output=proc.stdout + proc.stderr)
        if expect is not None:
            assert result.exit_code == expect, (
                f"metrikk {' '.join(map(str, args))} exited {result.exit_code}, expected {expect}:\n{result.output}"
            )
        return result

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def one(self, sql: str, params: list | None = None):
        rows = self.query(sql, params)
        assert len(rows) == 1, f"expected one row, got {rows}"
        return rows[0] if len(rows[0]) > 1 else rows[0][0]


@pytest.fixture(scope="module", name="lager_for")
def _lager_for(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Lager]:
    """Make a fresh warehouse under a module-scoped temp dir."""
    base = tmp_path_factory.mktemp("tiltak")

    def make(name: str) -> Lager:
        (base / name).mkdir(parents=True, exist_ok=True)
        return Lager(base / name / "metrikk.duckdb")

    return make
