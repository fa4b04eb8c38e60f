"""The write side of the ingests that fetch a raw source table themselves (`ingest
veiledergrupper` → `kilde_veilarbfilter.veiledergruppe_snapshot`, `ingest norg2` →
`kilde_norg2.enhet`): where the table is, and one transaction that writes it, in the DuckDB
warehouse or in BigQuery.

- `raw_table` reads the table's location and columns from `pipeline/kilder.yaml`, the one
  declaration of NAV's raw sources (docs/kilder.md).
- `write_duckdb` runs the caller's statements in one DuckDB transaction under the warehouse's
  single-writer lock, creating the schema and table if they are missing, and publishes a new
  snapshot for readers afterwards (metrikk_meta.datasett is published).
- For BigQuery, `bigquery_target` opens the target (`ingest.to_bigquery.BigQueryTarget`),
  `stage` uploads an Arrow table as one load job into a staging table that expires by itself,
  and the caller sends one multi-statement transaction (`run_script`).

Every statement is written once, in BigQuery SQL checked by sqlglot (`checked`); the DuckDB path
runs the same statements transpiled by sqlglot (`run_on_duckdb`), so both targets do exactly
the same thing, and the tests of one are tests of the other.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import sqlglot
from sqlglot import exp

from metrikk.catalog import PIPELINE_DIR, Column, LandingTable
from metrikk.ingest.errors import IngestError

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from metrikk.ingest.to_bigquery import Target
    from metrikk.settings import Settings

T = TypeVar("T")

DIALECT = "bigquery"
KILDER_YAML = PIPELINE_DIR / "kilder.yaml"


# --------------------------------------------------------------------------------------------
# Where the table is


def raw_table(settings: Settings, kilde: str, tabell: str) -> LandingTable:
    """The raw table `kilde.tabell` of kilder.yaml: schema (locally) or dataset (BigQuery), real
    table name and declared columns.

    Reads the packaged `pipeline/kilder.yaml`. When `metrikk.kilder` (which adds the deployment's
    own file, METRIKK_KILDER, and the METRIKK_KILDE_<KILDE>_* overrides) is on main, this is the
    one place to switch to it: `t = les_kilder(settings).tabell(kilde, tabell)` with `t.datasett`,
    `t.navn`, `t.prosjekt`, `t.kolonner`.
    """
    import yaml

    try:
        data = yaml.safe_load(KILDER_YAML.read_text(encoding="utf-8")) or {}
        spec = data[kilde]
        columns = spec["tabeller"][tabell]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as e:
        raise IngestError(
            f"{KILDER_YAML}: finner ikke tabellen {kilde}.{tabell} ({type(e).__name__}: {e})."
        ) from None
    if not isinstance(columns, dict):
        raise IngestError(f"{KILDER_YAML}: tabellen {kilde}.{tabell} har ingen kolonner.")
    name = columns.get("tabell", tabell)
    cols = tuple(
        Column(col, str(typ).upper(), required=True)
        for col, typ in columns.items()
        if col != "tabell"
    )
    prosjekt = spec.get("prosjekt")
    if settings.target == "bigquery" and prosjekt and prosjekt != settings.project:
        # metrikk writes these tables itself, as a job in its own project.
        raise IngestError(
            f"{KILDER_YAML}: {kilde}.{tabell} ligger i prosjektet {prosjekt}, men metrikk skriver "
            f"den i sitt eget prosjekt ({settings.project or 'METRIKK_PROJECT er ikke satt'}). "
            f"Sett prosjekt: null for {kilde}."
        )
    return LandingTable(spec["datasett"], name, str(spec.get("eier") or ""), cols)


# --------------------------------------------------------------------------------------------
# SQL, written once in BigQuery's dialect


def ident(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql(DIALECT)


def ref(table: LandingTable, name: str | None = None) -> str:
    """`dataset`.`table` (the job's project), or another table in the same dataset."""
    return f"{ident(table.schema)}.{ident(name or table.table)}"


def literal(value: str) -> str:
    return exp.Literal.string(value).sql(DIALECT)


def in_list(values: list[str] | tuple[str, ...] | set[str]) -> str:
    return "(" + ", ".join(literal(v) for v in sorted(values)) + ")"


def checked(sql: str) -> str:
    """Parse the statement as BigQuery and print it back: only what sqlglot understands is sent."""
    return sqlglot.parse_one(sql, read=DIALECT).sql(DIALECT)


def run_on_duckdb(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list:
    """Run one BigQuery statement on DuckDB (transpiled by sqlglot); its rows."""
    (statement,) = sqlglot.transpile(sql, read=DIALECT, write="duckdb")
    return con.execute(statement, params or []).fetchall()


# --------------------------------------------------------------------------------------------
# DuckDB


def _ensure_table(con: duckdb.DuckDBPyConnection, table: LandingTable) -> None:
    """Create the raw schema and table if missing; an existing table must have every column."""
    from metrikk.warehouse import existing_columns, qualified, quote

    con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(table.schema)}")
    cols = ", ".join(f"{quote(c.name)} {c.duckdb_type}" for c in table.columns)
    con.execute(f"CREATE TABLE IF NOT EXISTS {qualified(table.schema, table.table)} ({cols})")
    have = set(existing_columns(con, table.schema, table.table))
    missing = [c.name for c in table.columns if c.name not in have]
    if missing:
        raise IngestError(
            f"Tabellen {table.name} i datavarehuset mangler kolonnene {', '.join(missing)} "
            f"(se pipeline/kilder.yaml)."
        )


def write_duckdb(
    settings: Settings, table: LandingTable, work: Callable[[duckdb.DuckDBPyConnection], T]
) -> T:
    """Run `work` in one `metrikk.warehouse.writing` transaction (under the writer's lock, creating
    the raw table if it is missing; a new snapshot published afterwards). A failure anywhere leaves
    the warehouse as it was."""
    import duckdb

    from metrikk.warehouse import WarehouseBusy, writing

    try:
        with writing(settings.warehouse) as con:
            _ensure_table(con, table)
            outcome = work(con)
    except WarehouseBusy as e:
        raise IngestError(str(e)) from None
    except duckdb.IOException as e:
        raise IngestError(
            f"Datavarehuset {settings.warehouse} kan ikke åpnes for skriving (er det i bruk av "
            f"en annen prosess?): {e}"
        ) from None
    except duckdb.Error as e:
        raise IngestError(f"Skriving til {table.name} i datavarehuset feilet: {e}") from None
    return outcome


def read_duckdb(settings: Settings, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Run `work` on the warehouse under the writer's lock (a short read before fetching)."""
    from metrikk.warehouse import WarehouseBusy, connect, writer_lock

    try:
        with writer_lock(settings.warehouse), connect(settings.warehouse) as con:
            return work(con)
    except WarehouseBusy as e:
        raise IngestError(str(e)) from None


def table_exists_duckdb(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    (n,) = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(n)


# --------------------------------------------------------------------------------------------
# BigQuery


def bigquery_target(settings: Settings, target: Target | None) -> Target:
    """The BigQuery target of METRIKK_PROJECT (or the one given, in tests)."""
    if target is not None:
        return target
    if not settings.project:
        raise IngestError("BigQuery krever et prosjekt (--project eller METRIKK_PROJECT).")
    from metrikk.ingest.to_bigquery import BigQueryTarget

    return BigQueryTarget(settings.project)


def _parquet_schema(table: LandingTable) -> pa.Schema:
    import pyarrow as pa

    types = {
        "STRING": pa.string(),
        "INT64": pa.int64(),
        "DATE": pa.date32(),
        "TIMESTAMP": pa.timestamp("us", tz="UTC"),  # BigQuery TIMESTAMP
    }
    return pa.schema([(c.name, types[c.type]) for c in table.columns])


def stage(target: Target, table: LandingTable, data: pa.Table, run_id: str) -> str:
    """Upload `data` (the table's columns) into a fresh staging table beside it; its name."""
    import pyarrow.parquet as pq

    from metrikk.ingest import bigquery_sql as bq

    staging = bq.staging_name(table, run_id)
    target.execute(bq.create_staging(table, staging))
    with tempfile.TemporaryDirectory(prefix="metrikk-ingest-") as tmp:
        path = Path(tmp) / f"{staging}.parquet"
        pq.write_table(data.cast(_parquet_schema(table)), path, compression="zstd")
        target.load_parquet(path, table.schema, staging, bq.staging_columns(table))
    return staging


def drop_staging(target: Target, table: LandingTable, staging: str | None) -> None:
    """Drop a staging table; one that cannot be dropped expires by itself after a day."""
    from metrikk.ingest import bigquery_sql as bq

    if staging is None:
        return
    try:
        target.execute(bq.drop_staging(table, staging))
    except Exception:  # noqa: BLE001, S110 - best effort
        pass


def prepare_bigquery(target: Target, table: LandingTable) -> None:
    """CREATE TABLE IF NOT EXISTS for the raw table and metrikk_meta.datasett (the datasets
    themselves are created up front, docs/production.md)."""
    from metrikk.ingest import bigquery_sql as bq

    target.execute(bq.create_datasett())
    target.execute(bq.create_landing(table))
