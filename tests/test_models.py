"""The SQLMesh project: every model renders to BigQuery SQL that parses, uses only the week
functions DESIGN allows, and every data product documents its grain and every column."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import sqlglot
import yaml

from metrikk.run import model_schema, open_context
from metrikk.settings import Settings

# Published data products (STYLE, "SQL shape"): these need a grain sentence and column docs.
DATA_PRODUCT_SCHEMAS = {"tiltak_gold", "etterlevelse", "behandlinger"}
DATA_PRODUCT_EXTRA = {"tiltak_silver.deltakelse_uke"}

FORBIDDEN_BIGQUERY = [
    (
        re.compile(r"DATE_TRUNC\([^()]*,\s*WEEK\s*\)", re.I),
        "DATE_TRUNC(d, WEEK) starts weeks on Sunday",
    ),
    (
        re.compile(r"TIMESTAMP_TRUNC\([^()]*,\s*WEEK", re.I),
        "TIMESTAMP_TRUNC(.., WEEK) starts weeks on Sunday",
    ),
    (
        re.compile(r"TRUNC\([^()]*,\s*ISOWEEK\s*\)", re.I),
        "ISOWEEK truncation does not render for DuckDB",
    ),
    (re.compile(r"GENERATE_ARRAY\s*\(\s*DATE", re.I), "GENERATE_ARRAY does not take dates"),
]


@pytest.fixture(scope="module", name="ctx")
def _ctx(tmp_path_factory):
    ctx = open_context(
        Settings(warehouse=tmp_path_factory.mktemp("models") / "render.duckdb"), tests=True
    )
    yield ctx
    ctx.close()


def models_of(ctx):
    return sorted((m for m in ctx.models.values() if not m.kind.is_external), key=lambda m: m.name)


def short_name(model) -> str:
    return ".".join(p.strip('"`') for p in model.name.split(".")[-2:])


def test_the_project_has_models(ctx):
    """The project loads and holds models (a render test over nothing would prove nothing)."""
    assert models_of(ctx)


def test_every_model_renders_to_bigquery_that_parses(ctx):
    """Each model's query renders in the BigQuery dialect and sqlglot parses it back."""
    for model in models_of(ctx):
        query = ctx.render(
            model.name, start="2024-01-01", end="2024-01-14", execution_time="2024-01-15"
        )
        sql = query.sql(dialect="bigquery")
        assert sqlglot.parse_one(sql, read="bigquery") is not None, short_name(model)
        for pattern, why in FORBIDDEN_BIGQUERY:
            assert not pattern.search(sql), f"{short_name(model)}: {why}"
        assert query.sql(dialect="duckdb")


def test_weekly_models_use_the_monday_cron(ctx):
    """No model uses @weekly (Sunday); incremental weekly models fire on Mondays with a 28-day lookback."""
    for model in models_of(ctx):
        assert model.cron != "@weekly", short_name(model)
        if model.cron == "0 0 * * 1" and model.kind.is_incremental_by_time_range:
            assert model.lookback == 28, short_name(model)


def test_every_data_product_documents_grain_and_columns(ctx):
    """Data products have a description starting with the grain ('Én rad per …') and describe every column."""
    for model in models_of(ctx):
        name = short_name(model)
        if model_schema(model.name) not in DATA_PRODUCT_SCHEMAS and name not in DATA_PRODUCT_EXTRA:
            continue
        assert model.description and model.description.strip().startswith("Én rad per"), name
        columns = set(model.columns_to_types or {})
        described = {k for k, v in (model.column_descriptions or {}).items() if v and v.strip()}
        assert columns, f"{name}: no typed columns"
        assert columns <= described, f"{name}: undocumented columns {sorted(columns - described)}"


def _yaml_tests_on_disk(ctx) -> set[tuple[str, str]]:
    """(file, test name) of every YAML test under pipeline/tests, whatever the file is called."""
    found = set()
    root = Path(ctx.path) / "tests"
    for path in sorted([*root.rglob("*.yaml"), *root.rglob("*.yml")]):
        for name in yaml.safe_load(path.read_text(encoding="utf-8")) or {}:
            found.add((str(path.relative_to(root)), name))
    return found


def test_every_sqlmesh_unit_test_runs_and_passes(ctx):
    """The one runner of the SQLMesh YAML tests: it selects every test under pipeline/tests (a
    YAML test that SQLMesh would not load, e.g. in a file not named test_*.yaml, fails here) and
    all of them pass."""
    root = Path(ctx.path) / "tests"
    selected = ctx.select_tests()
    loaded = {
        (str(Path(m.path).resolve().relative_to(root.resolve())), m.test_name) for m in selected
    }
    on_disk = _yaml_tests_on_disk(ctx)
    assert on_disk, "no YAML tests found"
    assert on_disk == loaded, f"YAML tests no runner selects: {sorted(on_disk - loaded)}"
    stream = io.StringIO()
    result = ctx.test(stream=stream)
    assert result.testsRun == len(on_disk), stream.getvalue()
    assert result.wasSuccessful(), stream.getvalue() + "".join(
        str(f[1]) for f in result.failures + result.errors
    )
