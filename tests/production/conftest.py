"""Fixtures for the production-setup tests: a real throwaway PostgreSQL cluster (the helper of
tests/ingest), one per session, and a fresh database per test. Without PostgreSQL binaries the
tests skip locally and fail in CI."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from tests.ingest import pg_cluster


@pytest.fixture(name="state_pg", scope="session")
def _state_pg() -> Iterator[pg_cluster.Cluster]:
    """A running PostgreSQL cluster on 127.0.0.1 (stopped and removed at the end)."""
    bindir = pg_cluster.find_bindir()
    if bindir is None:
        reason = (
            "PostgreSQL-binærfilene (initdb, pg_ctl) finnes ikke under "
            "/usr/lib/postgresql/*/bin; installer pakken postgresql"
        )
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI skal ikke hoppe over disse testene)", pytrace=False)
        pytest.skip(reason)
    with pg_cluster.running_cluster(bindir) as cluster:
        yield cluster


def new_database(cluster: pg_cluster.Cluster) -> str:
    """Create an empty database in the cluster and return its name."""
    name = f"state_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(cluster.dsn(), autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(cluster: pg_cluster.Cluster, name: str) -> None:
    with psycopg.connect(cluster.dsn(), autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
