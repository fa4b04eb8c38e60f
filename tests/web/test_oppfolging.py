"""«Andel på tiltak» (/api/v1/tiltak/oppfolging, web/oppfolging.py) and its «Denne uken» tile,
against an oracle computed in plain Python from the fixture's lists (fixture_warehouse.ROWS and
`oppfolging_of`), not from the warehouse's tables."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date

import export_table
import fixture_warehouse as fx
import pytest

from metrikk.web import perioder
from metrikk.web.suppression import protect

KONTOR = "0219"
OPPFOLGING = fx.oppfolging_of(fx.ROWS)
PAA = {(r.uke_start, r.person_id) for r in fx.ROWS}
URL = "/api/v1/tiltak/oppfolging"


def get(client, url: str) -> dict:
    r = client.get(url)
    assert r.status_code == 200, r.text
    return r.json()


def oracle(kind: str, dim: str | None, kontor: str = KONTOR, **filters: str):
    """{(period, value): (under, på tiltak)}, {period: …}, {value: …}, total: distinct persons of
    the kontor under oppfølging, and of them på tiltak in at least one of the weeks counted."""
    cells, periods, groups = defaultdict(dict), defaultdict(dict), defaultdict(dict)
    total: dict[str, bool] = {}
    for o in OPPFOLGING:
        if o.kontor != kontor or any(getattr(o, f) != v for f, v in filters.items()):
            continue
        p = perioder.key(kind, o.uke_start)
        g = getattr(o, dim) if dim else None
        paa = (o.uke_start, o.person_id) in PAA
        for acc in (cells[(p, g)], periods[p], groups[g], total):
            acc[o.person_id] = acc.get(o.person_id, False) or paa

    def pair(persons: dict[str, bool]) -> tuple[int, int]:
        return len(persons), sum(persons.values())

    return (
        {c: pair(v) for c, v in cells.items()},
        {p: pair(v) for p, v in periods.items()},
        {g: pair(v) for g, v in groups.items()},
        pair(total),
    )


def andel(paa: int, under: int) -> float | None:
    return round(100 * paa / under, 1) if under else None


def test_months_by_innsatsgruppe_are_distinct_persons_never_sums_of_weeks(client):
    """Per month and innsatsgruppe, per month, per innsatsgruppe and in all: distinct persons
    under oppfølging and på tiltak, with the share; a person who changed innsatsgruppe counts in
    both and once in the total."""
    body = get(client, f"{URL}?kontor={KONTOR}&periode=maned&fra=2025-09&til=2025-10")
    cells, periods, groups, total = oracle("maned", "innsatsgruppe")
    order = [g["verdi"] for g in body["grupper"]]
    assert set(order) == set(groups) and order == [
        v for v in fx.INNSATS if v in groups
    ]  # the code list's own order
    for r in body["utvikling"]:
        p = perioder.key("maned", date.fromisoformat(r["periode"] + "-15"))
        for v, f in zip(order, r["grupper"], strict=True):
            under, paa = cells.get((p, v), (0, 0))
            assert (f["under_oppfolging"], f["paa_tiltak"], f["andel"]) == (
                under,
                paa,
                andel(paa, under),
            ), (p, v)
        assert (r["totalt"]["under_oppfolging"], r["totalt"]["paa_tiltak"]) == periods[p]
    for s in body["sammendrag"]:
        assert (s["under_oppfolging"], s["paa_tiltak"]) == groups[s["verdi"]]
    assert (body["totalt"]["under_oppfolging"], body["totalt"]["paa_tiltak"]) == total
    assert body["totalt"]["andel"] == andel(total[1], total[0])
    # the crafted innsatsgruppe changers make the groups' sum larger than the distinct total
    assert sum(s["under_oppfolging"] for s in body["sammendrag"]) > total[0]
    # and weekly sums would be larger still: September has four weeks
    weekly = oracle("uke", None)[1]
    assert sum(u for w, (u, _) in weekly.items() if w.month == 9) > periods["2025-09"][0]


def test_weeks_by_avdeling_with_an_innsatsgruppe_filter(client):
    """Per week (straight from uke_oppfolging) and avdeling, only Trenger veiledning."""
    body = get(
        client,
        f"{URL}?kontor={KONTOR}&periode=uke&gruppering=avdeling&innsatsgruppe=TRENGER_VEILEDNING",
    )
    cells, periods, groups, total = oracle("uke", "avdeling", innsatsgruppe="TRENGER_VEILEDNING")
    assert body["filter"] == {"avdeling": [], "innsatsgruppe": ["TRENGER_VEILEDNING"]}
    order = [g["verdi"] for g in body["grupper"]]
    assert set(order) == set(groups)
    assert [len(body["utvikling"])] == [len(fx.WEEKS)]
    for r, week in zip(body["utvikling"], fx.WEEKS, strict=True):
        for v, f in zip(order, r["grupper"], strict=True):
            assert (f["under_oppfolging"], f["paa_tiltak"]) == cells.get((week, v), (0, 0))
        assert (r["totalt"]["under_oppfolging"], r["totalt"]["paa_tiltak"]) == periods.get(
            week, (0, 0)
        )
    assert (body["totalt"]["under_oppfolging"], body["totalt"]["paa_tiltak"]) == total


def test_by_veiledergruppe_from_silver_with_the_groups_names(client):
    """gruppering=veiledergruppe: the same distinct counts per veileder's group (read from
    tiltak_silver.oppfolging_uke), named by the organisation data; no group: «Uten
    veiledergruppe»."""
    body = get(client, f"{URL}?kontor={KONTOR}&periode=uke&gruppering=veiledergruppe")
    assert body["gruppering_navn"] == "Veiledergruppe"
    cells, _, groups, total = oracle("uke", "avdeling")
    by_id = {fx.veiledergruppe_id(KONTOR, a): a for a in groups}
    assert {g["verdi"] for g in body["grupper"]} == set(by_id)
    for g, s in zip(body["grupper"], body["sammendrag"], strict=True):
        avdeling = by_id[g["verdi"]]
        assert g["navn"] == ("Uten veiledergruppe" if g["verdi"] is None else avdeling)
        assert (s["under_oppfolging"], s["paa_tiltak"]) == groups[avdeling]
    for r, week in zip(body["utvikling"], fx.WEEKS, strict=True):
        for g, f in zip(body["grupper"], r["grupper"], strict=True):
            want = cells.get((week, by_id[g["verdi"]]), (0, 0))
            assert (f["under_oppfolging"], f["paa_tiltak"]) == want
    assert (body["totalt"]["under_oppfolging"], body["totalt"]["paa_tiltak"]) == total


def test_weekly_average_is_the_mean_of_the_weekly_distinct_counts(client):
    """maal=snitt: each month's figure is the mean of its weeks' counts (one decimal)."""
    body = get(client, f"{URL}?kontor={KONTOR}&periode=maned&gruppering=ingen&maal=snitt")
    weekly = oracle("uke", None)[1]
    for r in body["utvikling"]:
        weeks = [w for w in fx.WEEKS if perioder.key("maned", w) == r["periode"]]
        mean_u = sum(weekly.get(w, (0, 0))[0] for w in weeks) / len(weeks)
        mean_p = sum(weekly.get(w, (0, 0))[1] for w in weeks) / len(weeks)
        f = r["totalt"]
        assert (f["under_oppfolging"], f["paa_tiltak"]) == (round(mean_u, 1), round(mean_p, 1))
        assert f["andel"] == round(100 * mean_p / mean_u, 1)


def test_the_export_states_its_filters_and_equals_the_json(client):
    """CSV: a preamble naming kontor, period, measure and the filter, then the page's table."""
    url = f"{URL}?kontor={KONTOR}&gruppering=avdeling&innsatsgruppe=TRENGER_VEILEDNING"
    body = get(client, url)
    r = client.get(url + "&format=csv&tabell=sammendrag")
    assert r.status_code == 200 and "andel_paa_tiltak_0219" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    preamble, table = export_table.split(rows)
    pre = dict(preamble)
    assert pre["Kontor"] == "Nav Bærum (0219)"
    assert pre["Filtre"] == "Innsatsgruppe: Trenger veiledning"
    assert "unike personer i perioden" in pre["Mål"] and "Syntetiske data" in pre["Data"]
    assert table[0] == ["Avdeling", "Under oppfølging", "På tiltak", "Andel på tiltak (%)"]
    want = [
        [s["navn"], str(s["under_oppfolging"]), str(s["paa_tiltak"])] for s in body["sammendrag"]
    ]
    assert [row[:3] for row in table[1:-1]] == want
    assert table[-1][0].startswith("Totalt") and table[-1][1] == str(
        body["totalt"]["under_oppfolging"]
    )


def test_under_min_antall_counts_are_protected_and_the_share_is_of_the_shown_numbers(
    client_k5,
):
    """K = 5: every count is protect(true count); the share is på tiltak / under oppfølging of
    the shown numbers, none when either is hidden; two values of one filter are refused."""
    body = get(client_k5, f"{URL}?kontor={KONTOR}&periode=uke&gruppering=innsatsgruppe")
    cells, periods, groups, total = oracle("uke", "innsatsgruppe")
    hidden = 0
    for r, week in zip(body["utvikling"], fx.WEEKS, strict=True):
        for g, f in zip(body["grupper"], r["grupper"], strict=True):
            under, paa = cells.get((week, g["verdi"]), (0, 0))
            pu, pp = protect(under, 5), protect(paa, 5)
            assert f["under_oppfolging"] == ("<5" if pu is None else pu)
            assert f["paa_tiltak"] == ("<5" if pp is None else pp)
            assert f["andel"] == (None if pu is None or pp is None else andel(pp, pu))
            hidden += pu is None or pp is None
    assert hidden > 0
    assert body["totalt"]["under_oppfolging"] == protect(total[0], 5)
    r = client_k5.get(
        f"{URL}?kontor={KONTOR}&innsatsgruppe=TRENGER_VEILEDNING&innsatsgruppe=GODE_MULIGHETER"
    )
    assert r.status_code == 400 and "én verdi eller alle" in r.json()["feil"]


@pytest.mark.parametrize("k", [None, 5])
def test_denne_uken_tile_is_paa_tiltak_over_under_oppfolging(client, client_k5, k):
    """The «Andel under oppfølging på tiltak» tile of the last week, and of the weeks before."""
    c = client_k5 if k else client
    body = get(c, f"/api/v1/tiltak/denne-uken?kontor={KONTOR}")
    tile = next(t for t in body["fliser"] if t["id"] == "andel_paa_tiltak")
    weekly = oracle("uke", None)[1]

    def share(week: date) -> float | None:
        under, paa = weekly.get(week, (0, 0))
        if k:
            under, paa = protect(under, k), protect(paa, k)
        return None if not under or paa is None else round(100 * paa / under, 1)

    assert tile["enhet"] == "prosent" and tile["antall"] is not None
    assert tile["antall"] == share(fx.LAST_WEEK)
    assert tile["forrige_uke"] == share(fx.WEEKS[-2])
