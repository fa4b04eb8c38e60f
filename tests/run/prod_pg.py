"""Databases in the throwaway PostgreSQL cluster of tests/run/test_sqlmesh_state.py (helpers, no
fixtures)."""

from __future__ import annotations

import uuid

import psycopg

from tests.ingest import pg_cluster


def new_database(cluster: pg_cluster.Cluster) -> str:
    """Create an empty database in the cluster and return its name."""
    name = f"state_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(cluster.dsn(), autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(cluster: pg_cluster.Cluster, name: str) -> None:
    with psycopg.connect(cluster.dsn(), autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
