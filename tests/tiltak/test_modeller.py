"""The tiltak SQLMesh models themselves: BigQuery rendering, week functions, schedule and docs."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

from metrikk.run import model_schema, open_context
from metrikk.settings import Settings

WEEKLY = {
    "tiltak_silver.deltakelse_uke",
    "tiltak_gold.uke_deltakere",
    "tiltak_gold.uke_antall",
    "tiltak_gold.uke_antall_avdeling",
    "tiltak_gold.uke_gjennomforing",
    "tiltak_gold.uke_datakvalitet",
    "tiltak_silver.oppfolging_uke",
    "tiltak_gold.uke_oppfolging",
    "tiltak_silver.oppstart",
    "tiltak_gold.uke_ventetid",
}
DATA_PRODUCTS = WEEKLY


@pytest.fixture(scope="module", name="ctx")
def _ctx(tmp_path_factory: pytest.TempPathFactory):
    path: Path = tmp_path_factory.mktemp("modeller") / "metrikk.duckdb"
    return open_context(Settings.from_env().with_overrides(warehouse=path))


def tiltak_models(ctx) -> dict[str, object]:
    out = {}
    for model in ctx.models.values():
        if model.kind.is_external or model_schema(model.name) not in (
            "tiltak_silver",
            "tiltak_gold",
        ):
            continue
        out[".".join(p.strip('"`') for p in model.name.split(".")[-2:])] = model
    return out


def forbidden_week_functions(tree: exp.Expression) -> list[str]:
    """Week truncations other than WEEK(MONDAY) and week extractions other than ISOWEEK/ISOYEAR."""
    bad = []
    for node in tree.find_all(exp.DateTrunc, exp.TimestampTrunc, exp.DatetimeTrunc):
        unit = node.args.get("unit")
        if isinstance(unit, exp.WeekStart):
            if unit.name.upper() != "MONDAY":
                bad.append(node.sql("bigquery"))
        elif unit is not None and "WEEK" in unit.name.upper():
            bad.append(node.sql("bigquery"))
    for node in tree.find_all(exp.Extract):
        part = node.this.name.upper()
        if "WEEK" in part and part not in ("ISOWEEK",):
            bad.append(node.sql("bigquery"))
    for node in tree.find_all(exp.Anonymous):
        if node.name.upper() in ("WEEK", "WEEKOFYEAR", "YEARWEEK", "DAYOFWEEK"):
            bad.append(node.sql("bigquery"))
    return bad


def test_every_model_renders_to_bigquery_without_forbidden_week_functions(ctx):
    """Every tiltak model renders to BigQuery SQL that sqlglot parses back, using only allowed week functions."""
    models = tiltak_models(ctx)
    assert WEEKLY <= set(models), sorted(models)
    for name in models:
        sql = ctx.render(
            name, start="2025-01-06", end="2025-03-02", execution_time="2025-03-03"
        ).sql("bigquery")
        tree = sqlglot.parse_one(sql, read="bigquery")
        assert isinstance(tree, exp.Query), name
        assert forbidden_week_functions(tree) == [], name


def test_forbidden_week_function_check_catches_sunday_weeks():
    """The check itself flags DATE_TRUNC(d, WEEK), ISOWEEK truncation and EXTRACT(WEEK ...)."""
    tree = sqlglot.parse_one(
        "SELECT DATE_TRUNC(d, WEEK), DATE_TRUNC(d, ISOWEEK), EXTRACT(WEEK FROM d), "
        "DATE_TRUNC(d, WEEK(SUNDAY)), DATE_TRUNC(d, WEEK(MONDAY)), EXTRACT(ISOWEEK FROM d) FROM t",
        read="bigquery",
    )
    assert len(forbidden_week_functions(tree)) == 4


def test_weekly_models_are_scheduled_on_mondays_with_lookback(ctx):
    """Weekly models: incremental by uke_start, cron Monday 00:00, lookback 28 days, start 2022-01-03."""
    models = tiltak_models(ctx)
    for name in WEEKLY:
        m = models[name]
        assert m.kind.is_incremental_by_time_range, name
        assert m.time_column.column.name == "uke_start", name
        assert m.cron == "0 0 * * 1", name
        assert m.lookback == 28, name
        assert str(m.start) == "2022-01-03", name


def test_data_products_state_grain_and_describe_every_column(ctx):
    """Each data product's description starts with its grain and every column is described."""
    models = tiltak_models(ctx)
    for name in DATA_PRODUCTS:
        m = models[name]
        assert m.description and m.description.startswith("Én rad per"), name
        columns = set(m.columns_to_types or {})
        assert columns and columns <= set(m.column_descriptions), (
            name,
            columns - set(m.column_descriptions),
        )


def test_iso_week_number_matches_python_for_every_monday(ctx):
    """The ISO week macro gives Python's ISO week for every Monday 2022–2031, in the rendered DuckDB SQL."""
    import duckdb

    sql = ctx.render("tiltak_gold.uke_datakvalitet").sql("duckdb")
    assert "ISOWEEK" not in sql.upper()
    tree = sqlglot.parse_one(
        "SELECT d, @iso_uke(d) FROM UNNEST(GENERATE_DATE_ARRAY(DATE '2022-01-03', DATE '2031-12-29', INTERVAL 7 DAY)) AS d",
        read="bigquery",
    )
    from sqlmesh.core.macros import MacroEvaluator

    evaluator = MacroEvaluator(
        dialect="bigquery", python_env=ctx.get_model("tiltak_gold.uke_datakvalitet").python_env
    )
    rendered = evaluator.transform(tree).sql("duckdb")
    rows = duckdb.sql(rendered).fetchall()
    assert len(rows) > 500
    assert all(uke == d.isocalendar()[1] for d, uke in rows)
