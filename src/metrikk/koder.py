"""Every code list metrikk knows, with its Norwegian label where users see one: the one home.

Pipeline macros (`pipeline/macros/tiltak.py`, `pipeline/macros/kildeavvik.py`), the drift report
(`drift.py`), the generators (`generate/tiltak/…`) and the web app (`web/queries.py`) import them
from here; nothing here imports metrikk, so every layer may.

Sources: CONTRACT §2/§3, `research/tiltak.md` §1.5 (Valp tiltakskoder), §2.2 (Komet statuses),
§3.1 (innsatsgrupper) and §6 (Team Tiltak's arbeidsgiver tiltakstyper), the avtale status enum
(Team Tiltak `Status.java`), and `research/etterlevelse-behandlingskatalog.md` §1.2, §1.3, §1.5.
"""

from __future__ import annotations

# ---------------------------------------------------------------- tiltakskoder and kategorier

# Tiltak run by Nav itself (Arena-mastered "egen regi").
EGEN_REGI = ("INDIVIDUELL_JOBBSTOTTE", "INDIVIDUELL_JOBBSTOTTE_UNG", "ARBEID_MED_STOTTE")
# Valp's TiltakskoderEnkeltplasser.
ENKELTPLASS = (
    "ENKELTPLASS_ARBEIDSMARKEDSOPPLAERING",
    "ENKELTPLASS_FAG_OG_YRKESOPPLAERING",
    "HOYERE_UTDANNING",
    "HOYERE_YRKESFAGLIG_UTDANNING",
)
# Arbeidsgiver tiltak: Team Tiltak's enum and Valp's (misspelt) codes for the same tiltak, with
# the names Team Tiltak gives them (used when Valp has no tiltakstype row for the code).
ARBEIDSGIVER_NAVN = {
    "ARBEIDSTRENING": "Arbeidstrening",
    "MIDLERTIDIG_LONNSTILSKUDD": "Midlertidig lønnstilskudd",
    "MIDLERTIDIG_LONNSTLSKUDD": "Midlertidig lønnstilskudd",
    "VARIG_LONNSTILSKUDD": "Varig lønnstilskudd",
    "VARIG_LONNSTILSKUD": "Varig lønnstilskudd",
    "MENTOR": "Mentor",
    "INKLUDERINGSTILSKUDD": "Inkluderingstilskudd",
    "INKLUDERINGSTILSKUD": "Inkluderingstilskudd",
    "SOMMERJOBB": "Sommerjobb",
    "VTAO": "Varig tilrettelagt arbeid i ordinær virksomhet",
    "FIREARIG_LONNSTILSKUDD": "Fireårig lønnstilskudd for unge",
    "FIREARIG_LONNSTILSUDD": "Fireårig lønnstilskudd for unge",
}
# tiltakskategori (the models' @tiltakskategori) -> the dashboard's label.
KATEGORI_NAVN: dict[str, str] = {
    "GRUPPE": "Gruppetiltak",
    "ENKELTPLASS": "Enkeltplass",
    "ARBEIDSGIVER": "Arbeidsgivertiltak",
    "EGEN_REGI": "Egen regi",
}

# ---------------------------------------------------------------- innsatsgrupper

# The five innsatsgrupper (index = class, most to least able to work): the new (2025) codes and
# the old §14a codes of the same class.
INNSATSGRUPPE_NY = (
    "GODE_MULIGHETER",
    "TRENGER_VEILEDNING",
    "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE",
    "JOBBE_DELVIS",
    "LITEN_MULIGHET_TIL_A_JOBBE",
)
INNSATSGRUPPE_GAMMEL = (
    "STANDARD_INNSATS",
    "SITUASJONSBESTEMT_INNSATS",
    "SPESIELT_TILPASSET_INNSATS",
    "GRADERT_VARIG_TILPASSET_INNSATS",
    "VARIG_TILPASSET_INNSATS",
)
# Every accepted innsatsgruppe code (new, old §14a, Arena) -> the new code. Anything else: UKJENT.
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
# Arena kvalifiseringsgruppe codes that are an innsatsgruppe (the last four keys above).
INNSATSGRUPPE_ARENA = tuple(
    k for k in INNSATSGRUPPE if k not in INNSATSGRUPPE_NY and k not in INNSATSGRUPPE_GAMMEL
)
# Codes that map to an innsatsgruppe, and Arena codes that are known *not* to be one (UKJENT by
# the contract, but expected, so not drift). Anything else is new and reported.
INNSATSGRUPPE_MAPPED = tuple(INNSATSGRUPPE)
INNSATSGRUPPE_NONE = ("BKART", "IVURD", "KAP11", "OPPFI", "VURDI", "VURDU")
# The new code (and UKJENT) -> the dashboard's label.
INNSATSGRUPPE_NAVN: dict[str, str] = {
    "GODE_MULIGHETER": "Gode muligheter",
    "TRENGER_VEILEDNING": "Trenger veiledning",
    "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE": "Trenger veiledning, nedsatt arbeidsevne",
    "JOBBE_DELVIS": "Jobbe delvis",
    "LITEN_MULIGHET_TIL_A_JOBBE": "Liten mulighet til å jobbe",
    "UKJENT": "Ukjent innsatsgruppe",
}

# ---------------------------------------------------------------- statuses (tiltak_bronze)

DELTAKER_STATUS = (
    "KLADD",
    "UTKAST_TIL_PAMELDING",
    "AVBRUTT_UTKAST",
    "VENTER_PA_OPPSTART",
    "DELTAR",
    "HAR_SLUTTET",
    "IKKE_AKTUELL",
    "FEILREGISTRERT",
    "SOKT_INN",
    "VURDERES",
    "VENTELISTE",
    "AVBRUTT",
    "FULLFORT",
    "PABEGYNT_REGISTRERING",
)
GJENNOMFORING_STATUS = ("GJENNOMFORES", "AVSLUTTET", "AVBRUTT", "AVLYST")
GJENNOMFORING_OPPSTART = ("LOPENDE", "FELLES", "ENKELTPLASS")
AVTALE_STATUS = (
    "PÅBEGYNT",
    "MANGLER_GODKJENNING",
    "KLAR_FOR_OPPSTART",
    "GJENNOMFØRES",
    "AVSLUTTET",
    "AVBRUTT",
    "ANNULLERT",
    "GJENNOMFORES",  # the ASCII spelling, accepted by tiltak_silver.deltakelse
)

TILTAK_VALUES: dict[str, tuple[str, ...]] = {
    "deltaker_status.status": DELTAKER_STATUS,
    "gjennomforing.status": GJENNOMFORING_STATUS,
    "gjennomforing.oppstart": GJENNOMFORING_OPPSTART,
    "vedtak_14a.innsatsgruppe": INNSATSGRUPPE_MAPPED + INNSATSGRUPPE_NONE,
    "arbeidsgiver_avtale_hendelse.avtale_status": AVTALE_STATUS,
}

# ---------------------------------------------------------------- audit logs (landing_zone)
# What the drift models (`metrikk.drift`, `pipeline/macros/kildeavvik.py`) compare against.

ACTIONS = ("CREATE", "UPDATE", "DELETE")

# Change-stamp fields at the JSON root of every audited row (§1.1, §1.5).
_STAMP = ("createdBy", "createdDate", "lastModifiedBy", "lastModifiedDate")
_GS_ENVELOPE = ("id", "type", "data", *_STAMP, "version")

# Etterlevelse: table_name spellings (§1.2, compared exactly) -> known root keys (§1.3).
# An empty tuple: the name is known but the note lists no key set, so its keys are not checked.
ETTERLEVELSE_TABLES: dict[str, tuple[str, ...]] = {
    **{
        name: _GS_ENVELOPE
        for name in (
            "Etterlevelse",
            "EtterlevelseDokumentasjon",
            "Krav",
            "Tilbakemelding",
            "EtterlevelseMetadata",
            "BehandlingData",
            "KravPrioritering",
            "Melding",
            "KravPriorityList",
            "EtterlevelseArkiv",
            "Virkemiddel",
        )
    },
    "ETTERLEVELSE": (
        "id",
        "behandlingId",
        "etterlevelseDokumentasjonId",
        "kravNummer",
        "kravVersjon",
        "etterlevelseData",
        *_STAMP,
        "version",
    ),
    "ETTERLEVELSE_DOKUMENTASJON": ("id", "etterlevelseDokumentasjonData", *_STAMP, "version"),
    "KRAV": ("id", "kravNummer", "kravVersjon", "data", *_STAMP, "version"),
    "TILBAKEMELDING": ("id", "kravNummer", "kravVersjon", "data", *_STAMP, "version"),
    "ETTERLEVELSE_METADATA": (
        "id",
        "kravNummer",
        "kravVersjon",
        "etterlevelseDokumentasjonId",
        "data",
        *_STAMP,
        "version",
    ),
    "DOCUMENT_RELATION": (
        "id",
        "relationType",
        "fromDocument",
        "toDocument",
        "data",
        *_STAMP,
        "version",
    ),
    "PVK_DOKUMENT": (
        "id",
        "etterlevelseDokumentId",
        "status",
        "pvkDokumentData",
        *_STAMP,
        "version",
    ),
    "RISIKOSCENARIO": ("id", "pvkDokumentId", "risikoscenarioData", *_STAMP, "version"),
    "TILTAK": ("id", "pvkDokumentId", "tiltakData", *_STAMP, "version"),
    "CODELIST": ("list", "code", "shortName", "description", "data", *_STAMP, "version"),
    "PVO_TILBAKEMELDING": (),
    "BEHANDLINGENS_LIVSLOP": (),
    "BEHANDLINGENS_ART_OG_OMFANG": (),
    "P360_ARCHIVE_DOCUMENT": (),
}

# Behandlingskatalogen (polly): table_name (§1.5, UPPER_SNAKE) -> known root keys.
POLLY_TABLES: dict[str, tuple[str, ...]] = {
    "PROCESS": (
        "id",
        "data",
        "policies",
        "name",
        "purposeCode",
        *_STAMP,
    ),  # name/purposeCode: before 2020-11-24
    "POLICY": (
        "id",
        "data",
        "informationType",
        "informationTypeId",
        "informationTypeName",
        "process",
        *_STAMP,
        # before 2020-01-21 (PM:V1.20) a policy had no data column: its fields sat at the root
        "purposeCode",
        "legalBases",
        "legalBasesInherited",
        "subjectCategory",
        "subjectCategories",
        "start",
        "end",
    ),
    "INFORMATION_TYPE": ("id", "data", "termId", "policies", *_STAMP),
    "PROCESSOR": ("id", "data", *_STAMP),
    "CODELIST": ("list", "code", "shortName", "description", *_STAMP),
    "DOCUMENT": (),
    "DISCLOSURE": (),
    "DP_PROCESS": (),
    "GENERIC_STORAGE": (),
}

# Which list the models compare against, by name (used by the macros in macros/kildeavvik.py).
VALUE_LISTS: dict[str, tuple[str, ...]] = {
    **TILTAK_VALUES,
    "action": ACTIONS,
    "etterlevelse.table_name": tuple(ETTERLEVELSE_TABLES),
    "behandlingskatalogen.table_name": tuple(POLLY_TABLES),
}
KEY_LISTS: dict[str, dict[str, tuple[str, ...]]] = {
    "etterlevelse": ETTERLEVELSE_TABLES,
    "behandlingskatalogen": POLLY_TABLES,
}
