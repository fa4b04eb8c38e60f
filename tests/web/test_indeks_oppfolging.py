"""The oppfølging index (web/indeks_oppfolging.py) answers exactly as the SQL it replaces
(`queries.oppfolging_unike` over the person-weeks) and as plain Python.

Random warehouses (hypothesis) hold persons whose runs of weeks change one column at a time,
with gaps, across a year end and four months; every period kind, grouping, filter and
`per_periode` is compared with both oracles. Hand-made spells check where a spell ends.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from indeks_cache import built_when
from tests.helpers.profiles import examples

from metrikk.publish import publish, published_path
from metrikk.settings import Settings
from metrikk.web import indeks, indeks_oppfolging, perioder
from metrikk.web import queries as q
from metrikk.web.app import create_app

FIRST = date(2024, 12, 16)  # Monday of 2024-W51: the weeks cross a year with 52 weeks
KONTORER = ("0219", "0220")
AVDELINGER = ("Avdeling A", "Avdeling B")
INNSATS = ("GODE_MULIGHETER", "TRENGER_VEILEDNING")
_files = itertools.count()


def week(i: int) -> date:
    return FIRST + timedelta(weeks=i)


def subset(values) -> st.SearchStrategy:
    return st.one_of(st.just(()), st.lists(st.sampled_from(values), unique=True).map(tuple))


OPP_WEEKS = 14  # 2024-W51 to 2025-W12: two years, four months, runs longer than a month
OPP_COLUMNS = ("kontor", "avdeling", "veiledergruppe_id", "innsatsgruppe", "paa_tiltak")
OPP_CHOICES = (
    KONTORER[:1] * 3 + KONTORER[1:],  # mostly one kontor: long runs
    (*AVDELINGER, None),
    ("vg-1", "vg-2", None),
    (*INNSATS, None),
    (False, True),
)


@st.composite
def opp_person(draw) -> list[tuple]:
    """A person's runs: (length, present, values). Each run changes ONE attribute of the run
    before (or none), as people move one thing at a time, so spells are split by each column
    alone and a value can come back after another (vg-1, vg-2, vg-1)."""
    values = [draw(st.sampled_from(c)) for c in OPP_CHOICES]
    runs = []
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(OPP_CHOICES)))
        if i < len(OPP_CHOICES):
            values[i] = draw(st.sampled_from(OPP_CHOICES[i]))
        runs.append((draw(st.integers(1, 5)), draw(st.booleans()), tuple(values)))
    return runs


opp_query = st.fixed_dictionaries(
    {
        "kontor": st.sampled_from(KONTORER),
        "fra": st.integers(0, OPP_WEEKS - 1),
        "lengde": st.integers(0, OPP_WEEKS),
        "periode": st.sampled_from(("uke", "maned", "aar")),
        "dim": st.sampled_from((None, "avdeling", "veiledergruppe", "innsatsgruppe")),
        "avdeling": subset((*AVDELINGER, "Finnes ikke")),
        "innsatsgruppe": subset(INNSATS),
        "per_periode": st.booleans(),
    }
)


def opp_rows(persons: list[list[tuple]]) -> list[tuple]:
    """(uke_start, person_id, kontor, avdeling, veiledergruppe_id, innsatsgruppe, paa_tiltak):
    each person's runs laid out from the first week, a run present or a gap."""
    rows = []
    for n, runs in enumerate(persons):
        w = 0
        for length, present, values in runs:
            for i in range(w, min(w + length, OPP_WEEKS)):
                if present:
                    rows.append((week(i), f"p{n}", *values))
            w += length
    return rows


def write_oppfolging(path: Path, rows: list[tuple]) -> Path:
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA IF NOT EXISTS tiltak_silver")
    con.execute(
        "CREATE TABLE tiltak_silver.oppfolging_uke (uke_start DATE, person_id VARCHAR,"
        " kontor VARCHAR, avdeling VARCHAR, veiledergruppe_id VARCHAR, innsatsgruppe VARCHAR,"
        " paa_tiltak BOOLEAN)"
    )
    if rows:
        con.executemany(
            "INSERT INTO tiltak_silver.oppfolging_uke VALUES (?, ?, ?, ?, ?, ?, ?)", rows
        )
    con.close()
    return path


def opp_brute_force(rows: list[tuple], qd: dict) -> dict:
    """Plain Python: per (period, value), period, value and in all, the persons seen in the
    chosen weeks and whether they were på tiltak in any of them."""
    fra, til = week(qd["fra"]), week(qd["fra"] + qd["lengde"])
    col = {"veiledergruppe": "veiledergruppe_id"}.get(qd["dim"], qd["dim"])
    acc: dict[str, dict] = {"cells": {}, "periods": {}, "groups": {}, "total": {}}
    for uke, person, *values in rows:
        rec = dict(zip(OPP_COLUMNS, values, strict=True))
        if rec["kontor"] != qd["kontor"] or not fra <= uke <= til:
            continue
        if any(qd[c] and rec[c] not in qd[c] for c in ("avdeling", "innsatsgruppe")):
            continue
        p, g = perioder.key(qd["periode"], uke), rec[col] if col else None
        places = [("groups", g), ("total", None)]
        if qd["per_periode"]:
            places += [("cells", (p, g)), ("periods", p)]
        for part, key in places:
            seen = acc[part].setdefault(key, {})
            seen[person] = seen.get(person, False) or rec["paa_tiltak"]

    def pair(seen: dict) -> tuple[int, int]:
        return len(seen), sum(seen.values())

    out = {part: {k: pair(v) for k, v in acc[part].items()} for part in acc}
    out["total"] = pair(acc["total"].get(None, {}))
    return out


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    persons=st.lists(opp_person(), min_size=1, max_size=6),
    queries=st.lists(opp_query, min_size=1, max_size=4),
)
def test_oppfolging_from_spells_equals_sql_and_brute_force(tmp_path, persons, queries):
    """Distinct persons under oppfølging and på tiltak counted from the kontor's spells equal
    the SQL over the person-weeks and plain Python, for weeks, months and years."""
    rows = opp_rows(persons)
    path = write_oppfolging(tmp_path / f"o{next(_files)}.duckdb", rows)
    with q.Source(path).read() as con:
        for qd in queries:
            args = (
                con,
                qd["kontor"],
                week(qd["fra"]),
                week(qd["fra"] + qd["lengde"]),
                qd["periode"],
                qd["dim"],
                qd["avdeling"],
                qd["innsatsgruppe"],
            )
            got = indeks_oppfolging.oppfolging_unike(*args, per_periode=qd["per_periode"])
            assert got == q.oppfolging_unike(*args, per_periode=qd["per_periode"]), qd
            assert got == opp_brute_force(rows, qd), qd


def test_a_spell_is_split_where_an_attribute_changes_or_a_week_is_missing(tmp_path):
    """A spell ends where any one column changes or a week is missing, also when the value
    comes back (A, B, A is three spells, not A over all five weeks and B inside it)."""
    base = {"avdeling": "Avdeling A", "veiledergruppe_id": "vg-1", "innsatsgruppe": "X"}
    base["paa_tiltak"] = False
    changes = {  # person: (column, value per week; None: no row that week)
        "p1": ("avdeling", ["Avdeling A"] * 2 + ["Avdeling B", "Avdeling A", None, "Avdeling A"]),
        "p2": ("veiledergruppe_id", ["vg-1", "vg-1", "vg-2", "vg-1", "vg-1"]),
        "p3": ("innsatsgruppe", ["X", "Y", "X"]),
        "p4": ("paa_tiltak", [False, True, False]),
    }
    rows = []
    for person, (column, values) in changes.items():
        for i, v in enumerate(values):
            if v is not None:
                rec = {**base, column: v}
                rows.append((week(i), person, "0219", *(rec[c] for c in OPP_COLUMNS[1:])))
    path = write_oppfolging(tmp_path / "w.duckdb", rows)
    with q.Source(path).read() as con:
        forlop = con.execute(
            f"SELECT person_id, fra_uke, til_uke FROM ({q.FORLOP_SQL}) ORDER BY 1, 2", ["0219"]
        ).fetchall()
    spans = {"p1": [(0, 1), (2, 2), (3, 3), (5, 5)], "p2": [(0, 1), (2, 2), (3, 4)]}
    spans |= {"p3": [(0, 0), (1, 1), (2, 2)], "p4": [(0, 0), (1, 1), (2, 2)]}
    assert forlop == [(p, week(a), week(b)) for p, runs in spans.items() for a, b in runs]


def test_the_default_kontor_spells_are_built_when_the_app_starts(tmp_path):
    """With a published snapshot, start-up builds the default kontor's spells before anyone
    asks (0219, the default kontor when it is there)."""
    path = write_oppfolging(
        tmp_path / "w.duckdb",
        [(week(w), p, "0219", "Avdeling A", None, None, False) for w in range(4) for p in "ab"],
    )
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE tiltak_silver.deltakelse_uke AS SELECT uke_start, kontor, person_id"
        " FROM tiltak_silver.oppfolging_uke"
    )
    con.execute(
        "CREATE TABLE tiltak_silver.nav_enhet AS SELECT * FROM (VALUES"
        " ('0219', 'Nav Bærum', 'LOKAL', '0600')) t(enhetsnummer, navn, type, overordnet_enhet)"
    )
    con.close()
    publish(path)
    indeks.clear()
    with TestClient(create_app(Settings(warehouse=path))):
        assert ("oppfolging", "0219") in built_when(lambda built: ("oppfolging", "0219") in built)


@pytest.mark.slow
def test_spells_equal_sql_on_the_pipeline_warehouse(pipeline_db):
    """Every period kind and grouping, with and without filters, for the three largest kontor,
    read from the snapshot as the app reads it."""
    assert published_path(pipeline_db) is not None
    with q.Source(pipeline_db).read() as con:
        first, last = q.week_range(con)
        fra = max(first, last - timedelta(weeks=51))
        kontorer = sorted(q.kontorer(con), key=lambda r: -r["antall_personer"])[:3]
        for k in (r["enhetsnummer"] for r in kontorer):
            opts = q.filter_options(con, k)
            avdeling = tuple(o["verdi"] for o in opts["avdeling"][::2])
            innsats = (opts["innsatsgruppe"][0]["verdi"],)
            for (f, t, a, i), periode, dim, per in itertools.product(
                ((fra, last, (), ()), (first, last, avdeling, ()), (fra, last, (), innsats)),
                ("uke", "maned", "aar"),
                (None, "avdeling", "veiledergruppe", "innsatsgruppe"),
                (True, False),
            ):
                args = (con, k, f, t, periode, dim, a, i)
                got = indeks_oppfolging.oppfolging_unike(*args, per_periode=per)
                assert got == q.oppfolging_unike(*args, per_periode=per), (args, per)
