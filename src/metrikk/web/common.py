"""What every route of the web app shares: the Norwegian error, the request's source and K,
weeks and periods as the user writes them, the kontor, filters under K
and the error bodies (shares that add up to 100 are web/tabell.py's `shares`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from metrikk.web import queries as q
from metrikk.web.suppression import RefusedSelection, selection


class ApiError(Exception):
    """A request the API refuses; `message` is shown to a person (bokmål)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def _source(request: Request) -> q.Source:
    return request.app.state.source


def _min_antall(request: Request) -> int | None:
    return request.app.state.min_antall


# --- weeks ----------------------------------------------------------------------------------

WEEK_RE = re.compile(r"^\s*(\d{4})\s*-?\s*[WwUu]\s*(\d{1,2})\s*$")


def weeks_in_year(aar: int) -> int:
    return date(aar, 12, 28).isocalendar()[1]


def monday_of(aar: int, uke: int, what: str) -> date:
    if not 1900 <= aar <= 2999:
        raise ApiError(f"{what}: året {aar} er utenfor det vi støtter (1900–2999).")
    n = weeks_in_year(aar)
    if not 1 <= uke <= n:
        if uke == 53:
            raise ApiError(f"{what}: uke 53 finnes ikke i {aar} – året har bare {n} uker.")
        raise ApiError(f"{what}: uke {uke} finnes ikke; {aar} har uke 1–{n}.")
    return date.fromisocalendar(aar, uke, 1)


def parse_week(text: str, what: str) -> date:
    m = WEEK_RE.match(text)
    if not m:
        raise ApiError(
            f"{what}: «{text}» er ikke en uke. Skriv år og uke som 2025-U42 (eller 2025-W42)."
        )
    return monday_of(int(m.group(1)), int(m.group(2)), what)


def week_span(
    fra_d: date | None, til_d: date, first: date, last: date, default_weeks: int
) -> tuple[date, date]:
    """The (fra, til) Mondays of a period over a data set's weeks [first, last] (the etterlevelse
    and Behandlingskatalogen views; tiltak's is resolve_period): neither after the last week;
    without fra, the `default_weeks` weeks up to til (not before the first); fra not after til;
    at most 520 weeks."""
    for d, what in ((fra_d, "Fra"), (til_d, "Til")):
        if d is not None and d > last:
            raise ApiError(
                f"{what} uke {q.week_label(d)} er etter siste uke med data ({q.week_label(last)})."
            )
    if fra_d is None:
        fra_d = max(first, til_d - timedelta(weeks=default_weeks - 1))
    if fra_d > til_d:
        raise ApiError("Fra uke er etter til uke.")
    if (til_d - fra_d).days // 7 + 1 > 520:
        raise ApiError("Perioden er for lang: velg høyst 520 uker.")
    return fra_d, til_d


def resolve_period(
    con,
    fra: str | None,
    til: str | None,
    fra_aar: int | None,
    fra_uke: int | None,
    til_aar: int | None,
    til_uke: int | None,
    default_weeks: int = 12,
) -> tuple[date, date]:
    """The requested (fra, til) Mondays, checked against the published weeks."""
    rng = q.week_range(con)
    if rng is None:
        raise ApiError("Det finnes ingen publiserte tiltaksdata ennå. Kjør «metrikk run».", 503)
    first, last = rng

    def one(text, aar, uke, what) -> date | None:
        if text:
            return parse_week(text, what)
        if aar is not None or uke is not None:
            if aar is None or uke is None:
                raise ApiError(f"{what}: oppgi både år og uke (eller en uke som 2025-U42).")
            return monday_of(aar, uke, what)
        return None

    til_d = one(til, til_aar, til_uke, "Til uke") or last
    fra_d = one(fra, fra_aar, fra_uke, "Fra uke") or max(
        first, til_d - timedelta(weeks=default_weeks - 1)
    )
    if til_d > last:
        raise ApiError(
            f"Til uke {q.week_label(til_d)} er etter siste uke med data ({q.week_label(last)})."
        )
    if fra_d > last:
        raise ApiError(
            f"Fra uke {q.week_label(fra_d)} er etter siste uke med data ({q.week_label(last)})."
        )
    if til_d < first:
        raise ApiError(
            f"Til uke {q.week_label(til_d)} er før første uke med data ({q.week_label(first)})."
        )
    if fra_d > til_d:
        raise ApiError(
            f"Fra uke ({q.week_label(fra_d)}) må være før eller lik til uke "
            f"({q.week_label(til_d)})."
        )
    return max(fra_d, first), til_d


def _resolve_kontor(con, kontor: str | None) -> tuple[str, str]:
    if not kontor:
        kontor = q.default_kontor(con)
        if kontor is None:
            raise ApiError("Det finnes ingen kontor med tiltaksdata ennå.", 503)
    navn = q.kontor_navn(con, kontor)
    if navn is None:
        raise ApiError(
            f"Kontoret «{kontor}» finnes ikke blant lokalkontorene i dataene. "
            "Se /api/v1/kontorer for gyldige enhetsnumre.",
            404,
        )
    return kontor, navn


def selected_filter(name: str, values: Sequence[str], every: set[str], k: int | None) -> tuple:
    """A filter as counted, for every route under K: one value or all of `every`
    (`suppression.selection`, the one rule), any other set a Norwegian 400."""
    try:
        return selection(name, values, every, k)
    except RefusedSelection as e:
        raise ApiError(str(e)) from None


# Error bodies: {"feil": …} under /api/v1 and on the pages; the Brum routes answer as Brum's Ktor
# backend did (`FeilRespons`: {"errorMelding": …}), with the same Norwegian text.
ERROR_KEY = "feil"
BRUM_ERROR_KEY = "errorMelding"


def error_response(
    message: str,
    status: int,
    details: Any = None,
    *,
    key: str = ERROR_KEY,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {key: message}
    if details is not None:
        body["detaljer"] = details
    return JSONResponse(body, status_code=status, headers=headers)
