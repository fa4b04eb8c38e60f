"""The explicit rules that make BigQuery and DuckDB agree (docs/decisions.md, "One rule on both
engines"), on real-data nasties: each macro's BigQuery SQL parses as BigQuery and, transpiled
by sqlglot, gives the rule's answer on DuckDB. Since the rule is spelled out in SQL (RE2
regular expressions on both engines) instead of left to TRIM's or SAFE_CAST's defaults, the
BigQuery answer is the same by construction.

The real-data nasties through the whole pipeline are in tests/etterlevelse/test_engine_rules.py.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import duckdb
import pytest
import sqlglot

from metrikk.pipeline.macros.etterlevelse import scalar_array_sql
from metrikk.pipeline.macros.kilde import iso_dato_sql
from metrikk.pipeline.macros.regler import (
    hele_sekunder_sql,
    heltall_sql,
    sannhet_sql,
    tidspunkt_sql,
    uten_blanke_kolonne_sql,
    uten_blanke_sql,
)
from metrikk.sqltid import BLANK, BLANK_CHARS
from tests.pipeline.bq_transpile import to_duckdb


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
@pytest.mark.parametrize("form", [uten_blanke_sql, uten_blanke_kolonne_sql])
def test_uten_blanke_strips_every_unicode_space(form, value, expected):
    """@uten_blanke strips Unicode whitespace, NBSP, zero-width space and BOM at both ends (DuckDB's TRIM strips only ' '),
    in both its forms (the column form trims only when an end is blank)."""
    assert on_duckdb(form("x"), value) == expected


def test_the_column_form_of_uten_blanke_sees_every_blank_at_either_end():
    """The column form skips TRIM when neither end is blank, so it must recognise each of the 27
    blank characters at the start and at the end, alone and beside other text."""
    values = [v for c in BLANK_CHARS for v in (c, f"{c}a", f"a{c}", f"{c}a b{c}", f"{c}{c}")]
    sql = f"SELECT x, {uten_blanke_kolonne_sql('x')} FROM v"
    duck = sqlglot.transpile(sql, read="bigquery", write="duckdb")[0]
    con = duckdb.connect()
    con.execute("CREATE TABLE v (x VARCHAR)")
    con.executemany("INSERT INTO v VALUES (?)", [[v] for v in values])
    wrong = [(x, y) for x, y in con.execute(duck).fetchall() if y != x.strip(BLANK_CHARS)]
    assert wrong == []


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


def _utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01T10:00:07", _utc(2024, 5, 1, 10, 0, 7)),
        ("2024-05-01 10:00:07.5", _utc(2024, 5, 1, 10, 0, 7, 500000)),
        ("2024-05-01T10:00:07.123456789", _utc(2024, 5, 1, 10, 0, 7, 123456)),  # nanoseconds cut
        ("2024-05-01T10:00", _utc(2024, 5, 1, 10, 0)),  # Java's LocalDateTime without seconds
        ("2024-05-01T10:00:00Z", _utc(2024, 5, 1, 10, 0)),
        ("2024-05-01T10:00:00+02:00", _utc(2024, 5, 1, 8, 0)),
        ("2024-05-01", _utc(2024, 5, 1)),
        (" 2024-05-01T10:00:00", None),  # DuckDB's TRY_CAST read it
        ("2024-5-1 10:00:00", None),  # DuckDB's TRY_CAST read it
        ("2024-02-30T10:00:00", None),
        ("2024-05-01T25:00:00", None),
        ("1714557600", None),
        ("", None),
        (None, None),
    ],
)
def test_tidspunkt_reads_only_iso_timestamps(value, expected):
    """@tidspunkt: ISO date and time (optional seconds, fraction cut to microseconds, 'Z' or an offset) as TIMESTAMP, anything else NULL."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    sql = sqlglot.transpile(f"SELECT {tidspunkt_sql('x')} FROM v", read="bigquery", write="duckdb")[
        0
    ]
    con.execute("CREATE TABLE v (x VARCHAR)")
    con.execute("INSERT INTO v VALUES (?)", [value])
    assert con.execute(sql).fetchone()[0] == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2025-03-01 10:00:00.9", "2025-03-01 10:00:01.1", 0),  # DATE_DIFF('second') gave 1
        ("2025-03-01 10:00:01.1", "2025-03-01 10:00:00.9", 0),  # truncated toward zero
        ("2025-03-01 10:00:00.9", "2025-03-02 10:00:00.8", 86399),
        ("2025-03-01 10:00:00", "2025-03-01 10:00:02.999999", 2),
        ("2025-03-01 10:00:03", "2025-03-01 10:00:00.5", -2),
    ],
)
def test_hele_sekunder_truncates_the_exact_difference(start, end, expected):
    """@hele_sekunder: whole seconds from start to end, the exact microsecond difference truncated toward zero (BigQuery's TIMESTAMP_DIFF(…, SECOND))."""
    sql = sqlglot.transpile(
        f"SELECT {hele_sekunder_sql('e', 's')} FROM v", read="bigquery", write="duckdb"
    )[0]
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        "CREATE TABLE v AS SELECT CAST(? AS TIMESTAMPTZ) AS s, CAST(? AS TIMESTAMPTZ) AS e",
        [start, end],
    )
    assert con.execute(sql).fetchone()[0] == expected


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


# The round trip (tests/pipeline/bq_transpile.py) must run BigQuery's semantics, not DuckDB's, for
# the functions where the engines differ, or it could not catch a model relying on them.


@pytest.mark.parametrize(
    ("array", "expected"),
    [
        (["a", None, "b"], ["a", None, "b"]),  # the NULL element BigQuery refuses to write
        (["a", {"b": 1}], None),  # an object makes the whole array NULL
        ([["a"]], None),
        ([1, True], ["1", "true"]),
        ([], []),
        ({"a": 1}, None),
        ("tekst", None),
    ],
)
def test_round_trip_json_value_array_is_bigquerys(array, expected):
    """to_duckdb's JSON_VALUE_ARRAY: NULL unless an array of scalars; a JSON null is a NULL element."""
    con = duckdb.connect()
    con.execute("CREATE TABLE v (x VARCHAR)")
    con.execute("INSERT INTO v VALUES (?)", [json.dumps({"a": array})])
    assert (
        con.execute(to_duckdb("SELECT JSON_VALUE_ARRAY(x, '$.a') FROM v")).fetchone()[0] == expected
    )


@pytest.mark.parametrize(
    ("unit", "expected"), [("SECOND", 0), ("MILLISECOND", 200), ("MICROSECOND", 200000)]
)
def test_round_trip_timestamp_diff_counts_whole_units(unit, expected):
    """to_duckdb's TIMESTAMP_DIFF: whole units, as BigQuery (DuckDB's DATE_DIFF counts boundaries: 1 second)."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        "CREATE TABLE v AS SELECT TIMESTAMPTZ '2025-03-01 10:00:00.9' AS s, "
        "TIMESTAMPTZ '2025-03-01 10:00:01.1' AS e"
    )
    sql = to_duckdb(f"SELECT TIMESTAMP_DIFF(e, s, {unit}) FROM v")
    assert con.execute(sql).fetchone()[0] == expected
