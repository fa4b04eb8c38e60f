"""What the source holds and what landed, in comparable form (helpers of the ingest tests)."""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path

import duckdb
import pg_sources
import psycopg

from metrikk.settings import Settings

START = datetime(2024, 3, 1, 8, 0, 0)


def source_audit(dsn: str, *, with_version: bool) -> dict[str, tuple]:
    """audit_id -> (action, table_name, table_id, user, time, version, parsed data)."""
    version = "version" if with_version else "NULL"
    with psycopg.connect(dsn) as con:
        rows = con.execute(
            f"SELECT audit_id::text, action, table_name, table_id, user_id, time, {version}, "
            "data::text FROM audit_version"
        ).fetchall()
    return {r[0]: (*r[1:7], json.loads(r[7])) for r in rows}


def landed_audit(warehouse: Path, table: str, *, with_version: bool) -> dict[str, tuple]:
    version = "version" if with_version else "NULL"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            f'SELECT audit_id, action, table_name, table_id, "user", time, {version}, data '
            f"FROM landing_zone.{table}"
        ).fetchall()
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)), f"{table} has duplicate audit_id"
    return {r[0]: (*r[1:7], json.loads(r[7])) for r in rows}


def landed(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every landing_zone table and the datasett row counts, sorted, for before/after checks."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'landing_zone' ORDER BY 1"
            ).fetchall()
        ]
        out = {
            t: sorted(map(repr, con.execute(f"SELECT * FROM landing_zone.{t}").fetchall()))
            for t in tables
        }
        out["datasett"] = con.execute(
            "SELECT table_name, syntetisk, rader FROM metrikk_meta.datasett "
            "WHERE schema_name = 'landing_zone' ORDER BY 1"
        ).fetchall()
    return out


def etterlevelse_source(dsn: str, n: int, *, seed: int = 7, start: datetime = START):
    rng = random.Random(seed)
    rows = pg_sources.etterlevelse_audit_rows(rng, n, start)
    with psycopg.connect(dsn, autocommit=True) as con:
        pg_sources.create_etterlevelse(con)
        pg_sources.insert_audit(con, rows, with_version=True)
        current = pg_sources.insert_current(con, rng)
    return rows, current


def add_audit(dsn: str, rows: list[pg_sources.AuditRow], *, with_version: bool = True) -> None:
    with psycopg.connect(dsn, autocommit=True) as con:
        pg_sources.insert_audit(con, rows, with_version=with_version)


def settings(warehouse: Path) -> Settings:
    return Settings(warehouse=warehouse)
