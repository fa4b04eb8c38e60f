"""The pseudonym key on BigQuery: written by a load job from memory, read by the macro's SQL.

A real DuckDB file stands in for BigQuery (bq_standin): it loads the exact Parquet bytes the load
job would upload and runs the macro's exact BigQuery SQL, transpiled by sqlglot.
"""

from __future__ import annotations

import hashlib
import hmac

import duckdb
import pytest
import sqlglot

from metrikk.pipeline.macros.pseudonym import pseudonym_sql
from metrikk.pseudonym import (
    DEFAULT_KEY_TABLE,
    KEY_TABLE_COLUMNS,
    PseudonymKey,
    drop_key_table,
    key_id,
    padded_keys,
    write_key_table,
)
from metrikk.run import RunError, bigquery_key_table
from metrikk.settings import Settings
from tests.ingest.bq_standin import DuckDBStandIn

KEY = "bq-nøkkel-" + "x" * 70  # over one block, with a non-ASCII letter
OTHER = "en annen nøkkel"
# Plain ASCII users only: BigQuery's CAST(s AS BYTES) is UTF-8, but its DuckDB transpilation
# rejects non-ASCII text and reads backslashes as escapes (the macro's known non-portable part). The key side is what is tested here;
# ø, æ, å are tested on DuckDB in tests/etterlevelse/test_pseudonym_key.py.
USERS = ["A123456 - Ola Nordmann", "B234567", ""]


@pytest.fixture(name="bq")
def _bq(tmp_path) -> DuckDBStandIn:
    standin = DuckDBStandIn(tmp_path / "bq.duckdb")
    with duckdb.connect(str(standin.path)) as con:
        con.execute(
            "CREATE SCHEMA metrikk_hemmelig"
        )  # created by hand, restricted (docs/production.md)
    return standin


def pseudonyms(bq: DuckDBStandIn, key: str) -> list[str]:
    """The macro's BigQuery SQL for `key`, transpiled and run in the stand-in over USERS."""
    sql = f"SELECT {pseudonym_sql('u', 'bigquery', key_id(key), DEFAULT_KEY_TABLE)} FROM t"
    sqlglot.parse_one(sql, read="bigquery")
    duck = sqlglot.transpile(sql, read="bigquery", write="duckdb")[0]
    duck = duck.replace("FROM t", "FROM (SELECT ?::VARCHAR AS u) AS t")
    with duckdb.connect(str(bq.path)) as con:
        return [con.execute(duck, [user]).fetchone()[0] for user in USERS]


def key_rows(bq: DuckDBStandIn) -> list[tuple]:
    with duckdb.connect(str(bq.path)) as con:
        return con.execute(
            "SELECT nokkel_id, indre, ytre FROM metrikk_hemmelig.pseudonym_nokkel"
        ).fetchall()


def test_key_table_written_by_load_job_gives_python_hmac(bq):
    """The load job's one row (id, padded keys) makes the BigQuery SQL equal Python's hmac; a new key replaces the row, and SQL for the old key then fails in bokmål."""
    write_key_table(bq, PseudonymKey(KEY), DEFAULT_KEY_TABLE)
    assert bq.received == []  # a load job only: no SQL text carries the key
    assert bq.loads == [("metrikk_hemmelig", "pseudonym_nokkel", 1)]
    assert key_rows(bq) == [(key_id(KEY), *padded_keys(KEY))]
    assert pseudonyms(bq, KEY) == [
        hmac.new(KEY.encode(), u.encode(), hashlib.sha256).hexdigest() for u in USERS
    ]

    write_key_table(bq, PseudonymKey(OTHER), DEFAULT_KEY_TABLE)
    assert key_rows(bq) == [(key_id(OTHER), *padded_keys(OTHER))]
    assert (
        pseudonyms(bq, OTHER)[0]
        == hmac.new(OTHER.encode(), USERS[0].encode(), hashlib.sha256).hexdigest()
    )
    with pytest.raises(
        duckdb.InvalidInputException, match=f"Pseudonymnøkkel {key_id(KEY)} finnes ikke"
    ):
        pseudonyms(bq, KEY)

    drop_key_table(bq, DEFAULT_KEY_TABLE)
    assert bq.received == ["DROP TABLE IF EXISTS `metrikk_hemmelig`.`pseudonym_nokkel`"]
    with pytest.raises(duckdb.CatalogException):
        key_rows(bq)


def test_key_table_columns_are_the_documented_ones():
    """The load job's schema: nokkel_id STRING, indre BYTES, ytre BYTES (docs/production.md)."""
    assert KEY_TABLE_COLUMNS == [("nokkel_id", "STRING"), ("indre", "BYTES"), ("ytre", "BYTES")]


def test_run_holds_the_key_table_only_while_models_run(bq):
    """`run --target bigquery` writes the key table before the models and drops it after, also when the run fails; a tiltak run leaves it alone."""
    settings = Settings(target="bigquery", project="p", pseudonym_key=KEY)
    with bigquery_key_table(settings, "etterlevelse", target=bq):
        assert key_rows(bq) == [(key_id(KEY), *padded_keys(KEY))]
    with pytest.raises(duckdb.CatalogException):
        key_rows(bq)

    with (
        pytest.raises(RuntimeError, match="modell feilet"),
        bigquery_key_table(settings, "all", target=bq),
    ):
        assert len(key_rows(bq)) == 1
        raise RuntimeError("modell feilet")
    with pytest.raises(duckdb.CatalogException):
        key_rows(bq)

    loads = len(bq.loads)
    with bigquery_key_table(settings, "tiltak", target=bq):
        pass
    assert len(bq.loads) == loads


def test_ingest_kilder_holds_the_key_table_while_the_source_layer_runs(bq):
    """The source layer's views pseudonymise persons and veiledere, so `ingest kilder --target
    bigquery` needs the key table exactly like an etterlevelse run (and drops it after)."""
    settings = Settings(target="bigquery", project="p", pseudonym_key=KEY)
    with bigquery_key_table(settings, "kilder", target=bq):
        assert key_rows(bq) == [(key_id(KEY), *padded_keys(KEY))]
    with pytest.raises(duckdb.CatalogException):
        key_rows(bq)


def test_missing_dataset_is_a_clear_run_error(tmp_path):
    """Without the restricted dataset the run stops before any model, naming the table."""
    bq = DuckDBStandIn(tmp_path / "bq.duckdb")
    settings = Settings(target="bigquery", project="p", pseudonym_key=KEY)
    with pytest.raises(
        RunError, match="Kunne ikke skrive pseudonymnøkkelen til metrikk_hemmelig.pseudonym_nokkel"
    ):
        with bigquery_key_table(settings, "etterlevelse", target=bq):
            pytest.fail("the models must not run")
