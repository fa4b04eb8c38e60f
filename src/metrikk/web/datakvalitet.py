"""Data quality per week, for the whole country or one kontor (`/api/v1/datakvalitet`).

Without `kontor`: `tiltak_gold.uke_datakvalitet` (every reason, counted and not counted).
With `kontor`: the kontor's counted deltakelse-weeks in `tiltak_silver.deltakelse_uke`, and how
many of them lacked an innsatsgruppe or an avdeling or got their kontor from the fallback rule.
Deltakelser that were not counted, or have no kontor, belong to no kontor; those reasons are
shown for the whole country only (the page says so).

Every count is a count of deltakelse-weeks (records of persons): protected under
`--min-antall`, and shares are computed from the shown numbers. A share is of the counted
deltakelser («telte»); a reason for not counting is a share of all (counted + not counted).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from metrikk.web import eksport, tabell
from metrikk.web import queries as q
from metrikk.web.common import _resolve_kontor, _source, resolve_period
from metrikk.web.definisjoner import help_text
from metrikk.web.eksport import Format, export_response

router = APIRouter(prefix="/api/v1", tags=["api"])

KOLONNER: dict[str, dict[str, str]] = {
    "antall_telt": {
        "navn": "Telte deltakelser",
        "forklaring": "Deltakelser som er telt i uken (én per deltakelse og uke).",
    },
    "uten_innsatsgruppe": {
        "navn": "Uten innsatsgruppe",
        "forklaring": "Telt, men personen hadde ingen gyldig innsatsgruppe (§ 14 a-vedtak) den "
        "dagen; vises som «Ukjent innsatsgruppe».",
    },
    "uten_avdeling": {"navn": "Uten avdeling", "forklaring": help_text("uten_avdeling")},
    "uten_kontor": {
        "navn": "Uten kontor",
        "forklaring": "Telt, men verken oppfølgingskontor, avtale eller gjennomføring ga et "
        "lokalkontor; vises under kontor UKJENT.",
    },
    "kontor_fra_fallback": {
        "navn": "Kontor fra reserveregel",
        "forklaring": help_text("kontor_fra_reserveregel"),
    },
    "ikke_telt_mangler_start": {
        "navn": "Ikke telt: mangler startdato",
        "forklaring": "Deltakelsen har ingen startdato, så vi vet ikke hvilke uker den gjelder.",
    },
    "ikke_telt_ugyldig_periode": {
        "navn": "Ikke telt: sluttdato før startdato",
        "forklaring": "Sluttdatoen er før startdatoen; deltakelsen har ingen gyldige dager.",
    },
    "ikke_telt_ukjent_gjennomforing": {
        "navn": "Ikke telt: ukjent gjennomføring",
        "forklaring": "Deltakelsen peker på en gjennomføring som ikke finnes i Valp-dataene.",
    },
}
KONTOR_KOLONNER = ("antall_telt", "uten_innsatsgruppe", "uten_avdeling", "kontor_fra_fallback")
IKKE_TELT = tuple(c for c in q.DATAKVALITET_KOLONNER if c.startswith("ikke_telt"))
KONTOR_MERKNAD = (
    "Deltakelser som ikke kunne telles, eller som ikke fikk noe kontor, hører ikke til noe "
    "kontor. De vises bare for hele landet (velg «Alle kontor»)."
)


def _shares(values: dict[str, Any], columns: tuple[str, ...]) -> dict[str, float | None]:
    """Each column's share (%) of the counted deltakelser; not counted: of all."""
    telt = values.get("antall_telt")
    out: dict[str, float | None] = {}
    ikke = [values.get(c) for c in columns if c in IKKE_TELT]
    alle = telt + sum(ikke) if all(isinstance(v, (int, float)) for v in [telt, *ikke]) else None
    for c in columns:
        v = values.get(c)
        base = alle if c in IKKE_TELT else telt
        if c == "antall_telt" or not isinstance(v, (int, float)) or not base:
            out[c] = None
        else:
            out[c] = round(100 * v / base, 1)
    return out


@router.get("/datakvalitet", summary="Datakvalitet per uke, for hele landet eller ett kontor")
def datakvalitet(
    request: Request,
    fra: str | None = None,
    til: str | None = None,
    kontor: str | None = None,
    format: Format = "json",
) -> Any:
    k = request.app.state.min_antall
    with _source(request).read() as con:
        fra_d, til_d = resolve_period(con, fra, til, None, None, None, None, default_weeks=26)
        if kontor:
            kontor, kontor_navn = _resolve_kontor(con, kontor)
            rows = q.datakvalitet_kontor(con, kontor, fra_d, til_d)
            columns = KONTOR_KOLONNER
        else:
            kontor_navn = None
            rows = q.datakvalitet(con, fra_d, til_d)
            columns = q.DATAKVALITET_KOLONNER
        m = q.meta(con)
    by_week = {r["uke_start"]: r for r in rows}
    uker = []
    sums = dict.fromkeys(columns, 0)
    for w in q.weeks_between(fra_d, til_d):
        r = by_week.get(w, {})
        values = {c: tabell.shown(int(r.get(c) or 0), k) for c in columns}
        for c in columns:
            sums[c] += int(r.get(c) or 0)
        uker.append({"uke": q.week_label(w), **values, "andel": _shares(values, columns)})
    # Deltakelse-weeks are records: the period's figure is the sum over weeks, protected as such.
    totalt = {c: tabell.shown(v, k) for c, v in sums.items()}
    out = {
        "kontor": {"enhetsnummer": kontor, "navn": kontor_navn} if kontor else None,
        "periode": {"fra": q.week_label(fra_d), "til": q.week_label(til_d)},
        "kolonner": [{"verdi": c, **KOLONNER[c]} for c in columns],
        "uker": uker,
        "totalt": {**totalt, "andel": _shares(totalt, columns)},
        "merknad": KONTOR_MERKNAD if kontor else None,
        "min_antall": k,
        "data": {"syntetisk": m["syntetisk"]},
    }
    if format == "json":
        return out
    header = ["Uke"]
    for c in columns:
        header.append(KOLONNER[c]["navn"])
        if c != "antall_telt":
            header.append(f"{KOLONNER[c]['navn']} (%)")

    def line(label: str, values: dict[str, Any]) -> list[Any]:
        row = [label]
        for c in columns:
            row.append(values[c])
            if c != "antall_telt":
                row.append(values["andel"][c])
        return row

    body = [line(u["uke"], u) for u in uker]
    body.append(line("Hele perioden", out["totalt"]))
    preamble = eksport.preamble(
        kontor=(kontor, kontor_navn) if kontor else ("", "Alle kontor"),
        periode=f"{out['periode']['fra']} – {out['periode']['til']}",
        maal="deltakelser (én per deltakelse og uke)",
        extra=[("Merknad", KONTOR_MERKNAD)] if kontor else [],
        syntetisk=m["syntetisk"],
        min_antall=k,
    )
    name = f"datakvalitet_{kontor}" if kontor else "datakvalitet"
    return export_response(format, name, header, body, sheet="Datakvalitet", preamble=preamble)
