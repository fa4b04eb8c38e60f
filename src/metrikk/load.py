"""`metrikk load DIR`: contract files → landing tables, all or nothing.

Files are named `<schema>.<table>.<ext>` (ext: csv, parquet, jsonl). Every file is read into a
staging relation as text, each declared column is parsed strictly, and the first bad value
stops the load with a message naming the file, the line (row for Parquet) and the column. All
files are written in one transaction, so a failed load leaves the warehouse as it was.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb

from metrikk.catalog import Column, LandingTable, landing_tables
from metrikk.publish import publish
from metrikk.warehouse import (
    WarehouseBusy,
    connect,
    create_layout,
    existing_columns,
    qualified,
    quote,
    record_datasett,
    writer_lock,
)

FORMATS = ("csv", "parquet", "jsonl")

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


class LoadError(Exception):
    """A file that cannot be loaded; the message names file, line/row and column in bokmål."""


@dataclass(frozen=True)
class LoadResult:
    table: str
    file: str
    rows: int
    extra_columns: tuple[str, ...]


@dataclass(frozen=True)
class _SourceFile:
    path: Path
    table: LandingTable
    fmt: str


def _text_parser(col: Column, v: str) -> str:
    """SQL that parses the text expression `v` strictly as `col`'s type; NULL when it does not parse."""
    t = f"trim({v})"
    match col.type:
        case "STRING":
            return v
        case "INT64":
            return f"CASE WHEN regexp_full_match({t}, '[+-]?[0-9]+') THEN TRY_CAST({t} AS BIGINT) END"
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
    if col.type == "INT64" and source_type in ("DOUBLE", "FLOAT") :
        return f"CASE WHEN {v} = round({v}) THEN CAST({v} AS BIGINT) END"
    return f"TRY_CAST({v} AS {col.duckdb_type})"


def discover(directory: Path) -> list[_SourceFile]:
    """Every loadable file in `directory`, or a LoadError naming the first file that is not."""
    if not directory.is_dir():
        raise LoadError(f"Fant ikke katalogen {directory}.")
    tables = landing_tables()
    files: list[_SourceFile] = []
    seen: dict[str, Path] = {}
    for path in sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith(".")):
        parts = path.name.split(".")
        if len(parts) != 3 or parts[2] not in FORMATS:
            raise LoadError(
                f"{path.name}: ukjent filnavn. Forventet <schema>.<tabell>.<csv|parquet|jsonl>, "
                f"f.eks. tiltak_bronze.deltaker.csv."
            )
        name = f"{parts[0]}.{parts[1]}"
        if name not in tables:
            raise LoadError(
                f"{path.name}: ukjent tabell {name}. Kjente tabeller: "
                + ", ".join(sorted(tables))
                + "."
            )
        if name in seen:
            raise LoadError(f"{path.name}: tabellen {name} har allerede en fil ({seen[name].name}).")
        seen[name] = path
        files.append(_SourceFile(path, tables[name], parts[2]))
    if not files:
        raise LoadError(f"Fant ingen filer å laste i {directory}.")
    return files


def _csv_line_of_record(path: Path, record: int) -> int:
    """The physical line where data record number `record` (1-based) starts."""
    with path.open(newline="", encoding="utf-8", errors="replace") as f:
        reader = csv.reader(f)
        next(reader, None)  # header
        line = reader.line_num
        for i, _ in enumerate(reader, start=1):
            if i == record:
                return line + 1
            line = reader.line_num
    return record + 1


def _stage(con: duckdb.DuckDBPyConnection, src: _SourceFile) -> dict[str, str]:
    """Read a file into temp table `_metrikk_raw` with a `_rad` column; return its column types."""
    p = str(src.path).replace("'", "''")
    con.execute("DROP TABLE IF EXISTS _metrikk_raw")
    try:
        if src.fmt == "csv":
            con.execute(
                f"""
                CREATE TEMP TABLE _metrikk_raw AS
                SELECT row_number() OVER () AS _rad, *
                FROM read_csv('{p}', header = true, all_varchar = true, delim = ',',
                              quote = '"', escape = '"',
                              strict_mode = true, null_padding = false)
                """
            )
        elif src.fmt == "parquet":
            con.execute(
                f"CREATE TEMP TABLE _metrikk_raw AS "
                f"SELECT row_number() OVER () AS _rad, * FROM read_parquet('{p}')"
            )
        else:
            con.execute(
                f"""
                CREATE TEMP TABLE _metrikk_json AS
                SELECT row_number() OVER () AS _rad, json
                FROM read_ndjson_objects('{p}')
                """
            )
            keys = [
                r[0]
                for r in con.execute(
                    "SELECT DISTINCT unnest(json_keys(json)) FROM _metrikk_json ORDER BY 1"
                ).fetchall()
            ]
            declared = {c.name: c for c in src.table.columns}
            cols = []
            for k in keys:
                path_ = "$." + '"' + k.replace('"', '\\"') + '"'
                path_sql = path_.replace("'", "''")
                if k in declared and declared[k].type == "JSON":
                    expr = (
                        f"CASE WHEN json_type(json, '{path_sql}') = 'VARCHAR' "
                        f"THEN json_extract_string(json, '{path_sql}') "
                        f"WHEN json_type(json, '{path_sql}') = 'NULL' THEN NULL "
                        f"ELSE CAST(json_extract(json, '{path_sql}') AS VARCHAR) END"
                    )
                else:
                    expr = f"json_extract_string(json, '{path_sql}')"
                cols.append(f"{expr} AS {quote(k)}")
            con.execute(
                "CREATE TEMP TABLE _metrikk_raw AS SELECT _rad"
                + "".join(", " + c for c in cols)
                + " FROM _metrikk_json"
            )
            con.execute("DROP TABLE _metrikk_json")
    except duckdb.Error as e:
        raise LoadError(f"{src.path.name}: kunne ikke leses som {src.fmt.upper()}: {e}") from e
    return {r[0]: r[1] for r in con.execute("DESCRIBE _metrikk_raw").fetchall()}


def _position(src: _SourceFile, rad: int) -> str:
    if src.fmt == "csv":
        return f"linje {_csv_line_of_record(src.path, rad)}"
    if src.fmt == "jsonl":
        return f"linje {rad}"
    return f"rad {rad}"


def _validate(con: duckdb.DuckDBPyConnection, src: _SourceFile, types: dict[str, str]) -> list[str]:
    """Check every declared column; return the SQL expressions that produce its typed values."""
    missing = [c.name for c in src.table.columns if c.required and c.name not in types]
    if missing:
        raise LoadError(
            f"{src.path.name}: mangler påkrevd kolonne "
            + ", ".join(missing)
            + f" (tabell {src.table.name})."
        )
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
            where = f"{src.path.name}, {_position(src, rad)}, kolonne {col.name}"
            if value is None:
                raise LoadError(f"{where}: verdi mangler, men kolonnen er påkrevd.")
            shown = value if len(value) <= 60 else value[:57] + "..."
            raise LoadError(f"{where}: «{shown}» er ikke {EXPECTED[col.type]}.")
        exprs.append(f"CAST({parsed} AS {col.duckdb_type})")
    return exprs


def _write(
    con: duckdb.DuckDBPyConnection, src: _SourceFile, types: dict[str, str], exprs: list[str], append: bool
) -> LoadResult:
    t = src.table
    target = qualified(t.schema, t.table)
    declared = set(t.column_names)
    extras = [c for c in types if c != "_rad" and c not in declared]
    present = set(existing_columns(con, t.schema, t.table))
    for extra in extras:
        if extra not in present:
            con.execute(f"ALTER TABLE {target} ADD COLUMN {quote(extra)} {types[extra]}")
    if not append:
        con.execute(f"DELETE FROM {target}")
    names = [quote(c) for c in t.column_names] + [quote(c) for c in extras]
    values = exprs + [quote(c) for c in extras]
    con.execute(
        f"INSERT INTO {target} ({', '.join(names)}) SELECT {', '.join(values)} "
        f"FROM _metrikk_raw ORDER BY _rad"
    )
    (rows,) = con.execute("SELECT count(*) FROM _metrikk_raw").fetchone()
    record_datasett(con, t, syntetisk=False)
    return LoadResult(t.name, src.path.name, int(rows), tuple(extras))


def load_directory(warehouse: Path, directory: Path, *, append: bool = False, progress=None) -> list[LoadResult]:
    """Load every contract file in `directory` in one transaction; raise LoadError on bad input."""
    files = discover(directory)
    results: list[LoadResult] = []
    try:
        with writer_lock(warehouse):
            results = _load(warehouse, files, append, progress)
    except WarehouseBusy as e:
        raise LoadError(str(e)) from None
    return results


def _load(warehouse: Path, files: list[_SourceFile], append: bool, progress) -> list[LoadResult]:
    results: list[LoadResult] = []
    with connect(warehouse) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            create_layout(con)
            for src in files:
                if progress:
                    progress(src.path.name)
                types = _stage(con, src)
                exprs = _validate(con, src, types)
                results.append(_write(con, src, types, exprs, append))
            con.execute("DROP TABLE IF EXISTS _metrikk_raw")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    publish(warehouse)
    return results
