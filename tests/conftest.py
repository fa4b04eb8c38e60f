"""Shared fixtures: a real DuckDB warehouse file in a temp dir and the real CLI; a small tiltak
warehouse run by real `metrikk` processes (tiltak_base, tiltak_clean: tests/run, tests/pipeline)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from metrikk.cli import app
from tests.helpers import profiles  # noqa: F401  (registers and loads the hypothesis profile)
from tests.helpers.processes import AS_OF, FIRST_AS_OF, NAME, cli, copy_warehouse, table_rows


@pytest.fixture(scope="session", autouse=True)
def _shared_sqlmesh_cache(tmp_path_factory) -> Iterator[None]:
    """One SQLMesh cache for every warehouse a test worker makes (METRIKK_SQLMESH_CACHE, inherited
    by the `metrikk` processes tests start): a fresh warehouse then reads the parsed project
    instead of parsing it again. Tests of the cache's own place unset it."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("METRIKK_SQLMESH_CACHE", str(tmp_path_factory.getbasetemp() / "sqlmesh-cache"))
        yield


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


@pytest.fixture(scope="session", name="tiltak_base")
def _tiltak_base(tmp_path_factory) -> Path:
    """Small synthetic tiltak sources, run once per as-of 2025-03-02 (published)."""
    path = tmp_path_factory.mktemp("base") / NAME
    r = cli(path, "generate", "--domain", "tiltak", "--scale", "small", "--until", "2025-06-30")
    assert r.returncode == 0, r.stdout + r.stderr
    r = cli(path, "run", "--as-of", FIRST_AS_OF, "--domain", "tiltak")
    assert r.returncode == 0, r.stdout + r.stderr
    return path


@pytest.fixture(scope="session", name="tiltak_clean")
def _tiltak_clean(tiltak_base: Path, tmp_path_factory) -> dict[str, list[tuple]]:
    """Every tiltak_gold table of an uninterrupted run per 2025-06-29 on a copy of the base."""
    path = copy_warehouse(tiltak_base, tmp_path_factory.mktemp("clean"))
    r = cli(path, "run", "--as-of", AS_OF, "--domain", "tiltak")
    assert r.returncode == 0, r.stdout + r.stderr
    return table_rows(path, "tiltak_gold")
