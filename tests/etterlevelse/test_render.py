"""The etterlevelse models render to BigQuery SQL that parses back, and the JSON functions transpile to DuckDB correctly."""

from __future__ import annotations

import json

import duckdb
import pytest
import sqlglot

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
