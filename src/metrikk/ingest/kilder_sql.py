"""Every SQL statement `metrikk ingest kilder` runs besides the tiltak_kilde models, in one place.

The bronze replacement is the same plan on both engines: each `tiltak_kilde.<t>` view is read
once into a staging table, rows missing a value the contract requires are counted there (and
left out), then one transaction replaces every mapped `tiltak_bronze.<t>` and its
`metrikk_meta.datasett` row.

- DuckDB: temporary staging tables; `CREATE OR REPLACE TABLE … AS SELECT` per bronze table inside
  one transaction (DuckDB's DDL is transactional).
- BigQuery: staging tables `tiltak_bronze._kilde_<t>_<run>` by `CREATE OR REPLACE TABLE … AS
  SELECT` (expiring after a day should the ingest die), then one multi-statement transaction of
  `DELETE` + `INSERT … SELECT` per bronze table and a `MERGE` into metrikk_meta.datasett. BigQuery
  does not allow DDL in a transaction, so a `CREATE OR REPLACE` of each bronze table could leave
  some replaced and others not; DML in one transaction is all or nothing. New extra columns are
  added before the transaction (`ADD COLUMN IF NOT EXISTS`, harmless on its own).

BigQuery statements are printed by sqlglot and parsed back (`_checked`), like
`ingest/bigquery_sql.py`; tests transpile them to DuckDB and run them.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from metrikk.catalog import DUCKDB_TYPES, LandingTable

BRONZE = "tiltak_bronze"
KILDE_SCHEMA = "tiltak_kilde"
META = ("metrikk_meta", "datasett")
STAGING_PREFIX = "_kilde_"
STAGING_EXPIRATION_HOURS = 24


@dataclass(frozen=True)
class Kopi:
    """One bronze table to replace: its landing declaration and the columns the kilde view adds."""

    bronze: LandingTable
    ekstra: tuple[tuple[str, str], ...]  # (column, BigQuery type) beyond the contract's columns

    @property
    def tabell(self) -> str:
        return self.bronze.table

    def kolonner(self) -> list[tuple[str, str]]:
        """(column, BigQuery type): the contract's columns, then the extra ones."""
        return [(c.name, c.type) for c in self.bronze.columns] + list(self.ekstra)

    def pakrevd(self) -> list[str]:
        return [c.name for c in self.bronze.columns if c.required]


def _q(name: str, dialect: str) -> str:
    return exp.to_identifier(name, quoted=True).sql(dialect)


def _t(schema: str, table: str, dialect: str) -> str:
    return f"{_q(schema, dialect)}.{_q(table, dialect)}"


def _checked(sql: str) -> str:
    return sqlglot.parse_one(sql, read="bigquery").sql("bigquery")


def har_verdier(kopi: Kopi, dialect: str) -> str:
    """SQL that is TRUE for a row holding every value the contract requires of its table."""
    required = kopi.pakrevd()
    if not required:
        return "TRUE"
    return " AND ".join(f"{_q(c, dialect)} IS NOT NULL" for c in required)


# ---------------------------------------------------------------------------------- DuckDB


def duckdb_staging(kopi: Kopi) -> str:
    return _q(f"{STAGING_PREFIX}{kopi.tabell}", "duckdb")


def duckdb_stage(kopi: Kopi) -> str:
    """Read the kilde view once into a temporary table."""
    return (
        f"CREATE OR REPLACE TEMP TABLE {duckdb_staging(kopi)} AS "
        f"SELECT * FROM {_t(KILDE_SCHEMA, kopi.tabell, 'duckdb')}"
    )


def duckdb_utelatt(kopi: Kopi) -> str:
    """Count the staged rows missing a required value."""
    return f"SELECT COUNT(*) FROM {duckdb_staging(kopi)} WHERE NOT ({har_verdier(kopi, 'duckdb')})"


def duckdb_replace(kopi: Kopi) -> str:
    """Replace the bronze table with the staged rows holding every required value, cast to the
    landing types (TIMESTAMP is DuckDB's zone-less UTC timestamp, as in every landing table)."""
    select = ", ".join(
        f"CAST({_q(c, 'duckdb')} AS {DUCKDB_TYPES[typ]}) AS {_q(c, 'duckdb')}"
        for c, typ in kopi.kolonner()
    )
    return (
        f"CREATE OR REPLACE TABLE {_t(BRONZE, kopi.tabell, 'duckdb')} AS SELECT {select} "
        f"FROM {duckdb_staging(kopi)} WHERE {har_verdier(kopi, 'duckdb')}"
    )


def duckdb_drop_staging(kopi: Kopi) -> str:
    return f"DROP TABLE IF EXISTS {duckdb_staging(kopi)}"


# -------------------------------------------------------------------------------- BigQuery


def bigquery_staging(kopi: Kopi, run_id: str) -> str:
    return f"{STAGING_PREFIX}{kopi.tabell}_{run_id}"


def bigquery_columns(prosjekt: str | None, datasett: str, tabeller: list[str]) -> str:
    """The columns of the named raw tables (or views) of one dataset: (table_name, column_name)."""
    where = f"{_q(prosjekt, 'bigquery')}." if prosjekt else ""
    names = ", ".join(exp.Literal.string(t).sql("bigquery") for t in tabeller)
    return _checked(
        f"SELECT table_name, column_name FROM {where}{_q(datasett, 'bigquery')}.INFORMATION_SCHEMA.COLUMNS "
        f"WHERE table_name IN ({names})"
    )


def bigquery_synthetic() -> str:
    """The landing and raw tables recorded as synthetic (the generator records raw tables too)."""
    return _checked(
        f"SELECT schema_name, table_name FROM {_t(*META, 'bigquery')} WHERE syntetisk AND rader > 0"
    )


def bigquery_stage(kopi: Kopi, run_id: str) -> str:
    return _checked(
        f"CREATE OR REPLACE TABLE {_t(BRONZE, bigquery_staging(kopi, run_id), 'bigquery')} "
        f"OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), "
        f"INTERVAL {STAGING_EXPIRATION_HOURS} HOUR)) "
        f"AS SELECT * FROM {_t(KILDE_SCHEMA, kopi.tabell, 'bigquery')}"
    )


def bigquery_utelatt(kopi: Kopi, run_id: str) -> str:
    return _checked(
        f"SELECT COUNT(*) FROM {_t(BRONZE, bigquery_staging(kopi, run_id), 'bigquery')} "
        f"WHERE NOT ({har_verdier(kopi, 'bigquery')})"
    )


def bigquery_add_columns(kopi: Kopi) -> str | None:
    """Add the kilde view's extra columns to an existing bronze table (None when there are none)."""
    if not kopi.ekstra:
        return None
    adds = ", ".join(
        f"ADD COLUMN IF NOT EXISTS {_q(c, 'bigquery')} {typ}" for c, typ in kopi.ekstra
    )
    return _checked(f"ALTER TABLE {_t(BRONZE, kopi.tabell, 'bigquery')} {adds}")


def bigquery_transaction(kopier: list[Kopi], run_id: str, syntetisk: dict[str, bool]) -> list[str]:
    """The one write transaction: every bronze table replaced by its staged rows (those holding
    the required values), then each table's row in metrikk_meta.datasett."""
    statements = ["BEGIN TRANSACTION"]
    for kopi in kopier:
        target = _t(BRONZE, kopi.tabell, "bigquery")
        names = ", ".join(_q(c, "bigquery") for c, _ in kopi.kolonner())
        statements.append(f"DELETE FROM {target} WHERE TRUE")
        statements.append(
            f"INSERT INTO {target} ({names}) SELECT {names} "
            f"FROM {_t(BRONZE, bigquery_staging(kopi, run_id), 'bigquery')} "
            f"WHERE {har_verdier(kopi, 'bigquery')}"
        )
    rows = " UNION ALL ".join(
        f"SELECT {exp.Literal.string(BRONZE).sql('bigquery')} AS schema_name, "
        f"{exp.Literal.string(k.tabell).sql('bigquery')} AS table_name, "
        f"{'TRUE' if syntetisk.get(k.tabell) else 'FALSE'} AS syntetisk, "
        f"(SELECT COUNT(*) FROM {_t(BRONZE, k.tabell, 'bigquery')}) AS rader"
        for k in kopier
    )
    statements.append(
        f"MERGE INTO {_t(*META, 'bigquery')} AS t USING ({rows}) AS s "
        "ON t.schema_name = s.schema_name AND t.table_name = s.table_name "
        "WHEN MATCHED THEN UPDATE SET syntetisk = s.syntetisk, lastet_tidspunkt = CURRENT_TIMESTAMP(), "
        "rader = s.rader "
        "WHEN NOT MATCHED THEN INSERT (schema_name, table_name, syntetisk, lastet_tidspunkt, rader) "
        "VALUES (s.schema_name, s.table_name, s.syntetisk, CURRENT_TIMESTAMP(), s.rader)"
    )
    statements.append("COMMIT TRANSACTION")
    return [_checked(s) for s in statements]


def bigquery_count(kopi: Kopi) -> str:
    return _checked(f"SELECT COUNT(*) FROM {_t(BRONZE, kopi.tabell, 'bigquery')}")


def bigquery_drop_staging(kopi: Kopi, run_id: str) -> str:
    return _checked(
        f"DROP TABLE IF EXISTS {_t(BRONZE, bigquery_staging(kopi, run_id), 'bigquery')}"
    )


def script(statements: list[str]) -> str:
    """Statements as one BigQuery multi-statement query."""
    return "".join(s.rstrip(";") + ";\n" for s in statements)


def avvik_query(dialect: str) -> str:
    return (
        f"SELECT kilde, type, avvik, antall FROM {_t(KILDE_SCHEMA, 'kildeavvik', dialect)} "
        "WHERE antall > 0 ORDER BY type, kilde, avvik"
    )
