"""The bronze replacement of `ingest kilder` (`ingest/kilder_sql.py`): the BigQuery statements parse,
and transpiled to DuckDB and run they write exactly what the DuckDB statements write."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest
import sqlglot
from sqlglot.errors import ErrorLevel

from metrikk.catalog import landing_table
from metrikk.ingest import kilder_sql as sql
from metrikk.ingest.kilder import bigquery_statements

RUN = "r1"


def copies() -> list[sql.Kopi]:
    return [
        sql.Kopi(landing_table("tiltak_bronze.vedtak_14a"), (("behandling_type", "STRING"),)),
        sql.Kopi(landing_table("tiltak_bronze.nav_enhet"), ()),
    ]


def to_duckdb(bigquery_sql: str) -> list[str]:
    """Every statement of a BigQuery script as DuckDB SQL (OPTIONS (…) has no DuckDB form)."""
    return [
        e.sql("duckdb", unsupported_level=ErrorLevel.IGNORE)
        for e in sqlglot.parse(bigquery_sql, read="bigquery")
        if e
    ]


def warehouse() -> duckdb.DuckDBPyConnection:
    """tiltak_kilde 'views' (as tables) with one row missing a required value, and bronze tables holding old rows."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for schema in ("tiltak_kilde", "tiltak_bronze", "metrikk_meta"):
        con.execute(f"CREATE SCHEMA {schema}")
    con.execute(
        "CREATE TABLE tiltak_kilde.vedtak_14a AS SELECT * FROM (VALUES "
        "('101', 'p1', 'STANDARD_INNSATS', 'SKAFFE_ARBEID', TIMESTAMPTZ '2024-01-08 12:00:00+00', '0219', 'FORSTEGANGSBEHANDLING'), "
        "('102', NULL, 'GODE_MULIGHETER', NULL, TIMESTAMPTZ '2024-01-09 12:00:00+00', NULL, 'REVURDERING')) "
        "AS t(vedtak_id, person_id, innsatsgruppe, hovedmal, fattet_tidspunkt, ansvarlig_enhet, behandling_type)"
    )
    con.execute(
        "CREATE TABLE tiltak_kilde.nav_enhet AS SELECT * FROM (VALUES ('0219', 'Nav Bærum', 'LOKAL', 'Aktiv', '0600')) "
        "AS t(enhetsnummer, navn, type, status, overordnet_enhet)"
    )
    con.execute(
        "CREATE TABLE tiltak_bronze.vedtak_14a (vedtak_id VARCHAR, person_id VARCHAR, innsatsgruppe VARCHAR, "
        "hovedmal VARCHAR, fattet_tidspunkt TIMESTAMP, ansvarlig_enhet VARCHAR)"
    )
    con.execute(
        "INSERT INTO tiltak_bronze.vedtak_14a VALUES ('gammel', 'p0', 'IKVAL', NULL, '2023-01-01', NULL)"
    )
    con.execute(
        "CREATE TABLE tiltak_bronze.nav_enhet (enhetsnummer VARCHAR, navn VARCHAR, type VARCHAR, status VARCHAR, "
        "overordnet_enhet VARCHAR)"
    )
    con.execute(
        "CREATE TABLE metrikk_meta.datasett (schema_name VARCHAR NOT NULL, table_name VARCHAR NOT NULL, "
        "syntetisk BOOLEAN NOT NULL, lastet_tidspunkt TIMESTAMP NOT NULL, rader BIGINT NOT NULL, "
        "PRIMARY KEY (schema_name, table_name))"
    )
    con.execute(
        "INSERT INTO metrikk_meta.datasett VALUES ('tiltak_bronze', 'vedtak_14a', true, '2023-01-01', 1)"
    )
    return con


def state(con) -> dict:
    return {
        "vedtak": con.execute("SELECT * FROM tiltak_bronze.vedtak_14a ORDER BY ALL").fetchall(),
        "enhet": con.execute("SELECT * FROM tiltak_bronze.nav_enhet ORDER BY ALL").fetchall(),
        "meta": con.execute(
            "SELECT schema_name, table_name, syntetisk, rader FROM metrikk_meta.datasett ORDER BY ALL"
        ).fetchall(),
    }


def test_every_bigquery_statement_parses_back_unchanged():
    """What would be sent to BigQuery is sqlglot-valid BigQuery that prints back the same."""
    statements = [sql.bigquery_stage(k, RUN) for k in copies()] + [
        sql.bigquery_utelatt(k, RUN) for k in copies()
    ]
    statements += bigquery_statements(copies(), RUN, {"vedtak_14a": False})
    statements += [
        sql.bigquery_columns("obo-prod", "14a_vedtak_statistikk", ["statistikk_dvh_fellestabell"]),
        sql.bigquery_synthetic(),
        sql.avvik_query("bigquery"),
    ]
    for s in statements:
        for e in sqlglot.parse(s, read="bigquery"):
            assert e is not None and e.sql("bigquery"), s
    script = statements[-4]
    assert script.startswith("BEGIN TRANSACTION;") and script.rstrip().endswith(
        "COMMIT TRANSACTION;"
    )
    assert "`obo-prod`.`14a_vedtak_statistikk`.`INFORMATION_SCHEMA.COLUMNS`" in statements[-3]


def test_bigquery_write_equals_the_duckdb_write():
    """Staging, the required-value filter, the transaction and the datasett rows give the same
    bronze tables on both plans; the row without person_id is counted and left out."""
    duck = warehouse()
    duck.execute("BEGIN TRANSACTION")
    left_out = {}
    for k in copies():
        duck.execute(sql.duckdb_stage(k))
        (left_out[k.tabell],) = duck.execute(sql.duckdb_utelatt(k)).fetchone()
        duck.execute(sql.duckdb_replace(k))
        duck.execute(sql.duckdb_drop_staging(k))
    duck.execute("COMMIT")

    bq = warehouse()
    bq_left_out = {}
    for k in copies():
        (stage,) = to_duckdb(sql.bigquery_stage(k, RUN))
        bq.execute(stage)
        (count,) = to_duckdb(sql.bigquery_utelatt(k, RUN))
        (bq_left_out[k.tabell],) = bq.execute(count).fetchone()
    for statement in bigquery_statements(copies(), RUN, {"vedtak_14a": False, "nav_enhet": False}):
        for s in to_duckdb(statement):
            bq.execute(s)

    assert left_out == bq_left_out == {"vedtak_14a": 1, "nav_enhet": 0}
    want = state(duck)
    got = state(bq)
    assert (
        got["vedtak"]
        == want["vedtak"]
        == [
            (
                "101",
                "p1",
                "STANDARD_INNSATS",
                "SKAFFE_ARBEID",
                datetime(2024, 1, 8, 12, 0),
                "0219",
                "FORSTEGANGSBEHANDLING",
            )
        ]
    )
    assert got["enhet"] == want["enhet"]
    assert got["meta"] == [
        ("tiltak_bronze", "nav_enhet", False, 1),
        ("tiltak_bronze", "vedtak_14a", False, 1),
    ]
    assert bq.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'vedtak_14a' "
        "AND table_schema = 'tiltak_bronze' ORDER BY ordinal_position"
    ).fetchall()[-1] == ("behandling_type",)


def test_a_failure_inside_the_bigquery_transaction_changes_nothing():
    """If a statement of the transaction fails, every bronze table and datasett row is as before."""
    con = warehouse()
    for k in copies():
        (stage,) = to_duckdb(sql.bigquery_stage(k, RUN))
        con.execute(stage)
    before = state(con)
    script = bigquery_statements(copies(), RUN, {})[-1]
    statements = to_duckdb(script)
    broken = [s.replace('"_kilde_nav_enhet_r1"', '"finnes_ikke"') for s in statements]
    assert broken != statements
    with pytest.raises(duckdb.Error):
        for s in broken:
            try:
                con.execute(s)
            except duckdb.Error:
                con.execute("ROLLBACK")
                raise
    assert state(con) == before
