"""The source side of `metrikk ingest postgres`: reading an app's own PostgreSQL tables.

- `SOURCES` lists, per app, every source table and the landing table it is copied into
  (CONTRACT §5).
- Every source table is read with `COPY (SELECT …) TO STDOUT (FORMAT csv)` and parsed by
  pyarrow's incremental CSV reader into Arrow record batches (`copy_batches`), so memory stays
  bounded by one batch. JSONB goes over the wire as JSON text (`data::text`).
- `connect_source` opens one REPEATABLE READ, read-only session: every table of one ingest is
  read from the same snapshot of the app, and never written.
- Audit tables are read incrementally on `time`, from the newest landed `time` minus `OVERLAP`
  (the writers derive that cursor from the landed rows).

The writers are `ingest.to_duckdb` and `ingest.to_bigquery`; errors are `ingest.errors`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.csv as pacsv

from metrikk.catalog import LandingTable, landing_table
from metrikk.ingest.errors import IngestError, redact, scrub

if TYPE_CHECKING:
    import psycopg
    from psycopg import sql

# How far back before the newest landed audit row the next ingest re-reads. Covers transactions
# that commit up to this long after the `time` they stamped (LocalDateTime.now() at write time).
OVERLAP = timedelta(minutes=10)

CONNECT_TIMEOUT_SECONDS = 15

ARROW_TYPES = {
    "STRING": pa.string(),
    "JSON": pa.string(),
    "INT64": pa.int64(),
    "TIMESTAMP": pa.timestamp("us"),
}


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


# --------------------------------------------------------------------------------------------
# Reading from PostgreSQL


def connect_source(dsn: str) -> psycopg.Connection:
    import psycopg

    try:
        con = psycopg.connect(dsn, connect_timeout=CONNECT_TIMEOUT_SECONDS, autocommit=True)
    except psycopg.Error as e:
        detail = scrub(str(e).strip(), dsn)
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
    from psycopg import sql

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


def copy_batches(
    con: psycopg.Connection,
    source: Source,
    types: dict[str, str],
    since: datetime | None,
    on_rows: Callable[[int], None],
) -> Iterator[pa.RecordBatch]:
    """Stream the source rows (newer than `since`, for audit tables) as Arrow record batches."""
    from psycopg import sql

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
    schema = pa.schema([(c.name, ARROW_TYPES[c.type]) for c in table.columns])
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
# Checks and errors of the source


def check_app(app: str) -> None:
    if app not in SOURCES:
        raise IngestError(f"Ukjent applikasjon «{app}». Velg blant: {', '.join(SOURCES)}.")


def copy_failed(source: Source, error: Exception, dsn: str) -> IngestError:
    """The error for a table whose copy failed (the driver's message without the password)."""
    return IngestError(
        f"Kopiering av «{source.table}» til {source.landing} feilet: {scrub(str(error).strip(), dsn)}"
    )


def read_failed(error: Exception, dsn: str) -> IngestError:
    """The error for a failed read from the source database (without the password)."""
    return IngestError(
        f"Lesing fra databasen {redact(dsn)} feilet: {scrub(str(error).strip(), dsn)}"
    )


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
