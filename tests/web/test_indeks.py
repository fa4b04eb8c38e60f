"""The per-kontor index answers exactly as the SQL it replaces, and as a brute-force count.

`metrikk.web.indeks` computes the dashboard's distinct-person counts and gjennomføring sums in
NumPy from an in-memory copy of one kontor's rows. Here random warehouses (hypothesis) are
written as DuckDB files, and every answer is compared with two oracles: the SQL in
`queries.py` (COUNT DISTINCT with GROUPING SETS, the gjennomføring semi-join) and plain Python
over the same rows.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from indeks_cache import built_when
from tests.helpers.profiles import examples

from metrikk.publish import publish, published_path
from metrikk.settings import Settings
from metrikk.web import indeks
from metrikk.web import queries as q
from metrikk.web.app import create_app

FIRST = date(2024, 12, 16)  # Monday of 2024-W51: the weeks cross a year with 52 weeks
WEEKS = 4
KONTORER = ("0219", "0220")
AVDELINGER = ("Avdeling A", "Avdeling B", "Ungdom")
INNSATS = ("GODE_MULIGHETER", "TRENGER_VEILEDNING", "JOBBE_DELVIS")
TILTAK = {"AVKLARAG": ("Avklaring", "GRUPPE"), "ARBTREN": ("Arbeidstrening", "ENKELTPLASS")}
GJ = ("g-1", "g-2", "g-3", None)
PERSONS = ("p1", "p2", "p3", None)  # few, so people share weeks; NULL: COUNT(DISTINCT) skips it
COLUMNS = (
    "uke_start",
    "kontor",
    "person_id",
    "avdeling",
    "innsatsgruppe",
    "tiltakskode",
    "tiltakstype_navn",
    "tiltakskategori",
    "gjennomforing_id",
)
GJ_COLUMNS = (
    "aar",
    "uke",
    "uke_start",
    "gjennomforing_id",
    "tiltakskode",
    "antall_deltar",
    "antall_venter",
    "antall_plasser",
    "belegg",
    "antall_fra_lokale_kontor",
    "antall_fra_andre_kontor",
)


def week(i: int) -> date:
    return FIRST + timedelta(weeks=i)


row = st.builds(
    lambda w, k, p, a, i, t, g: (week(w), k, p, a, i, t, *TILTAK[t], g),
    st.integers(0, WEEKS - 1),
    st.sampled_from(KONTORER),
    st.sampled_from(PERSONS),
    st.sampled_from(AVDELINGER),
    st.sampled_from(INNSATS),
    st.sampled_from(sorted(TILTAK)),
    st.sampled_from(GJ),
)
measure = st.one_of(st.none(), st.integers(0, 9))
gj_row = st.builds(
    lambda w, g, t, d, v, p: (
        week(w).isocalendar()[0],
        week(w).isocalendar()[1],
        week(w),
        g,
        t,
        d,
        v,
        p,
        None if not p or d is None else d / p,
        d,
        0,
    ),
    st.integers(0, WEEKS - 1),
    st.sampled_from(GJ[:-1] + ("g-9",)),  # g-9: nobody from either kontor is on it
    st.sampled_from(sorted(TILTAK)),
    measure,
    measure,
    measure,
)


def write(path: Path, rows: list[tuple], gj_rows: list[tuple]) -> Path:
    """A warehouse file with the two tables the index reads, rows in the order given."""
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA tiltak_silver; CREATE SCHEMA tiltak_gold")
    con.execute(
        "CREATE TABLE tiltak_silver.deltakelse_uke (uke_start DATE, kontor VARCHAR,"
        " person_id VARCHAR, avdeling VARCHAR, innsatsgruppe VARCHAR, tiltakskode VARCHAR,"
        " tiltakstype_navn VARCHAR, tiltakskategori VARCHAR, gjennomforing_id VARCHAR)"
    )
    con.execute(
        "CREATE TABLE tiltak_gold.uke_gjennomforing (aar BIGINT, uke BIGINT, uke_start DATE,"
        " gjennomforing_id VARCHAR, tiltakskode VARCHAR, antall_deltar BIGINT,"
        " antall_venter BIGINT, antall_plasser BIGINT, belegg DOUBLE,"
        " antall_fra_lokale_kontor BIGINT, antall_fra_andre_kontor BIGINT)"
    )
    if rows:
        con.executemany(
            f"INSERT INTO tiltak_silver.deltakelse_uke VALUES ({', '.join('?' * 9)})", rows
        )
    if gj_rows:
        con.executemany(
            f"INSERT INTO tiltak_gold.uke_gjennomforing VALUES ({', '.join('?' * 11)})", gj_rows
        )
    con.close()
    return path


def brute_force(rows: list[tuple], f: q.TiltakFilter, dims: list[str]) -> dict:
    """Distinct persons per cell, per value of dims[0] and in all, by plain Python sets."""
    cols = [q.DIMENSIONS[d] for d in dims]
    chosen = []
    for r in rows:
        rec = dict(zip(COLUMNS, r, strict=True))
        # this table has no tiltaksgruppe column: the contract's fallback, the tiltakstype's name
        rec["tiltaksgruppe"] = rec["tiltakstype_navn"]
        if rec["kontor"] != f.kontor or not f.fra <= rec["uke_start"] <= f.til:
            continue
        if any(getattr(f, c) and rec[c] not in getattr(f, c) for c in indeks.FILTERS):
            continue
        chosen.append(rec)
    cells: dict[tuple, set] = defaultdict(set)
    first: dict = defaultdict(set)
    for rec in chosen:
        key = tuple(rec[c] for c in cols)
        cells[key]  # a cell of only NULL persons still exists (with 0)
        first[key[0]]
        if rec["person_id"] is not None:
            cells[key].add(rec["person_id"])
            first[key[0]].add(rec["person_id"])
    return {
        "cells": {k: len(v) for k, v in cells.items()},
        "first": {k: len(v) for k, v in first.items()},
        "total": len({rec["person_id"] for rec in chosen} - {None}),
    }


def subset(values) -> st.SearchStrategy:
    return st.one_of(st.just(()), st.lists(st.sampled_from(values), unique=True).map(tuple))


query = st.fixed_dictionaries(
    {
        "kontor": st.sampled_from(KONTORER),
        "fra": st.integers(0, WEEKS - 1),
        "lengde": st.integers(0, WEEKS),
        "avdeling": subset(AVDELINGER + ("Finnes ikke",)),
        "innsatsgruppe": subset(INNSATS),
        "tiltakskode": subset(sorted(TILTAK)),
        "tiltakskategori": subset(("GRUPPE", "ENKELTPLASS")),
        "dims": st.lists(st.sampled_from(list(q.DIMENSIONS)), min_size=1, max_size=2, unique=True),
    }
)


def as_filter(qd: dict) -> q.TiltakFilter:
    return q.TiltakFilter(
        qd["kontor"],
        week(qd["fra"]),
        week(qd["fra"] + qd["lengde"]),
        qd["avdeling"],
        qd["innsatsgruppe"],
        qd["tiltakskode"],
        qd["tiltakskategori"],
    )


_files = itertools.count()


@settings(max_examples=examples(200), deadline=None)
@given(
    keys=st.lists(st.integers(0, 499), min_size=63, max_size=300),  # 8 × 63 ≥ 500: dense
    in_order=st.booleans(),
    nearly_sorted=st.booleans(),
)
def test_distinct_is_the_sorted_set_of_the_keys(keys, in_order, nearly_sorted):
    """`indeks.distinct` by each of its three ways: a boolean table (the range is dense), a
    sort (the range is sparse), a stable sort (the keys come nearly in order)."""
    expected = sorted(set(keys))
    keys = sorted(keys) if in_order else keys
    for bound in (500, 10**7):
        got = indeks.distinct(np.array(keys, dtype=np.int32), bound, nearly_sorted=nearly_sorted)
        assert got.tolist() == expected
        assert got.dtype == np.int32


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rows=st.lists(row, min_size=8, max_size=60), queries=st.lists(query, min_size=1, max_size=4))
def test_distinct_persons_equal_sql_and_brute_force(tmp_path, rows, queries):
    path = write(tmp_path / f"w{next(_files)}.duckdb", rows, [])
    with q.Source(path).read() as con:
        for qd in queries:
            f = as_filter(qd)
            got = indeks.distinct_persons(con, f, qd["dims"])
            assert got == q.distinct_persons(con, f, qd["dims"]), qd
            expected = brute_force(rows, f, qd["dims"])
            assert (got["cells"], got["first"], got["total"]) == (
                expected["cells"],
                expected["first"],
                expected["total"],
            ), qd


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    rows=st.lists(row, max_size=40),
    gj_rows=st.lists(gj_row, max_size=30, unique_by=lambda r: (r[2], r[3])),
    queries=st.lists(query, min_size=1, max_size=3),
    rader=st.sampled_from([None, "fra", "til"]),
)
def test_gjennomforing_sums_and_rows_equal_sql(tmp_path, rows, gj_rows, queries, rader):
    path = write(tmp_path / f"g{next(_files)}.duckdb", rows, gj_rows)
    with q.Source(path).read() as con:
        for qd in queries:
            f = as_filter(qd)
            args = (con, f.fra, f.til, f.kontor, f.tiltakskode)
            assert indeks.gjennomforing_ukesum(*args) == q.gjennomforing_ukesum(*args), qd
            rader_fra = {"fra": f.fra, "til": f.til}.get(rader)
            assert indeks.gjennomforing_uker(*args, rader_fra) == q.gjennomforing_uker(
                *args, rader_fra
            )


def test_a_person_on_two_tiltak_in_a_week_is_one_person_in_the_week(tmp_path):
    rows = [
        (week(0), "0219", "p1", "Avdeling A", "GODE_MULIGHETER", t, *TILTAK[t], None)
        for t in sorted(TILTAK)
    ]
    path = write(tmp_path / "w.duckdb", rows, [])
    f = q.TiltakFilter("0219", week(0), week(0))
    with q.Source(path).read() as con:
        got = indeks.distinct_persons(con, f, ["uke", "tiltakskode"])
    assert got["cells"] == {(week(0), "ARBTREN"): 1, (week(0), "AVKLARAG"): 1}
    assert got["first"] == {week(0): 1}
    assert got["total"] == 1


def test_answers_follow_the_file_when_it_changes(tmp_path):
    """An index belongs to one version of the file: a write makes the next request rebuild."""
    rows = [
        (
            week(0),
            "0219",
            "p1",
            "Avdeling A",
            "GODE_MULIGHETER",
            "ARBTREN",
            *TILTAK["ARBTREN"],
            None,
        )
    ]
    path = write(tmp_path / "w.duckdb", rows, [])
    f = q.TiltakFilter("0219", week(0), week(1))
    with q.Source(path).read() as con:
        assert indeks.distinct_persons(con, f, ["uke"])["total"] == 1
    con = duckdb.connect(str(path))
    con.execute(
        "INSERT INTO tiltak_silver.deltakelse_uke VALUES (?, '0219', 'p2', 'Avdeling A',"
        " 'GODE_MULIGHETER', 'ARBTREN', 'Arbeidstrening', 'ENKELTPLASS', NULL)",
        [week(1)],
    )
    con.close()
    with q.Source(path).read() as con:
        got = indeks.distinct_persons(con, f, ["uke"])
        assert got["total"] == 2
        assert got == q.distinct_persons(con, f, ["uke"])


def test_the_default_kontor_is_indexed_when_the_app_starts(tmp_path):
    """With a published snapshot, start-up builds the default kontor's indexes before anyone
    asks, so the first person after a publish does not wait for them."""
    rows = [
        (week(w), k, p, "Avdeling A", "GODE_MULIGHETER", "ARBTREN", *TILTAK["ARBTREN"], "g-1")
        for w in range(WEEKS)
        for k, p in (("0219", "p1"), ("0219", "p2"), ("0220", "p3"))
    ]
    gj = [
        (*week(w).isocalendar()[:2], week(w), "g-1", "ARBTREN", 3, 0, 5, 0.6, 3, 0)
        for w in range(WEEKS)
    ]
    path = write(tmp_path / "w.duckdb", rows, gj)
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE tiltak_silver.nav_enhet AS SELECT * FROM (VALUES"
        " ('0219', 'Nav Bærum', 'LOKAL', '0600'), ('0220', 'Nav Asker', 'LOKAL', '0600'))"
        " t(enhetsnummer, navn, type, overordnet_enhet)"
    )
    con.close()
    publish(path)
    indeks.clear()
    wanted = {("tiltak", "0219"), ("gjennomforing", "0219")}
    with TestClient(create_app(Settings(warehouse=path))):
        assert built_when(lambda built: built == wanted) == wanted


@pytest.mark.slow
def test_index_equals_sql_on_the_pipeline_warehouse(pipeline_db):
    """Every grouping pair, with and without filters, for the three largest kontor."""
    assert published_path(pipeline_db) is not None  # read as the app reads: from the snapshot
    with q.Source(pipeline_db).read() as con:
        first, last = q.week_range(con)
        fra = max(first, last - timedelta(weeks=51))
        kontorer = sorted(q.kontorer(con), key=lambda r: -r["antall_personer"])[:3]
        for k in (r["enhetsnummer"] for r in kontorer):
            opts = q.filter_options(con, k)
            filters = [
                q.TiltakFilter(k, fra, last),
                q.TiltakFilter(
                    k,
                    fra,
                    last,
                    avdeling=tuple(o["verdi"] for o in opts["avdeling"][::2]),
                    tiltakskode=tuple(o["verdi"] for o in opts["tiltakskode"][1::2]),
                ),
                q.TiltakFilter(k, first, last, innsatsgruppe=(opts["innsatsgruppe"][0]["verdi"],)),
            ]
            for f in filters:
                for dims in itertools.permutations(q.DIMENSIONS, 2):
                    dims = list(dims)
                    assert indeks.distinct_persons(con, f, dims) == q.distinct_persons(
                        con, f, dims
                    ), (f, dims)
                args = (con, f.fra, f.til, k, f.tiltakskode)
                assert indeks.gjennomforing_ukesum(*args) == q.gjennomforing_ukesum(*args)
                assert indeks.gjennomforing_uker(*args, f.til) == q.gjennomforing_uker(*args, f.til)
