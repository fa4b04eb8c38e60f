"""A structural privacy scan of published tables: no free text and no ident of a person.

Every string column (VARCHAR, VARCHAR[], JSON) of the tables given is read in full, whatever its
name; a value is a finding when

- it looks like free text: longer than `MAX_CHARS` characters or more than `MAX_WORDS` words.
  Published strings are codes, ids, pseudonyms and the names of units, tiltakstyper, temaer and
  groups: the longest of those is a tiltakstype name of about 50 characters and 7 words
  ("Fag- og yrkesopplæring eller fagskole (enkeltplass)"); a sentence of free text is longer;
- it holds, as a token of its own (not inside a longer run of letters and digits), an ident: a
  fødselsnummer or D-nummer (11 digits), an aktør-id (13 digits) or a NAV ident (one capital
  letter and 6 digits).

Column names are not consulted, so a new free-text or ident column is found by what it holds,
not by being on a list. Nothing of metrikk is imported.
"""

from __future__ import annotations

import re

import duckdb

MAX_CHARS = 64
MAX_WORDS = 8
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
IDENTS = {
    "fødselsnummer": re.compile(_EDGE_BEFORE + r"[0-9]{11}" + _EDGE_AFTER),
    "aktør-id": re.compile(_EDGE_BEFORE + r"[0-9]{13}" + _EDGE_AFTER),
    "NAV ident": re.compile(_EDGE_BEFORE + r"[A-Z][0-9]{6}" + _EDGE_AFTER),
}


def problems(value: str) -> list[str]:
    """Why one string value must not be published (empty when it may be)."""
    found = [name for name, pattern in IDENTS.items() if pattern.search(value)]
    if len(value) > MAX_CHARS or len(value.split()) > MAX_WORDS:
        found.append("fritekst")
    return found


def string_columns(
    con: duckdb.DuckDBPyConnection, schema: str, table: str
) -> list[tuple[str, str]]:
    """(column, DuckDB type) of every string, string-array and JSON column of the table."""
    return con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? "
        "AND (data_type IN ('VARCHAR', 'JSON') OR data_type IN ('VARCHAR[]', 'JSON[]')) "
        "ORDER BY ordinal_position",
        [schema, table],
    ).fetchall()


def distinct_values(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, column: str, dtype: str
):
    """Every distinct non-null value of the column as text (array elements one by one)."""
    ref = f'"{schema}"."{table}"'
    col = '"' + column.replace('"', '""') + '"'
    if dtype.endswith("[]"):
        sql = f"SELECT DISTINCT CAST(v AS VARCHAR) FROM (SELECT UNNEST({col}) AS v FROM {ref})"
    else:
        sql = f"SELECT DISTINCT CAST({col} AS VARCHAR) FROM {ref}"
    return [r[0] for r in con.execute(sql).fetchall() if r[0] is not None]


def scan(con: duckdb.DuckDBPyConnection, tables: list[tuple[str, str]]) -> tuple[int, list[str]]:
    """(number of string columns read, findings as `schema.table.column: why: value`)."""
    columns, findings = 0, []
    for schema, table in tables:
        for column, dtype in string_columns(con, schema, table):
            columns += 1
            for value in distinct_values(con, schema, table, column, dtype):
                why = problems(value)
                if why:
                    findings.append(f"{schema}.{table}.{column}: {', '.join(why)}: {value[:80]!r}")
    return columns, findings
