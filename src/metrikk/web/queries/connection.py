"""How the web app reaches the warehouse: the published snapshot or the warehouse file, read-only.

The web app is a reader (DESIGN "one writer"): it keeps one read-only connection per published
snapshot (no writer ever opens one) and gives each request its own cursor, or, before the first
snapshot exists, opens the warehouse file itself with a short-lived read-only connection that
retries while a writer holds the lock. Also the catalog helpers every query module uses.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from metrikk.snapshot import published_path


class Unavailable(Exception):
    """The data cannot be read right now; the message is for a person (bokmål)."""


def _published_path(warehouse: Path) -> Path | None:
    try:
        return published_path(warehouse)
    except Exception:  # noqa: BLE001 - a broken pointer must not take the dashboard down
        return None


_MEMO: dict[tuple, Any] = {}
_MEMO_MAX = 256


class Reader:
    """One open read-only connection plus a memo for results that only change with the file.

    The published snapshot is immutable and the warehouse file changes its size or mtime (or its
    .wal's) on every write, so (path, stat) keys results like the kontor list and the week range.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path):
        self.con = con
        stamp = []
        for p in (path, path.with_name(path.name + ".wal")):
            try:
                st = p.stat()
                stamp.append((st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                stamp.append(None)
        self.key = (str(path), tuple(stamp))

    def execute(self, sql: str, params: Any = None):
        return self.con.execute(sql, params) if params is not None else self.con.execute(sql)

    def memo(self, name: str, fn, *args):
        key = (self.key, name, args)
        if key not in _MEMO:
            if len(_MEMO) >= _MEMO_MAX:
                _MEMO.clear()
            _MEMO[key] = fn(self, *args)
        return _MEMO[key]


@dataclass(frozen=True)
class Source:
    """Where readers find the published data: the snapshot if there is one, else the warehouse."""

    warehouse: Path

    def path(self) -> Path:
        return _published_path(self.warehouse) or self.warehouse

    @contextmanager
    def read(self, attempts: int = 20, pause: float = 0.1) -> Iterator[Reader]:
        """A read-only connection for one request.

        A published snapshot is immutable and no writer ever opens it, so one read-only
        connection per snapshot is kept and each request gets its own cursor. The warehouse
        itself (before the first snapshot) is opened and closed per request, retrying while a
        writer holds the lock.
        """
        published = _published_path(self.warehouse)
        if published is not None and published.exists():
            cursor = _snapshot_connection(published).cursor()  # UTC: set on the connection
            try:
                yield Reader(cursor, published)
            finally:
                cursor.close()
            return
        path = self.warehouse
        if not path.exists():
            raise Unavailable(f"Fant ikke datavarehuset {path}. Kjør «metrikk run» først.")
        last: Exception | None = None
        for _ in range(attempts):
            try:
                con = duckdb.connect(str(path), read_only=True)
                break
            except duckdb.IOException as e:  # locked by a writer
                last = e
                time.sleep(pause)
        else:
            raise Unavailable(
                "Datavarehuset er opptatt (en kjøring skriver nå). Prøv igjen om litt."
            ) from last
        try:
            con.execute("SET TimeZone = 'UTC'")
            yield Reader(con, path)
        finally:
            con.close()


_SNAPSHOT: dict[str, duckdb.DuckDBPyConnection] = {}
_SNAPSHOT_LOCK = threading.Lock()
_ON_NEW_SNAPSHOT: list = []  # callables(Reader), run in a background thread per new snapshot


def on_new_snapshot(hook) -> None:
    """Run `hook(reader)` in a background thread whenever a snapshot is first opened."""
    _ON_NEW_SNAPSHOT.append(hook)


def _run_hook(hook, con: duckdb.DuckDBPyConnection, path: Path) -> None:
    try:
        cursor = con.cursor()
        try:
            hook(Reader(cursor, path))
        finally:
            cursor.close()
    except Exception:  # noqa: BLE001 - warming is an optimisation; a request will do the work
        logging.getLogger(__name__).debug("warming %s failed", path, exc_info=True)


def _snapshot_connection(path: Path) -> duckdb.DuckDBPyConnection:
    """The shared read-only connection to the current snapshot; older ones are closed."""
    key = str(path)
    with _SNAPSHOT_LOCK:
        con = _SNAPSHOT.get(key)
        if con is None:
            # Keep the previous snapshot open too: a request may still be reading it.
            for old_key in list(_SNAPSHOT)[:-1]:
                _SNAPSHOT.pop(old_key).close()
            # One DuckDB thread per query: the server runs requests side by side, and on a
            # small machine a query fanning out over every core costs more CPU in total.
            con = _SNAPSHOT[key] = duckdb.connect(key, read_only=True)
            con.execute("SET threads = 1")
            # Cursors inherit global settings; a SET per request cost ~0.7 ms.
            con.execute("SET GLOBAL TimeZone = 'UTC'")
            # Not daemon threads: one stopped inside DuckDB at interpreter exit aborts the
            # process ("terminate called without an active exception"); exit waits instead.
            for hook in _ON_NEW_SNAPSHOT:
                threading.Thread(target=_run_hook, args=(hook, con, path)).start()
        return con


def warm(warehouse: Path) -> None:
    """Open the current snapshot now (and so run the hooks), if there is one."""
    published = _published_path(warehouse)
    if published is not None and published.exists():
        _snapshot_connection(published)


def _catalog(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[str, ...]]:
    """{(schema, table): column names} of the file: one catalog read per file version.

    information_schema costs ~20 ms a query on the loaded machine; every request used to ask it
    once or more per table it reads.
    """
    rows = con.execute(
        "SELECT schema_name, table_name, list(column_name ORDER BY column_index)"
        " FROM duckdb_columns() WHERE database_name = current_database() GROUP BY ALL"
    ).fetchall()
    return {(s, t): tuple(cols) for s, t, cols in rows}


def table_columns(con, schema: str, table: str) -> tuple[str, ...] | None:
    """The columns of schema.table, or None when it does not exist (memoised per file)."""
    if isinstance(con, Reader):
        catalog = con.memo("catalog", _catalog)
    else:
        catalog = _catalog(con)
    return catalog.get((schema, table))


def has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return table_columns(con, schema, table) is not None


def require(con: duckdb.DuckDBPyConnection, *tables: str) -> None:
    for t in tables:
        schema, table = t.split(".")
        if not has_table(con, schema, table):
            raise Unavailable(f"Tabellen {t} er ikke publisert ennå. Kjør «metrikk run».")


def rows_as_dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
