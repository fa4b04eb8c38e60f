"""`metrikk export SCHEMA.TABLE`: one published table to CSV, Parquet or Excel."""

from __future__ import annotations

from pathlib import Path

from metrikk.warehouse import connect, qualified

FORMATS = ("csv", "parquet", "xlsx")
EXCEL_MAX_ROWS = 1_048_575  # one row is the header


class ExportError(Exception):
    """An export that cannot be made; the message is for a person (bokmål)."""


def _split(name: str) -> tuple[str, str]:
    parts = name.split(".")
    if len(parts) != 2 or not all(parts):
        raise ExportError(f"«{name}» er ikke på formen SCHEMA.TABELL, f.eks. tiltak_gold.uke_antall.")
    return parts[0], parts[1]


def export_table(warehouse: Path, name: str, fmt: str, out: Path) -> int:
    """Write table `name` to `out` in format `fmt`; returns the number of rows written."""
    if fmt not in FORMATS:
        raise ExportError(f"Ukjent format «{fmt}». Velg blant: {', '.join(FORMATS)}.")
    if not Path(warehouse).exists():
        raise ExportError(f"Fant ikke datavarehuset {warehouse}.")
    schema, table = _split(name)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with connect(warehouse, read_only=True) as con:
        found = con.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [schema, table],
        ).fetchone()
        if not found:
            raise ExportError(f"Fant ikke tabellen {schema}.{table} i {warehouse}.")
        source = qualified(schema, table)
        (rows,) = con.execute(f"SELECT count(*) FROM {source}").fetchone()
        target = str(out).replace("'", "''")
        if fmt == "csv":
            con.execute(f"COPY (SELECT * FROM {source}) TO '{target}' (FORMAT csv, HEADER true)")
        elif fmt == "parquet":
            con.execute(f"COPY (SELECT * FROM {source}) TO '{target}' (FORMAT parquet)")
        else:
            if rows > EXCEL_MAX_ROWS:
                raise ExportError(
                    f"{schema}.{table} har {rows} rader; Excel rommer {EXCEL_MAX_ROWS}. "
                    f"Bruk --format csv eller parquet."
                )
            cursor = con.execute(f"SELECT * FROM {source}")
            header = [d[0] for d in cursor.description]
            write_xlsx(out, table, header, _batched(cursor))
    return int(rows)


def _batched(cursor, size: int = 10_000):
    while batch := cursor.fetchmany(size):
        yield from batch


def write_xlsx(out: Path, sheet: str, header: list[str], rows) -> None:
    """Stream rows into an .xlsx file (openpyxl write-only mode keeps memory flat)."""
    from openpyxl import Workbook  # noqa: PLC0415

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet[:31] or "data")
    ws.append(header)
    for row in rows:
        ws.append([_excel_value(v) for v in row])
    wb.save(out)


def _excel_value(v):
    if isinstance(v, (list, dict, tuple)):
        return str(v)
    return v
