"""Gjennomføringer by name: the occupancy list of one week (`/api/v1/gjennomforinger/liste`) and
Brum's `/gjennomforinger` in the shape of Brum's Ktor backend.

Names come from the published `tiltak_silver.gjennomforing_navn` (navn from Valp; without it
tiltaksnummer + tiltakstype; without both tiltakstype + the start of the id). Arrangør is not in
the contract's sources (Valp's view carries only `arrangor_id`), so it is not shown.

Occupancy (`/liste`): the gjennomføringer the kontor's people were on in the week, each with
deltar, venter, plasser and belegg (protected under `--min-antall`, belegg from the shown
deltar). Rows with plasser come first, sorted by belegg (fullest first), and make the total fill
rate; enkeltplasser and gjennomføringer without plasser are listed apart and stay out of it.
Flags: `overfull` (belegg above 100 %) and `lang_venteliste` (docs/decisions.md).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from metrikk.web import eksport, indeks, perioder
from metrikk.web import queries as q
from metrikk.web.common import ApiError, _resolve_kontor, _source, monday_of, selected_filter
from metrikk.web.eksport import Format, export_response
from metrikk.web.queries.gjennomforinger import LOKAL, NAVN
from metrikk.web.suppression import ratio, shown

__all__ = ["LOKAL", "NAVN"]  # moved to queries/gjennomforinger.py, importable here as before

router = APIRouter(prefix="/api/v1", tags=["api"])
brum = APIRouter(tags=["brum"])

# A waiting list is long when at least VENTER_MIN wait and they are at least a quarter of the
# plasser (or there are no plasser): a short list on a small course is already a signal.
VENTER_MIN = 5
VENTER_ANDEL = 0.25
FLAGG = {
    "overfull": "Overfull: flere deltar enn det er plasser (belegg over 100 %).",
    "lang_venteliste": (
        f"Lang venteliste: minst {VENTER_MIN} venter, og de er minst en firedel av plassene."
    ),
}


def _names(con) -> dict[str, dict[str, Any]]:
    """gjennomforing_id -> name, tiltaksnummer, enkeltplass, dates (memoised per snapshot)."""
    rows = q.gjennomforing_navn_rader(con)
    return {
        r[0]: {
            "navn": r[1],
            "tiltaksnummer": r[2],
            "enkeltplass": bool(r[3]),
            "start_dato": r[4],
            "slutt_dato": r[5],
        }
        for r in rows
    }


def names(con) -> dict[str, dict[str, Any]]:
    return con.memo("gjennomforing_navn", _names)


def display_name(info: dict[str, Any] | None, gid: str, tiltaksnavn: str) -> str:
    if info and info["navn"]:
        return info["navn"]
    return f"{tiltaksnavn} ({gid[:8]})"


def flags(venter: Any, plasser: int | None, belegg: float | None) -> list[str]:
    out = []
    if belegg is not None and belegg > 1:
        out.append("overfull")
    if (
        isinstance(venter, int)
        and venter >= VENTER_MIN
        and (not plasser or venter >= VENTER_ANDEL * plasser)
    ):
        out.append("lang_venteliste")
    return out


@router.get(
    "/gjennomforinger/liste",
    summary="Gjennomføringene i én uke med navn, belegg og flagg",
    description=(
        "Gjennomføringene kontorets deltakere var på i uken (standard: siste), med navn, "
        "deltar, venter, plasser og belegg. `rader` har plasser og gir samlet belegg, sortert "
        "etter belegg; `uten_plasser` er enkeltplasser og gjennomføringer uten oppgitte plasser. "
        "`flagg` sier om en gjennomføring er overfull eller har lang venteliste."
    ),
)
def liste(
    request: Request,
    kontor: str | None = None,
    uke: Annotated[str | None, Query(description="Uken, f.eks. 2025-U25 (standard: siste)")] = None,
    tiltakskode: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI query list
    format: Format = "json",
) -> Any:
    k = request.app.state.min_antall
    with _source(request).read() as con:
        kontor, kontor_navn = _resolve_kontor(con, kontor)
        rng = q.week_range(con)
        if rng is None:
            raise ApiError("Det finnes ingen publiserte tiltaksdata ennå. Kjør «metrikk run».", 503)
        try:
            week = perioder.parse("uke", uke, "Uke") if uke else rng[1]
        except perioder.PeriodError as e:
            raise ApiError(str(e)) from None
        if not rng[0] <= week <= rng[1]:
            raise ApiError(
                f"Uke {q.week_label(week)} har ingen publiserte data; data finnes fra "
                f"{q.week_label(rng[0])} til {q.week_label(rng[1])}."
            )
        if k:  # one tiltak or all, as every filter under K
            every = {t for t, _, _ in q.all_tiltak(con)}
            tiltakskode = list(selected_filter("tiltakskode", tiltakskode, every, k))
        rows = indeks.gjennomforing_uker(con, week, week, kontor, tiltakskode)
        info = names(con)
        tiltaksnavn = q.tiltak_names(con)
        m = q.meta(con)
    med, uten = [], []
    sums = {"deltar": 0, "venter": 0, "plasser": 0}
    for r in rows:
        gid = r["gjennomforing_id"]
        i = info.get(gid)
        plasser = r["antall_plasser"] or None
        deltar = shown(r["antall_deltar"], k)
        venter = shown(r["antall_venter"], k)
        belegg = ratio(r["antall_deltar"], plasser, k)
        row = {
            "gjennomforing_id": gid,
            "navn": display_name(i, gid, tiltaksnavn.get(r["tiltakskode"], r["tiltakskode"])),
            "tiltaksnummer": i["tiltaksnummer"] if i else None,
            "tiltakskode": r["tiltakskode"],
            "tiltaksnavn": tiltaksnavn.get(r["tiltakskode"], r["tiltakskode"]),
            "start_dato": i["start_dato"].isoformat() if i and i["start_dato"] else None,
            "slutt_dato": i["slutt_dato"].isoformat() if i and i["slutt_dato"] else None,
            "enkeltplass": bool(i and i["enkeltplass"]),
            "deltar": deltar,
            "venter": venter,
            "plasser": plasser,
            "belegg": belegg,
            "fra_lokale_kontor": shown(r["antall_fra_lokale_kontor"], k),
            "fra_andre_kontor": shown(r["antall_fra_andre_kontor"], k),
        }
        row["flagg"] = flags(venter, plasser, belegg)
        if plasser and not row["enkeltplass"]:
            med.append(row)
            sums["deltar"] += r["antall_deltar"]
            sums["venter"] += r["antall_venter"]
            sums["plasser"] += plasser
        else:
            uten.append(row)
    med.sort(key=lambda r: (r["belegg"] is None, -(r["belegg"] or 0), r["navn"].casefold()))
    uten.sort(key=lambda r: (not r["enkeltplass"], r["navn"].casefold()))
    out = {
        "kontor": {"enhetsnummer": kontor, "navn": kontor_navn},
        "uke": q.week_label(week),
        "rader": med,
        "uten_plasser": uten,
        "sum": {
            "gjennomforinger": len(med),
            "deltar": shown(sums["deltar"], k),
            "venter": shown(sums["venter"], k),
            "plasser": sums["plasser"],
            "belegg": ratio(sums["deltar"], sums["plasser"], k),
        },
        "flagg": FLAGG,
        "min_antall": k,
        "data": {"syntetisk": m["syntetisk"], "siste_uke": q.week_label(rng[1])},
    }
    if format == "json":
        return out
    header = [
        "Gjennomføring",
        "Tiltaksnummer",
        "Tiltak",
        "Deltar",
        "Venter",
        "Plasser",
        "Belegg (%)",
        "Merknad",
        "Fra lokale kontor",
        "Fra andre kontor",
    ]

    def line(r: dict[str, Any]) -> list[Any]:
        note = [FLAGG[f].split(":")[0] for f in r["flagg"]]
        if r["enkeltplass"]:
            note.append("Enkeltplass")
        elif not r["plasser"]:
            note.append("Uten oppgitte plasser")
        return [
            r["navn"],
            r["tiltaksnummer"],
            r["tiltaksnavn"],
            r["deltar"],
            r["venter"],
            r["plasser"],
            None if r["belegg"] is None else round(100 * r["belegg"], 1),
            ", ".join(note),
            r["fra_lokale_kontor"],
            r["fra_andre_kontor"],
        ]

    s = out["sum"]
    body = [line(r) for r in med]
    body.append(
        [
            "Sum med plasser",
            None,
            None,
            s["deltar"],
            s["venter"],
            s["plasser"],
            None if s["belegg"] is None else round(100 * s["belegg"], 1),
            "",
            None,
            None,
        ]
    )
    body.extend(line(r) for r in uten)
    preamble = eksport.preamble(
        kontor=(kontor, kontor_navn),
        periode=f"Uke {out['uke']}",
        filters={"tiltakskode": tiltakskode},
        names=tiltaksnavn,
        syntetisk=m["syntetisk"],
        min_antall=k,
    )
    return export_response(
        format,
        f"gjennomforinger_{kontor}_{out['uke']}",
        header,
        body,
        sheet="Gjennomføringer",
        preamble=preamble,
    )


@brum.get(
    "/gjennomforinger",
    summary="Brum: kontorets gjennomføringer (navn, startdato, sluttdato)",
    description=(
        "Samme form som Brum-backendens /gjennomforinger: en liste av {gjennomforingId, navn, "
        "startDato, sluttDato} (datoer som YYYY-MM-DD, sluttDato null når den er åpen). Listen "
        "er gjennomføringene som er knyttet til kontoret (som LOKAL Nav-enhet i Valp), uten "
        "enkeltplasser, sortert etter navn og startdato; med `aar` og `uke` bare de som kjører "
        "den uken. Uten `kontor` brukes standardkontoret. Belegg finnes under "
        "/api/v1/gjennomforinger/."
    ),
)
def brum_gjennomforinger(
    request: Request,
    aar: Annotated[int | None, Query(ge=1900, le=2999)] = None,
    uke: Annotated[int | None, Query(ge=1, le=53)] = None,
    kontor: str | None = None,
) -> list[dict[str, Any]]:
    if (aar is None) != (uke is None):
        raise ApiError("Oppgi både aar og uke, eller ingen av dem (alle gjennomføringer).")
    monday = monday_of(aar, uke, "Uke") if aar is not None and uke is not None else None
    with _source(request).read() as con:
        kontor, _ = _resolve_kontor(con, kontor)
        rows = q.brum_gjennomforing_liste(con, kontor, monday)
    return [
        {
            "gjennomforingId": gid,
            "navn": navn,
            "startDato": start.isoformat(),
            "sluttDato": slutt.isoformat() if slutt else None,
        }
        for gid, navn, start, slutt in rows
    ]
