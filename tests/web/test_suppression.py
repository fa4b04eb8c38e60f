"""Disclosure control under `--min-antall K`: small-count suppression plus rounding to base 2K.

The protection function itself (every boundary, ties, several K), K below 5 refused, and how the
tiltak routes, Brum routes and exports show protected figures on the fixture warehouse. The
attack on it (differences of totals, complements of filters, groupings) and the refused filter
selections are tests/web/test_disclosure.py.
"""

from __future__ import annotations

import socket
from collections import defaultdict

import export_table
import fixture_warehouse as fx
import pytest
from fastapi.testclient import TestClient
from test_api import persons
from typer.testing import CliRunner

from metrikk.cli import app as cli
from metrikk.settings import Settings, SettingsError
from metrikk.web import queries as q
from metrikk.web import suppression
from metrikk.web.app import app_from_env, create_app
from metrikk.web.suppression import MIN_K, note, parse_k, protect, ratio, shown

K = 5


@pytest.mark.parametrize("k", [5, 6, 8, 10])
def test_zero_stays_and_every_count_below_k_is_hidden(k):
    """0 is shown as 0; 1, …, K-1 are hidden (None); K itself is shown as 2K."""
    assert protect(0, k) == 0
    for v in range(1, k):
        assert protect(v, k) is None, v
    assert protect(k, k) == 2 * k
    assert shown(k - 1, k) == f"<{k}" and shown(1, k) == f"<{k}" and shown(0, k) == 0


@pytest.mark.parametrize(
    ("k", "cases"),
    [
        # (true count, shown): K … 3K-1 as 2K, then the nearest multiple of 2K, halves up.
        (5, [(5, 10), (14, 10), (15, 20), (24, 20), (25, 30), (500, 500), (503, 500), (505, 510)]),
        (6, [(6, 12), (17, 12), (18, 24), (29, 24), (30, 36), (41, 36), (42, 48)]),
        (8, [(8, 16), (23, 16), (24, 32), (39, 32), (40, 48), (999, 992), (1000, 1008)]),
        (10, [(10, 20), (29, 20), (30, 40), (49, 40), (50, 60), (1234, 1240), (1229, 1220)]),
    ],
)
def test_other_counts_are_rounded_to_the_nearest_multiple_of_2k_halves_up(k, cases):
    """K, 3K-1 (both 2K), 3K (the half between 2K and 4K: up), 5K-1, 5K and further."""
    for v, expected in cases:
        assert protect(v, k) == expected, (v, k)


@pytest.mark.parametrize("k", [5, 6, 7, 8, 10])
def test_every_shown_count_is_a_multiple_of_2k_within_k_of_the_truth(k):
    """For every count up to 40 K: hidden, 0, or a multiple of 2K ≥ 2K standing for
    R-K … R+K-1 (docs/decisions.md: what a shown number says about the truth)."""
    for v in range(0, 40 * k):
        p = protect(v, k)
        if p is None:
            assert 0 < v < k
        elif v == 0:
            assert p == 0
        else:
            assert p % (2 * k) == 0 and p >= 2 * k and p - k <= v <= p + k - 1, (v, p)
            assert v >= k


def two_figure_pins(k: int) -> set[tuple]:
    """Every way one or two shown figures pin a hidden count: (relation, first, second) where
    the hidden count is first - second, first + second, or at least first - second."""
    ranges: dict = {}
    for v in range(40 * k):
        ranges.setdefault(protect(v, k), []).append(v)
    shown_as = {s: (min(vs), max(vs)) for s, vs in ranges.items() if max(vs) < 39 * k}

    def one(lo, hi) -> bool:  # exactly one of 1 … K-1 in lo..hi
        return min(hi, k - 1) == max(lo, 1)

    pins = set()
    for a, (alo, ahi) in shown_as.items():
        for b, (blo, bhi) in shown_as.items():
            for name, lo, hi in (
                ("difference", alo - bhi, ahi - blo),
                ("sum", alo + blo, ahi + bhi),
                ("at least", alo - bhi, 10**9),
            ):
                if one(lo, hi):
                    pins.add((name, a, b))
    return pins


@pytest.mark.parametrize("k", [5, 6, 7, 8, 10, 15, 20])
def test_no_two_shown_figures_pin_a_hidden_count(k):
    """The ranges behind the shown numbers are wide enough that no difference or sum of two
    figures leaves a single value for a hidden count (with base K, 10 − «<5» gave 4 at K = 5)."""
    assert two_figure_pins(k) == set()


def test_below_k_5_the_method_is_refused(fixture_db):
    """K = 3 hides so little that two hidden figures pin each other (1 + 1 of a hidden 2);
    the app, the worker processes' environment and `metrikk serve` refuse every K below 5 with
    a Norwegian message naming why, before anything listens."""
    assert MIN_K == 5
    assert two_figure_pins(3)
    for k in (4, 3, 2, 1, 0, -1):
        with pytest.raises(SettingsError, match=f"må være minst 5, ikke {k}: med en lavere"):
            create_app(Settings(warehouse=fixture_db), min_antall=k)
    with pytest.raises(SettingsError, match="helt tall"):
        parse_k("fem")
    assert parse_k("") is None and parse_k(None) is None and parse_k(" 5 ") == 5


def test_serve_refuses_k_below_5(fixture_db, monkeypatch):
    """`metrikk serve --min-antall 4` and METRIKK_MIN_ANTALL=4 exit 2 with the reason. (The
    port is taken, so a serve that accepted K = 4 fails to listen instead of running on.)"""
    runner = CliRunner()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        base = ["--warehouse", str(fixture_db), "serve", "--port", str(taken.getsockname()[1])]
        result = runner.invoke(cli, [*base, "--min-antall", "4"])
        assert result.exit_code == 2, result.output
        assert "--min-antall (METRIKK_MIN_ANTALL) må være minst 5, ikke 4" in result.output
        result = runner.invoke(cli, base, env={"METRIKK_MIN_ANTALL": "4"})
        assert result.exit_code == 2 and "ikke 4" in result.output
    monkeypatch.setenv("METRIKK_MIN_ANTALL", "3")
    monkeypatch.setenv("METRIKK_WAREHOUSE", str(fixture_db))
    with pytest.raises(SettingsError, match="ikke 3"):
        app_from_env()
    assert note(5) == "Tall under 5 vises ikke; andre tall er avrundet til nærmeste 10."


def test_without_k_every_count_is_exact():
    """No K shows every count as it is (K = 1 is refused: test_below_k_5_the_method_is_refused)."""
    for v in (0, 1, 4, 503):
        assert protect(v, None) == v and shown(v, None) == v


def test_ratios_come_from_the_shown_count():
    """belegg = shown deltar / plasser; hidden deltar or no plasser gives no belegg."""
    assert ratio(8, 20, 5) == 0.5  # 8 is shown as 10
    assert ratio(15, 20, 5) == 1.0 and ratio(14, 20, 5) == 0.5  # 15 as 20, 14 as 10
    assert ratio(3, 20, 5) is None
    assert ratio(8, 0, 5) is None and ratio(8, None, 5) is None
    assert ratio(8, 20, None) == 0.4


def is_hidden(v) -> bool:
    return v == f"<{K}"


def protected_ok(v) -> bool:
    return is_hidden(v) or v == 0 or (isinstance(v, int) and v % (2 * K) == 0 and v >= 2 * K)


def test_tiltak_counts_are_the_true_counts_protected(client_k5):
    """Every cell and total is exactly protect(true distinct count): nothing else changes."""
    body = client_k5.get(
        "/api/v1/tiltak/uker?kontor=0219&gruppering=uke&gruppering=tiltakskode"
    ).json()
    assert body["min_antall"] == K
    oracle = persons(kontor="0219", by=("uke", "tiltakskode"))
    rows = body["rader"]
    assert any(r["skjult"] for r in rows) and any(r["antall"] not in (0, "<5") for r in rows)
    for r in rows:
        true = len(oracle.get((r["uke"], r["tiltakskode"]), ()))
        assert r["antall"] == shown(true, K), r
        assert r["skjult"] == (0 < true < K)
    per_week = persons(kontor="0219", by=("uke",))
    for t in body["totalt_per"]:
        assert t["antall"] == shown(len(per_week[(t["uke"],)]), K)
    assert body["totalt"] == shown(len({r.person_id for r in fx.ROWS if r.kontor == "0219"}), K)


def test_shares_and_order_come_from_the_shown_numbers(client_k5):
    """Shares are of the shown cells (hidden ones have none), add up to 100, and groups are
    ordered by their shown size, ties by name: no true count leaks through them."""
    body = client_k5.get(
        "/api/v1/tiltak/uker?kontor=0219&gruppering=avdeling&gruppering=tiltakskode"
    ).json()
    by_x = defaultdict(list)
    for r in body["rader"]:
        by_x[r["avdeling"]].append(r)
    for rows in by_x.values():
        visible = [r for r in rows if not r["skjult"]]
        assert all(r["andel"] is None for r in rows if r["skjult"])
        total = sum(r["antall"] for r in visible)
        if total:
            assert round(sum(r["andel"] for r in visible), 6) == 100.0
            for r in visible:
                assert abs(r["andel"] - 100 * r["antall"] / total) <= 0.1
    # The series: by the sum of their shown cells, ties by name. In 0219 by tiltak, Gode
    # muligheter (14 persons in the cells) and Trenger veiledning, nedsatt arbeidsevne (15) both
    # sum to 12.5 shown: the true size would put them the other way round.
    for x, s in (("avdeling", "tiltakskode"), ("tiltakskode", "innsatsgruppe")):
        body = client_k5.get(f"/api/v1/tiltak/uker?kontor=0219&gruppering={x}&gruppering={s}")
        body = body.json()
        navn = {v["verdi"]: v["navn"].casefold() for v in body["verdier"][s]}
        size = defaultdict(float)
        for r in body["rader"]:
            size[r[s]] += K / 2 if r["skjult"] else r["antall"]
        keys = [(-size[v], navn[v]) for v in navn]
        assert keys == sorted(keys), s
    # The x axis: by shown total, ties by name. In 0219, four innsatsgrupper of 5, 6, 11 and
    # 14 persons are all shown as 10, and AMO (20) and ARBFORB (19) both as 20: the true size
    # would order them otherwise.
    for dim in ("innsatsgruppe", "tiltakskode"):
        body = client_k5.get(f"/api/v1/tiltak/uker?kontor=0219&gruppering={dim}").json()
        navn = {v["verdi"]: v["navn"].casefold() for v in body["verdier"][dim]}
        keys = [
            (-(K / 2 if is_hidden(t["antall"]) else t["antall"]), navn[t[dim]])
            for t in body["totalt_per"]
        ]
        assert keys == sorted(keys), dim


def test_filter_options_under_k_come_from_code_lists_and_organisation_data(client_k5):
    """/tiltak/valg under K lists every innsatsgruppe of the code list, every tiltakstype, and
    the kontor's avdelinger from its veiledergrupper, also those nobody in the data has
    (Avdeling Nord, JOBBKLUBB, Liten mulighet til å jobbe)."""
    valg = client_k5.get("/api/v1/tiltak/valg?kontor=0220").json()["valg"]
    assert [o["verdi"] for o in valg["avdeling"]] == sorted(
        {a for k, a in fx.VEILEDERGRUPPER if k == "0220"} | {"Uten avdeling"}
    )
    assert "Avdeling Nord" in {o["verdi"] for o in valg["avdeling"]}
    assert [o["verdi"] for o in valg["innsatsgruppe"]] == list(q.INNSATSGRUPPE_NAVN)
    assert {o["verdi"]: o["navn"] for o in valg["tiltakskode"]} == fx.TILTAK_NAVN
    assert [o["verdi"] for o in valg["tiltakskategori"]] == list(q.KATEGORI_NAVN)


def test_belegg_is_derived_from_the_shown_deltar(client_k5):
    """Per gjennomføring and per week, belegg × plasser is the shown (protected) deltar."""
    body = client_k5.get("/api/v1/gjennomforinger/uker?kontor=0219").json()
    for r in body["rader"]:
        if r["deltar"] == "<5" or not r["plasser"]:
            assert r["belegg"] is None
        else:
            assert r["belegg"] == round(r["deltar"] / r["plasser"], 4)
    weekly = [u for u in body["uker"] if u["belegg"] is not None]
    assert weekly
    for u in weekly:
        deltar = u["belegg"] * u["plasser"]
        assert abs(deltar - round(deltar)) < 1e-3 * u["plasser"]
        assert protected_ok(round(deltar)) and round(deltar) > 0, u


def test_unprotected_app_shows_the_exact_counts(client):
    """Without --min-antall nothing is hidden or rounded."""
    body = client.get("/api/v1/tiltak/uker?kontor=0220&gruppering=uke&gruppering=avdeling").json()
    oracle = persons(kontor="0220", by=("uke", "avdeling"))
    assert body["min_antall"] is None
    assert any(0 < r["antall"] < K for r in body["rader"])
    for r in body["rader"]:
        assert r["antall"] == len(oracle.get((r["uke"], r["avdeling"]), ())) and not r["skjult"]


def test_brum_uke_antall_is_numeric_with_null_for_hidden_and_says_which(client_k5, client):
    """/ukeAntall keeps Ktor's numbers: null for a hidden count, the hidden cells listed in
    skjulteVerdier as [row, column], every other value the protected exact one."""
    body = client_k5.get("/ukeAntall?aar=2025&uke=41").json()
    plain = client.get("/ukeAntall?aar=2025&uke=41").json()
    assert list(body) == [*plain, "minAntall", "skjulteVerdier"] and body["minAntall"] == K
    nulls = {}
    for name in ("data", "dataAvdeling"):
        assert [len(r["verdier"]) for r in body[name]] == [len(r["verdier"]) for r in plain[name]]
        nulls[name] = []
        for i, (row, exact) in enumerate(zip(body[name], plain[name], strict=True)):
            for j, (v, e) in enumerate(zip(row["verdier"], exact["verdier"], strict=True)):
                assert v is None or isinstance(v, int)
                assert v == protect(e, K), (name, i, j)
                if v is None:
                    nulls[name].append([i, j])
    assert nulls["data"], "the fixture has small cells in week 41"
    assert body["skjulteVerdier"] == nulls


def test_tiltak_exports_show_the_protected_table(client_k5):
    """CSV and the percent view show «<5» for hidden cells and only protected numbers."""
    base = "/api/v1/tiltak/uker?kontor=0219&gruppering=uke&gruppering=tiltakskode"
    body = client_k5.get(base).json()
    rows = export_table.csv_rows(client_k5.get(base + "&format=csv").content)
    weeks = [v["verdi"] for v in body["verdier"]["uke"]]
    series = [v["verdi"] for v in body["verdier"]["tiltakskode"]]
    by = {(r["uke"], r["tiltakskode"]): r["antall"] for r in body["rader"]}
    totals = {t["uke"]: t["antall"] for t in body["totalt_per"]}
    assert len(rows) == 1 + len(weeks)
    for row, week in zip(rows[1:], weeks, strict=True):
        assert row[1:] == [str(by[(week, s)]) for s in series] + [str(totals[week])]
        assert all(protected_ok(int(c) if c.isdigit() else c) for c in row[1:])
    assert "<5" in {c for r in rows for c in r}
    pct = export_table.csv_rows(client_k5.get(base + "&visning=prosent&format=csv").content)
    cells = [c for line in pct[1:] for c in line[1:]]
    assert "<5" in cells


def test_index_and_sql_give_the_same_protected_answers(fixture_db, monkeypatch):
    """The in-memory index and the SQL path (METRIKK_WEB_INDEKS=0) answer every protected
    route identically: protection is applied after either has counted."""
    urls = [
        "/api/v1/tiltak/uker?kontor=0219&gruppering=uke&gruppering=tiltakskode",
        "/api/v1/tiltak/uker?kontor=0220&gruppering=avdeling&gruppering=innsatsgruppe"
        "&tiltakskode=AMO&sorter=navn",
        "/api/v1/tiltak/uker?kontor=0219&gruppering=tiltakskode&avdeling=Avdeling%20Vest"
        "&innsatsgruppe=TRENGER_VEILEDNING&tiltakskategori=GRUPPE",
        "/api/v1/tiltak/uker?kontor=0219&gruppering=innsatsgruppe&visning=prosent&format=csv",
        "/api/v1/gjennomforinger/uker?kontor=0219",
        "/api/v1/gjennomforinger/uker?kontor=0220&tiltakskode=AMO&format=csv",
        "/gjennomforinger?kontor=0219&aar=2025&uke=41",
    ]
    answers = {}
    for flag in ("1", "0"):
        monkeypatch.setenv("METRIKK_WEB_INDEKS", flag)
        with TestClient(create_app(Settings(warehouse=fixture_db), min_antall=K)) as c:
            answers[flag] = [c.get(u).content for u in urls]
    assert answers["1"] == answers["0"]
    assert b"<5" in answers["1"][0]


def test_tiltak_page_filters_are_one_value_or_all_under_k(client_k5, client):
    """Under K the page offers radio buttons, «Alle» first and checked, with the hint; without
    K checkboxes with «Velg alle». The note names K and the rounding base 2K."""
    page = client_k5.get("/tiltak?kontor=0219").text
    for name in ("avdeling", "innsatsgruppe", "tiltakskode"):
        assert f'<input type="radio" name="{name}" value="" checked> Alle' in page
        assert f'type="checkbox" name="{name}"' not in page
    assert "Med skjerming av små tall kan du velge én verdi eller alle" in page
    assert "Tall under 5 vises ikke; andre tall er avrundet til nærmeste 10." in page
    assert "andre tall om personer er avrundet til nærmeste 10." in page
    plain = client.get("/tiltak?kontor=0219").text
    assert (
        'type="checkbox" name="tiltakskode"' in plain
        and 'type="radio" name="tiltakskode"' not in plain
    )
    assert "velg-alle" in plain and "enkeltvalg-hjelp" not in plain and "avrundet" not in plain


@pytest.mark.parametrize(
    "name", ["avdeling", "innsatsgruppe", "tiltakskode", "tiltakskategori", "tiltaksgruppe"]
)
def test_a_refused_filter_names_its_own_dimension(name):
    """Two of three values under K are refused with words for that dimension, not the generic ones."""
    with pytest.raises(suppression.RefusedSelection) as refused:
        suppression.selection(name, ["a", "b"], {"a", "b", "c"}, 5)
    one, many = suppression.SELECTION_WORDS[name]
    assert f"velg {one} eller alle" in str(refused.value) and f"2 av 3 {many}" in str(refused.value)
