"""SQL of the tiltak views: dimensions and filters, metadata, kontorer, weekly distinct counts, Brum."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from metrikk.koder import INNSATSGRUPPE_NAVN, KATEGORI_NAVN
from metrikk.web.perioder import SQL as PERIODE_SQL
from metrikk.web.queries.connection import (
    Reader,
    has_table,
    require,
    rows_as_dicts,
    table_columns,
)

# Dimensions the tiltak API can group by: public name -> column of tiltak_silver.deltakelse_uke.
DIMENSIONS: dict[str, str] = {
    "uke": "uke_start",
    "avdeling": "avdeling",
    "innsatsgruppe": "innsatsgruppe",
    "tiltakskode": "tiltakskode",
    "tiltaksnavn": "tiltakstype_navn",
    "tiltakskategori": "tiltakskategori",
    "tiltaksgruppe": "tiltaksgruppe",
}

DIMENSION_LABELS: dict[str, str] = {
    "uke": "Uke",
    "avdeling": "Avdeling",
    "innsatsgruppe": "Innsatsgruppe",
    "tiltakskode": "Tiltak",
    "tiltaksnavn": "Tiltak",
    "tiltakskategori": "Tiltakskategori",
    "tiltaksgruppe": "Tiltaksgruppe",
}

# The filters of the tiltak views: public name = column of deltakelse_uke.
FILTER_DIMENSIONS = ("avdeling", "innsatsgruppe", "tiltakskode", "tiltakskategori", "tiltaksgruppe")

# A deltakelse-week's tiltaksgruppe as read: the contract's fallback (the tiltakstype's name)
# also for weeks computed before the column existed (null there; docs/decisions.md).
TILTAKSGRUPPE_SQL = "coalesce(tiltaksgruppe, tiltakstype_navn)"
# How each dimension is read from deltakelse_uke (a column, or the expression above).
DIMENSION_SQL: dict[str, str] = {**DIMENSIONS, "tiltaksgruppe": TILTAKSGRUPPE_SQL}

DELTAKELSE_UKE = "tiltak_silver.deltakelse_uke"
NAV_ENHET = "tiltak_silver.nav_enhet"


def deltakelse_uke(con) -> str:
    """What to read deltakelse-weeks FROM: the table, or, in a snapshot published before
    `tiltaksgruppe` existed, the table with that column null (TILTAKSGRUPPE_SQL then gives the
    tiltakstype's name, the contract's fallback)."""
    require(con, DELTAKELSE_UKE)
    if "tiltaksgruppe" in (table_columns(con, "tiltak_silver", "deltakelse_uke") or ()):
        return DELTAKELSE_UKE
    return f"(SELECT *, CAST(NULL AS VARCHAR) AS tiltaksgruppe FROM {DELTAKELSE_UKE})"


# --- metadata -------------------------------------------------------------------------------


def _meta(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Synthetic flag, load time and the range of published weeks."""
    out: dict[str, Any] = {"syntetisk": False, "lastet": None, "datasett": [], "uker": None}
    if has_table(con, "metrikk_meta", "datasett"):
        rows = rows_as_dicts(
            con.execute(
                """
                SELECT schema_name, table_name, syntetisk, lastet_tidspunkt, rader
                FROM metrikk_meta.datasett ORDER BY schema_name, table_name
                """
            )
        )
        out["datasett"] = [{**r, "lastet_tidspunkt": _iso(r["lastet_tidspunkt"])} for r in rows]
        out["syntetisk"] = any(r["syntetisk"] and (r["rader"] or 0) > 0 for r in rows)
        loaded = [r["lastet_tidspunkt"] for r in rows if r["rader"]]
        out["lastet"] = _iso(max(loaded)) if loaded else None
    if has_table(con, "tiltak_silver", "deltakelse_uke"):
        first, last = con.execute(
            f"SELECT min(uke_start), max(uke_start) FROM {DELTAKELSE_UKE}"
        ).fetchone()
        if first is not None:
            out["uker"] = {
                "forste": week_label(first),
                "siste": week_label(last),
                "forste_start": first.isoformat(),
                "siste_start": last.isoformat(),
            }
    return out


def _week_range(con: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    require(con, DELTAKELSE_UKE)
    first, last = con.execute(
        f"SELECT min(uke_start), max(uke_start) FROM {DELTAKELSE_UKE}"
    ).fetchone()
    return None if first is None else (first, last)


def _iso(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (date, datetime)) else v


def week_label(monday: date) -> str:
    y, w, _ = monday.isocalendar()
    return f"{y}-U{w:02d}"


def weeks_between(fra: date, til: date) -> list[date]:
    out, d = [], fra
    while d <= til:
        out.append(d)
        d += timedelta(days=7)
    return out


# --- kontor and filter options -------------------------------------------------------------


def _kontorer(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """LOKAL units that have counted deltakelser, with their fylke and number of persons."""
    require(con, DELTAKELSE_UKE, NAV_ENHET)
    return rows_as_dicts(
        con.execute(
            f"""
            SELECT d.kontor AS enhetsnummer, any_value(n.navn) AS navn,
                   any_value(n.overordnet_enhet) AS fylke,
                   count(DISTINCT d.person_id) AS antall_personer
            FROM {DELTAKELSE_UKE} d
            JOIN {NAV_ENHET} n ON n.enhetsnummer = d.kontor AND upper(n.type) = 'LOKAL'
            GROUP BY d.kontor
            ORDER BY navn, enhetsnummer
            """
        )
    )


def kontor_navn(con: duckdb.DuckDBPyConnection, kontor: str) -> str | None:
    if isinstance(con, Reader):
        return con.memo("kontor_navn", _kontor_navn, kontor)
    return _kontor_navn(con, kontor)


def _kontor_navn(con: duckdb.DuckDBPyConnection, kontor: str) -> str | None:
    row = con.execute(
        f"SELECT navn FROM {NAV_ENHET} WHERE enhetsnummer = ? AND upper(type) = 'LOKAL'", [kontor]
    ).fetchone()
    return row[0] if row else None


def _filter_options(con: duckdb.DuckDBPyConnection, kontor: str) -> dict[str, Any]:
    """Every avdeling, innsatsgruppe and tiltak that occurs for the kontor."""
    require(con, DELTAKELSE_UKE)

    def distinct(col: str) -> list[str]:
        return [
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT {col} FROM {DELTAKELSE_UKE} WHERE kontor = ? ORDER BY 1",
                [kontor],
            ).fetchall()
        ]

    tiltak = rows_as_dicts(
        con.execute(
            f"""
            SELECT tiltakskode AS kode, max(tiltakstype_navn) AS navn,
                   max(tiltakskategori) AS kategori
            FROM {DELTAKELSE_UKE} WHERE kontor = ? GROUP BY tiltakskode ORDER BY navn, kode
            """,
            [kontor],
        )
    )
    grupper = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT {TILTAKSGRUPPE_SQL} FROM {deltakelse_uke(con)} WHERE kontor = ?"
            " ORDER BY 1",
            [kontor],
        ).fetchall()
    ]
    return {
        "avdeling": [{"verdi": v, "navn": v} for v in distinct("avdeling")],
        "innsatsgruppe": [
            {"verdi": v, "navn": INNSATSGRUPPE_NAVN.get(v, v)} for v in distinct("innsatsgruppe")
        ],
        "tiltakskode": [
            {"verdi": t["kode"], "navn": t["navn"], "kategori": t["kategori"]} for t in tiltak
        ],
        "tiltakskategori": [
            {"verdi": v, "navn": KATEGORI_NAVN.get(v, v)} for v in distinct("tiltakskategori")
        ],
        "tiltaksgruppe": [{"verdi": v, "navn": v} for v in grupper],
    }


UTEN_AVDELING = "Uten avdeling"
TILTAKSTYPE = "tiltak_silver.tiltakstype"
VEILEDERGRUPPE = "tiltak_silver.veiledergruppe_medlemskap"


def _all_tiltak(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(tiltakskode, navn, kategori) of every tiltakstype and every tiltak in the country's
    deltakelser (arbeidsgiver tiltak are not Valp tiltakstyper): nothing kontor-specific."""
    union = f"SELECT tiltakskode, tiltakstype_navn AS navn, tiltakskategori FROM {DELTAKELSE_UKE}"
    if has_table(con, "tiltak_silver", "tiltakstype"):
        union += f" UNION ALL SELECT tiltakskode, navn, tiltakskategori FROM {TILTAKSTYPE}"
    return con.execute(
        f"""
        SELECT tiltakskode, max(navn) AS navn, max(tiltakskategori)
        FROM ({union}) WHERE tiltakskode IS NOT NULL
        GROUP BY tiltakskode ORDER BY navn, tiltakskode
        """
    ).fetchall()


def _protected_filter_options(con: duckdb.DuckDBPyConnection, kontor: str, k: int) -> dict:
    """The filter options under K, which reveal nobody: not the values that occur among the
    kontor's persons (one person's innsatsgruppe and tiltak would show), but the code lists,
    the tiltakstyper and the kontor's avdelinger from the organisation data (its veiledergrupper).

    Without the organisation table (an older warehouse) the kontor's avdelinger are those held
    by at least K of its persons.
    """
    require(con, DELTAKELSE_UKE)
    tiltak = all_tiltak(con)
    if has_table(con, "tiltak_silver", "veiledergruppe_medlemskap"):
        avdelinger = [
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT avdeling FROM {VEILEDERGRUPPE} WHERE enhetsnummer = ?"
                " AND avdeling IS NOT NULL",
                [kontor],
            ).fetchall()
        ]
    else:
        avdelinger = [
            r[0]
            for r in con.execute(
                f"SELECT avdeling FROM {DELTAKELSE_UKE} WHERE kontor = ? AND avdeling IS NOT NULL"
                " GROUP BY avdeling HAVING count(DISTINCT person_id) >= ?",
                [kontor, k],
            ).fetchall()
        ]
    avdelinger = sorted(set(avdelinger) | {UTEN_AVDELING})
    grupper = tiltaksgrupper_of(con, kontor, tiltak)
    return {
        "avdeling": [{"verdi": v, "navn": v} for v in avdelinger],
        "innsatsgruppe": [{"verdi": v, "navn": n} for v, n in INNSATSGRUPPE_NAVN.items()],
        "tiltakskode": [{"verdi": t, "navn": n, "kategori": c} for t, n, c in tiltak],
        "tiltakskategori": [{"verdi": v, "navn": n} for v, n in KATEGORI_NAVN.items()],
        "tiltaksgruppe": [{"verdi": v, "navn": v} for v in grupper],
    }


TILTAKSGRUPPE = "tiltak_silver.tiltaksgruppe"


def tiltaksgrupper_of(con, kontor: str, tiltak: Sequence[tuple[str, str, str]]) -> list[str]:
    """The kontor's tiltaksgrupper from the organisation data, not from its persons: every
    tiltak's group by the contract's rule (the kontor's own row, else the national row, else
    the tiltakstype's name)."""
    own: dict[str, str] = {}
    national: dict[str, str] = {}
    if has_table(con, "tiltak_silver", "tiltaksgruppe"):
        for enhet, kode, gruppe in con.execute(
            f"SELECT enhetsnummer, tiltakskode, tiltaksgruppe FROM {TILTAKSGRUPPE}"
            " WHERE enhetsnummer = ? OR enhetsnummer IS NULL",
            [kontor],
        ).fetchall():
            (own if enhet is not None else national)[kode] = gruppe
    return sorted({own.get(t) or national.get(t) or navn for t, navn, _ in tiltak})


def _tiltak_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(
        con.execute(
            f"SELECT tiltakskode, max(tiltakstype_navn) FROM {DELTAKELSE_UKE} GROUP BY 1"
        ).fetchall()
    )


# --- weekly distinct counts -------------------------------------------------------------------


@dataclass(frozen=True)
class TiltakFilter:
    kontor: str
    fra: date
    til: date
    avdeling: tuple[str, ...] = ()
    innsatsgruppe: tuple[str, ...] = ()
    tiltakskode: tuple[str, ...] = ()
    tiltakskategori: tuple[str, ...] = ()
    tiltaksgruppe: tuple[str, ...] = ()

    def where(self) -> tuple[str, list[Any]]:
        clauses = ["kontor = ?", "uke_start BETWEEN ? AND ?"]
        params: list[Any] = [self.kontor, self.fra, self.til]
        for col, values in (
            ("avdeling", self.avdeling),
            ("innsatsgruppe", self.innsatsgruppe),
            ("tiltakskode", self.tiltakskode),
            ("tiltakskategori", self.tiltakskategori),
            (TILTAKSGRUPPE_SQL, self.tiltaksgruppe),
        ):
            if values:
                clauses.append(f"{col} IN ({', '.join('?' for _ in values)})")
                params.extend(values)
        return " AND ".join(clauses), params


def distinct_persons(
    con: duckdb.DuckDBPyConnection, f: TiltakFilter, dims: Sequence[str], periode: str = "uke"
) -> dict[str, Any]:
    """Distinct persons per combination of `dims`, per value of dims[0], and in all.

    Every figure is COUNT(DISTINCT person_id) over tiltak_silver.deltakelse_uke, never a sum of
    cells: a person on two tiltak in one week is one person in the avdeling's total. The
    dimension "periode" is the week's month or year (`periode`, see web/perioder.py).
    """
    require(con, DELTAKELSE_UKE)
    where, params = f.where()
    cols = [
        PERIODE_SQL[periode].format(col="uke_start") if d == "periode" else DIMENSION_SQL[d]
        for d in dims
    ]
    names = ", ".join(f"{c} AS d{i}" for i, c in enumerate(cols))
    sets = [", ".join(f"d{i}" for i in range(len(cols))), "d0", ""]
    if len(cols) == 1:
        sets = ["d0", ""]
    rows = con.execute(
        f"""
        SELECT {", ".join(f"d{i}" for i in range(len(cols)))}, GROUPING(d0) AS g0,
               {"GROUPING(d1)" if len(cols) > 1 else "0"} AS g1,
               count(DISTINCT person_id) AS n
        FROM (SELECT person_id, {names} FROM {deltakelse_uke(con)} WHERE {where})
        GROUP BY GROUPING SETS ({", ".join(f"({s})" for s in sets)})
        """,
        params,
    ).fetchall()
    k = len(cols)
    cells: dict[tuple, int] = {}
    first: dict[Any, int] = {}
    total = 0
    for r in rows:
        g0, g1, n = r[k], r[k + 1], int(r[k + 2])
        if g0:
            total = n
        elif k > 1 and g1:
            first[r[0]] = n
        else:
            cells[tuple(r[:k])] = n
    if k == 1:
        first = {key[0]: n for key, n in cells.items()}
    present = {
        d: sorted({key[i] for key in cells})
        for i, d in enumerate(dims)
        if d not in ("uke", "periode")
    }
    return {"cells": cells, "first": first, "total": total, "present": present}


def startet_sluttet(con: duckdb.DuckDBPyConnection, kontor: str, monday: date) -> tuple[int, int]:
    """Distinct persons of the kontor who started / ended a counted deltakelse in the week."""
    require(con, DELTAKELSE_UKE)
    row = con.execute(
        f"""
        SELECT count(DISTINCT person_id) FILTER (WHERE startet),
               count(DISTINCT person_id) FILTER (WHERE sluttet)
        FROM {DELTAKELSE_UKE} WHERE kontor = ? AND uke_start = ?
        """,
        [kontor, monday],
    ).fetchone()
    return int(row[0]), int(row[1])


# --- Brum compatibility ----------------------------------------------------------------------


def brum_uke_antall(con: duckdb.DuckDBPyConnection, aar: int, uke: int, kontor: str):
    require(con, "tiltak_gold.uke_antall", "tiltak_gold.uke_antall_avdeling")
    innsats = con.execute(
        """
        SELECT tiltaksnavn, innsatsgruppe, avdeling, antall FROM tiltak_gold.uke_antall
        WHERE aar = ? AND uke = ? AND kontor = ?
        """,
        [aar, uke, kontor],
    ).fetchall()
    avdeling = con.execute(
        """
        SELECT tiltaksnavn, avdeling, antall FROM tiltak_gold.uke_antall_avdeling
        WHERE aar = ? AND uke = ? AND kontor = ?
        """,
        [aar, uke, kontor],
    ).fetchall()
    return innsats, avdeling


def default_kontor(con: duckdb.DuckDBPyConnection) -> str | None:
    """Nav Bærum (0219, the office Brum was built for) when present, else the largest kontor."""
    rows = kontorer(con)
    if not rows:
        return None
    codes = [r["enhetsnummer"] for r in rows]
    if "0219" in codes:
        return "0219"
    return max(rows, key=lambda r: (r["antall_personer"], r["enhetsnummer"]))["enhetsnummer"]


def meta(con):
    return con.memo("meta", _meta)


def week_range(con):
    return con.memo("week_range", _week_range)


def kontorer(con):
    return con.memo("kontorer", _kontorer)


def tiltak_names(con):
    return con.memo("tiltak_names", _tiltak_names)


def all_tiltak(con) -> list[tuple[str, str, str]]:
    """(tiltakskode, navn, kategori) of every tiltakstype and tiltak in the data (any kontor)."""
    return con.memo("all_tiltak", _all_tiltak) if isinstance(con, Reader) else _all_tiltak(con)


def filter_options(con, kontor: str, k: int | None = None):
    """The filter options of a kontor; under K (`--min-antall`) ones that reveal nobody."""
    if k:
        return con.memo("protected_filter_options", _protected_filter_options, kontor, k)
    return con.memo("filter_options", _filter_options, kontor)
