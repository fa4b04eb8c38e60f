"""`metrikk run`: drives SQLMesh with an explicit execution time, reports, fails on audits."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from metrikk.catalog import PIPELINE_DIR
from metrikk.publish import published_path
from metrikk.run import RunError, close_context, execution_time_for, open_context, run_pipeline
from metrikk.settings import Settings
from tests.test_load import write_csv


def test_execution_time_is_the_start_of_the_day_after_as_of():
    """as_of Sunday 2024-03-03 runs at Monday 00:00, so the week ending that Sunday is published."""
    assert execution_time_for(date(2024, 3, 3)) == datetime(2024, 3, 4)


def test_run_on_empty_sources_succeeds_and_publishes(metrikk, warehouse, query):
    """A run over empty landing tables works, prints what it computed, and publishes a snapshot."""
    result = metrikk("run", "--as-of", "2024-03-03")
    assert "Beregnet per 2024-03-03" in result.output
    assert query("SELECT count(*) FROM tiltak_silver.nav_enhet") == [(0,)]
    assert published_path(warehouse) is not None


def test_run_computes_from_loaded_sources(tmp_path, metrikk, query):
    """Loaded rows flow through to silver, and a second run with a later as_of still succeeds."""
    write_csv(
        tmp_path / "in",
        "tiltak_bronze.nav_enhet",
        ["enhetsnummer", "navn", "type", "status", "overordnet_enhet"],
        [
            ["0219", "Nav Bærum", "LOKAL", "Aktiv", "0600"],
            ["0600", "Nav Vest-Viken", "fylke", "Aktiv", ""],
        ],
    )
    metrikk("load", tmp_path / "in")
    metrikk("run", "--as-of", "2024-03-03", "--domain", "tiltak")
    assert sorted(query("SELECT enhetsnummer, type, er_fylke FROM tiltak_silver.nav_enhet")) == [
        ("0219", "LOKAL", False),
        ("0600", "FYLKE", True),
    ]
    metrikk("run", "--as-of", "2024-03-10", "--domain", "tiltak", "--full-refresh")


def test_failed_audit_fails_the_run_and_keeps_the_published_snapshot(tmp_path, warehouse):
    """A blocking audit failure raises RunError (exit 1 in the CLI) and publishes nothing new."""
    # A minimal project (landing declarations + one failing model), without the real project's
    # Python macros: loading those twice in one process from two folders is order-dependent.
    project = tmp_path / "pipeline"
    shutil.copytree(PIPELINE_DIR / "external_models", project / "external_models")
    (project / "models" / "tiltak_silver").mkdir(parents=True)
    (project / "models" / "tiltak_silver" / "alltid_feil.sql").write_text(
        "MODEL (name tiltak_silver.alltid_feil, kind FULL, grain x,"
        " audits (not_null(columns := (x))));\nSELECT CAST(NULL AS INT64) AS x\n",
        encoding="utf-8",
    )
    settings = Settings(warehouse=warehouse)
    with pytest.raises(RunError) as info:
        run_pipeline(settings, date(2024, 3, 3), domain="tiltak", pipeline_dir=project)
    assert "alltid_feil" in str(info.value)
    assert published_path(warehouse) is None


def test_a_run_does_not_read_the_yaml_unit_tests(tmp_path, warehouse):
    """Runs load the project without `tests/*.yaml` (parsing them cost 0.7 s of every
    project load): a run succeeds beside a test file SQLMesh cannot read, which a load with
    tests refuses."""
    project = tmp_path / "pipeline"
    shutil.copytree(PIPELINE_DIR / "external_models", project / "external_models")
    (project / "models" / "tiltak_silver").mkdir(parents=True)
    (project / "models" / "tiltak_silver" / "en.sql").write_text(
        "MODEL (name tiltak_silver.en, kind FULL, grain x);\nSELECT CAST(1 AS INT64) AS x\n",
        encoding="utf-8",
    )
    (project / "tests").mkdir()
    (project / "tests" / "test_uleselig.yaml").write_text("test_en: [uavsluttet\n", "utf-8")
    settings = Settings(warehouse=warehouse)
    with pytest.raises(Exception, match="uavsluttet"):
        open_context(settings, pipeline_dir=project, tests=True)
    report = run_pipeline(settings, date(2024, 3, 3), domain="tiltak", pipeline_dir=project)
    assert report is not None
    assert published_path(warehouse) is not None


def test_unknown_domain_is_refused(warehouse):
    """A domain outside the contract's list is refused with a message."""
    with pytest.raises(RunError, match="Ukjent domene"):
        run_pipeline(Settings(warehouse=warehouse), date(2024, 3, 3), domain="ukjent")


def test_cache_lives_beside_the_warehouse_not_in_the_package(metrikk, warehouse, monkeypatch):
    """SQLMesh's cache is written next to the warehouse, never inside the installed package; and
    git ignores everything a run writes beside the warehouse, so `metrikk demo` in a clone
    leaves nothing to commit by mistake."""
    monkeypatch.delenv("METRIKK_SQLMESH_CACHE")  # the tests' shared cache (tests/conftest.py)
    metrikk("run", "--as-of", "2024-03-03")
    beside = list(Path(warehouse).parent.iterdir())
    assert any(p.name.endswith(".sqlmesh-cache") for p in beside)
    assert not (PIPELINE_DIR / ".cache").exists()
    assert not (warehouse.parent / "sqlmesh-cache").exists()
    names = [p.name + ("/" if p.is_dir() else "") for p in beside]
    assert any(n.endswith(".siste-kjoring.json") for n in names), names  # the last-run record
    repo = Path(__file__).resolve().parents[2]
    for name in names:  # as if the warehouse were the README's, at the repository's root
        ignored = subprocess.run(
            ["git", "-C", str(repo), "check-ignore", "-q", "--no-index", name], check=False
        )
        assert ignored.returncode == 0, f"{name} is not in .gitignore"


def test_one_cache_folder_is_shared_when_asked(tmp_path, monkeypatch):
    """With METRIKK_SQLMESH_CACHE set, every warehouse uses that folder and writes none beside it."""
    shared = tmp_path / "delt"
    monkeypatch.setenv("METRIKK_SQLMESH_CACHE", str(shared))
    for name in ("a", "b"):
        settings = Settings(warehouse=tmp_path / name / "metrikk.duckdb")
        settings.warehouse.parent.mkdir()
        close_context(open_context(settings), settings)
        assert [p.name for p in settings.warehouse.parent.iterdir()] == []
    assert len(list(shared.rglob("*"))) >= 10


def test_dry_run_prints_bigquery_sql_qualified_with_the_project(metrikk, warehouse):
    """`run --dry-run --target bigquery` prints parseable BigQuery SQL per model and computes nothing."""
    import sqlglot

    result = metrikk(
        "--target", "bigquery", "--project", "nav-test", "run", "--dry-run", "--as-of", "2024-03-03"
    )
    blocks = [b for b in result.stdout.split("-- ") if b.strip()]
    assert any(b.startswith("tiltak_silver.nav_enhet (bigquery") for b in blocks)
    for block in blocks:
        sql = block.split("\n", 1)[1].strip().rstrip(";")
        sqlglot.parse_one(sql, read="bigquery")
    assert "`nav-test`.`tiltak_bronze`.`nav_enhet`" in result.stdout
    assert "Lest mengde i BigQuery er ikke anslått: fant ingen lokal kopi" in result.stderr
    assert not warehouse.exists()


def test_dry_run_estimates_what_bigquery_would_read_from_the_local_copy(tmp_path, metrikk):
    """With a local copy of the tables, the BigQuery dry run also tells how much each model
    would read (stderr, so stdout stays SQL); tests/run/test_scan_estimate.py checks the sums."""
    write_csv(
        tmp_path / "in",
        "tiltak_bronze.nav_enhet",
        ["enhetsnummer", "navn", "type", "status", "overordnet_enhet"],
        [["0219", "Nav Bærum", "LOKAL", "Aktiv", "0600"]],
    )
    metrikk("load", tmp_path / "in")  # the sources only: what the models would write is missing
    result = metrikk(
        "--target", "bigquery", "run", "--dry-run", "--as-of", "2024-03-10", "--domain", "tiltak"
    )
    assert "Anslått lest av BigQuery per modell" in result.stderr
    for name in ("tiltak_silver.nav_enhet", "tiltak_gold.uke_antall", "Totalt", "neste kjøring"):
        assert name in result.stderr
    assert "partisjonert på tiden" in result.stderr
    missing = result.stderr.split("Ikke med i anslaget", 1)[1]
    assert "tiltak_silver.deltakelse" in missing and "tiltak_bronze.nav_enhet" not in missing
    assert "Anslått" not in result.stdout


def test_full_refresh_works_on_a_fresh_warehouse_and_per_domain(metrikk):
    """--full-refresh on a never-run warehouse, then on a domain not yet in prod, both succeed."""
    metrikk("run", "--as-of", "2024-03-03", "--domain", "tiltak", "--full-refresh")
    metrikk("run", "--as-of", "2024-03-10", "--domain", "etterlevelse", "--full-refresh")


def test_json_logs_one_object_per_line_with_the_exit_code(metrikk, tmp_path):
    """`run --log-format json` logs start, models and the result as JSON lines; failures say exit_code 1."""
    import json

    lines = [
        json.loads(line)
        for line in metrikk(
            "run", "--as-of", "2024-03-03", "--domain", "tiltak", "--log-format", "json"
        ).stdout.splitlines()
        if line.strip()
    ]
    assert lines[0]["hendelse"] == "kjoring_startet" and lines[0]["as_of"] == "2024-03-03"
    assert any(line["hendelse"] == "modell_beregnet" for line in lines)
    assert lines[-1]["hendelse"] == "kjoring_fullfort" and lines[-1]["exit_code"] == 0
    assert "tiltak_gold.uke_antall" in lines[-1]["tabeller"]


def test_json_log_of_a_failed_run_ends_with_exit_code_1(metrikk, warehouse):
    """A run that cannot start (another writer holds the warehouse) logs kjoring_feilet with exit_code 1."""
    import json

    from tests.test_warehouse import start_holder

    holder = start_holder(warehouse)
    try:
        result = metrikk("run", "--as-of", "2024-03-03", "--log-format", "json", expect=1)
    finally:
        holder.kill()
        holder.wait()
    last = json.loads([line for line in result.stdout.splitlines() if line.strip()][-1])
    assert last["hendelse"] == "kjoring_feilet" and last["exit_code"] == 1
    assert "brukes av en annen skrivende kjøring" in last["melding"]


def test_a_run_with_nothing_to_do_reports_without_sqlmesh_until_something_changes(warehouse):
    """The same as_of and domain again, with the warehouse file and the published snapshot as the
    last run left them: nothing to compute, so the run reports from the last run's record. A new
    as_of, or any write to the warehouse in between, goes through SQLMesh again."""
    from metrikk.warehouse import connect

    settings = Settings(warehouse=warehouse)
    first = run_pipeline(settings, date(2024, 3, 3), domain="tiltak")
    snapshot = published_path(warehouse)
    again = run_pipeline(settings, date(2024, 3, 3), domain="tiltak")
    assert not first.unchanged and again.unchanged
    assert again.tables == first.tables and "tiltak_gold.uke_antall" in again.tables
    assert published_path(warehouse) == snapshot
    assert not run_pipeline(settings, date(2024, 3, 10), domain="tiltak").unchanged  # a new week
    assert run_pipeline(settings, date(2024, 3, 10), domain="tiltak").unchanged
    with connect(warehouse) as con:  # another writer (load, ingest, a killed run) in between
        con.execute(
            "INSERT INTO tiltak_bronze.nav_enhet VALUES ('0219', 'Nav Bærum', 'LOKAL', 'Aktiv', '0600')"
        )
    assert not run_pipeline(settings, date(2024, 3, 10), domain="tiltak").unchanged
