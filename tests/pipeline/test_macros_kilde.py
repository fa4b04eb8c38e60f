"""The source layer's macros (`pipeline/macros/kilde.py`): table references for each engine, and
whitespace, ISO text and Oslo wall-clock rules that give the same values on DuckDB and BigQuery.

The SQL the macros build is BigQuery; DuckDB runs what sqlglot transpiles it to (as SQLMesh does).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from metrikk.kilder import les_kilder
from metrikk.pipeline.macros import kilde as macros
from metrikk.settings import Settings, kilde_steder_from_env

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture(name="con")
def _con():
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    yield con
    con.close()


def run(con, bigquery_expr: str, value, typ: str = "VARCHAR"):
    """Evaluate a BigQuery expression over `x` (one value) in DuckDB, transpiled as SQLMesh does."""
    sql = sqlglot.transpile(f"SELECT {bigquery_expr} FROM t", read="bigquery", write="duckdb")[0]
    con.execute(f"CREATE OR REPLACE TEMP TABLE t AS SELECT CAST(? AS {typ}) AS x", [value])
    return con.execute(sql).fetchone()[0]


def evaluator(engine: str | None, env: dict | None = None):
    variables = {
        "kilder": les_kilder(Settings(kilde_steder=kilde_steder_from_env(env or {}))).variabler()
    }
    adapter = SimpleNamespace(dialect=engine) if engine else None
    return SimpleNamespace(var=variables.get, locals={"engine_adapter": adapter} if adapter else {})


def lit(text: str) -> exp.Expression:
    return exp.Literal.string(text)


def test_kilde_renders_project_dataset_table_quoted_for_bigquery():
    """On BigQuery a raw table is `prosjekt`.`datasett`.`tabell`, every part quoted (hyphens, a leading digit)."""
    env = {
        "METRIKK_KILDE_VEDTAK_14A_PROSJEKT": "obo-prod",
        "METRIKK_KILDE_VEDTAK_14A_DATASETT": "14a_vedtak_statistikk",
    }
    table = macros.kilde(
        evaluator("bigquery", env), lit("vedtak_14a"), lit("statistikk_dvh_fellestabell")
    )
    sql = f"SELECT * FROM {table.sql('bigquery')}"
    assert sql == "SELECT * FROM `obo-prod`.`14a_vedtak_statistikk`.`statistikk_dvh_fellestabell`"
    assert sqlglot.parse_one(sql, read="bigquery").find(exp.Table).catalog == "obo-prod"


def test_kilde_renders_schema_table_on_duckdb_without_the_project():
    """On DuckDB the project is ignored: the raw table is "datasett"."tabell"."""
    env = {"METRIKK_KILDE_VEDTAK_14A_PROSJEKT": "obo-prod"}
    table = macros.kilde(
        evaluator("duckdb", env), lit("vedtak_14a"), lit("statistikk_dvh_fellestabell")
    )
    assert table.sql("duckdb") == '"kilde_14a_vedtak_statistikk"."statistikk_dvh_fellestabell"'


def test_an_unavailable_table_renders_as_an_empty_typed_relation(tmp_path, con):
    """A table set to null in kilder.yaml reads as no rows with the declared columns and types."""
    import yaml

    from metrikk.kilder import les_deklarasjon

    fil = {n: {"datasett": k.datasett} for n, k in les_deklarasjon().items()}
    fil["valp"]["tabeller"] = {"public_gjennomforing": None}
    path = tmp_path / "kilder.yaml"
    path.write_text(yaml.safe_dump(fil), encoding="utf-8")
    ev = SimpleNamespace(
        var={"kilder": les_kilder(Settings(kilder_fil=path)).variabler()}.get,
        locals={"engine_adapter": SimpleNamespace(dialect="duckdb")},
    )
    rel = macros.kilde(ev, lit("valp"), lit("public_gjennomforing"))
    sql = sqlglot.transpile(
        f"SELECT * FROM {rel.sql('bigquery')} AS p", read="bigquery", write="duckdb"
    )[0]
    cur = con.execute(sql)
    assert cur.fetchall() == []
    assert [d[0] for d in cur.description] == ["id", "navn", "antall_plasser", "oppstart"]
    assert [str(d[1]) for d in cur.description][2] == "BIGINT"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("\u00a0DELTAR\r\n", "DELTAR"),
        ("\t 0219 \u2003", "0219"),
        ("\ufeffNav Bærum\u200b", "Nav Bærum"),
        ("  Nav  Bærum  ", "Nav  Bærum"),
        (" \u00a0 ", None),
        ("", None),
        (None, None),
    ],
)
def test_trimmet_strips_unicode_whitespace_and_empties_become_null(con, value, expected):
    """@trimmet removes Unicode whitespace (and BOM/zero-width space) at both ends only; nothing left is NULL."""
    assert run(con, macros.trimmet_sql("x"), value) == expected


def test_trimmet_is_a_regular_expression_in_bigquery_not_trim():
    """The BigQuery form is REGEXP_REPLACE with the whitespace class, never the engine's TRIM."""
    sql = sqlglot.parse_one(f"SELECT {macros.trimmet_sql('x')}", read="bigquery").sql("bigquery")
    assert "REGEXP_REPLACE" in sql and "TRIM" not in sql and r"\\p{Z}" in sql


def _dst_days(first: int, last: int):
    for year in range(first, last + 1):
        for month in (3, 10):
            day = datetime(year, month + 1, 1) - timedelta(days=1)
            while day.weekday() != 6:
                day -= timedelta(days=1)
            yield day


def test_oslo_wall_clock_is_python_zoneinfo_on_every_dst_day(con):
    """On both DST days of 2000–2040, every quarter hour of wall-clock time becomes the UTC that
    Python's zoneinfo gives with fold=0: the skipped hour read as winter time and the repeated
    hour as its first (summer) occurrence, as BigQuery's TIMESTAMP(dt, 'Europe/Oslo') does."""
    walls = [
        day + timedelta(minutes=15 * i)
        for day in _dst_days(2000, 2040)
        for i in range(-8, 24 * 4 + 8)
    ]
    expected = [w.replace(tzinfo=OSLO, fold=0).astimezone(UTC).replace(tzinfo=None) for w in walls]
    con.execute("CREATE TABLE walls (i INT, x TIMESTAMP)")
    con.executemany("INSERT INTO walls VALUES (?, ?)", list(enumerate(walls)))
    sql = sqlglot.transpile(
        f"SELECT i, CAST({macros.oslo_veggklokke_til_utc_sql('x')} AS DATETIME) FROM walls ORDER BY i",
        read="bigquery",
        write="duckdb",
    )[0]
    got = [r[1] for r in con.execute(sql).fetchall()]
    wrong = [(w, g, e) for w, g, e in zip(walls, got, expected, strict=True) if g != e]
    assert len(walls) > 8000
    assert not wrong, wrong[:5]


def test_oslo_wall_clock_equals_icu_outside_the_repeated_hour(con):
    """Every quarter hour of 2000–2040 outside October's repeated hour: the rule equals DuckDB's ICU conversion."""
    con.execute(
        "CREATE TABLE t AS SELECT ts AS x FROM generate_series(TIMESTAMP '2000-01-01', TIMESTAMP '2041-01-01', "
        "INTERVAL 15 MINUTE) AS g(ts)"
    )
    rule = sqlglot.transpile(
        macros.oslo_veggklokke_til_utc_sql("x"), read="bigquery", write="duckdb"
    )[0]
    wrong, total = con.execute(
        f"SELECT count(*) FILTER (WHERE {rule} <> (x AT TIME ZONE 'Europe/Oslo')), count(*) FROM t "
        "WHERE NOT (month(x) = 10 AND dayofweek(x) = 0 AND day(x) >= 25 AND hour(x) = 2)"
    ).fetchone()
    assert total > 1_400_000
    assert wrong == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01T10:00:00Z", datetime(2024, 5, 1, 10, 0)),
        ("2024-05-01T10:00:00.123456789Z", datetime(2024, 5, 1, 10, 0, 0, 123456)),
        ("2024-05-01T10:00Z", datetime(2024, 5, 1, 10, 0)),
        ("2024-05-01T10:00:00+00:00", datetime(2024, 5, 1, 10, 0)),
        (" 2024-05-01T10:00:00Z\n", datetime(2024, 5, 1, 10, 0)),
        ("2024-05-01T10:00:00+02:00", None),
        ("2024-05-01T10:00:00", None),
        ("2024-02-30T10:00:00Z", None),
        ("1714557600", None),
    ],
)
def test_iso_utc_reads_java_instants_only(con, value, expected):
    """@iso_utc reads ISO text in UTC (Z or +00:00, up to nine fraction digits, kept to six); anything else is NULL."""
    got = run(con, f"CAST({macros.iso_utc_sql('x')} AS DATETIME)", value)
    assert got == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-06-02T00:30", datetime(2024, 6, 2, 0, 30)),
        ("2024-06-02T00:30:15.5", datetime(2024, 6, 2, 0, 30, 15, 500000)),
        ("2024-06-02T00:30:00Z", None),
        ("2024-06-02", None),
    ],
)
def test_iso_veggklokke_reads_local_date_times_only(con, value, expected):
    """@iso_veggklokke reads ISO text without an offset (Java's LocalDateTime, seconds optional)."""
    assert run(con, macros.iso_veggklokke_sql("x"), value) == expected


@pytest.mark.parametrize(
    ("value", "ok"),
    [("2024-05-06", True), ("2024-5-6", False), ("2024-02-30", False), ("06.05.2024", False)],
)
def test_iso_dato_reads_yyyy_mm_dd_only(con, value, ok):
    """@iso_dato reads 'YYYY-MM-DD' and nothing else (no engine-specific leniency)."""
    assert (run(con, macros.iso_dato_sql("x"), value) is not None) is ok


def test_gyldig_json_on_each_engine(con):
    """@gyldig_json is json_valid on DuckDB and SAFE.PARSE_JSON on BigQuery; invalid JSON is FALSE."""
    duck = macros.gyldig_json(
        SimpleNamespace(locals={"engine_adapter": SimpleNamespace(dialect="duckdb")}),
        exp.column("x"),
    )
    assert run(con, duck.sql("bigquery"), '{"a": 1}') is True
    assert run(con, duck.sql("bigquery"), '{"a": ') is False
    bq = macros.gyldig_json(
        SimpleNamespace(locals={"engine_adapter": SimpleNamespace(dialect="bigquery")}),
        exp.column("x"),
    )
    assert bq.sql("bigquery") == "NOT SAFE.PARSE_JSON(x) IS NULL"


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("2024-05-01T10:00:00.123456789Z", "2024-05-01 10:00:00.123456"),
        ("2024-05-01T10:00Z", "2024-05-01 10:00:00"),
        ("2024-06-02T00:30:15.5", "2024-06-02 00:30:15.5"),
    ],
)
def test_iso_text_hands_safe_cast_at_most_six_fraction_digits(con, value, canonical):
    """The text SAFE_CAST reads is 'YYYY-MM-DD HH:MM:SS[.ffffff]': BigQuery refuses more than six
    fraction digits (DuckDB would accept them, so this is checked on the text itself)."""
    assert run(con, macros._iso_text(macros.trimmet_sql("x")), value) == canonical
