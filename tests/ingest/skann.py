"""The scan that no fødselsnummer, aktør-id or NAV ident passes beyond the source layer."""

from __future__ import annotations

import re

from tests.ingest.lager import Lager

SCHEMAS = ("tiltak_bronze", "tiltak_silver", "tiltak_gold")
# Whole tokens only: a 64-hex pseudonym holds digit runs, but never bounded by non-alphanumerics.
FNR = re.compile(r"(?<![0-9A-Za-z])[0-9]{11}(?![0-9A-Za-z])")
AKTOR_ID = re.compile(r"(?<![0-9A-Za-z])[0-9]{13}(?![0-9A-Za-z])")
NAV_IDENT = re.compile(r"(?<![0-9A-Za-z])[A-Za-z][0-9]{6}(?![0-9A-Za-z])")


def ident_leaks(lager: Lager, known: tuple[str, ...] = ()) -> tuple[int, list[str]]:
    """(values scanned, leaks): every distinct value of every string column of the tiltak
    bronze, silver and gold tables that looks like an fnr, an aktør-id or a NAV ident, or holds
    one of the `known` idents of the raw rows."""
    columns = lager.query(
        "SELECT table_schema, table_name, column_name FROM information_schema.columns "
        "WHERE table_catalog = current_database() AND data_type = 'VARCHAR' "
        f"AND table_schema IN ({', '.join(repr(s) for s in SCHEMAS)})"
    )
    scanned, leaks = 0, []
    for schema, table, column in columns:
        for (value,) in lager.query(
            f'SELECT DISTINCT "{column}" FROM "{schema}"."{table}" WHERE "{column}" IS NOT NULL'
        ):
            scanned += 1
            if (
                FNR.search(value)
                or AKTOR_ID.search(value)
                or NAV_IDENT.search(value)
                or any(k in value for k in known)
            ):
                leaks.append(f"{schema}.{table}.{column}: {value}")
    return scanned, leaks
