"""Behandlinger views: the JSON API under /api/v1/behandlinger (with CSV/Excel export); their SQL
is in queries/etterlevelse.py, beside the etterlevelse views' (etterlevelse.py).

Each view answers `{..., "tabell": {"kolonner": [...], "rader": [[...]], "sum": [...] | null}}`
(eksport.view_table), as the etterlevelse views do. The counts are behandlinger, never persons,
so small-count suppression does not apply; processor names are organisations.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request

from metrikk.web import queries as q
from metrikk.web.eksport import Format, view_response, view_table
from metrikk.web.queries.etterlevelse import BEHANDLINGER, DATABEHANDLERE, GRUNNLAG
from metrikk.web.queries.etterlevelse import require_columns as require

router = APIRouter(prefix="/api/v1/behandlinger", tags=["behandlinger"])


# --- behandlinger by legal basis ---------------------------------------------------------------

GrunnlagGruppering = Literal["gdpr", "artikkel", "lov"]
GRUNNLAG_KOLONNER = {
    "gdpr": ("gdpr", "shortNameGDPR", "Uten GDPR-artikkel", "GDPR-artikkel"),
    "artikkel": ("gdprArtikkel", "gdprArtikkel", "Annen artikkel", "Artikkel"),
    "lov": ("nationalLaw", "shortNameNationalLaw", "Uten nasjonal lov", "Nasjonal lov"),
}


def grunnlag(con, gruppering: str) -> dict[str, Any]:
    """Current behandlinger per legal basis (a behandling with two bases counts under both)."""
    require(con, BEHANDLINGER, GRUNNLAG)
    code, name, missing, header = GRUNNLAG_KOLONNER[gruppering]
    rows = q.grunnlag_rader(con, code, name)
    totalt = q.count_behandlinger(con)
    med = q.med_grunnlag(con)
    verdier = [
        {
            "verdi": k or None,
            "navn": (n or missing) if k else missing,
            "antall": int(a),
            "andel": round(100 * a / totalt, 1) if totalt else None,
        }
        for k, n, a in rows
    ]
    uten = totalt - int(med)
    return {
        "gruppering": gruppering,
        "behandlinger": totalt,
        "uten_grunnlag": uten,
        "verdier": verdier,
        "tabell": view_table(
            [header, "Behandlinger", "Andel av behandlingene (%)"],
            [[v["navn"], v["antall"], v["andel"]] for v in verdier]
            + [
                [
                    "Uten behandlingsgrunnlag",
                    uten,
                    round(100 * uten / totalt, 1) if totalt else None,
                ]
            ],
            ["Behandlinger i alt", totalt, 100.0 if totalt else None],
        ),
    }


@router.get(
    "/grunnlag",
    summary="Behandlinger etter behandlingsgrunnlag (GDPR-artikkel, artikkel eller nasjonal lov)",
    description="Gjeldende behandlinger (aktivObservasjon, ikke slettet) per grunnlag. En "
    "behandling med flere grunnlag telles under hvert av dem, så andelene summerer ikke til 100.",
)
def grunnlag_route(
    request: Request, gruppering: GrunnlagGruppering = "gdpr", format: Format = "json"
) -> Any:
    with request.app.state.source.read() as con:
        out = grunnlag(con, gruppering)
    return view_response(out, format, f"behandlingsgrunnlag_{gruppering}", "Behandlingsgrunnlag")


# --- processors outside the EU -----------------------------------------------------------------

DatabehandlerGruppering = Literal["databehandler", "land", "overforingsgrunnlag"]


def databehandlere(con, gruppering: str) -> dict[str, Any]:
    """Processors outside the EU/EEA used by current behandlinger."""
    require(con, BEHANDLINGER, DATABEHANDLERE)
    totalt = q.count_behandlinger(con)
    svar = q.utenfor_eu_svar(con)
    rows = q.databehandlere_rader(con, gruppering)
    (med, prosessorer) = q.databehandlere_totalt(con)
    header = {
        "databehandler": "Databehandler",
        "land": "Land",
        "overforingsgrunnlag": "Overføringsgrunnlag",
    }[gruppering]
    verdier = [{"navn": v, "behandlinger": int(b), "databehandlere": int(d)} for v, b, d in rows]
    return {
        "gruppering": gruppering,
        "behandlinger": totalt,
        "utenfor_eu": {
            "ja": int(svar.get("ja", 0)),
            "nei": int(svar.get("nei", 0)),
            "ukjent": int(svar.get("ukjent", 0)),
        },
        "med_databehandler_utenfor_eu": int(med),
        "databehandlere_utenfor_eu": int(prosessorer),
        "verdier": verdier,
        "tabell": view_table(
            [header, "Behandlinger", "Databehandlere"],
            [[v["navn"], v["behandlinger"], v["databehandlere"]] for v in verdier],
            ["Totalt (unike)", int(med), int(prosessorer)],
        ),
    }


@router.get(
    "/databehandlere",
    summary="Databehandlere utenfor EU/EØS brukt av gjeldende behandlinger",
    description="Fra stage_dataprocessors (gjeldende versjon av behandlinger som ikke er "
    "slettet), gruppert på databehandler, land eller overføringsgrunnlag; `utenfor_eu` teller "
    "behandlingenes eget svar (dataProcessorOutsideEU), som også dekker eldre versjoner.",
)
def databehandlere_route(
    request: Request, gruppering: DatabehandlerGruppering = "databehandler", format: Format = "json"
) -> Any:
    with request.app.state.source.read() as con:
        out = databehandlere(con, gruppering)
    return view_response(out, format, f"databehandlere_utenfor_eu_{gruppering}", "Databehandlere")
