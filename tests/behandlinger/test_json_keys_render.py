"""BigQuery's JSON_KEYS(json, 1) renders to DuckDB even when DuckDB SQL was generated before the patch."""

from __future__ import annotations

import sqlglot

from metrikk.sqltid import teach_duckdb_json_keys


def test_json_keys_renders_after_the_duckdb_generator_was_used():
    """sqlglot caches each generator's dispatch table at first use; teaching DuckDB JSON_KEYS
    afterwards (as when the kildeavvik macro loads late in a long process) must still work."""
    sqlglot.transpile("SELECT 1", read="bigquery", write="duckdb")  # the cache is built now
    teach_duckdb_json_keys()
    sql = sqlglot.transpile("SELECT JSON_KEYS(data, 1) FROM t", read="bigquery", write="duckdb")[0]
    assert sql == "SELECT JSON_KEYS(data) FROM t"
