"""Periods people use: ISO weeks, months and years, each made of whole ISO weeks.

A week belongs to the month of its Thursday (as it belongs to the ISO year of its Thursday), so
every week is in exactly one month and one year, and a month has four or five weeks. Headcount is
semi-additive: the persons of a month are never the sum of its weeks. The API offers both
«unike personer i perioden» (distinct persons over all the period's weeks) and «gjennomsnitt per
uke» (the mean of the weekly distinct counts).

Period keys (what the API returns as `verdi`): the Monday (`date`) of a week, `"2025-04"` for a
month, `"2025"` for a year. The SQL expression of each key is in `SQL`; `key` computes the same in
Python (tests/web check that they agree).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

TYPES = ("uke", "maned", "aar")
NAVN = {"uke": "Uke", "maned": "Måned", "aar": "År"}
MANEDER = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)
DEFAULT_COUNT = {"uke": 12, "maned": 12, "aar": 4}

# The period key of a week as SQL over a Monday column (DuckDB; the web app reads DuckDB).
SQL = {
    "uke": "{col}",
    "maned": "strftime({col} + INTERVAL 3 DAY, '%Y-%m')",
    "aar": "CAST(year({col} + INTERVAL 3 DAY) AS VARCHAR)",
}

WEEK_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[WwUu]\s*(\d{1,2})\s*$")
MONTH_RE = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,2})\s*$")
YEAR_RE = re.compile(r"^\s*(\d{4})\s*$")


class PeriodError(ValueError):
    """A period a person typed that does not exist; the message is bokmål."""


def key(kind: str, monday: date) -> Any:
    """The period (of `kind`) that the week starting `monday` belongs to."""
    if kind == "uke":
        return monday
    thursday = monday + timedelta(days=3)
    if kind == "maned":
        return f"{thursday.year:04d}-{thursday.month:02d}"
    return f"{thursday.year:04d}"


def label(kind: str, value: Any) -> str:
    """How a period is shown: 2025-U14, april 2025, 2025."""
    if kind == "uke":
        y, w, _ = value.isocalendar()
        return f"{y}-U{w:02d}"
    if kind == "maned":
        y, m = value.split("-")
        return f"{MANEDER[int(m) - 1]} {y}"
    return str(value)


def code(kind: str, value: Any) -> str:
    """The period as typed in the URL and the Fra/Til fields: 2025-U14, 2025-04, 2025."""
    return label("uke", value) if kind == "uke" else str(value)


def weeks_in_year(aar: int) -> int:
    return date(aar, 12, 28).isocalendar()[1]


def _check_year(aar: int, what: str) -> None:
    if not 1900 <= aar <= 2999:
        raise PeriodError(f"{what}: året {aar} er utenfor det vi støtter (1900–2999).")


def first_monday(kind: str, value: Any) -> date:
    """The Monday of the first week of the period."""
    if kind == "uke":
        return value
    if kind == "maned":
        y, m = (int(p) for p in value.split("-"))
        first = date(y, m, 1)
        thursday = first + timedelta(days=(3 - first.weekday()) % 7)
        return thursday - timedelta(days=3)
    return date.fromisocalendar(int(value), 1, 1)


def last_monday(kind: str, value: Any) -> date:
    """The Monday of the last week of the period."""
    if kind == "uke":
        return value
    if kind == "maned":
        y, m = (int(p) for p in value.split("-"))
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        last = nxt - timedelta(days=1)
        thursday = last - timedelta(days=(last.weekday() - 3) % 7)
        return thursday - timedelta(days=3)
    y = int(value)
    return date.fromisocalendar(y, weeks_in_year(y), 1)


def parse(kind: str, text: str, what: str) -> Any:
    """The period key of what a person typed (2025-U14 / 2025-04 / 2025), or PeriodError."""
    if kind == "uke":
        m = WEEK_RE.match(text)
        if not m:
            raise PeriodError(
                f"{what}: «{text}» er ikke en uke. Skriv år og uke som 2025-U42 (eller 2025-W42)."
            )
        aar, uke = int(m.group(1)), int(m.group(2))
        _check_year(aar, what)
        n = weeks_in_year(aar)
        if not 1 <= uke <= n:
            if uke == 53:
                raise PeriodError(f"{what}: uke 53 finnes ikke i {aar} – året har bare {n} uker.")
            raise PeriodError(f"{what}: uke {uke} finnes ikke; {aar} har uke 1–{n}.")
        return date.fromisocalendar(aar, uke, 1)
    if kind == "maned":
        m = MONTH_RE.match(text)
        if not m:
            raise PeriodError(f"{what}: «{text}» er ikke en måned. Skriv år og måned som 2025-04.")
        aar, mnd = int(m.group(1)), int(m.group(2))
        _check_year(aar, what)
        if not 1 <= mnd <= 12:
            raise PeriodError(f"{what}: måned {mnd} finnes ikke; bruk 1–12, f.eks. {aar}-04.")
        return f"{aar:04d}-{mnd:02d}"
    m = YEAR_RE.match(text)
    if not m:
        raise PeriodError(
            f"{what}: «{text}» er ikke et år. Skriv året med fire sifre, f.eks. 2025."
        )
    _check_year(int(m.group(1)), what)
    return m.group(1)


@dataclass(frozen=True)
class Periode:
    """A run of whole periods of one kind, cut to the published weeks [first, last]."""

    kind: str
    fra: date  # the first Monday counted
    til: date  # the last Monday counted
    keys: tuple[Any, ...]  # the periods, in time order

    def weeks(self) -> list[date]:
        out, d = [], self.fra
        while d <= self.til:
            out.append(d)
            d += timedelta(days=7)
        return out

    def weeks_of(self) -> dict[Any, list[date]]:
        """The counted weeks of each period (a period cut by the data has fewer)."""
        out: dict[Any, list[date]] = {k: [] for k in self.keys}
        for w in self.weeks():
            out[key(self.kind, w)].append(w)
        return out

    def full_weeks(self, value: Any) -> int:
        """How many weeks the period has in the calendar."""
        return (last_monday(self.kind, value) - first_monday(self.kind, value)).days // 7 + 1


def resolve(
    kind: str, fra: str | None, til: str | None, first: date, last: date, count: int | None = None
) -> Periode:
    """The periods fra..til (default: the last `count` periods up to the last published week),
    checked against the published weeks [first, last] (Mondays)."""
    last_key = key(kind, last)
    til_key = parse(kind, til, "Til") if til else last_key
    if first_monday(kind, til_key) > last:
        raise PeriodError(
            f"Til {code(kind, til_key)} er etter siste {NAVN[kind].lower()} med data "
            f"({code(kind, last_key)})."
        )
    if last_monday(kind, til_key) < first:
        raise PeriodError(
            f"Til {code(kind, til_key)} er før første {NAVN[kind].lower()} med data "
            f"({code(kind, key(kind, first))})."
        )
    if fra:
        fra_key = parse(kind, fra, "Fra")
    else:
        monday = first_monday(kind, til_key)
        for _ in range((count or DEFAULT_COUNT[kind]) - 1):
            previous = key(kind, monday - timedelta(days=7))
            if last_monday(kind, previous) < first:
                break
            monday = first_monday(kind, previous)
        fra_key = key(kind, monday)
    if first_monday(kind, fra_key) > last:
        raise PeriodError(
            f"Fra {code(kind, fra_key)} er etter siste {NAVN[kind].lower()} med data "
            f"({code(kind, last_key)})."
        )
    if first_monday(kind, fra_key) > first_monday(kind, til_key):
        raise PeriodError(
            f"Fra ({code(kind, fra_key)}) må være før eller lik til ({code(kind, til_key)})."
        )
    fra_d = max(first_monday(kind, fra_key), first)
    til_d = min(last_monday(kind, til_key), last)
    keys: list[Any] = []
    d = fra_d
    while d <= til_d:
        k = key(kind, d)
        if not keys or keys[-1] != k:
            keys.append(k)
        d += timedelta(days=7)
    return Periode(kind, fra_d, til_d, tuple(keys))
