"""Read an export back as the page's table: every CSV/Excel export starts with rows that say
what it shows (kontor, period, filters, «Syntetiske data»), then an empty row, then the table
(web/eksport.py). These helpers split the two."""

from __future__ import annotations

import csv
import io

PREAMBLE_LABELS = {"Kontor", "Periode", "Mål", "Filtre", "Data", "Beskyttelse", "Merknad"}


def split(rows: list[list]) -> tuple[list[list], list[list]]:
    """(preamble, table) of CSV rows or Excel rows (an empty row is [] or all None)."""
    if not rows or not rows[0] or rows[0][0] not in PREAMBLE_LABELS:
        return [], rows
    for i, row in enumerate(rows):
        if not row or all(v in (None, "") for v in row):
            preamble = [
                r[: max(j + 1 for j, v in enumerate(r) if v not in (None, ""))] for r in rows[:i]
            ]
            return preamble, rows[i + 1 :]
    raise AssertionError(f"an export's preamble is not followed by an empty row: {rows[:8]}")


def csv_rows(content: bytes) -> list[list[str]]:
    """The table part of a CSV export (`;`, UTF-8 with BOM)."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    return split(rows)[1]
