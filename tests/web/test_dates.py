"""Every date, week and year a parameter accepts answers 200 or a Norwegian 400, never a 5xx.

Issue #12 found `/api/v1/etterlevelse/pvk-flyt?til=9999-12-31` (and `periode=maned`,
`format=csv`) failing with `OverflowError: date value out of range`. These property tests send
dates from the whole calendar (0001-01-01 … 9999-12-31, its ends always among them), reversed
ranges and huge spans to every route with a date, week or year parameter, on the warehouse the
real pipeline builds (the etterlevelse views need its tables).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.helpers.profiles import examples

pytestmark = pytest.mark.slow

EDGES = [
    date.min,
    date.min + timedelta(days=1),
    date(1899, 12, 31),
    date(1900, 1, 1),
    date(2999, 12, 31),
    date(3000, 1, 1),
    date.max - timedelta(days=1),
    date.max,
]
DATES = st.one_of(st.sampled_from(EDGES), st.dates())
# Years the way a person or a script might type them, weeks including 0 and 53-99.
YEARS = st.one_of(
    st.sampled_from([0, 1, 1899, 1900, 2025, 2026, 2999, 3000, 9999]), st.integers(0, 9999)
)
WEEKS = st.integers(0, 99)
FORMATS = st.sampled_from(["json", "csv", "xlsx"])
PROPERTY = settings(
    max_examples=examples(60), deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


def week(y: int, w: int, sep: str = "U") -> str:
    return f"{y:04d}-{sep}{w:02d}"


def assert_answered(client, url: str) -> None:
    """200, or 400 with a Norwegian message under the route family's key: never a 5xx."""
    r = client.get(url)
    assert r.status_code in (200, 400), (url, r.status_code, r.text[:300])
    if r.status_code == 400:
        body = r.json()
        key = "errorMelding" if url.startswith(("/ukeAntall", "/gjennomforinger?")) else "feil"
        assert list(body) == [key] and len(body[key]) > 10, (url, body)


@PROPERTY
@given(
    fra=st.none() | DATES,
    til=st.none() | DATES,
    periode=st.sampled_from(["uke", "maned"]),
    fmt=FORMATS,
)
@example(fra=None, til=date.max, periode="uke", fmt="json")  # the 500 of issue #12
@example(fra=None, til=date.max, periode="maned", fmt="json")
@example(fra=None, til=date.max, periode="uke", fmt="csv")
@example(fra=date.min, til=date.max, periode="maned", fmt="json")  # the widest span
@example(fra=date.max, til=date.min, periode="uke", fmt="json")  # reversed
@example(fra=None, til=date.min, periode="uke", fmt="json")  # 26 weeks back from year 1
def test_pvk_flyt_answers_every_date_range(pipeline_client, fra, til, periode, fmt):
    """PVK-flyt answers every fra/til (any order, any span) per week or month, in every format."""
    q = [f"periode={periode}", f"format={fmt}"]
    q += [f"fra={fra.isoformat()}"] if fra else []
    q += [f"til={til.isoformat()}"] if til else []
    assert_answered(pipeline_client, "/api/v1/etterlevelse/pvk-flyt?" + "&".join(q))


@PROPERTY
@given(dato=DATES, fmt=FORMATS)
@example(dato=date.max, fmt="json")
@example(dato=date.min, fmt="csv")
def test_sist_oppdatert_answers_every_date(pipeline_client, dato, fmt):
    """Days since last update answers any day of the calendar."""
    assert_answered(
        pipeline_client, f"/api/v1/etterlevelse/sist-oppdatert?dato={dato.isoformat()}&format={fmt}"
    )


@PROPERTY
@given(
    fra=st.tuples(YEARS, WEEKS),
    til=st.tuples(YEARS, WEEKS),
    sep=st.sampled_from("UW"),
    route=st.sampled_from(
        [
            "/api/v1/tiltak/uker",
            "/api/v1/gjennomforinger/uker",
            "/api/v1/datakvalitet",
            "/api/v1/etterlevelse/bruk",
        ]
    ),
    fmt=FORMATS,
)
@example(fra=(9999, 52), til=(9999, 52), sep="U", route="/api/v1/tiltak/uker", fmt="json")
@example(fra=(1900, 1), til=(2999, 52), sep="W", route="/api/v1/etterlevelse/bruk", fmt="csv")
@example(fra=(2025, 20), til=(2022, 1), sep="U", route="/api/v1/datakvalitet", fmt="json")
@example(fra=(1900, 1), til=(2025, 26), sep="U", route="/api/v1/gjennomforinger/uker", fmt="json")
def test_week_ranges_answer_on_every_route(pipeline_client, fra, til, sep, route, fmt):
    """Every route with a fra/til week answers any year 0-9999 and week 0-99, in any order."""
    url = f"{route}?fra={week(*fra, sep)}&til={week(*til, sep)}&format={fmt}"
    assert_answered(pipeline_client, url)


@PROPERTY
@given(fra=st.tuples(YEARS, WEEKS), til=st.tuples(YEARS, WEEKS))
@example(fra=(1, 1), til=(9999, 52))
def test_week_numbers_as_integers_answer(pipeline_client, fra, til):
    """`fra_aar`/`fra_uke`/`til_aar`/`til_uke` as integers answer like the week strings."""
    url = f"/api/v1/tiltak/uker?fra_aar={fra[0]}&fra_uke={fra[1]}&til_aar={til[0]}&til_uke={til[1]}"
    assert_answered(pipeline_client, url)


@PROPERTY
@given(
    aar=st.one_of(YEARS, st.integers(-(10**20), 10**20)),
    uke=st.integers(-100, 200),
    route=st.sampled_from(["/ukeAntall", "/gjennomforinger"]),
)
@example(aar=9999, uke=52, route="/ukeAntall")
@example(aar=10**19, uke=1, route="/gjennomforinger")
def test_brum_year_and_week_answer(pipeline_client, aar, uke, route):
    """The Brum routes answer any integer year and week (400 in `errorMelding` when invalid)."""
    assert_answered(pipeline_client, f"{route}?aar={aar}&uke={uke}")
