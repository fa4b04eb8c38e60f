"""SQL of the under-oppfølging and ventetid views (issue #15)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date
from typing import Any

from metrikk.web.perioder import SQL as PERIODE_SQL
from metrikk.web.queries.connection import Reader, has_table, require
from metrikk.web.queries.tiltak import VEILEDERGRUPPE

# --- under oppfølging and ventetid (issue #15) -----------------------------------------------

UKE_OPPFOLGING = "tiltak_gold.uke_oppfolging"
OPPFOLGING_UKE = "tiltak_silver.oppfolging_uke"
UKE_VENTETID = "tiltak_gold.uke_ventetid"
OPPSTART = "tiltak_silver.oppstart"
VENTETID_MAAL = ("antall_oppstart", "sum_ventedager", "over_14", "over_30", "over_90")

# One kontor's oppfølging as spells: each run of consecutive weeks in which a person kept the
# same avdeling, veiledergruppe, innsatsgruppe and på tiltak (gaps and islands: within a run the
# week number minus the week's rank is constant). A person has a week in a set of weeks exactly
# when one of their spells overlaps it, so distinct persons over a period are counted from the
# spells (about a twentieth of the rows); web/indeks_oppfolging.py keeps them per kontor.
FORLOP_COLUMNS = ("person_id", "avdeling", "veiledergruppe_id", "innsatsgruppe", "paa_tiltak")
FORLOP_SQL = f"""
    SELECT {", ".join(FORLOP_COLUMNS)}, min(uke_start) AS fra_uke, max(uke_start) AS til_uke
    FROM (SELECT *, (uke_start - DATE '1970-01-05') // 7 - dense_rank() OVER (
                      PARTITION BY {", ".join(FORLOP_COLUMNS)} ORDER BY uke_start) AS forlop
          FROM {OPPFOLGING_UKE} WHERE kontor = ?)
    GROUP BY {", ".join(FORLOP_COLUMNS)}, forlop
    ORDER BY til_uke
"""


def _in(column: str, values: Sequence[str]) -> tuple[str, list[Any]]:
    if not values:
        return "", []
    return f" AND {column} IN ({', '.join('?' for _ in values)})", list(values)


def _weeks(con, name: str, fn, kontor: str, fra: date, til: date, *args) -> list[tuple]:
    """`fn`'s rows (sorted by week) for fra..til. On a Reader the kontor's rows of every week are
    read once per file (Reader.memo) and cut here: a few thousand rows, where the query scans
    the whole table for one kontor (ventetid: 3 ms a request)."""
    if not isinstance(con, Reader):
        return fn(con, kontor, fra, til, *args)
    rows = con.memo(name, fn, kontor, date.min, date.max, *args)
    lo = bisect.bisect_left(rows, fra, key=lambda r: r[0])
    return rows[lo : bisect.bisect_right(rows, til, lo=lo, key=lambda r: r[0])]


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
    return _weeks(
        con,
        "oppfolging_ukevis",
        _oppfolging_ukevis,
        kontor,
        fra,
        til,
        dim,
        tuple(avdeling),
        tuple(innsatsgruppe),
    )


def _oppfolging_ukevis(con, kontor, fra, til, dim, avdeling, innsatsgruppe) -> list[tuple]:
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
    *,
    per_periode: bool = True,
) -> dict[str, dict]:
    """Distinct persons under oppfølging, and of them på tiltak, from tiltak_silver.oppfolging_uke
    for the period kind `periode` (web/perioder.py): per (period, value of `dim`), per period,
    per value and in all. Each is COUNT(DISTINCT person_id) of its own, never a sum of cells:
    a person under oppfølging in four weeks of April is one person in April; a person på tiltak
    in one of them is på tiltak in April. `per_periode=False` leaves `cells` and `periods` empty
    (a caller that has them from the gold table): each grouping set is a distinct count of its
    own, and the two per period were three quarters of the query's time for a year of weeks.
    The dashboard counts the same from the kontor's spells (web/indeks_oppfolging.py); this SQL
    is its fallback and oracle."""
    require(con, OPPFOLGING_UKE)
    fa, pa_ = _in("avdeling", avdeling)
    fi, pi = _in("innsatsgruppe", innsatsgruppe)
    group = {"veiledergruppe": "veiledergruppe_id", None: "NULL"}.get(dim, dim)
    if per_periode:
        head, sets = "p, g, GROUPING(p) AS gp", "(p, g), (p), (g), ()"
    else:  # every row is per value or in all: as if rolled up over the period
        head, sets = "NULL AS p, g, 1 AS gp", "(g), ()"
    rows = con.execute(
        f"""
        SELECT {head}, GROUPING(g) AS gg, count(DISTINCT person_id),
               count(DISTINCT person_id) FILTER (WHERE paa_tiltak)
        FROM (SELECT person_id, paa_tiltak, {PERIODE_SQL[periode].format(col="uke_start")} AS p,
                     {group} AS g
              FROM {OPPFOLGING_UKE}
              WHERE kontor = ? AND uke_start BETWEEN ? AND ?{fa}{fi})
        GROUP BY GROUPING SETS ({sets})
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
    return _weeks(
        con,
        "ventetid_ukevis",
        _ventetid_ukevis,
        kontor,
        fra,
        til,
        dim,
        tuple(tiltakskode),
        tuple(tiltaksgruppe),
    )


def _ventetid_ukevis(con, kontor, fra, til, dim, tiltakskode, tiltaksgruppe) -> list[tuple]:
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
