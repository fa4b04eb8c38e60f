"""Every SQL statement `metrikk ingest postgres --target bigquery` sends to BigQuery, in one place.

The statements are BigQuery SQL built and checked with sqlglot: identifiers are quoted by
sqlglot, and every statement is parsed back before it is returned, so what is sent is what
sqlglot understands. That is also what makes them testable without BigQuery: the tests
transpile these exact statements to DuckDB and run them against a real DuckDB file holding the
same staging and landing data.

Tables are named `dataset.table` without a project: BigQuery resolves them in the project the
job runs in (METRIKK_PROJECT).

The write is one multi-statement transaction (`transaction_script`):

    BEGIN TRANSACTION;
    MERGE landing AS t USING staging AS s ON t.audit_id = s.audit_id
      WHEN NOT MATCHED THEN INSERT …;                      -- audit tables: new rows only
    MERGE landing AS t USING staging AS s ON FALSE
      WHEN NOT MATCHED BY SOURCE THEN DELETE
      WHEN NOT MATCHED THEN INSERT …;                      -- current tables: replaced whole
    MERGE metrikk_meta.datasett …;                         -- row counts, syntetisk = false
    COMMIT TRANSACTION;

If any statement fails, BigQuery rolls the whole transaction back, so a landing table is never
half-written; staging tables are separate tables that expire by themselves after a day.
"""

from __future__ import annotations

import sqlglot
from sqlglot import exp

from metrikk.catalog import LandingTable

DIALECT = "bigquery"
META_DATASET = "metrikk_meta"
DATASETT = "datasett"
STAGING_PREFIX = "_staging_"
STAGING_EXPIRATION_HOURS = 24

# Landing types are BigQuery types already (external models). Staging holds JSON as text: the
# load job writes Parquet strings, and PARSE_JSON turns them into JSON inside the MERGE.
_STAGING_TYPES = {"JSON": "STRING"}


def _id(name: str) -> str:
    """One identifier, quoted for BigQuery by sqlglot."""
    return exp.to_identifier(name, quoted=True).sql(DIALECT)


def _table(dataset: str, table: str) -> str:
    return f"{_id(dataset)}.{_id(table)}"


def _literal(value: str) -> str:
    return exp.Literal.string(value).sql(DIALECT)


def _checked(sql: str) -> str:
    """Parse the statement as BigQuery and print it back: only what sqlglot understands is sent."""
    return sqlglot.parse_one(sql, read=DIALECT).sql(DIALECT)


def landing_ref(table: LandingTable) -> str:
    return _table(table.schema, table.table)


def staging_name(table: LandingTable, run_id: str) -> str:
    """The staging table of one landing table for one ingest (same dataset as the landing table)."""
    return f"{STAGING_PREFIX}{table.table}_{run_id}"


def staging_columns(table: LandingTable) -> list[tuple[str, str]]:
    """(column, BigQuery type) of a staging table: the landing columns, JSON as STRING."""
    return [(c.name, _STAGING_TYPES.get(c.type, c.type)) for c in table.columns]


def create_landing(table: LandingTable) -> str:
    """CREATE TABLE IF NOT EXISTS for one landing table, with the column types of its external model."""
    cols = ", ".join(f"{_id(c.name)} {c.type}" for c in table.columns)
    options = f" OPTIONS (description = {_literal(table.description)})" if table.description else ""
    return _checked(f"CREATE TABLE IF NOT EXISTS {landing_ref(table)} ({cols}){options}")


def create_datasett() -> str:
    """CREATE TABLE IF NOT EXISTS for metrikk_meta.datasett (CONTRACT §1)."""
    return _checked(
        f"CREATE TABLE IF NOT EXISTS {_table(META_DATASET, DATASETT)} ("
        f"{_id('schema_name')} STRING NOT NULL, {_id('table_name')} STRING NOT NULL, "
        f"{_id('syntetisk')} BOOL NOT NULL, {_id('lastet_tidspunkt')} TIMESTAMP NOT NULL, "
        f"{_id('rader')} INT64 NOT NULL)"
    )


def create_staging(table: LandingTable, staging: str) -> str:
    """An empty staging table for the load job, expiring by itself if the ingest never drops it."""
    cols = ", ".join(f"{_id(name)} {typ}" for name, typ in staging_columns(table))
    return _checked(
        f"CREATE OR REPLACE TABLE {_table(table.schema, staging)} ({cols}) "
        f"OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), "
        f"INTERVAL {STAGING_EXPIRATION_HOURS} HOUR))"
    )


def drop_staging(table: LandingTable, staging: str) -> str:
    return _checked(f"DROP TABLE IF EXISTS {_table(table.schema, staging)}")


def newest_time(table: LandingTable) -> str:
    """The newest landed `time` of an audit table (NULL when it is empty): the ingest's cursor."""
    return _checked(f"SELECT MAX({_id('time')}) FROM {landing_ref(table)}")


def row_count(table: LandingTable) -> str:
    return _checked(f"SELECT COUNT(*) FROM {landing_ref(table)}")


def _values(table: LandingTable) -> str:
    """The staged row as landing values: JSON text parsed into JSON (large numbers rounded, as
    BigQuery otherwise refuses numbers a double cannot hold exactly)."""
    exprs = []
    for c in table.columns:
        col = f"s.{_id(c.name)}"
        exprs.append(f"PARSE_JSON({col}, wide_number_mode => 'round')" if c.type == "JSON" else col)
    return ", ".join(exprs)


def merge_new_rows(table: LandingTable, staging: str, key: str = "audit_id") -> str:
    """Insert the staged rows whose key is not landed yet (audit tables: incremental, no duplicates)."""
    names = ", ".join(_id(c.name) for c in table.columns)
    return _checked(
        f"MERGE INTO {landing_ref(table)} AS t USING {_table(table.schema, staging)} AS s "
        f"ON t.{_id(key)} = s.{_id(key)} "
        f"WHEN NOT MATCHED THEN INSERT ({names}) VALUES ({_values(table)})"
    )


def merge_replace(table: LandingTable, staging: str) -> str:
    """Replace the landing table's rows with the staged rows in one statement."""
    names = ", ".join(_id(c.name) for c in table.columns)
    return _checked(
        f"MERGE INTO {landing_ref(table)} AS t USING {_table(table.schema, staging)} AS s ON FALSE "
        f"WHEN NOT MATCHED BY SOURCE THEN DELETE "
        f"WHEN NOT MATCHED THEN INSERT ({names}) VALUES ({_values(table)})"
    )


def merge_datasett(tables: list[LandingTable]) -> str:
    """Record each landing table's row count in metrikk_meta.datasett, as real (not synthetic) data."""
    rows = " UNION ALL ".join(
        f"SELECT {_literal(t.schema)} AS {_id('schema_name')}, {_literal(t.table)} AS "
        f"{_id('table_name')}, (SELECT COUNT(*) FROM {landing_ref(t)}) AS {_id('rader')}"
        for t in tables
    )
    cols = ["schema_name", "table_name", "syntetisk", "lastet_tidspunkt", "rader"]
    return _checked(
        f"MERGE INTO {_table(META_DATASET, DATASETT)} AS t USING ({rows}) AS s "
        f"ON t.{_id('schema_name')} = s.{_id('schema_name')} "
        f"AND t.{_id('table_name')} = s.{_id('table_name')} "
        f"WHEN MATCHED THEN UPDATE SET {_id('syntetisk')} = FALSE, "
        f"{_id('lastet_tidspunkt')} = CURRENT_TIMESTAMP(), {_id('rader')} = s.{_id('rader')} "
        f"WHEN NOT MATCHED THEN INSERT ({', '.join(map(_id, cols))}) VALUES (s.{_id('schema_name')}, "
        f"s.{_id('table_name')}, FALSE, CURRENT_TIMESTAMP(), s.{_id('rader')})"
    )


def transaction_statements(staged: list[tuple[LandingTable, str, bool]]) -> list[str]:
    """The statements of the one write transaction, for (landing table, staging table,
    incremental) of every table of one app, in order."""
    statements = ["BEGIN TRANSACTION"]
    for table, staging, incremental in staged:
        statements.append(
            merge_new_rows(table, staging) if incremental else merge_replace(table, staging)
        )
    statements.append(merge_datasett([table for table, _, _ in staged]))
    statements.append("COMMIT TRANSACTION")
    return [_checked(s) for s in statements]


def script(statements: list[str]) -> str:
    """Statements as one BigQuery multi-statement query."""
    return "".join(s.rstrip(";") + ";\n" for s in statements)
