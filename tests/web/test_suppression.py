"""Small-count suppression: primary ("<K" for 1…K-1) and complementary (no lone hidden figure)."""

from __future__ import annotations

from collections import defaultdict

from metrikk.web.suppression import suppress

K = 5


def is_hidden(v) -> bool:
    return v == f"<{K}"


def test_primary_and_complementary_suppression_on_a_crafted_row():
    """A row 3, 10, 12 with total 25 hides the 3 and, so it cannot be derived, the 10 too."""
    values = {"a": 3, "b": 10, "c": 12, "total": 25}
    hidden = suppress(values, [["a", "b", "c", "total"]], K, totals={"total"})
    assert hidden == {"a", "b"}


def test_zero_is_never_hidden_and_no_k_means_no_suppression():
    """Zeros reveal nobody and stay; without K nothing is hidden."""
    values = {"a": 0, "b": 7, "c": 2, "t": 9}
    assert suppress(values, [["a", "b", "c", "t"]], K, totals={"t"}) == {"b", "c"}
    assert suppress(values, [["a", "b", "c", "t"]], None) == set()


def test_complement_spreads_across_lines_until_stable():
    """Hiding a complement in one line triggers another complement in the crossing line."""
    # rows r1: x1=2 (primary), x2=8; totals line: r1 total, r2 total, grand total.
    values = {
        ("c", 1, 1): 2,
        ("c", 1, 2): 8,
        ("t", 1): 10,
        ("c", 2, 1): 6,
        ("c", 2, 2): 9,
        ("t", 2): 15,
        ("all",): 25,
    }
    lines = [
        [("c", 1, 1), ("c", 1, 2), ("t", 1)],
        [("c", 2, 1), ("c", 2, 2), ("t", 2)],
        [("t", 1), ("t", 2), ("all",)],
    ]
    hidden = suppress(values, lines, K, totals={("t", 1), ("t", 2), ("all",)})
    assert ("c", 1, 1) in hidden and ("c", 1, 2) in hidden
    for line in lines:
        assert sum(1 for key in line if key in hidden) != 1


def test_api_hides_small_counts_and_leaves_no_lone_hidden_figure(client_k5):
    """With K=5 no visible count is 1…4 and no week has exactly one hidden figure."""
    body = client_k5.get(
        "/api/v1/tiltak/uker?kontor=0219&gruppering=uke&gruppering=tiltakskode"
    ).json()
    assert body["min_antall"] == K
    rows = body["rader"]
    assert any(r["skjult"] for r in rows)
    for r in rows:
        if r["skjult"]:
            assert is_hidden(r["antall"]) and r["andel"] is None
        else:
            assert r["antall"] == 0 or r["antall"] >= K
    by_week = defaultdict(list)
    for r in rows:
        by_week[r["uke"]].append(r["antall"])
    totals = {t["uke"]: t["antall"] for t in body["totalt_per"]}
    for week, cells in by_week.items():
        assert sum(map(is_hidden, cells)) + is_hidden(totals[week]) != 1, (week, cells)
    line = list(totals.values()) + [body["totalt"]]
    assert sum(map(is_hidden, line)) != 1


def test_unsuppressed_figures_are_unchanged(client, client_k5):
    """Suppression only masks figures; every visible number equals the unsuppressed one."""
    url = "/api/v1/tiltak/uker?kontor=0220&gruppering=uke&gruppering=avdeling"
    plain = client.get(url).json()["rader"]
    masked = client_k5.get(url).json()["rader"]
    for p, m in zip(plain, masked, strict=True):
        assert p["uke"] == m["uke"] and p["avdeling"] == m["avdeling"]
        if not m["skjult"]:
            assert m["antall"] == p["antall"]
        else:
            assert 0 < p["antall"] or any(
                x["skjult"] for x in masked if x["uke"] == m["uke"] and x is not m
            )


def test_brum_route_and_exports_are_suppressed_too(client_k5):
    """/ukeAntall and the CSV export show "<5" and never a count of 1…4."""
    body = client_k5.get("/ukeAntall?aar=2025&uke=41").json()
    values = [v for d in body["data"] + body["dataAvdeling"] for v in d["verdier"]]
    assert f"<{K}" in values
    assert not [v for v in values if isinstance(v, int) and 0 < v < K]
    for d in body["dataAvdeling"]:
        for j in range(len(body["headers"])):
            line = [x["verdier"][j] for x in body["data"] if x["avdeling"] == d["avdeling"]]
            assert sum(map(is_hidden, line)) + is_hidden(d["verdier"][j]) != 1
    csv_text = client_k5.get(
        "/api/v1/tiltak/uker?kontor=0219&gruppering=uke&gruppering=tiltakskode&format=csv"
    ).content.decode("utf-8-sig")
    cells = [c for line in csv_text.splitlines()[1:] for c in line.split(";")[1:]]
    assert f"<{K}" in cells
    assert not [c for c in cells if c.isdigit() and 0 < int(c) < K]
