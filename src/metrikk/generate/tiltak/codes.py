"""Tiltak codes and what the generator knows about each: kind, duration, course schedule,
first day in use, when Komet took over; deltaker statuses, aarsaker and outcomes.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from metrikk.generate.tiltak import reference as ref
from metrikk.generate.tiltak.util import day

C = ref.CODE_INDEX
N_CODES = len(ref.CODES)
KIND_LOP, KIND_KURS, KIND_ENK, KIND_AG = 0, 1, 2, 3
CODE_KIND = np.array(
    [
        {
            "GRUPPE": KIND_LOP,
            "EGEN_REGI": KIND_LOP,
            "ENKELTPLASS": KIND_ENK,
            "ARBEIDSGIVER": KIND_AG,
        }[t[3]]
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

# Waiting (days) from the request to the start of a løpende or enkeltplass deltakelse: median,
# lognormal sigma, max. The research note has no waiting times per tiltakstype (Team Effekt's
# `vent_person_periode_v` is undocumented; Valp keeps only an estimate per gjennomføring,
# `estimert_ventetid_verdi/enhet`), so these are assumptions (docs/generate-tiltak.md): quick
# starts for avklaring, oppfølging and egen regi; queues for AFT, ARR and, longest, VTA;
# education waits for a place or a semester. Courses (FELLES) wait for their next instance
# instead (KURS below); arbeidsgiver tiltak (finding an employer) keep the default.
_WAIT = {
    "OPPFOLGING": (14, 0.7, 120),
    "AVKLARING": (10, 0.6, 60),
    "ARBEIDSFORBEREDENDE_TRENING": (35, 0.8, 365),
    "ARBEIDSRETTET_REHABILITERING": (28, 0.7, 180),
    "VARIG_TILRETTELAGT_ARBEID_SKJERMET": (90, 0.9, 720),
    "TILRETTELAGT_ARBEID_ORDINAER": (60, 0.8, 365),
    "INDIVIDUELL_JOBBSTOTTE": (10, 0.6, 90),
    "INDIVIDUELL_JOBBSTOTTE_UNG": (10, 0.6, 90),
    "ARBEID_MED_STOTTE": (21, 0.7, 180),
    "ENKELTPLASS_ARBEIDSMARKEDSOPPLAERING": (30, 0.6, 180),
    "ENKELTPLASS_FAG_OG_YRKESOPPLAERING": (45, 0.7, 240),
    "HOYERE_UTDANNING": (45, 0.7, 240),
    "HOYERE_YRKESFAGLIG_UTDANNING": (45, 0.7, 240),
}
WAIT = np.array([_WAIT.get(c, (10, 0.8, 90)) for c in ref.CODES], dtype=np.float64)
# A course applicant who is put on the waiting list (VENTELISTE: the instance is full) starts
# on a later instance.
KURS_FULL = 0.25

# Courses (FELLES): weeks between starts, course length range (days), lead time (days).
KURS = {
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
KOMET_FROM = {
    KIND_LOP: day(dt.date(2023, 12, 4)),
    KIND_KURS: day(dt.date(2025, 3, 3)),
    KIND_ENK: day(dt.date(2025, 10, 1)),
}

STATUSES = [
    "UTKAST_TIL_PAMELDING",
    "SOKT_INN",
    "VURDERES",
    "VENTELISTE",
    "VENTER_PA_OPPSTART",
    "DELTAR",
    "HAR_SLUTTET",
    "FULLFORT",
    "AVBRUTT",
    "IKKE_AKTUELL",
    "FEILREGISTRERT",
    "AVBRUTT_UTKAST",
]
S = {s: i for i, s in enumerate(STATUSES)}
AARSAKER = [
    "FATT_JOBB",
    "SYK",
    "TRENGER_ANNEN_STOTTE",
    "IKKE_MOTT",
    "ANNET",
    "FIKK_IKKE_PLASS",
    "KURS_FULLT",
    "UTDANNING",
]
A = {a: i for i, a in enumerate(AARSAKER)}

# Outcomes of a deltakelse.
O_DONE, O_EARLY, O_IKKE_AKTUELL, O_FEILREG, O_AVBRUTT_UTKAST, O_IKKE_MOTT_RETRO = range(6)


def resolve_concepts(concept: np.ndarray, d: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Concept (what the veileder wants) + date -> the tiltakskode in use on that date."""
    names = ref.CONCEPTS
    simple = {
        "OPPFOLGING": "OPPFOLGING",
        "AVKLARING": "AVKLARING",
        "AFT": "ARBEIDSFORBEREDENDE_TRENING",
        "ARR": "ARBEIDSRETTET_REHABILITERING",
        "VTA": "VARIG_TILRETTELAGT_ARBEID_SKJERMET",
        "JOBBKLUBB": "JOBBKLUBB",
        "DIGITALT": "DIGITALT_OPPFOLGINGSTILTAK",
        "AMO": "GRUPPE_ARBEIDSMARKEDSOPPLAERING",
        "FAG": "GRUPPE_FAG_OG_YRKESOPPLAERING",
        "ENK_AMO": "ENKELTPLASS_ARBEIDSMARKEDSOPPLAERING",
        "ENK_FAG": "ENKELTPLASS_FAG_OG_YRKESOPPLAERING",
        "IPS": "INDIVIDUELL_JOBBSTOTTE",
        "IPS_UNG": "INDIVIDUELL_JOBBSTOTTE_UNG",
        "AMS": "ARBEID_MED_STOTTE",
        "ARBTREN": "ARBEIDSTRENING",
        "MIDL": "MIDLERTIDIG_LONNSTILSKUDD",
        "VARIG_LTS": "VARIG_LONNSTILSKUDD",
        "MENTOR": "MENTOR",
        "INKL": "INKLUDERINGSTILSKUDD",
        "SOMMER": "SOMMERJOBB",
        "VTAO": "VTAO",
    }
    table = np.array([C[simple[n]] for n in names])
    code = table[concept]
    cn = {n: i for i, n in enumerate(names)}
    new_opp = d >= day(dt.date(2026, 1, 1))
    amo = (concept == cn["AMO"]) & new_opp
    code = np.where(
        amo,
        np.select(
            [u < 0.6, u < 0.9],
            [C["ARBEIDSMARKEDSOPPLAERING"], C["NORSKOPPLAERING_GRUNNLEGGENDE_FERDIGHETER_FOV"]],
            C["STUDIESPESIALISERING"],
        ),
        code,
    )
    code = np.where((concept == cn["FAG"]) & new_opp, C["FAG_OG_YRKESOPPLAERING"], code)
    enk = (concept == cn["ENK_FAG"]) & (d >= day(dt.date(2025, 10, 1)))
    code = np.where(enk & (u < 0.3), C["HOYERE_UTDANNING"], code)
    code = np.where(enk & (u >= 0.3) & (u < 0.45), C["HOYERE_YRKESFAGLIG_UTDANNING"], code)
    vta_new = (concept == cn["VTA"]) & (d >= day(dt.date(2026, 6, 1))) & (u < 0.15)
    code = np.where(vta_new, C["TILRETTELAGT_ARBEID_ORDINAER"], code)
    month = (d.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12) + 1
    code = np.where(
        (concept == cn["SOMMER"]) & ((month < 6) | (month > 8)), C["ARBEIDSTRENING"], code
    )
    fire = (concept == cn["MIDL"]) & (d >= day(dt.date(2025, 7, 1))) & (u < 0.1)
    return np.where(fire, C["FIREARIG_LONNSTILSKUDD"], code)
