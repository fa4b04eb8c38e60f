"""Source-shape drift: the report of values and JSON keys metrikk does not know.

The drift models (`tiltak_silver.kildeavvik`, `behandlinger_int.kildeavvik`) list every value in
a source column, and every JSON root key per `table_name`, that is not in the known lists of
`metrikk.koder` (VALUE_LISTS, KEY_LISTS), with its count and first/last time;
`behandlinger_int.referanseavvik` counts references to entities the audit log never shows and
unknown or deleted codes. `metrikk run` prints them as a warning section «Kildeendringer» and
exits 0: an unknown value is never silently mis-counted (it is counted by the rule the contract
gives for "anything else", e.g. an unknown deltaker status never counts as taking part), and the
warning tells a person the source has changed so the rule can be reviewed.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from datetime import datetime

from sqlglot import exp

# The drift tables (unpublished: their schemas are not in metrikk.snapshot.PUBLISHED_SCHEMAS).
DRIFT_TABLES = {
    "tiltak": ("tiltak_silver", "kildeavvik"),
    "etterlevelse": ("behandlinger_int", "kildeavvik"),
}
# References to entities the log never shows and unknown or deleted codes (CONTRACT §6: counted
# and reported, never a reason to stop publishing), per domain.
REFERANSE_TABLES = {"etterlevelse": ("behandlinger_int", "referanseavvik")}


@dataclass(frozen=True)
class Avvik:
    kilde: str
    felt: str
    verdi: str
    antall: int
    forste: datetime | None
    siste: datetime | None


@dataclass(frozen=True)
class Referanseavvik:
    """Rows of a published table that point at something the source log never shows (or a code
    that is unknown or deleted): kept and published, counted here."""

    tabell: str
    felt: str
    avvik: str
    antall: int
    antall_verdier: int
    eksempel: str | None


_QUERIES = (
    (
        DRIFT_TABLES,
        ("kilde", "felt", "verdi", "antall", "forste_tidspunkt", "siste_tidspunkt"),
        3,
        Avvik,
    ),
    (
        REFERANSE_TABLES,
        ("tabell", "felt", "avvik", "antall", "antall_verdier", "eksempel"),
        3,
        Referanseavvik,
    ),
)


def drift_queries(domain: str = "all") -> list[tuple[str, str, t.Any, type]]:
    """(schema, table, query, row type) per drift table of `domain`: sqlglot expressions, so
    each engine adapter writes them in its own dialect and quoting (BigQuery: backticks)."""
    queries = []
    for tables, columns, order, kind in _QUERIES:
        for d, (schema, table) in tables.items():
            if domain not in ("all", d):
                continue
            query = (
                exp.select(*(exp.column(c, quoted=True) for c in columns))
                .from_(exp.table_(table, db=schema, quoted=True))
                .order_by(*(exp.column(c, quoted=True) for c in columns[:order]))
            )
            queries.append((schema, table, query, kind))
    return queries


def read_drift(adapter, domain: str = "all") -> list[Avvik | Referanseavvik]:
    """Every unknown value and every source reference problem of `domain`, read through a SQLMesh
    engine adapter (DuckDB locally, BigQuery in production); a table not built yet gives none."""
    rows: list[Avvik | Referanseavvik] = []
    for schema, table, query, kind in drift_queries(domain):
        if not adapter.table_exists(exp.table_(table, db=schema)):
            continue
        rows.extend(kind(*r) for r in adapter.fetchall(query))
    return rows


def format_drift(rows: list[Avvik | Referanseavvik]) -> list[str]:
    """Bokmål lines for the «Kildeendringer» warning, one per unknown value or reference problem."""

    def day(ts: datetime | None) -> str:
        return ts.date().isoformat() if ts else "–"

    def line(r: Avvik | Referanseavvik) -> str:
        if isinstance(r, Referanseavvik):
            eksempel = f", f.eks. «{r.eksempel}»" if r.eksempel is not None else ""
            return f"{r.tabell} {r.felt}: {r.antall} rader {r.avvik} ({r.antall_verdier} ulike verdier{eksempel})"
        return f"{r.kilde} {r.felt}: ukjent verdi «{r.verdi}» i {r.antall} rader ({day(r.forste)} – {day(r.siste)})"

    return [line(r) for r in rows]
