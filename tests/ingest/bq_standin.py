"""A real DuckDB file standing in for BigQuery: it runs the exact BigQuery SQL that
`metrikk.ingest.to_bigquery` sends, transpiled to DuckDB by sqlglot, and loads the exact Parquet
files it would upload. It has the three methods of `metrikk.ingest.to_bigquery.Target`.

Like BigQuery, a failing statement inside BEGIN TRANSACTION … COMMIT TRANSACTION rolls the whole
transaction back. `fail_on` makes the first statement containing that text fail, to check it.
"""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import sqlglot
from sqlglot.errors import ErrorLevel

from metrikk.ingest import IngestError

DATASETS = ("landing_zone", "metrikk_meta")  # created beforehand in production (docs/production.md)


def to_duckdb(bigquery_sql: str) -> list[str]:
    """Every statement of a BigQuery script, transpiled to DuckDB by sqlglot."""
    return [
        e.sql(
            dialect="duckdb", unsupported_level=ErrorLevel.IGNORE
        )  # OPTIONS (…) has no DuckDB form
        for e in sqlglot.parse(bigquery_sql, read="bigquery")
        if e is not None
    ]


class DuckDBStandIn:
    def __init__(self, path: Path, *, fail_on: str | None = None) -> None:
        self.path = path
        self.fail_on = fail_on
        self.received: list[str] = []  # every BigQuery statement or script, as sent
        self.loads: list[tuple[str, str, int]] = []  # (dataset, table, rows) of every load job
        with self._connect() as con:
            for ds in DATASETS:
                con.execute(f'CREATE SCHEMA IF NOT EXISTS "{ds}"')

    def _connect(self) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect(str(self.path))
        con.execute("SET TimeZone = 'UTC'")
        return con

    def query(self, sql: str) -> list[tuple]:
        self.received.append(sql)
        (statement,) = to_duckdb(sql)
        with self._connect() as con:
            return con.execute(statement).fetchall()

    def execute(self, sql: str) -> None:
        self.received.append(sql)
        with self._connect() as con:
            in_transaction = False
            try:
                for original, statement in zip(
                    [
                        e.sql("bigquery")
                        for e in sqlglot.parse(sql, read="bigquery")
                        if e is not None
                    ],
                    to_duckdb(sql),
                    strict=True,
                ):
                    if self.fail_on and self.fail_on in original:
                        raise IngestError(f"stand-in failure at: {original[:80]}")
                    con.execute(statement)
                    in_transaction = statement.startswith("BEGIN") or (
                        in_transaction and statement != "COMMIT"
                    )
            except Exception:
                if in_transaction:
                    con.execute("ROLLBACK")
                raise

    def replace_table_from_parquet(
        self, data: bytes, dataset: str, table: str, columns: list[tuple[str, str]]
    ) -> int:
        """A WRITE_TRUNCATE / CREATE_IF_NEEDED load job of Parquet bytes; the dataset must exist."""

        rows = pq.read_table(io.BytesIO(data))
        types = {"STRING": "VARCHAR", "BYTES": "BLOB", "INT64": "BIGINT"}
        schema = ", ".join(f'"{name}" {types[typ]} NOT NULL' for name, typ in columns)
        names = ", ".join(f'"{name}"' for name, _ in columns)
        with self._connect() as con:
            con.register("upload", rows)
            try:
                con.execute("BEGIN TRANSACTION")
                con.execute(f'CREATE OR REPLACE TABLE "{dataset}"."{table}" ({schema})')
                con.execute(f'INSERT INTO "{dataset}"."{table}" SELECT {names} FROM upload')
                con.execute("COMMIT")
            except duckdb.Error as e:  # as BigQueryTarget: a refused load job is an IngestError
                raise IngestError(f"Lasting til {dataset}.{table} feilet: {e}") from None
        self.loads.append((dataset, table, rows.num_rows))
        return rows.num_rows

    def load_parquet(
        self, path: Path, dataset: str, table: str, columns: list[tuple[str, str]]
    ) -> int:
        names = ", ".join(f'"{name}"' for name, _ in columns)
        with self._connect() as con:
            con.execute(
                f'INSERT INTO "{dataset}"."{table}" ({names}) SELECT {names} FROM read_parquet(?)',
                [str(path)],
            )
            (rows,) = con.execute("SELECT count(*) FROM read_parquet(?)", [str(path)]).fetchone()
        self.loads.append((dataset, table, int(rows)))
        return int(rows)
