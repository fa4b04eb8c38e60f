"""The JSON API (`/api/v1/...`) and the Brum-compatible routes (`/ukeAntall`, ...).

Every page of the dashboard renders from these endpoints (its "JSON twin"). Exports (CSV and
Excel) are the same endpoints with `format=csv|xlsx` and show the same figures as the table.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from metrikk.web import eksport, limits, tiltak
from metrikk.web import queries as q
from metrikk.web.brum import brum_shape, oppetid
from metrikk.web.brum import router as brum
from metrikk.web.common import (
    BRUM_ERROR_KEY,
    ERROR_KEY,
    WEEK_RE,
    ApiError,
    _min_antall,
    _resolve_kontor,
    _source,
    error_response,
    monday_of,
    parse_week,
    resolve_period,
    selected_filter,
    weeks_in_year,
)
from metrikk.web.eksport import Dimension, Format, export_response
from metrikk.web.suppression import shown
from metrikk.web.tabell import shares
from metrikk.web.tiltak import (
    NARROW_GJENNOMFORING,
    NARROW_TILTAK,
    build_tiltak_table,
    tiltak_export_table,
)

# Names that moved to common.py, eksport.py, tiltak.py and brum.py, kept importable from here
# for existing callers.
__all__ = [
    "BRUM_ERROR_KEY",
    "ERROR_KEY",
    "MAX_ETTERLEVELSE_ROWS",
    "NARROW_GJENNOMFORING",
    "NARROW_TILTAK",
    "WEEK_RE",
    "ApiError",
    "Dimension",
    "Format",
    "_resolve_kontor",
    "_source",
    "brum",
    "brum_shape",
    "build_tiltak_table",
    "error_response",
    "export_response",
    "monday_of",
    "oppetid",
    "parse_week",
    "resolve_period",
    "router",
    "selected_filter",
    "shares",
    "tiltak_export_table",
    "weeks_in_year",
]

MAX_ETTERLEVELSE_ROWS = 50_000
JSON_ETTERLEVELSE_ROWS = 5000  # what a browser shows of a ds_* table

router = APIRouter(prefix="/api/v1", tags=["api"])


# --- routes: metadata -----------------------------------------------------------------------


@router.get("/meta", summary="Datagrunnlag: syntetiske data, lastetidspunkt og uker")
def meta(request: Request) -> dict[str, Any]:
    with _source(request).read() as con:
        out = dict(q.meta(con))
    out["min_antall"] = _min_antall(request)
    return out


@router.get("/kontorer", summary="Lokalkontorer som finnes i tiltaksdataene")
def kontorer(request: Request) -> dict[str, Any]:
    k = _min_antall(request)
    with _source(request).read() as con:
        rows = q.kontorer(con)
        default = q.default_kontor(con)
    if k:
        rows = [{**r, "antall_personer": shown(r["antall_personer"], k)} for r in rows]
    return {"standard": default, "kontorer": rows}


@router.get(
    "/tiltak/valg",
    summary="Filtervalg (avdeling, innsatsgruppe, tiltak, tiltaksgruppe) for et kontor",
)
def tiltak_valg(request: Request, kontor: str | None = None) -> dict[str, Any]:
    with _source(request).read() as con:
        kontor, navn = _resolve_kontor(con, kontor)
        opts = q.filter_options(con, kontor, _min_antall(request))
        m = q.meta(con)
    return {
        "kontor": {"enhetsnummer": kontor, "navn": navn},
        "valg": opts,
        "uker": m["uker"],
        "grupperinger": [
            {"verdi": k, "navn": v} for k, v in q.DIMENSION_LABELS.items() if k != "tiltaksnavn"
        ],
    }


# --- routes: weekly tiltak counts and gjennomføring (tiltak.py) -------------------------------

router.include_router(tiltak.router)


# --- routes: etterlevelse (generic) ---------------------------------------------------------


@router.get("/etterlevelse", summary="Datasettene i etterlevelse (ds_*) med kolonner")
def etterlevelse(request: Request) -> dict[str, Any]:
    with _source(request).read() as con:
        return {"datasett": q.etterlevelse_datasett(con)}


# The ds_* tables count documents, answers and behandlinger, never people, and are read
# generically. Should one ever count people (NAV employees: users of the apps), a column named
# for them is protected like every other count of people when K is set.
PERSON_COLUMN = re.compile(
    r"bruker|user|person|ansatt|deltaker|veileder|saksbehandler|ident", re.IGNORECASE
)
INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UBIGINT", "UINTEGER"}


@router.get("/etterlevelse/{datasett}", summary="Radene i ett etterlevelse-datasett")
def etterlevelse_ds(
    request: Request,
    datasett: str,
    grense: Annotated[
        int | None,
        Query(
            ge=1,
            le=MAX_ETTERLEVELSE_ROWS,
            description=f"Høyst så mange rader (standard: {JSON_ETTERLEVELSE_ROWS} som JSON, "
            f"alle, opptil {MAX_ETTERLEVELSE_ROWS}, i en eksport)",
        ),
    ] = None,
    sorter: Annotated[
        str | None,
        Query(description="Kolonne radene sorteres etter (standard: første tidskolonne)"),
    ] = None,
    format: Format = "json",
) -> Any:
    with _source(request).read() as con:
        known = {d["navn"]: d for d in q.etterlevelse_datasett(con)}
        if datasett not in known:
            raise ApiError(
                f"Fant ikke datasettet «{datasett}». Kjente datasett: "
                f"{', '.join(known) or 'ingen ennå'}.",
                404,
            )
        columns = known[datasett]["kolonner"]
        if sorter is not None and sorter not in {c["navn"] for c in columns}:
            raise ApiError(
                f"Datasettet {datasett} har ingen kolonne «{sorter}». Kolonner: "
                f"{', '.join(c['navn'] for c in columns)}."
            )
        if sorter is None:
            sorter = next(
                (c["navn"] for c in columns if c["type"].startswith(("DATE", "TIMESTAMP"))), None
            )
        eksport = format != "json"
        data = q.etterlevelse_rows(con, datasett, grense or _default_rows(eksport), sorter)
        syntetisk = q.meta(con)["syntetisk"]
    if eksport and grense is None and data["totalt"] > len(data["rader"]):
        # An export without a limit is the whole dataset or nothing, never a silent cut.
        raise ApiError(
            f"Datasettet {datasett} har {data['totalt']} rader; en eksport har høyst "
            f"{MAX_ETTERLEVELSE_ROWS}. Sett grense= for å laste ned de første radene."
        )
    limits.check_rows(len(data["rader"]), "rader", "Sett en lavere grense.")
    k = _min_antall(request)
    types = {c["navn"]: c["type"] for c in columns}
    people = [
        i
        for i, name in enumerate(data["kolonner"])
        if k and PERSON_COLUMN.search(name) and types.get(name) in INTEGER_TYPES
    ]
    if people:  # counts of NAV employees are people too (docs/decisions.md)
        data["rader"] = [
            tuple(shown(v, k) if i in people and v is not None else v for i, v in enumerate(r))
            for r in data["rader"]
        ]
    if format != "json":
        return export_response(
            format,
            datasett,
            data["kolonner"],
            [[_plain(v) for v in r] for r in data["rader"]],
            sheet=datasett,
            preamble=_ds_preamble(datasett, sorter, len(data["rader"]), data["totalt"], syntetisk),
        )
    return {
        "datasett": datasett,
        "kolonner": known[datasett]["kolonner"],
        "rader": [dict(zip(data["kolonner"], map(_plain, r), strict=True)) for r in data["rader"]],
        "totalt": data["totalt"],
        "vist": len(data["rader"]),
        "sortert_etter": sorter,
    }


def _default_rows(eksport: bool) -> int:
    return MAX_ETTERLEVELSE_ROWS if eksport else JSON_ETTERLEVELSE_ROWS


def _ds_preamble(
    datasett: str, sorter: str | None, vist: int, totalt: int, syntetisk: bool
) -> list[list[str]]:
    """What an etterlevelse export holds: the dataset, its order and whether it is all of it."""
    rader = f"alle {totalt}" if vist == totalt else f"de første {vist} av {totalt}"
    rader += f", sortert etter {sorter}" if sorter else ""
    return eksport.preamble(extra=[("Datasett", datasett), ("Rader", rader)], syntetisk=syntetisk)


def _plain(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (int, float, str, bool)) or v is None:
        return v
    return str(v)
