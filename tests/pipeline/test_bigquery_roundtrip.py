"""BigQuery round trip: every model rendered with SQLMesh's BigQuery engine adapter (so the
engine-branching macros take their BigQuery branch: the pseudonym key table and CAST(… AS BYTES),
DATE(ts, 'Europe/Oslo'), no storage ORDER BY), transpiled back to DuckDB, gives the model's table
computed by the DuckDB path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from metrikk.run import render_models
from metrikk.settings import Settings
from tests.helpers.processes import AS_OF, cli, copy_warehouse
from tests.pipeline.bq_transpile import round_trip_problems
from tests.test_models import FORBIDDEN_BIGQUERY


@pytest.fixture(scope="module", name="roundtrip")
def _roundtrip(tiltak_base: Path, tmp_path_factory) -> tuple[Path, list[tuple[str, str]]]:
    """A warehouse with small synthetic tiltak and etterlevelse/behandlinger data run per AS_OF, and every model's BigQuery SQL."""
    wh = copy_warehouse(tiltak_base, tmp_path_factory.mktemp("roundtrip"))
    r = cli(wh, "generate", "--domain", "etterlevelse", "--scale", "small", "--until", AS_OF)
    assert r.returncode == 0, r.stdout + r.stderr
    r = cli(wh, "run", "--as-of", AS_OF)
    assert r.returncode == 0, r.stdout + r.stderr
    rendered = render_models(Settings(warehouse=wh), date.fromisoformat(AS_OF), dialect="bigquery")
    return wh, rendered


def test_every_model_round_trips(roundtrip):
    """For every model, BigQuery SQL transpiled back to DuckDB returns exactly the model's table (same columns, same rows)."""
    wh, rendered = roundtrip
    assert len(rendered) > 20
    problems = round_trip_problems(wh, rendered, Settings.from_env().effective_pseudonym_key)
    assert not problems, "\n".join(problems)


def test_round_trip_covers_the_bigquery_branches(roundtrip):
    """The rendered SQL holds BigQuery's branch of every engine-branching macro, none of DuckDB's."""
    _, rendered = roundtrip
    sql = "\n".join(s for _, s in rendered)
    assert "`pseudonym_nokkel`" in sql and " AS BYTES)" in sql
    assert "'Europe/Oslo')" in sql
    assert "GETVARIABLE" not in sql.upper() and "ENCODE(" not in sql.upper()


def test_bigquery_sql_uses_only_allowed_week_functions(roundtrip):
    """The rendered BigQuery SQL of every model uses none of the week functions DESIGN forbids."""
    _, rendered = roundtrip
    bad = [
        f"{name}: {why}"
        for name, sql in rendered
        for pattern, why in FORBIDDEN_BIGQUERY
        if pattern.search(sql)
    ]
    assert not bad, "\n".join(bad)


def test_synthetic_sources_show_no_drift(roundtrip):
    """The generators' synthetic sources use only known values and JSON shapes: both drift tables are empty."""
    wh, _ = roundtrip
    with duckdb.connect(str(wh), read_only=True) as con:
        for table in ("tiltak_silver.kildeavvik", "behandlinger_int.kildeavvik"):
            assert (
                con.execute(f"SELECT kilde, felt, verdi, antall FROM {table}").fetchall() == []
            ), table
