"""BigQuery round trip: every model rendered for BigQuery, transpiled back to DuckDB, gives the model's table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from metrikk.pseudonym import PseudonymKey
from metrikk.run import render_models
from metrikk.settings import Settings
from tests.robust.conftest import AS_OF, cli, copy_warehouse
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


def _to_duckdb(bigquery_sql: str) -> str:
    """Plain sqlglot BigQuery -> DuckDB, with the render's catalog dropped (tables are schema.table here)."""
    tree = sqlglot.parse_one(bigquery_sql, read="bigquery")
    for table in tree.find_all(exp.Table):
        table.set("catalog", None)
    return tree.sql(dialect="duckdb")


def _rows(con, sql: str) -> tuple[list[str], list[tuple]]:
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return cols, sorted(cur.fetchall(), key=repr)


def test_every_model_round_trips(roundtrip):
    """For every model, BigQuery SQL transpiled back to DuckDB returns exactly the model's table (same columns, same rows)."""
    wh, rendered = roundtrip
    assert len(rendered) > 20
    problems = []
    with duckdb.connect(str(wh), read_only=True) as con:
        con.execute("SET TimeZone = 'UTC'")
        # @pseudonym reads the padded keys from session variables, as in a run (metrikk.pseudonym)
        PseudonymKey(Settings.from_env().effective_pseudonym_key).set_on(con)
        for name, sql in rendered:
            schema, table = name.split(".")
            try:
                got_cols, got = _rows(con, _to_duckdb(sql))
            except Exception as e:  # noqa: BLE001 - every failing model is reported, not just the first
                problems.append(
                    f"{name}: the transpiled SQL fails in DuckDB: {str(e).splitlines()[0]}"
                )
                continue
            want_cols, want = _rows(con, f'SELECT * FROM "{schema}"."{table}"')
            if got_cols != want_cols:
                problems.append(f"{name}: columns differ: {got_cols} != {want_cols}")
            elif got != want:
                want_keys, got_keys = (
                    set(map(repr, want)),
                    set(map(repr, got)),
                )  # rows may hold lists
                extra = [r for r in got if repr(r) not in want_keys][:3]
                missing = [r for r in want if repr(r) not in got_keys][:3]
                problems.append(
                    f"{name}: {len(got)} rows vs {len(want)} in the table; only in round trip: {extra}; "
                    f"only in table: {missing}"
                )
    assert not problems, "\n".join(problems)


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
