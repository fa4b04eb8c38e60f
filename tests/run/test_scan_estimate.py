"""The estimate of what BigQuery would read per model (`metrikk run --dry-run --target bigquery`):
which columns of which tables a query references, and their size by BigQuery's rules, on
hand-made SQL and a hand-made DuckDB table whose sizes are counted here by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import duckdb
import pytest

from metrikk.run.scan_estimate import ALL, Sizer, column_bytes, columns_read, estimate, reads


@pytest.mark.parametrize(
    ("sql", "dialect", "expected"),
    [
        (  # aliases, a join condition and a filter count; the CTE is not a table
            "WITH c AS (SELECT a.x AS x, b.y AS y FROM s.t AS a JOIN s.u AS b ON a.id = b.id"
            " WHERE a.z > 1) SELECT c.x, c.y FROM c",
            "duckdb",
            {"s.t": {"x", "id", "z"}, "s.u": {"y", "id"}},
        ),
        ("SELECT count(*) FROM s.t", "duckdb", {"s.t": set()}),  # no column: nothing read
        ("SELECT * FROM s.t", "duckdb", {"s.t": {ALL}}),
        (
            "SELECT t.*, u.y FROM s.t AS t JOIN s.u AS u ON t.k = u.k",
            "duckdb",
            {"s.t": {ALL, "k"}, "s.u": {"y", "k"}},
        ),
        (  # unqualified columns belong to the scope's base table
            "SELECT x FROM (SELECT x, y FROM s.t WHERE z = 1) AS sub",
            "duckdb",
            {"s.t": {"x", "y", "z"}},
        ),
        (  # BigQuery's quoting and a project: the table is dataset.table
            "SELECT `t`.`X` FROM `nav-prosjekt`.`s`.`t` AS `t` WHERE `t`.`uke` >= '2024-01-01'",
            "bigquery",
            {"s.t": {"x", "uke"}},
        ),
        (  # a scalar subquery is a scope of its own
            "SELECT t.a, (SELECT max(k.b) FROM s.k AS k) AS m FROM s.t AS t",
            "duckdb",
            {"s.t": {"a"}, "s.k": {"b"}},
        ),
    ],
)
def test_columns_read(sql, dialect, expected):
    assert columns_read(sql, dialect) == expected


@pytest.fixture(name="con")
def _con():
    con = duckdb.connect()
    con.execute("CREATE SCHEMA s")
    con.execute(
        "CREATE TABLE s.t (i BIGINT, n INTEGER, v VARCHAR, b BOOLEAN, d DATE, ts TIMESTAMPTZ,"
        " dec DECIMAL(10, 2), f DOUBLE, l VARCHAR[], li BIGINT[], tom VARCHAR)"
    )
    ts = datetime(2024, 1, 1, tzinfo=UTC)
    con.executemany(
        "INSERT INTO s.t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        [
            (1, 7, "abc", True, date(2024, 1, 1), ts, Decimal("1.50"), 2.0, ["a", "bc"], [1, 2]),
            (None, None, "æøå", None, None, None, None, None, [], None),
            (3, 9, None, False, date(2024, 1, 2), ts, Decimal("2"), None, ["x", None], [None]),
        ],
    )
    yield con
    con.close()


def test_sizes_follow_bigquerys_rules(con):
    """INT64, DATE, TIMESTAMP, FLOAT64 8 bytes, BOOL 1, NUMERIC 16, STRING 2 + UTF-8 bytes, an
    ARRAY the sum of its elements, NULL 0."""
    assert column_bytes(con, "s.t", {ALL}) == {
        "i": 8 + 8,
        "n": 8 + 8,  # INTEGER is INT64 on BigQuery
        "v": (2 + 3) + (2 + 6),  # «æøå» is six UTF-8 bytes
        "b": 1 + 1,
        "d": 8 + 8,
        "ts": 8 + 8,
        "dec": 16 + 16,
        "f": 8,
        "l": (2 + 1) + (2 + 2) + 0 + (2 + 1),
        "li": 8 + 8,
        "tom": 0,
    }
    assert column_bytes(con, "s.t", {"v", "i", "finnes_ikke"}) == {"i": 16, "v": 13}
    assert column_bytes(con, "s.t", set()) == {}
    assert column_bytes(con, "s.mangler", {"x"}) is None


def test_estimate_sums_each_models_columns_and_names_missing_tables(con):
    con.execute("CREATE TABLE s.u (k VARCHAR)")
    con.execute("INSERT INTO s.u VALUES ('ab'), ('c')")
    rendered = [
        ("m.en", "SELECT t.i, t.v FROM s.t AS t"),
        ("m.to", "SELECT t.i, u.k FROM s.t AS t JOIN s.u AS u ON t.v = u.k"),
        ("m.tre", "SELECT x.a FROM s.borte AS x"),
        ("m.fire", "SELECT * FROM s.u"),
    ]
    got = {e.model: e for e in estimate(Sizer(con), rendered, "duckdb")}
    assert got["m.en"].bytes == 16 + 13 and got["m.en"].tables == {"s.t": 29}
    assert got["m.to"].tables == {"s.t": 16 + 13, "s.u": (2 + 2) + (2 + 1)}
    assert got["m.to"].bytes == 29 + 7
    assert got["m.tre"].bytes == 0 and got["m.tre"].missing == ("s.borte",)
    assert got["m.fire"].bytes == 7  # a star reads every column


D = date.fromisoformat


@pytest.mark.parametrize(
    ("where", "bounds"),
    [
        (
            "t.d >= CAST('2024-01-02' AS DATE) AND t.d <= CAST('2024-01-09' AS DATE)",
            (D("2024-01-02"), D("2024-01-09")),
        ),
        (
            "t.d BETWEEN '2024-01-02' AND '2024-01-09' AND t.i > 0",
            (D("2024-01-02"), D("2024-01-09")),
        ),
        ("'2024-01-02' <= t.d", (D("2024-01-02"), None)),  # the constant first
        ("'2024-01-09' >= t.d", (None, D("2024-01-09"))),
        ("u.d >= '2024-01-02'", None),  # another table's column of that name
        ("t.d = DATE '2024-01-02'", (D("2024-01-02"), D("2024-01-02"))),
        ("t.d >= current_date", None),  # not a constant: every day
        ("t.d >= '2024-01-02' OR t.i > 0", None),  # OR keeps every day
        ("t.ts <= '2024-01-02 23:59:59.999999'", (None, D("2024-01-02"))),  # a timestamp's day
        ("t.i > 0", None),
    ],
)
def test_the_days_read_of_a_partitioned_table(where, bounds):
    column = "ts" if "t.ts" in where else "d"
    sql = f"SELECT t.v FROM s.t AS t JOIN s.u AS u ON t.i = u.i WHERE {where}"
    got = reads(sql, "duckdb", {"s.t": column})
    assert got["s.t"].bounds == bounds


def test_a_table_read_twice_reads_the_widest_range():
    sql = (
        "SELECT a.v FROM s.t AS a WHERE a.d >= '2024-01-05' UNION ALL "
        "SELECT b.v FROM s.t AS b WHERE b.d BETWEEN '2024-01-01' AND '2024-01-03'"
    )
    assert reads(sql, "duckdb", {"s.t": "d"})["s.t"].bounds == (D("2024-01-01"), None)
    sql += " UNION ALL SELECT c.v FROM s.t AS c"  # a read without a range: every day
    assert reads(sql, "duckdb", {"s.t": "d"})["s.t"].bounds is None


def test_a_partitioned_table_is_sized_over_the_days_read(con):
    """Only the rows of the partitions kept are counted, each range measured once."""
    assert column_bytes(con, "s.t", {"v"}, ("d", (D("2024-01-02"), None))) == {"v": 0}
    assert column_bytes(con, "s.t", {"v", "i"}, ("d", (None, D("2024-01-01")))) == {
        "v": 5,
        "i": 8,
    }
    sizer = Sizer(con, {"s.t": "d"})
    rendered = [
        ("m.uke", "SELECT t.v, t.i FROM s.t AS t WHERE t.d <= '2024-01-01'"),
        ("m.alt", "SELECT t.v, t.i FROM s.t AS t"),
    ]
    got = {e.model: e.bytes for e in estimate(sizer, rendered, "duckdb")}
    assert got == {"m.uke": 5 + 8 + 8, "m.alt": 13 + 16}  # the filter's column is read too
