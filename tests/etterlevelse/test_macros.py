"""The shared shapes of the etterlevelse models (`pipeline/macros/etterlevelse.py`): when documents
took something up (@tatt_i_bruk, @forste_gang: ds_beskrivelser, ds_prioriterte_krav, ds_gjenbruk)
and the columns every audited stage or version model writes.

The macros build BigQuery SQL; DuckDB runs what sqlglot transpiles it to (as SQLMesh does).
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from metrikk.pipeline.macros import etterlevelse as macros

EV = SimpleNamespace(parse_one=lambda sql: sqlglot.parse_one(sql, read="bigquery"))


def t(day: int) -> datetime:
    return datetime(2025, 1, day, 12)


# (document, saved, aktivRad, slettet, beskrivelseAntallTegn)
VERSJONER = [
    ("A", t(1), False, False, 0),
    ("A", t(2), True, False, 5),  # first described on day 2
    ("B", t(2), True, False, 3),  # the same day: a tie with A
    ("C", t(1), False, False, 4),  # described first of all ...
    ("C", t(3), True, False, 0),  # ... but no longer
    ("D", t(4), True, True, 2),  # described, then deleted
    ("E", t(5), True, False, 7),
    ("F", t(1), True, False, 0),  # never described: no row
]


@pytest.fixture(name="con")
def _con():
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("CREATE SCHEMA etterlevelse")
    con.execute(
        "CREATE TABLE etterlevelse.stage_dokument (etterlevelseDokumentasjonId VARCHAR, "
        "time TIMESTAMPTZ, aktivRad BOOLEAN, slettet BOOLEAN, beskrivelseAntallTegn BIGINT)"
    )
    con.executemany("INSERT INTO etterlevelse.stage_dokument VALUES (?, ?, ?, ?, ?)", VERSJONER)
    yield con
    con.close()


def run(con, subquery: exp.Expression, columns: str) -> list[tuple]:
    bigquery = f"SELECT {columns} FROM {subquery.sql(dialect='bigquery')} AS r ORDER BY 1"
    return con.execute(sqlglot.transpile(bigquery, read="bigquery", write="duckdb")[0]).fetchall()


def test_tatt_i_bruk_counts_documents_as_the_adoption_data_sets_do(con):
    """One row per document that ever met the condition: its first time, its current version,
    the running count by first time (antallNoenGang), and pandas' average rank (ties share the
    mean position) among the documents that meet it now and are not deleted (snittrang)."""
    rows = run(
        con,
        macros.tatt_i_bruk(
            EV, sqlglot.parse_one("beskrivelseAntallTegn > 0"), exp.column("beskrivelseAntallTegn")
        ),
        "etterlevelseDokumentasjonId, minTid, time, beskrivelseAntallTegn, oppfylt, slettet, "
        "antallNoenGang, snittrang",
    )
    assert [(r[0], r[1].day, r[2].day, *r[3:]) for r in rows] == [
        ("A", 2, 2, 5, True, False, 2, 1.5),
        ("B", 2, 2, 3, True, False, 3, 1.5),
        ("C", 1, 3, 0, False, False, 1, None),
        ("D", 4, 4, 2, True, True, 4, None),
        ("E", 5, 5, 7, True, False, 5, 3.0),
    ]


def test_forste_gang_is_each_documents_first_version_that_met_the_condition(con):
    rows = run(
        con,
        macros.forste_gang(EV, sqlglot.parse_one("beskrivelseAntallTegn > 0")),
        "etterlevelseDokumentasjonId, minTid",
    )
    assert [(d, m.day) for d, m in rows] == [("A", 2), ("B", 2), ("C", 1), ("D", 4), ("E", 5)]


def names(projections: list[exp.Expression]) -> list[str]:
    return [p.alias_or_name for p in projections]


def test_the_saved_version_columns_come_in_the_contracts_order():
    """The stage models of audited entities write the saved version's columns in one order,
    the incremental version models theirs in another; each has one definition."""
    h = exp.column("h")
    assert names(macros.lagringskolonner(EV, h)) == [
        "time",
        "action",
        "version",
        "lastModifiedDate",
        "user",
    ]
    assert names(macros.aktiv_og_slettet(EV, h)) == ["aktivRad", "slettet"]
    assert names(macros.versjonskolonner(EV, exp.column("kravId"))) == [
        "audit_id",
        "kravId",
        "action",
        "time",
        "version",
        "lastModifiedDate",
    ]
    with pytest.raises(ValueError):
        macros.lagringskolonner(EV, exp.Literal.string("h; DROP"))
