"""web.common.week_span: the period of the etterlevelse and Behandlingskatalogen views (ds_bruk_uke,
ds_fullstendighet), checked against the data's weeks with the same Norwegian messages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from metrikk.web.common import ApiError, week_span

FIRST, LAST = date(2024, 1, 1), date(2025, 6, 30)  # Mondays


def test_without_fra_the_default_weeks_end_at_til_and_start_no_earlier_than_the_data():
    assert week_span(None, LAST, FIRST, LAST, 26) == (LAST - timedelta(weeks=25), LAST)
    assert week_span(None, date(2024, 1, 15), FIRST, LAST, 26) == (FIRST, date(2024, 1, 15))
    assert week_span(date(2024, 3, 4), LAST, FIRST, LAST, 26) == (date(2024, 3, 4), LAST)


@pytest.mark.parametrize(
    ("fra", "til", "message"),
    [
        (
            None,
            LAST + timedelta(weeks=1),
            "Til uke 2025-U28 er etter siste uke med data (2025-U27).",
        ),
        (
            LAST + timedelta(weeks=1),
            LAST,
            "Fra uke 2025-U28 er etter siste uke med data (2025-U27).",
        ),
        (date(2025, 3, 3), date(2025, 2, 3), "Fra uke er etter til uke."),
        (LAST - timedelta(weeks=520), LAST, "Perioden er for lang: velg høyst 520 uker."),
    ],
)
def test_a_period_outside_the_data_or_too_long_is_refused_in_norwegian(fra, til, message):
    with pytest.raises(ApiError) as e:
        week_span(fra, til, FIRST, LAST, 26)
    assert e.value.message == message


def test_520_weeks_are_allowed():
    fra = LAST - timedelta(weeks=519)
    assert week_span(fra, LAST, FIRST, LAST, 26) == (fra, LAST)
