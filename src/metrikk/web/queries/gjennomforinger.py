"""SQL of the gjennomføring and data-quality views."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import duckdb

from metrikk.web.queries.connection import has_table, require, rows_as_dicts
from metrikk.web.queries.tiltak import DELTAKELSE_UKE, UTEN_AVDELING, weeks_between

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


# --- the gjennomføring list and Brum /gjennomforinger ----------------------------------------

NAVN = "tiltak_silver.gjennomforing_navn"
LOKAL = "tiltak_silver.gjennomforing_lokal_enhet"


def gjennomforing_navn_rader(con) -> list[tuple]:
    """(gjennomforing_id, name, tiltaksnummer, enkeltplass, start_dato, slutt_dato) of every
    gjennomføring; from tiltak_silver.gjennomforing in a warehouse from before the name model."""
    if has_table(con, "tiltak_silver", "gjennomforing_navn"):
        return con.execute(
            f"SELECT gjennomforing_id, visningsnavn, tiltaksnummer, enkeltplass, start_dato,"
            f" slutt_dato FROM {NAVN}"
        ).fetchall()
    if has_table(con, "tiltak_silver", "gjennomforing"):  # a warehouse from before the model
        return con.execute(
            "SELECT id, coalesce(navn, tiltakstype_navn || ' (' || left(id, 8) || ')'), NULL,"
            " tiltakskategori = 'ENKELTPLASS', start_dato, slutt_dato"
            " FROM tiltak_silver.gjennomforing"
        ).fetchall()
    return []


def brum_gjennomforing_liste(con, kontor: str, monday: date | None) -> list[tuple]:
    """The kontor's gjennomføringer (LOKAL Nav-enhet), no enkeltplasser; with `monday` only
    those running that week: (id, name, start_dato, slutt_dato) by name and start."""
    require(con, NAVN, LOKAL)
    where, params = "", [kontor]
    if monday is not None:
        where = " AND n.start_dato <= ? AND (n.slutt_dato IS NULL OR n.slutt_dato >= ?)"
        params += [monday + timedelta(days=6), monday]
    return con.execute(
        f"""
        SELECT n.gjennomforing_id, n.visningsnavn, n.start_dato, n.slutt_dato
        FROM {NAVN} n
        WHERE NOT n.enkeltplass AND n.start_dato IS NOT NULL
          AND n.gjennomforing_id IN (SELECT gjennomforing_id FROM {LOKAL} WHERE enhetsnummer = ?)
          {where}
        ORDER BY n.visningsnavn, n.start_dato, n.gjennomforing_id
        """,
        params,
    ).fetchall()
