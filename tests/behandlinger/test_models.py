"""The behandlinger models as SQLMesh sees them: BigQuery rendering, documentation, unit tests."""

from __future__ import annotations

import pytest
import sqlglot

from metrikk.run import model_schema, open_context
from metrikk.settings import Settings

STAGE_TABLES = {
    "stage_behandlinger",
    "stage_bridge_policy_behandling",
    "stage_policy",
    "stage_informationType",
    "stage_behandlingsgrunnlag",
    "stage_systems",
    "stage_dataprocessors",
}
DATASETS = {"ds_fullstendighet"}


@pytest.fixture(name="ctx", scope="module")
def _ctx(tmp_path_factory: pytest.TempPathFactory):
    """A SQLMesh context over the pipeline, on an empty warehouse (nothing is run)."""
    ctx = open_context(Settings(warehouse=tmp_path_factory.mktemp("ctx") / "metrikk.duckdb"))
    yield ctx
    ctx.close()


def _ours(ctx) -> list:
    return [
        m
        for m in ctx.models.values()
        if model_schema(m.name) in ("behandlinger", "behandlinger_int")
    ]


def test_every_stage_table_of_the_contract_is_a_model(ctx) -> None:
    """The seven behandlinger.stage_* tables of CONTRACT §6 exist, and besides them only the
    datasets (ds_*) are published in behandlinger.
    """
    published = {
        m.name.split(".")[-1].strip('"')
        for m in _ours(ctx)
        if model_schema(m.name) == "behandlinger"
    }
    assert published == STAGE_TABLES | DATASETS


def test_every_model_renders_to_bigquery_that_parses(ctx) -> None:
    """Each behandlinger model renders to BigQuery SQL that sqlglot parses back."""
    for model in _ours(ctx):
        sql = ctx.render(model).sql("bigquery")
        assert sqlglot.parse_one(sql, read="bigquery") is not None, model.name


def test_every_stage_table_is_documented(ctx) -> None:
    """Each stage table and dataset has grain, audits, a description that starts with its grain
    and a description of every column.
    """
    for model in _ours(ctx):
        if model_schema(model.name) != "behandlinger":
            continue
        assert model.grains, model.name
        assert model.audits, model.name
        assert model.description.startswith("Én rad per"), model.name
        columns = set(model.columns_to_types)
        assert columns == set(model.column_descriptions), (
            model.name,
            columns ^ set(model.column_descriptions),
        )


def test_join_keys_are_strings(ctx) -> None:
    """The join keys CONTRACT §6 promises exist on their tables and are STRING (ids are strings)."""
    keys = {
        "stage_behandlinger": ["behandlingId"],
        "stage_bridge_policy_behandling": ["policyId", "behandlingId"],
        "stage_policy": ["policyId", "informationTypeId", "behandlingId"],
        "stage_informationType": ["informationTypeId"],
        "stage_behandlingsgrunnlag": ["behandlingId"],
        "stage_systems": ["behandlingId", "code"],
        "stage_dataprocessors": ["dataprocessorId", "behandlingId"],
    }
    for table, columns in keys.items():
        model = ctx.get_model(f"behandlinger.{table}")
        types = {name: dtype.sql("bigquery") for name, dtype in model.columns_to_types.items()}
        for column in columns:
            assert types.get(column) == "STRING", (table, column, types.get(column))
