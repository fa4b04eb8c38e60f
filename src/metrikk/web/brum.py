"""The Brum-compatible routes (`/ukeAntall`, `/status`), answering as Brum's Ktor backend did.
Re-exported as api.brum."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from metrikk.web import queries as q
from metrikk.web.common import _min_antall, _resolve_kontor, _source, monday_of
from metrikk.web.suppression import protect

router = APIRouter(tags=["brum"])


@router.get(
    "/ukeAntall",
    summary="Brum: antall per tiltak, avdeling og innsatsgruppe for én uke",
    description=(
        "Samme form som Brum-backendens /ukeAntall: `headers` er tiltaksnavnene (sortert), "
        "`data` én rad per avdeling og innsatsgruppe (sortert på avdeling, så innsatsgruppe), "
        "`dataAvdeling` én rad per avdeling med unike personer over innsatsgruppene. Uten "
        "`kontor` brukes Nav Bærum (0219) når det finnes, ellers kontoret med flest personer."
    ),
)
def uke_antall(
    request: Request,
    aar: Annotated[int, Query(ge=1900, le=2999)],
    uke: Annotated[int, Query(ge=1, le=53)],
    kontor: str | None = None,
) -> dict[str, Any]:
    monday_of(aar, uke, "Uke")
    k = _min_antall(request)
    with _source(request).read() as con:
        kontor, _ = _resolve_kontor(con, kontor)
        innsats, avdeling = q.brum_uke_antall(con, aar, uke, kontor)
    return brum_shape(aar, uke, innsats, avdeling, k)


def brum_shape(aar: int, uke: int, innsats, avdeling, k: int | None) -> dict[str, Any]:
    """Brum's TransformedData: ordinal sort of tiltaksnavn, avdeling and innsatsgruppe.

    With K every value is protected (suppression.py) and stays numeric as Ktor's: a hidden
    count is `null` (a gap in Brum's Highcharts), and `skjulteVerdier` lists the hidden cells
    as [row, column] of `data` and `dataAvdeling`, beside `minAntall`.
    """
    headers = sorted({r[0] for r in innsats} | {r[0] for r in avdeling})
    cells: dict[tuple, int] = {}
    for t, ig, av, n in innsats:
        cells[(av, ig, t)] = cells.get((av, ig, t), 0) + int(n)
    avd: dict[tuple, int] = {}
    for t, av, n in avdeling:
        avd[(av, t)] = avd.get((av, t), 0) + int(n)
    pairs = sorted({(av, ig) for av, ig, _ in cells})
    avdelinger = sorted({av for av, _ in avd} | {av for av, _ in pairs})
    data = [
        {
            "avdeling": av,
            "innsatsgruppe": ig,
            "verdier": [protect(cells.get((av, ig, t), 0), k) for t in headers],
        }
        for av, ig in pairs
    ]
    data_avdeling = [
        {"avdeling": av, "verdier": [protect(avd.get((av, t), 0), k) for t in headers]}
        for av in avdelinger
    ]
    out: dict[str, Any] = {
        "aar": aar,
        "uke": uke,
        "headers": headers,
        "data": data,
        "dataAvdeling": data_avdeling,
    }
    if k:
        out["minAntall"] = k
        out["skjulteVerdier"] = {
            name: [
                [i, j]
                for i, row in enumerate(rows)
                for j, v in enumerate(row["verdier"])
                if v is None
            ]
            for name, rows in (("data", data), ("dataAvdeling", data_avdeling))
        }
    return out


@router.get("/status", summary="Brum: status og oppetid (TT:MM:SS)")
def status(request: Request) -> dict[str, str]:
    return {"status": "ok", "oppetid": oppetid(time.monotonic() - request.app.state.started)}


def oppetid(seconds: float) -> str:
    """Uptime as Brum's Ktor backend writes it (`tilOppetid`: "%02d:%02d:%02d", hours unbounded)."""
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"
