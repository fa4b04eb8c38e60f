"""SQL of the etterlevelse views: the generic ds_* datasets."""

from __future__ import annotations

import re
from typing import Any

import duckdb

from metrikk.warehouse import qualified, quote

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
