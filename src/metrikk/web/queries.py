"""Every SQL statement the web app runs, and how it reaches the warehouse.

The web app is a reader (DESIGN "one writer"): it keeps one read-only connection per published
snapshot (no writer ever opens one) and gives each request its own cursor, or, before the first
snapshot exists, opens the warehouse file itself with a short-lived read-only connection that
retries while a writer holds the lock.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from metrikk.koder import INNSATSGRUPPE_NAVN, KATEGORI_NAVN
from metrikk.snapshot import published_path
from metrikk.warehouse import qualified, quote
from metrikk.web.perioder import SQL as PERIODE_SQL

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


class Unavailable(Exception):
    """The data cannot be read right now; the message is for a person (bokmål)."""


def _published_path(warehouse: Path) -> Path | None:
    try:
        return published_path(warehouse)
    except Exception:  # noqa: BLE001 - a broken pointer must not take the dashboard down
        return None


_MEMO: dict[tuple, Any] = {}
_MEMO_MAX = 256


class Reader:
    """One open read-only connection plus a memo for results that only change with the file.

    The published snapshot is immutable and the warehouse file changes its size or mtime (or its
    .wal's) on every write, so (path, stat) keys results like the kontor list and the week range.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path):
        self.con = con
        stamp = []
        for p in (path, path.with_name(path.name + ".wal")):
            try:
                st = p.stat()
                stamp.append((st.st_mtime_ns, st.st_size))
            except FileNotFoundError:
                stamp.append(None)
        self.key = (str(path), tuple(stamp))

    def execute(self, sql: str, params: Any = None):
        return self.con.execute(sql, params) if params is not None else self.con.execute(sql)

    def memo(self, name: str, fn, *args):
        key = (self.key, name, args)
        if key not in _MEMO:
            if len(_MEMO) >= _MEMO_MAX:
                _MEMO.clear()
            _MEMO[key] = fn(self, *args)
        return _MEMO[key]


@dataclass(frozen=True)
class Source:
    """Where readers find the published data: the snapshot if there is one, else the warehouse."""

    warehouse: Path

    def path(self) -> Path:
        return _published_path(self.warehouse) or self.warehouse

    @contextmanager
    def read(self, attempts: int = 20, pause: float = 0.1) -> Iterator[Reader]:
        """A read-only connection for one request.

        A published snapshot is immutable and no writer ever opens it, so one read-only
        connection per snapshot is kept and each request gets its own cursor. The warehouse
        itself (before the first snapshot) is opened and closed per request, retrying while a
        writer holds the lock.
        """
        published = _published_path(self.warehouse)
        if published is not None and published.exists():
            cursor = _snapshot_connection(published).cursor()  # UTC: set on the connection
            try:
                yield Reader(cursor, published)
            finally:
                cursor.close()
            return
        path = self.warehouse
        if not path.exists():
            raise Unavailable(f"Fant ikke datavarehuset {path}. Kjør «metrikk run» først.")
        last: Exception | None = None
        for _ in range(attempts):
            try:
                con = duckdb.connect(str(path), read_only=True)
                break
            except duckdb.IOException as e:  # locked by a writer
                last = e
                time.sleep(pause)
        else:
            raise Unavailable(
                "Datavarehuset er opptatt (en kjøring skriver nå). Prøv igjen om litt."
            ) from last
        try:
            con.execute("SET TimeZone = 'UTC'")
            yield Reader(con, path)
        finally:
            con.close()


_SNAPSHOT: dict[str, duckdb.DuckDBPyConnection] = {}
_SNAPSHOT_LOCK = threading.Lock()
_ON_NEW_SNAPSHOT: list = []  # callables(Reader), run in a background thread per new snapshot


def on_new_snapshot(hook) -> None:
    """Run `hook(reader)` in a background thread whenever a snapshot is first opened."""
    _ON_NEW_SNAPSHOT.append(hook)


def _run_hook(hook, con: duckdb.DuckDBPyConnection, path: Path) -> None:
    try:
        cursor = con.cursor()
        try:
            hook(Reader(cursor, path))
        finally:
            cursor.close()
    except Exception:  # noqa: BLE001 - warming is an optimisation; a request will do the work
        logging.getLogger(__name__).debug("warming %s failed", path, exc_info=True)


def _snapshot_connection(path: Path) -> duckdb.DuckDBPyConnection:
    """The shared read-only connection to the current snapshot; older ones are closed."""
    key = str(path)
    with _SNAPSHOT_LOCK:
        con = _SNAPSHOT.get(key)
        if con is None:
            # Keep the previous snapshot open too: a request may still be reading it.
            for old_key in list(_SNAPSHOT)[:-1]:
                _SNAPSHOT.pop(old_key).close()
            # One DuckDB thread per query: the server runs requests side by side, and on a
            # small machine a query fanning out over every core costs more CPU in total.
            con = _SNAPSHOT[key] = duckdb.connect(key, read_only=True)
            con.execute("SET threads = 1")
            # Cursors inherit global settings; a SET per request cost ~0.7 ms.
            con.execute("SET GLOBAL TimeZone = 'UTC'")
            # Not daemon threads: one stopped inside DuckDB at interpreter exit aborts the
            # process ("terminate called without an active exception"); exit waits instead.
            for hook in _ON_NEW_SNAPSHOT:
                threading.Thread(target=_run_hook, args=(hook, con, path)).start()
        return con


def warm(warehouse: Path) -> None:
    """Open the current snapshot now (and so run the hooks), if there is one."""
    published = _published_path(warehouse)
    if published is not None and published.exists():
        _snapshot_connection(published)


def _catalog(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[str, ...]]:
    """{(schema, table): column names} of the file: one catalog read per file version.

    information_schema costs ~20 ms a query on the loaded machine; every request used to ask it
    once or more per table it reads.
    """
    rows = con.execute(
        "SELECT schema_name, table_name, list(column_name ORDER BY column_index)"
        " FROM duckdb_columns() WHERE database_name = current_database() GROUP BY ALL"
    ).fetchall()
    return {(s, t): tuple(cols) for s, t, cols in rows}


def table_columns(con, schema: str, table: str) -> tuple[str, ...] | None:
    """The columns of schema.table, or None when it does not exist (memoised per file)."""
    if isinstance(con, Reader):
        catalog = con.memo("catalog", _catalog)
    else:
        catalog = _catalog(con)
    return catalog.get((schema, table))


def has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return table_columns(con, schema, table) is not None


def require(con: duckdb.DuckDBPyConnection, *tables: str) -> None:
    for t in tables:
        schema, table = t.split(".")
        if not has_table(con, schema, table):
            raise Unavailable(f"Tabellen {t} er ikke publisert ennå. Kjør «metrikk run».")


def deltakelse_uke(con) -> str:
    """What to read deltakelse-weeks FROM: the table, or, in a snapshot published before
    `tiltaksgruppe` existed, the table with that column null (TILTAKSGRUPPE_SQL then gives the
    tiltakstype's name, the contract's fallback)."""
    require(con, DELTAKELSE_UKE)
    if "tiltaksgruppe" in (table_columns(con, "tiltak_silver", "deltakelse_uke") or ()):
        return DELTAKELSE_UKE
    return f"(SELECT *, CAST(NULL AS VARCHAR) AS tiltaksgruppe FROM {DELTAKELSE_UKE})"


def rows_as_dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


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


# --- gjennomføring and data quality ----------------------------------------------------------


def _gjennomforing_where(
    con, fra: date, til: date, kontor: str | None, tiltakskode: Sequence[str]
) -> tuple[str, list[Any]]:
    """Weeks fra..til; with a kontor, the gjennomføringer its people were on in those weeks."""
    require(con, "tiltak_gold.uke_gjennomforing")
    clauses = ["g.uke_start BETWEEN ? AND ?"]
    params: list[Any] = [fra, til]
    if kontor:
        require(con, DELTAKELSE_UKE)
        clauses.append(
            f"g.gjennomforing_id IN (SELECT DISTINCT gjennomforing_id FROM {DELTAKELSE_UKE}"
            " WHERE kontor = ? AND gjennomforing_id IS NOT NULL AND uke_start BETWEEN ? AND ?)"
        )
        params.extend([kontor, fra, til])
    if tiltakskode:
        clauses.append(f"g.tiltakskode IN ({', '.join('?' for _ in tiltakskode)})")
        params.extend(tiltakskode)
    return " AND ".join(clauses), params


def gjennomforing_uker(
    con: duckdb.DuckDBPyConnection,
    fra: date,
    til: date,
    kontor: str | None,
    tiltakskode: Sequence[str] = (),
    rader_fra: date | None = None,
) -> list[dict[str, Any]]:
    """One row per gjennomføring and week; `rader_fra` keeps only the weeks from that one on."""
    where, params = _gjennomforing_where(con, fra, til, kontor, tiltakskode)
    if rader_fra is not None:
        where += " AND g.uke_start >= ?"
        params.append(rader_fra)
    return rows_as_dicts(
        con.execute(
            f"""
            SELECT g.aar, g.uke, g.uke_start, g.gjennomforing_id, g.tiltakskode,
                   g.antall_deltar, g.antall_venter, g.antall_plasser, g.belegg,
                   g.antall_fra_lokale_kontor, g.antall_fra_andre_kontor
            FROM tiltak_gold.uke_gjennomforing g
            WHERE {where}
            ORDER BY g.uke_start, g.tiltakskode, g.gjennomforing_id
            """,
            params,
        )
    )


# The weekly sums of `gjennomforing_ukesum` (and of the index that mirrors it), in its order.
UKESUM_KEYS = ("gjennomforinger", "deltar", "venter", "plasser", "deltar_med_plasser")


def gjennomforing_ukesum(
    con: duckdb.DuckDBPyConnection,
    fra: date,
    til: date,
    kontor: str | None,
    tiltakskode: Sequence[str] = (),
) -> dict[date, dict[str, int]]:
    """Per week of fra..til (zero-filled): gjennomføringer, deltar, venter, and plasser with
    the deltar they hold.

    Belegg counts only gjennomføringer that have plasser, so `deltar_med_plasser` is the
    numerator and `plasser` the denominator.
    """
    where, params = _gjennomforing_where(con, fra, til, kontor, tiltakskode)
    rows = con.execute(
        f"""
        SELECT g.uke_start, count(*), coalesce(sum(g.antall_deltar), 0),
               coalesce(sum(g.antall_venter), 0),
               coalesce(sum(g.antall_plasser) FILTER (WHERE g.antall_plasser <> 0), 0),
               coalesce(sum(g.antall_deltar) FILTER (WHERE g.antall_plasser <> 0), 0)
        FROM tiltak_gold.uke_gjennomforing g
        WHERE {where}
        GROUP BY g.uke_start
        """,
        params,
    ).fetchall()
    found = {r[0]: dict(zip(UKESUM_KEYS, (int(v) for v in r[1:]), strict=True)) for r in rows}
    return {w: found.get(w) or dict.fromkeys(UKESUM_KEYS, 0) for w in weeks_between(fra, til)}


DATAKVALITET_KOLONNER = (
    "antall_telt",
    "uten_innsatsgruppe",
    "uten_avdeling",
    "uten_kontor",
    "kontor_fra_fallback",
    "ikke_telt_mangler_start",
    "ikke_telt_ugyldig_periode",
    "ikke_telt_ukjent_gjennomforing",
)


def datakvalitet(con: duckdb.DuckDBPyConnection, fra: date, til: date) -> list[dict[str, Any]]:
    require(con, "tiltak_gold.uke_datakvalitet")
    cols = ", ".join(DATAKVALITET_KOLONNER)
    return rows_as_dicts(
        con.execute(
            f"""
            SELECT aar, uke, uke_start, {cols} FROM tiltak_gold.uke_datakvalitet
            WHERE uke_start BETWEEN ? AND ? ORDER BY uke_start
            """,
            [fra, til],
        )
    )


def datakvalitet_kontor(
    con: duckdb.DuckDBPyConnection, kontor: str, fra: date, til: date
) -> list[dict[str, Any]]:
    """Per week, the kontor's counted deltakelse-weeks and those without an innsatsgruppe or an
    avdeling, or whose kontor came from the fallback rule (not the oppfølgingskontor)."""
    require(con, DELTAKELSE_UKE)
    return rows_as_dicts(
        con.execute(
            f"""
            SELECT uke_start, count(*) AS antall_telt,
                   count(*) FILTER (WHERE innsatsgruppe = 'UKJENT') AS uten_innsatsgruppe,
                   count(*) FILTER (WHERE avdeling = '{UTEN_AVDELING}') AS uten_avdeling,
                   count(*) FILTER (WHERE kontor_kilde IN ('AVTALE', 'GJENNOMFORING'))
                       AS kontor_fra_fallback
            FROM {DELTAKELSE_UKE}
            WHERE kontor = ? AND uke_start BETWEEN ? AND ?
            GROUP BY uke_start ORDER BY uke_start
            """,
            [kontor, fra, til],
        )
    )


# --- etterlevelse datasets (generic: columns are read from the table) ------------------------


# Abbreviations that end in a period inside a sentence (lower case, without the last period).
FORKORTELSER = {"jf", "art", "nr", "f.eks", "bl.a", "ca", "dvs", "mv", "osv", "pkt", "kap", "ev"}


def first_sentence(text: str | None) -> str | None:
    """The first sentence of a model description (the card's one line), or None.

    A sentence ends at . ! or ? followed by a space and a capital letter, unless the period ends
    an abbreviation («jf. Art. 6»)."""
    if not text or not text.strip():
        return None
    text = text.strip()
    for m in re.finditer(r"[.!?](?=\s+[A-ZÆØÅÉ«])", text):
        word = text[: m.start()].rsplit(maxsplit=1)[-1].lower() if m.start() else ""
        if m.group() == "." and word in FORKORTELSER:
            continue
        return text[: m.end()]
    return text


def _etterlevelse_datasett(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every etterlevelse.ds_* table or view with its columns and the model's descriptions.

    The descriptions are SQLMesh's table and column comments; publish copies them into the
    snapshot (publish._copy_comments), and before the first snapshot the warehouse's views carry
    them. A table without a comment has `beskrivelse` None."""
    rows = con.execute(
        """
        WITH objekter AS (
            SELECT table_name AS navn, comment FROM duckdb_tables()
            WHERE database_name = current_database() AND schema_name = 'etterlevelse'
            UNION ALL
            SELECT view_name, comment FROM duckdb_views()
            WHERE database_name = current_database() AND schema_name = 'etterlevelse'
        )
        SELECT c.table_name, list(c.column_name ORDER BY c.column_index),
               list(c.data_type ORDER BY c.column_index),
               list(c.comment ORDER BY c.column_index), any_value(o.comment)
        FROM duckdb_columns() AS c LEFT JOIN objekter AS o ON o.navn = c.table_name
        WHERE c.database_name = current_database() AND c.schema_name = 'etterlevelse'
          AND c.table_name LIKE 'ds\\_%' ESCAPE '\\'
        GROUP BY c.table_name ORDER BY c.table_name
        """
    ).fetchall()
    return [
        {
            "navn": name,
            "beskrivelse": comment or None,
            "kort_beskrivelse": first_sentence(comment),
            "kolonner": [
                {"navn": c, "type": t, "beskrivelse": d or None}
                for c, t, d in zip(cs, ts, ds, strict=True)
            ],
        }
        for name, cs, ts, ds, comment in rows
    ]


def etterlevelse_rows(
    con: duckdb.DuckDBPyConnection, table: str, limit: int, order_by: str | None = None
) -> dict[str, Any]:
    """Rows of one ds_* table; `order_by` must be one of its columns (checked by the caller)."""
    src = qualified("etterlevelse", table)
    (count,) = con.execute(f"SELECT count(*) FROM {src}").fetchone()
    order = f" ORDER BY {quote(order_by)} NULLS LAST" if order_by else ""
    cur = con.execute(f"SELECT * FROM {src}{order} LIMIT ?", [limit])
    rows = cur.fetchall()
    names = [d[0] for d in cur.description]
    return {"kolonner": names, "rader": rows, "totalt": int(count)}


def meta(con):
    return con.memo("meta", _meta)


def week_range(con):
    return con.memo("week_range", _week_range)


def kontorer(con):
    return con.memo("kontorer", _kontorer)


def tiltak_names(con):
    return con.memo("tiltak_names", _tiltak_names)


def etterlevelse_datasett(con):
    return con.memo("etterlevelse_datasett", _etterlevelse_datasett)


def all_tiltak(con) -> list[tuple[str, str, str]]:
    """(tiltakskode, navn, kategori) of every tiltakstype and tiltak in the data (any kontor)."""
    return con.memo("all_tiltak", _all_tiltak) if isinstance(con, Reader) else _all_tiltak(con)


def filter_options(con, kontor: str, k: int | None = None):
    """The filter options of a kontor; under K (`--min-antall`) ones that reveal nobody."""
    if k:
        return con.memo("protected_filter_options", _protected_filter_options, kontor, k)
    return con.memo("filter_options", _filter_options, kontor)


# --- under oppfølging and ventetid (issue #15) -----------------------------------------------

UKE_OPPFOLGING = "tiltak_gold.uke_oppfolging"
OPPFOLGING_UKE = "tiltak_silver.oppfolging_uke"
UKE_VENTETID = "tiltak_gold.uke_ventetid"
OPPSTART = "tiltak_silver.oppstart"
VENTETID_MAAL = ("antall_oppstart", "sum_ventedager", "over_14", "over_30", "over_90")


def _in(column: str, values: Sequence[str]) -> tuple[str, list[Any]]:
    if not values:
        return "", []
    return f" AND {column} IN ({', '.join('?' for _ in values)})", list(values)


def oppfolging_ukevis(
    con,
    kontor: str,
    fra: date,
    til: date,
    dim: str | None,
    avdeling: Sequence[str] = (),
    innsatsgruppe: Sequence[str] = (),
) -> list[tuple]:
    """(uke_start, value of `dim` or None, under oppfølging, på tiltak) per week and value, from
    tiltak_gold.uke_oppfolging. A person under oppfølging is in exactly one of the gold table's
    cells in a week, so these sums over cells are counts of distinct persons. By veiledergruppe
    (not a column of the gold table) the same counts come from tiltak_silver.oppfolging_uke."""
    fa, pa_ = _in("avdeling", avdeling)
    fi, pi = _in("innsatsgruppe", innsatsgruppe)
    if dim == "veiledergruppe":
        require(con, OPPFOLGING_UKE)
        return con.execute(
            f"""
            SELECT uke_start, veiledergruppe_id AS g, count(DISTINCT person_id),
                   count(DISTINCT person_id) FILTER (WHERE paa_tiltak)
            FROM {OPPFOLGING_UKE}
            WHERE kontor = ? AND uke_start BETWEEN ? AND ?{fa}{fi}
            GROUP BY ALL ORDER BY 1, 2
            """,
            [kontor, fra, til, *pa_, *pi],
        ).fetchall()
    require(con, UKE_OPPFOLGING)
    group = dim if dim else "NULL"
    return con.execute(
        f"""
        SELECT uke_start, {group} AS g, sum(antall_under_oppfolging)::BIGINT,
               sum(antall_paa_tiltak)::BIGINT
        FROM {UKE_OPPFOLGING}
        WHERE kontor = ? AND uke_start BETWEEN ? AND ?{fa}{fi}
        GROUP BY ALL ORDER BY 1, 2
        """,
        [kontor, fra, til, *pa_, *pi],
    ).fetchall()


def oppfolging_unike(
    con,
    kontor: str,
    fra: date,
    til: date,
    periode: str,
    dim: str | None,
    avdeling: Sequence[str] = (),
    innsatsgruppe: Sequence[str] = (),
) -> dict[str, dict]:
    """Distinct persons under oppfølging, and of them på tiltak, from tiltak_silver.oppfolging_uke
    for the period kind `periode` (web/perioder.py): per (period, value of `dim`), per period,
    per value and in all. Each is COUNT(DISTINCT person_id) of its own, never a sum of cells:
    a person under oppfølging in four weeks of April is one person in April; a person på tiltak
    in one of them is på tiltak in April."""
    require(con, OPPFOLGING_UKE)
    fa, pa_ = _in("avdeling", avdeling)
    fi, pi = _in("innsatsgruppe", innsatsgruppe)
    group = {"veiledergruppe": "veiledergruppe_id", None: "NULL"}.get(dim, dim)
    rows = con.execute(
        f"""
        SELECT p, g, GROUPING(p) AS gp, GROUPING(g) AS gg, count(DISTINCT person_id),
               count(DISTINCT person_id) FILTER (WHERE paa_tiltak)
        FROM (SELECT person_id, paa_tiltak, {PERIODE_SQL[periode].format(col="uke_start")} AS p,
                     {group} AS g
              FROM {OPPFOLGING_UKE}
              WHERE kontor = ? AND uke_start BETWEEN ? AND ?{fa}{fi})
        GROUP BY GROUPING SETS ((p, g), (p), (g), ())
        """,
        [kontor, fra, til, *pa_, *pi],
    ).fetchall()
    out: dict[str, dict] = {"cells": {}, "periods": {}, "groups": {}, "total": (0, 0)}
    for p, g, gp, gg, under, paa in rows:
        pair = (int(under), int(paa))
        if gp and gg:
            out["total"] = pair
        elif gg:
            out["periods"][p] = pair
        elif gp:
            out["groups"][g] = pair
        else:
            out["cells"][(p, g)] = pair
    return out


def ventetid_ukevis(
    con,
    kontor: str,
    fra: date,
    til: date,
    dim: str,
    tiltakskode: Sequence[str] = (),
    tiltaksgruppe: Sequence[str] = (),
) -> list[tuple]:
    """(uke_start, value of `dim`, antall_oppstart, sum_ventedager, over 14, over 30, over 90)
    per week and value. Every measure is additive (CONTRACT §4), so any roll-up is a sum.

    By tiltakskode (and no tiltaksgruppe filter): tiltak_gold.uke_ventetid. By tiltaksgruppe,
    which the gold table does not carry: the same measures summed from tiltak_silver.oppstart,
    the rows the gold table is summed from (each oppstart row holds the tiltaksgruppe of its
    kontor and tiltakskode as of its start)."""
    ft, pt = _in("tiltakskode", tiltakskode)
    if dim == "tiltakskode" and not tiltaksgruppe:
        require(con, UKE_VENTETID)
        sql = f"""
            SELECT uke_start, tiltakskode, sum(antall_oppstart)::BIGINT,
                   sum(sum_ventedager)::BIGINT, sum(antall_ventet_over_14)::BIGINT,
                   sum(antall_ventet_over_30)::BIGINT, sum(antall_ventet_over_90)::BIGINT
            FROM {UKE_VENTETID}
            WHERE kontor = ? AND uke_start BETWEEN ? AND ?{ft}
            GROUP BY ALL ORDER BY 1, 2
        """
        return con.execute(sql, [kontor, fra, til, *pt]).fetchall()
    require(con, OPPSTART)
    fg, pg = _in("tiltaksgruppe", tiltaksgruppe)
    sql = f"""
        SELECT uke_start, {dim}, count(*), coalesce(sum(ventedager), 0)::BIGINT,
               count(*) FILTER (WHERE ventedager > 14), count(*) FILTER (WHERE ventedager > 30),
               count(*) FILTER (WHERE ventedager > 90)
        FROM {OPPSTART}
        WHERE kontor = ? AND uke_start BETWEEN ? AND ?{ft}{fg}
        GROUP BY ALL ORDER BY 1, 2
    """
    return con.execute(sql, [kontor, fra, til, *pt, *pg]).fetchall()


def oppfolging_uke_sum(con, kontor: str, monday: date) -> tuple[int, int]:
    """(under oppfølging, på tiltak) at the kontor in one week (gold; distinct persons)."""
    require(con, UKE_OPPFOLGING)
    row = con.execute(
        f"""
        SELECT coalesce(sum(antall_under_oppfolging), 0)::BIGINT,
               coalesce(sum(antall_paa_tiltak), 0)::BIGINT
        FROM {UKE_OPPFOLGING} WHERE kontor = ? AND uke_start = ?
        """,
        [kontor, monday],
    ).fetchone()
    return int(row[0]), int(row[1])


def veiledergruppe_navn(con, kontor: str) -> dict[str, str]:
    """gruppe_id → the group's latest name at the kontor (organisation data)."""
    if not has_table(con, "tiltak_silver", "veiledergruppe_medlemskap"):
        return {}
    return dict(
        con.execute(
            f"SELECT gruppe_id, arg_max(gruppe_navn, gyldig_fra) FROM {VEILEDERGRUPPE}"
            " WHERE enhetsnummer = ? GROUP BY 1",
            [kontor],
        ).fetchall()
    )
