"""Synthetic tiltak sources (CONTRACT §2): every `tiltak_bronze` table, realistic and seeded.

The generator simulates people, not rows. People enter arbeidsrettet oppfølging at a Nav
office month by month (a rate per 1 000 inhabitants); each gets §14a vedtak, a veileder and a
chain of deltakelser on tiltak that fit their innsatsgruppe, on the gjennomføringer that serve
their office at that time. Every source table is then read off that history as it looked at
the end of `until`. See docs/generate-tiltak.md for the choices and their sources.

All randomness flows from `seed`: static structure (offices' veiledere, gjennomføringer,
veiledergrupper) from generators seeded by (seed, entity), people from per-month streams
seeded by (seed, entity, name, month). Same seed gives identical rows; a later `until` keeps
every row that was visible at the earlier one (except derived "as of" columns such as a
gjennomføring's status, see the docs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pyarrow as pa

from metrikk import catalog, warehouse
from metrikk.generate import _tiltak_ref as ref
from metrikk.generate._tiltak_util import (
    NULL,
    US_DAY,
    US_HOUR,
    US_MIN,
    Streams,
    categorical,
    dates,
    day,
    hash_u,
    key,
    person_ids,
    rng,
    stamp_at,
    stamps,
    uuids,
)

SCALES = {
    # factor: people per office relative to the national rate; group_offices: how many
    # offices (largest first) keep veiledergrupper and get daily snapshots.
    "small": {"factor": 0.3, "group_offices": 1, "only": ref.BAERUM},
    "default": {"factor": 1.0, "group_offices": 20, "only": None},
    "large": {"factor": 5.0, "group_offices": 40, "only": None},
}

RATE_PER_1000 = 1.65  # people starting a tiltak career per 1 000 inhabitants per month
WARMUP = dt.date(2020, 1, 1)  # people cohorts start here so 2022 opens with a realistic stock
DATA_START = dt.date(2022, 1, 1)  # first day of veiledergruppe snapshots
KEEP_FROM = day(dt.date(2021, 7, 1))  # deltakelser that ended before this are not exported
STRUCTURE_FROM = dt.date(2016, 1, 1)
HORIZON = dt.date(2036, 12, 31)  # static structure is planned to here, independent of until
KMAX = 5  # at most this many deltakelser per person
NIGHT_RATE = 0.015  # share of timestamps at 22:30–23:59 UTC
FAULT_NO_START = 0.005
FAULT_SLUTT_BEFORE_START = 0.003
FAULT_UNKNOWN_GJENNOMFORING = 0.003
FAULT_LATE_REGISTRATION = 0.03
FAULT_RETRO_STATUS = 0.03

TABLES = [
    "tiltakstype", "nav_enhet", "gjennomforing", "gjennomforing_nav_enhet", "deltaker",
    "deltaker_status", "arbeidsgiver_avtale_hendelse", "vedtak_14a", "oppfolgingsperiode",
    "oppfolgingskontor_historikk", "veileder_tilordning", "veiledergruppe_snapshot",
    "avdeling_veiledergruppe",
]

# --- tiltak codes -------------------------------------------------------------------------

C = ref.CODE_INDEX
N_CODES = len(ref.CODES)
KIND_LOP, KIND_KURS, KIND_ENK, KIND_AG = 0, 1, 2, 3
CODE_KIND = np.array(
    [
        {"GRUPPE": KIND_LOP, "EGEN_REGI": KIND_LOP, "ENKELTPLASS": KIND_ENK, "ARBEIDSGIVER": KIND_AG}[t[3]]
        if t[4] != "FELLES"
        else KIND_KURS
        for t in ref.TILTAKSTYPER
    ]
)
EGEN_REGI = np.array([t[3] == "EGEN_REGI" for t in ref.TILTAKSTYPER])

# Duration (days) of a deltakelse: median, lognormal sigma, min, max (research §7.2).
_DUR = {
    "OPPFOLGING": (180, 0.6, 30, 1095),
    "AVKLARING": (28, 0.3, 14, 84),
    "ARBEIDSFORBEREDENDE_TRENING": (300, 0.45, 60, 730),
    "ARBEIDSRETTET_REHABILITERING": (70, 0.3, 28, 120),
    "VARIG_TILRETTELAGT_ARBEID_SKJERMET": (7000, 1.0, 180, 20000),
    "TILRETTELAGT_ARBEID_ORDINAER": (5000, 1.0, 180, 20000),
    "INDIVIDUELL_JOBBSTOTTE": (240, 0.5, 60, 730),
    "INDIVIDUELL_JOBBSTOTTE_UNG": (240, 0.5, 60, 730),
    "ARBEID_MED_STOTTE": (365, 0.5, 90, 1095),
    "ENKELTPLASS_ARBEIDSMARKEDSOPPLAERING": (120, 0.5, 20, 365),
    "ENKELTPLASS_FAG_OG_YRKESOPPLAERING": (330, 0.5, 90, 1460),
    "HOYERE_UTDANNING": (600, 0.4, 150, 1460),
    "HOYERE_YRKESFAGLIG_UTDANNING": (365, 0.4, 120, 730),
    "ARBEIDSTRENING": (120, 0.5, 30, 365),
    "MIDLERTIDIG_LONNSTILSKUDD": (180, 0.5, 60, 365),
    "VARIG_LONNSTILSKUDD": (1100, 0.6, 365, 3000),
    "MENTOR": (150, 0.5, 30, 365),
    "INKLUDERINGSTILSKUDD": (180, 0.5, 30, 365),
    "SOMMERJOBB": (28, 0.1, 21, 42),
    "VTAO": (1500, 0.6, 365, 5000),
    "FIREARIG_LONNSTILSKUDD": (1000, 0.3, 365, 1460),
}
DUR = np.array([_DUR.get(c, (60, 0.3, 14, 365)) for c in ref.CODES], dtype=np.float64)

# Courses (FELLES): weeks between starts, course length range (days), lead time (days).
_KURS = {
    "JOBBKLUBB": (28, 21, 42, 5),
    "DIGITALT_OPPFOLGINGSTILTAK": (21, 14, 21, 5),
    "GRUPPE_ARBEIDSMARKEDSOPPLAERING": (56, 42, 120, 14),
    "GRUPPE_FAG_OG_YRKESOPPLAERING": (182, 250, 300, 21),
    "ARBEIDSMARKEDSOPPLAERING": (56, 42, 120, 14),
    "NORSKOPPLAERING_GRUNNLEGGENDE_FERDIGHETER_FOV": (84, 120, 200, 14),
    "STUDIESPESIALISERING": (182, 280, 300, 21),
    "FAG_OG_YRKESOPPLAERING": (182, 250, 300, 21),
}
# First day a code can be used (new codes; research §1.5).
CODE_FROM = {
    "ARBEIDSMARKEDSOPPLAERING": dt.date(2026, 1, 1),
    "NORSKOPPLAERING_GRUNNLEGGENDE_FERDIGHETER_FOV": dt.date(2026, 1, 1),
    "STUDIESPESIALISERING": dt.date(2026, 1, 1),
    "FAG_OG_YRKESOPPLAERING": dt.date(2026, 1, 1),
    "HOYERE_UTDANNING": dt.date(2025, 10, 1),
    "HOYERE_YRKESFAGLIG_UTDANNING": dt.date(2025, 10, 1),
    "TILRETTELAGT_ARBEID_ORDINAER": dt.date(2026, 6, 1),
    "FIREARIG_LONNSTILSKUDD": dt.date(2025, 7, 1),
}
# When Komet took over as master (kilde KOMET for deltakelser registered from then; assumption).
KOMET_FROM = {KIND_LOP: day(dt.date(2023, 12, 4)), KIND_KURS: day(dt.date(2025, 3, 3)), KIND_ENK: day(dt.date(2025, 10, 1))}

STATUSES = [
    "UTKAST_TIL_PAMELDING", "SOKT_INN", "VURDERES", "VENTELISTE", "VENTER_PA_OPPSTART", "DELTAR",
    "HAR_SLUTTET", "FULLFORT", "AVBRUTT", "IKKE_AKTUELL", "FEILREGISTRERT", "AVBRUTT_UTKAST",
]
S = {s: i for i, s in enumerate(STATUSES)}
AARSAKER = ["FATT_JOBB", "SYK", "TRENGER_ANNEN_STOTTE", "IKKE_MOTT", "ANNET", "FIKK_IKKE_PLASS", "KURS_FULLT", "UTDANNING"]
A = {a: i for i, a in enumerate(AARSAKER)}

# Outcomes of a deltakelse.
O_DONE, O_EARLY, O_IKKE_AKTUELL, O_FEILREG, O_AVBRUTT_UTKAST, O_IKKE_MOTT_RETRO = range(6)


def _resolve_concepts(concept: np.ndarray, d: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Concept (what the veileder wants) + date -> the tiltakskode in use on that date."""
    names = ref.CONCEPTS
    simple = {
        "OPPFOLGING": "OPPFOLGING", "AVKLARING": "AVKLARING", "AFT": "ARBEIDSFORBEREDENDE_TRENING",
        "ARR": "ARBEIDSRETTET_REHABILITERING", "VTA": "VARIG_TILRETTELAGT_ARBEID_SKJERMET",
        "JOBBKLUBB": "JOBBKLUBB", "DIGITALT": "DIGITALT_OPPFOLGINGSTILTAK",
        "AMO": "GRUPPE_ARBEIDSMARKEDSOPPLAERING", "FAG": "GRUPPE_FAG_OG_YRKESOPPLAERING",
        "ENK_AMO": "ENKELTPLASS_ARBEIDSMARKEDSOPPLAERING", "ENK_FAG": "ENKELTPLASS_FAG_OG_YRKESOPPLAERING",
        "IPS": "INDIVIDUELL_JOBBSTOTTE", "IPS_UNG": "INDIVIDUELL_JOBBSTOTTE_UNG", "AMS": "ARBEID_MED_STOTTE",
        "ARBTREN": "ARBEIDSTRENING", "MIDL": "MIDLERTIDIG_LONNSTILSKUDD", "VARIG_LTS": "VARIG_LONNSTILSKUDD",
        "MENTOR": "MENTOR", "INKL": "INKLUDERINGSTILSKUDD", "SOMMER": "SOMMERJOBB", "VTAO": "VTAO",
    }
    table = np.array([C[simple[n]] for n in names])
    code = table[concept]
    cn = {n: i for i, n in enumerate(names)}
    new_opp = d >= day(dt.date(2026, 1, 1))
    amo = (concept == cn["AMO"]) & new_opp
    code = np.where(amo, np.select(
        [u < 0.6, u < 0.9], [C["ARBEIDSMARKEDSOPPLAERING"], C["NORSKOPPLAERING_GRUNNLEGGENDE_FERDIGHETER_FOV"]],
        C["STUDIESPESIALISERING"]), code)
    code = np.where((concept == cn["FAG"]) & new_opp, C["FAG_OG_YRKESOPPLAERING"], code)
    enk = (concept == cn["ENK_FAG"]) & (d >= day(dt.date(2025, 10, 1)))
    code = np.where(enk & (u < 0.3), C["HOYERE_UTDANNING"], code)
    code = np.where(enk & (u >= 0.3) & (u < 0.45), C["HOYERE_YRKESFAGLIG_UTDANNING"], code)
    vta_new = (concept == cn["VTA"]) & (d >= day(dt.date(2026, 6, 1))) & (u < 0.15)
    code = np.where(vta_new, C["TILRETTELAGT_ARBEID_ORDINAER"], code)
    month = (d.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12) + 1
    code = np.where((concept == cn["SOMMER"]) & ((month < 6) | (month > 8)), C["ARBEIDSTRENING"], code)
    fire = (concept == cn["MIDL"]) & (d >= day(dt.date(2025, 7, 1))) & (u < 0.1)
    return np.where(fire, C["FIREARIG_LONNSTILSKUDD"], code)


# --- structure: offices, veiledere, gjennomføringer -----------------------------------------


class Units:
    """Nav units and their per-office parameters (index = position in `nr`)."""

    def __init__(self, seed: int, factor: float):
        offs = ref.offices()
        self.nr = [o[0] for o in offs] + [ref.NASJONAL_OPPFOLGINGSENHET[0]]
        self.navn = [o[1] for o in offs] + [ref.NASJONAL_OPPFOLGINGSENHET[1]]
        self.fylke = [o[2] for o in offs] + [None]
        self.pop = np.array([o[3] for o in offs] + [0], dtype=np.float64)
        self.n_lokal = len(offs)
        self.noe = len(offs)  # index of Nasjonal oppfølgingsenhet
        self.index = {n: i for i, n in enumerate(self.nr)}
        self.fylke_nr = list(ref.FYLKER)
        self.fylke_of = np.array([self.fylke_nr.index(f) for f in self.fylke[:-1]] + [-1])
        # Veileder slots per office: a slot is a desk held by a sequence of veiledere.
        slots = np.maximum(4, np.round(self.pop * 0.6 * np.sqrt(min(factor, 1.0)))).astype(np.int64)
        slots[self.noe] = max(6, round(40 * min(factor, 1.0)))
        self.slots = slots
        self.slot_start = np.concatenate([[0], np.cumsum(slots)[:-1]])
        n_slots = int(slots.sum())
        r = rng(seed, "veiledere")
        # Up to 4 holders per slot; change days from a random day before 2020, ~3.5 years apart.
        first = day(dt.date(2014, 1, 1)) + (r.random(n_slots) * 6 * 365).astype(np.int64)
        gaps = (r.exponential(3.5 * 365, (n_slots, 3)) + 120).astype(np.int64)
        self.holder_change = np.concatenate([first[:, None], first[:, None] + np.cumsum(gaps, axis=1)], axis=1)
        letters = np.frombuffer(b"ABCDEFGHJKLMNPRSTUVW", dtype=np.uint8)
        num = np.arange(n_slots * 4, dtype=np.int64)
        off = int(r.integers(0, 1_000_000))
        digits = (num * 7919 + off) % 1_000_000
        self.idents = [chr(letters[(n * 7 + off) % 20]) + f"{d:06d}" for n, d in zip(num.tolist(), digits.tolist(), strict=True)]

    def holder(self, slot: np.ndarray, t_day: np.ndarray) -> np.ndarray:
        """Index into `idents` of the veileder holding each slot on each day."""
        k = (self.holder_change[slot] <= t_day[:, None]).sum(axis=1) - 1
        return slot * 4 + np.clip(k, 0, 3)


class Lines:
    """Gjennomføringer, organised as 'lines': one contract or course series at a set of offices.

    A løpende line is a chain of contract periods (one gjennomføring each); a course line is
    a schedule of course instances (one gjennomføring each); egen regi is one line per office.
    """

    def __init__(self, seed: int, units: Units, factor: float):
        r = rng(seed, "lines")
        self.offices: list[list[int]] = []  # LOKAL office indices of the line
        self.fylke: list[int] = []
        self.code: list[int] = []
        self.arrangor: list[str] = []
        self.area: list[str] = []
        self.plasser: list[int] = []
        self.starts: list[list[int]] = []  # løpende: period start days
        self.kurs: list[tuple[int, int, int, int]] = []  # courses: (offset day, period, length, lead)
        self.first_j: list[int] = []
        # demand per office and concept (deltakelser per month)
        cw = np.array([ref.CONCEPT_WEIGHTS[c] for c in range(5)], dtype=np.float64)
        cw = cw / cw.sum(axis=1, keepdims=True)
        concept_share = (np.array(ref.CLASS_SHARE)[:, None] * cw).sum(axis=0) * 1.7
        lam = units.pop * RATE_PER_1000 * factor
        code_of_concept = _resolve_concepts(np.arange(len(ref.CONCEPTS)), np.full(len(ref.CONCEPTS), day(dt.date(2024, 1, 1))), np.full(len(ref.CONCEPTS), 0.99))
        demand = np.zeros((units.n_lokal, N_CODES))
        for ci, code in enumerate(code_of_concept):
            demand[:, code] += lam[: units.n_lokal] * concept_share[ci]
        # new codes inherit the demand of what they replace
        demand[:, C["ARBEIDSMARKEDSOPPLAERING"]] = demand[:, C["GRUPPE_ARBEIDSMARKEDSOPPLAERING"]] * 0.6
        demand[:, C["NORSKOPPLAERING_GRUNNLEGGENDE_FERDIGHETER_FOV"]] = demand[:, C["GRUPPE_ARBEIDSMARKEDSOPPLAERING"]] * 0.3
        demand[:, C["STUDIESPESIALISERING"]] = demand[:, C["GRUPPE_ARBEIDSMARKEDSOPPLAERING"]] * 0.1
        demand[:, C["FAG_OG_YRKESOPPLAERING"]] = demand[:, C["GRUPPE_FAG_OG_YRKESOPPLAERING"]]
        demand[:, C["TILRETTELAGT_ARBEID_ORDINAER"]] = demand[:, C["VARIG_TILRETTELAGT_ARBEID_SKJERMET"]] * 0.15
        lop_codes = [i for i, t in enumerate(ref.TILTAKSTYPER) if CODE_KIND[i] == KIND_LOP and not EGEN_REGI[i]]
        kurs_codes = [i for i in range(N_CODES) if CODE_KIND[i] == KIND_KURS]
        horizon = day(HORIZON)
        for f_i, f_nr in enumerate(units.fylke_nr):
            members = [i for i in range(units.n_lokal) if units.fylke_of[i] == f_i]
            members.sort(key=lambda i: units.nr[i])
            clusters: list[list[int]] = []
            cur: list[int] = []
            for i in members:
                if units.pop[i] >= 60:
                    clusters.append([i])
                    continue
                cur.append(i)
                if units.pop[[*cur]].sum() >= 60 or len(cur) >= 4:
                    clusters.append(cur)
                    cur = []
            if cur:
                clusters.append(cur)
            for c_i, cl in enumerate(clusters):
                neighbour = clusters[(c_i + 1) % len(clusters)]
                area = units.navn[cl[0]].removeprefix("Nav ") + (" m.fl." if len(cl) > 1 else "")
                for code in lop_codes + kurs_codes:
                    d = demand[cl, code].sum()
                    if CODE_KIND[code] == KIND_LOP:
                        conc = d * DUR[code, 0] / 30.4 * 0.8
                        n = int(np.clip(round(conc / 60), 1, 4))
                        per_line = conc / n
                        lo, hi = 10, 100
                    else:
                        period = _KURS[ref.CODES[code]][0]
                        per_inst = d * period / 30.4
                        n = int(np.clip(round(per_inst / 18), 1, 4))
                        per_line = per_inst / n
                        lo, hi = 5, 30
                    for _ in range(n):
                        offices = list(cl)
                        if len(clusters) > 1 and r.random() < 0.3:
                            offices += [o for o in neighbour if o not in offices]
                        self._add(r, offices, f_i, code, area, int(np.clip(round(per_line * r.uniform(0.9, 1.35)), lo, hi)), horizon)
            # egen regi: one line per office and code
            for i in members:
                for code in (C["INDIVIDUELL_JOBBSTOTTE"], C["INDIVIDUELL_JOBBSTOTTE_UNG"], C["ARBEID_MED_STOTTE"]):
                    conc = demand[i, code] * DUR[code, 0] / 30.4
                    self._add(r, [i], f_i, code, units.navn[i].removeprefix("Nav "), int(np.clip(round(conc * 1.2), 10, 100)), horizon, egen=True)
        self.n = len(self.code)
        # lookup: lines serving (office, code)
        width = 12
        self.for_office = np.full((units.n_lokal, N_CODES, width), -1, dtype=np.int64)
        self.count = np.zeros((units.n_lokal, N_CODES), dtype=np.int64)
        for line, (offices, code) in enumerate(zip(self.offices, self.code, strict=True)):
            for o in offices:
                k = self.count[o, code]
                if k < width:
                    self.for_office[o, code, k] = line
                    self.count[o, code] = k + 1
        maxp = max(len(s) for s in self.starts)
        self.start_arr = np.full((self.n, maxp + 1), np.iinfo(np.int64).max // 4, dtype=np.int64)
        for line, s in enumerate(self.starts):
            self.start_arr[line, : len(s)] = s
        self.kurs_arr = np.array(self.kurs, dtype=np.int64)
        self.first_j_arr = np.array(self.first_j, dtype=np.int64)
        self.code_arr = np.array(self.code, dtype=np.int64)

    def _add(self, r, offices, f_i, code, area, plasser, horizon, egen=False):
        code_from = day(CODE_FROM.get(ref.CODES[code], STRUCTURE_FROM))
        self.offices.append(offices)
        self.fylke.append(f_i)
        self.code.append(code)
        self.arrangor.append("Nav" if egen else f"{ref.ARRANGORER[int(r.integers(len(ref.ARRANGORER)))]} AS")
        self.area.append(area)
        self.plasser.append(plasser)
        if CODE_KIND[code] == KIND_KURS:
            period, dmin, dmax, lead = _KURS[ref.CODES[code]]
            offset = code_from + int(r.integers(0, period))
            length = int(r.integers(dmin, dmax + 1))
            self.kurs.append((offset, period, length, lead))
            self.first_j.append(0)
            self.starts.append([code_from])
        else:
            s = code_from - (int(r.integers(0, 4 * 365)) if code_from == day(STRUCTURE_FROM) else 0)
            chain = [s]
            span = (5 * 365, 10 * 365) if egen else (2 * 365, 5 * 365)
            while chain[-1] < horizon:
                chain.append(chain[-1] + int(r.integers(*span)))
            self.starts.append(chain)
            self.kurs.append((0, 1, 1, 0))
            self.first_j.append(0)


# --- people ---------------------------------------------------------------------------------


def _cohorts(seed: int, units: Units, factor: float, only: str | None, until: dt.date):
    """Monthly cohorts of people entering oppfølging: (months, counts, office per person)."""
    months = np.arange(
        np.datetime64(WARMUP, "M").astype(np.int64), np.datetime64(until, "M").astype(np.int64) + 1
    )
    lam = units.pop[: units.n_lokal] * RATE_PER_1000 * factor
    if only is not None:
        mask = np.zeros(units.n_lokal, dtype=bool)
        mask[units.index[only]] = True
        lam = np.where(mask, lam, 0.0)
    season = np.array([1.15, 1.05, 1.05, 1.0, 0.95, 0.85, 0.6, 1.1, 1.15, 1.1, 1.0, 0.75])
    counts, office = [], []
    for m in months:
        year = 1970 + m // 12
        trend = {2020: 1.15, 2021: 1.05, 2022: 0.9, 2023: 0.95, 2024: 1.05, 2025: 1.1}.get(int(year), 1.1)
        n = rng(seed, "cohort", int(m)).poisson(lam * season[m % 12] * trend)
        counts.append(int(n.sum()))
        office.append(np.repeat(np.arange(units.n_lokal), n))
    return months, np.array(counts), np.concatenate(office)


def _lognormal(z: np.ndarray, code: np.ndarray) -> np.ndarray:
    med, sig, lo, hi = DUR[code, 0], DUR[code, 1], DUR[code, 2], DUR[code, 3]
    return np.clip(med * np.exp(sig * z), lo, hi).astype(np.int64)


class People:
    """One row per person: oppfølging, innsatsgruppe classes, office history."""

    def __init__(self, seed: int, units: Units, scale: dict, until: dt.date):
        months, counts, office = _cohorts(seed, units, scale["factor"], scale["only"], until)
        st = Streams(seed, "person", months, counts)
        self.st = st
        n = st.n
        self.n = n
        month_of = np.repeat(months, counts)
        within = np.concatenate([np.arange(c) for c in counts]) if n else np.empty(0, np.int64)
        self.key = key("person", month_of, within)
        month_start = month_of.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
        month_len = (month_of + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) - month_start
        self.t0 = month_start + (st.u("t0") * month_len).astype(np.int64)
        self.home = office
        # innsatsgruppe class: first vedtak, maybe a revurdering later with a neighbouring class
        cs = np.cumsum(ref.CLASS_SHARE)
        self.class1 = np.searchsorted(cs, st.u("class1") * cs[-1], side="right")
        self.ukjent_first = st.u("ivurd") < 0.03
        self.tv1 = self.t0 + np.where(
            self.ukjent_first, 40 + (st.u("tv1a") * 80), np.clip(20 * np.exp(0.6 * st.z("tv1")), 3, 120)
        ).astype(np.int64)
        self.t_ukjent = self.t0 + 2 + (st.u("tivurd") * 8).astype(np.int64)
        has2 = st.u("has2") < 0.25
        step = np.where(st.u("step") < 0.6, 1, -1)
        self.class2 = np.where(has2, np.clip(self.class1 + step, 0, 4), self.class1)
        self.class2 = np.where(has2 & (self.class2 == self.class1), np.clip(self.class1 - step, 0, 4), self.class2)
        self.tv2 = np.where(has2, self.tv1 + 150 + (st.u("tv2") * 750).astype(np.int64), NULL)
        # office moves (8 %): mostly within the fylke
        moves = st.u("move") < 0.08
        self.t_move = np.where(moves, self.t0 + 30 + (st.u("tmove") * 900).astype(np.int64), NULL)
        # small scale keeps its moves inside the fylke, so it references few other units
        same = (st.u("movesame") < 0.8) | (scale["only"] is not None)
        cdf = np.cumsum(units.pop[: units.n_lokal])
        national = np.searchsorted(cdf, st.u("moveto") * cdf[-1], side="right")
        fylke_members = [np.flatnonzero(units.fylke_of[: units.n_lokal] == f) for f in range(len(units.fylke_nr))]
        first_member = np.array([mem[0] for mem in fylke_members])
        in_fylke = first_member[units.fylke_of[office]]
        uf = st.u("movefylke")
        for f, mem in enumerate(fylke_members):
            sel = units.fylke_of[office] == f
            if sel.any():
                w = np.cumsum(units.pop[mem])
                in_fylke[sel] = mem[np.minimum(np.searchsorted(w, uf[sel] * w[-1], side="right"), len(mem) - 1)]
        dest = np.where(same, in_fylke, national)
        dest = np.where(dest == office, (dest + 1) % units.n_lokal, dest)
        self.move_to = np.where(moves, dest, -1)
        # Nasjonal oppfølgingsenhet: some GODE_MULIGHETER people after the 2025 routing started.
        ukj_gm = (~moves) & (self.class1 == 0) & (self.tv1 >= day(dt.date(2025, 3, 1))) & (st.u("noe") < 0.4)
        self.t_noe = np.where(ukj_gm, self.tv1 + (st.u("tnoe") * 3).astype(np.int64), NULL)
        back = ukj_gm & (self.tv2 != NULL) & (self.class2 != 0)
        self.t_back = np.where(back, self.tv2 + 1, NULL)
        self.noe = units.noe

    def kontor_at(self, t: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Office (unit index) of person idx on day t."""
        k = self.home[idx].copy()
        tm = self.t_move[idx]
        k = np.where((tm != NULL) & (t >= tm), self.move_to[idx], k)
        tn = self.t_noe[idx]
        k = np.where((tn != NULL) & (t >= tn), self.noe, k)
        tb = self.t_back[idx]
        return np.where((tb != NULL) & (t >= tb), self.home[idx], k)

    def lokal_at(self, t: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """The LOKAL office whose gjennomføringer the person uses (home while at 4154)."""
        k = self.kontor_at(t, idx)
        return np.where(k == self.noe, self.home[idx], k)

    def class_at(self, t: np.ndarray, idx: np.ndarray) -> np.ndarray:
        tv2 = self.tv2[idx]
        return np.where((tv2 != NULL) & (t >= tv2), self.class2[idx], self.class1[idx])


def _simulate(seed: int, units: Units, lines: Lines, people: People) -> dict[str, np.ndarray]:
    """The chain of deltakelser of every person: one entry per (person, k) that happened."""
    st = people.st
    n = people.n
    n_per = np.clip(1 + np.floor(np.log(1 - st.u("k")) / np.log(0.45)), 1, KMAX).astype(np.int64)
    req = people.tv1 + np.clip(25 * np.exp(0.8 * st.z("req0")), 1, 200).astype(np.int64)
    idx_all = np.arange(n)
    cw = np.array([ref.CONCEPT_WEIGHTS[c] for c in range(5)], dtype=np.float64)
    cw = np.cumsum(cw / cw.sum(axis=1, keepdims=True), axis=1)
    out: dict[str, list[np.ndarray]] = {}
    last_end = np.full(n, NULL)
    for k in range(KMAX):
        sel = n_per > k
        p = idx_all[sel]
        if not len(p):
            break
        g = lambda name: st.u(f"{name}{k}")[sel]  # noqa: E731
        r = req[sel]
        cls = people.class_at(r, p)
        concept = (g("concept")[:, None] > cw[cls]).sum(axis=1)
        concept = np.minimum(concept, len(ref.CONCEPTS) - 1)
        code = _resolve_concepts(concept, r, g("resolve"))
        kind = CODE_KIND[code]
        office = people.lokal_at(r, p)
        # pick a line serving the office for Valp-managed kinds
        cnt = lines.count[office, code]
        pick = np.minimum((g("line") * cnt).astype(np.int64), np.maximum(cnt - 1, 0))
        line = np.where(cnt > 0, lines.for_office[office, code, pick], -1)
        missing = (kind != KIND_ENK) & (kind != KIND_AG) & (line < 0)
        code = np.where(missing, C["OPPFOLGING"], code)
        kind = CODE_KIND[code]
        cnt = lines.count[office, code]
        line = np.where(missing, lines.for_office[office, code, np.minimum((g("line") * cnt).astype(np.int64), np.maximum(cnt - 1, 0))], line)
        lsafe = np.maximum(line, 0)
        # waiting time and start
        wait = np.clip(10 * np.exp(0.8 * st.z(f"wait{k}")[sel]), 0, 90).astype(np.int64)
        wait = np.where(kind == KIND_ENK, 14 + wait * 2, wait)
        start = r + wait
        # courses: next instance at least `lead` days after the request
        off, period, length, lead = (lines.kurs_arr[lsafe, i] for i in range(4))
        j = np.maximum(np.ceil((r + lead - off) / period).astype(np.int64), lines.first_j_arr[lsafe])
        gkey = key("kurs", lsafe, j)
        avlyst = hash_u(gkey, "avlyst") < 0.03
        is_kurs = kind == KIND_KURS
        # a course cancelled before the request is not offered: take the next one
        skip = is_kurs & avlyst & (off + j * period - 7 < r)
        j = np.where(skip, j + 1, j)
        gkey = key("kurs", lsafe, j)
        avlyst = is_kurs & (hash_u(gkey, "avlyst") < 0.03)
        kurs_start = off + j * period
        start = np.where(is_kurs, kurs_start, start)
        dur = _lognormal(st.z(f"dur{k}")[sel], code)
        end = np.where(is_kurs, kurs_start + length - 1, start + dur - 1)
        # løpende: the contract period in force at the start; the deltakelse ends with it
        period_i = (lines.start_arr[lsafe] <= start[:, None]).sum(axis=1) - 1
        period_i = np.maximum(period_i, 0)
        p_end = lines.start_arr[lsafe, period_i + 1] - 1
        is_lop = kind == KIND_LOP
        planned_end = end.copy()
        end = np.where(is_lop, np.minimum(end, p_end), end)
        gkey = np.where(is_kurs, gkey, key("lop", lsafe, period_i))
        # outcome
        uo = g("outcome")
        is_komet = kind != KIND_AG
        komet_master = is_komet & ~EGEN_REGI[code] & (r >= np.array([KOMET_FROM.get(int(x), 10**9) for x in range(4)])[kind])
        utkast = komet_master & (kind != KIND_KURS) & (g("utkast") < 0.3)
        outcome = np.full(len(p), O_DONE)
        outcome = np.where(uo < 0.30, O_EARLY, outcome)
        outcome = np.where(is_kurs & (uo < 0.18), O_EARLY, np.where(is_kurs & (uo < 0.30), O_DONE, outcome))
        outcome = np.where(uo > 0.985, O_FEILREG, outcome)
        outcome = np.where((uo > 0.93) & (uo <= 0.985), O_IKKE_AKTUELL, outcome)
        outcome = np.where((uo > 0.92) & (uo <= 0.93), O_IKKE_MOTT_RETRO, outcome)
        outcome = np.where(utkast & (g("avbrutt_utkast") < 0.07), O_AVBRUTT_UTKAST, outcome)
        outcome = np.where(avlyst, O_IKKE_AKTUELL, outcome)
        is_vta = (code == C["VARIG_TILRETTELAGT_ARBEID_SKJERMET"]) | (code == C["TILRETTELAGT_ARBEID_ORDINAER"])
        early_frac = 0.15 + 0.75 * g("early")
        end = np.where(outcome == O_EARLY, start + np.maximum((end - start) * early_frac, 1).astype(np.int64), end)
        took_part = (outcome == O_DONE) | (outcome == O_EARLY)
        # parallel deltakelser happen (IPS beside oppfølging); otherwise the next starts after this ends
        gap = np.clip(45 * np.exp(0.9 * st.z(f"gap{k}")[sel]), 3, 720).astype(np.int64)
        nxt = np.where(took_part, np.maximum(end, r) + gap, r + 7 + gap // 3)
        nxt = np.where(g("parallel") < 0.08, r + 10 + gap // 4, nxt)
        req[sel] = nxt
        last_end[sel] = np.maximum(last_end[sel], np.where(took_part, end, r))
        for name, arr in [
            ("person", p), ("k", np.full(len(p), k)), ("req", r), ("start", start), ("end", end),
            ("planned_end", np.maximum(planned_end, end)), ("code", code), ("kind", kind), ("line", line),
            ("gkey", gkey), ("outcome", outcome), ("utkast", utkast), ("komet_master", komet_master),
            ("is_vta", is_vta), ("office", office),
        ]:
            out.setdefault(name, []).append(arr)
    people.last_end = last_end
    return {k: np.concatenate(v) for k, v in out.items()}


# --- tables -----------------------------------------------------------------------------------


class _Writer:
    def __init__(self, con, progress):
        self.con = con
        self.progress = progress
        self.rows: dict[str, int] = {}

    def __call__(self, table: str, columns: dict[str, pa.Array]) -> None:
        name = f"tiltak_bronze.{table}"
        data = pa.table(columns)
        self.rows[name] = warehouse.write_landing(self.con, catalog.landing_table(name), data, syntetisk=True)
        if self.progress is not None:
            self.progress(name, len(self.rows), len(TABLES))


def _strs(values: list[str | None]) -> pa.Array:
    return pa.array(values, type=pa.string())


def generate(con, *, scale: str, seed: int, until: dt.date, progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Fill every tiltak_bronze table with synthetic rows as they looked at the end of `until`."""
    if scale not in SCALES:
        raise ValueError(f"Ukjent skala «{scale}»; velg en av {', '.join(SCALES)}.")
    if until < DATA_START:
        raise ValueError(f"--until må være {DATA_START} eller senere.")
    sc = SCALES[scale]
    write = _Writer(con, progress)
    until_d = day(until)
    until_end = (until_d + 1) * US_DAY  # rows created before this instant are visible

    units = Units(seed, sc["factor"])
    lines = Lines(seed, units, sc["factor"])
    people = People(seed, units, sc, until)
    dl = _simulate(seed, units, lines, people)

    tt_ids = uuids(key("tiltakstype", np.arange(N_CODES)), seed)
    referenced_units: set[int] = set()
    persons_kept = np.zeros(people.n, dtype=bool)
    # Each table is written as soon as it is built, so peak memory stays near one table.
    kom = _komet(seed, units, lines, people, dl, until_d, until_end)
    persons_kept[kom.pop("person_idx")] = True
    write("deltaker", kom.pop("deltaker"))
    write("deltaker_status", kom.pop("status"))
    gj = _gjennomforinger(seed, units, lines, people, dl, kom, until_d, until_end, tt_ids, sc["only"])
    del kom
    referenced_units.update(gj["units"])
    write("gjennomforing", gj["gjennomforing"])
    write("gjennomforing_nav_enhet", gj["enheter"])
    del gj
    ag = _avtaler(seed, units, people, dl, until_d, until_end)
    persons_kept[ag["person_idx"]] = True
    referenced_units.update(ag["_units"])
    write("arbeidsgiver_avtale_hendelse", ag["hendelse"])
    del ag
    person_tables = _person_tables(seed, units, people, persons_kept, dl, until_d, until_end)
    del dl
    referenced_units.update(person_tables.pop("_units"))
    for name in ("vedtak_14a", "oppfolgingsperiode", "oppfolgingskontor_historikk", "veileder_tilordning"):
        write(name, person_tables.pop(name))
    snap, avd = _veiledergrupper(seed, units, sc, until_d)
    write("veiledergruppe_snapshot", snap)
    write("avdeling_veiledergruppe", avd)
    del snap
    write("tiltakstype", {
        "id": tt_ids,
        "navn": _strs([t[2] for t in ref.TILTAKSTYPER]),
        "tiltakskode": _strs(ref.CODES),
        "arena_tiltakskode": _strs([t[1] for t in ref.TILTAKSTYPER]),
    })
    write("nav_enhet", _nav_enhet(units, sc["only"], referenced_units))
    return {f"tiltak_bronze.{t}": write.rows[f"tiltak_bronze.{t}"] for t in TABLES}


def _nav_enhet(units: Units, only: str | None, referenced: set[int]) -> dict[str, pa.Array]:
    rows: list[tuple[str, str, str, str, str | None]] = []
    keep_lokal = set(range(units.n_lokal)) if only is None else {i for i in referenced if i < units.n_lokal} | {units.index[only]}
    fylker = {units.fylke[i] for i in keep_lokal}
    for nr, navn in ref.FYLKER.items():
        if nr in fylker:
            rows.append((nr, navn, "FYLKE", "Aktiv", None))
    for i in sorted(keep_lokal, key=lambda i: units.nr[i]):
        rows.append((units.nr[i], units.navn[i], "LOKAL", "Aktiv", units.fylke[i]))
    for nr, navn, fylke in ref.NEDLAGTE:
        if fylke in fylker:
            rows.append((nr, navn, "LOKAL", "Nedlagt", fylke))
    nr, navn, typ = ref.NASJONAL_OPPFOLGINGSENHET
    rows.append((nr, navn, typ, "Aktiv", None))
    cols = list(zip(*rows, strict=True))
    return {name: _strs(list(c)) for name, c in zip(["enhetsnummer", "navn", "type", "status", "overordnet_enhet"], cols, strict=True)}


def _komet(seed, units, lines, people, dl, until_d, until_end):
    """Komet deltakere and their status histories, as visible at the end of `until`."""
    sel = np.flatnonzero(dl["kind"] != KIND_AG)
    d = {k: v[sel] for k, v in dl.items()}
    n = len(sel)
    dk = key("deltaker", people.key[d["person"]], d["k"])
    u = lambda salt: hash_u(dk, salt)  # noqa: E731
    kind, code, outcome = d["kind"], d["code"], d["outcome"]
    start, end, req = d["start"], d["end"], d["req"]
    took = (outcome == O_DONE) | (outcome == O_EARLY)
    late = took & (u("late") < FAULT_LATE_REGISTRATION)
    reg_day = np.where(late, start + 14 + (u("lated") * 42).astype(np.int64), req)
    reg = stamp_at(reg_day, u("regt"), u("regn"), NIGHT_RATE)
    is_kurs = kind == KIND_KURS
    arena = ~d["komet_master"]
    # candidate statuses, in order: UTKAST, SOKT_INN, VURDERES, VENTELISTE, VENTER, DELTAR, terminal
    ncol = 7
    present = np.zeros((n, ncol), dtype=bool)
    gfra = np.zeros((n, ncol), dtype=np.int64)
    opp = np.zeros((n, ncol), dtype=np.int64)
    status = np.zeros((n, ncol), dtype=np.int8)
    aarsak = np.full((n, ncol), -1, dtype=np.int8)
    span = np.maximum(start - req, 0)
    def at(frac, salt):
        dd = req + (span * frac).astype(np.int64)
        return stamp_at(dd, u(salt + "t"), u(salt + "n"), NIGHT_RATE)
    present[:, 0] = d["utkast"] & ~late
    gfra[:, 0] = reg
    status[:, 0] = S["UTKAST_TIL_PAMELDING"]
    sokt = is_kurs & ~late & (u("sokt") < 0.8)
    present[:, 1] = sokt
    gfra[:, 1] = reg
    status[:, 1] = S["SOKT_INN"]
    vurd = sokt & (u("vurd") < 0.45) & (span > 2)
    present[:, 2] = vurd
    gfra[:, 2] = at(0.2, "vurd")
    status[:, 2] = S["VURDERES"]
    vl = sokt & (u("vl") < 0.25) & (span > 6)
    present[:, 3] = vl
    gfra[:, 3] = at(0.45, "vl")
    status[:, 3] = S["VENTELISTE"]
    venter = ~late & (span > 0) & (outcome != O_AVBRUTT_UTKAST) & ((outcome != O_FEILREG) | (u("fv") < 0.5))
    present[:, 4] = venter
    gfra[:, 4] = np.where(present[:, :4].any(axis=1), at(0.75, "venter"), reg)
    status[:, 4] = S["VENTER_PA_OPPSTART"]
    deltar = took | (outcome == O_IKKE_MOTT_RETRO)
    present[:, 5] = deltar
    gfra[:, 5] = stamp_at(start, u("dt"), u("dn"), NIGHT_RATE)
    status[:, 5] = S["DELTAR"]
    # nothing at all present (e.g. FEILREGISTRERT straight away): the terminal is the first row
    present[:, 6] = True
    term_day = np.select(
        [took, outcome == O_IKKE_MOTT_RETRO, outcome == O_AVBRUTT_UTKAST],
        [end + 1, start, req + 1 + (u("au") * 20).astype(np.int64)],
        np.maximum(req + (span * u("ia")).astype(np.int64), req),
    )
    gfra[:, 6] = stamp_at(term_day, u("tt"), u("tn"), NIGHT_RATE)
    gfra[:, 6] = np.where(outcome == O_IKKE_MOTT_RETRO, gfra[:, 5] + US_HOUR, gfra[:, 6])
    fellesish = is_kurs
    term = np.select(
        [took & fellesish & (outcome == O_EARLY), took & fellesish, took,
         outcome == O_FEILREG, outcome == O_AVBRUTT_UTKAST],
        [S["AVBRUTT"], S["FULLFORT"], S["HAR_SLUTTET"], S["FEILREGISTRERT"], S["AVBRUTT_UTKAST"]],
        S["IKKE_AKTUELL"],
    )
    status[:, 6] = term
    ua = u("aarsak")
    early_aarsak = np.select([ua < 0.4, ua < 0.55, ua < 0.7, ua < 0.8, ua < 0.9], [A["FATT_JOBB"], A["SYK"], A["TRENGER_ANNEN_STOTTE"], A["IKKE_MOTT"], A["UTDANNING"]], A["ANNET"])
    ia_aarsak = np.where(is_kurs, np.select([ua < 0.3, ua < 0.5], [A["FIKK_IKKE_PLASS"], A["KURS_FULLT"]], A["ANNET"]), np.select([ua < 0.4, ua < 0.6], [A["IKKE_MOTT"], A["FATT_JOBB"]], A["ANNET"]))
    aarsak[:, 6] = np.select(
        [outcome == O_EARLY, outcome == O_IKKE_AKTUELL, outcome == O_IKKE_MOTT_RETRO, (outcome == O_DONE) & ~fellesish],
        [early_aarsak, ia_aarsak, A["IKKE_MOTT"], np.where(ua < 0.3, A["FATT_JOBB"], -1)],
        -1,
    )
    # VTA and other open-ended deltakelser have no terminal status within reach
    open_ended = d["is_vta"] & took & (end > until_d + 3650)
    present[:, 6] &= ~open_ended
    # opprettet: when the row was written; late registrations and retroactive corrections
    opp[:] = gfra
    opp[:, :6] = np.where(late[:, None], np.maximum(gfra[:, :6], reg[:, None]), gfra[:, :6])
    retro = took & (u("retro") < FAULT_RETRO_STATUS)
    opp[:, 6] = np.where(retro, gfra[:, 6] + ((7 + u("retrod") * 21) * US_DAY).astype(np.int64), gfra[:, 6])
    opp[:, 6] = np.where(outcome == O_IKKE_MOTT_RETRO, gfra[:, 5] + ((5 + u("imr") * 15) * US_DAY).astype(np.int64), opp[:, 6])
    opp[:, 6] = np.where(late & (outcome != O_IKKE_MOTT_RETRO), np.maximum(opp[:, 6], reg), opp[:, 6])
    # chains are ordered: gyldig_fra strictly increasing, opprettet non-decreasing
    last_g = np.full(n, NULL)
    last_o = np.full(n, NULL)
    first_opp = np.full(n, NULL)
    for c in range(ncol):
        pc = present[:, c]
        g_c = np.where(pc & (last_g != NULL), np.maximum(gfra[:, c], last_g + US_MIN), gfra[:, c])
        o_c = np.maximum(np.maximum(opp[:, c], g_c), np.where(last_o == NULL, g_c, last_o))
        gfra[:, c] = g_c
        opp[:, c] = o_c
        first_opp = np.where(pc & (first_opp == NULL), o_c, first_opp)
        last_g = np.where(pc, g_c, last_g)
        last_o = np.where(pc, o_c, last_o)
    registrert = first_opp
    visible = present & (opp < until_end)
    gtil = np.full((n, ncol), NULL)
    nxt = np.full(n, NULL)
    for c in range(ncol - 1, -1, -1):
        gtil[:, c] = nxt
        nxt = np.where(visible[:, c], gfra[:, c], nxt)
    # which deltakere exist at `until`, and are recent enough to keep
    dvis = (registrert < until_end) & ~((end < KEEP_FROM) & (req < KEEP_FROM))
    visible &= dvis[:, None]
    # current state at until
    last_col = np.where(visible, np.arange(ncol)[None, :], -1).max(axis=1)
    cur = status[np.arange(n), np.maximum(last_col, 0)]
    deltar_vis = visible[:, 5]
    ended_vis = deltar_vis & visible[:, 6] & took
    planned = np.where(d["is_vta"] | (kind == KIND_LOP) & (u("open") < 0.3) & ~is_kurs, NULL, d["planned_end"])
    start_dato = np.where(deltar_vis | visible[:, 4] | (u("startknown") < 0.3), start, NULL)
    slutt_dato = np.where(ended_vis, end, np.where(start_dato != NULL, planned, NULL))
    slutt_dato = np.where(np.isin(cur, [S["IKKE_AKTUELL"], S["FEILREGISTRERT"], S["AVBRUTT_UTKAST"]]), NULL, slutt_dato)
    # faults
    no_start = deltar_vis & (u("f_nostart") < FAULT_NO_START)
    start_dato = np.where(no_start, NULL, start_dato)
    bad_period = ended_vis & ~no_start & (u("f_period") < FAULT_SLUTT_BEFORE_START)
    slutt_dato = np.where(bad_period, start - 1 - (u("f_pd") * 60).astype(np.int64), slutt_dato)
    unknown_g = u("f_gj") < FAULT_UNKNOWN_GJENNOMFORING
    # dager_per_uke / prosent_stilling: AFT and VTA (and some Arena rows)
    aft_vta = d["is_vta"] | (code == C["ARBEIDSFORBEREDENDE_TRENING"])
    up = u("pst")
    pst = np.select([up < 0.4, up < 0.6, up < 0.75, up < 0.88, up < 0.95], [100.0, 80.0, 60.0, 50.0, 40.0], 20.0)
    arena_dec = arena & (u("dec") < 0.1)
    pst = np.where(arena_dec, np.round(pst * (0.8 + 0.4 * u("decp")), 1), pst)
    dager = np.where(arena_dec, np.round(pst / 20 * 2) / 2, np.round(pst / 20))
    some_arena = arena & ~aft_vta & (u("arena100") < 0.05)
    has_mengde = (aft_vta & (u("mengde") < 0.9)) | some_arena
    pst = np.where(some_arena, 100.0, pst)
    dager = np.where(some_arena, 5.0, dager)
    rows = np.flatnonzero(dvis)
    gj_id_key = np.where(kind == KIND_ENK, key("enk", dk), d["gkey"])
    gj_id_key = np.where(unknown_g, key("ukjent", dk), gj_id_key)
    deltaker = {
        "id": uuids(dk[rows], seed),
        "person_id": person_ids(people.key[d["person"][rows]], seed),
        "gjennomforing_id": uuids(gj_id_key[rows], seed),
        "start_dato": dates(start_dato[rows]),
        "slutt_dato": dates(slutt_dato[rows]),
        "registrert_tidspunkt": stamps(registrert[rows]),
        "kilde": categorical(np.where(arena[rows], 0, 1), ["ARENA", "KOMET"]),
        "dager_per_uke": pa.array(dager[rows], mask=~has_mengde[rows]),
        "prosent_stilling": pa.array(pst[rows], mask=~has_mengde[rows]),
    }
    ri, ci = np.nonzero(visible)
    pos = np.cumsum(dvis) - 1  # position of each deltaker among the written rows
    status_tbl = {
        "id": uuids(key("status", dk[ri], ci), seed),
        "deltaker_id": deltaker["id"].take(pa.array(pos[ri])),
        "status": categorical(status[ri, ci], STATUSES),
        "aarsak": categorical(aarsak[ri, ci], AARSAKER),
        "gyldig_fra": stamps(gfra[ri, ci]),
        "gyldig_til": stamps(gtil[ri, ci]),
        "opprettet": stamps(opp[ri, ci]),
    }
    # gjennomføringer that were used (enkeltplass ones exist only through their deltaker)
    return {
        "deltaker": deltaker, "status": status_tbl, "person_idx": d["person"][rows],
        "enk_rows": rows[kind[rows] == KIND_ENK], "d": d, "dk": dk, "ended_vis": ended_vis,
        "registrert": registrert, "unknown_g": unknown_g,
    }


def _gjennomforinger(seed, units, lines, people, dl, kom, until_d, until_end, tt_ids, only):
    """Valp gjennomføringer (løpende periods, course instances, egen regi, enkeltplasser)."""
    keys, line_of, start_of, slutt_of, opp_of, status_of, oppstart_of, avsl_of = ([] for _ in range(8))
    for line in range(lines.n):
        code = lines.code[line]
        if CODE_KIND[code] == KIND_KURS:
            off, period, length, _lead = lines.kurs[line]
            j0 = max(0, int(np.ceil((day(dt.date(2019, 9, 1)) - off) / period)))
            j1 = int((until_d + 60 - off) // period)
            if j1 < j0:
                continue
            js = np.arange(j0, j1 + 1)
            gk = key("kurs", np.full(len(js), line), js)
            s = off + js * period
            e = s + length - 1
            opp = s - 30 - (hash_u(gk, "opp") * 30).astype(np.int64)
            avl = hash_u(gk, "avlyst") < 0.03
            avl_day = s - 7
            st = np.where(avl & (avl_day <= until_d), 2, np.where(e < until_d, 1, 0))
            avsl = np.select([st == 2, st == 1], [avl_day, e + 1], NULL)
            oppstart = 1
        else:
            starts = np.array(lines.starts[line])
            ps = np.arange(len(starts) - 1)
            gk = key("lop", np.full(len(ps), line), ps)
            s = starts[:-1]
            e = starts[1:] - 1
            opp = s - 30 - (hash_u(gk, "opp") * 60).astype(np.int64)
            avb = hash_u(gk, "avbrutt") < 0.05
            st = np.where(e < until_d, np.where(avb, 3, 1), 0)
            avsl = np.where(st > 0, e + 1, NULL)
            oppstart = 0
        keys.append(gk)
        line_of.append(np.full(len(gk), line))
        start_of.append(s)
        slutt_of.append(e)
        opp_of.append(opp)
        status_of.append(st)
        avsl_of.append(avsl)
        oppstart_of.append(np.full(len(gk), oppstart))
    keys_a, line_a, start_a, slutt_a, opp_a, status_a, avsl_a, oppstart_a = (
        np.concatenate(x) for x in (keys, line_of, start_of, slutt_of, opp_of, status_of, avsl_of, oppstart_of)
    )
    keep = (opp_a <= until_d) & (slutt_a >= day(dt.date(2019, 1, 1)))
    if only is not None:
        # small scale: the gjennomføringer at the office, and those its deltakere used
        only_i = units.index[only]
        at_office = np.array([only_i in o for o in lines.offices])
        used = np.unique(kom["d"]["gkey"][kom["d"]["kind"] != KIND_ENK])
        keep &= at_office[line_a] | np.isin(keys_a, used)
    keys_a, line_a, start_a, slutt_a, opp_a, status_a, avsl_a, oppstart_a = (
        x[keep] for x in (keys_a, line_a, start_a, slutt_a, opp_a, status_a, avsl_a, oppstart_a)
    )
    n_lines_rows = len(keys_a)
    navn_of = []
    for line, s, op in zip(line_a.tolist(), start_a.astype("datetime64[D]").tolist(), oppstart_a.tolist(), strict=True):
        typenavn = ref.TILTAKSTYPER[lines.code[line]][2]
        arr = lines.arrangor[line]
        if op == 1:
            navn_of.append(f"{typenavn} {arr} {lines.area[line]} {s.day:02d}.{s.month:02d}.{s.year}")
        elif arr == "Nav":
            navn_of.append(f"{typenavn} - {lines.area[line]}")
        else:
            navn_of.append(f"{typenavn} - {arr} {lines.area[line]}")
    code_a = lines.code_arr[line_a]
    plasser_a = np.array(lines.plasser)[line_a]
    # enkeltplasser: one gjennomføring per visible enkeltplass deltaker
    d = kom["d"]
    er = kom["enk_rows"]
    er = er[~kom["unknown_g"][er]]
    ek = key("enk", kom["dk"][er])
    e_start = d["start"][er]
    e_end = np.where(kom["ended_vis"][er], d["end"][er], d["planned_end"][er])
    e_opp = (kom["registrert"][er] // US_DAY).astype(np.int64)
    e_status = np.where(kom["ended_vis"][er] & (d["end"][er] < until_d), 1, 0)
    e_status = np.where(np.isin(d["outcome"][er], [O_IKKE_AKTUELL, O_FEILREG, O_AVBRUTT_UTKAST, O_IKKE_MOTT_RETRO]) & (d["req"][er] + 30 < until_d), 2, e_status)
    all_keys = np.concatenate([keys_a, ek])
    n_all = len(all_keys)
    code_all = np.concatenate([code_a, d["code"][er]])
    start_all = np.concatenate([start_a, e_start])
    slutt_all = np.concatenate([slutt_a, e_end])
    opp_all = np.concatenate([opp_a, e_opp])
    status_all = np.concatenate([status_a, e_status])
    avsl_all = np.concatenate([avsl_a, np.where(e_status > 0, np.maximum(e_end + 1, e_opp), NULL)])
    oppstart_all = np.concatenate([oppstart_a, np.full(len(er), 2)])
    plasser_all = np.concatenate([plasser_a, np.full(len(er), NULL)])
    navn_all = navn_of + [f"{ref.TILTAKSTYPER[c][2]} - enkeltplass" for c in d["code"][er].tolist()]
    hu = hash_u(all_keys, "tidspunkt")
    opprettet = opp_all * US_DAY + 7 * US_HOUR + (hu * 8 * US_HOUR).astype(np.int64)
    avsluttet = np.where(avsl_all != NULL, np.minimum(avsl_all, until_d) * US_DAY + 2 * US_HOUR + (hu * US_HOUR).astype(np.int64), NULL)
    oppdatert = np.where(avsluttet != NULL, avsluttet, np.minimum(opprettet + ((hu * 200) * US_DAY).astype(np.int64), until_end - US_HOUR))
    oppdatert = np.maximum(oppdatert, opprettet)
    arena_nr = (opp_all < day(dt.date(2023, 6, 1))) & (np.array([ref.TILTAKSTYPER[c][1] is not None for c in range(N_CODES)])[code_all])
    years = (start_all.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970)
    lopenr = (all_keys % np.uint64(900000)).astype(np.int64) + 100000
    tiltaksnummer = [f"{y}#{n}" if a else None for y, n, a in zip(years.tolist(), lopenr.tolist(), arena_nr.tolist(), strict=True)]
    egen = EGEN_REGI[code_all]
    avtale_key = np.where((oppstart_all == 2) | egen, np.uint64(0), key("avtale", np.concatenate([line_a, np.zeros(len(er), np.int64)]), code_all))
    gid = uuids(all_keys, seed)
    tt = tt_ids.take(pa.array(code_all))
    gjennomforing = {
        "id": gid,
        "tiltakstype_id": tt,
        "avtale_id": pa.compute.if_else(pa.array(avtale_key == 0), pa.nulls(n_all, pa.large_string()), uuids(avtale_key, seed)),
        "tiltaksnummer": _strs(tiltaksnummer),
        "navn": _strs(navn_all),
        "start_dato": dates(start_all),
        "slutt_dato": dates(slutt_all),
        "status": categorical(status_all, ["GJENNOMFORES", "AVSLUTTET", "AVLYST", "AVBRUTT"]),
        "oppstart": categorical(oppstart_all, ["LOPENDE", "FELLES", "ENKELTPLASS"]),
        "antall_plasser": pa.array(plasser_all, mask=plasser_all == NULL, type=pa.int64()),
        "opprettet_tidspunkt": stamps(opprettet),
        "oppdatert_tidspunkt": stamps(oppdatert),
        "avsluttet_tidspunkt": stamps(avsluttet),
    }
    # enheter: fylke + LOKAL offices of the line; enkeltplass: fylke + the deltaker's office
    g_idx, enh = [], []
    line_offices = [np.array(o) for o in lines.offices]
    lens = np.array([len(o) for o in lines.offices])
    rep = np.repeat(np.arange(n_lines_rows), lens[line_a])
    flat = np.concatenate([line_offices[lo] for lo in line_a.tolist()]) if n_lines_rows else np.empty(0, np.int64)
    g_idx.append(rep)
    enh.append(flat)
    fy = np.array(lines.fylke)[line_a]
    g_idx.append(np.arange(n_lines_rows))
    enh.append(-1 - fy)  # negative: fylke index
    e_off = d["office"][er]
    g_idx.append(n_lines_rows + np.arange(len(er)))
    enh.append(e_off)
    g_idx.append(n_lines_rows + np.arange(len(er)))
    enh.append(-1 - units.fylke_of[e_off])
    g_idx = np.concatenate(g_idx)
    enh = np.concatenate(enh)
    order = np.lexsort((enh, g_idx))
    g_idx, enh = g_idx[order], enh[order]
    labels = units.nr[: units.n_lokal] + units.fylke_nr
    lab = np.where(enh >= 0, enh, units.n_lokal + (-1 - enh))
    enheter = {"gjennomforing_id": gid.take(pa.array(g_idx)), "enhetsnummer": categorical(lab, labels)}
    used_units = set(np.unique(enh[enh >= 0]).tolist())
    return {"gjennomforing": gjennomforing, "enheter": enheter, "units": used_units}


def _avtaler(seed, units, people, dl, until_d, until_end):
    """Arbeidsgiver avtaler as versioned events (tiltak-dvh-melding)."""
    sel = np.flatnonzero(dl["kind"] == KIND_AG)
    d = {k: v[sel] for k, v in dl.items()}
    n = len(sel)
    ak = key("avtale", people.key[d["person"]], d["k"])
    u = lambda salt: hash_u(ak, salt)  # noqa: E731
    req, start, end, outcome = d["req"], d["start"], d["end"], d["outcome"]
    took = (outcome == O_DONE) | (outcome == O_EARLY)
    annullert = ~took
    # planned end: shorter at first and extended (FORLENGET) for some, or shortened (FORKORTET)
    forlenget = took & (outcome == O_DONE) & (u("forl") < 0.2) & (end - start > 60)
    planned = np.where(forlenget, start + ((end - start) * (0.5 + 0.3 * u("forlp"))).astype(np.int64), d["planned_end"])
    planned = np.where(outcome == O_EARLY, np.maximum(d["planned_end"], end + 30), planned)
    # events in order (day of each; -1 = absent)
    ev_names = ["OPPRETTET", "GODKJENT_AV_ARBEIDSGIVER", "GODKJENT_AV_DELTAKER", "AVTALE_INNGÅTT", "STATUSENDRING",
                "AVTALE_FORLENGET", "AVTALE_FORKORTET", "ANNULLERT"]
    ev_col_type = np.array([0, 1, 2, 3, 4, 5, 6, 4, 7])  # column -> hendelse type
    ne = len(ev_col_type)
    pres = np.zeros((n, ne), dtype=bool)
    eday = np.zeros((n, ne), dtype=np.int64)
    est = np.zeros((n, ne), dtype=np.int64)  # index into ref.AVTALE_STATUS
    eslutt = np.zeros((n, ne), dtype=np.int64)
    t_opp = req
    t_ag = req + 1 + (u("ag") * 9).astype(np.int64)
    t_dl = t_ag + (u("dl") * 4).astype(np.int64)
    t_inng = np.minimum(t_dl + 1 + (u("inng") * 6).astype(np.int64), np.maximum(start, t_dl))
    pres[:, 0] = True
    eday[:, 0], est[:, 0] = t_opp, 0
    pres[:, 1] = u("pag") < 0.85
    eday[:, 1], est[:, 1] = t_ag, 1
    pres[:, 2] = u("pdl") < 0.5
    eday[:, 2], est[:, 2] = t_dl, 1
    pres[:, 3] = took
    eday[:, 3] = t_inng
    est[:, 3] = np.where(start > t_inng, 2, 3)
    pres[:, 4] = took & (start > t_inng)
    eday[:, 4], est[:, 4] = start, 3
    pres[:, 5] = forlenget
    eday[:, 5] = np.maximum(start + (planned - start) * 3 // 4, start + 1)
    est[:, 5] = 3
    pres[:, 6] = took & (outcome == O_EARLY)
    eday[:, 6] = np.maximum(end - (u("fk") * 5).astype(np.int64), start + 1)
    est[:, 6] = 3
    pres[:, 7] = took
    eday[:, 7], est[:, 7] = end + 1, 4
    pres[:, 8] = annullert
    eday[:, 8] = np.maximum(t_dl + 1 + (u("ann") * 20).astype(np.int64), t_opp + 1)
    est[:, 8] = 5
    # slutt_dato as the avtale said at each version
    eslutt[:, :5] = planned[:, None]
    eslutt[:, 5] = end
    eslutt[:, 6] = end
    eslutt[:, 7] = np.where(forlenget | (outcome == O_EARLY), end, planned)
    eslutt[:, 8] = planned
    eslutt[:, 7] = end
    ts = np.zeros((n, ne), dtype=np.int64)
    last = np.full(n, NULL)
    for c in range(ne):
        t = stamp_at(eday[:, c], u(f"t{c}"), u(f"n{c}"), NIGHT_RATE)
        t = np.where(last != NULL, np.maximum(t, last + US_MIN), t)
        ts[:, c] = t
        last = np.where(pres[:, c], t, last)
    keep_avtale = ~((end < KEEP_FROM) & (req < KEEP_FROM))
    vis = pres & (ts < until_end) & keep_avtale[:, None]
    versjon = np.cumsum(vis, axis=1)
    ri, ci = np.nonzero(vis)
    pidx = d["person"][ri]
    ev_day = eday[ri, ci]
    opp_office = people.kontor_at(ev_day, pidx)
    geo = people.lokal_at(ev_day, pidx)
    geo = np.where(hash_u(ak[ri], "geo") < 0.08, people.home[pidx], geo)
    unit_labels = units.nr
    hendelse = {
        "hendelse_id": uuids(key("hendelse", ak[ri], ci), seed),
        "avtale_id": uuids(ak[ri], seed),
        "tidspunkt": stamps(ts[ri, ci]),
        "hendelse_type": categorical(ev_col_type[ci], ev_names),
        "versjon": pa.array(versjon[ri, ci], type=pa.int64()),
        "person_id": person_ids(people.key[pidx], seed),
        "tiltakstype": categorical(d["code"][ri], ref.CODES),
        "avtale_status": categorical(est[ri, ci], ref.AVTALE_STATUS),
        "start_dato": dates(start[ri]),
        "slutt_dato": dates(eslutt[ri, ci]),
        "enhet_oppfolging": categorical(opp_office, unit_labels, mask=hash_u(ak[ri], "noopp") < 0.01),
        "enhet_geografisk": categorical(geo, unit_labels),
    }
    return {"hendelse": hendelse, "person_idx": np.unique(pidx), "_units": set(np.unique(np.concatenate([opp_office, geo])).tolist())}


def _person_tables(seed, units, people, kept, dl, until_d, until_end):
    """vedtak_14a, oppfolgingsperiode, oppfolgingskontor_historikk, veileder_tilordning."""
    st = people.st
    p = np.flatnonzero(kept)
    pk = people.key[p]
    u = lambda salt: hash_u(pk, salt)  # noqa: E731
    pid = person_ids(pk, seed)
    out: dict = {}
    used_units: set[int] = set()
    # oppfølgingsperiode: from t0 to a while after the last deltakelse; some had an earlier one
    t0 = people.t0[p]
    t_end = people.last_end[p] + np.clip(120 * np.exp(0.8 * st.z("pend")[p]), 7, 1500).astype(np.int64)
    t_end = np.where(u("longperiod") < 0.15, t_end + 700, t_end)
    start_ts = stamp_at(t0, u("p0t"), u("p0n"), NIGHT_RATE)
    end_ts = stamp_at(t_end, u("p1t"), u("p1n"), NIGHT_RATE)
    end_ts = np.where(end_ts < until_end, end_ts, NULL)
    earlier = u("earlier") < 0.10
    e_start = t0 - 400 - (u("es") * 1500).astype(np.int64)
    e_end = np.minimum(e_start + 90 + (u("ee") * 450).astype(np.int64), t0 - 30)
    per_person = np.concatenate([np.flatnonzero(earlier), np.arange(len(p))])
    per_start = np.concatenate([stamp_at(e_start[earlier], u("e0")[earlier], u("e1")[earlier], 0), start_ts])
    per_end = np.concatenate([stamp_at(e_end[earlier], u("e2")[earlier], u("e3")[earlier], 0), end_ts])
    o = np.lexsort((per_start, per_person))
    out["oppfolgingsperiode"] = {
        "person_id": pid.take(pa.array(per_person[o])),
        "startdato": stamps(per_start[o]),
        "sluttdato": stamps(per_end[o]),
    }
    # vedtak: (person, day, class or -1 for IVURD/BKART)
    v_p = [np.arange(len(p))]
    v_day = [people.tv1[p]]
    v_cls = [people.class1[p]]
    uk = people.ukjent_first[p]
    v_p.append(np.flatnonzero(uk))
    v_day.append(people.t_ukjent[p][uk])
    v_cls.append(np.full(uk.sum(), -1))
    has2 = people.tv2[p] != NULL
    v_p.append(np.flatnonzero(has2))
    v_day.append(people.tv2[p][has2])
    v_cls.append(people.class2[p][has2])
    v_p, v_day, v_cls = (np.concatenate(x) for x in (v_p, v_day, v_cls))
    vk = key("vedtak", pk[v_p], v_day)
    vu = lambda salt: hash_u(vk, salt)  # noqa: E731
    v_ts = stamp_at(v_day, vu("t"), vu("n"), NIGHT_RATE)
    ok = v_ts < until_end
    v_p, v_day, v_cls, vk, v_ts = v_p[ok], v_day[ok], v_cls[ok], vk[ok], v_ts[ok]
    labels = ref.INNSATS_NEW + ref.INNSATS_OLD + ["IKVAL", "BFORM", "BATT", "VARIG"] + ref.INNSATS_NONE
    arena_idx = np.array([10, 11, 12, 13, 13])
    era_arena = (v_day < day(ref.ERA_OLD_NAMES)) & (vu("arena") < 0.85)
    era_new = v_day >= day(ref.ERA_NEW_NAMES)
    code = np.where(era_new, v_cls, np.where(era_arena, arena_idx[np.maximum(v_cls, 0)], 5 + v_cls))
    code = np.where(v_cls < 0, 14 + (vu("none") < 0.5), code)
    uh = vu("hovedmal")
    hm = np.select([uh < 0.7, uh < 0.85], [0, 1], 2)
    hm_labels = ref.HOVEDMAL_NEW + ref.HOVEDMAL_ARENA
    hm = np.where(era_arena, hm + 3, hm)
    hm = np.where((v_cls < 0) | (vu("nohm") < 0.03), -1, hm)
    ansvarlig = people.kontor_at(v_day, p[v_p])
    o = np.lexsort((v_ts, v_p))
    out["vedtak_14a"] = {
        "vedtak_id": uuids(vk[o], seed),
        "person_id": pid.take(pa.array(v_p[o])),
        "innsatsgruppe": categorical(code[o], labels),
        "hovedmal": categorical(hm[o], hm_labels),
        "fattet_tidspunkt": stamps(v_ts[o]),
        "ansvarlig_enhet": categorical(ansvarlig[o], units.nr),
    }
    used_units.update(np.unique(ansvarlig).tolist())
    # kontor history
    k_p = [np.arange(len(p))]
    k_day = [t0]
    k_off = [people.home[p]]
    k_typ = [np.where(t0 < day(dt.date(2025, 1, 1)), 0, 1)]
    for t_arr, dest, typ in (
        (people.t_move[p], people.move_to[p], np.where(u("mv") < 0.6, 2, 3)),
        (people.t_noe[p], np.full(len(p), people.noe), np.full(len(p), 4)),
        (people.t_back[p], people.home[p], np.full(len(p), 1)),
    ):
        m = t_arr != NULL
        k_p.append(np.flatnonzero(m))
        k_day.append(t_arr[m])
        k_off.append(dest[m])
        k_typ.append(typ[m])
    k_p, k_day, k_off, k_typ = (np.concatenate(x) for x in (k_p, k_day, k_off, k_typ))
    kk = key("kontor", pk[k_p], k_day)
    k_ts = stamp_at(k_day, hash_u(kk, "t"), hash_u(kk, "n"), NIGHT_RATE)
    ok = k_ts < until_end
    k_p, k_off, k_typ, k_ts = k_p[ok], k_off[ok], k_typ[ok], k_ts[ok]
    o = np.lexsort((k_ts, k_p))
    out["oppfolgingskontor_historikk"] = {
        "person_id": pid.take(pa.array(k_p[o])),
        "kontor_id": categorical(k_off[o], units.nr),
        "endret_tidspunkt": stamps(k_ts[o]),
        "endringstype": categorical(k_typ[o], ["ArenaKontorVedOppfolgingsStart", "AutomatiskNorgRuting", "FlyttetAvVeileder", "EndretBostedsadresse", "AutomatiskRutetTilNOE"]),
    }
    used_units.update(np.unique(k_off).tolist())
    # veileder tilordninger: at start, at office changes, now and then, and when a veileder leaves
    a_p = [np.arange(len(p))]
    a_day = [t0 + (u("a0") * 14).astype(np.int64)]
    for t_arr in (people.t_move[p], people.t_noe[p], people.t_back[p]):
        m = t_arr != NULL
        a_p.append(np.flatnonzero(m))
        a_day.append(t_arr[m] + (u("ad") * 7).astype(np.int64)[m])
    span_days = np.maximum(np.minimum(t_end, until_d + 3650) - t0, 1)
    n_re = np.minimum(np.floor(span_days / 365 * 0.5 + u("nre")).astype(np.int64), 4)
    for j in range(4):
        m = n_re > j
        a_p.append(np.flatnonzero(m))
        a_day.append((t0 + (hash_u(pk, f"re{j}") * span_days).astype(np.int64))[m])
    a_p, a_day = (np.concatenate(x) for x in (a_p, a_day))
    ak = key("tilordning", pk[a_p], a_day)
    off = people.kontor_at(a_day, p[a_p])
    slot = units.slot_start[off] + np.minimum((hash_u(ak, "slot") * units.slots[off]).astype(np.int64), units.slots[off] - 1)
    # when the slot's veileder leaves before the next assignment, the portfolio is handed over
    o = np.lexsort((a_day, a_p))
    a_p, a_day, slot, ak = a_p[o], a_day[o], slot[o], ak[o]
    next_day = np.where(np.r_[a_p[1:] == a_p[:-1], False], np.r_[a_day[1:], 0], np.iinfo(np.int64).max // 4)
    hc = units.holder_change[slot]
    later = np.where(hc > a_day[:, None], hc, np.iinfo(np.int64).max // 4).min(axis=1)
    handover = (later < next_day) & (later < t_end[a_p])
    h_day = later[handover] + 1 + (hash_u(ak[handover], "ho") * 10).astype(np.int64)
    a_p = np.concatenate([a_p, a_p[handover]])
    slot = np.concatenate([slot, slot[handover]])
    a_day = np.concatenate([a_day, h_day])
    ak = np.concatenate([ak, key("handover", ak[handover])])
    a_ts = stamp_at(a_day, hash_u(ak, "t"), hash_u(ak, "n"), NIGHT_RATE)
    ok = a_ts < until_end
    a_p, a_day, slot, a_ts = a_p[ok], a_day[ok], slot[ok], a_ts[ok]
    ident = units.holder(slot, a_day)
    # insert-only log: tilordning_seq is a global sequence in time order
    o = np.lexsort((pk[a_p], a_ts))
    seq = np.empty(len(o), dtype=np.int64)
    seq[o] = np.arange(1, len(o) + 1)
    o2 = np.lexsort((a_ts, a_p))
    uniq, inv = np.unique(ident[o2], return_inverse=True)
    out["veileder_tilordning"] = {
        "person_id": pid.take(pa.array(a_p[o2])),
        "veileder_ident": pa.DictionaryArray.from_arrays(pa.array(inv.astype(np.int32)), pa.array([units.idents[i] for i in uniq.tolist()])),
        "tilordnet_tidspunkt": stamps(a_ts[o2]),
        "tilordning_seq": pa.array(seq[o2], type=pa.int64()),
    }
    out["_units"] = used_units
    return out


def _veiledergrupper(seed, units, sc, until_d):
    """Daily veiledergruppe snapshots (one row per member per day) and the avdeling map."""
    first = day(DATA_START)
    n_days = until_d - first + 1
    order = np.argsort(-units.pop[: units.n_lokal], kind="stable")
    chosen = [units.index[ref.BAERUM]] + [int(i) for i in order if units.nr[i] != ref.BAERUM]
    chosen = chosen[: sc["group_offices"]]
    horizon = day(HORIZON)
    iv_gid, iv_ident, iv_from, iv_to = [], [], [], []  # membership intervals [from, to)
    nm_gid, nm_name, nm_from, nm_to = [], [], [], []  # group name periods [from, to)
    avd_rows: list[tuple[str, str, str]] = []
    next_id = 1000 + int(rng(seed, "gruppe_id").integers(0, 5000))
    for rank, oi in enumerate(chosen):
        r = rng(seed, "grupper", units.nr[oi])
        is_baerum = units.nr[oi] == ref.BAERUM
        n_slots = int(units.slots[oi])
        if is_baerum:
            base = list(ref.BAERUM_GROUPS)
        else:
            base = [ref.GENERIC_GROUPS[i] for i in r.permutation(len(ref.GENERIC_GROUPS))]
            base = base[: int(np.clip(round(n_slots / 8), 5, 15))]
        mapped = is_baerum or rank % 3 == 1
        groups = []  # dict(id, name periods, start, end)
        t_begin = day(dt.date(2021, 6, 1))
        for name, avd in base:
            gid = str(next_id)
            next_id += 1
            groups.append({"id": gid, "start": t_begin, "end": horizon, "names": [(name, t_begin)], "avd": avd})
        # removals (with a replacement group), and renames
        for g in list(groups):
            x = r.random()
            if x < 0.15:
                t = first + int(r.integers(60, max(61, day(dt.date(2026, 6, 1)) - first)))
                g["end"] = t
                gid = str(next_id)
                next_id += 1
                new_name = g["names"][0][0] + (" ny" if r.random() < 0.5 else " (omorganisert)")
                groups.append({"id": gid, "start": t, "end": horizon, "names": [(new_name, t)], "avd": g["avd"]})
            elif x < 0.40:
                t = first + int(r.integers(60, max(61, day(dt.date(2026, 6, 1)) - first)))
                old = g["names"][0][0]
                new = ("Team " + old) if r.random() < 0.5 else (old + " " + ["Sentrum", "Nord", "Sør", "Øst", "Vest"][int(r.integers(5))])
                g["names"].append((new, t))
        if is_baerum:
            # a known story for Bærum: "Ung 18-24 B" became "Ung Sandvika" in August 2024
            for g in groups:
                if g["names"][0][0] == "Ung 18-24 B" and g["end"] == horizon:
                    g["names"] = [("Ung 18-24 B", g["start"]), ("Ung Sandvika", day(dt.date(2024, 8, 19)))]
        for g in groups:
            for i, (nm, t) in enumerate(g["names"]):
                t_next = g["names"][i + 1][1] if i + 1 < len(g["names"]) else g["end"]
                nm_gid.append(g["id"])
                nm_name.append(nm)
                nm_from.append(t)
                nm_to.append(t_next)
            if mapped:
                avd_rows.append((units.nr[oi], g["id"], g["avd"]))

        def alive(t):
            return [g for g in groups if g["start"] <= t < g["end"]]

        for s in range(n_slots):
            slot = int(units.slot_start[oi]) + s
            hc = units.holder_change[slot]
            for h in range(4):
                a = int(hc[h]) if h else -10**9
                b = int(hc[h + 1]) if h < 3 else horizon
                a, b = max(a, t_begin), min(b, horizon)
                if a >= b:
                    continue
                ident = slot * 4 + h
                if r.random() < 0.04:
                    continue  # not in any group (leader, specialist)
                cands = alive(a)
                g = cands[(s + h) % len(cands)] if r.random() < 0.7 else cands[int(r.integers(len(cands)))]
                t = a
                while t < b:
                    # stay until a move (about every 2.5 years) or the group ends
                    stay = int(r.exponential(2.5 * 365)) + 30
                    t_end = min(t + stay, g["end"], b)
                    iv_gid.append(g["id"])
                    iv_ident.append(ident)
                    iv_from.append(t)
                    iv_to.append(t_end)
                    if t_end >= b:
                        break
                    cands = [c for c in alive(t_end) if c is not g] or alive(t_end)
                    g = cands[int(r.integers(len(cands)))]
                    t = t_end
                if r.random() < 0.08:  # also in a second group for a while
                    t2 = a + int(r.integers(0, max(1, b - a)))
                    cands = alive(t2)
                    g2 = cands[int(r.integers(len(cands)))]
                    iv_gid.append(g2["id"])
                    iv_ident.append(ident)
                    iv_from.append(t2)
                    iv_to.append(min(t2 + 30 + int(r.integers(0, 240)), b, g2["end"]))
    # intersect memberships with name periods, clip to the snapshot window, expand to days
    gids = sorted(set(nm_gid))
    gi = {g: i for i, g in enumerate(gids)}
    office_of_gid = {}
    for enh, gid, _ in avd_rows:
        office_of_gid[gid] = enh
    iv_g = np.array([gi[g] for g in iv_gid], dtype=np.int64)
    iv_i = np.array(iv_ident, dtype=np.int64)
    iv_f = np.maximum(np.array(iv_from, dtype=np.int64), first)
    iv_t = np.minimum(np.array(iv_to, dtype=np.int64), until_d + 1)
    nm_g = np.array([gi[g] for g in nm_gid], dtype=np.int64)
    nm_f = np.array(nm_from, dtype=np.int64)
    nm_t = np.array(nm_to, dtype=np.int64)
    # pair each membership with the name periods of its group
    by_group = {}
    for j, g in enumerate(nm_g.tolist()):
        by_group.setdefault(g, []).append(j)
    pi, pj = [], []
    for i, g in enumerate(iv_g.tolist()):
        for j in by_group[g]:
            pi.append(i)
            pj.append(j)
    pi = np.array(pi, dtype=np.int64)
    pj = np.array(pj, dtype=np.int64)
    f = np.maximum(iv_f[pi], nm_f[pj])
    t = np.minimum(iv_t[pi], nm_t[pj])
    ok = t > f
    pi, pj, f, t = pi[ok], pj[ok], f[ok], t[ok]
    lens = t - f
    total = int(lens.sum())
    rep = np.repeat(np.arange(len(lens)), lens)
    offs = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
    snap_day = f[rep] + offs
    # office of each group: from the slot index of its first member
    slot_office = np.repeat(np.arange(len(units.slots)), units.slots)
    g_office = np.full(len(gids), -1, dtype=np.int64)
    g_office[iv_g] = slot_office[iv_i // 4]
    names = sorted(set(nm_name))
    ni = {x: i for i, x in enumerate(names)}
    nm_code = np.array([ni[x] for x in nm_name], dtype=np.int64)
    ident_rows = iv_i[pi][rep]
    uniq, inv = np.unique(ident_rows, return_inverse=True)
    o = np.lexsort((ident_rows, iv_g[pi][rep], snap_day))
    snap = {
        "snapshot_dato": dates(snap_day[o]),
        "enhetsnummer": categorical(g_office[iv_g[pi]][rep][o], units.nr),
        "gruppe_id": categorical(iv_g[pi][rep][o], gids),
        "gruppe_navn": categorical(nm_code[pj][rep][o], names),
        "veileder_ident": pa.DictionaryArray.from_arrays(pa.array(inv[o].astype(np.int32)), pa.array([units.idents[i] for i in uniq.tolist()])),
    }
    # only groups that ever appear in a snapshot are mapped
    seen = set(np.unique(iv_g[pi]).tolist())
    avd = [(e, g, a) for e, g, a in avd_rows if gi[g] in seen]
    avd_tbl = {
        "enhetsnummer": _strs([x[0] for x in avd]),
        "gruppe_id": _strs([x[1] for x in avd]),
        "avdeling": _strs([x[2] for x in avd]),
    }
    return snap, avd_tbl
