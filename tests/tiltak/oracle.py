"""Brute-force oracle for the `tiltak_gold` tables (CONTRACT §3–4), in plain Python.

Input: the `tiltak_bronze` source rows as `{table: [row dict, ...]}` (table names without schema;
dates as `datetime.date`, timestamps as naive UTC `datetime.datetime`, missing tables = empty) and
`as_of`. Output: `{gold table: [row dict, ...]}` with exactly the contract's columns, sparse.

It is deliberately slow and literal: every deltakelse is walked day by day, every attribute is
looked up by scanning the source rows as of the week's reference day, and the tables are
aggregated from those per-(deltakelse, week) records. No SQL, no pandas.

Readings chosen where the contract leaves room (the SQL models must implement the same):

R1  Published weeks: Monday >= 2022-01-03 and Sunday <= as_of. A published week's rows depend
    only on the data and the week (integrator's decision): the latest status in the data decides
    participation, snapshot memberships of the last snapshot last indefinitely (>= as_of), and
    "cut at as_of" never touches a published week.
R2  Oslo dates: every timestamp is naive UTC; "on or before day D" compares the Europe/Oslo
    calendar date of the timestamp with D. Among rows on or before D, "latest" is the greatest
    timestamp (ties: greatest vedtak_id / kontor_id).
R3  Latest Komet status: among rows with null gyldig_til the one with the greatest gyldig_fra,
    else the row with the greatest gyldig_fra (ties: greatest opprettet, then id). A deltaker
    without any status row never took part. Counted statuses: DELTAR, HAR_SLUTTET, FULLFORT, AVBRUTT.
R4  Arbeidsgiver avtale = its latest event by (versjon, tidspunkt); person_id, dates, status,
    tiltakstype and enhet_oppfolging all come from that event. Took part: GJENNOMFØRES/AVSLUTTET.
R5  Not counted for data quality, one reason per deltakelse, checked in the contract's order:
    no start_dato -> ikke_telt_mangler_start, else slutt_dato < start_dato ->
    ikke_telt_ugyldig_periode, else unknown gjennomforing_id (Komet only) ->
    ikke_telt_ukjent_gjennomforing. Week =
    Oslo date of deltaker.registrert_tidspunkt (arbeidsgiver: of the earliest event's tidspunkt).
    Only when the deltakelse took part (R3/R4), and only in published weeks.
R6  innsatsgruppe = mapping of the latest vedtak's code; if that latest code is not mappable
    (IVURD, BKART, ...) the result is UKJENT (no fall-back to an older vedtak).
R7  kontor: the kontor_id of the latest oppfolgingskontor_historikk row on or before the
    reference day, unless that kontor_id is a FYLKE unit (then that step gives nothing; an older
    row is not used). A kontor_id unknown to nav_enhet is still a kontor, named 'Ukjent kontor',
    fylke 'UKJENT'. Else (arbeidsgiver) enhet_oppfolging if set and not FYLKE; else (Komet) the
    gjennomføring's LOKAL enheter (nav_enhet.type = 'LOKAL') if there is exactly one; else 'UKJENT'.
    kontor_kilde OPPFOLGINGSKONTOR / AVTALE / GJENNOMFORING / UKJENT accordingly.
R8  fylke = the kontor's overordnet_enhet when that is a nav_enhet of type FYLKE, else 'UKJENT'.
R9  Snapshot membership of (enhetsnummer, gruppe_id, veileder_ident) holds on day D iff the
    latest snapshot date <= D (over ALL snapshot rows, not per enhet) shows it; the start of the
    current membership is the first date of the unbroken run of snapshot dates showing it that
    ends at that latest snapshot date. Before the first snapshot date nobody is in a group.
    gruppe_navn is taken from that latest snapshot row. Groups are looked up for enhetsnummer =
    kontor. avdeling = avdeling_veiledergruppe.avdeling for (kontor, gruppe_id), else gruppe_navn;
    no veileder or no group -> 'Uten avdeling' and veiledergruppe_id null. "Lowest gruppe_id":
    numerically when the ids are integers (veilarbfilter ids are), else as strings; numeric ids
    before non-numeric ones (mixed ids are not generated).
R10 tiltakskategori by tiltakskode (research §1.5): arbeidsgiver codes (every arbeidsgiver
    avtale) -> ARBEIDSGIVER, Arena egen regi codes -> EGEN_REGI, the Valp enkeltplass codes
    (+ HOYERE_YRKESFAGLIG_UTDANNING) -> ENKELTPLASS; any other code -> ENKELTPLASS when the
    gjennomføring's oppstart is ENKELTPLASS (codes such as ARBEIDSMARKEDSOPPLAERING run both as
    gruppe and as enkeltplass), else GRUPPE. Arbeidsgiver tiltakstype_navn = navn of
    the tiltakstype row whose tiltakskode equals the avtale's tiltakstype, else the Team Tiltak
    name (ARBEIDSGIVER_NAVN), else the code itself.
R11 antall_sluttet: slutt_dato is set and equals the reference day (= slutt_dato in the week).
R12 uke_gjennomforing: antall_deltar = counted Komet deltakelser (not persons) on the
    gjennomføring in the week; antall_venter = Komet deltakere of that gjennomføring whose status
    valid at the end of Sunday (gyldig_fra's Oslo date <= Sunday and gyldig_til null or its Oslo
    date > Sunday; several: latest gyldig_fra) is SOKT_INN/VURDERES/VENTELISTE/VENTER_PA_OPPSTART,
    independent of start/slutt dates and of whether the deltaker is counted. A row exists when
    antall_deltar > 0 or antall_venter > 0. antall_plasser = gjennomforing.antall_plasser
    (may be null); belegg = deltar / plasser, null when plasser is null or 0.
    antall_fra_lokale_kontor = counted deltakelser whose kontor is one of its LOKAL enheter;
    antall_fra_andre_kontor = antall_deltar - antall_fra_lokale_kontor (UKJENT included).
R13 uke_datakvalitet counts (deltakelse, week) pairs: antall_telt all counted ones,
    uten_innsatsgruppe = innsatsgruppe 'UKJENT', uten_avdeling = avdeling 'Uten avdeling',
    uten_kontor = kontor 'UKJENT', kontor_fra_fallback = kontor_kilde AVTALE or GJENNOMFORING.
R14 uke_antall / uke_antall_avdeling: distinct persons per cell; tiltaksnavn = tiltakstype_navn.
R15 tiltaksgruppe (deltakelse_uke, oppstart): the tiltaksgruppe rows whose tiltakskode equals the
    deltakelse's tiltakskode and whose enhetsnummer equals its kontor; none: those with no
    enhetsnummer (null); none: tiltakstype_navn. Several rows for one key: the alphabetically
    first tiltaksgruppe. (A row for a FYLKE unit never matches: no kontor is one.)
R16 Under oppfølging: a person's days are the union over their oppfolgingsperiode rows of the
    Oslo dates oslo(startdato) … oslo(sluttdato) (or as_of when open), cut at as_of; a row whose
    sluttdato's Oslo date is before its startdato's has no days. In each published week with at
    least one such day the reference day is the last such day; innsatsgruppe as R6; kontor = the
    kontor_id of the latest oppfolgingskontor_historikk row on or before it (R2 order), 'UKJENT'
    when there is none or that kontor_id is a FYLKE unit (no fallback, no older row); a kontor_id
    unknown to nav_enhet is still a kontor ('Ukjent kontor'); avdeling as R9 with that kontor.
    paa_tiltak: the person has at least one deltakelse_uke record (R1–R14) in that week.
    uke_oppfolging counts persons per (week, kontor, avdeling, innsatsgruppe) and those of them
    paa_tiltak.
R17 Ventetid: every counted Komet deltakelse (R3, R5) whose start_dato is in a published week.
    forste_venter_dato = min Oslo date of gyldig_fra over its status rows with status SOKT_INN,
    VURDERES, VENTELISTE or VENTER_PA_OPPSTART (any row, current or not); ventedager =
    start_dato - that date when it is before start_dato, else 0 (also 0 with no such row).
    kontor as R7 with start_dato as the day (oppfølgingskontor, else the only LOKAL enhet, else
    UKJENT); tiltaksgruppe as R15 with that kontor. uke_ventetid sums per (week of start_dato,
    kontor, tiltakskode): antall_oppstart, sum_ventedager, and the counts with ventedager > 14,
    > 30, > 90.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
FIRST_MONDAY = date(2022, 1, 3)

COUNTED_STATUSES = {"DELTAR", "HAR_SLUTTET", "FULLFORT", "AVBRUTT"}
WAITING_STATUSES = {"SOKT_INN", "VURDERES", "VENTELISTE", "VENTER_PA_OPPSTART"}
AVTALE_TOOK_PART = {"GJENNOMFØRES", "AVSLUTTET"}

INNSATSGRUPPE = {
    "GODE_MULIGHETER": "GODE_MULIGHETER",
    "TRENGER_VEILEDNING": "TRENGER_VEILEDNING",
    "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE": "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE",
    "JOBBE_DELVIS": "JOBBE_DELVIS",
    "LITEN_MULIGHET_TIL_A_JOBBE": "LITEN_MULIGHET_TIL_A_JOBBE",
    "STANDARD_INNSATS": "GODE_MULIGHETER",
    "SITUASJONSBESTEMT_INNSATS": "TRENGER_VEILEDNING",
    "SPESIELT_TILPASSET_INNSATS": "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE",
    "GRADERT_VARIG_TILPASSET_INNSATS": "JOBBE_DELVIS",
    "VARIG_TILPASSET_INNSATS": "LITEN_MULIGHET_TIL_A_JOBBE",
    "IKVAL": "GODE_MULIGHETER",
    "BFORM": "TRENGER_VEILEDNING",
    "BATT": "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE",
    "VARIG": "LITEN_MULIGHET_TIL_A_JOBBE",
}

GRUPPE_KODER = {
    "ARBEIDSFORBEREDENDE_TRENING",
    "ARBEIDSRETTET_REHABILITERING",
    "AVKLARING",
    "DIGITALT_OPPFOLGINGSTILTAK",
    "JOBBKLUBB",
    "OPPFOLGING",
    "VARIG_TILRETTELAGT_ARBEID_SKJERMET",
    "TILRETTELAGT_ARBEID_ORDINAER",
    "GRUPPE_ARBEIDSMARKEDSOPPLAERING",
    "GRUPPE_FAG_OG_YRKESOPPLAERING",
    "ARBEIDSMARKEDSOPPLAERING",
    "NORSKOPPLAERING_GRUNNLEGGENDE_FERDIGHETER_FOV",
    "STUDIESPESIALISERING",
    "FAG_OG_YRKESOPPLAERING",
}
ENKELTPLASS_KODER = {
    "ENKELTPLASS_ARBEIDSMARKEDSOPPLAERING",
    "ENKELTPLASS_FAG_OG_YRKESOPPLAERING",
    "HOYERE_UTDANNING",
    "HOYERE_YRKESFAGLIG_UTDANNING",
}
EGEN_REGI_KODER = {"INDIVIDUELL_JOBBSTOTTE", "INDIVIDUELL_JOBBSTOTTE_UNG", "ARBEID_MED_STOTTE"}
ARBEIDSGIVER_NAVN = {
    "ARBEIDSTRENING": "Arbeidstrening",
    "MIDLERTIDIG_LONNSTILSKUDD": "Midlertidig lønnstilskudd",
    "VARIG_LONNSTILSKUDD": "Varig lønnstilskudd",
    "MENTOR": "Mentor",
    "INKLUDERINGSTILSKUDD": "Inkluderingstilskudd",
    "SOMMERJOBB": "Sommerjobb",
    "VTAO": "Varig tilrettelagt arbeid i ordinær virksomhet",
    "FIREARIG_LONNSTILSKUDD": "Fireårig lønnstilskudd for unge",
}

# Exact column order of each gold table (CONTRACT §4).
COLUMNS: dict[str, tuple[str, ...]] = {
    "uke_deltakere": (
        "aar",
        "uke",
        "uke_start",
        "kontor",
        "kontor_navn",
        "fylke",
        "avdeling",
        "innsatsgruppe",
        "tiltakskode",
        "tiltakstype_navn",
        "tiltakskategori",
        "antall_personer",
        "antall_deltakelser",
        "antall_startet",
        "antall_sluttet",
    ),
    "uke_antall": ("aar", "uke", "kontor", "tiltaksnavn", "innsatsgruppe", "avdeling", "antall"),
    "uke_antall_avdeling": ("aar", "uke", "kontor", "tiltaksnavn", "avdeling", "antall"),
    "uke_gjennomforing": (
        "aar",
        "uke",
        "uke_start",
        "gjennomforing_id",
        "tiltakskode",
        "antall_deltar",
        "antall_venter",
        "antall_plasser",
        "belegg",
        "antall_fra_lokale_kontor",
        "antall_fra_andre_kontor",
    ),
    "uke_datakvalitet": (
        "aar",
        "uke",
        "uke_start",
        "antall_telt",
        "uten_innsatsgruppe",
        "uten_avdeling",
        "uten_kontor",
        "kontor_fra_fallback",
        "ikke_telt_mangler_start",
        "ikke_telt_ugyldig_periode",
        "ikke_telt_ukjent_gjennomforing",
    ),
    "uke_oppfolging": (
        "aar",
        "uke",
        "uke_start",
        "kontor",
        "avdeling",
        "innsatsgruppe",
        "antall_under_oppfolging",
        "antall_paa_tiltak",
    ),
    "uke_ventetid": (
        "aar",
        "uke",
        "uke_start",
        "kontor",
        "tiltakskode",
        "antall_oppstart",
        "sum_ventedager",
        "antall_ventet_over_14",
        "antall_ventet_over_30",
        "antall_ventet_over_90",
    ),
}
DQ_MEASURES = COLUMNS["uke_datakvalitet"][3:]


def oslo_date(ts: datetime) -> date:
    """Europe/Oslo calendar date of a naive-UTC timestamp."""
    return ts.replace(tzinfo=UTC).astimezone(OSLO).date()


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def kategori(tiltakskode: str | None) -> str | None:
    if tiltakskode in GRUPPE_KODER:
        return "GRUPPE"
    if tiltakskode in ENKELTPLASS_KODER:
        return "ENKELTPLASS"
    if tiltakskode in EGEN_REGI_KODER:
        return "EGEN_REGI"
    if tiltakskode in ARBEIDSGIVER_NAVN:
        return "ARBEIDSGIVER"
    return "GRUPPE"  # every other Valp code is in (or treated as) the gruppe list


def gruppe_order(gruppe_id: str) -> tuple[int, int, str]:
    """Sort key for "lowest gruppe_id": integers numerically, before any non-numeric id."""
    return (0, int(gruppe_id), gruppe_id) if gruppe_id.isdigit() else (1, 0, gruppe_id)


def published(week_monday: date, as_of: date) -> bool:
    return week_monday >= FIRST_MONDAY and week_monday + timedelta(days=6) <= as_of


@dataclass
class Deltakelse:
    id: str
    kilde: str  # KOMET / ARBEIDSGIVER
    person_id: str
    gjennomforing_id: str | None
    start: date | None
    slutt: date | None
    took_part: bool
    registrert: date
    enhet_oppfolging: str | None
    tiltakskode: str | None
    tiltakstype_navn: str | None
    tiltakskategori: str | None


class Oracle:
    def __init__(self, sources: dict[str, list[dict]], as_of: date):
        self.src = {k: list(v) for k, v in sources.items()}
        self.as_of = as_of
        self.enhet = {e["enhetsnummer"]: e for e in self.t("nav_enhet")}
        self.gjf = {g["id"]: g for g in self.t("gjennomforing")}
        self.tiltakstype = {t["id"]: t for t in self.t("tiltakstype")}
        self.snapshot_dates = sorted(
            {s["snapshot_dato"] for s in self.t("veiledergruppe_snapshot")}
        )
        self.statuses: dict[str, list[dict]] = defaultdict(list)
        for s in self.t("deltaker_status"):
            self.statuses[s["deltaker_id"]].append(s)
        self.snapshot_rows: dict[date, dict[tuple[str, str, str], dict]] = defaultdict(dict)
        for s in self.t("veiledergruppe_snapshot"):
            key = (s["enhetsnummer"], s["gruppe_id"], s["veileder_ident"])
            self.snapshot_rows[s["snapshot_dato"]][key] = s

    def t(self, table: str) -> list[dict]:
        return self.src.get(table, [])

    # ---- units -------------------------------------------------------------------------------
    def is_fylke(self, enhetsnummer: str | None) -> bool:
        e = self.enhet.get(enhetsnummer)
        return e is not None and e["type"] == "FYLKE"

    def lokale_enheter(self, gjennomforing_id: str) -> set[str]:
        return {
            r["enhetsnummer"]
            for r in self.t("gjennomforing_nav_enhet")
            if r["gjennomforing_id"] == gjennomforing_id
            and self.enhet.get(r["enhetsnummer"], {}).get("type") == "LOKAL"
        }

    # ---- deltakelser ---------------------------------------------------------------------------
    def latest_status(self, deltaker_id: str) -> dict | None:
        rows = self.statuses[deltaker_id]
        open_rows = [s for s in rows if s["gyldig_til"] is None]
        pool = open_rows or rows
        if not pool:
            return None
        return max(pool, key=lambda s: (s["gyldig_fra"], s["opprettet"], s["id"]))

    def deltakelser(self) -> list[Deltakelse]:
        out = []
        for d in self.t("deltaker"):
            st = self.latest_status(d["id"])
            g = self.gjf.get(d["gjennomforing_id"])
            tt = self.tiltakstype.get(g["tiltakstype_id"]) if g else None
            kat = kategori(tt["tiltakskode"]) if tt else None
            if kat == "GRUPPE" and g.get("oppstart") == "ENKELTPLASS":
                kat = "ENKELTPLASS"
            out.append(
                Deltakelse(
                    id=d["id"],
                    kilde="KOMET",
                    person_id=d["person_id"],
                    gjennomforing_id=d["gjennomforing_id"],
                    start=d["start_dato"],
                    slutt=d["slutt_dato"],
                    took_part=st is not None and st["status"] in COUNTED_STATUSES,
                    registrert=oslo_date(d["registrert_tidspunkt"]),
                    enhet_oppfolging=None,
                    tiltakskode=tt["tiltakskode"] if tt else None,
                    tiltakstype_navn=tt["navn"] if tt else None,
                    tiltakskategori=kat,
                )
            )
        events: dict[str, list[dict]] = defaultdict(list)
        for e in self.t("arbeidsgiver_avtale_hendelse"):
            events[e["avtale_id"]].append(e)
        for avtale_id, evs in events.items():
            last = max(evs, key=lambda e: (e["versjon"], e["tidspunkt"]))
            kode = last["tiltakstype"]
            navn = next(
                (t["navn"] for t in self.t("tiltakstype") if t["tiltakskode"] == kode),
                ARBEIDSGIVER_NAVN.get(kode, kode),
            )
            out.append(
                Deltakelse(
                    id=avtale_id,
                    kilde="ARBEIDSGIVER",
                    person_id=last["person_id"],
                    gjennomforing_id=None,
                    start=last["start_dato"],
                    slutt=last["slutt_dato"],
                    took_part=last["avtale_status"] in AVTALE_TOOK_PART,
                    registrert=oslo_date(min(e["tidspunkt"] for e in evs)),
                    enhet_oppfolging=last["enhet_oppfolging"],
                    tiltakskode=kode,
                    tiltakstype_navn=navn,
                    tiltakskategori="ARBEIDSGIVER",
                )
            )
        return out

    def fault(self, d: Deltakelse) -> str | None:
        if d.start is None:
            return "ikke_telt_mangler_start"
        if d.slutt is not None and d.slutt < d.start:
            return "ikke_telt_ugyldig_periode"
        if d.kilde == "KOMET" and d.gjennomforing_id not in self.gjf:
            return "ikke_telt_ukjent_gjennomforing"
        return None

    # ---- attributes as of a day ---------------------------------------------------------------
    def innsatsgruppe(self, person_id: str, day: date) -> str:
        rows = [
            v
            for v in self.t("vedtak_14a")
            if v["person_id"] == person_id and oslo_date(v["fattet_tidspunkt"]) <= day
        ]
        if not rows:
            return "UKJENT"
        latest = max(rows, key=lambda v: (v["fattet_tidspunkt"], v["vedtak_id"]))
        return INNSATSGRUPPE.get(latest["innsatsgruppe"], "UKJENT")

    def kontor(self, d: Deltakelse, day: date) -> tuple[str, str]:
        rows = [
            r
            for r in self.t("oppfolgingskontor_historikk")
            if r["person_id"] == d.person_id and oslo_date(r["endret_tidspunkt"]) <= day
        ]
        if rows:
            latest = max(rows, key=lambda r: (r["endret_tidspunkt"], r["kontor_id"]))["kontor_id"]
            if not self.is_fylke(latest):
                return latest, "OPPFOLGINGSKONTOR"
        if (
            d.kilde == "ARBEIDSGIVER"
            and d.enhet_oppfolging
            and not self.is_fylke(d.enhet_oppfolging)
        ):
            return d.enhet_oppfolging, "AVTALE"
        if d.kilde == "KOMET":
            lokale = self.lokale_enheter(d.gjennomforing_id)
            if len(lokale) == 1:
                return next(iter(lokale)), "GJENNOMFORING"
        return "UKJENT", "UKJENT"

    def veileder(self, person_id: str, day: date) -> str | None:
        rows = [
            r
            for r in self.t("veileder_tilordning")
            if r["person_id"] == person_id and oslo_date(r["tilordnet_tidspunkt"]) <= day
        ]
        if not rows:
            return None
        return max(rows, key=lambda r: r["tilordning_seq"])["veileder_ident"]

    def gruppe(self, kontor: str, veileder: str | None, day: date) -> dict | None:
        """The chosen snapshot row (with its membership start) of `veileder`'s group at `kontor` on `day`."""
        if veileder is None:
            return None
        before = [s for s in self.snapshot_dates if s <= day]
        if not before:
            return None
        latest = before[-1]
        candidates = []
        for key, row in self.snapshot_rows[latest].items():
            if key[0] != kontor or key[2] != veileder:
                continue
            start = latest
            for s in reversed(before[:-1]):
                if key in self.snapshot_rows[s]:
                    start = s
                else:
                    break
            candidates.append((start, row["gruppe_id"], row))
        if not candidates:
            return None
        return min(candidates, key=lambda c: (c[0], *gruppe_order(c[1])))[2]

    def oppfolgingskontor(self, person_id: str, day: date) -> str:
        """R16: the latest kontor history row on or before `day`; UKJENT when none or FYLKE."""
        rows = [
            r
            for r in self.t("oppfolgingskontor_historikk")
            if r["person_id"] == person_id and oslo_date(r["endret_tidspunkt"]) <= day
        ]
        if not rows:
            return "UKJENT"
        latest = max(rows, key=lambda r: (r["endret_tidspunkt"], r["kontor_id"]))["kontor_id"]
        return "UKJENT" if self.is_fylke(latest) else latest

    def tiltaksgruppe(
        self, kontor: str, tiltakskode: str | None, tiltakstype_navn: str | None
    ) -> str | None:
        """R15: the office's row, else the national row, else tiltakstype_navn."""
        rows = [r for r in self.t("tiltaksgruppe") if r["tiltakskode"] == tiltakskode]
        office = [
            r["tiltaksgruppe"]
            for r in rows
            if r.get("enhetsnummer") and r["enhetsnummer"] == kontor
        ]
        if office:
            return min(office)
        national = [r["tiltaksgruppe"] for r in rows if not r.get("enhetsnummer")]
        return min(national) if national else tiltakstype_navn

    def avdeling(self, kontor: str, veileder: str | None, day: date) -> tuple[str, str | None]:
        g = self.gruppe(kontor, veileder, day)
        if g is None:
            return "Uten avdeling", None
        for a in self.t("avdeling_veiledergruppe"):
            if a["enhetsnummer"] == kontor and a["gruppe_id"] == g["gruppe_id"]:
                return a["avdeling"], g["gruppe_id"]
        return g["gruppe_navn"], g["gruppe_id"]

    # ---- silver: one record per counted (deltakelse, week) ------------------------------------
    def deltakelse_uke(self) -> list[dict]:
        out = []
        for d in self.deltakelser():
            if not d.took_part or self.fault(d) is not None:
                continue
            last = min(d.slutt, self.as_of) if d.slutt is not None else self.as_of
            ref: dict[date, date] = {}
            day = d.start
            while day <= last:  # literally every active day
                ref[monday(day)] = day  # days ascend, so the last one wins: the reference day
                day += timedelta(days=1)
            for wk, r in sorted(ref.items()):
                if not published(wk, self.as_of):
                    continue
                kontor, kontor_kilde = self.kontor(d, r)
                enhet = self.enhet.get(kontor)
                parent = enhet.get("overordnet_enhet") if enhet else None
                avdeling, gruppe_id = self.avdeling(kontor, self.veileder(d.person_id, r), r)
                iso = wk.isocalendar()
                out.append(
                    {
                        "aar": iso[0],
                        "uke": iso[1],
                        "uke_start": wk,
                        "deltakelse_id": d.id,
                        "kilde": d.kilde,
                        "person_id": d.person_id,
                        "gjennomforing_id": d.gjennomforing_id,
                        "referansedag": r,
                        "kontor": kontor,
                        "kontor_navn": enhet["navn"] if enhet else "Ukjent kontor",
                        "fylke": parent if self.is_fylke(parent) else "UKJENT",
                        "kontor_kilde": kontor_kilde,
                        "avdeling": avdeling,
                        "veiledergruppe_id": gruppe_id,
                        "innsatsgruppe": self.innsatsgruppe(d.person_id, r),
                        "tiltakskode": d.tiltakskode,
                        "tiltakstype_navn": d.tiltakstype_navn,
                        "tiltakskategori": d.tiltakskategori,
                        "tiltaksgruppe": self.tiltaksgruppe(
                            kontor, d.tiltakskode, d.tiltakstype_navn
                        ),
                        "startet": wk <= d.start <= wk + timedelta(days=6),
                        "sluttet": d.slutt is not None and d.slutt == r,
                    }
                )
        return out

    def oppfolging_uke(self, du: list[dict] | None = None) -> list[dict]:
        """R16: one record per person under oppfølging and published week."""
        du = self.deltakelse_uke() if du is None else du
        paa_tiltak = {(r["person_id"], r["uke_start"]) for r in du}
        ref_by_person: dict[str, dict[date, date]] = defaultdict(dict)
        for p in self.t("oppfolgingsperiode"):
            first = max(oslo_date(p["startdato"]), FIRST_MONDAY)
            last = oslo_date(p["sluttdato"]) if p["sluttdato"] is not None else self.as_of
            last = min(last, self.as_of)
            ref = ref_by_person[p["person_id"]]
            day = first
            while day <= last:  # literally every day of the period
                ref[monday(day)] = max(ref.get(monday(day), day), day)
                day += timedelta(days=1)
        out = []
        for person_id, ref in sorted(ref_by_person.items()):
            for wk, r in sorted(ref.items()):
                if not published(wk, self.as_of):
                    continue
                kontor = self.oppfolgingskontor(person_id, r)
                enhet = self.enhet.get(kontor)
                avdeling, gruppe_id = self.avdeling(kontor, self.veileder(person_id, r), r)
                iso = wk.isocalendar()
                out.append(
                    {
                        "aar": iso[0],
                        "uke": iso[1],
                        "uke_start": wk,
                        "person_id": person_id,
                        "referansedag": r,
                        "kontor": kontor,
                        "kontor_navn": enhet["navn"] if enhet else "Ukjent kontor",
                        "avdeling": avdeling,
                        "veiledergruppe_id": gruppe_id,
                        "innsatsgruppe": self.innsatsgruppe(person_id, r),
                        "paa_tiltak": (person_id, wk) in paa_tiltak,
                    }
                )
        return out

    def oppstart(self) -> list[dict]:
        """R17: one record per counted Komet deltakelse starting in a published week."""
        out = []
        for d in self.deltakelser():
            if d.kilde != "KOMET" or not d.took_part or self.fault(d) is not None:
                continue
            wk = monday(d.start)
            if not published(wk, self.as_of):
                continue
            waits = [
                oslo_date(s["gyldig_fra"])
                for s in self.statuses[d.id]
                if s["status"] in WAITING_STATUSES
            ]
            forste = min(waits) if waits else None
            kontor, kontor_kilde = self.kontor(d, d.start)
            iso = wk.isocalendar()
            out.append(
                {
                    "aar": iso[0],
                    "uke": iso[1],
                    "uke_start": wk,
                    "deltakelse_id": d.id,
                    "person_id": d.person_id,
                    "gjennomforing_id": d.gjennomforing_id,
                    "start_dato": d.start,
                    "forste_venter_dato": forste,
                    "ventedager": (d.start - forste).days
                    if forste is not None and forste < d.start
                    else 0,
                    "kontor": kontor,
                    "kontor_kilde": kontor_kilde,
                    "tiltakskode": d.tiltakskode,
                    "tiltakstype_navn": d.tiltakstype_navn,
                    "tiltaksgruppe": self.tiltaksgruppe(kontor, d.tiltakskode, d.tiltakstype_navn),
                }
            )
        return out

    def venter(self, deltaker_id: str, sunday: date) -> bool:
        valid = [
            s
            for s in self.statuses[deltaker_id]
            if oslo_date(s["gyldig_fra"]) <= sunday
            and (s["gyldig_til"] is None or oslo_date(s["gyldig_til"]) > sunday)
        ]
        if not valid:
            return False
        return (
            max(valid, key=lambda s: (s["gyldig_fra"], s["opprettet"], s["id"]))["status"]
            in WAITING_STATUSES
        )

    def published_weeks(self) -> list[date]:
        weeks, wk = [], FIRST_MONDAY
        while published(wk, self.as_of):
            weeks.append(wk)
            wk += timedelta(days=7)
        return weeks

    # ---- gold ----------------------------------------------------------------------------------
    def gold(self) -> dict[str, list[dict]]:
        du = self.deltakelse_uke()

        cells: dict[tuple, list[dict]] = defaultdict(list)
        for r in du:
            cells[tuple(r[c] for c in COLUMNS["uke_deltakere"][:11])].append(r)
        uke_deltakere = [
            dict(zip(COLUMNS["uke_deltakere"][:11], k, strict=True))
            | {
                "antall_personer": len({r["person_id"] for r in rs}),
                "antall_deltakelser": len(rs),
                "antall_startet": sum(r["startet"] for r in rs),
                "antall_sluttet": sum(r["sluttet"] for r in rs),
            }
            for k, rs in cells.items()
        ]

        antall: dict[tuple, set] = defaultdict(set)
        antall_avd: dict[tuple, set] = defaultdict(set)
        for r in du:
            antall[
                (
                    r["aar"],
                    r["uke"],
                    r["kontor"],
                    r["tiltakstype_navn"],
                    r["innsatsgruppe"],
                    r["avdeling"],
                )
            ].add(r["person_id"])
            antall_avd[(r["aar"], r["uke"], r["kontor"], r["tiltakstype_navn"], r["avdeling"])].add(
                r["person_id"]
            )
        uke_antall = [
            dict(zip(COLUMNS["uke_antall"][:6], k, strict=True)) | {"antall": len(v)}
            for k, v in antall.items()
        ]
        uke_antall_avdeling = [
            dict(zip(COLUMNS["uke_antall_avdeling"][:5], k, strict=True)) | {"antall": len(v)}
            for k, v in antall_avd.items()
        ]

        uke_gjennomforing = []
        for wk in self.published_weeks():
            sunday = wk + timedelta(days=6)
            for gid, g in self.gjf.items():
                rows = [r for r in du if r["uke_start"] == wk and r["gjennomforing_id"] == gid]
                venter = sum(
                    1
                    for d in self.t("deltaker")
                    if d["gjennomforing_id"] == gid and self.venter(d["id"], sunday)
                )
                if not rows and not venter:
                    continue
                lokale = self.lokale_enheter(gid)
                plasser = g.get("antall_plasser")
                n_lokal = sum(1 for r in rows if r["kontor"] in lokale)
                tt = self.tiltakstype.get(g["tiltakstype_id"])
                iso = wk.isocalendar()
                uke_gjennomforing.append(
                    {
                        "aar": iso[0],
                        "uke": iso[1],
                        "uke_start": wk,
                        "gjennomforing_id": gid,
                        "tiltakskode": tt["tiltakskode"] if tt else None,
                        "antall_deltar": len(rows),
                        "antall_venter": venter,
                        "antall_plasser": plasser,
                        "belegg": len(rows) / plasser if plasser else None,
                        "antall_fra_lokale_kontor": n_lokal,
                        "antall_fra_andre_kontor": len(rows) - n_lokal,
                    }
                )

        dq: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(DQ_MEASURES, 0))
        for r in du:
            m = dq[r["uke_start"]]
            m["antall_telt"] += 1
            m["uten_innsatsgruppe"] += r["innsatsgruppe"] == "UKJENT"
            m["uten_avdeling"] += r["avdeling"] == "Uten avdeling"
            m["uten_kontor"] += r["kontor"] == "UKJENT"
            m["kontor_fra_fallback"] += r["kontor_kilde"] in ("AVTALE", "GJENNOMFORING")
        for d in self.deltakelser():
            reason = self.fault(d)
            if d.took_part and reason and published(monday(d.registrert), self.as_of):
                dq[monday(d.registrert)][reason] += 1
        uke_datakvalitet = []
        for wk, m in sorted(dq.items()):
            if any(m.values()):
                iso = wk.isocalendar()
                uke_datakvalitet.append({"aar": iso[0], "uke": iso[1], "uke_start": wk} | m)

        oppfolging: dict[tuple, list[dict]] = defaultdict(list)
        for r in self.oppfolging_uke(du):
            oppfolging[tuple(r[c] for c in COLUMNS["uke_oppfolging"][:6])].append(r)
        uke_oppfolging = [
            dict(zip(COLUMNS["uke_oppfolging"][:6], k, strict=True))
            | {
                "antall_under_oppfolging": len({r["person_id"] for r in rs}),
                "antall_paa_tiltak": len({r["person_id"] for r in rs if r["paa_tiltak"]}),
            }
            for k, rs in oppfolging.items()
        ]

        ventetid: dict[tuple, list[int]] = defaultdict(list)
        for r in self.oppstart():
            ventetid[tuple(r[c] for c in COLUMNS["uke_ventetid"][:5])].append(r["ventedager"])
        uke_ventetid = [
            dict(zip(COLUMNS["uke_ventetid"][:5], k, strict=True))
            | {
                "antall_oppstart": len(vs),
                "sum_ventedager": sum(vs),
                "antall_ventet_over_14": sum(v > 14 for v in vs),
                "antall_ventet_over_30": sum(v > 30 for v in vs),
                "antall_ventet_over_90": sum(v > 90 for v in vs),
            }
            for k, vs in ventetid.items()
        ]

        return {
            "uke_deltakere": uke_deltakere,
            "uke_antall": uke_antall,
            "uke_antall_avdeling": uke_antall_avdeling,
            "uke_gjennomforing": uke_gjennomforing,
            "uke_datakvalitet": uke_datakvalitet,
            "uke_oppfolging": uke_oppfolging,
            "uke_ventetid": uke_ventetid,
        }


def gold_tables(sources: dict[str, list[dict]], as_of: date) -> dict[str, list[dict]]:
    """Every `tiltak_gold` table of CONTRACT §4 for these sources and `as_of`."""
    return Oracle(sources, as_of).gold()


def deltakelse_uke(sources: dict[str, list[dict]], as_of: date) -> list[dict]:
    """The per-(deltakelse, week) records the gold tables are aggregated from."""
    return Oracle(sources, as_of).deltakelse_uke()


def oppfolging_uke(sources: dict[str, list[dict]], as_of: date) -> list[dict]:
    """The per-(person, week) records of people under oppfølging (R16)."""
    return Oracle(sources, as_of).oppfolging_uke()


def oppstart(sources: dict[str, list[dict]], as_of: date) -> list[dict]:
    """The per-deltakelse records behind uke_ventetid (R17)."""
    return Oracle(sources, as_of).oppstart()
