"""`metrikk ingest`: copy sources into the warehouse.

`ingest postgres` copies an app's own PostgreSQL tables into `landing_zone` (CONTRACT §5);
`ingest veiledergrupper` and `ingest norg2` fetch the raw tables `kilde_veilarbfilter.
veiledergruppe_snapshot` and `kilde_norg2.enhet` that no NAV team publishes (docs/production.md
«Veiledergrupper og Norg2»). `ingest` below picks the postgres writer for the configured target;
the modules, top to bottom:

- `veiledergrupper` and `norg2`: one job each, source and write (through `raw`);
- `raw`: where a raw table is (pipeline/kilder.yaml) and one transaction writing it, in DuckDB or
  BigQuery;
- `to_duckdb` (the DuckDB warehouse, the default) and `to_bigquery` (`--target bigquery`, with
  every SQL statement in `bigquery_sql`): the write side of `ingest postgres`, one transaction
  per ingest;
- `progress`: per-table results, progress bars and the closing report;
- `postgres`: the source side, reading the app's tables from one PostgreSQL snapshot;
- `rest`: the source side over HTTP, one JSON GET with a timeout and bounded retries;
- `errors`: `IngestError` and the rule that no message shows a DSN's password.

Imports only point down this list, and no module imports another's private names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from metrikk.ingest.errors import IngestError
from metrikk.ingest.progress import IngestResult, TableResult

if TYPE_CHECKING:
    from rich.console import Console

    from metrikk.settings import Settings

__all__ = ["IngestError", "IngestResult", "TableResult", "ingest"]


def ingest(
    settings: Settings,
    app: str,
    dsn: str,
    console: Console | None = None,
    *,
    _between_tables: Callable[[str], None] | None = None,
) -> IngestResult:
    """Copy `app`'s audit log (incrementally) and current tables into landing_zone: into the
    DuckDB warehouse (holding its single-writer lock, and publishing a new snapshot for readers
    afterwards), or with target bigquery into BigQuery (`ingest.to_bigquery`).

    Raises IngestError with a bokmål message when the database cannot be reached, a table or
    column is missing, or a copy fails; the landing tables are then exactly as they were.
    `_between_tables` is called after each table is staged in DuckDB (tests use it to fail
    mid-way). Each writer is imported when it is used: BigQuery's pulls in sqlglot and Parquet.
    """
    if settings.target == "bigquery":
        from metrikk.ingest.to_bigquery import ingest_bigquery

        return ingest_bigquery(settings, app, dsn, console)
    if settings.target != "duckdb":
        raise IngestError(f"Ukjent mål «{settings.target}». Velg duckdb eller bigquery.")
    from metrikk.ingest.to_duckdb import ingest_duckdb

    return ingest_duckdb(settings, app, dsn, console, _between_tables=_between_tables)
