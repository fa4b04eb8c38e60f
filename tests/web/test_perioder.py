"""Periods (week, month, year), the two measures and the comparison (web/perioder.py,
web/tiltak_perioder.py), checked against independent SQL on the pipeline warehouse."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pytest

from metrikk.web import perioder

KONTOR = "0219"


def get(client, url: str) -> dict:
    r = client.get(url)
    assert r.status_code == 200, r.text
    return r.json()


def test_period_key_in_python_equals_the_sql_for_every_monday():
    """A week belongs to the month (and year) of its Thursday, the same in Python and SQL."""
    mondays = [date(2019, 12, 30) + timedelta(weeks=i) for i in range(600)]
    con = duckdb.connect()
    for kind in ("maned", "aar"):
        expr = perioder.SQL[kind].format(col="d")
        got = con.execute(
            f"SELECT d, {expr} FROM unnest(?::DATE[]) t(d) ORDER BY d", [mondays]
        ).fetchall()
        assert [k for _, k in got] == [perioder.key(kind, m) for m in mondays], kind
    # 2024-12-30 (Monday of ISO week 2025-W01) belongs to January 2025 and to 2025.
    assert perioder.key("maned", date(2024, 12, 30)) == "2025-01"
    assert perioder.key("aar", date(2024, 12, 30)) == "2025"
    # A month is whole weeks: first Monday's Thursday and last Monday's Thursday in the month.
    assert perioder.first_monday("maned", "2025-05") == date(2025, 4, 28)
    assert perioder.last_monday("maned", "2025-05") == date(2025, 5, 26)


def test_resolve_cuts_to_the_published_weeks_and_explains_bad_input():
    """Default = the last 12 months up to the last week; bad months/years get bokmål messages."""
    first, last = date(2022, 1, 3), date(2025, 6, 23)
    per = perioder.resolve("maned", None, None, first, last)
    assert per.keys[0] == "2024-07" and per.keys[-1] == "2025-06" and len(per.keys) == 12
    assert per.til == last and per.weeks_of()["2025-06"][-1] == last
    years = perioder.resolve("aar", "2021", "2025", first, last)
    assert years.keys == ("2022", "2023", "2024", "2025") and years.fra == first
    for kind, text, message in [
        ("maned", "2025-13", "måned 13 finnes ikke"),
        ("maned", "mai", "er ikke en måned"),
        ("aar", "25", "er ikke et år"),
        ("uke", "2025-U53", "uke 53 finnes ikke i 2025"),
    ]:
        with pytest.raises(perioder.PeriodError, match=message):
            perioder.resolve(kind, text, None, first, last)
    with pytest.raises(perioder.PeriodError, match="etter siste måned med data"):
        perioder.resolve("maned", None, "2025-08", first, last)


def test_weekly_unique_persons_equal_the_weekly_endpoint(pipeline_client):
    """periode=uke&maal=unike gives exactly /tiltak/uker's cells and totals."""
    old = get(
        pipeline_client,
        f"/api/v1/tiltak/uker?kontor={KONTOR}&gruppering=uke&gruppering=avdeling",
    )
    new = get(
        pipeline_client,
        f"/api/v1/tiltak/perioder?kontor={KONTOR}&periode=uke&gruppering=periode"
        "&gruppering=avdeling",
    )
    assert {(r["uke"], r["avdeling"]): r["antall"] for r in old["rader"]} == {
        (r["periode"], r["avdeling"]): r["antall"] for r in new["rader"]
    }
    assert [t["antall"] for t in old["totalt_per"]] == [t["antall"] for t in new["totalt_per"]]
    assert old["totalt"] == new["totalt"]


def test_months_unique_persons_and_weekly_average_against_sql(pipeline_client, sql):
    """A month's unique persons are distinct over its weeks (never a sum of weeks); the weekly
    average is the mean of the weekly distinct counts; per-series totals are distinct too."""
    url = (
        f"/api/v1/tiltak/perioder?kontor={KONTOR}&periode=maned&fra=2025-01&til=2025-06"
        "&gruppering=periode&gruppering=avdeling"
    )
    unike = get(pipeline_client, url)
    snitt = get(pipeline_client, url + "&maal=snitt")
    month = "strftime(uke_start + INTERVAL 3 DAY, '%Y-%m')"
    where = "kontor = ? AND uke_start BETWEEN ? AND ?"
    params = [KONTOR, date(2024, 12, 30), date(2025, 6, 23)]
    cells = {
        (m, a): n
        for m, a, n in sql(
            f"SELECT {month}, avdeling, count(DISTINCT person_id) FROM tiltak_silver.deltakelse_uke"
            f" WHERE {where} GROUP BY 1, 2",
            params,
        )
    }
    got = {(r["periode"], r["avdeling"]): r["antall"] for r in unike["rader"]}
    assert {k: v for k, v in got.items() if v} == cells
    per_month = dict(
        sql(
            f"SELECT {month}, count(DISTINCT person_id) FROM tiltak_silver.deltakelse_uke"
            f" WHERE {where} GROUP BY 1",
            params,
        )
    )
    assert {t["periode"]: t["antall"] for t in unike["totalt_per"]} == per_month
    weekly = sql(
        f"SELECT {month}, uke_start, count(DISTINCT person_id) FROM tiltak_silver.deltakelse_uke"
        f" WHERE {where} GROUP BY 1, 2",
        params,
    )
    sums: dict[str, list[int]] = {}
    for m, _, n in weekly:
        sums.setdefault(m, []).append(n)
    # Every month of 2025-01..06 has all its weeks published (the last ends 2025-06-29).
    assert {t["periode"]: t["antall"] for t in snitt["totalt_per"]} == {
        m: round(sum(v) / len(v), 1) for m, v in sums.items()
    }
    assert max(per_month.values()) > max(t["antall"] for t in snitt["totalt_per"])
    assert sum(per_month.values()) > unike["totalt"]  # months share persons: never summed
    avdeling = dict(
        sql(
            "SELECT avdeling, count(DISTINCT person_id) FROM tiltak_silver.deltakelse_uke"
            f" WHERE {where} GROUP BY 1",
            params,
        )
    )
    assert {t["avdeling"]: t["antall"] for t in unike["totalt_per_serie"]} == avdeling
    assert unike["periode"]["antall_uker"] == 26
    assert [p["antall_uker"] for p in unike["periode"]["perioder"]] == [5, 4, 4, 4, 5, 4]
    assert unike["maal_navn"] == "unike personer i perioden"
    assert snitt["maal_navn"] == "gjennomsnitt per uke"


def test_top_series_and_the_rest_as_andre(pipeline_client, sql):
    """With more than 8 tiltak as series, «Andre» is the distinct persons of the rest."""
    body = get(
        pipeline_client,
        f"/api/v1/tiltak/perioder?kontor={KONTOR}&periode=aar&fra=2024&til=2024"
        "&gruppering=periode&gruppering=tiltakskode",
    )
    rest = body["andre"]["verdier"]
    assert len(rest) == len(body["verdier"]["tiltakskode"]) - 7
    assert rest == [v["verdi"] for v in body["verdier"]["tiltakskode"][7:]]
    (n,) = sql(
        "SELECT count(DISTINCT person_id) FROM tiltak_silver.deltakelse_uke WHERE kontor = ?"
        " AND uke_start BETWEEN ? AND ? AND list_contains(?, tiltakskode)",
        [KONTOR, date(2024, 1, 1), date(2024, 12, 23), rest],
    )[0]
    assert body["andre"]["antall_per"] == [{"periode": "2024", "antall": n}]
    assert body["andre"]["navn"] == f"Andre ({len(rest)})"


def test_comparison_of_two_periods_has_the_difference(pipeline_client):
    """/tiltak/sammenligning: per avdeling A, B, A − B and (A − B) / B in %, totals as in the
    period views."""
    base = f"/api/v1/tiltak/sammenligning?kontor={KONTOR}&periode=maned"
    body = get(
        pipeline_client,
        base + "&fra=2025-04&til=2025-06&fra2=2024-04&til2=2024-06&gruppering=avdeling",
    )
    a = get(
        pipeline_client,
        f"/api/v1/tiltak/perioder?kontor={KONTOR}&periode=maned&fra=2025-04&til=2025-06&gruppering=avdeling",
    )
    b = get(
        pipeline_client,
        f"/api/v1/tiltak/perioder?kontor={KONTOR}&periode=maned&fra=2024-04&til=2024-06&gruppering=avdeling",
    )
    assert {r["verdi"]: r["a"] for r in body["rader"]} == {
        r["avdeling"]: r["antall"] for r in a["rader"]
    }
    assert {r["verdi"]: r["b"] for r in body["rader"]} == {
        r["avdeling"]: r["antall"] for r in b["rader"]
    }
    for r in body["rader"] + [body["totalt"]]:
        assert r["endring"]["antall"] == r["a"] - r["b"]
        assert r["endring"]["prosent"] == (
            round(100 * (r["a"] - r["b"]) / r["b"], 1) if r["b"] else None
        )
    assert (body["totalt"]["a"], body["totalt"]["b"]) == (a["totalt"], b["totalt"])
    csv = pipeline_client.get(
        base + "&fra=2025-04&til=2025-06&fra2=2024-04&til2=2024-06&format=csv"
    )
    text = csv.content.decode("utf-8-sig")
    assert "april 2025 – juni 2025 sammenlignet med april 2024 – juni 2024" in text
    assert "Forskjell (%)" in text


def test_bad_periods_are_norwegian_400s(pipeline_client):
    """A month that does not exist or a period after the data is a 400 in bokmål."""
    for url, text in [
        ("periode=maned&fra=2025-13", "måned 13 finnes ikke"),
        ("periode=aar&til=2026", "etter siste år med data"),
        ("periode=uke&fra=2025-U20&til=2025-U10", "må være før eller lik"),
    ]:
        r = pipeline_client.get(f"/api/v1/tiltak/perioder?kontor={KONTOR}&{url}")
        assert r.status_code == 400 and text in r.json()["feil"], (url, r.text)


@pytest.fixture(scope="module", name="k5")
def _k5(pipeline_db):
    from fastapi.testclient import TestClient

    from metrikk.settings import Settings
    from metrikk.web.app import create_app

    with TestClient(create_app(Settings(warehouse=pipeline_db), min_antall=5)) as c:
        yield c


def test_under_min_antall_a_filter_is_one_value_or_all_and_there_is_no_andre(k5):
    """Under K a filter of some but not all values is refused (totals of arbitrary subsets
    would give hidden counts back); one value or all answer; «Andre» (a total of a set of
    tiltak) is not computed."""
    base = f"/api/v1/tiltak/perioder?kontor={KONTOR}&periode=aar&gruppering=periode"
    two = k5.get(base + "&avdeling=Ung&avdeling=Mottak")
    assert two.status_code == 400 and "én verdi eller alle" in two.json()["feil"]
    assert k5.get(base + "&avdeling=Ung").status_code == 200
    valg = get(k5, f"/api/v1/tiltak/valg?kontor={KONTOR}")["valg"]["avdeling"]
    every = "".join(f"&avdeling={o['verdi']}" for o in valg)
    assert get(k5, base + every)["rader"] == get(k5, base)["rader"]
    series = get(k5, base + "&gruppering=tiltakskode")
    assert len(series["verdier"]["tiltakskode"]) > 8 and "andre" not in series
    cmp = k5.get(
        f"/api/v1/tiltak/sammenligning?kontor={KONTOR}&periode=aar&fra=2025&til=2025&fra2=2024"
        "&til2=2024&tiltakskode=JOBBKLUBB&tiltakskode=AVKLARING"
    )
    assert cmp.status_code == 400
    gj = k5.get(
        f"/api/v1/gjennomforinger/liste?kontor={KONTOR}&tiltakskode=JOBBKLUBB&tiltakskode=AVKLARING"
    )
    assert gj.status_code == 400 and "ett tiltak eller alle" in gj.json()["feil"]
