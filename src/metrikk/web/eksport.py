"""What an export says about itself before its table (CSV and Excel alike).

A file that leaves the dashboard must say what it shows: the kontor, the period, the measure,
the filters that were on (or that none were), and, when any input is synthetic, «Syntetiske
data». These rows come first, then an empty row, then the table (export_response, below).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from fastapi.responses import Response

from metrikk.tablefile import write_csv, write_xlsx
from metrikk.web import limits
from metrikk.web import queries as q

FILTER_NAVN = {
    "avdeling": "Avdeling",
    "innsatsgruppe": "Innsatsgruppe",
    "tiltakskode": "Tiltak",
    "tiltakskategori": "Tiltakskategori",
    "tiltaksgruppe": "Tiltaksgruppe",
}
SYNTETISK = "Syntetiske data: tallene er laget av en generator og viser ingen virkelige personer."


def _value(dim: str, v: str, names: Mapping[str, str]) -> str:
    if dim == "innsatsgruppe":
        return q.INNSATSGRUPPE_NAVN.get(v, v)
    if dim == "tiltakskategori":
        return q.KATEGORI_NAVN.get(v, v)
    if dim == "tiltakskode":
        return names.get(v, v)
    return v


def filter_text(
    filters: Mapping[str, Sequence[str]], names: Mapping[str, str] | None = None
) -> str:
    parts = [
        f"{FILTER_NAVN.get(d, d)}: {', '.join(_value(d, v, names or {}) for v in values)}"
        for d, values in filters.items()
        if values
    ]
    return "; ".join(parts) if parts else "Ingen (alt er med)"


def preamble(
    *,
    kontor: tuple[str, str] | None = None,
    periode: str | None = None,
    maal: str | None = None,
    filters: Mapping[str, Sequence[str]] | None = None,
    syntetisk: bool = False,
    names: Mapping[str, str] | None = None,
    extra: Sequence[tuple[str, str]] = (),
    min_antall: int | None = None,
) -> list[list[str]]:
    """The rows before an export's table: [label, value] pairs."""
    rows: list[list[str]] = []
    if kontor is not None:
        code, name = kontor
        rows.append(["Kontor", f"{name} ({code})" if code and name else name or code])
    if periode:
        rows.append(["Periode", periode])
    if maal:
        rows.append(["Mål", maal])
    if filters is not None:
        rows.append(["Filtre", filter_text(filters, names)])
    rows.extend([label, value] for label, value in extra)
    if min_antall:
        rows.append(
            [
                "Beskyttelse",
                f"Tall om personer under {min_antall} vises ikke, andre er avrundet "
                "(se «Om tallene» i dashboardet).",
            ]
        )
    if syntetisk:
        rows.append(["Data", SYNTETISK])
    return rows


def export_response(
    fmt: str,
    filename: str,
    header: list[str],
    rows: list[list[Any]],
    sheet: str = "data",
    preamble: list[list[str]] | None = None,
) -> Response:
    """CSV (semicolon, UTF-8 with BOM, decimal comma: what Norwegian Excel opens) or .xlsx,
    both written by metrikk.tablefile (text that would run as a formula is neutralised).

    `preamble` (web/eksport.py: the kontor, period, filters and «syntetiske data») comes
    before the table, followed by an empty row."""
    rows = limits.export_rows(rows)  # the row cap, and the time budget while writing
    preamble = preamble or []
    if fmt == "csv":
        buf = io.StringIO()
        write_csv(buf, header, rows, delimiter=";", decimal_comma=True, preamble=preamble)
        return Response(
            ("\ufeff" + buf.getvalue()).encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
        )
    buf = io.BytesIO()
    write_xlsx(buf, sheet, header, rows, preamble=preamble)
    return Response(
        buf.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{filename}.xlsx"'},
    )


def view_table(kolonner: list[str], rader: list[list[Any]], sum_: list[Any] | None = None):
    """The `tabell` of a view's answer: exactly the table the page shows and the export writes."""
    return {"kolonner": kolonner, "rader": rader, "sum": sum_}


def view_response(out: dict[str, Any], fmt: str, filename: str, sheet: str) -> Any:
    """A view's answer as JSON, or its `tabell` (with the sum row last) as a CSV/Excel file."""
    if fmt == "json":
        return out
    t = out["tabell"]
    rows = t["rader"] + ([t["sum"]] if t["sum"] else [])
    return export_response(fmt, filename, t["kolonner"], rows, sheet=sheet)


Format = Literal["json", "csv", "xlsx"]
Dimension = Literal[
    "uke",
    "avdeling",
    "innsatsgruppe",
    "tiltakskode",
    "tiltaksnavn",
    "tiltakskategori",
    "tiltaksgruppe",
]
