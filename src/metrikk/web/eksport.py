"""What an export says about itself before its table (CSV and Excel alike).

A file that leaves the dashboard must say what it shows: the kontor, the period, the measure,
the filters that were on (or that none were), and, when any input is synthetic, «Syntetiske
data». These rows come first, then an empty row, then the table (api.export_response).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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
