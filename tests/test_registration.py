"""The tables registered on Datamarkedsplassen carry everything it shows: grain, table and column descriptions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmesh.core.config.connection import BigQueryConnectionConfig

from metrikk.run import close_context, model_schema, open_context
from metrikk.settings import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs" / "production.md"
BIGQUERY_DESCRIPTION_LIMIT = (
    1024  # characters; SQLMesh truncates longer ones (BigQueryEngineAdapter)
)


def registered(name: str) -> bool:
    """The tables docs/production.md says to register: tiltak_gold.* and the ds_* of etterlevelse
    and behandlinger."""
    schema, table = name.split(".")
    return schema == "tiltak_gold" or (
        schema in ("etterlevelse", "behandlinger") and table.startswith("ds_")
    )


@pytest.fixture(scope="module", name="models")
def _models(tmp_path_factory):
    """Every registered model, by schema.table, from the real SQLMesh project."""
    settings = Settings(warehouse=tmp_path_factory.mktemp("registration") / "render.duckdb")
    ctx = open_context(settings)
    try:
        out = {}
        for model in ctx.models.values():
            if model.kind.is_external:
                continue
            name = f"{model_schema(model.name)}.{model.name.split('.')[-1].strip(chr(34))}"
            if registered(name):
                out[name] = model
        return out
    finally:
        close_context(ctx, settings)


def test_registered_models_have_grain_and_every_column_described_within_bigquerys_limit(models):
    """Every table to register has a description starting with its grain and a description for every column, none longer than BigQuery keeps."""
    assert len(models) >= 10
    problems = []
    for name, model in sorted(models.items()):
        description = (model.description or "").strip()
        if not description.startswith("Én rad per"):
            problems.append(f"{name}: description does not start with the grain")
        if len(description) > BIGQUERY_DESCRIPTION_LIMIT:
            problems.append(f"{name}: description is {len(description)} characters")
        columns = set(model.columns_to_types or {})
        described = {k: v for k, v in (model.column_descriptions or {}).items() if v and v.strip()}
        if not columns or columns - described.keys():
            problems.append(f"{name}: undescribed columns {sorted(columns - described.keys())}")
        problems += [
            f"{name}.{col}: column description is {len(text)} characters"
            for col, text in described.items()
            if len(text) > BIGQUERY_DESCRIPTION_LIMIT
        ]
    assert not problems, "\n".join(problems)


def test_bigquery_gateway_pushes_descriptions_by_default():
    """SQLMesh's BigQuery connection registers table and column comments unless told otherwise (metrikk never turns it off)."""
    assert BigQueryConnectionConfig.model_fields["register_comments"].default is True
    config_source = (
        Path(__file__).resolve().parents[1] / "src/metrikk/pipeline/config.py"
    ).read_text()
    assert "register_comments" not in config_source


def test_production_doc_lists_exactly_the_tables_to_register(models):
    """The registration table in docs/production.md names exactly the registered models."""
    doc = DOCS.read_text(encoding="utf-8")
    listed = set()
    for dataset in ("tiltak_gold", "etterlevelse", "behandlinger"):
        row = re.search(rf"^\s*\| `{dataset}` \| (.+) \|\s*$", doc, re.MULTILINE)
        assert row, f"no registration row for {dataset}"
        listed |= {f"{dataset}.{t}" for t in re.findall(r"`([a-z_]+)`", row.group(1))}
    assert listed == set(models)
