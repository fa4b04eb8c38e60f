"""An outsider attacks the disclosure control of `--min-antall K` through the API.

A small hand-made warehouse (`attack_rows`, written with tests/web/fixture_warehouse.py) holds
the case of issue #12: in one week Nav Bærum has 503 persons on tiltak, 3 of them on ENKELAMO,
so that cell is hidden while the total of all tiltak and the total with ENKELAMO filtered out
used to be 503 and 500. Every person has one avdeling, one innsatsgruppe and one tiltak, so every
count the API shows is a sum of the same disjoint cells and every relation the attacker uses
below holds exactly (no unknown overlap of persons weakens it). It reasons relation by relation
with ranges; the attacker who enumerates every consistent set of counts at once is measured,
not tested: benchmarks/bench_disclosure.py.

For every hidden count the attacker collects the relations it can build: along every dimension
the total minus the total with the cell's value filtered out (503 − 500) and the coarser count
minus the other cells of a finer grouping; the sum of the cell's parts split by every other
dimension, and each part plus the rest; the tiltakskategori minus its other tiltak; the kontor's
total from /kontorer; the week within a longer period; the gjennomføring rows against their
weekly sums, their tiltak filters, their lokale/andre split and the Brum route. A shown number
stands for the true values the DOCUMENTED rule maps to it (`possible`, written from
docs/decisions.md, not from the code); the attacker intersects what every relation allows.

The tests check that the truth is always among those values (the attacker's reasoning is sound,
so a wrong rounding or a K-1 shown fails here) and that at least two are left. The only pins
allowed are the documented limits of the method (docs/decisions.md, "Disclosure control"):
the difference of a count shown as 2K and a hidden one at K = 5 (`two_figure_pin_allowed`),
and, at K = 5, relations of three or more figures at once; at K = 10 nothing is pinned.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import timedelta
from functools import cache
from itertools import combinations, product
from pathlib import Path
from urllib.parse import urlencode

import fixture_warehouse as fx
import pytest
from fastapi.testclient import TestClient

from metrikk.publish import publish
from metrikk.settings import Settings
from metrikk.web import queries as q
from metrikk.web.app import create_app

WEEK_A = fx.LAST_WEEK  # 2025-U41: 503 persons, 3 of them on ENKELAMO
WEEK_B = fx.LAST_WEEK - timedelta(weeks=1)  # 2025-U40: fewer persons, many small cells
A, B = "2025-U41", "2025-U40"
TARGET = "ENKELAMO"
DIMS = ("avdeling", "innsatsgruppe", "tiltakskode")
GJ = {"ARBFORB": "g-arbforb-1", "OPPFOLGING": "g-oppf-1", "AMO": "g-amo-1"}
ENHETER = [*fx.NAV_ENHET, ("0615", "Nav Hallingdal", "LOKAL", "Aktiv", "0600", False)]


def _person(rnd: random.Random, pid: str, kontor: str, week, tiltak: str) -> fx.Row:
    return fx.Row(
        week,
        f"d-{pid}",
        pid,
        kontor,
        rnd.choices(fx.AVDELINGER, weights=[6, 4, 2, 1])[0],
        rnd.choices(fx.INNSATS, weights=[2, 5, 3, 2, 1])[0],
        tiltak,
        GJ.get(tiltak),
    )


def attack_rows(one_person: tuple[str, str] = ("TRENGER_VEILEDNING", "AMO")) -> list[fx.Row]:
    """Nav Bærum: 503 persons in week A (3 on ENKELAMO, 3 on g-amo-2) and 40 in week B, 25 of
    them the same deltakelser as in week A; Nav Asker: 12 in both weeks; Nav Hallingdal: one
    person with `one_person` = (innsatsgruppe, tiltak)."""
    rnd = random.Random(12)
    tiltak = ["ARBFORB", "AMO", "OPPFOLGING", "MIDLONTIL", TARGET]
    rows = [
        _person(rnd, f"a{p:03d}", "0219", WEEK_A, rnd.choices(tiltak[:4], [5, 6, 4, 2])[0])
        for p in range(500)
    ]
    rows += [_person(rnd, f"e{p}", "0219", WEEK_A, TARGET) for p in range(3)]
    amo = [i for i, r in enumerate(rows) if r.tiltakskode == "AMO"][:3]
    for i in amo:  # three AMO deltakere are on the other AMO gjennomføring
        rows[i] = fx.Row(**{**rows[i].__dict__, "gjennomforing_id": "g-amo-2"})
    rows += [fx.Row(**{**r.__dict__, "uke_start": WEEK_B}) for r in rows[::20][:25]]
    rows += [_person(rnd, f"b{p:02d}", "0219", WEEK_B, rnd.choice(tiltak)) for p in range(15)]
    for p in range(12):
        kode = tiltak[p % 3]
        rows += [_person(random.Random(p), f"s{p:02d}", "0220", w, kode) for w in (WEEK_B, WEEK_A)]
    innsats, kode = one_person
    rows.append(fx.Row(WEEK_A, "d-h1", "h1", "0615", "Uten avdeling", innsats, kode, GJ.get(kode)))
    return rows


ROWS = attack_rows()


def build(path: Path, rows: list[fx.Row] = ROWS) -> Path:
    """The attack warehouse, published (the app then keeps one snapshot open: fast)."""
    fx.build(path, rows=rows, enheter=ENHETER)
    publish(path)
    return path


@pytest.fixture(scope="module", name="attack_db")
def _attack_db(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("attack") / "metrikk.duckdb")


@pytest.fixture(scope="module", name="apis")
def _apis(attack_db):
    """{K: GET with memo} for the app on the attack warehouse under K (None: unprotected)."""
    clients = {
        k: TestClient(create_app(Settings(warehouse=attack_db), min_antall=k))
        for k in (None, 5, 10)
    }

    def getter(c: TestClient) -> Callable:
        @cache
        def get(path: str, query: tuple = ()):
            r = c.get(path + ("?" + urlencode(list(query)) if query else ""))
            assert r.status_code == 200, r.text
            return r.json()

        return get

    yield {k: getter(c) for k, c in clients.items()}
    for c in clients.values():
        c.close()


# --- what a shown number says about the truth: the documented rule, not the code -------------


def possible(shown, k: int) -> range:
    """The true counts the documented rule shows as `shown`."""
    if shown == 0:
        return range(0, 1)
    if shown in (None, f"<{k}"):  # None: the Brum routes
        return range(1, k)
    assert isinstance(shown, int) and shown % k == 0 and shown >= k, (shown, k)
    # the nearest multiple of K, halves up: R - K/2 <= v < R + K/2; below K is hidden
    return range(max(k, math.ceil(shown - k / 2)), math.ceil(shown + k / 2))


def interval(terms: list[tuple[int, object]], k: int) -> tuple[float, float]:
    """The true values of sum(sign * x) over x in possible(shown), for (sign, shown) terms."""
    lo = hi = 0
    for sign, shown in terms:
        r = possible(shown, k)
        lo, hi = (lo + r[0], hi + r[-1]) if sign > 0 else (lo - r[-1], hi - r[0])
    return lo, hi


def two_figure_pin_allowed(terms: list[tuple[int, object]], k: int) -> bool:
    """The one difference of two figures that pins, for K = 4 or 5 (docs/decisions.md): a
    count shown as 2K minus a hidden part is 2K-2 = (K-1) + (K-1) (K = 5: 8 = 4 + 4 shows as
    10), so both parts are K-1. From K = 6 on no difference of two figures pins anything."""
    hidden = f"<{k}"
    return k in (4, 5) and sorted(map(str, terms)) == sorted(map(str, [(1, 2 * k), (-1, hidden)]))


def attack(target, relations: list[tuple], truth: int, k: int) -> set[int]:
    """The values of a hidden count that every relation allows.

    Checks that each relation is sound (the truth is among its values), that no relation of two
    figures pins the count (but `two_figure_pin_allowed`), and at K = 10 that all relations
    together leave at least two values. Relations of three or more figures can pin at small K
    (docs/decisions.md, "Disclosure control").
    """
    values = set(possible(target, k))
    for name, terms, *at_least in relations:
        lo, hi = interval(terms, k)
        hi = math.inf if at_least else hi  # the count is at least the sum
        allowed = {v for v in values if lo <= v <= hi}
        assert truth in allowed, (name, terms, truth)  # the relation is exact: truth is in it
        alone = {v for v in possible(target, k) if lo <= v <= hi}
        if len(terms) <= 2 and len(alone) < 2:
            assert two_figure_pin_allowed(terms, k), (name, terms, truth)
        values = allowed
    if k >= 10:
        assert len(values) >= 2, (truth, values, relations)
    return values


# --- the truth (the oracle) ------------------------------------------------------------------


def true_count(weeks: tuple, rect: dict, kontor: str = "0219") -> int:
    return len(
        {
            r.person_id
            for r in ROWS
            if r.kontor == kontor
            and r.uke_start in weeks
            and all(getattr(r, d) in vs for d, vs in rect.items())
        }
    )


# --- the attacker -----------------------------------------------------------------------------


class Attacker:
    """Asks /api/v1/tiltak/uker for counts of rectangles (a set of values per dimension)."""

    def __init__(self, get: Callable, fra: str, til: str):
        self.get, self.fra, self.til = get, fra, til
        valg = get("/api/v1/tiltak/valg", (("kontor", "0219"),))["valg"]
        self.domain = {d: tuple(o["verdi"] for o in valg[d]) for d in (*DIMS, "tiltakskategori")}
        self.kategori = {o["verdi"]: o["kategori"] for o in valg["tiltakskode"]}

    def table(self, rect: dict, by: str) -> dict:
        query = [("kontor", "0219"), ("fra", self.fra), ("til", self.til), ("gruppering", by)]
        query += [(d, v) for d, vs in sorted(rect.items()) for v in sorted(vs)]
        return self.get("/api/v1/tiltak/uker", tuple(query))

    def count(self, rect: dict):
        """Distinct persons of the rectangle over the period: the `totalt` of a table."""
        return self.table(rect, "avdeling")["totalt"]

    def cells(self, rect: dict, by: str) -> dict:
        return {r[by]: r["antall"] for r in self.table(rect, by)["rader"]}

    def others(self, d: str, v: str) -> tuple:
        return tuple(x for x in self.domain[d] if x != v)

    def hidden(self) -> list[dict]:
        """Every rectangle of one value in 1, 2 or 3 dimensions that is shown hidden."""
        found = []
        for n in (1, 2, 3):
            for first, *rest in combinations(DIMS, n):
                for combo in product(*(self.domain[d] for d in rest)):
                    rect = {d: (v,) for d, v in zip(rest, combo, strict=True)}
                    found += [
                        {**rect, first: (v,)}
                        for v, shown in self.cells(rect, first).items()
                        if isinstance(shown, str)
                    ]
        return found

    def relations(self, rect: dict) -> list[tuple[str, list]]:
        """(name, terms): the hidden count = sum(sign * true value behind shown) per term."""
        out = []
        for d, (v,) in rect.items():
            rest = {e: vs for e, vs in rect.items() if e != d}
            whole = self.count(rest)
            complement = self.count({**rest, d: self.others(d, v)})
            out.append((f"{d}: total - total without it", [(1, whole), (-1, complement)]))
            other = [(-1, n) for x, n in self.cells(rest, d).items() if x != v]
            out.append((f"{d}: total - other cells", [(1, whole), *other]))
            if d == "tiltakskode":
                kat = self.kategori[v]
                same = [t for t in self.domain[d] if self.kategori[t] == kat and t != v]
                out.append(
                    (
                        "tiltakskategori - its other tiltak",
                        [(1, self.count({**rest, "tiltakskategori": (kat,)}))]
                        + [(-1, self.count({**rest, d: (t,)})) for t in same],
                    )
                )
        for e in DIMS:
            if e in rect:
                continue
            parts = self.cells(rect, e)
            out.append((f"sum of the parts by {e}", [(1, n) for n in parts.values()]))
            for x in self.domain[e]:
                rest = self.count({**rect, e: self.others(e, x)})
                out.append((f"{e}={x} plus the rest", [(1, parts.get(x, 0)), (1, rest)]))
        return out


# --- the attacks ------------------------------------------------------------------------------


def test_the_attack_of_issue_12_no_longer_recovers_the_cell(apis):
    """503 − 500 gave the hidden ENKELAMO cell exactly; now 505 − 500 leaves 1, 2, 3 and 4."""
    rect = {"tiltakskode": (TARGET,)}
    plain = Attacker(apis[None], A, A)
    others = {"tiltakskode": plain.others("tiltakskode", TARGET)}
    assert (plain.count({}), plain.count(others)) == (503, 500)  # the unprotected app
    att = Attacker(apis[5], A, A)
    assert att.cells({}, "tiltakskode")[TARGET] == "<5"
    assert (att.count({}), att.count(others)) == (505, 500)
    relation = [(1, att.count({})), (-1, att.count(others))]
    assert attack("<5", [("503 - 500", relation)], true_count((WEEK_A,), rect), 5) == {1, 2, 3, 4}


@pytest.mark.parametrize("k", [5, 10])
@pytest.mark.parametrize(("fra", "til"), [(A, A), (B, B), (B, A)])
def test_no_difference_of_tiltak_counts_pins_a_hidden_count(apis, k, fra, til):
    """Every hidden count of one week and of both weeks together against every relation above,
    the kontor total from /kontorer and (for one week) the week within the two: no difference
    of two figures pins it, and at K = 10 not even all relations together do."""
    att = Attacker(apis[k], fra, til)
    weeks = {(A, A): (WEEK_A,), (B, B): (WEEK_B,), (B, A): (WEEK_B, WEEK_A)}[(fra, til)]
    kontorer = {r["enhetsnummer"]: r for r in apis[k]("/api/v1/kontorer")["kontorer"]}
    both = Attacker(apis[k], B, A)
    other_week = {(A, A): Attacker(apis[k], B, B), (B, B): Attacker(apis[k], A, A)}.get((fra, til))
    targets = att.hidden()
    assert len(targets) > 30
    for rect in targets:
        truth = true_count(weeks, rect)
        assert 0 < truth < k
        relations = att.relations(rect)
        if len(weeks) == 2 and set(rect) == {"tiltakskode"}:  # the kontor total: every week
            others = {"tiltakskode": att.others("tiltakskode", rect["tiltakskode"][0])}
            total = kontorer["0219"]["antall_personer"]
            relations.append(
                ("/kontorer - total without it", [(1, total), (-1, att.count(others))])
            )
        if other_week is not None:  # this week's persons >= both weeks' - the other week's
            terms = [(1, both.count(rect)), (-1, other_week.count(rect))]
            relations.append(("both weeks - the other week", terms, "at least"))
        attack(f"<{k}", relations, truth, k)


@pytest.mark.parametrize("k", [5, 10])
def test_gjennomforing_figures_pin_nothing(apis, k):
    """Hidden deltar/venter per gjennomføring against the weekly sums (with and without a
    kontor and a tiltak filter) and the lokale/andre split. (Brum's /gjennomforinger lists
    names and dates in Ktor's shape and counts nobody.)"""
    get = apis[k]
    hidden = f"<{k}"
    targets = 0
    for kontor in (("kontor", "0219"),), ():
        base = (*kontor, ("fra", A), ("til", A))
        body = get("/api/v1/gjennomforinger/uker", base)
        (week,) = body["uker"]
        for r in body["rader"]:
            gid, kode = r["gjennomforing_id"], r["tiltakskode"]
            members = [x for x in ROWS if x.gjennomforing_id == gid and x.uke_start == WEEK_A]
            for field, truth in (("deltar", len(members)), ("venter", (41 + len(gid)) % 3)):
                if r[field] != hidden:
                    continue
                targets += 1
                rest = [x for x in body["rader"] if x is not r]
                kodes = sorted({x["tiltakskode"] for x in body["rader"]} - {kode})
                filtered = get(
                    "/api/v1/gjennomforinger/uker", (*base, *(("tiltakskode", t) for t in kodes))
                )
                same = [x for x in rest if x["tiltakskode"] == kode]
                relations = [
                    (
                        "weekly sum - other rows",
                        [(1, week[field])] + [(-1, x[field]) for x in rest],
                    ),
                    (
                        "weekly sum - sum without its tiltak - its other gjennomføringer",
                        [(1, week[field]), (-1, filtered["uker"][0][field])]
                        + [(-1, x[field]) for x in same],
                    ),
                ]
                if field == "deltar":
                    relations.append(
                        (
                            "lokale + andre",
                            [(1, r["fra_lokale_kontor"]), (1, r["fra_andre_kontor"])],
                        )
                    )
                attack(hidden, relations, truth, k)
    assert targets >= 3


def test_brum_uke_antall_shows_the_api_figures_and_no_others(apis):
    """Every /ukeAntall value is the API's protected count of the same persons (null for
    «<5»), so the Brum route gives the attacker nothing the attacks above did not have."""
    get = apis[5]
    body = get("/ukeAntall", (("aar", 2025), ("uke", 41), ("kontor", "0219")))
    att = Attacker(get, A, A)
    kode = {fx.TILTAK_NAVN[t]: t for t in att.domain["tiltakskode"]}
    nulls = []
    for i, row in enumerate(body["data"]):
        for j, (navn, v) in enumerate(zip(body["headers"], row["verdier"], strict=True)):
            rect = {
                "avdeling": (row["avdeling"],),
                "innsatsgruppe": (row["innsatsgruppe"],),
                "tiltakskode": (kode[navn],),
            }
            assert v == (None if (c := att.count(rect)) == "<5" else c)
            nulls += [[i, j]] if v is None else []
    assert nulls and body["skjulteVerdier"]["data"] == nulls
    for row in body["dataAvdeling"]:
        for navn, v in zip(body["headers"], row["verdier"], strict=True):
            c = att.count({"avdeling": (row["avdeling"],), "tiltakskode": (kode[navn],)})
            assert v == (None if c == "<5" else c)


def test_kontorer_and_valg_reveal_nothing_of_a_one_person_kontor(attack_db, apis, tmp_path):
    """Nav Hallingdal has one person: /kontorer shows «<5», and /tiltak/valg and /kontorer are
    the same whichever innsatsgruppe and tiltak that person has (unprotected, valg showed them)."""
    other = build(tmp_path / "other.duckdb", attack_rows(("GODE_MULIGHETER", "MIDLONTIL")))
    urls = ("/api/v1/kontorer", "/api/v1/tiltak/valg?kontor=0615")
    answers = []
    for db in (attack_db, other):
        with TestClient(create_app(Settings(warehouse=db), min_antall=5)) as c:
            answers.append([c.get(url).json() for url in urls])
    assert answers[0] == answers[1]
    kontorer, valg = answers[0][0]["kontorer"], answers[0][1]["valg"]
    assert {r["enhetsnummer"]: r["antall_personer"] for r in kontorer} == {
        "0219": 520,  # 518 persons
        "0220": 10,  # 12
        "0615": "<5",  # 1
    }
    assert [o["verdi"] for o in valg["innsatsgruppe"]] == list(q.INNSATSGRUPPE_NAVN)
    assert {o["verdi"] for o in valg["tiltakskode"]} == set(fx.TILTAK_NAVN)
    assert [o["verdi"] for o in valg["avdeling"]] == ["Uten avdeling"]  # no veiledergrupper
    plain = apis[None]("/api/v1/tiltak/valg", (("kontor", "0615"),))["valg"]
    assert [o["verdi"] for o in plain["innsatsgruppe"]] == ["TRENGER_VEILEDNING"]  # the leak
