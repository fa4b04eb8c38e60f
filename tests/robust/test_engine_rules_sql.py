"""The explicit rules that make BigQuery and DuckDB agree (docs/decisions.md, "One rule on both
engines"), on real-data nasties: each macro's BigQuery SQL parses as BigQuery and, transpiled
by sqlglot, gives the rule's answer on DuckDB. Since the rule is spelled out in SQL (RE2
regular expressions on both engines) instead of left to TRIM's or SAFE_CAST's defaults, the
BigQuery answer is the same by construction.

The real-data nasties through the whole pipeline are in tests/etterlevelse/test_engine_rules.py.
"""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest
import sqlglot

from metrikk.pipeline.macros.etterlevelse import scalar_array_sql
from metrikk.pipeline.macros.kilde import iso_dato_sql
from metrikk.pipeline.macros.regler import heltall_sql, sannhet_sql, uten_blanke_sql
from metrikk.sqltid import BLANK, BLANK_CHARS


def on_duckdb(bigquery_expr: str, value):
    """`bigquery_expr` over the one-column relation `v(x)` holding `value`, run on DuckDB."""
    sql = f"SELECT {bigquery_expr} FROM v"
    sqlglot.parse_one(sql, read="bigquery")
    duck = sqlglot.transpile(sql, read="bigquery", write="duckdb")[0]
    con = duckdb.connect()
    con.execute("CREATE TABLE v (x VARCHAR)")
    con.execute("INSERT INTO v VALUES (?)", [value])
    return con.execute(duck).fetchone()[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("DELTAR\r", "DELTAR"),
        ("DELTAR\r\n", "DELTAR"),
        ("\u00a00219\u00a0", "0219"),  # no-break spaces from a spreadsheet
        ("\u202f0219\u2009", "0219"),  # narrow no-break space, thin space
        ("\ufeffGODE_MULIGHETER", "GODE_MULIGHETER"),  # byte-order mark
        ("\t a b \u200b", "a b"),  # inner space kept, zero-width space stripped
        ("   ", ""),
        ("", ""),
        (None, None),
    ],
)
def test_uten_blanke_strips_every_unicode_space(value, expected):
    """@uten_blanke strips Unicode whitespace, NBSP, zero-width space and BOM at both ends (DuckDB's TRIM strips only ' ')."""
    assert on_duckdb(uten_blanke_sql("x"), value) == expected


def test_blank_characters_are_the_whitespace_class():
    """@uten_blanke's character set is exactly the RE2 class @trimmet uses, over the whole BMP."""
    con = duckdb.connect()
    in_class = {
        chr(cp)
        for (cp,) in con.execute(
            "SELECT cp FROM range(1, 65536) t(cp) WHERE (cp < 55296 OR cp > 57343) "
            "AND regexp_matches(chr(cp::INTEGER), ?)",
            [f"^{BLANK}$"],
        ).fetchall()
    }
    assert in_class == set(BLANK_CHARS)
    assert len(BLANK_CHARS) == len(set(BLANK_CHARS)) == 27


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("-3", -3),
        ("+4", 4),
        ("1.0", None),  # DuckDB's TRY_CAST gives 1, BigQuery's SAFE_CAST NULL
        ("1.5", None),  # DuckDB's TRY_CAST rounds to 2
        ("1e3", None),
        (" 7", None),
        ("99999999999999999999", None),  # out of INT64 range
        ("", None),
        (None, None),
    ],
)
def test_heltall_reads_only_digits(value, expected):
    """@heltall: an optionally signed run of digits as INT64, anything else NULL."""
    assert on_duckdb(heltall_sql("x"), value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("FALSE", False),
        ("True", True),
        ("1", None),
        ("t", None),
        ("yes", None),
        (None, None),
    ],
)
def test_sannhet_reads_only_true_and_false(value, expected):
    """@sannhet: 'true'/'false' in any case, anything else NULL ('1' is TRUE for DuckDB's TRY_CAST, NULL for BigQuery's SAFE_CAST)."""
    assert on_duckdb(sannhet_sql("x"), value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01", date(2024, 5, 1)),
        ("2024-05-01T10:00", None),  # a timestamp in a date field
        ("2024-5-1", None),
        ("2024-02-30", None),
        (None, None),
    ],
)
def test_iso_dato_reads_only_dates(value, expected):
    """@iso_dato: 'YYYY-MM-DD' only (DuckDB's TRY_CAST accepts a timestamp in a date field, BigQuery's SAFE_CAST does not)."""
    assert on_duckdb(iso_dato_sql("x"), value) == expected


@pytest.mark.parametrize(
    ("array", "expected"),
    [
        (["b1", None, "b2"], ["b1", "b2"]),
        ([{"navn": "objekt"}, "a", ["nøstet"], "b"], ["a", "b"]),
        ([3, 1.5, True, 'æ " ø'], ["3", "1.5", "true", 'æ " ø']),
        ([None], []),
        ([], []),
        ("ikke en liste", None),
        ({"et": "objekt"}, None),
        (None, None),
    ],
)
def test_scalar_arrays_are_null_free_and_ordered(array, expected):
    """@ett_array's rule: only a JSON array counts; its scalars, as text, in order; nulls, objects and nested arrays dropped."""
    doc = json.dumps({"a": array})
    assert (
        on_duckdb(scalar_array_sql("PARSE_JSON(x)", "$.a"), doc) == expected
    )  # JSON, as on BigQuery
    assert on_duckdb(scalar_array_sql("x", "$.a"), doc) == expected  # JSON text
