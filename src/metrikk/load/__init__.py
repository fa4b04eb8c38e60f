"""`metrikk load DIR`: contract files → landing tables, all or nothing.

Files are named `<schema>.<table>.<ext>` (ext: csv, parquet, jsonl). Every file is read into a
staging relation as text, each declared column is parsed strictly, and the first bad value
stops the load with a message naming the file, the line (row for Parquet) and the column. All
files are written in one transaction, so a failed load leaves the warehouse as it was.

This package: `files.py` finds and opens DIR's files, `staging.py` reads one into a staging
relation (and names the line and column when DuckDB refuses it), and this module parses every
declared column strictly and writes the tables in one `metrikk.warehouse.writing` transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from metrikk.catalog import Column
from metrikk.load.files import LoadError, Skipped, _close, _SourceFile, discover
from metrikk.load.staging import _first_line, _position, _stage
from metrikk.warehouse import (
    WarehouseBusy,
    existing_columns,
    qualified,
    quote,
    record_datasett,
    writing,
)

__all__ = ["LoadError", "LoadReport", "LoadResult", "Skipped", "discover", "load_directory"]

_ISO_TIMESTAMP = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?)?"
    r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)?"
)

# What a person is told a value should look like, per declared type.
EXPECTED = {
    "STRING": "tekst",
    "INT64": "et heltall",
    "FLOAT64": "et tall (med punktum som desimaltegn)",
    "BOOL": "true eller false",
    "DATE": "en dato (ÅÅÅÅ-MM-DD)",
    "TIMESTAMP": "et tidspunkt (ISO 8601, f.eks. 2024-03-01T08:15:00)",
    "JSON": "gyldig JSON",
}


@dataclass(frozen=True)
class LoadResult:
    table: str
    file: str
    rows: int
    extra_columns: tuple[str, ...]


@dataclass
class LoadReport:
    tables: list[LoadResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _text_parser(col: Column, v: str) -> str:
    """SQL that parses the text expression `v` strictly as `col`'s type; NULL when it does not parse."""
    t = f"trim({v})"
    match col.type:
        case "STRING":
            return v
        case "INT64":
            return (
                f"CASE WHEN regexp_full_match({t}, '[+-]?[0-9]+') THEN TRY_CAST({t} AS BIGINT) END"
            )
        case "FLOAT64":
            return (
                f"CASE WHEN regexp_full_match({t}, '[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?')"
                f" THEN TRY_CAST({t} AS DOUBLE) END"
            )
        case "BOOL":
            return (
                f"CASE lower({t}) WHEN 'true' THEN true WHEN 'false' THEN false "
                f"WHEN '1' THEN true WHEN '0' THEN false END"
            )
        case "DATE":
            return (
                f"CASE WHEN regexp_full_match({t}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}')"
                f" THEN TRY_CAST({t} AS DATE) END"
            )
        case "TIMESTAMP":
            return (
                f"CASE WHEN regexp_full_match({t}, '{_ISO_TIMESTAMP}')"
                f" THEN timezone('UTC', TRY_CAST(replace({t}, ',', '.') AS TIMESTAMPTZ)) END"
            )
        case "JSON":
            return f"CASE WHEN json_valid({v}) THEN {v} END"
    raise ValueError(f"unknown type {col.type}")


def _typed_parser(col: Column, v: str, source_type: str) -> str:
    """SQL that converts a typed (Parquet) column to `col`'s type; NULL when it cannot."""
    if source_type == "VARCHAR":
        return _text_parser(col, v)
    if col.type == "TIMESTAMP" and source_type.startswith("TIMESTAMP WITH TIME ZONE"):
        return f"timezone('UTC', {v})"
    if col.type == "JSON":
        return f"CAST(to_json({v}) AS VARCHAR)"
    if col.type == "INT64" and source_type in ("DOUBLE", "FLOAT"):
        return f"CASE WHEN {v} = round({v}) THEN CAST({v} AS BIGINT) END"
    return f"TRY_CAST({v} AS {col.duckdb_type})"


def _validate(con: duckdb.DuckDBPyConnection, src: _SourceFile, types: dict[str, str]) -> list[str]:
    """Check every declared column; return the SQL expressions that produce its typed values."""
    missing = [c.name for c in src.table.columns if c.required and c.name not in types]
    if missing:
        raise LoadError(
            f"{src.name}: mangler påkrevd kolonne "
            + ", ".join(missing)
            + f" (tabell {src.table.name})."
        )
    width = len(types) - 1  # without _rad
    exprs: list[str] = []
    for col in src.table.columns:
        if col.name not in types:
            exprs.append(f"CAST(NULL AS {col.duckdb_type})")
            continue
        v = quote(col.name)
        parsed = _typed_parser(col, v, types[col.name])
        bad = con.execute(
            f"""
            SELECT _rad, CAST({v} AS VARCHAR) FROM _metrikk_raw
            WHERE ({v} IS NULL AND ?) OR ({v} IS NOT NULL AND ({parsed}) IS NULL)
            ORDER BY _rad LIMIT 1
            """,
            [col.required],
        ).fetchone()
        if bad:
            rad, value = bad
            where = f"{src.name}, {_position(src, rad, width)}, kolonne {col.name}"
            if value is None:
                raise LoadError(f"{where}: verdi mangler, men kolonnen er påkrevd.")
            shown = value if len(value) <= 60 else value[:57] + "..."
            raise LoadError(f"{where}: «{shown}» er ikke {EXPECTED[col.type]}.")
        exprs.append(f"CAST({parsed} AS {col.duckdb_type})")
    return exprs


def _write(
    con: duckdb.DuckDBPyConnection,
    src: _SourceFile,
    types: dict[str, str],
    exprs: list[str],
    append: bool,
) -> LoadResult:
    t = src.table
    target = qualified(t.schema, t.table)
    declared = set(t.column_names)
    extras = [c for c in types if c != "_rad" and c not in declared]
    # An extra column an earlier load added is the same column whatever its case (DuckDB
    # compares column names without case).
    present = {c.lower(): c for c in existing_columns(con, t.schema, t.table)}
    try:
        for extra in extras:
            if extra.lower() not in present:
                con.execute(f"ALTER TABLE {target} ADD COLUMN {quote(extra)} {types[extra]}")
        if not append:
            con.execute(f"DELETE FROM {target}")
        names = [quote(c) for c in t.column_names] + [
            quote(present.get(c.lower(), c)) for c in extras
        ]
        values = exprs + [quote(c) for c in extras]
        con.execute(
            f"INSERT INTO {target} ({', '.join(names)}) SELECT {', '.join(values)} "
            f"FROM _metrikk_raw ORDER BY _rad"
        )
    except duckdb.Error as e:
        raise LoadError(
            f"{src.name}: kunne ikke skrives til {t.name} (DuckDB: {_first_line(e, src)}). "
            f"Har en ekstra kolonne fått en annen type enn ved en tidligere lasting?"
        ) from None
    (rows,) = con.execute("SELECT count(*) FROM _metrikk_raw").fetchone()
    record_datasett(con, t, syntetisk=False)
    return LoadResult(t.name, src.name, int(rows), tuple(extras))


def load_directory(
    warehouse: Path,
    directory: Path,
    *,
    append: bool = False,
    progress: Callable[[str], None] | None = None,
) -> LoadReport:
    """Load every contract file in `directory` in one transaction; raise LoadError on bad input."""
    files, skipped = discover(directory)
    try:
        tables = _load(warehouse, files, append, progress)
    except WarehouseBusy as e:
        raise LoadError(str(e)) from None
    finally:
        _close(files)
    return LoadReport(tables, skipped)


def _load(warehouse: Path, files: list[_SourceFile], append: bool, progress) -> list[LoadResult]:
    results: list[LoadResult] = []
    with writing(warehouse) as con:
        for src in files:
            if progress:
                progress(src.name)
            types = _stage(con, src)
            exprs = _validate(con, src, types)
            results.append(_write(con, src, types, exprs, append))
        con.execute("DROP TABLE IF EXISTS _metrikk_raw")
    return results
