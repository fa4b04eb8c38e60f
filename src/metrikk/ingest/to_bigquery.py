"""`metrikk ingest postgres` with `--target bigquery`: the same rows into BigQuery's landing_zone.

The source side is `ingest.postgres`, as for the DuckDB path: one REPEATABLE READ, read-only
PostgreSQL transaction; every table streamed with COPY → Arrow batches; audit tables read from
the newest landed `time` minus `OVERLAP`. The write side:

1. `CREATE TABLE IF NOT EXISTS` for the app's landing tables and metrikk_meta.datasett.
2. Per table: the Arrow batches are written to a local Parquet file (one batch in memory at a
   time) and loaded with one BigQuery load job into a fresh staging table in `landing_zone`
   (`_staging_<table>_<run id>`, expiring after 24 hours).
3. One multi-statement transaction (`bigquery_sql.transaction_statements`): MERGE on audit_id
   for the audit tables, a replacing MERGE for the current tables, MERGE of the row counts into
   metrikk_meta.datasett. BigQuery commits it all or rolls it all back.
4. The staging tables are dropped (they expire by themselves if the process dies first).

So a crash before the commit leaves the landing tables as they were, a re-run never duplicates
(the MERGE skips landed audit_ids) and the cursor is again derived from the landed rows.

All SQL comes from `bigquery_sql`. `BigQueryTarget` is the thin layer of google-cloud-bigquery
calls; it imports the library only when it is built, and says in bokmål how to install the
`bigquery` extra when the library is missing. Anything with the same three methods (`query`,
`execute`, `load_parquet`) can stand in for it; the tests use a real DuckDB that runs the same
statements transpiled by sqlglot.
"""

from __future__ import annotations

import io
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pyarrow as pa
import pyarrow.parquet as pq

from metrikk.ingest import bigquery_sql as bq
from metrikk.ingest.errors import IngestError, redact
from metrikk.ingest.postgres import (
    APP_NAMES,
    OVERLAP,
    SOURCES,
    check_app,
    check_sources,
    connect_source,
    copy_batches,
    copy_failed,
    read_failed,
)
from metrikk.ingest.progress import IngestResult, Progress, TableResult, report

if TYPE_CHECKING:
    from rich.console import Console

    from metrikk.catalog import LandingTable
    from metrikk.settings import Settings

LOCATION = "europe-north1"  # as the SQLMesh BigQuery gateway (pipeline/config.py)

MISSING_LIBRARY = (
    "Skriving til BigQuery krever biblioteket google-cloud-bigquery, som ikke er installert. "
    "Installer metrikk med tillegget «bigquery» (uv sync --extra bigquery, eller "
    "pip install 'metrikk[bigquery]'); produksjonsbildet (deploy/Dockerfile) har det."
)


class Target(Protocol):
    """Where the landing tables live. Every `sql` argument is BigQuery SQL from `bigquery_sql`."""

    def query(self, sql: str) -> list[tuple]:
        """Run one statement and return its rows."""

    def execute(self, sql: str) -> None:
        """Run one statement or a multi-statement script; a failure leaves a transaction undone."""

    def load_parquet(
        self, path: Path, dataset: str, table: str, columns: list[tuple[str, str]]
    ) -> int:
        """Append a Parquet file to an existing table (columns: name, BigQuery type); rows loaded."""


class BigQueryTarget:
    """google-cloud-bigquery calls, nothing else. Errors become IngestError in bokmål."""

    def __init__(self, project: str, location: str = LOCATION) -> None:
        try:
            from google.api_core.exceptions import GoogleAPIError
            from google.auth.exceptions import GoogleAuthError
            from google.cloud import bigquery
        except ImportError:
            raise IngestError(MISSING_LIBRARY) from None
        self._bq = bigquery
        self._errors = (GoogleAPIError, GoogleAuthError)
        self.project = project
        self.location = location
        try:
            self._client = bigquery.Client(project=project, location=location)
        except Exception as e:  # noqa: BLE001 - e.g. no credentials: google.auth's own error types
            raise IngestError(f"Får ikke koblet til BigQuery i prosjektet {project}: {e}") from None

    def _run(self, sql: str):
        try:
            return self._client.query(sql, location=self.location).result()
        except self._errors as e:
            raise IngestError(f"BigQuery avviste spørringen: {_first_line(e)}\n{sql}") from None

    def query(self, sql: str) -> list[tuple]:
        return [tuple(row.values()) for row in self._run(sql)]

    def execute(self, sql: str) -> None:
        self._run(sql)

    def load_parquet(
        self, path: Path, dataset: str, table: str, columns: list[tuple[str, str]]
    ) -> int:
        bigquery = self._bq
        config = bigquery.LoadJobConfig(
            source_format=bigquery.SourceFormat.PARQUET,
            write_disposition=bigquery.WriteDisposition.WRITE_APPEND,
            create_disposition=bigquery.CreateDisposition.CREATE_NEVER,
            schema=[bigquery.SchemaField(name, typ) for name, typ in columns],
        )
        destination = f"{self.project}.{dataset}.{table}"
        try:
            with path.open("rb") as f:
                job = self._client.load_table_from_file(
                    f, destination, job_config=config, location=self.location
                )
            job.result()
        except self._errors as e:
            raise IngestError(
                f"Lasting til {dataset}.{table} i BigQuery feilet: {_first_line(e)}"
            ) from None
        return int(job.output_rows or 0)

    def replace_table_from_parquet(
        self, data: bytes, dataset: str, table: str, columns: list[tuple[str, str]]
    ) -> int:
        """Replace (or create) a table with Parquet bytes held in memory, by one load job.

        The rows travel only in the upload: a load job's metadata holds its configuration, not
        its data (used for the pseudonym key table, metrikk.pseudonym)."""

        bigquery = self._bq
        config = bigquery.LoadJobConfig(
            source_format=bigquery.SourceFormat.PARQUET,
            write_disposition=bigquery.WriteDisposition.WRITE_TRUNCATE,
            create_disposition=bigquery.CreateDisposition.CREATE_IF_NEEDED,
            schema=[bigquery.SchemaField(name, typ, mode="REQUIRED") for name, typ in columns],
        )
        destination = f"{self.project}.{dataset}.{table}"
        try:
            job = self._client.load_table_from_file(
                io.BytesIO(data), destination, job_config=config, location=self.location
            )
            job.result()
        except self._errors as e:
            raise IngestError(
                f"Lasting til {dataset}.{table} i BigQuery feilet: {_first_line(e)}"
            ) from None
        return int(job.output_rows or 0)


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def _to_parquet_schema(table: LandingTable) -> pa.Schema:
    """Staging file schema: strings, int64, and timestamps marked UTC (BigQuery TIMESTAMP)."""
    types = {"STRING": pa.string(), "INT64": pa.int64(), "TIMESTAMP": pa.timestamp("us", tz="UTC")}
    return pa.schema([(name, types[typ]) for name, typ in bq.staging_columns(table)])


def _write_parquet(path: Path, table: LandingTable, batches: Iterator[pa.RecordBatch]) -> int:
    """Write the batches to one Parquet file, one batch in memory at a time; rows written."""
    schema = _to_parquet_schema(table)
    rows = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in batches:
            writer.write_batch(batch.cast(schema))
            rows += batch.num_rows
    return rows


def _as_utc_naive(value: Any) -> datetime | None:
    """A landed TIMESTAMP (aware, from BigQuery) as the naive UTC the source compares with."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def ingest_bigquery(
    settings: Settings,
    app: str,
    dsn: str,
    console: Console | None = None,
    *,
    target: Target | None = None,
    _before_commit: Callable[[], None] | None = None,
) -> IngestResult:
    """Copy `app`'s audit log (incrementally) and current tables into BigQuery's landing_zone.

    `target` defaults to BigQuery in METRIKK_PROJECT. Raises IngestError (bokmål, no password)
    when the library is missing, a database cannot be reached, a source table or column is
    missing, or BigQuery refuses a load or the transaction; the landing tables are then as they
    were. `_before_commit` runs after every table is staged (tests use it to fail there).
    """
    import psycopg

    check_app(app)
    if target is None:
        if not settings.project:
            raise IngestError("BigQuery krever et prosjekt (--project eller METRIKK_PROJECT).")
        target = BigQueryTarget(settings.project)
    started = time.perf_counter()
    sources = SOURCES[app]
    results = [TableResult(s.landing) for s in sources]
    progress = Progress(console, f"Henter {APP_NAMES[app]} fra {redact(dsn)} til BigQuery")
    run_id = uuid.uuid4().hex[:12]
    staged: list[tuple[LandingTable, str, bool]] = []
    pg = connect_source(dsn)
    try:
        with (
            progress,
            pg.transaction(),
            tempfile.TemporaryDirectory(prefix="metrikk-ingest-") as tmp,
        ):
            types = check_sources(pg, app, dsn)
            target.execute(bq.create_datasett())
            for source in sources:
                target.execute(bq.create_landing(source.landing_table))
            before: list[int] = []
            for source, result in zip(sources, results, strict=True):
                table = source.landing_table
                (count,) = target.query(bq.row_count(table))[0]
                before.append(int(count))
                if source.incremental:
                    (newest,) = target.query(bq.newest_time(table))[0]
                    newest = _as_utc_naive(newest)
                    result.since = None if newest is None else newest - OVERLAP
                staging = bq.staging_name(table, run_id)
                target.execute(bq.create_staging(table, staging))
                staged.append((table, staging, source.incremental))
                task = progress.add(source.landing)
                batches = copy_batches(
                    pg,
                    source,
                    types[source.table],
                    result.since,
                    lambda n, task=task: progress.advance(task, n),
                )
                path = Path(tmp) / f"{staging}.parquet"
                try:
                    result.read = _write_parquet(path, table, batches)
                except psycopg.Error:
                    raise
                except Exception as e:  # noqa: BLE001 - any copy failure
                    raise copy_failed(source, e, dsn) from None
                target.load_parquet(path, table.schema, staging, bq.staging_columns(table))
                path.unlink()
                progress.done(task, result)
            if _before_commit is not None:
                _before_commit()
            target.execute(bq.script(bq.transaction_statements(staged)))
            for source, result, count in zip(sources, results, before, strict=True):
                (total,) = target.query(bq.row_count(source.landing_table))[0]
                result.total = int(total)
                result.new = result.total - count if source.incremental else result.total
    except psycopg.Error as e:
        raise read_failed(e, dsn) from None
    finally:
        pg.close()
        _drop_staging(target, staged)
    outcome = IngestResult(app, results, time.perf_counter() - started)
    if console is not None:
        report(console, outcome)
    return outcome


def _drop_staging(target: Target, staged: list[tuple[LandingTable, str, bool]]) -> None:
    """Drop this ingest's staging tables; one that cannot be dropped expires by itself."""
    for table, staging, _ in staged:
        try:
            target.execute(bq.drop_staging(table, staging))
        except Exception:  # noqa: BLE001, S110 - best effort; the table expires after 24 hours
            pass
