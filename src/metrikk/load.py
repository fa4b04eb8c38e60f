"""`metrikk load DIR`: contract files → landing tables, all or nothing.

Files are named `<schema>.<table>.<ext>` (ext: csv, parquet, jsonl). Every file is read into a
staging relation as text, each declared column is parsed strictly, and the first bad value
stops the load with a message naming the file, the line (row for Parquet) and the column. All
files are written in one transaction, so a failed load leaves the warehouse as it was.

DIR is taken literally: only its own entries are read, each regular file is opened once and
DuckDB reads it through that open descriptor (`/proc/self/fd/N`), so glob characters in a path
never reach DuckDB's globbing and a file cannot be swapped between the checks and the read.
DuckDB's own errors are never shown raw: a file DuckDB refuses is examined again in Python to
name the line and column (`_diagnose_csv`, `_diagnose_jsonl`, `_check_parquet`).
"""

from __future__ import annotations

import csv
import json
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from metrikk.catalog import Column, LandingTable, landing_tables
from metrikk.warehouse import (
    WarehouseBusy,
    existing_columns,
    qualified,
    quote,
    record_datasett,
    writing,
)

FORMATS = ("csv", "parquet", "jsonl")
# The longest CSV line / JSON lines object accepted (DuckDB's default for JSON objects).
MAX_LINE_BYTES = 16 * 1024 * 1024

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
class Skipped:
    """An entry of DIR that was not loaded, and why (hidden files: tool metadata, not data)."""

    name: str
    reason: str


@dataclass
class LoadReport:
    tables: list[LoadResult] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True)
class _SourceFile:
    path: Path  # as found in DIR; messages use its name
    table: LandingTable
    fmt: str
    fd: int  # opened once by `discover`; DuckDB and the diagnostics read through it

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def source(self) -> str:
        """The path DuckDB reads: the open descriptor, never a path DuckDB could glob."""
        return _fd_path(self.fd)

    def open_text(self):
        """The file as text for the diagnostics: UTF-8 (a BOM is dropped), bad bytes kept as
        surrogates so they can be found, newlines untranslated (the csv module wants that)."""
        return open(self.source, encoding="utf-8-sig", errors="surrogateescape", newline="")  # noqa: SIM115

    def open_bytes(self):
        return open(self.source, "rb")  # noqa: SIM115


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


def _fd_path(fd: int) -> str:
    for base in ("/proc/self/fd", "/dev/fd"):
        if os.path.isdir(base):
            return f"{base}/{fd}"
    raise LoadError(
        "Denne plattformen har verken /proc/self/fd eller /dev/fd; metrikk load trenger en av dem."
    )


def _entry_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "en katalog"
    if stat.S_ISFIFO(mode):
        return "et navngitt rør (FIFO)"
    if stat.S_ISSOCK(mode):
        return "en socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "en enhetsfil"
    return "en spesialfil"


def _unreadable(what: str, e: OSError) -> LoadError:
    if isinstance(e, PermissionError):
        return LoadError(f"{what}: mangler lesetilgang.")
    return LoadError(f"{what}: kunne ikke åpnes ({e.strerror or e}).")


def discover(directory: Path) -> tuple[list[_SourceFile], list[Skipped]]:
    """Every loadable file directly in `directory` (opened), and the hidden entries skipped;
    a LoadError names the first entry that cannot be loaded. Nothing is skipped silently."""
    try:
        st = directory.stat()
    except OSError:
        st = None
    if st is None or not stat.S_ISDIR(st.st_mode):
        raise LoadError(f"Fant ikke katalogen {directory}.")
    root = directory.resolve()
    tables = landing_tables()
    files: list[_SourceFile] = []
    skipped: list[Skipped] = []
    seen: dict[str, Path] = {}
    try:
        entries = sorted(directory.iterdir(), key=lambda p: p.name)
    except OSError as e:
        raise _unreadable(f"Katalogen {directory}", e) from None
    try:
        for path in entries:
            if path.name.startswith("."):
                skipped.append(
                    Skipped(path.name, "skjult fil eller katalog (navnet starter med punktum)")
                )
                continue
            lst = path.lstat()
            if stat.S_ISLNK(lst.st_mode):
                target = path.resolve()
                if not target.is_relative_to(root):
                    raise LoadError(
                        f"{path.name}: er en symbolsk lenke til {target}, som ligger utenfor {directory}. "
                        f"Legg selve filen i katalogen."
                    )
                if not target.exists():
                    raise LoadError(
                        f"{path.name}: er en symbolsk lenke til {target}, som ikke finnes."
                    )
            checked = path.stat()
            mode = checked.st_mode
            if not stat.S_ISREG(mode):
                raise LoadError(
                    f"{path.name}: er {_entry_kind(mode)}, ikke en fil. metrikk load leser bare vanlige "
                    f"filer direkte i {directory}"
                    + (
                        " (en Parquet-katalog må skrives som én fil)."
                        if stat.S_ISDIR(mode)
                        else "."
                    )
                )
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
                raise LoadError(
                    f"{path.name}: tabellen {name} har allerede en fil ({seen[name].name})."
                )
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            except OSError as e:
                raise _unreadable(path.name, e) from None
            files.append(_SourceFile(path, tables[name], parts[2], fd))
            opened = os.fstat(fd)
            if (opened.st_dev, opened.st_ino) != (checked.st_dev, checked.st_ino):
                raise LoadError(f"{path.name}: ble byttet ut mens katalogen ble lest. Prøv igjen.")
            seen[name] = path
    except BaseException:
        _close(files)
        raise
    if not files:
        raise LoadError(
            f"Fant ingen filer å laste i {directory}."
            + (f" Hoppet over: {', '.join(s.name for s in skipped)}." if skipped else "")
        )
    return files, skipped


def _close(files: list[_SourceFile]) -> None:
    for f in files:
        try:
            os.close(f.fd)
        except OSError:
            pass


def _is_blank_record(record: list[str], width: int) -> bool:
    """DuckDB skips an empty line, except in a one-column file, where it is a null value."""
    return not record and width > 1


def _csv_line_of_record(src: _SourceFile, record: int, width: int) -> int:
    """The physical line where data record number `record` (1-based, as DuckDB counts) starts."""
    with src.open_text() as f, _big_fields():
        reader = csv.reader(f)
        next(reader, None)  # header
        i = 0
        while True:
            start = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            if _is_blank_record(row, width):
                continue
            i += 1
            if i == record:
                return start
    return record + 1


def _jsonl_line_of_record(src: _SourceFile, record: int) -> int:
    """The physical line of JSON lines object number `record` (DuckDB skips blank lines)."""
    i = 0
    with src.open_bytes() as f:
        for line_no, line in enumerate(f, start=1):
            if line.strip(b" \t\r\n"):
                i += 1
                if i == record:
                    return line_no
    return record


def _first_line(e: BaseException, src: _SourceFile | None = None) -> str:
    """DuckDB's first line, for the rare failure no check explains (with the file's own name)."""
    text = str(e).strip().splitlines()
    line = text[0] if text else type(e).__name__
    return line.replace(src.source, src.name) if src is not None else line


class _big_fields:
    """Let the csv module read fields of any size (its default stops at 128 KiB)."""

    def __enter__(self) -> None:
        self.old = csv.field_size_limit()
        csv.field_size_limit(sys.maxsize)

    def __exit__(self, *exc: object) -> None:
        csv.field_size_limit(self.old)


def _has_bad_bytes(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _bad_byte(text: str) -> str:
    for ch in text:
        if "\udc80" <= ch <= "\udcff":
            return f"0x{ord(ch) - 0xDC00:02X}"
    return "?"


_NOT_UTF8 = (
    "er ikke UTF-8 (byte {byte}). Lagre filen som UTF-8; den ser ut til å være lagret som "
    "Latin-1/Windows-1252."
)


def _check_header(src: _SourceFile, names: list[str]) -> None:
    """Column names must be unique, also ignoring case (DuckDB does), and not empty."""
    seen: dict[str, str] = {}
    for i, name in enumerate(names, start=1):
        if not name.strip():
            raise LoadError(f"{src.name}: kolonne {i} har ikke noe navn.")
        if name.lower() == "_rad":
            raise LoadError(
                f"{src.name}: kolonnenavnet «{name}» er reservert av metrikk load. Gi kolonnen et annet navn."
            )
        key = name.lower()
        if key in seen:
            other = seen[key]
            if other == name:
                raise LoadError(
                    f"{src.name}: kolonnen «{name}» finnes to ganger. Gi kolonnene ulike navn."
                )
            raise LoadError(
                f"{src.name}: kolonnene «{other}» og «{name}» har samme navn når store og små "
                f"bokstaver ikke skilles (det gjør de ikke i datavarehuset). Gi kolonnene ulike navn."
            )
        seen[key] = name
    declared = {c.name.lower(): c.name for c in src.table.columns}
    for name in names:
        want = declared.get(name.lower())
        if want is not None and want != name:
            raise LoadError(
                f"{src.name}: kolonnen «{name}» heter «{want}» i {src.table.name}. Skriv navnet nøyaktig slik."
            )


def _csv_header(src: _SourceFile) -> list[str]:
    with src.open_text() as f, _big_fields():
        reader = csv.reader(f, strict=True)
        try:
            header = next(reader, None)
        except csv.Error:
            raise LoadError(
                f"{src.name}, linje 1: overskriften har anførselstegn som ikke er lukket."
            ) from None
    if not header:
        raise LoadError(f"{src.name}: filen er tom. Første linje må være kolonnenavnene.")
    header = [name.strip(" \t") for name in header]  # as DuckDB's own header reading did
    for name in header:
        if _has_bad_bytes(name):
            raise LoadError(
                f"{src.name}, linje 1: overskriften " + _NOT_UTF8.format(byte=_bad_byte(name))
            )
    _check_header(src, header)
    return header


def _diagnose_csv(src: _SourceFile, header: list[str], error: BaseException) -> LoadError:
    """Why DuckDB could not read a CSV file, found by reading it again with Python's csv."""
    width = len(header)
    with _big_fields():
        with src.open_text() as f:
            reader = csv.reader(f, strict=True)
            next(reader, None)
            while True:
                start = reader.line_num + 1
                try:
                    record = next(reader, None)
                except csv.Error:
                    return LoadError(
                        f"{src.name}, linje {start}: et felt har anførselstegn som ikke er lukket eller "
                        f"står midt i feltet. Et felt med komma, anførselstegn eller linjeskift skal stå "
                        f'i anførselstegn, og anførselstegn i det skrives dobbelt ("").'
                    )
                if record is None:
                    break
                if _is_blank_record(record, width):
                    continue
                for i, value in enumerate(record):
                    if _has_bad_bytes(value):
                        column = header[i] if i < width else f"felt {i + 1}"
                        return LoadError(
                            f"{src.name}, linje {start}, kolonne {column}: teksten "
                            + _NOT_UTF8.format(byte=_bad_byte(value))
                        )
                if len(record) != width:
                    many = len(record) > width
                    return LoadError(
                        f"{src.name}, linje {start}: for {'mange' if many else 'få'} felt "
                        f"({len(record)}; overskriften har {width})."
                        + (" Et felt med komma må stå i anførselstegn." if many else "")
                    )
                size = sum(len(v.encode("utf-8", "surrogateescape")) for v in record) + width
                if size > MAX_LINE_BYTES:
                    i = max(range(width), key=lambda k: len(record[k]))
                    return LoadError(
                        f"{src.name}, linje {start}, kolonne {header[i]}: linjen er på "
                        f"{size / 1024 / 1024:.1f} MB; en linje kan være høyst "
                        f"{MAX_LINE_BYTES // 1024 // 1024} MB."
                    )
    mixed = _mixed_line_ending(src)
    if mixed:
        return LoadError(
            f"{src.name}, linje {mixed}: linjeskiftet er et annet enn på linje 1 (filen blander "
            f"CRLF og LF). Lagre filen med én type linjeskift."
        )
    return LoadError(
        f"{src.name}: kunne ikke leses som CSV. Sjekk at filen er UTF-8 med komma som skilletegn "
        f"og samme antall felt på hver linje (DuckDB: {_first_line(error, src)})."
    )


def _mixed_line_ending(src: _SourceFile) -> int | None:
    """The first line ending otherwise than line 1 (CRLF vs LF), or None."""
    with src.open_bytes() as f:
        crlf = None
        for line_no, line in enumerate(f, start=1):
            if not line.endswith(b"\n"):
                break
            this = line.endswith(b"\r\n")
            if crlf is None:
                crlf = this
            elif this != crlf:
                return line_no
    return None


def _diagnose_jsonl(src: _SourceFile, error: BaseException) -> LoadError:
    """Why DuckDB could not read a JSON lines file: the first line that is not UTF-8 or not JSON."""
    with src.open_bytes() as f:
        for line_no, raw in enumerate(f, start=1):
            if len(raw) > MAX_LINE_BYTES:
                return LoadError(
                    f"{src.name}, linje {line_no}: linjen er på {len(raw) / 1024 / 1024:.1f} MB; "
                    f"en linje kan være høyst {MAX_LINE_BYTES // 1024 // 1024} MB."
                )
            text = raw.decode("utf-8", "surrogateescape")
            if _has_bad_bytes(text):
                return LoadError(
                    f"{src.name}, linje {line_no}: teksten "
                    + _NOT_UTF8.format(byte=_bad_byte(text))
                )
            if not text.strip(" \t\r\n"):
                continue
            try:
                json.loads(text)
            except json.JSONDecodeError as e:
                return LoadError(
                    f"{src.name}, linje {line_no}: ugyldig JSON ved tegn {e.colno}. "
                    f"Hver linje må være ett JSON-objekt."
                )
    return LoadError(
        f"{src.name}: kunne ikke leses som JSON lines (DuckDB: {_first_line(error, src)})."
    )


def _check_parquet(src: _SourceFile) -> None:
    """A Parquet file must be complete and its column names unique (also ignoring case)."""
    # lazy: only Parquet files need pyarrow, which is slow to import
    import pyarrow.parquet as pq

    size = os.fstat(src.fd).st_size
    if size == 0:
        raise LoadError(f"{src.name}: filen er tom (0 byte), ikke en Parquet-fil.")
    with src.open_bytes() as f:
        f.seek(max(0, size - 4))
        tail = f.read(4)
    if size < 12 or tail != b"PAR1":
        raise LoadError(
            f"{src.name}: er ikke en hel Parquet-fil (slutter ikke med Parquet-signaturen). "
            f"Er den avkortet, eller skrevet i et annet format?"
        )
    try:
        names = pq.ParquetFile(src.source).schema_arrow.names
    except Exception as e:  # noqa: BLE001 - any pyarrow failure means a broken file
        raise LoadError(
            f"{src.name}: kunne ikke leses som Parquet ({_first_line(e, src)})."
        ) from None
    _check_header(src, names)


def _stage(con: duckdb.DuckDBPyConnection, src: _SourceFile) -> dict[str, str]:
    """Read a file into temp table `_metrikk_raw` with a `_rad` column; return its column types."""
    p = src.source.replace("'", "''")
    con.execute("DROP TABLE IF EXISTS _metrikk_raw")
    if src.fmt == "csv":
        header = _csv_header(src)
        names = "[" + ", ".join("'" + n.replace("'", "''") + "'" for n in header) + "]"
        try:
            # Every dialect option is fixed, so DuckDB's sniffer cannot take a data line for the
            # header, skip lines or treat '#' as a comment; `names` are the header as written.
            con.execute(
                f"""
                CREATE TEMP TABLE _metrikk_raw AS
                SELECT row_number() OVER () AS _rad, *
                FROM read_csv('{p}', header = true, names = {names}, all_varchar = true,
                              delim = ',', quote = '"', escape = '"', comment = '', skip = 0,
                              strict_mode = true, null_padding = false,
                              max_line_size = {MAX_LINE_BYTES})
                """
            )
        except duckdb.Error as e:
            raise _diagnose_csv(src, header, e) from None
    elif src.fmt == "parquet":
        _check_parquet(src)
        try:
            con.execute(
                f"CREATE TEMP TABLE _metrikk_raw AS "
                f"SELECT row_number() OVER () AS _rad, * FROM read_parquet('{p}')"
            )
        except duckdb.Error as e:
            raise LoadError(
                f"{src.name}: kunne ikke leses som Parquet (DuckDB: {_first_line(e, src)})."
            ) from None
    else:
        _stage_jsonl(con, src, p)
    return {r[0]: r[1] for r in con.execute("DESCRIBE _metrikk_raw").fetchall()}


def _stage_jsonl(con: duckdb.DuckDBPyConnection, src: _SourceFile, p: str) -> None:
    try:
        con.execute(
            f"""
            CREATE TEMP TABLE _metrikk_json AS
            SELECT row_number() OVER () AS _rad, json
            FROM read_ndjson_objects('{p}', maximum_object_size = {MAX_LINE_BYTES})
            """
        )
    except duckdb.Error as e:
        raise _diagnose_jsonl(src, e) from None
    try:
        bad = con.execute(
            "SELECT _rad, json_type(json) FROM _metrikk_json WHERE json_type(json) <> 'OBJECT' "
            "ORDER BY _rad LIMIT 1"
        ).fetchone()
        if bad:
            raise LoadError(
                f"{src.name}, linje {_jsonl_line_of_record(src, bad[0])}: er ikke et JSON-objekt. "
                f'Hver linje må være ett objekt {{"kolonne": verdi, …}}.'
            )
        dup = con.execute(
            "SELECT _rad FROM _metrikk_json "
            "WHERE len(json_keys(json)) <> len(list_distinct(list_transform(json_keys(json), k -> lower(k)))) "
            "ORDER BY _rad LIMIT 1"
        ).fetchone()
        if dup:
            line = _jsonl_line_of_record(src, dup[0])
            (keys,) = con.execute(
                "SELECT json_keys(json) FROM _metrikk_json WHERE _rad = ?", [dup[0]]
            ).fetchone()
            try:
                _check_header(src, list(keys))
            except LoadError as e:
                raise LoadError(
                    str(e).replace(f"{src.name}:", f"{src.name}, linje {line}:", 1)
                ) from None
        keys = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT unnest(json_keys(json)) FROM _metrikk_json ORDER BY 1"
            ).fetchall()
        ]
        _check_header(src, keys)
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
    except duckdb.Error as e:
        raise LoadError(
            f"{src.name}: kunne ikke leses som JSON lines (DuckDB: {_first_line(e, src)})."
        ) from None
    finally:
        con.execute("DROP TABLE IF EXISTS _metrikk_json")


def _position(src: _SourceFile, rad: int, width: int) -> str:
    if src.fmt == "csv":
        return f"linje {_csv_line_of_record(src, rad, width)}"
    if src.fmt == "jsonl":
        return f"linje {_jsonl_line_of_record(src, rad)}"
    return f"rad {rad}"


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
