"""Fixtures for the web tests.

THE WAREHOUSE HERE IS A FIXTURE: `fixture_warehouse.build` writes hand-made published tables
(tiltak_silver.deltakelse_uke, tiltak_gold.*, etterlevelse.ds_*, metrikk_meta.datasett) into a
tmp DuckDB file; it does not run the pipeline. The integrator switches it to `metrikk run` once
the tiltak models are on main.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import fixture_warehouse
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
