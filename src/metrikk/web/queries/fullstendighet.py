"""SQL of the Behandlingskatalogen completeness page: `behandlinger.ds_fullstendighet`, one row
per ISO week × avdeling × seksjon × indikator (web/fullstendighet.py shapes the answer)."""

from __future__ import annotations

from datetime import date
from typing import Any

from metrikk.web.queries.connection import Unavailable, require, table_columns

FULLSTENDIGHET = "behandlinger.ds_fullstendighet"
FULLSTENDIGHET_KOLONNER = (
    "uke_start",
    "avdeling",
    "avdelingNavn",
    "seksjon",
    "seksjonNavn",
    "indikator",
    "antallBehandlinger",
    "antallMangler",
)


def require_fullstendighet(con) -> None:
    """The table exists with the columns the page reads, else Unavailable (a Norwegian hint)."""
    require(con, FULLSTENDIGHET)
    schema, table = FULLSTENDIGHET.split(".")
    have = set(table_columns(con, schema, table) or ())
    missing = [c for c in FULLSTENDIGHET_KOLONNER if c not in have]
    if missing:
        raise Unavailable(
            f"Tabellen {FULLSTENDIGHET} mangler kolonnene {', '.join(missing)}. Kjør «metrikk run» "
            "med gjeldende versjon av metrikk."
        )


def fullstendighet_avdelinger(con) -> list[dict[str, str]]:
    """Every avdeling of the dataset as {verdi: code, navn: its one name}, by name; UKJENT last."""
    rows = con.execute(
        f"SELECT avdeling, any_value(avdelingNavn) FROM {FULLSTENDIGHET} GROUP BY avdeling "
        "ORDER BY avdeling = 'UKJENT', 2, 1"
    ).fetchall()
    return [{"verdi": a, "navn": n} for a, n in rows]


def fullstendighet_seksjoner(con) -> list[dict[str, str]]:
    """Every seksjon as {verdi, navn, avdeling}; the same seksjon id is one seksjon."""
    rows = con.execute(
        f"SELECT seksjon, any_value(seksjonNavn), any_value(avdelingNavn) FROM {FULLSTENDIGHET} "
        "WHERE seksjon <> 'UKJENT' GROUP BY seksjon ORDER BY 2, 1"
    ).fetchall()
    return [{"verdi": s, "navn": n, "avdeling": a} for s, n, a in rows]


def fullstendighet_uker(con) -> tuple[date | None, date | None]:
    """The first and last week of the dataset (None, None when it is empty)."""
    return con.execute(f"SELECT min(uke_start), max(uke_start) FROM {FULLSTENDIGHET}").fetchone()


def fullstendighet_celler(
    con,
    indikator: str,
    fra: date,
    til: date,
    avdeling: list[str],
    seksjon: list[str],
) -> dict[tuple[date, str], tuple[int, int]]:
    """{(week, avdeling): (active behandlinger, those lacking `indikator`)} over the chosen
    seksjoner (all when none), summed over seksjoner."""
    where = ["indikator = ?", "uke_start BETWEEN ? AND ?"]
    params: list[Any] = [indikator, fra, til]
    if avdeling:
        where.append(f"avdeling IN ({', '.join('?' for _ in avdeling)})")
        params.extend(avdeling)
    if seksjon:
        where.append(f"seksjon IN ({', '.join('?' for _ in seksjon)})")
        params.extend(seksjon)
    rows = con.execute(
        f"SELECT uke_start, avdeling, CAST(sum(antallBehandlinger) AS BIGINT), "
        f"CAST(sum(antallMangler) AS BIGINT) FROM {FULLSTENDIGHET} WHERE {' AND '.join(where)} "
        "GROUP BY uke_start, avdeling",
        params,
    ).fetchall()
    return {(w, a): (int(n), int(m)) for w, a, n, m in rows}
