"""Etterlevelse leader view: the document status funnel per week, by avdeling, seksjon and team,
suksesskriterier per tema, and the documents of one avdeling (no free text: numbers, statuses,
seksjon names, team ids, dates).

Reads etterlevelse.ds_dokument_status_uke (the funnel), ds_suksesskriterier_uke (per tema) and
stage_dokument_status_uke (the document list). The funnel rows of one `nivaa` are disjoint per
avdeling, so a sum over avdelinger counts every document once; with a seksjon or team filter the
rows of that level are used (a document with two teams is in each team's count). The SQL is in
web/queries/dokumentstatus.py.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from metrikk.web import eksport
from metrikk.web import queries as q
from metrikk.web.api import ApiError, Format, export_response, parse_week

STATUS_UKE, SUKSESS_UKE, DOKUMENT_UKE = q.STATUS_UKE, q.SUKSESS_UKE, q.DOKUMENT_UKE
SIDE = "/etterlevelse/dokumentstatus"
API = "/api/v1/etterlevelse/dokumentstatus"

STATUSER = {
    "IKKE_PAABEGYNT": "Ikke påbegynt",
    "UNDER_ARBEID": "Under arbeid",
    "SENDT_TIL_GODKJENNING": "Sendt til godkjenning",
    "GODKJENT_AV_RISIKOEIER": "Godkjent av risikoeier",
}
STATUS_KILDE = {
    "STATUSFELT": "Dokumentets statusfelt",
    "PVK": "PVK-godkjenning",
    "SVAR": "Svar på krav",
}
UTEN = {"UTEN_SEKSJON": "Uten seksjon", "UTEN_TEAM": "Uten team"}
MAKS_UKER = 520

router = APIRouter(prefix=API, tags=["etterlevelse"])
side = APIRouter()


def valg(con, avdeling: str | None) -> dict[str, list[dict[str, str]]]:
    """The filter choices: avdelinger (one name each, «Uten avdeling» last), and the seksjoner
    and team seen in the chosen avdeling (or all)."""
    avd = q.dokumentstatus_avdelinger(con)
    seksjoner = q.dokumentstatus_seksjoner(con, avdeling)
    team = q.dokumentstatus_team(con, avdeling)
    return {
        "avdelinger": [{"verdi": a, "navn": a} for a in avd],
        "seksjoner": [{"verdi": s, "navn": n or s} for s, n in seksjoner],
        "team": [{"verdi": t, "navn": UTEN.get(t, t)} for t in team],
    }


def _check(value: str | None, choices: list[dict[str, str]], what: str) -> None:
    if value and value not in {c["verdi"] for c in choices}:
        raise ApiError(f"Ukjent {what}: «{value}». Velg en {what} fra listen på siden.")


def _periode(con, fra: str | None, til: str | None) -> tuple[date, date, date, date]:
    first, last = q.dokumentstatus_uker(con)
    if last is None:
        raise q.Unavailable("Datasettet ds_dokument_status_uke er tomt. Kjør «metrikk run».")
    til_d = parse_week(til, "Til uke") if til else last
    fra_d = parse_week(fra, "Fra uke") if fra else max(first, til_d - timedelta(weeks=51))
    for d, what in ((fra_d, "Fra"), (til_d, "Til")):
        if d > last:
            raise ApiError(
                f"{what} uke {q.week_label(d)} er etter siste uke med data ({q.week_label(last)})."
            )
    if fra_d > til_d:
        raise ApiError("Fra uke er etter til uke.")
    if (til_d - fra_d).days // 7 + 1 > MAKS_UKER:
        raise ApiError(f"Perioden er for lang: velg høyst {MAKS_UKER} uker.")
    return fra_d, til_d, first, last


def _filtre(avdeling, seksjon, team, v: dict[str, list[dict[str, str]]]) -> dict[str, list[str]]:
    """The filters as a person reads them (names, not codes), for the export preamble."""
    seksjon_navn = {c["verdi"]: c["navn"] for c in v["seksjoner"]}
    return {
        "Avdeling": [avdeling] if avdeling else [],
        "Seksjon": [seksjon_navn.get(seksjon, seksjon)] if seksjon else [],
        "Team": [UTEN.get(team, team)] if team else [],
    }


def dokumentstatus(
    con,
    fra: str | None,
    til: str | None,
    avdeling: str | None,
    seksjon: str | None,
    team: str | None,
) -> dict[str, Any]:
    """The funnel per week (zero-filled), the avdelinger at the last week, suksesskriterier per tema."""
    q.require_dokumentstatus(con, STATUS_UKE, SUKSESS_UKE)
    v = valg(con, None)
    _check(avdeling, v["avdelinger"], "avdeling")
    v = valg(con, avdeling)
    _check(seksjon, v["seksjoner"], "seksjon")
    _check(team, v["team"], "team")
    fra_d, til_d, first, last = _periode(con, fra, til)
    cell = q.dokumentstatus_per_uke(con, avdeling, seksjon, team, fra_d, til_d)
    uker = []
    for w in q.weeks_between(fra_d, til_d):
        counts = {s: int(cell.get((w, s), 0)) for s in STATUSER}
        uker.append({"uke": q.week_label(w), **counts, "totalt": sum(counts.values())})

    # The avdelinger at the last week of the period (the drill-down's entry).
    per_avd = q.dokumentstatus_per_avdeling(con, seksjon, team, til_d)
    avd_cell = {(a, s): n for a, s, n in per_avd}
    avdelinger = sorted({a for a, _, _ in per_avd}, key=lambda a: (a == "Uten avdeling", a))
    avd_rader = [[a, *(int(avd_cell.get((a, s), 0)) for s in STATUSER)] for a in avdelinger]
    avd_rader = [[*r, sum(r[1:])] for r in avd_rader]

    # Suksesskriterier per tema at the last week (by avdeling only: the dataset has no seksjon/team).
    tema = q.suksesskriterier_per_tema(con, til_d, avdeling)
    for t in tema:
        relevante = t["totalt"] - t["ikkeRelevant"]
        t["andelOppfylt"] = round(t["oppfylt"] / relevante, 4) if relevante > 0 else None

    navn = list(STATUSER.values())
    return {
        "periode": {"fra": q.week_label(fra_d), "til": q.week_label(til_d)},
        "forste_uke": q.week_label(first),
        "siste_uke": q.week_label(last),
        "filtre": {"avdeling": avdeling, "seksjon": seksjon, "team": team},
        "filtre_tekst": eksport.filter_text(_filtre(avdeling, seksjon, team, v)),
        "valg": v,
        "statuser": [{"kode": k, "navn": n} for k, n in STATUSER.items()],
        "uker": uker,
        "tabell": {
            "kolonner": ["Uke", *navn, "Totalt"],
            "rader": [[u["uke"], *(u[s] for s in STATUSER), u["totalt"]] for u in uker],
            "sum": None,
        },
        "avdelinger": {
            "uke": q.week_label(til_d),
            "kolonner": ["Avdeling", *navn, "Totalt"],
            "rader": avd_rader,
        },
        "suksesskriterier": {"uke": q.week_label(til_d), "tema": tema},
    }


def dokumenter(
    con, uke: str | None, avdeling: str, seksjon: str | None, team: str | None
) -> dict[str, Any]:
    """The documents of one avdeling at a week's end: number, status, what it rests on, seksjoner,
    team, answers, PVK status and the week the status began. No titles (free text)."""
    q.require_dokumentstatus(con, STATUS_UKE, DOKUMENT_UKE)
    if not avdeling:
        raise ApiError("Velg en avdeling for å se dokumentene.")
    v = valg(con, None)
    _check(avdeling, v["avdelinger"], "avdeling")
    v = valg(con, avdeling)
    _check(seksjon, v["seksjoner"], "seksjon")
    _check(team, v["team"], "team")
    _, _, _, last = _periode(con, None, None)
    uke_d = parse_week(uke, "Uke") if uke else last
    if uke_d > last:
        raise ApiError(
            f"Uke {q.week_label(uke_d)} er etter siste uke med data ({q.week_label(last)})."
        )
    rows = q.dokumenter_rader(con, uke_d, avdeling, seksjon, team)
    kolonner = [
        "Dokument",
        "Status",
        "Status bygger på",
        "Status siden uke",
        "Seksjoner",
        "Team",
        "Krav med svar",
        "PVK-status",
    ]
    rader = []
    for r in rows:
        seksjoner = [n or i for n, i in zip(r["seksjonNavn"], r["seksjonIder"], strict=False)]
        siden = r["statusSiden"]
        siden = siden.date() if hasattr(siden, "date") else siden
        rader.append(
            [
                f"E{r['etterlevelseNummer']}" if r["etterlevelseNummer"] is not None else "–",
                STATUSER.get(r["status"], r["status"]),
                STATUS_KILDE.get(r["statusKilde"], r["statusKilde"]),
                q.week_label(siden),
                ", ".join(seksjoner) or "Uten seksjon",
                ", ".join(r["teams"]) or "Uten team",
                int(r["antallSvar"]),
                r["pvkStatus"] or "–",
            ]
        )
    return {
        "uke": q.week_label(uke_d),
        "filtre": {"avdeling": avdeling, "seksjon": seksjon, "team": team},
        "filtre_tekst": eksport.filter_text(_filtre(avdeling, seksjon, team, v)),
        "antall": len(rader),
        "tabell": {"kolonner": kolonner, "rader": rader, "sum": None},
    }


def _export(
    request: Request,
    con,
    out: dict[str, Any],
    fmt: str,
    filename: str,
    sheet: str,
    periode: str,
    extra,
):
    meta = q.meta(con)
    pre = eksport.preamble(
        periode=periode,
        filters=_filtre(
            out["filtre"]["avdeling"],
            out["filtre"]["seksjon"],
            out["filtre"]["team"],
            valg(con, out["filtre"]["avdeling"]),
        ),
        syntetisk=bool(meta.get("syntetisk")),
        extra=extra,
    )
    t = out["tabell"]
    return export_response(fmt, filename, t["kolonner"], t["rader"], sheet=sheet, preamble=pre)


@router.get(
    "",
    summary="Dokumentstatus per uke: ikke påbegynt, under arbeid, sendt til godkjenning, godkjent",
    description="Fra etterlevelse.ds_dokument_status_uke (nullfylt per uke) og "
    "ds_suksesskriterier_uke. Standard periode: de siste 52 ukene med data. Filtre: avdeling, "
    "seksjon (NOM-id, UTEN_SEKSJON) og team (Teamkatalog-id, UTEN_TEAM).",
)
def dokumentstatus_route(
    request: Request,
    fra: str | None = None,
    til: str | None = None,
    avdeling: str | None = None,
    seksjon: str | None = None,
    team: str | None = None,
    format: Format = "json",
) -> Any:
    with request.app.state.source.read() as con:
        out = dokumentstatus(con, fra, til, avdeling or None, seksjon or None, team or None)
        if format == "json":
            return out
        p = out["periode"]
        return _export(
            request,
            con,
            out,
            format,
            f"dokumentstatus_{p['fra']}_{p['til']}",
            "Dokumentstatus",
            f"{p['fra']} – {p['til']}",
            [
                ("Mål", "Antall etterlevelsesdokumenter per status ved ukens slutt"),
                ("Kilde", STATUS_UKE),
            ],
        )


@router.get(
    "/dokumenter",
    summary="Dokumentene i en avdeling ved en ukes slutt, med status (uten fritekst)",
    description="Fra etterlevelse.stage_dokument_status_uke: nummer, status, hva statusen bygger "
    "på, seksjoner, team, antall krav med svar og PVK-status. Ingen titler eller andre fritekster.",
)
def dokumenter_route(
    request: Request,
    avdeling: str = "",
    uke: str | None = None,
    seksjon: str | None = None,
    team: str | None = None,
    format: Format = "json",
) -> Any:
    with request.app.state.source.read() as con:
        out = dokumenter(con, uke, avdeling, seksjon or None, team or None)
        if format == "json":
            return out
        return _export(
            request,
            con,
            out,
            format,
            f"dokumenter_{out['uke']}",
            "Dokumenter",
            f"Uke {out['uke']}",
            [("Mål", "Etterlevelsesdokumenter og status ved ukens slutt"), ("Kilde", DOKUMENT_UKE)],
        )


@side.get(SIDE, response_class=HTMLResponse)
def side_route(request: Request) -> HTMLResponse:
    from metrikk.web.pages import ETTERLEVELSE, _context, templates

    ctx = _context(request, ETTERLEVELSE[0], tilbake=ETTERLEVELSE, api=API)
    if ctx["feil"] is None:
        with request.app.state.source.read() as con:
            try:
                q.require_dokumentstatus(con, STATUS_UKE, SUKSESS_UKE, DOKUMENT_UKE)
            except q.Unavailable as e:
                ctx["feil"] = str(e)
    return templates.TemplateResponse(request, "dokumentstatus.html", ctx)
