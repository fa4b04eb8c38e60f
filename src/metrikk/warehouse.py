"""The DuckDB warehouse: short-lived connections, the layout of CONTRACT §1, metrikk_meta.datasett.

Only `metrikk load`, `generate`, `ingest` and `run` write the warehouse, and (but for `run`,
whose SQLMesh context opens its own connections) they write through `writing`: the lock, one
connection, the layout, one transaction, and a new published snapshot. Every connection is
opened for one piece of work and closed again, so no process holds the file longer than it
needs (DESIGN, "one writer").
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from metrikk.catalog import SCHEMAS, LandingTable, landing_tables


def quote(identifier: str) -> str:
    """Quote one SQL identifier for DuckDB."""
    return '"' + identifier.replace('"', '""') + '"'


def qualified(schema: str, table: str) -> str:
    return f"{quote(schema)}.{quote(table)}"


@contextmanager
def connect(path: Path | str, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse file for one piece of work; timestamps are handled as UTC."""
    path = Path(path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        con.execute("SET TimeZone = 'UTC'")
        yield con
    finally:
        con.close()


def create_layout(con: duckdb.DuckDBPyConnection) -> None:
    """Create every schema, every landing table (empty) and metrikk_meta.datasett if missing."""
    for schema in SCHEMAS:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(schema)}")
    for t in landing_tables().values():
        cols = ", ".join(f"{quote(c.name)} {c.duckdb_type}" for c in t.columns)
        con.execute(f"CREATE TABLE IF NOT EXISTS {qualified(t.schema, t.table)} ({cols})")
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS metrikk_meta.datasett (
            schema_name VARCHAR NOT NULL,
            table_name VARCHAR NOT NULL,
            syntetisk BOOLEAN NOT NULL,
            lastet_tidspunkt TIMESTAMP NOT NULL,
            rader BIGINT NOT NULL,
            PRIMARY KEY (schema_name, table_name)
        )
        """
    )
    # A landing table nobody has written yet is empty and not synthetic.
    for t in landing_tables().values():
        con.execute(
            """
            INSERT INTO metrikk_meta.datasett
            SELECT ?, ?, false, ?, 0
            WHERE NOT EXISTS (
                SELECT 1 FROM metrikk_meta.datasett WHERE schema_name = ? AND table_name = ?
            )
            """,
            [t.schema, t.table, _now(), t.schema, t.table],
        )


def ensure_warehouse(path: Path | str) -> None:
    """Make sure the warehouse file exists with the whole layout of CONTRACT §1."""
    with connect(path) as con:
        create_layout(con)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def record_datasett(con: duckdb.DuckDBPyConnection, table: LandingTable, *, syntetisk: bool) -> int:
    """Record the current row count and origin of one landing table; returns the row count."""
    (rows,) = con.execute(f"SELECT count(*) FROM {qualified(table.schema, table.table)}").fetchone()
    con.execute(
        """
        INSERT OR REPLACE INTO metrikk_meta.datasett
            (schema_name, table_name, syntetisk, lastet_tidspunkt, rader)
        VALUES (?, ?, ?, ?, ?)
        """,
        [table.schema, table.table, syntetisk, _now(), rows],
    )
    return int(rows)


def existing_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> list[str]:
    rows = con.execute(
        """
        SELECT column_name FROM information_schema.columns
        WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position
        """,
        [schema, table],
    ).fetchall()
    return [r[0] for r in rows]


def write_landing(
    con: duckdb.DuckDBPyConnection,
    table: LandingTable,
    data: Any,
    *,
    syntetisk: bool,
    append: bool = False,
) -> int:
    """Write a pandas DataFrame or Arrow table into one landing table and record it.

    Columns are matched by name; declared columns missing from `data` become null. Runs inside
    the caller's transaction if there is one.
    """
    con.register("_metrikk_incoming", data)
    try:
        incoming = {c[0] for c in con.execute("DESCRIBE _metrikk_incoming").fetchall()}
        target = qualified(table.schema, table.table)
        select = ", ".join(
            f"CAST({quote(c.name)} AS {c.duckdb_type})" if c.name in incoming else "NULL"
            for c in table.columns
        )
        names = ", ".join(quote(c.name) for c in table.columns)
        if not append:
            con.execute(f"DELETE FROM {target}")
        con.execute(f"INSERT INTO {target} ({names}) SELECT {select} FROM _metrikk_incoming")
    finally:
        con.unregister("_metrikk_incoming")
    return record_datasett(con, table, syntetisk=syntetisk)


def any_synthetic(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...] | None = None) -> bool:
    """True when any landing table (of the given schemas) holds synthetic rows."""
    sql = "SELECT coalesce(bool_or(syntetisk AND rader > 0), false) FROM metrikk_meta.datasett"
    params: list[str] = []
    if schemas:
        sql += " WHERE schema_name IN (" + ", ".join("?" for _ in schemas) + ")"
        params = list(schemas)
    return bool(con.execute(sql, params).fetchone()[0])


class WarehouseBusy(Exception):
    """Another writer (run, load, generate or ingest) holds the warehouse."""


# The warehouses whose lock this process holds -> the holder's pid (a forked child holds none).
_held: dict[Path, int] = {}


@contextmanager
def writer_lock(path: Path | str) -> Iterator[None]:
    """Hold the single-writer lock of a warehouse for the duration of one write.

    An advisory `flock` on `<warehouse>.lock`: the kernel releases it when the process ends, even
    on kill -9, so a crashed writer never leaves a stale lock. A second writer fails at once with
    a message naming the holder instead of failing half-way on DuckDB's file lock. Taking the
    lock removes the temp files a killed publish left (`publish.remove_leftovers`). Within the
    process that holds it the lock is re-entrant: an inner `writer_lock` (or `writing`) of the same
    warehouse goes on under the outer one.
    """
    # lazy: POSIX only; production runs on Linux
    import fcntl

    path = Path(path).resolve()
    if _held.get(path) == os.getpid():
        # This process holds it already (the CLI takes it once for a whole command, whose
        # functions take it again): the outer holder releases it.
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.parent / f"{path.name}.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "ukjent prosess"
            raise WarehouseBusy(
                f"Datavarehuset {path} brukes av en annen skrivende kjøring ({holder}). "
                f"Vent til den er ferdig og prøv igjen."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(
            fd,
            f"prosess {os.getpid()}, startet {_now().isoformat(timespec='seconds')} UTC".encode(),
            0,
        )
        # Holding the lock, no other writer can be publishing: what a killed one left goes now.
        # lazy: publish imports this module
        from metrikk.publish import remove_leftovers

        remove_leftovers(path)
        _held[path] = os.getpid()
        try:
            yield
        finally:
            del _held[path]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def writing(path: Path | str) -> Iterator[duckdb.DuckDBPyConnection]:
    """The one way to change the warehouse: take the writer's lock, connect, make sure the layout
    of CONTRACT §1 exists (every landing table from the first command on, so it is not part of
    the transaction), begin a transaction and hand the connection to the caller's block.

    The block's work is committed when it ends normally and rolled back on any exception
    (KeyboardInterrupt too), so a failure leaves the warehouse's data exactly as it was.
    After the commit the connection closes and a new snapshot is published for readers, still
    under the lock. A second writer gets WarehouseBusy before anything is opened.
    """
    with writer_lock(path):
        with connect(path) as con:
            create_layout(con)
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("CHECKPOINT")
        # lazy: publish imports this module
        from metrikk.publish import publish

        publish(Path(path))
