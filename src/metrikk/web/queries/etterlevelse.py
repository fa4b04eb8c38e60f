"""SQL of the etterlevelse and behandlinger views: the generic ds_* datasets, and the statements
of the named views (web/etterlevelse.py turns their rows into tables and charts)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import duckdb

from metrikk.warehouse import qualified, quote
from metrikk.web.queries.connection import (
    Unavailable,
    has_table,
    require,
    rows_as_dicts,
    table_columns,
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


def etterlevelse_datasett(con):
    return con.memo("etterlevelse_datasett", _etterlevelse_datasett)


# --- the named views (web/etterlevelse.py) ---------------------------------------------------

SIST_OPPDATERT = "etterlevelse.ds_sist_oppdatert"
PVK_FLYT = "etterlevelse.ds_pvk_flyt"
PVK_DOKUMENT = "etterlevelse.stage_pvk_dokument"
BRUK_UKE = "etterlevelse.ds_bruk_uke"
BEHANDLINGER = "behandlinger.stage_behandlinger"
BRUK_MAAL_KOLONNER = (
    "antallAktiveDokumenter",
    "antallLagredeSvar",
    "antallNyeDokumenter",
    "antallFullforteDokumenter",
)
KODEVERK = "etterlevelse.stage_kodeverk"
GRUNNLAG = "behandlinger.stage_behandlingsgrunnlag"
DATABEHANDLERE = "behandlinger.stage_dataprocessors"

# Current behandlinger: the one aktivObservasjon version of each behandling that is not deleted.
AKTIVE_BEHANDLINGER = (
    f"SELECT DISTINCT behandlingId FROM {BEHANDLINGER} WHERE aktivObservasjon AND NOT slettet"
)


# The columns each view reads (the published models' names); an older or hand-made table
# without them is "not published yet" (503), never a 500.
KOLONNER: dict[str, tuple[str, ...]] = {
    SIST_OPPDATERT: ("etterlevelseDokumentasjonId", "dato", "oppdatert", "dagerSidenOppdatering"),
    PVK_FLYT: ("pvkDokumentId", "status", "forsteTid"),
    PVK_DOKUMENT: ("pvkDokumentId", "status", "action", "time", "version", "audit_id"),
    BRUK_UKE: ("uke_start", "avdeling", *BRUK_MAAL_KOLONNER),
    KODEVERK: ("liste", "kode", "navn"),
    BEHANDLINGER: ("behandlingId", "aktivObservasjon", "slettet", "dataProcessorOutsideEU"),
    GRUNNLAG: (
        "behandlingId",
        "gdpr",
        "shortNameGDPR",
        "gdprArtikkel",
        "nationalLaw",
        "shortNameNationalLaw",
    ),
    DATABEHANDLERE: (
        "behandlingId",
        "dataprocessorId",
        "name",
        "outsideEU",
        "countries",
        "transferGroundsOutsideEU",
        "shortNameTransferGroundsOutsideEU",
        "processorSlettet",
    ),
}


def require_columns(con, *tables: str) -> None:
    """Like `require`, and each table has the columns its view reads (KOLONNER)."""
    require(con, *tables)
    for t in tables:
        schema, table = t.split(".")
        have = set(table_columns(con, schema, table) or ())
        missing = [c for c in KOLONNER[t] if c not in have]
        if missing:
            raise Unavailable(
                f"Tabellen {t} mangler kolonnene {', '.join(missing)}. Kjør «metrikk run» med "
                "gjeldende versjon av metrikk."
            )


def sist_oppdatert_dager(con) -> tuple[date | None, date | None]:
    """(first, last) dato of ds_sist_oppdatert."""
    return con.execute(f"SELECT min(dato), max(dato) FROM {SIST_OPPDATERT}").fetchone()


def sist_oppdatert_bokser(
    con, dato: date, bokser: Sequence[tuple[int, int | None, str]]
) -> dict[int, int]:
    """{index of the box: documents} on `dato`, by days since their last update."""
    cases = " ".join(
        f"WHEN dagerSidenOppdatering BETWEEN {lo} AND {hi} THEN {i}"
        if hi is not None
        else f"WHEN dagerSidenOppdatering >= {lo} THEN {i}"
        for i, (lo, hi, _) in enumerate(bokser)
    )
    return dict(
        con.execute(
            f"SELECT CASE {cases} END AS boks, count(DISTINCT etterlevelseDokumentasjonId)"
            f" FROM {SIST_OPPDATERT} WHERE dato = ? GROUP BY boks",
            [dato],
        ).fetchall()
    )


def sist_oppdatert_totalt(con, dato: date) -> tuple:
    """(documents, median days since update, documents updated that day) on `dato`."""
    return con.execute(
        f"""
        SELECT count(DISTINCT etterlevelseDokumentasjonId), median(dagerSidenOppdatering),
               count(DISTINCT etterlevelseDokumentasjonId) FILTER (WHERE oppdatert)
        FROM {SIST_OPPDATERT} WHERE dato = ?
        """,
        [dato],
    ).fetchone()


def pvk_dager(con) -> tuple[date | None, date | None]:
    """(first, last) Oslo day of a PVK document version."""
    return con.execute(
        f"SELECT min(CAST(timezone('Europe/Oslo', time) AS DATE)),"
        f" max(CAST(timezone('Europe/Oslo', time) AS DATE)) FROM {PVK_DOKUMENT}"
    ).fetchone()


def sist_oppdatert_siste_dag(con) -> date | None:
    """The reference date of the run (the last dato of ds_sist_oppdatert)."""
    (ref,) = con.execute(f"SELECT max(dato) FROM {SIST_OPPDATERT}").fetchone()
    return ref


def pvk_bestand(con, starts: list[date], ends: list[date]) -> list[tuple]:
    """(period start, status, documents) at the end of each period (before `ends[i]`), from the
    full version history; deleted documents drop out."""
    return con.execute(
        f"""
        WITH perioder AS (
            SELECT unnest(?::DATE[]) AS start, unnest(?::DATE[]) AS slutt
        ),
        versjoner AS (
            SELECT pvkDokumentId, COALESCE(status, 'UKJENT') AS status, action, time, version,
                   audit_id, CAST(timezone('Europe/Oslo', time) AS DATE) AS dag
            FROM {PVK_DOKUMENT}
        ),
        siste AS (
            SELECT p.start, v.pvkDokumentId,
                   arg_max(v.status, (v.time, v.version, v.audit_id)) AS status,
                   arg_max(v.action, (v.time, v.version, v.audit_id)) AS action
            FROM perioder AS p JOIN versjoner AS v ON v.dag < p.slutt
            GROUP BY p.start, v.pvkDokumentId
        )
        SELECT start, status, count(*) FROM siste WHERE action <> 'DELETE' GROUP BY start, status
        """,
        [starts, ends],
    ).fetchall()


def pvk_nye(con, fra: date, til: date) -> list[tuple]:
    """(Oslo day, status, documents) of first entries into a status, fra … til."""
    return con.execute(
        f"""
        SELECT CAST(timezone('Europe/Oslo', forsteTid) AS DATE) AS dag, status,
               count(DISTINCT pvkDokumentId)
        FROM {PVK_FLYT}
        WHERE CAST(timezone('Europe/Oslo', forsteTid) AS DATE) BETWEEN ? AND ?
        GROUP BY ALL
        """,
        [fra, til],
    ).fetchall()


def bruk_kilde(con) -> str:
    """What to read weekly usage FROM: ds_bruk_uke with one name per avdeling.

    ds_bruk_uke's avdeling is the NOM name from June 2025 but the older AVDELING code before
    (a document whose current version predates June 2025 keeps its code), so the same avdeling
    shows up twice: «AVD_HR» and «HR-avdelingen». Here a code becomes its AVDELING codelist name
    (stage_kodeverk) when the codelist knows it, else it stays the code, and the rows of one name
    are added up: every document has one avdeling, so the sums count each document once. A
    snapshot without stage_kodeverk (published before it existed) gives the table as it is."""
    require_columns(con, BRUK_UKE)
    cols = ", ".join(BRUK_MAAL_KOLONNER)
    if not has_table(con, *KODEVERK.split(".")):
        return f"(SELECT uke_start, avdeling, {cols} FROM {BRUK_UKE})"
    require_columns(con, KODEVERK)
    sums = ", ".join(f"CAST(sum(b.{m}) AS BIGINT) AS {m}" for m in BRUK_MAAL_KOLONNER)
    return f"""(
        SELECT b.uke_start, COALESCE(k.navn, b.avdeling) AS avdeling, {sums}
        FROM {BRUK_UKE} AS b
        LEFT JOIN (
            SELECT kode, any_value(navn) AS navn FROM {KODEVERK}
            WHERE liste = 'AVDELING' AND navn IS NOT NULL AND navn <> '' GROUP BY kode
        ) AS k ON k.kode = b.avdeling
        GROUP BY ALL
    )"""


def avdeling_navn(con) -> dict[str, str]:
    """{AVDELING code: its codelist name}; empty without stage_kodeverk."""
    if not has_table(con, *KODEVERK.split(".")):
        return {}
    require_columns(con, KODEVERK)
    return dict(
        con.execute(
            f"SELECT kode, any_value(navn) FROM {KODEVERK} WHERE liste = 'AVDELING'"
            " AND navn IS NOT NULL AND navn <> '' GROUP BY kode"
        ).fetchall()
    )


def bruk_avdelinger(con) -> list[str]:
    """Every avdeling of weekly usage, one name each (bruk_kilde), sorted."""
    return [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT avdeling FROM {bruk_kilde(con)} ORDER BY 1"
        ).fetchall()
    ]


def bruk_uker(con) -> tuple[date | None, date | None]:
    """(first, last) uke_start of ds_bruk_uke."""
    return con.execute(f"SELECT min(uke_start), max(uke_start) FROM {BRUK_UKE}").fetchone()


def bruk_rader(con, kilde: str, fra: date, til: date, avdeling: Sequence[str]) -> list[dict]:
    """The rows of `kilde` (bruk_kilde) for weeks fra … til, of `avdeling` if any."""
    cols = ", ".join(BRUK_MAAL_KOLONNER)
    params: list[Any] = [fra, til]
    where = "uke_start BETWEEN ? AND ?"
    if avdeling:
        where += f" AND avdeling IN ({', '.join('?' for _ in avdeling)})"
        params.extend(avdeling)
    return rows_as_dicts(
        con.execute(f"SELECT uke_start, avdeling, {cols} FROM {kilde} WHERE {where}", params)
    )


def count_behandlinger(con) -> int:
    """Current behandlinger (AKTIVE_BEHANDLINGER)."""
    require_columns(con, BEHANDLINGER)
    return int(con.execute(f"SELECT count(*) FROM ({AKTIVE_BEHANDLINGER})").fetchone()[0])


def grunnlag_rader(con, code: str, name: str) -> list[tuple]:
    """(code or '', name, current behandlinger) per legal basis in column `code`."""
    return con.execute(
        f"""
        SELECT COALESCE(g.{code}, '') AS kode, COALESCE(max(g.{name}), max(g.{code})) AS navn,
               count(DISTINCT g.behandlingId) AS antall
        FROM {GRUNNLAG} AS g
        WHERE g.behandlingId IN ({AKTIVE_BEHANDLINGER})
        GROUP BY 1 ORDER BY antall DESC, kode
        """
    ).fetchall()


def med_grunnlag(con) -> int:
    """Current behandlinger with at least one legal basis."""
    (med,) = con.execute(
        f"SELECT count(DISTINCT behandlingId) FROM {GRUNNLAG}"
        f" WHERE behandlingId IN ({AKTIVE_BEHANDLINGER})"
    ).fetchone()
    return med


def utenfor_eu_svar(con) -> dict[str, int]:
    """{'ja'|'nei'|'ukjent': current behandlinger} by their own answer dataProcessorOutsideEU."""
    return dict(
        con.execute(
            f"""
            SELECT CASE WHEN dataProcessorOutsideEU THEN 'ja'
                        WHEN NOT dataProcessorOutsideEU THEN 'nei' ELSE 'ukjent' END,
                   count(DISTINCT behandlingId)
            FROM {BEHANDLINGER} WHERE aktivObservasjon AND NOT slettet GROUP BY 1
            """
        ).fetchall()
    )


def databehandlere_rader(con, gruppering: str) -> list[tuple]:
    """(value, behandlinger, databehandlere) of processors outside the EU/EEA per databehandler,
    land or overføringsgrunnlag."""
    key = {
        "databehandler": "COALESCE(p.name, p.dataprocessorId)",
        "land": "land",
        "overforingsgrunnlag": "COALESCE(p.shortNameTransferGroundsOutsideEU,"
        " p.transferGroundsOutsideEU, 'Ikke oppgitt')",
    }[gruppering]
    unnest = (
        ", unnest(CASE WHEN len(p.countries) > 0 THEN p.countries ELSE ['Ikke oppgitt'] END)"
        " AS t(land)"
        if gruppering == "land"
        else ""
    )
    return con.execute(
        f"""
        SELECT {key} AS verdi, count(DISTINCT p.behandlingId) AS behandlinger,
               count(DISTINCT p.dataprocessorId) AS databehandlere
        FROM {DATABEHANDLERE} AS p{unnest}
        WHERE p.outsideEU AND NOT p.processorSlettet
          AND p.behandlingId IN ({AKTIVE_BEHANDLINGER})
        GROUP BY 1 ORDER BY behandlinger DESC, verdi
        """
    ).fetchall()


def databehandlere_totalt(con) -> tuple:
    """(current behandlinger, distinct processors) with a processor outside the EU/EEA."""
    return con.execute(
        f"""
        SELECT count(DISTINCT behandlingId), count(DISTINCT dataprocessorId) FROM {DATABEHANDLERE}
        WHERE outsideEU AND NOT processorSlettet AND behandlingId IN ({AKTIVE_BEHANDLINGER})
        """
    ).fetchone()
