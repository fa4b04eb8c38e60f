"""Fixtures for the SQLMesh-state tests (test_sqlmesh_state.py): a real throwaway PostgreSQL
cluster (the helper of tests/ingest), one per session, and fresh databases (prod_pg). Without
PostgreSQL binaries the tests skip locally and fail in CI."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ingest import pg_cluster


@pytest.fixture(name="state_pg", scope="session")
def _state_pg() -> Iterator[pg_cluster.Cluster]:
    """A running PostgreSQL cluster on 127.0.0.1 (stopped and removed at the end)."""
    with pg_cluster.cluster_for_tests() as cluster:
        yield cluster
