"""Fixtures for the Behandlingskatalogen (polly) pipeline tests; the audit-log builder is
polly_log.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from polly_log import AS_OF, SCENARIOS, Polly, Stage, invoke


@pytest.fixture(name="stage", scope="session")
def _stage(tmp_path_factory: pytest.TempPathFactory) -> Stage:
    """Every registered scenario loaded into one warehouse and run once (`--as-of 2026-06-30`)."""
    base = tmp_path_factory.mktemp("behandlinger")
    polly = Polly()
    for add_rows in SCENARIOS:
        add_rows(polly)
    warehouse = base / "metrikk.duckdb"
    loaded = invoke(warehouse, "load", str(polly.write(base / "landing")))
    assert loaded.exit_code == 0, loaded.output
    ran = invoke(warehouse, "run", "--as-of", AS_OF, "--domain", "etterlevelse")
    assert ran.exit_code == 0, ran.output
    return Stage(warehouse, ran.output)


@pytest.fixture(name="polly")
def _polly() -> Polly:
    """An empty polly audit log for a test that needs a run of its own."""
    return Polly()


@pytest.fixture(name="run_alone")
def _run_alone(tmp_path: Path, warehouse: Path):
    """Load a `Polly` log into the test's own warehouse and run it; returns (exit code, output)."""

    def run(polly: Polly, as_of: str = AS_OF) -> tuple[int, str]:
        loaded = invoke(warehouse, "load", str(polly.write(tmp_path / "landing")))
        assert loaded.exit_code == 0, loaded.output
        ran = invoke(warehouse, "run", "--as-of", as_of, "--domain", "etterlevelse")
        return ran.exit_code, ran.output

    return run
