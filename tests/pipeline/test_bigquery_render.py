"""What production runs on BigQuery, checked without BigQuery: `run --dry-run --target bigquery`
renders with SQLMesh's BigQuery engine adapter (so the engine-branching macros print their
BigQuery form), and the run report (row counts, «Kildeendringer») is read through the run's
engine adapter, in its own dialect and quoting."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
import sqlglot
from sqlmesh.core.config import DuckDBConnectionConfig
from typer.testing import CliRunner

from metrikk.cli import app
from metrikk.drift import Avvik, Referanseavvik, drift_queries, read_drift
from metrikk.pseudonym import key_id
from metrikk.run import bigquery_adapter, row_count_query
from tests.etterlevelse.leak_search import leaks

KEY = "produksjonsnøkkel-som-aldri-skal-vises-" + "k" * 30


def _statements(output: str) -> dict[str, str]:
    """model name -> its printed SQL, from the dry-run's `-- schema.table (target, per date)` blocks."""
    blocks = {}
    for block in output.split("\n-- "):
        header, _, sql = block.removeprefix("-- ").partition("\n")
        if sql.strip():
            blocks[header.split(" ")[0]] = sql.strip().rstrip(";")
    return blocks


@pytest.fixture(scope="module", name="dry_run")
def _dry_run(tmp_path_factory) -> tuple[str, dict[str, str]]:
    """`metrikk --target bigquery --project metrikk-proj run --dry-run` with a secret key set."""
    warehouse = tmp_path_factory.mktemp("dry") / "metrikk.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("METRIKK_")}
    env["METRIKK_PSEUDONYM_KEY"] = KEY
    result = CliRunner(env=env).invoke(
        app,
        [
            "--warehouse",
            str(warehouse),
            "--target",
            "bigquery",
            "--project",
            "metrikk-proj",
            "run",
            "--dry-run",
            "--as-of",
            "2024-03-03",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert not warehouse.exists()  # nothing computed, no warehouse made
    return result.output, _statements(result.stdout)  # stderr: the estimate (no local copy)


def test_dry_run_prints_bigquery_branches_of_every_engine_macro(dry_run):
    """Every printed statement parses as BigQuery; @pseudonym, @oslo_dato and @lagres_i_rekkefolge print their BigQuery form, never DuckDB's."""
    output, statements = dry_run
    assert len(statements) > 40
    for name, sql in statements.items():
        sqlglot.parse_one(sql, read="bigquery")
        assert "ENCODE(" not in sql.upper(), name  # DuckDB's UTF-8 encoding; BigQuery has none
        assert "GETVARIABLE" not in sql.upper(), name  # DuckDB session variables
    # @pseudonym: the key table of the project and BigQuery's CAST(s AS BYTES)
    dokument = statements["etterlevelse_int.dokument_versjon"]
    assert "`metrikk-proj`.`metrikk_hemmelig`.`pseudonym_nokkel`" in dokument
    assert f"'{key_id(KEY)}'" in dokument
    assert "CAST(`user_ident` AS BYTES)" in dokument
    # @oslo_dato: DATE(ts, 'Europe/Oslo'), not the DuckDB date arithmetic with DATETIME_ADD
    veileder = statements["tiltak_silver.person_veileder"]
    assert "'Europe/Oslo')" in veileder
    assert "DATETIME_ADD" not in veileder
    # @lagres_i_rekkefolge: FALSE on BigQuery, so no global ORDER BY (one worker) on a big table
    tree = sqlglot.parse_one(statements["tiltak_silver.deltakelse_uke"], read="bigquery")
    assert tree.args.get("order") is None


def test_dry_run_shows_no_key_material(dry_run):
    """The key, its padded forms and their encodings appear nowhere in the printed SQL."""
    output, _ = dry_run
    assert leaks(KEY, {"dry-run": output}) == []


def test_row_count_query_is_quoted_for_each_engine(tmp_path: Path):
    """The count query runs on a DuckDB adapter, and the BigQuery adapter writes it with backticks (double quotes are strings there)."""
    bq = bigquery_adapter("metrikk-proj")._to_sql(row_count_query("tiltak_gold", "uke_antall"))
    assert bq == "SELECT COUNT(*) FROM `tiltak_gold`.`uke_antall`"
    assert '"' not in bq
    sqlglot.parse_one(bq, read="bigquery")

    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE SCHEMA tiltak_gold; CREATE TABLE tiltak_gold.uke_antall AS SELECT * FROM range(3)"
        )
    adapter = DuckDBConnectionConfig(database=str(path)).create_engine_adapter()
    try:
        assert adapter.fetchone(row_count_query("tiltak_gold", "uke_antall")) == (3,)
    finally:
        adapter.close()


def test_drift_is_read_through_the_engine_adapter(tmp_path: Path):
    """«Kildeendringer» are read through SQLMesh's adapter, so every target reports them: rows come back from a DuckDB adapter; BigQuery gets backtick-quoted SQL."""
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA behandlinger_int")
        con.execute(
            "CREATE TABLE behandlinger_int.kildeavvik AS SELECT 'etterlevelse' AS kilde, 'table_name' AS felt, "
            "'NY_TABELL' AS verdi, 4 AS antall, TIMESTAMP '2024-01-02 10:00' AS forste_tidspunkt, "
            "TIMESTAMP '2024-02-01 10:00' AS siste_tidspunkt"
        )
        con.execute(
            "CREATE TABLE behandlinger_int.referanseavvik AS SELECT 'behandlinger.stage_policy' AS tabell, "
            "'processId' AS felt, 'peker på ukjent behandling' AS avvik, 2 AS antall, 1 AS antall_verdier, "
            "'p-1' AS eksempel"
        )
    adapter = DuckDBConnectionConfig(database=str(path)).create_engine_adapter()
    try:
        rows = read_drift(adapter, "etterlevelse")
        assert read_drift(adapter, "tiltak") == []  # tiltak_silver.kildeavvik not built: none
    finally:
        adapter.close()
    assert rows == [
        Avvik(
            "etterlevelse",
            "table_name",
            "NY_TABELL",
            4,
            datetime(2024, 1, 2, 10),
            datetime(2024, 2, 1, 10),
        ),
        Referanseavvik(
            "behandlinger.stage_policy", "processId", "peker på ukjent behandling", 2, 1, "p-1"
        ),
    ]
    bq = bigquery_adapter("metrikk-proj")
    for schema, table, query, _ in drift_queries("all"):
        sql = bq._to_sql(query)
        assert f"FROM `{schema}`.`{table}`" in sql and '"' not in sql
        sqlglot.parse_one(sql, read="bigquery")
