"""Fixtures for the PostgreSQL ingest tests: one real throwaway cluster per session and one
fresh database per test. Without PostgreSQL binaries the tests skip locally and fail in CI."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pg_cluster
import psycopg
import pytest


@pytest.fixture(name="pg", scope="session")
def _pg() -> Iterator[pg_cluster.Cluster]:
    """A running PostgreSQL cluster on 127.0.0.1 (stopped and removed at the end)."""
    with pg_cluster.cluster_for_tests() as cluster:
        yield cluster


@pytest.fixture(name="pg_dsn")
def _pg_dsn(pg: pg_cluster.Cluster) -> Iterator[str]:
    """DSN of a fresh, empty database in the session's cluster (dropped afterwards)."""
    name = f"app_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg.dsn(), autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg.dsn(name)
    finally:
        with psycopg.connect(pg.dsn(), autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
