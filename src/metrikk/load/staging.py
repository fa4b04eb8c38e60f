"""Reading one contract file into a staging relation as text, and naming the line and column
when that fails.

DuckDB's own errors are never shown raw: a file DuckDB refuses is examined again in Python to
name the line and column (`_diagnose_csv`, `_diagnose_jsonl`, `_check_parquet`).
"""

from __future__ import annotations

import csv
import json
import os
import sys

import duckdb

from metrikk.load.files import LoadError, _SourceFile
from metrikk.warehouse import (
    quote,
)

# The longest CSV line / JSON lines object accepted (DuckDB's default for JSON objects).
MAX_LINE_BYTES = 16 * 1024 * 1024


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
