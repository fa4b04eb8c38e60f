"""`metrikk ingest postgres --target bigquery` (`ingest/to_bigquery.py`, `ingest/bigquery_sql.py`):
the BigQuery SQL, run transpiled on a real DuckDB, lands the same rows as the DuckDB path from
the same real PostgreSQL."""

from __future__ import annotations

import importlib.util
import json
import random
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pg_cluster
import pg_sources
import psycopg
import pytest
from bq_standin import DuckDBStandIn

from metrikk.catalog import landing_table
from metrikk.ingest import IngestError, bigquery_sql, ingest
from metrikk.ingest.postgres import OVERLAP, SOURCES
from metrikk.ingest.to_bigquery import MISSING_LIBRARY, ingest_bigquery
from metrikk.settings import Settings

START = datetime(2024, 3, 1, 8, 0, 0)


@pytest.fixture(name="app_dsn")
def _app_dsn(pg_dsn):
    """DSN of a fresh, empty application database in the session's cluster (dropped afterwards)."""
    return pg_dsn


def fill_etterlevelse(dsn: str, n: int, *, seed: int = 11) -> list[pg_sources.AuditRow]:
    rng = random.Random(seed)
    rows = pg_sources.etterlevelse_audit_rows(rng, n, START)
    with psycopg.connect(dsn, autocommit=True) as con:
        pg_sources.create_etterlevelse(con)
        pg_sources.insert_audit(con, rows, with_version=True)
        pg_sources.insert_current(con, rng)
    return rows


def add_audit(dsn: str, rows: list[pg_sources.AuditRow], *, with_version: bool = True) -> None:
    with psycopg.connect(dsn, autocommit=True) as con:
        pg_sources.insert_audit(con, rows, with_version=with_version)


def _normal(value, json_column: bool):
    """One landed value in comparable form: JSON parsed, timestamps as naive UTC."""
    if value is None:
        return None
    if json_column:
        return json.dumps(json.loads(value), sort_keys=True)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def landing_rows(path: Path, name: str) -> list[tuple]:
    """Every row of a landing table, normalised and sorted, read with plain duckdb."""
    table = landing_table(name)
    cols = ", ".join(f'"{c.name}"' for c in table.columns)
    is_json = [c.type == "JSON" for c in table.columns]
    with duckdb.connect(str(path), read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        rows = con.execute(f"SELECT {cols} FROM {name}").fetchall()
    return sorted(
        (tuple(_normal(v, j) for v, j in zip(r, is_json, strict=True)) for r in rows), key=repr
    )


def datasett(path: Path, app: str) -> dict[str, tuple]:
    names = [s.landing.split(".")[1] for s in SOURCES[app]]
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "SELECT table_name, syntetisk, rader FROM metrikk_meta.datasett "
            "WHERE schema_name = 'landing_zone'"
        ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows if r[0] in names}


def assert_same_landing(duck: Path, standin: Path, app: str) -> None:
    for source in SOURCES[app]:
        want = landing_rows(duck, source.landing)
        got = landing_rows(standin, source.landing)
        assert len(got) == len(want), source.landing
        assert got == want, f"{source.landing} differs between the DuckDB and the BigQuery path"
        ids = [r[0] for r in got]
        if source.incremental:
            assert len(ids) == len(set(ids)), f"{source.landing} has duplicate audit_id"
    assert datasett(standin, app) == datasett(duck, app)


def staging_tables(path: Path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_name LIKE ?",
                [bigquery_sql.STAGING_PREFIX.replace("_", "\\_") + "%"],
            ).fetchall()
        ]


pg = pytest.mark.postgres


@pg
def test_etterlevelse_lands_the_same_rows_as_the_duckdb_path_and_reruns_are_idempotent(
    app_dsn, tmp_path
):
    """First ingest, an incremental one with a late commit inside the overlap, and a no-op re-run give BigQuery's landing tables exactly the DuckDB path's rows, each audit_id once."""
    duck, standin_path = tmp_path / "duck.duckdb", tmp_path / "bq.duckdb"
    standin = DuckDBStandIn(standin_path)
    rows = fill_etterlevelse(app_dsn, 300)
    settings = Settings(warehouse=duck, target="bigquery", project="testprosjekt")

    ingest(Settings(warehouse=duck), "etterlevelse", app_dsn)
    first = ingest_bigquery(settings, "etterlevelse", app_dsn, target=standin)
    assert_same_landing(duck, standin_path, "etterlevelse")
    assert first.tables[0].new == 300 and first.tables[0].since is None
    assert datasett(standin_path, "etterlevelse")["etterlevelse_audit_version"] == (False, 300)

    newest = max(r.time for r in rows)
    rng = random.Random(5)
    later = pg_sources.etterlevelse_audit_rows(rng, 20, newest + timedelta(minutes=1))
    late = pg_sources.etterlevelse_audit_rows(rng, 3, newest - OVERLAP / 2)  # committed late
    for r in late:
        r.audit_id = str(uuid.uuid4())
    add_audit(app_dsn, later + late)

    ingest(Settings(warehouse=duck), "etterlevelse", app_dsn)
    second = ingest_bigquery(settings, "etterlevelse", app_dsn, target=standin)
    assert_same_landing(duck, standin_path, "etterlevelse")
    audit = second.tables[0]
    assert audit.since == newest - OVERLAP
    assert audit.new == 23 and audit.total == 323
    assert audit.read < 300  # only the window and what came after it

    third = ingest_bigquery(settings, "etterlevelse", app_dsn, target=standin)
    assert third.tables[0].new == 0
    assert_same_landing(duck, standin_path, "etterlevelse")
    assert staging_tables(standin_path) == []
    # Landing tables are written only inside the one BEGIN … COMMIT script of each ingest.
    scripts = [s for s in standin.received if "MERGE" in s]
    assert len(scripts) == 3
    for s in scripts:
        assert s.startswith("BEGIN TRANSACTION;") and s.rstrip().endswith("COMMIT TRANSACTION;")
    assert not [s for s in standin.received if s.startswith(("INSERT", "DELETE", "UPDATE"))]


@pg
def test_behandlingskatalogen_lands_the_same_rows_as_the_duckdb_path(app_dsn, tmp_path):
    """Polly's audit log (no VERSION column) lands in BigQuery's landing table exactly as on the DuckDB path."""
    duck, standin_path = tmp_path / "duck.duckdb", tmp_path / "bq.duckdb"
    rows = pg_sources.polly_audit_rows(random.Random(3), 200, datetime(2020, 1, 21, 9, 0))
    with psycopg.connect(app_dsn, autocommit=True) as con:
        pg_sources.create_polly(con)
        pg_sources.insert_audit(con, rows, with_version=False)

    ingest(Settings(warehouse=duck), "behandlingskatalogen", app_dsn)
    result = ingest_bigquery(
        Settings(target="bigquery", project="p"),
        "behandlingskatalogen",
        app_dsn,
        target=DuckDBStandIn(standin_path),
    )
    assert [(t.landing, t.new) for t in result.tables] == [
        ("landing_zone.behandlingskatalogen_audit_version", 200)
    ]
    assert_same_landing(duck, standin_path, "behandlingskatalogen")


@pg
def test_a_crash_after_staging_leaves_landing_as_it_was_and_the_next_ingest_completes(
    app_dsn, tmp_path
):
    """An ingest that dies after loading every staging table changes no landing table; the next ingest lands everything once."""
    duck, standin_path = tmp_path / "duck.duckdb", tmp_path / "bq.duckdb"
    standin = DuckDBStandIn(standin_path)
    settings = Settings(target="bigquery", project="p")
    fill_etterlevelse(app_dsn, 120)
    ingest_bigquery(settings, "etterlevelse", app_dsn, target=standin)
    before = {s.landing: landing_rows(standin_path, s.landing) for s in SOURCES["etterlevelse"]}
    meta_before = datasett(standin_path, "etterlevelse")
    add_audit(
        app_dsn,
        pg_sources.etterlevelse_audit_rows(random.Random(9), 40, START + timedelta(days=400)),
    )

    def crash() -> None:
        raise KeyboardInterrupt  # what an interrupted process raises between two statements

    with pytest.raises(KeyboardInterrupt):
        ingest_bigquery(settings, "etterlevelse", app_dsn, target=standin, _before_commit=crash)
    assert [load for load in standin.loads[-6:] if load[2]]  # the new rows were staged
    assert {
        s.landing: landing_rows(standin_path, s.landing) for s in SOURCES["etterlevelse"]
    } == before
    assert datasett(standin_path, "etterlevelse") == meta_before

    ingest(Settings(warehouse=duck), "etterlevelse", app_dsn)
    ingest_bigquery(settings, "etterlevelse", app_dsn, target=standin)
    assert_same_landing(duck, standin_path, "etterlevelse")
    assert staging_tables(standin_path) == []


@pg
def test_a_failure_inside_the_transaction_undoes_every_table(app_dsn, tmp_path):
    """When the last statement of the write transaction fails, the audit rows merged before it are rolled back too."""
    standin_path = tmp_path / "bq.duckdb"
    settings = Settings(target="bigquery", project="p")
    fill_etterlevelse(app_dsn, 80)
    ingest_bigquery(settings, "etterlevelse", app_dsn, target=DuckDBStandIn(standin_path))
    before = {s.landing: landing_rows(standin_path, s.landing) for s in SOURCES["etterlevelse"]}
    with psycopg.connect(app_dsn, autocommit=True) as con:
        con.execute("UPDATE krav SET data = jsonb_set(data, '{status}', '\"UTGAATT\"')")
    add_audit(
        app_dsn,
        pg_sources.etterlevelse_audit_rows(random.Random(4), 25, START + timedelta(days=300)),
    )

    failing = DuckDBStandIn(standin_path, fail_on="MERGE INTO `metrikk_meta`")
    with pytest.raises(IngestError):
        ingest_bigquery(settings, "etterlevelse", app_dsn, target=failing)
    after = {s.landing: landing_rows(standin_path, s.landing) for s in SOURCES["etterlevelse"]}
    assert after == before
    assert staging_tables(standin_path) == []


def test_every_statement_is_bigquery_that_sqlglot_parses_and_transpiles():
    """Every DDL and DML statement of the BigQuery ingest parses as BigQuery and transpiles to DuckDB, for every landing table of both apps."""
    import sqlglot

    statements = [bigquery_sql.create_datasett()]
    for app, sources in SOURCES.items():
        staged = []
        for s in sources:
            t = s.landing_table
            staging = bigquery_sql.staging_name(t, "abc123")
            staged.append((t, staging, s.incremental))
            statements += [
                bigquery_sql.create_landing(t),
                bigquery_sql.create_staging(t, staging),
                bigquery_sql.newest_time(t),
                bigquery_sql.row_count(t),
                bigquery_sql.drop_staging(t, staging),
            ]
        statements.append(bigquery_sql.script(bigquery_sql.transaction_statements(staged)))
        assert app
    for sql in statements:
        for e in sqlglot.parse(sql, read="bigquery"):
            assert e is not None
            assert e.sql("duckdb")
    audit = landing_table("landing_zone.etterlevelse_audit_version")
    assert "PARSE_JSON(s.`data`, wide_number_mode => 'round')" in bigquery_sql.merge_new_rows(
        audit, "x"
    )
    assert "ON t.`audit_id` = s.`audit_id`" in bigquery_sql.merge_new_rows(audit, "x")


@pytest.mark.skipif(
    importlib.util.find_spec("google.cloud.bigquery") is not None
    if importlib.util.find_spec("google")
    else False,
    reason="google-cloud-bigquery is installed here (the bigquery extra); this checks the message without it",
)
def test_without_the_bigquery_extra_the_cli_says_how_to_install_it(metrikk):
    """`metrikk --target bigquery ingest postgres` without google-cloud-bigquery exits 1 with a bokmål message naming the extra, and never shows the password."""
    dsn = f"postgresql://leser:{pg_cluster.PASSWORD}@127.0.0.1:1/etterlevelse"
    result = metrikk(
        "--target",
        "bigquery",
        "--project",
        "testprosjekt",
        "ingest",
        "postgres",
        "--app",
        "etterlevelse",
        "--dsn",
        dsn,
        expect=1,
    )
    text = " ".join(result.output.split())
    assert " ".join(MISSING_LIBRARY.split()) in text
    assert pg_cluster.PASSWORD not in result.output
