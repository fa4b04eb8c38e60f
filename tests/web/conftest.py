"""Fixtures for the web tests.

Two warehouses:
- `fixture_db`: A FIXTURE. `fixture_warehouse.build` writes hand-made published tables
  (tiltak_silver.deltakelse_uke, tiltak_gold.*, etterlevelse.ds_*, metrikk_meta.datasett) with
  crafted edge cases (a person on two tiltak, week 53, ...) for the exact-number tests.
- `pipeline_db`: built by the REAL pipeline (`metrikk generate --domain all --scale small` then
  `metrikk run`, see pipeline_warehouse.py), once per session; 3½–4½ min on the shared
  machine. Set METRIKK_WEB_PIPELINE_DIR to a directory built by
  `uv run python tests/web/pipeline_warehouse.py DIR` to reuse it across sessions.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import fixture_warehouse
import pipeline_warehouse
import pytest
from fastapi.testclient import TestClient

from metrikk.settings import Settings
from metrikk.web.app import create_app


@pytest.fixture(scope="session", name="fixture_db")
def _fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One fixture warehouse file (synthetic flag on) shared by the read-only tests."""
    return fixture_warehouse.build(tmp_path_factory.mktemp("web") / "metrikk.duckdb")


@pytest.fixture(name="client")
def _client(fixture_db: Path) -> Iterator[TestClient]:
    """An httpx client over ASGI on the app reading the fixture warehouse (no suppression)."""
    with TestClient(create_app(Settings(warehouse=fixture_db))) as c:
        yield c


@pytest.fixture(name="client_k5")
def _client_k5(fixture_db: Path) -> Iterator[TestClient]:
    """The same app with small-count suppression K = 5."""
    with TestClient(create_app(Settings(warehouse=fixture_db), min_antall=5)) as c:
        yield c


@pytest.fixture(scope="session", name="pipeline_db")
def _pipeline_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built by `metrikk generate` + `metrikk run` (both domains, small scale)."""
    reuse = os.environ.get("METRIKK_WEB_PIPELINE_DIR")
    directory = Path(reuse) if reuse else tmp_path_factory.getbasetemp() / "pipeline"
    return pipeline_warehouse.build(directory)


@pytest.fixture(scope="session", name="pipeline_client")
def _pipeline_client(pipeline_db: Path) -> Iterator[TestClient]:
    """An httpx client over ASGI on the app reading the pipeline warehouse."""
    with TestClient(create_app(Settings(warehouse=pipeline_db))) as c:
        yield c


@pytest.fixture(scope="session", name="sql")
def _sql(pipeline_db: Path):
    """Run one read-only SQL statement against the pipeline warehouse file (the test oracle)."""

    def run(query: str, params: list | None = None) -> list[tuple]:
        con = duckdb.connect(str(pipeline_db), read_only=True)
        try:
            con.execute("SET TimeZone = 'UTC'")
            return con.execute(query, params or []).fetchall()
        finally:
            con.close()

    return run
