"""Shared fixtures: a real DuckDB warehouse file in a temp dir and the real CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from metrikk.cli import app
from tests.helpers import profiles  # noqa: F401  (registers and loads the hypothesis profile)


@pytest.fixture(name="warehouse")
def _warehouse(tmp_path: Path) -> Path:
    """Path of a fresh warehouse file (created by the first command that uses it)."""
    return tmp_path / "metrikk.duckdb"


@pytest.fixture(name="metrikk")
def _metrikk(warehouse: Path) -> Callable[..., object]:
    """Run the real `metrikk` CLI against the test warehouse; returns typer's Result."""
    runner = CliRunner()

    def invoke(*args: str, expect: int | None = 0):
        result = runner.invoke(
            app, ["--warehouse", str(warehouse), *map(str, args)], catch_exceptions=False
        )
        if expect is not None:
            assert result.exit_code == expect, (
                f"metrikk {' '.join(map(str, args))} exited {result.exit_code}, expected {expect}:\n"
                f"{result.output}"
            )
        return result

    return invoke


@pytest.fixture(name="query")
def _query(warehouse: Path) -> Callable[[str], list[tuple]]:
    """Run SQL against the test warehouse with a plain DuckDB connection (no metrikk code)."""

    def q(sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    return q
