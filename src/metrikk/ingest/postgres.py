"""`metrikk ingest postgres`: copy an app's own PostgreSQL tables into `landing_zone` (CONTRACT §5).

How it works (DESIGN, "ingestion from PostgreSQL"):

- Every source table is read with `COPY (SELECT …) TO STDOUT (FORMAT csv)`, streamed through
  pyarrow's incremental CSV reader straight into DuckDB, so memory stays bounded by one batch.
  JSONB goes over the wire as JSON text (`data::text`).
- All source tables are read in one REPEATABLE READ, read-only PostgreSQL transaction, so the
  audit log and the current tables are one consistent picture of the app.
- `audit_version` is incremental on `time`: the next read starts at max(time) already in the
  warehouse minus an overlap window (`OVERLAP`), and rows whose `audit_id` is already landed are
  skipped. A transaction that commits late with an earlier `time` (inside the window) is picked
  up by the next ingest; nothing lands twice.
- The current tables (krav, codelist, …) are replaced as a whole each time.
- Everything one ingest writes (new audit rows, replaced current tables, `metrikk_meta.datasett`)
  is one DuckDB transaction. The state (the cursor) is derived from the landed rows themselves,
  so a crash anywhere leaves the warehouse as it was and the next ingest simply does the work.

The DSN's password never appears in output or errors: only `redact(dsn)` is shown.

With `--target bigquery` the same source rows go to BigQuery instead (`ingest.bigquery`).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.csv as pacsv

from metrikk.catalog import LandingTable, landing_table
from metrikk.warehouse import connect, create_layout, qualified, quote, record_datasett

if TYPE_CHECKING:
    import duckdb
    import psycopg
    from psycopg import sql
    from rich.console import Console

    from metrikk.settings import Settings

# How far back before the newest landed audit row the next ingest re-reads. Covers transactions
# that commit up to this long after the `time` they stamped (LocalDateTime.now() at write time).
OVERLAP = timedelta(minutes=10)

CONNECT_TIMEOUT_SECONDS = 15

_ARROW_TYPES = {
    "STRING": pa.string(),
    "JSON": pa.string(),
    "INT64": pa.int64(),
    "TIMESTAMP": pa.timestamp("us"),
}


class IngestError(Exception):
    """An ingest that cannot be done; the message is bokmål and safe to show (no password)."""


@dataclass(frozen=True)
class Source:
    """One source table in the app's database and the landing table it is copied into.

    `columns` maps every landing column to the source column it comes from. `json` names the
    landing columns that are JSONB in the source; `status_from_data` derives a landing column
    from a key of the JSON `data` column (krav keeps its status inside `data`).
    """

    table: str  # source table as PostgreSQL sees it (unquoted names are lower case)
    landing: str  # landing table, schema.table
    columns: dict[str, str]
    json: frozenset[str] = frozenset({"data"})
    from_data: dict[str, str] = field(default_factory=dict)  # landing column -> key in data
    incremental: bool = False  # audit tables: incremental on time, de-duplicated on audit_id

    @property
    def landing_table(self) -> LandingTable:
        return landing_table(self.landing)


_AUDIT_COLUMNS = {
    "audit_id": "audit_id",
    "action": "action",
    "table_name": "table_name",
    "table_id": "table_id",
    "time": "time",
    "user": "user_id",
}

SOURCES: dict[str, tuple[Source, ...]] = {
    "etterlevelse": (
        Source(
            "audit_version",
            "landing_zone.etterlevelse_audit_version",
            {**_AUDIT_COLUMNS, "version": "version", "data": "data"},
            incremental=True,
        ),
        Source(
            "krav",
            "landing_zone.etterlevelse_krav",
            {
                "id": "id",
                "krav_nummer": "krav_nummer",
                "krav_versjon": "krav_versjon",
                "data": "data",
            },
            from_data={"status": "status"},
        ),
        Source(
            "codelist",
            "landing_zone.etterlevelse_codelist",
            {
                "list": "list_name",
                "code": "code",
                "short_name": "short_name",
                "description": "description",
                "data": "data",
            },
        ),
        Source(
            "etterlevelse_dokumentasjon",
            "landing_zone.etterlevelse_etterlevelse_dokumentasjon",
            {"id": "id", "data": "data"},
        ),
        Source(
            "tilbakemelding",
            "landing_zone.etterlevelse_tilbakemelding",
            {
                "id": "id",
                "krav_nummer": "krav_nummer",
                "krav_versjon": "krav_versjon",
                "created_date": "created_date",
                "data": "data",
            },
        ),
        Source(
            "etterlevelse_metadata",
            "landing_zone.etterlevelse_etterlevelse_metadata",
            {
                "id": "id",
                "krav_nummer": "krav_nummer",
                "krav_versjon": "krav_versjon",
                "etterlevelse_dokumentasjon": "etterlevelse_dokumentasjon",
                "data": "data",
            },
        ),
    ),
    "behandlingskatalogen": (
        Source(
            "audit_version",
            "landing_zone.behandlingskatalogen_audit_version",
            {**_AUDIT_COLUMNS, "data": "data"},
            incremental=True,
        ),
    ),
}

APP_NAMES = {
    "etterlevelse": "Støtte til etterlevelse",
    "behandlingskatalogen": "Behandlingskatalogen",
}


@dataclass
class TableResult:
    landing: str
    read: int = 0  # rows read from the source this time
    new: int = 0  # rows added (audit) or rows now in the table (current tables)
    total: int = 0  # rows in the landing table after the ingest
    since: datetime | None = None  # audit tables: where this read started (None = everything)


@dataclass
class IngestResult:
    app: str
    tables: list[TableResult]
    seconds: float


# --------------------------------------------------------------------------------------------
# DSN handling


def redact(dsn: str) -> str:
    """The DSN as it may be shown: user, host, port and database, never the password."""
    from psycopg.conninfo import conninfo_to_dict  # noqa: PLC0415

    try:
        parts = conninfo_to_dict(dsn)
    except Exception:  # noqa: BLE001 - an unparsable DSN is shown as nothing at all
        return "(ugyldig tilkoblingsstreng)"
    user = parts.get("user")
    host = parts.get("host") or "localhost"
    port = parts.get("port") or "5432"
    dbname = parts.get("dbname") or user or ""
    return f"postgresql://{user + '@' if user else ''}{host}:{port}/{dbname}"


def _scrub(message: str, dsn: str) -> str:
    """Remove the DSN and its password (plain or percent-encoded) from a driver message."""
    from urllib.parse import quote as urlquote  # noqa: PLC0415

    from psycopg.conninfo import conninfo_to_dict  # noqa: PLC0415

    try:
        password = conninfo_to_dict(dsn).get("password")
    except Exception:  # noqa: BLE001
        password = None
    message = message.replace(dsn, redact(dsn))
    if password:
        for form in {str(password), urlquote(str(password), safe="")}:
            message = message.replace(form, "***")
    return message


# --------------------------------------------------------------------------------------------
# Reading from PostgreSQL


def _connect(dsn: str) -> psycopg.Connection:
    import psycopg  # noqa: PLC0415

    try:
        con = psycopg.connect(dsn, connect_timeout=CONNECT_TIMEOUT_SECONDS, autocommit=True)
    except psycopg.Error as e:
        detail = _scrub(str(e).strip(), dsn)
        raise IngestError(f"Får ikke kontakt med databasen {redact(dsn)}: {detail}") from None
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET DateStyle = 'ISO, YMD'")
    con.execute("SET IntervalStyle = 'iso_8601'")
    con.execute("SET extra_float_digits = 3")
    # Every table of one ingest is read from the same snapshot, and never written.
    con.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    con.read_only = True
    return con


def _source_columns(con: psycopg.Connection, table: str) -> dict[str, str] | None:
    """Column name -> PostgreSQL type of a table on the search path, or None if it is missing."""
    rows = con.execute(
        """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod)
        FROM pg_attribute a
        WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """,
        [table],
    ).fetchall()
    return {name: typ for name, typ in rows} if rows else None


def _select_list(source: Source, types: dict[str, str]) -> list[tuple[str, sql.Composable]]:
    """(landing column, SQL expression) for every landing column, in landing order."""
    from psycopg import sql  # noqa: PLC0415

    exprs: list[tuple[str, sql.Composable]] = []
    for col in source.landing_table.columns:
        if col.name in source.from_data:
            key = source.from_data[col.name]
            expr = sql.SQL("({} ->> {})").format(sql.Identifier("data"), sql.Literal(key))
        elif col.name in source.columns:
            src = source.columns[col.name]
            ident = sql.Identifier(src)
            pg_type = types[src]
            if pg_type.startswith("timestamp") and "with time zone" in pg_type:
                expr = sql.SQL("({} AT TIME ZONE 'UTC')").format(ident)
            elif col.type in ("STRING", "JSON") and pg_type not in ("text", "character varying"):
                expr = sql.SQL("{}::text").format(ident)  # uuid, jsonb, json -> text
            elif col.type == "TIMESTAMP" and pg_type == "date":
                expr = sql.SQL("{}::timestamp").format(ident)
            else:
                expr = ident
        else:
            expr = sql.SQL("NULL")
        exprs.append((col.name, expr))
    return exprs


class _CopyStream(io.RawIOBase):
    """A read-only file over a psycopg COPY TO STDOUT, so pyarrow can stream-parse it."""

    def __init__(self, copy: psycopg.Copy) -> None:
        self._rows = iter(copy)
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        written = 0
        while written < len(view):
            if not self._pending:
                try:
                    self._pending = memoryview(bytes(next(self._rows)))
                except StopIteration:
                    break
            n = min(len(view) - written, len(self._pending))
            view[written : written + n] = self._pending[:n]
            self._pending = self._pending[n:]
            written += n
        return written


def _copy_batches(
    con: psycopg.Connection,
    source: Source,
    types: dict[str, str],
    since: datetime | None,
    on_rows: Callable[[int], None],
) -> Iterator[pa.RecordBatch]:
    """Stream the source rows (newer than `since`, for audit tables) as Arrow record batches."""
    from psycopg import sql  # noqa: PLC0415

    select = _select_list(source, types)
    query = sql.SQL("SELECT {} FROM {}").format(
        sql.SQL(", ").join(
            sql.SQL("{} AS {}").format(expr, sql.Identifier(name)) for name, expr in select
        ),
        sql.Identifier(source.table),
    )
    if since is not None:
        query = sql.SQL("{} WHERE {} >= {}").format(
            query, sql.Identifier(source.columns["time"]), sql.Literal(since)
        )
    copy_sql = sql.SQL("COPY ({}) TO STDOUT (FORMAT csv)").format(query)
    table = source.landing_table
    schema = pa.schema([(c.name, _ARROW_TYPES[c.type]) for c in table.columns])
    with con.cursor() as cur, cur.copy(copy_sql) as copy:
        stream = io.BufferedReader(_CopyStream(copy), buffer_size=1 << 20)
        if not stream.peek(1):
            return  # an empty table: pyarrow refuses an empty CSV
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(
                column_names=schema.names, block_size=8 << 20, use_threads=False
            ),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=schema,
                # PostgreSQL's CSV writes NULL unquoted and empty text as "".
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
                null_values=[""],
            ),
        )
        for batch in reader:
            on_rows(batch.num_rows)
            yield batch


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
    schema = pa.schema([(c.name, _ARROW_TYPES[c.type]) for c in table.columns])

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


# --------------------------------------------------------------------------------------------
# The command


def check_app(app: str) -> None:
    if app not in SOURCES:
        raise IngestError(f"Ukjent applikasjon «{app}». Velg blant: {', '.join(SOURCES)}.")


def copy_failed(source: Source, error: Exception, dsn: str) -> IngestError:
    """The error for a table whose copy failed (the driver's message without the password)."""
    return IngestError(
        f"Kopiering av «{source.table}» til {source.landing} feilet: {_scrub(str(error).strip(), dsn)}"
    )


def read_failed(error: Exception, dsn: str) -> IngestError:
    """The error for a failed read from the source database (without the password)."""
    return IngestError(f"Lesing fra databasen {redact(dsn)} feilet: {_scrub(str(error).strip(), dsn)}")


def check_sources(con: psycopg.Connection, app: str, dsn: str) -> dict[str, dict[str, str]]:
    """Column types of every source table of `app`; IngestError naming what is missing."""
    found: dict[str, dict[str, str]] = {}
    for source in SOURCES[app]:
        types = _source_columns(con, source.table)
        if types is None:
            raise IngestError(
                f"Tabellen «{source.table}» finnes ikke i databasen {redact(dsn)}. "
                f"Er dette databasen til {APP_NAMES[app]}?"
            )
        needed = set(source.columns.values()) | ({"data"} if source.from_data else set())
        missing = sorted(needed - types.keys())
        if missing:
            raise IngestError(
                f"Tabellen «{source.table}» i databasen {redact(dsn)} mangler "
                f"kolonnene {', '.join(missing)}."
            )
        found[source.table] = types
    return found


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
    afterwards), or with target bigquery into BigQuery (`ingest.bigquery`)."""
    from metrikk.publish import publish  # noqa: PLC0415
    from metrikk.warehouse import WarehouseBusy, writer_lock  # noqa: PLC0415

    if settings.target == "bigquery":
        from metrikk.ingest.bigquery import ingest_bigquery  # noqa: PLC0415

        return ingest_bigquery(settings, app, dsn, console)
    if settings.target != "duckdb":
        raise IngestError(f"Ukjent mål «{settings.target}». Velg duckdb eller bigquery.")
    try:
        with writer_lock(settings.warehouse):
            outcome = _ingest(settings, app, dsn, console, _between_tables=_between_tables)
            publish(settings.warehouse)
    except WarehouseBusy as e:
        raise IngestError(str(e)) from None
    return outcome


def _ingest(
    settings: Settings,
    app: str,
    dsn: str,
    console: Console | None = None,
    *,
    _between_tables: Callable[[str], None] | None = None,
) -> IngestResult:
    """Copy `app`'s audit log (incrementally) and current tables into landing_zone.

    Raises IngestError with a bokmål message when the database cannot be reached, a table or
    column is missing, or a copy fails; the warehouse is then exactly as it was.
    `_between_tables` is called after each table is staged (tests use it to fail mid-way).
    """
    import duckdb  # noqa: PLC0415
    import psycopg  # noqa: PLC0415

    check_app(app)
    started = time.perf_counter()
    results = [TableResult(s.landing) for s in SOURCES[app]]
    progress = _Progress(console, f"Henter {APP_NAMES[app]} fra {redact(dsn)}")
    pg = _connect(dsn)
    try:
        with progress, pg.transaction():
            types = check_sources(pg, app, dsn)
            with connect(settings.warehouse) as con:
                create_layout(con)
                con.execute("BEGIN TRANSACTION")
                try:
                    for source, result in zip(SOURCES[app], results, strict=True):
                        table = source.landing_table
                        result.since = _landed_since(con, table) if source.incremental else None
                        task = progress.add(source.landing)
                        batches = _copy_batches(
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
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
    except psycopg.Error as e:
        raise read_failed(e, dsn) from None
    except duckdb.IOException as e:
        raise IngestError(
            f"Datavarehuset {settings.warehouse} kan ikke åpnes for skriving (er det i bruk av "
            f"en annen prosess?): {e}"
        ) from None
    finally:
        pg.close()
    outcome = IngestResult(app, results, time.perf_counter() - started)
    if console is not None:
        _report(console, outcome)
    return outcome


# --------------------------------------------------------------------------------------------
# Progress and report (rich, only when a console is given)


class _Progress:
    def __init__(self, console: Console | None, title: str) -> None:
        self._progress = None
        if console is not None:
            from rich.progress import (  # noqa: PLC0415
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            console.print(title, highlight=False, soft_wrap=True)
            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TextColumn("{task.completed:,} rader"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )

    def __enter__(self) -> _Progress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def add(self, name: str) -> int | None:
        if self._progress is None:
            return None
        return self._progress.add_task(f"Leser {name}", total=None)

    def advance(self, task: int | None, rows: int) -> None:
        if self._progress is not None and task is not None:
            self._progress.advance(task, rows)

    def done(self, task: int | None, result: TableResult) -> None:
        if self._progress is not None and task is not None:
            self._progress.update(task, description=f"Ferdig {result.landing}")


def _report(console: Console, outcome: IngestResult) -> None:
    from rich.table import Table  # noqa: PLC0415

    def n(x: int) -> str:
        return f"{x:,}".replace(",", " ")

    table = Table(
        "tabell",
        "lest",
        "nye rader",
        "rader totalt",
        "lest fra",
        title=f"Hentet fra {APP_NAMES[outcome.app]} på {outcome.seconds:.1f} s",
    )
    for r in outcome.tables:
        since = r.since.isoformat(sep=" ", timespec="seconds") if r.since else "start"
        incremental = r.landing.endswith("audit_version")
        table.add_row(
            r.landing,
            n(r.read),
            n(r.new) if incremental else "erstattet",
            n(r.total),
            since if incremental else "–",
        )
    console.print(table)
