"""Published snapshots: what readers (the web app) see, never a half-finished run.

Only `metrikk run`, `load`, `generate` and `ingest` write the warehouse file. At the end of each
successful write, `publish` copies the published schemas into a new, immutable DuckDB file beside
the warehouse and then atomically points `CURRENT` at it (DESIGN, "one writer"). Readers open that
snapshot read-only, so they never hold a lock the writer needs, and a run that fails or is killed
leaves the last published snapshot as it was.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from metrikk.warehouse import connect, qualified, quote

PUBLISHED_SCHEMAS = ("tiltak_gold", "tiltak_silver", "etterlevelse", "behandlinger", "metrikk_meta")
KEEP = 2  # snapshots kept on disk: the current one and the one before it (a reader may hold it)


def snapshot_dir(warehouse: Path) -> Path:
    warehouse = Path(warehouse).resolve()
    return warehouse.parent / f"{warehouse.name}.publisert"


def published_path(warehouse: Path) -> Path | None:
    """The current snapshot file, or None before anything was published."""
    d = snapshot_dir(warehouse)
    try:
        name = (d / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = d / name
    return path if path.exists() else None


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def publish(warehouse: Path) -> Path:
    """Copy the published schemas into a new snapshot and make it current; returns its path."""
    d = snapshot_dir(warehouse)
    d.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    name = f"snapshot-{stamp}-{os.getpid()}.duckdb"
    tmp = d / f".{name}.tmp"
    tmp.unlink(missing_ok=True)
    with connect(warehouse) as con:
        con.execute(f"ATTACH {_sql_string(str(tmp))} AS snapshot")
        try:
            tables = con.execute(
                f"""
                SELECT table_schema, table_name FROM information_schema.tables
                WHERE table_catalog = current_database()
                  AND table_schema IN ({", ".join("?" for _ in PUBLISHED_SCHEMAS)})
                ORDER BY 1, 2
                """,
                list(PUBLISHED_SCHEMAS),
            ).fetchall()
            for schema in sorted({s for s, _ in tables}):
                con.execute(f"CREATE SCHEMA snapshot.{quote(schema)}")
            for schema, table in tables:
                con.execute(
                    f"CREATE TABLE snapshot.{qualified(schema, table)} AS "
                    f"SELECT * FROM {qualified(schema, table)}"
                )
            _copy_comments(con, tables)
        finally:
            con.execute("DETACH snapshot")
    os.replace(tmp, d / name)
    pointer = d / ".CURRENT.tmp"
    pointer.write_text(name, encoding="utf-8")
    os.replace(pointer, d / "CURRENT")
    _prune(d, keep_name=name)
    return d / name


def _copy_comments(con, tables: list[tuple[str, str]]) -> None:
    """Carry table and column descriptions over, so the snapshot documents itself too."""
    wanted = set(tables)
    for schema, table, comment in con.execute(
        "SELECT schema_name, table_name, comment FROM duckdb_tables() "
        "WHERE database_name = current_database() AND comment IS NOT NULL"
    ).fetchall():
        if (schema, table) in wanted:
            con.execute(f"COMMENT ON TABLE snapshot.{qualified(schema, table)} IS {_sql_string(comment)}")
    for schema, table, column, comment in con.execute(
        "SELECT schema_name, table_name, column_name, comment FROM duckdb_columns() "
        "WHERE database_name = current_database() AND comment IS NOT NULL"
    ).fetchall():
        if (schema, table) in wanted:
            con.execute(
                f"COMMENT ON COLUMN snapshot.{qualified(schema, table)}.{quote(column)} "
                f"IS {_sql_string(comment)}"
            )


def _prune(d: Path, keep_name: str) -> None:
    snapshots = sorted(d.glob("snapshot-*.duckdb"), key=lambda p: p.name, reverse=True)
    keep = {keep_name} | {p.name for p in snapshots[:KEEP]}
    for p in snapshots:
        if p.name not in keep:
            p.unlink(missing_ok=True)
