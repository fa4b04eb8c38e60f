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

# How the two xdist workers share the suite (`--dist loadgroup --no-loadscope-reorder`,
# docs/testing.md «Two workers»). A test file is one unit of work, so its module fixtures are
# built once; every file that uses one of these session fixtures (a warehouse built by real runs)
# joins that fixture's unit, so the warehouse is built on one worker, not on both.
SHARED_BUILDS = {
    "pipeline_db": "lager-pipeline",  # tests/web and tests/browser: both domains, real runs
    "pipeline_server_url": "lager-pipeline",
    "tiltak_base": "lager-tiltak-base",  # tests/run/test_kill.py, tests/pipeline
    "stage": "lager-behandlinger",  # every behandlinger scenario in one run
    "small_warehouse": "lager-generert-etterlevelse",
}
# Files whose tests each build their own warehouses and share no module fixture that costs a
# run: each test is its own unit.
SPREAD = ("tests/run/test_run.py", "tests/tiltak/test_oracle.py")
# The longest units first (worker time measured in full runs, benchmarks/RESULTS.md), so the
# suite ends on short units on both workers instead of one worker finishing a long one alone.
LONGEST_FIRST = (
    "lager-tiltak-base",
    "lager-pipeline",
    "lager-behandlinger",
    "tests/etterlevelse/test_pseudonym_key.py",
    "tests/tiltak/test_inkrementell.py",
    "tests/behandlinger/test_behandlinger_incremental.py",
    "tests/etterlevelse/test_incremental.py",
    "tests/tiltak/test_oracle.py::test_pipeline_matches_oracle_property",
    "tests/tiltak/test_oracle.py::test_incremental_equals_full_property",
    "tests/run/test_run.py::",
    "tests/tiltak/test_oracle.py::",
)


def work_units(items: list[pytest.Item]) -> dict[str, str]:
    """Test file -> its unit of work: a SHARED_BUILDS unit, or the file itself (SPREAD files have
    none: each of their tests is a unit)."""
    units: dict[str, str] = {}
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        if path in SPREAD:
            continue
        shared = [unit for name, unit in SHARED_BUILDS.items() if name in item.fixturenames]
        if shared:
            units[path] = shared[0]
        else:
            units.setdefault(path, path)
    return units


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    units = work_units(items)

    def unit(item: pytest.Item) -> str:
        return units.get(item.nodeid.split("::", 1)[0], item.nodeid)

    def rank(item: pytest.Item) -> int:
        key = unit(item)
        return next(
            (i for i, first in enumerate(LONGEST_FIRST) if key.startswith(first)),
            len(LONGEST_FIRST),
        )

    for item in items:
        if unit(item) != item.nodeid:
            item.add_marker(pytest.mark.xdist_group(unit(item)))
    # Stable: within a rank, collection order; a unit's tests stay together.
    items.sort(key=rank)


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
