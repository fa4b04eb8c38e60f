"""SQLMesh state in a real PostgreSQL (METRIKK_STATE_DSN) for the local DuckDB gateway."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import psycopg
import pytest

from metrikk.pipeline.config import _pg_fields, make_config
from metrikk.settings import Settings
from tests.run.prod_pg import drop_database, new_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

UNTIL = "2022-02-28"
NAME = "metrikk.duckdb"  # SQLMesh names the DuckDB catalog after the file's stem: keep it
STATE_TABLES = {"_snapshots", "_environments", "_intervals", "_versions"}


def metrikk(
    warehouse: Path, *args: str, state_dsn: str | None = None
) -> subprocess.CompletedProcess:
    """Run `python -m metrikk --warehouse W ARGS` as a real process, with or without PG state."""
    env = {k: v for k, v in os.environ.items() if k != "METRIKK_STATE_DSN"}
    if state_dsn:
        env["METRIKK_STATE_DSN"] = state_dsn
    return subprocess.run(
        [sys.executable, "-m", "metrikk", "--warehouse", str(warehouse), *args],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=warehouse.parent,
        env={**env, "COLUMNS": "200"},
    )


def tables_of(path: Path, schema: str) -> dict[str, list[tuple]]:
    """Every table of `schema` in a DuckDB file, rows sorted, read with plain duckdb."""
    with duckdb.connect(str(path), read_only=True) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1",
                [schema],
            ).fetchall()
        ]
        return {
            t: con.execute(f'SELECT * FROM "{schema}"."{t}" ORDER BY ALL').fetchall() for t in names
        }


def duckdb_schemas(path: Path) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT table_schema FROM information_schema.tables"
            ).fetchall()
        }


def pg_state(dsn: str) -> dict[str, int]:
    """Row count of every table in the state database's `sqlmesh` schema."""
    with psycopg.connect(dsn) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'sqlmesh'"
            ).fetchall()
        ]
        return {n: con.execute(f'SELECT count(*) FROM sqlmesh."{n}"').fetchone()[0] for n in names}


@pytest.fixture(scope="module", name="runs")
def _runs(state_pg, tmp_path_factory):
    """The same small tiltak sources run once with state in the warehouse and once with state in PostgreSQL."""
    base = tmp_path_factory.mktemp("base") / NAME
    r = metrikk(base, "generate", "--domain", "tiltak", "--scale", "small", "--until", UNTIL)
    assert r.returncode == 0, r.stdout + r.stderr
    local = tmp_path_factory.mktemp("local_state") / NAME
    remote = tmp_path_factory.mktemp("pg_state") / NAME
    shutil.copy2(base, local)
    shutil.copy2(base, remote)
    database = new_database(state_pg)
    dsn = state_pg.dsn(database)
    try:
        r = metrikk(local, "run", "--domain", "tiltak", "--as-of", UNTIL)
        assert r.returncode == 0, r.stdout + r.stderr
        r = metrikk(remote, "run", "--domain", "tiltak", "--as-of", UNTIL, state_dsn=dsn)
        assert r.returncode == 0, r.stdout + r.stderr
        yield local, remote, dsn
    finally:
        drop_database(state_pg, database)


def test_state_tables_are_in_postgres_not_in_the_warehouse(runs):
    """With METRIKK_STATE_DSN the SQLMesh state tables are filled in PostgreSQL and the DuckDB file has no sqlmesh schema; without it they are in the file."""
    local, remote, dsn = runs
    state = pg_state(dsn)
    assert STATE_TABLES <= state.keys(), state
    assert state["_snapshots"] > 0 and state["_environments"] > 0 and state["_intervals"] > 0, state
    with psycopg.connect(dsn) as con:
        names = {r[0] for r in con.execute("SELECT name FROM sqlmesh._snapshots").fetchall()}
    assert any("tiltak_gold" in n and "uke_antall" in n for n in names), sorted(names)[:10]
    assert "sqlmesh" not in duckdb_schemas(remote)
    assert "sqlmesh" in duckdb_schemas(local)  # the default still keeps state in the warehouse


def test_gold_and_silver_equal_a_run_with_local_state(runs):
    """Every tiltak_gold and tiltak_silver table is identical whether SQLMesh state is local or in PostgreSQL."""
    local, remote, _ = runs
    for schema in ("tiltak_gold", "tiltak_silver"):
        want, got = tables_of(local, schema), tables_of(remote, schema)
        assert want, f"the local run published no {schema} tables"
        assert got.keys() == want.keys(), schema
        for table in want:
            assert got[table] == want[table], f"{schema}.{table} differs"
    assert sum(map(len, tables_of(remote, "tiltak_gold").values())) > 0


def test_descriptions_are_written_as_table_and_column_comments(runs, tmp_path):
    """After a run with PostgreSQL state, every tiltak_gold table carries its model description and every column its column description (what BigQuery shows Datamarkedsplassen)."""
    from metrikk.run import close_context, open_context

    _, remote, _ = runs
    with duckdb.connect(str(remote), read_only=True) as con:
        tables = dict(
            con.execute(
                "SELECT table_name, comment FROM duckdb_tables() WHERE schema_name = 'tiltak_gold'"
            ).fetchall()
        )
        columns = {
            (t, c): comment
            for t, c, comment in con.execute(
                "SELECT table_name, column_name, comment FROM duckdb_columns() "
                "WHERE schema_name = 'tiltak_gold'"
            ).fetchall()
        }
    settings = Settings(warehouse=tmp_path / NAME)
    ctx = open_context(settings)
    try:
        models = {
            m.name.replace('"', "").split(".")[-1]: m
            for m in ctx.models.values()
            if not m.kind.is_external and m.name.replace('"', "").split(".")[-2] == "tiltak_gold"
        }
    finally:
        close_context(ctx, settings)
    assert models and set(models) == set(tables)
    for table, model in models.items():
        assert tables[table] == model.description, table
        for column, text in model.column_descriptions.items():
            assert columns[(table, column)] == text, f"{table}.{column}"


def test_a_rerun_reads_its_state_back_from_postgres(runs):
    """A second run with the same as-of and PostgreSQL state computes no interval and leaves the state and the file without sqlmesh tables."""
    _, remote, dsn = runs
    intervals_before = pg_state(dsn)["_intervals"]
    r = metrikk(
        remote, "run", "--domain", "tiltak", "--as-of", UNTIL, "--log-format", "json", state_dsn=dsn
    )
    assert r.returncode == 0, r.stdout + r.stderr
    events = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert [e["hendelse"] for e in events if e["hendelse"] != "modell_beregnet"] == [
        "kjoring_startet",
        "kjoring_fullfort",
    ]
    assert not [e for e in events if e["hendelse"] == "modell_beregnet" and e.get("modell")], events
    assert pg_state(dsn)["_intervals"] == intervals_before
    assert "sqlmesh" not in duckdb_schemas(remote)


def test_unreachable_state_database_fails_with_exit_1_and_no_password(runs, state_pg):
    """A state DSN with a wrong password stops `metrikk run` with exit code 1 and a bokmål message that never shows the password."""
    _, remote, _ = runs
    wrong = "feil-passord-Zq93"
    dsn = state_pg.dsn("postgres", password=wrong)
    r = metrikk(remote, "run", "--domain", "tiltak", "--as-of", UNTIL, state_dsn=dsn)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Får ikke kontakt med databasen for SQLMesh-tilstanden" in r.stderr
    assert f"{state_pg.user}@{state_pg.host}:{state_pg.port}/postgres" in " ".join(r.stderr.split())
    assert wrong not in r.stdout + r.stderr
    assert "Traceback" not in r.stderr


def test_state_dsn_forms_are_parsed_like_libpq():
    """The state DSN is read like libpq reads it: URL with a percent-encoded password, key=value form, sslmode."""
    assert _pg_fields(
        "postgresql://sqlmesh:p%40ss%2Fw@db.example:6543/sqlmesh_state?sslmode=require"
    ) == {
        "host": "db.example",
        "port": 6543,
        "user": "sqlmesh",
        "password": "p@ss/w",
        "database": "sqlmesh_state",
        "sslmode": "require",
    }
    assert _pg_fields("host=10.0.0.5 user=u password=x dbname=state") == {
        "host": "10.0.0.5",
        "port": 5432,
        "user": "u",
        "password": "x",
        "database": "state",
    }


def test_state_dsn_applies_to_the_local_gateway_only_when_set(tmp_path):
    """The DuckDB gateway gets a PostgreSQL state connection when a state DSN is set, and none (state in the warehouse) otherwise."""
    plain = make_config(Settings(warehouse=tmp_path / NAME))
    assert plain.gateways["local"].state_connection is None
    with_state = make_config(
        Settings(warehouse=tmp_path / NAME, state_dsn="postgresql://u:p@h:5433/s")
    )
    state = with_state.gateways["local"].state_connection
    assert state is not None and state.type_ == "postgres"
    assert (state.host, state.port, state.database) == ("h", 5433, "s")
