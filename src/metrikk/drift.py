"""Source-shape drift: the one list of values and JSON keys metrikk knows, and the report of the rest.

The drift models (`tiltak_silver.kildeavvik`, `behandlinger_int.kildeavvik`) list every value in
a source column, and every JSON root key per `table_name`, that is not in the lists below, with
its count and first/last time; `behandlinger_int.referanseavvik` counts references to entities
the audit log never shows and unknown or deleted codes. `metrikk run` prints them as a warning
section «Kildeendringer» and exits 0: an unknown value is never silently mis-counted (it is counted by the rule the
contract gives for "anything else", e.g. an unknown deltaker status never counts as taking part),
and the warning tells a person the source has changed so the rule can be reviewed.

Sources of the lists: CONTRACT §2/§3, `research/tiltak.md` §2.2 (Komet statuses), the avtale
status enum (Team Tiltak `Status.java`), and `research/etterlevelse-behandlingskatalog.md`
§1.2, §1.3 and §1.5.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from datetime import datetime

from sqlglot import exp

# ---------------------------------------------------------------- tiltak (tiltak_bronze)

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
# Codes that map to an innsatsgruppe (must equal the keys of macros/tiltak.py INNSATSGRUPPE; a
# test checks it) and Arena codes that are known *not* to be an innsatsgruppe (UKJENT by the
# contract, but expected, so not drift). Anything else is new and reported.
INNSATSGRUPPE_MAPPED = (
    "GODE_MULIGHETER",
    "TRENGER_VEILEDNING",
    "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE",
    "JOBBE_DELVIS",
    "LITEN_MULIGHET_TIL_A_JOBBE",
    "STANDARD_INNSATS",
    "SITUASJONSBESTEMT_INNSATS",
    "SPESIELT_TILPASSET_INNSATS",
    "GRADERT_VARIG_TILPASSET_INNSATS",
    "VARIG_TILPASSET_INNSATS",
    "IKVAL",
    "BFORM",
    "BATT",
    "VARIG",
)
INNSATSGRUPPE_NONE = ("BKART", "IVURD", "KAP11", "OPPFI", "VURDI", "VURDU")
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

# The drift tables (unpublished: their schemas are not in metrikk.publish.PUBLISHED_SCHEMAS).
DRIFT_TABLES = {
    "tiltak": ("tiltak_silver", "kildeavvik"),
    "etterlevelse": ("behandlinger_int", "kildeavvik"),
}
# References to entities the log never shows and unknown or deleted codes (CONTRACT §6: counted
# and reported, never a reason to stop publishing), per domain.
REFERANSE_TABLES = {"etterlevelse": ("behandlinger_int", "referanseavvik")}


@dataclass(frozen=True)
class Avvik:
    kilde: str
    felt: str
    verdi: str
    antall: int
    forste: datetime | None
    siste: datetime | None


@dataclass(frozen=True)
class Referanseavvik:
    """Rows of a published table that point at something the source log never shows (or a code
    that is unknown or deleted): kept and published, counted here."""

    tabell: str
    felt: str
    avvik: str
    antall: int
    antall_verdier: int
    eksempel: str | None


_QUERIES = (
    (
        DRIFT_TABLES,
        ("kilde", "felt", "verdi", "antall", "forste_tidspunkt", "siste_tidspunkt"),
        3,
        Avvik,
    ),
    (
        REFERANSE_TABLES,
        ("tabell", "felt", "avvik", "antall", "antall_verdier", "eksempel"),
        3,
        Referanseavvik,
    ),
)


def drift_queries(domain: str = "all") -> list[tuple[str, str, t.Any, type]]:
    """(schema, table, query, row type) per drift table of `domain`: sqlglot expressions, so
    each engine adapter writes them in its own dialect and quoting (BigQuery: backticks)."""
    queries = []
    for tables, columns, order, kind in _QUERIES:
        for d, (schema, table) in tables.items():
            if domain not in ("all", d):
                continue
            query = (
                exp.select(*(exp.column(c, quoted=True) for c in columns))
                .from_(exp.table_(table, db=schema, quoted=True))
                .order_by(*(exp.column(c, quoted=True) for c in columns[:order]))
            )
            queries.append((schema, table, query, kind))
    return queries


def read_drift(adapter, domain: str = "all") -> list[Avvik | Referanseavvik]:
    """Every unknown value and every source reference problem of `domain`, read through a SQLMesh
    engine adapter (DuckDB locally, BigQuery in production); a table not built yet gives none."""
    rows: list[Avvik | Referanseavvik] = []
    for schema, table, query, kind in drift_queries(domain):
        if not adapter.table_exists(exp.table_(table, db=schema)):
            continue
        rows.extend(kind(*r) for r in adapter.fetchall(query))
    return rows


def format_drift(rows: list[Avvik | Referanseavvik]) -> list[str]:
    """Bokmål lines for the «Kildeendringer» warning, one per unknown value or reference problem."""

    def day(ts: datetime | None) -> str:
        return ts.date().isoformat() if ts else "–"

    def line(r: Avvik | Referanseavvik) -> str:
        if isinstance(r, Referanseavvik):
            eksempel = f", f.eks. «{r.eksempel}»" if r.eksempel is not None else ""
            return f"{r.tabell} {r.felt}: {r.antall} rader {r.avvik} ({r.antall_verdier} ulike verdier{eksempel})"
        return f"{r.kilde} {r.felt}: ukjent verdi «{r.verdi}» i {r.antall} rader ({day(r.forste)} – {day(r.siste)})"

    return [line(r) for r in rows]
