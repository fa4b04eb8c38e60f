"""The etterlevelse models render to BigQuery SQL that parses back, and the JSON functions transpile to DuckDB correctly."""

from __future__ import annotations

import hashlib
import hmac
import json

import duckdb
import pytest
import sqlglot

from metrikk.pipeline.macros.pseudonym import padded_keys
from metrikk.run import model_schema, open_context, selected_models
from metrikk.settings import Settings

DIALECT = "bigquery,normalization_strategy=case_sensitive"


@pytest.fixture(scope="module", name="ctx")
def _ctx(tmp_path_factory):
    return open_context(Settings(warehouse=tmp_path_factory.mktemp("render") / "w.duckdb"))


def test_every_etterlevelse_model_renders_to_bigquery(ctx):
    """Each etterlevelse model renders to BigQuery SQL that sqlglot parses back, with a grain sentence and described columns."""
    names = [
        n
        for n in selected_models(ctx, "etterlevelse")
        if model_schema(n).startswith("etterlevelse")
    ]
    assert len(names) >= 23
    for name in names:
        sql = ctx.render(name).sql("bigquery")
        sqlglot.parse_one(sql, read="bigquery")
        model = ctx.get_model(name)
        if model_schema(name) == "etterlevelse":
            assert model.description.startswith("Én rad per"), name
            assert set(model.columns_to_types) == set(model.column_descriptions), name


def test_pseudonym_sql_equals_python_hmac():
    """The macro's SQL HMAC, run in DuckDB, equals Python's hmac for ASCII, Norwegian letters, backslashes and long keys."""
    con = duckdb.connect()
    for key in ("metrikk-utvikling-ikke-hemmelig", "6666\\\\å" * 3, "k" * 100):
        inner, outer = padded_keys(key)
        sql = sqlglot.transpile(
            f"SELECT TO_HEX(SHA256(CONCAT(FROM_HEX('{outer}'), SHA256(CONCAT(FROM_HEX('{inner}'), ENCODE(u, 'utf-8'))))))"
            " FROM t",
            read=DIALECT,
            write="duckdb",
        )[0]
        for user in ("A123456 - Øystein Ærlig", "back\\x41slash", "no user set", ""):
            got = con.execute(
                sql.replace("FROM t", "FROM (SELECT ? AS u) AS t"), [user]
            ).fetchone()[0]
            assert got == hmac.new(key.encode(), user.encode(), hashlib.sha256).hexdigest(), (
                key,
                user,
            )


@pytest.mark.parametrize(
    ("bigquery", "expected"),
    [
        ("JSON_VALUE(d, '$.data.kravNummer')", "101"),
        ("JSON_VALUE(d, '$.data.o')", None),
        ("JSON_VALUE(d, '$.data.n')", None),
        ("JSON_VALUE(d, '$.data.b')", "true"),
        ("JSON_VALUE(d, '$.missing.x')", None),
        ("JSON_VALUE_ARRAY(d, '$.data.ids')", ["x", "y"]),
        ("ARRAY_LENGTH(JSON_QUERY_ARRAY(d, '$.data.s'))", 2),
        ("JSON_QUERY_ARRAY(d, '$.data.n')", None),
        (
            "ARRAY(SELECT JSON_VALUE(e, '$.id') FROM UNNEST(JSON_QUERY_ARRAY(d, '$.data.s')) AS e ORDER BY 1)",
            ["1", "2"],
        ),
        ("COALESCE(JSON_VALUE(d, '$.data.o.x'), '') <> ''", True),
    ],
)
def test_json_functions_transpile_to_duckdb(bigquery, expected):
    """A BigQuery JSON expression used by the models gives BigQuery's answer when run in DuckDB."""
    doc = json.dumps(
        {
            "data": {
                "kravNummer": 101,
                "o": {"x": 1},
                "n": None,
                "b": True,
                "ids": ["x", "y"],
                "s": [{"id": 1}, {"id": 2}],
            }
        }
    )
    sql = sqlglot.transpile(f"SELECT {bigquery} FROM t", read=DIALECT, write="duckdb")[0]
    got = (
        duckdb.connect()
        .execute(sql.replace("FROM t", "FROM (SELECT ? AS d) AS t"), [doc])
        .fetchone()[0]
    )
    assert got == expected
