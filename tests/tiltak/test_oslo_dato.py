"""`@oslo_dato` gives the Europe/Oslo calendar date of a UTC timestamp, exactly as ICU does."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot

from metrikk.sqltid import oslo_dato_sql


def _duckdb_sql(column: str) -> str:
    """What the `@oslo_dato` macro renders to on DuckDB (its SQL comes from `oslo_dato_sql`)."""
    return sqlglot.transpile(oslo_dato_sql(column, "duckdb"), read="bigquery", write="duckdb")[0]


@pytest.mark.parametrize("column_type", ["TIMESTAMP", "TIMESTAMPTZ"])
def test_oslo_dato_equals_icu_every_quarter_hour_2000_to_2040(column_type):
    """For every quarter hour of 2000-2040 (both DST switches of each year included), the
    arithmetic DuckDB form equals DuckDB's ICU conversion to Europe/Oslo."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        f"CREATE TABLE t AS SELECT CAST(ts AS {column_type}) AS ts "
        "FROM generate_series(TIMESTAMP '2000-01-01', TIMESTAMP '2041-01-01', INTERVAL 15 MINUTE) AS g(ts)"
    )
    wrong = con.execute(
        f"SELECT count(*), min(ts) FROM t WHERE {_duckdb_sql('ts')} "
        "<> CAST(CAST(ts AS TIMESTAMP) AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Oslo' AS DATE)"
    ).fetchone()
    total = con.execute("SELECT count(*) FROM t").fetchone()[0]
    assert total > 1_400_000
    assert wrong == (0, None)


def test_oslo_dato_switches_at_one_utc_on_the_last_sunday():
    """Around the switches of 2024 (31 March, 27 October) and midnight, the date flips at the
    right UTC minute: 22:00/23:00 UTC is the next Oslo day in summer/winter."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    cases = {
        "2024-03-30 22:59:59": "2024-03-30",  # winter: UTC+1
        "2024-03-30 23:00:00": "2024-03-31",
        "2024-03-31 21:59:59": "2024-03-31",  # summer since 01:00 UTC: UTC+2
        "2024-03-31 22:00:00": "2024-04-01",
        "2024-10-26 22:00:00": "2024-10-27",  # still summer
        "2024-10-27 22:59:59": "2024-10-27",  # winter since 01:00 UTC
        "2024-10-27 23:00:00": "2024-10-28",
        "2024-12-31 23:30:00": "2025-01-01",
    }
    for utc, oslo in cases.items():
        got = con.execute(
            f"SELECT {_duckdb_sql('ts')} FROM (SELECT TIMESTAMP '{utc}' AS ts)"
        ).fetchone()[0]
        assert str(got) == oslo, utc


def test_oslo_dato_is_bigquerys_own_function_on_bigquery():
    """On BigQuery (or when no engine is known) the macro is exactly DATE(ts, 'Europe/Oslo')."""
    for dialect in ("bigquery", None):
        assert oslo_dato_sql("ts", dialect) == "DATE(ts, 'Europe/Oslo')"
