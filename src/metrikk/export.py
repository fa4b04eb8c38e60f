"""`metrikk export SCHEMA.TABLE`: one published table to CSV, Parquet or Excel.

Export reads the published snapshot (`metrikk.snapshot.published_path`), exactly what the web app
shows, never the live warehouse: it works while a run writes, takes no lock and cannot reach
what is not published (landing tables with NAV idents, `*_int` helpers, SQLMesh's state). It
never creates a warehouse and never overwrites a file unless asked to (`force`). CSV and Excel
go through `metrikk.tablefile`, so text that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from metrikk.snapshot import PUBLISHED_SCHEMAS, published_path, snapshot_dir
from metrikk.tablefile import csv_safe_sql, write_xlsx
from metrikk.warehouse import connect, qualified, quote

FORMATS = ("csv", "parquet", "xlsx")
EXCEL_MAX_ROWS = 1_048_575  # one row is the header
# Types whose CSV text is a number, a truth value or a time, never a formula; every other
# column (text, JSON, enums, lists, structs) is written as neutralised text.
_PLAIN_TYPES = re.compile(
    r"(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL.*|BOOLEAN|DATE|TIME.*|INTERVAL|UUID)"
)


class ExportError(Exception):
    """An export that cannot be made; the message is for a person (bokmål)."""


def _split(name: str) -> tuple[str, str]:
    parts = name.split(".")
    if len(parts) != 2 or not all(parts):
        raise ExportError(
            f"«{name}» er ikke på formen SCHEMA.TABELL, f.eks. tiltak_gold.uke_antall."
        )
    return parts[0], parts[1]


def _refused(schema: str, table: str) -> ExportError:
    return ExportError(
        f"{schema}.{table} kan ikke eksporteres. Bare de publiserte skjemaene kan det: "
        + ", ".join(PUBLISHED_SCHEMAS)
        + ". De andre holder rådata med NAV-identer og navn (landingstabellene), metrikks "
        "mellomregninger (*_int) eller SQLMeshs tilstand, og deles ikke."
    )


def export_table(warehouse: Path, name: str, fmt: str, out: Path, *, force: bool = False) -> int:
    """Write published table `name` to `out` in format `fmt`; returns the number of rows written."""
    if fmt not in FORMATS:
        raise ExportError(f"Ukjent format «{fmt}». Velg blant: {', '.join(FORMATS)}.")
    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise ExportError(
            f"Fant ikke datavarehuset {warehouse}. Sjekk --warehouse (eller METRIKK_WAREHOUSE)."
        )
    schema, table = _split(name)
    if schema not in PUBLISHED_SCHEMAS:
        raise _refused(schema, table)
    snapshot = published_path(warehouse)
    if snapshot is None:
        raise ExportError(
            f"Ingenting er publisert fra {warehouse} ennå. Kjør «metrikk run» (eller load/generate) først."
        )
    out = Path(out)
    resolved = out.resolve()
    if resolved == warehouse.resolve() or resolved.is_relative_to(snapshot_dir(warehouse)):
        raise ExportError(
            f"--out {out} er datavarehuset selv eller en av de publiserte filene. Velg en annen fil."
        )
    if out.is_dir():
        raise ExportError(f"{out} er en katalog. Oppgi filen som skal skrives med --out.")
    if (out.exists() or out.is_symlink()) and not force:
        raise ExportError(f"{out} finnes allerede. Bruk --force for å skrive over den.")
    with connect(snapshot, read_only=True) as con:
        columns = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
            [schema, table],
        ).fetchall()
        if not columns:
            raise ExportError(
                f"Fant ikke tabellen {schema}.{table} blant de publiserte dataene fra {warehouse}."
            )
        source = qualified(schema, table)
        (rows,) = con.execute(f"SELECT count(*) FROM {source}").fetchone()
        if fmt == "xlsx" and rows > EXCEL_MAX_ROWS:
            raise ExportError(
                f"{schema}.{table} har {rows} rader; Excel rommer {EXCEL_MAX_ROWS}. "
                f"Bruk --format csv eller parquet."
            )
        with _replacing(out) as target:
            if fmt == "parquet":
                con.execute(
                    f"COPY (SELECT * FROM {source}) TO {_sql_string(target)} (FORMAT parquet)"
                )
            elif fmt == "csv":
                select = ", ".join(
                    quote(c)
                    if _PLAIN_TYPES.fullmatch(t)
                    else f"{csv_safe_sql(f'CAST({quote(c)} AS VARCHAR)')} AS {quote(c)}"
                    for c, t in columns
                )
                con.execute(
                    f"COPY (SELECT {select} FROM {source}) TO {_sql_string(target)} (FORMAT csv, HEADER true)"
                )
            else:
                cursor = con.execute(f"SELECT * FROM {source}")
                header = [d[0] for d in cursor.description]
                write_xlsx(target, table, header, _batched(cursor))
    return int(rows)


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class _replacing:
    """Write into a temp file beside `out` and move it into place only when complete, so a
    failed export never leaves half a file (or destroys the old one). A target that exists and
    is not a regular file (/dev/null, a FIFO) is written directly."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.direct = out.exists() and not out.is_file()
        # Ends in the target's own name, so DuckDB still compresses `ut.csv.gz` by its extension.
        self.tmp = out.with_name(f".tmp-{os.getpid()}-{out.name}")

    def __enter__(self) -> str:
        if self.direct:
            return str(self.out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        return str(self.tmp)

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.direct:
            return
        if exc_type is None:
            os.replace(self.tmp, self.out)
        else:
            self.tmp.unlink(missing_ok=True)


def _batched(cursor, size: int = 10_000):
    while batch := cursor.fetchmany(size):
        yield from batch
