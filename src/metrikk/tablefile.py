"""Tables written as CSV and Excel files that are safe to open in a spreadsheet.

One module for every file metrikk hands to a person: `metrikk export` and the API's
`format=csv|xlsx` exports both write through here, so both neutralise formulas the same way.

Formula injection (OWASP, "CSV Injection"): a spreadsheet runs a cell that starts with `=`, `+`,
`-` or `@` (and tab or CR, which some spreadsheets strip first) as a formula, e.g.
`=HYPERLINK("http://…","Klikk")` from a filter value or a name in the data. So:

- CSV: a *text* cell starting with one of those characters gets a leading `'`, which
  spreadsheets show as text. Numbers are never touched: a number column's -3 stays -3.
- Excel: every text cell is stored as a string (never as a formula or an error code) and one
  that starts with those characters also gets Excel's "quote prefix" style, so editing the cell
  does not turn it into a formula either. The text itself is kept as it is.

`metrikk export` writes big CSV files with DuckDB's COPY; `csv_safe_sql` is the same rule as
`neutralise` in SQL (tests check that they agree).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import IO, Any

# The first characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 (and so .xlsx) cannot hold; shown as U+FFFD instead.
_ILLEGAL_XML = re.compile(r"[\000-\010\013\014\016-\037]")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\*?:/\[\]]")


def neutralise(text: str) -> str:
    """A text cell as a CSV file must hold it: `'` before a leading = + - @ tab or CR."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_safe_sql(expression: str) -> str:
    """SQL (DuckDB) for `neutralise` of a VARCHAR expression; NULL stays NULL."""
    starts = " OR ".join(f"starts_with({expression}, {_sql_char(c)})" for c in FORMULA_STARTS)
    return f"CASE WHEN {starts} THEN '''' || {expression} ELSE {expression} END"


def _sql_char(c: str) -> str:
    return f"chr({ord(c)})" if c in "\t\r" else "'" + c.replace("'", "''") + "'"


def csv_cell(value: Any, *, decimal_comma: bool = False) -> Any:
    """One CSV cell: empty for null, a neutralised string for text, numbers as numbers."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, float) and decimal_comma:
        return str(value).replace(".", ",")
    if isinstance(value, (list, tuple, dict)):
        return neutralise(str(value))
    return value


def write_csv(
    out: IO[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ",",
    decimal_comma: bool = False,
    lineterminator: str = "\r\n",
    preamble: Sequence[Sequence[str]] = (),
) -> None:
    """Write header and rows as CSV to a text stream (open it with newline="").

    `preamble` rows (what the table shows: filters, period, «syntetiske data») come first,
    followed by an empty row."""
    w = csv.writer(out, delimiter=delimiter, lineterminator=lineterminator)
    if preamble:
        w.writerows([csv_cell(v) for v in row] for row in preamble)
        w.writerow([])
    w.writerow([csv_cell(h) for h in header])
    for row in rows:
        w.writerow([csv_cell(v, decimal_comma=decimal_comma) for v in row])


def sheet_title(name: str) -> str:
    """A valid Excel sheet name: no \\ * ? : / [ ], at most 31 characters, never empty."""
    return _SHEET_TITLE_FORBIDDEN.sub("_", name)[:31] or "data"


def write_xlsx(
    out: str | IO[bytes] | Any,
    sheet: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    preamble: Sequence[Sequence[str]] = (),
) -> None:
    """Stream header (bold) and rows into an .xlsx file or binary stream, after the
    `preamble` rows (first cell bold) and an empty row when there are any.

    openpyxl's write-only mode keeps memory flat however many rows there are."""
    # lazy: only Excel files need openpyxl, which is slow to import
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=sheet_title(sheet))
    bold = Font(bold=True)

    def cell(value: Any, *, header: bool = False) -> Any:
        if isinstance(value, (list, tuple, dict)):
            value = str(value)
        if not isinstance(value, str):
            return value
        c = WriteOnlyCell(ws, value=_ILLEGAL_XML.sub("\ufffd", value))
        c.data_type = "s"  # openpyxl makes "=…" a formula and "#N/A" an error code
        if value.startswith(FORMULA_STARTS):
            c.quotePrefix = True
        if header:
            c.font = bold
        return c

    if preamble:
        for row in preamble:
            ws.append([cell(v, header=i == 0) for i, v in enumerate(row)])
        ws.append([])
    ws.append([cell(h, header=True) for h in header])
    for row in rows:
        ws.append([cell(v) for v in row])
    wb.save(out)
