"""Writing published snapshots: what readers (the web app, export) see, never a half-finished run.

This module only writes; readers find the current snapshot through `metrikk.snapshot`.

Only `metrikk run`, `load`, `generate` and `ingest` write the warehouse file. At the end of each
successful write, `publish` writes the published schemas into a new, immutable DuckDB file beside
the warehouse and then atomically points `CURRENT` at it (DESIGN, "one writer"). Readers open that
snapshot read-only, so they never hold a lock the writer needs, and a run that fails or is killed
leaves the last published snapshot as it was.

A weekly run changes a few weeks of tables that hold years, so the new snapshot starts as a file
copy of the current one and only what changed is rewritten. What changed is found by
fingerprints: per block (a week in tables with `uke_start`, or `aar`/`uke`; the whole table
otherwise) the row count and the sum of the rows' 64-bit hashes, kept in the snapshot itself
(`metrikk_publisering.fingeravtrykk`). A block whose fingerprint differs is deleted and copied
again; a table whose columns changed, or most of whose blocks changed, is copied whole. Without
a previous snapshot (or with one from before fingerprints) every table is copied.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

from metrikk.snapshot import PUBLISHED_SCHEMAS, published_path, snapshot_dir
from metrikk.warehouse import connect, qualified, quote

log = logging.getLogger(__name__)

KEEP = 2  # snapshots kept on disk: the current one and the one before it (a reader may hold it)
FINGERPRINTS = ("metrikk_publisering", "fingeravtrykk")
# Past this share of changed rows a table is copied whole rather than block by block.
WHOLE_TABLE_SHARE = 0.5
# A reused snapshot with more free space than this share is written fresh (DuckDB files never
# shrink; a weekly patch frees a few per cent).
MAX_FREE_SHARE = 0.3


# What `publish` writes before a snapshot is complete: the temp file, its DuckDB WAL, the pointer.
_TEMP = re.compile(r"\.snapshot-\d{8}T\d{12}-\d+\.duckdb\.tmp(\.wal)?|\.CURRENT\.tmp")
_SNAPSHOT = re.compile(r"snapshot-(\d{8}T\d{12})-\d+\.duckdb(\.wal)?")


def remove_leftovers(warehouse: Path) -> list[Path]:
    """Delete what a publish killed half-way left in the snapshot folder; returns what went.

    Call only while holding the warehouse's writer lock: every publish runs under it, so no
    file removed here is being written. Removed are publish's own temp files (the half-written
    `.snapshot-<stamp>-<pid>.duckdb.tmp`, its `.wal`, `.CURRENT.tmp`) and a complete snapshot
    newer than the current one that the kill kept `CURRENT` from pointing at (no reader has
    opened it). The current snapshot and older ones (a reader may still hold one) stay.
    """
    d = snapshot_dir(warehouse)
    try:
        current = (d / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        current = None
    current_match = _SNAPSHOT.fullmatch(current or "")
    removed: list[Path] = []
    try:
        entries = list(d.iterdir())
    except OSError:
        return removed
    for p in entries:
        if p.is_symlink() or not p.is_file():
            continue
        leftover = bool(_TEMP.fullmatch(p.name))
        m = _SNAPSHOT.fullmatch(p.name)
        if m and current_match and not p.name.startswith(current):
            leftover = m.group(1) > current_match.group(1)
        if leftover:
            try:
                p.unlink()
                removed.append(p)
            except OSError as e:
                log.warning("could not remove leftover %s: %s", p, e)
    if removed:
        log.info(
            "removed leftovers of an interrupted publish: %s", ", ".join(p.name for p in removed)
        )
    return removed


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def publish(warehouse: Path, *, incremental: bool = True) -> Path:
    """Write the published schemas into a new snapshot and make it current; returns its path.

    `incremental=False` writes every table anew (the result is the same, only slower).
    """
    d = snapshot_dir(warehouse)
    d.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    name = f"snapshot-{stamp}-{os.getpid()}.duckdb"
    tmp = d / f".{name}.tmp"
    tmp.unlink(missing_ok=True)
    previous = published_path(warehouse) if incremental else None
    try:
        with connect(warehouse) as con:
            if previous is not None:
                shutil.copyfile(previous, tmp)
                if not _write_into(con, tmp, reuse=True):
                    tmp.unlink()
                    previous = None
            if previous is None:
                _write_into(con, tmp, reuse=False)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, d / name)
    pointer = d / ".CURRENT.tmp"
    pointer.write_text(name, encoding="utf-8")
    os.replace(pointer, d / "CURRENT")
    _prune(d, keep_name=name)
    return d / name


def _write_into(con, path: Path, *, reuse: bool) -> bool:
    """Write the snapshot file at `path` (a copy of the current one when `reuse`); False when
    the copy is not worth keeping: it has no fingerprints, or so much changed that much of the
    file would be free space (DuckDB files never shrink), so a fresh file is better."""
    con.execute(f"ATTACH {_sql_string(str(path))} AS snapshot")
    try:
        if reuse and not _columns(con, "'snapshot'", [FINGERPRINTS[0]]):
            return False
        _write(con, reuse=reuse)
        con.execute("CHECKPOINT snapshot")
        if reuse:
            total, free = con.execute(
                "SELECT total_blocks, free_blocks FROM pragma_database_size()"
                " WHERE database_name = 'snapshot'"
            ).fetchone()
            return free <= total * MAX_FREE_SHARE
        return True
    finally:
        con.execute("DETACH snapshot")


def _columns(con, catalog: str, schemas) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """{(schema, table or view): [(column, type), ...]} of the given catalog and schemas.

    From duckdb_columns(), which information_schema.columns is a view of: through the view the
    warehouse's catalog took ≈ 0.5 s a call (three calls per publish), directly ≈ 10 ms."""
    rows = con.execute(
        f"""
        SELECT schema_name, table_name, list(column_name ORDER BY column_index),
               list(data_type ORDER BY column_index)
        FROM duckdb_columns()
        WHERE database_name = {catalog}
          AND schema_name IN ({", ".join("?" for _ in schemas)})
        GROUP BY ALL
        """,
        list(schemas),
    ).fetchall()
    return {(s, t): list(zip(names, types, strict=True)) for s, t, names, types in rows}


def _described(con, objects) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """The columns and types a query of each object returns. information_schema keeps a view's
    types from when it was created, even after the table under it changed type."""
    return {
        (schema, table): [
            (r[0], r[1])
            for r in con.execute(f"DESCRIBE SELECT * FROM {qualified(schema, table)}").fetchall()
        ]
        for schema, table in objects
    }


def _block_keys(columns: list[tuple[str, str]]) -> list[str]:
    """The columns that decide a row's block: its week, or none for a table without weeks."""
    names = {c for c, _ in columns}
    if "uke_start" in names:
        return ["uke_start"]
    if {"aar", "uke"} <= names:
        return ["aar", "uke"]
    return []


def _block(columns: list[tuple[str, str]]) -> str:
    """The SQL of a row's block (its name): its week, or one block for a table without weeks."""
    keys = _block_keys(columns)
    if keys == ["uke_start"]:
        return "coalesce(CAST(uke_start AS VARCHAR), '-')"
    if keys == ["aar", "uke"]:
        return "coalesce(CAST(aar AS VARCHAR) || '-' || CAST(uke AS VARCHAR), '-')"
    return "'*'"


def _fingerprints(con, source: str, columns: list[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    """Rows and the sum of row hashes per block. Grouped by the block's own columns and named
    after grouping: the block's text for every row cost two thirds of the query (32 M rows)."""
    block, keys = _block(columns), _block_keys(columns)
    if not keys:
        rows = con.execute(
            f"SELECT {block}, count(*), sum(hash(t)::HUGEINT) FROM {source} AS t"
        ).fetchall()
        return {b: (int(n), int(h)) for b, n, h in rows if n}
    per_key = ", ".join(quote(k) for k in keys)
    # Summed again per block: (aar, uke) pairs with a NULL share the block '-'.
    rows = con.execute(
        f"SELECT b, sum(n), sum(h) FROM (SELECT {block} AS b, n, h FROM (SELECT {per_key}, "
        f"count(*) AS n, sum(hash(t)::HUGEINT) AS h FROM {source} AS t GROUP BY {per_key})) GROUP BY b"
    ).fetchall()
    return {b: (int(n), int(h)) for b, n, h in rows}


def _write(con, *, reuse: bool) -> None:
    """Make the attached `snapshot` hold exactly the warehouse's published schemas."""
    wanted = _described(con, _columns(con, "current_database()", PUBLISHED_SCHEMAS))
    have = _columns(con, "'snapshot'", PUBLISHED_SCHEMAS) if reuse else {}
    fp_schema, fp_table = FINGERPRINTS
    old_fp: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
    if reuse:
        for s, t, b, n, h in con.execute(
            f"SELECT schema_name, table_name, blokk, rader, sjekksum "
            f"FROM snapshot.{qualified(fp_schema, fp_table)}"
        ).fetchall():
            old_fp.setdefault((s, t), {})[b] = (int(n), int(h))

    for schema, table in sorted(set(have) - set(wanted)):
        con.execute(f"DROP TABLE snapshot.{qualified(schema, table)}")
    for schema in sorted({s for s, _ in wanted} - {s for s, _ in have}):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS snapshot.{quote(schema)}")

    new_fp: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
    for key in sorted(wanted):
        schema, table = key
        source, target = qualified(schema, table), f"snapshot.{qualified(schema, table)}"
        block = _block(wanted[key])
        fp = new_fp[key] = _fingerprints(con, source, wanted[key])
        # An empty table has no fingerprint rows: present with the same columns means {}.
        before = old_fp.get(key, {}) if have.get(key) == wanted[key] else None
        if before == fp:
            log.debug("publish %s.%s: unchanged", schema, table)
            continue
        changed = sorted(
            b for b in set(fp) | set(before or {}) if fp.get(b) != (before or {}).get(b)
        )
        total = sum(n for n, _ in fp.values())
        changed_rows = sum(fp[b][0] for b in changed if b in fp)
        if before is None or block == "'*'" or changed_rows > WHOLE_TABLE_SHARE * total:
            log.debug("publish %s.%s: whole table, %d rows", schema, table, total)
            con.execute(f"CREATE OR REPLACE TABLE {target} AS SELECT * FROM {source}")
            continue
        log.debug("publish %s.%s: %d blocks, %d rows", schema, table, len(changed), changed_rows)
        blocks = ", ".join(_sql_string(b) for b in changed)
        con.execute(f"DELETE FROM {target} WHERE {block} IN ({blocks})")
        con.execute(f"INSERT INTO {target} SELECT * FROM {source} WHERE {block} IN ({blocks})")

    con.execute(f"CREATE SCHEMA IF NOT EXISTS snapshot.{quote(fp_schema)}")
    con.execute(
        f"CREATE OR REPLACE TABLE snapshot.{qualified(fp_schema, fp_table)} ("
        "schema_name VARCHAR, table_name VARCHAR, blokk VARCHAR, rader BIGINT, sjekksum HUGEINT)"
    )
    rows = [(s, t, b, n, str(h)) for (s, t), fp in new_fp.items() for b, (n, h) in fp.items()]
    if rows:
        # One statement over five lists: executemany ran one INSERT per block, ≈ 3 s for the
        # ≈ 5 000 week blocks of every run (benchmarks/RESULTS.md). The sums travel as text,
        # since they outgrow a 64-bit parameter.
        con.execute(
            f"INSERT INTO snapshot.{qualified(fp_schema, fp_table)} "
            "SELECT s, t, b, n, CAST(h AS HUGEINT) FROM (SELECT unnest($1) AS s, unnest($2) AS t,"
            " unnest($3) AS b, unnest($4) AS n, unnest($5) AS h)",
            [list(c) for c in zip(*rows, strict=True)],
        )
    _copy_comments(con, list(wanted))


def _copy_comments(con, tables: list[tuple[str, str]]) -> None:
    """Carry table and column descriptions over, so the snapshot documents itself too."""
    wanted = set(tables)
    for schema, table, comment in con.execute(
        "SELECT schema_name, table_name, comment FROM duckdb_tables() "
        "WHERE database_name = current_database() AND comment IS NOT NULL"
    ).fetchall():
        if (schema, table) in wanted:
            con.execute(
                f"COMMENT ON TABLE snapshot.{qualified(schema, table)} IS {_sql_string(comment)}"
            )
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
