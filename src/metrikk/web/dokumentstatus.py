"""Etterlevelse leader view: the document status funnel per week, by avdeling, seksjon and team,
suksesskriterier per tema, and the documents of one avdeling (no free text: numbers, statuses,
seksjon names, team ids, dates).

Reads etterlevelse.ds_dokument_status_uke (the funnel), ds_suksesskriterier_uke (per tema) and
stage_dokument_status_uke (the document list). The funnel rows of one `nivaa` are disjoint per
avdeling, so a sum over avdelinger counts every document once; with a seksjon or team filter the
rows of that level are used (a document with two teams is in each team's count).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from metrikk.web import eksport
from metrikk.web import queries as q
from metrikk.web.api import ApiError, Format, export_response, parse_week

STATUS_UKE = "etterlevelse.ds_dokument_status_uke"
SUKSESS_UKE = "etterlevelse.ds_suksesskriterier_uke"
DOKUMENT_UKE = "etterlevelse.stage_dokument_status_uke"
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


def _require(con, *tables: str) -> None:
    for t in tables:
        if not q.has_table(con, *t.split(".")):
            raise q.Unavailable(f"Datasettet {t} er ikke publisert ennå. Kjør «metrikk run».")


def _nivaa(seksjon: str | None, team: str | None) -> str:
    if seksjon and team:
        return "SEKSJON_TEAM"
    return "SEKSJON" if seksjon else "TEAM" if team else "AVDELING"


def valg(con, avdeling: str | None) -> dict[str, list[dict[str, str]]]:
    """The filter choices: avdelinger (one name each, «Uten avdeling» last), and the seksjoner
    and team seen in the chosen avdeling (or all)."""
    avd = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT avdeling FROM {STATUS_UKE} WHERE nivaa = 'AVDELING'"
            " ORDER BY avdeling = 'Uten avdeling', avdeling"
        ).fetchall()
    ]
    where, params = ("AND avdeling = ?", [avdeling]) if avdeling else ("", [])
    seksjoner = con.execute(
        f"SELECT seksjon, any_value(seksjonNavn) FROM {STATUS_UKE} WHERE nivaa = 'SEKSJON' {where}"
        " GROUP BY seksjon ORDER BY seksjon LIKE 'UTEN_%', any_value(seksjonNavn)",
        params,
    ).fetchall()
    team = con.execute(
        f"SELECT DISTINCT team FROM {STATUS_UKE} WHERE nivaa = 'TEAM' {where}"
        " ORDER BY team LIKE 'UTEN_%', team",
        params,
    ).fetchall()
    return {
        "avdelinger": [{"verdi": a, "navn": a} for a in avd],
        "seksjoner": [{"verdi": s, "navn": n or s} for s, n in seksjoner],
        "team": [{"verdi": t, "navn": UTEN.get(t, t)} for (t,) in team],
    }


def _check(value: str | None, choices: list[dict[str, str]], what: str) -> None:
    if value and value not in {c["verdi"] for c in choices}:
        raise ApiError(f"Ukjent {what}: «{value}». Velg en {what} fra listen på siden.")


def _periode(con, fra: str | None, til: str | None) -> tuple[date, date, date, date]:
    first, last = con.execute(f"SELECT min(uke_start), max(uke_start) FROM {STATUS_UKE}").fetchone()
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


def _filter_sql(avdeling, seksjon, team) -> tuple[str, list[Any]]:
    sql, params = "nivaa = ?", [_nivaa(seksjon, team)]
    for col, v in (("avdeling", avdeling), ("seksjon", seksjon), ("team", team)):
        if v:
            sql += f" AND {col} = ?"
            params.append(v)
    return sql, params


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
    _require(con, STATUS_UKE, SUKSESS_UKE)
    v = valg(con, None)
    _check(avdeling, v["avdelinger"], "avdeling")
    v = valg(con, avdeling)
    _check(seksjon, v["seksjoner"], "seksjon")
    _check(team, v["team"], "team")
    fra_d, til_d, first, last = _periode(con, fra, til)
    where, params = _filter_sql(avdeling, seksjon, team)
    rows = con.execute(
        f"SELECT uke_start, status, CAST(sum(antallDokumenter) AS BIGINT) FROM {STATUS_UKE}"
        f" WHERE {where} AND uke_start BETWEEN ? AND ? GROUP BY ALL",
        [*params, fra_d, til_d],
    ).fetchall()
    cell = {(u, s): n for u, s, n in rows}
    uker = []
    for w in q.weeks_between(fra_d, til_d):
        counts = {s: int(cell.get((w, s), 0)) for s in STATUSER}
        uker.append({"uke": q.week_label(w), **counts, "totalt": sum(counts.values())})

    # The avdelinger at the last week of the period (the drill-down's entry).
    where_a, params_a = _filter_sql(None, seksjon, team)
    per_avd = con.execute(
        f"SELECT avdeling, status, CAST(sum(antallDokumenter) AS BIGINT) FROM {STATUS_UKE}"
        f" WHERE {where_a} AND uke_start = ? GROUP BY ALL",
        [*params_a, til_d],
    ).fetchall()
    avd_cell = {(a, s): n for a, s, n in per_avd}
    avdelinger = sorted({a for a, _, _ in per_avd}, key=lambda a: (a == "Uten avdeling", a))
    avd_rader = [[a, *(int(avd_cell.get((a, s), 0)) for s in STATUSER)] for a in avdelinger]
    avd_rader = [[*r, sum(r[1:])] for r in avd_rader]

    # Suksesskriterier per tema at the last week (by avdeling only: the dataset has no seksjon/team).
    sk_where, sk_params = ("AND avdeling = ?", [avdeling]) if avdeling else ("", [])
    tema = q.rows_as_dicts(
        con.execute(
            f"""SELECT tema, any_value(temaNavn) AS temaNavn,
                  CAST(sum(antallSuksesskriterier) AS BIGINT) AS totalt,
                  CAST(sum(antallOppfylt) AS BIGINT) AS oppfylt,
                  CAST(sum(antallUnderArbeid) AS BIGINT) AS underArbeid,
                  CAST(sum(antallIkkeRelevant) AS BIGINT) AS ikkeRelevant,
                  CAST(sum(antallIkkeOppfylt) AS BIGINT) AS ikkeOppfylt,
                  CAST(sum(antallIkkePaabegynt) AS BIGINT) AS ikkePaabegynt
                FROM {SUKSESS_UKE} WHERE uke_start = ? {sk_where}
                GROUP BY tema ORDER BY any_value(temaNavn)""",
            [til_d, *sk_params],
        )
    )
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
    _require(con, STATUS_UKE, DOKUMENT_UKE)
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
    where, params = "d.uke_start = ? AND d.avdeling = ?", [uke_d, avdeling]
    if seksjon == "UTEN_SEKSJON":
        where += " AND len(d.seksjonIder) = 0"
    elif seksjon:
        where += " AND list_contains(d.seksjonIder, ?)"
        params.append(seksjon)
    if team == "UTEN_TEAM":
        where += " AND len(d.teams) = 0"
    elif team:
        where += " AND list_contains(d.teams, ?)"
        params.append(team)
    rows = q.rows_as_dicts(
        con.execute(
            f"""
            WITH valgt AS (SELECT * FROM {DOKUMENT_UKE} AS d WHERE {where}),
            annen AS (
              -- The last week before with another status: the current run starts after it.
              SELECT h.etterlevelseDokumentasjonId, max(h.uke_start) AS uke_start
              FROM {DOKUMENT_UKE} AS h JOIN valgt AS v USING (etterlevelseDokumentasjonId)
              WHERE h.uke_start < v.uke_start AND h.status <> v.status
              GROUP BY ALL
            ),
            forste AS (
              SELECT h.etterlevelseDokumentasjonId, min(h.uke_start) AS uke_start
              FROM {DOKUMENT_UKE} AS h JOIN valgt AS v USING (etterlevelseDokumentasjonId)
              WHERE h.uke_start <= v.uke_start GROUP BY ALL
            )
            SELECT v.etterlevelseNummer, v.status, v.statusKilde, v.seksjonNavn, v.seksjonIder,
                   v.teams, v.antallSvar, v.pvkStatus,
                   COALESCE(a.uke_start + INTERVAL 7 DAY, f.uke_start) AS statusSiden
            FROM valgt AS v
            LEFT JOIN annen AS a USING (etterlevelseDokumentasjonId)
            LEFT JOIN forste AS f USING (etterlevelseDokumentasjonId)
            ORDER BY v.etterlevelseNummer NULLS LAST, v.etterlevelseDokumentasjonId
            """,
            params,
        )
    )
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
                _require(con, STATUS_UKE, SUKSESS_UKE, DOKUMENT_UKE)
            except q.Unavailable as e:
                ctx["feil"] = str(e)
    return templates.TemplateResponse(request, "dokumentstatus.html", ctx)
