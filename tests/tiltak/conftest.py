"""Fixtures for the tiltak tests: a module-scoped warehouse driven through the real CLI.

Each `metrikk run` costs several seconds of CPU, so a test module builds its sources once,
loads and runs them once, and its tests query the result.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from metrikk.cli import app


class Lager:
    """A warehouse file plus the real CLI and a plain read-only DuckDB reader for it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.runner = CliRunner()

    def metrikk(self, *args: object, expect: int | None = 0):
        result = self.runner.invoke(app, ["--warehouse", str(self.path), *map(str, args)], catch_exceptions=False)
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
