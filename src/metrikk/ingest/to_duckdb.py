"""`metrikk ingest postgres` into the DuckDB warehouse's landing_zone (the default target).

- New audit rows are appended; rows whose `audit_id` is already landed are skipped, so a late
  commit inside the overlap window is picked up by the next ingest and nothing lands twice.
- The current tables (krav, codelist, …) are replaced as a whole each time.
- Everything one ingest writes (new audit rows, replaced current tables, `metrikk_meta.datasett`)
  is one DuckDB transaction (`metrikk.warehouse.writing`: under the single-writer lock, a new
  snapshot published for readers afterwards). The cursor is derived from the landed rows
  themselves, so a crash anywhere leaves the warehouse as it was and the next ingest simply does
  the work.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

import duckdb
import psycopg
import pyarrow as pa

from metrikk.catalog import LandingTable
from metrikk.ingest.errors import IngestError, redact
from metrikk.ingest.postgres import (
    APP_NAMES,
    ARROW_TYPES,
    OVERLAP,
    SOURCES,
    Source,
    check_app,
    check_sources,
    connect_source,
    copy_batches,
    copy_failed,
    read_failed,
)
from metrikk.ingest.progress import IngestResult, Progress, TableResult, report
from metrikk.warehouse import (
    WarehouseBusy,
    qualified,
    quote,
    record_datasett,
    writing,
)

if TYPE_CHECKING:
    from rich.console import Console

    from metrikk.settings import Settings


def ingest_duckdb(
    settings: Settings,
    app: str,
    dsn: str,
    console: Console | None = None,
    *,
    _between_tables: Callable[[str], None] | None = None,
) -> IngestResult:
    """Copy `app`'s audit log (incrementally) and current tables into landing_zone, in one
    `metrikk.warehouse.writing` transaction (the single-writer lock is taken first, a new snapshot
    is published for readers afterwards).

    Raises IngestError with a bokmål message when the warehouse is busy, the database cannot be
    reached, a table or column is missing, or a copy fails; the warehouse is then exactly as it was.
    `_between_tables` is called after each table is staged (tests use it to fail mid-way).
    """
    check_app(app)
    started = time.perf_counter()
    # The source first: a database that cannot be reached leaves the warehouse untouched (not
    # even created).
    pg = connect_source(dsn)
    try:
        with writing(settings.warehouse) as con:
            results = _ingest(con, pg, app, dsn, console, _between_tables=_between_tables)
    except WarehouseBusy as e:
        raise IngestError(str(e)) from None
    except duckdb.IOException as e:
        raise IngestError(
            f"Datavarehuset {settings.warehouse} kan ikke åpnes for skriving (er det i bruk av "
            f"en annen prosess?): {e}"
        ) from None
    finally:
        pg.close()
    outcome = IngestResult(app, results, time.perf_counter() - started)
    if console is not None:
        report(console, outcome)
    return outcome


def _ingest(
    con: duckdb.DuckDBPyConnection,
    pg: psycopg.Connection,
    app: str,
    dsn: str,
    console: Console | None,
    *,
    _between_tables: Callable[[str], None] | None,
) -> list[TableResult]:
    """Copy `app`'s tables from PostgreSQL (one read transaction there) into `con`'s transaction."""
    results = [TableResult(s.landing) for s in SOURCES[app]]
    progress = Progress(console, f"Henter {APP_NAMES[app]} fra {redact(dsn)}")
    try:
        with progress, pg.transaction():
            types = check_sources(pg, app, dsn)
            for source, result in zip(SOURCES[app], results, strict=True):
                table = source.landing_table
                result.since = _landed_since(con, table) if source.incremental else None
                task = progress.add(source.landing)
                batches = copy_batches(
                    pg,
                    source,
                    types[source.table],
                    result.since,
                    lambda n, task=task: progress.advance(task, n),
                )
                try:
                    _land(con, source, batches, result)
                except Exception as e:  # noqa: BLE001 - any copy failure
                    raise copy_failed(source, e, dsn) from None
                progress.done(task, result)
                if _between_tables is not None:
                    _between_tables(source.landing)
    except psycopg.Error as e:
        raise read_failed(e, dsn) from None
    return results


# --------------------------------------------------------------------------------------------
# Writing into the warehouse (inside the caller's DuckDB transaction)


def _landed_since(con: duckdb.DuckDBPyConnection, table: LandingTable) -> datetime | None:
    """Where the next incremental read starts: newest landed time minus the overlap window."""
    (newest,) = con.execute(
        f"SELECT max({quote('time')}) FROM {qualified(table.schema, table.table)}"
    ).fetchone()
    return None if newest is None else newest - OVERLAP


def _land(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    batches: Iterator[pa.RecordBatch],
    result: TableResult,
) -> None:
    """Stream the batches into the landing table: new audit rows only, or the whole table."""
    table = source.landing_table
    target = qualified(table.schema, table.table)
    names = ", ".join(quote(c.name) for c in table.columns)
    schema = pa.schema([(c.name, ARROW_TYPES[c.type]) for c in table.columns])

    failures: list[BaseException] = []

    def counted() -> Iterator[pa.RecordBatch]:
        try:
            for batch in batches:
                result.read += batch.num_rows
                yield batch
        except BaseException as e:  # DuckDB re-raises it wrapped in a traceback-laden message
            failures.append(e)
            raise

    reader = pa.RecordBatchReader.from_batches(schema, counted())
    con.register("_ingest_incoming", reader)
    try:
        if source.incremental:
            # audit_id is the source's primary key, so only rows landed earlier can repeat.
            (before,) = con.execute(f"SELECT count(*) FROM {target}").fetchone()
            con.execute(
                f"""
                INSERT INTO {target} ({names})
                SELECT {names} FROM _ingest_incoming AS s
                WHERE NOT EXISTS (SELECT 1 FROM {target} AS t WHERE t.audit_id = s.audit_id)
                """
            )
            result.total = record_datasett(con, table, syntetisk=False)
            result.new = result.total - before
        else:
            con.execute(f"DELETE FROM {target}")
            con.execute(f"INSERT INTO {target} ({names}) SELECT {names} FROM _ingest_incoming")
            result.total = record_datasett(con, table, syntetisk=False)
            result.new = result.total
    except Exception:
        if failures:
            raise failures[0] from None
        raise
    finally:
        con.unregister("_ingest_incoming")
