"""Shared parts of the etterlevelse generator: dates of the schema breaks, seeded randomness,
users, Norwegian filler text and the buffered writer of landing rows.

Every entity draws from its own `random.Random` seeded from (seed, kind, index), and every
timeline is drawn up to a fixed horizon before it is cut at `until`. A later `--until`
therefore reproduces the earlier days exactly (STYLE rule 9).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pyarrow as pa

from metrikk.catalog import landing_table
from metrikk.warehouse import write_landing

# Timelines are drawn up to this day (or `until`, if later) and then cut at `until`.
HORIZON = date(2026, 12, 31)


def d(y: int, m: int, day: int) -> datetime:
    return datetime(y, m, day)


# --- Støtte til etterlevelse (research §1.2, §1.4, §2) ---
E_AUDIT_START = d(2020, 11, 16)
SK_BEGRUNNELSER = d(2021, 6, 4)  # suksesskriterieBegrunnelser[] appears
SK_OPPFYLT = d(2021, 6, 9)  # boolean oppfylt
SK_IKKE_RELEVANT = d(2021, 11, 2)  # boolean ikkeRelevant
KRAV_UTKAST = d(2021, 11, 15)  # krav status UNDER_ARBEID renamed UTKAST (V1.10)
E_STATUS_IKKE_RELEVANT_FD = d(2022, 2, 14)  # IKKE_RELEVANT -> IKKE_RELEVANT_FERDIG_DOKUMENTERT
METADATA_START = d(2022, 3, 7)  # EtterlevelseMetadata (assumption: first seen spring 2022)
SK_UNDER_ARBEID = d(2022, 5, 2)  # boolean underArbeid
SK_STATUS_ENUM = d(2022, 6, 3)  # suksesskriterieStatus enum replaces the booleans
TILBAKEMELDING_STATUS = d(2023, 2, 6)  # tilbakemelding status becomes mandatory
DOC_TEAMS = d(2023, 3, 1)
DOC_BEHANDLER_PO = d(2023, 4, 17)
SK_IKKE_OPPFYLT = d(2023, 6, 8)
MIGRATION = datetime(2023, 7, 26, 5, 12, 41, 118000)  # V1.15-V1.19, prod ≈ Aug 2023
DOC_AVDELING = d(2024, 3, 4)
DOC_BESKRIVELSE = d(2024, 5, 2)
DOC_PRIORITERT = d(2024, 5, 21)
DOC_VARSLING = d(2024, 5, 31)
DOC_GJENBRUK = d(2024, 6, 5)
DOCUMENT_RELATION = d(2024, 6, 12)
RELATION_KOPI = (datetime(2024, 6, 19, 8), datetime(2024, 6, 19, 14))  # KOPI lived a few hours
SK_VEILEDNING = d(2024, 6, 12)
DOC_RESOURCES = d(2024, 6, 26)
DOC_VIRKEMIDDEL_REMOVED = d(2024, 6, 26)  # V1.22
DOC_RISIKOEIERE = d(2024, 8, 9)
ETTERLEVELSE_OWN_TABLE = d(2024, 9, 30)  # V1.24
PVK_START = d(2024, 10, 22)
RISIKOSCENARIO_START = d(2024, 11, 20)
KRAV_TAGGER_EMPTIED = d(2024, 12, 9)
PVK_NEW_STATUSES = d(2025, 1, 15)
TILTAK_START = d(2025, 1, 15)
DOK_OWN_TABLE = d(2025, 3, 24)  # V1.33
PVK_SENDT_TIL_PVO_DATO = d(2025, 4, 7)
PVK_TRENGER_GODKJENNING = d(2025, 4, 10)
KRAV_OWN_TABLE = d(2025, 4, 28)  # V1.38
PVK_PVO_UNDERARBEID = d(2025, 5, 12)
METADATA_OWN_TABLE = d(2025, 6, 6)  # V1.40
DOC_P360 = d(2025, 6, 10)
PVK_REVURDERING = d(2025, 6, 16)
DOC_NOM_AVDELING = d(2025, 6, 23)
PVK_AKTIV_REMOVED = d(2025, 10, 15)
PVK_MELDINGER_TIL_PVO = d(2025, 11, 17)  # V1.48
DOC_SEKSJONER = d(2025, 11, 25)
DOC_STATUS = d(2025, 12, 8)
PVK_VURDERING = d(2025, 12, 10)  # V1.51
DOC_VERSJON = d(2026, 1, 27)
DOC_DP_BEHANDLING = d(2026, 3, 10)
DOC_ARDOQ = d(2026, 4, 14)
DOC_ENHETER = d(2026, 5, 12)
SK_IKKE_PAABEGYNT = d(2026, 5, 12)

# --- Behandlingskatalogen / polly (research §1.5, §2.10-2.14) ---
P_AUDIT_START = d(2019, 12, 2)
P_TIME_FIX = datetime(
    2019, 12, 19, 10, 14, 7, 356000
)  # V1.13: DATE -> TIMESTAMP, old rows get this
P_USER_COLUMN = datetime(2020, 1, 13, 9, 2, 11)  # V1.16: older rows get 'n/a'
P_CODELIST_BACKFILL = datetime(2020, 1, 14, 7, 31, 5, 402000)  # auditMissingEntities at app start
P_SUBJECT_CATEGORIES = d(2020, 1, 10)  # V1.19
P_IT_BACKFILL = datetime(
    2020, 1, 20, 12, 44, 51, 77000
)  # every unaudited InformationType, user system
P_POLICY_DATA = d(2020, 1, 21)  # V1.20
P_DOCUMENT_IDS = d(2020, 1, 22)
P_AUTOMATIC = d(2020, 1, 27)
P_DATA_PROCESSING = d(2020, 2, 17)
P_DPIA_STATUS = d(2020, 3, 16)
P_SUB_DEPARTMENTS = d(2020, 5, 11)
P_ORG_MASTER = d(2020, 6, 8)
P_AFFILIATION = d(2020, 9, 18)
P_NUMBER = d(2020, 10, 12)
P_NAME_IN_DATA = d(2020, 11, 24)  # V1.33
P_PROCESSOR = d(2021, 1, 18)
P_PROCESSORS_DONE = d(2021, 4, 12)
P_IKKE_POL = d(2021, 12, 6)
P_DISCLOSURE_DISPATCHERS = d(2023, 1, 16)
P_NOM_AI = d(2025, 7, 7)
P_SEKSJONER = d(2025, 11, 10)

NO_USER_E = "no user set"
NO_USER_P = "no-user-set"
MIGRATION_USER = "MIGRATION(ADMIN)"

_ENCODER = json.JSONEncoder(ensure_ascii=False)
dumps = _ENCODER.encode


def iso(t: datetime | None) -> str | None:
    """Jackson's LocalDateTime form (microseconds kept)."""
    return None if t is None else t.isoformat()


_UUID_MASK = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID_V4 = (0x4000 << 64) | (0x8000 << 48)


class Rng(random.Random):
    """A seeded generator with the few draws the generator needs."""

    def uuid(self) -> str:
        """A random (version 4) UUID drawn from this generator."""
        h = "%032x" % ((self.getrandbits(128) & _UUID_MASK) | _UUID_V4)
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def chance(self, p: float) -> bool:
        return self.random() < p

    def pick(self, seq: Sequence[Any], weights: Sequence[float] | None = None) -> Any:
        if weights is None:
            return seq[int(self.random() * len(seq))]
        r = self.random() * sum(weights)
        for item, w in zip(
            seq, weights, strict=True
        ):  # short lists: a linear scan beats random.choices
            r -= w
            if r < 0:
                return item
        return seq[-1]

    def upto(self, lo: int, hi: int) -> int:
        """A uniform integer in [lo, hi] (cheaper than randint)."""
        return lo + int(self.random() * (hi - lo + 1))

    def some(self, seq: Sequence[Any], lo: int, hi: int) -> list[Any]:
        """Between lo and hi distinct elements of seq, in drawing order."""
        k = min(len(seq), self.upto(lo, hi))
        if not k:
            return []
        if k == 1:
            return [seq[int(self.random() * len(seq))]]
        return self.sample(seq if isinstance(seq, (list, tuple)) else list(seq), k)

    def moment(self, a: datetime, b: datetime) -> datetime:
        """A working-hours moment (Oslo office hours, written as UTC) between a and b."""
        if b <= a:
            return a
        span = (b - a).total_seconds()
        if span < 86400 * 2:
            return a + timedelta(seconds=self.random() * span)
        for _ in range(4):
            day = (a + timedelta(seconds=self.random() * span)).date()
            if day.weekday() >= 5 and self.random() < 0.92:
                continue
            secs = self.triangular(5.5 * 3600, 15.5 * 3600, 10 * 3600)
            t = datetime.combine(day, time()) + timedelta(
                seconds=secs, microseconds=self.randrange(10**6)
            )
            if a <= t <= b:
                return t
        return a + timedelta(seconds=self.random() * span)

    def next_save(self, t: datetime, limit: datetime) -> datetime:
        """The next save after t: mostly a burst (seconds to minutes), sometimes days later."""
        r = self.random()
        if r < 0.55:
            step = timedelta(seconds=self.uniform(2, 240), microseconds=self.randrange(10**6))
            nxt = t + step
        elif r < 0.8:
            nxt = t + timedelta(minutes=self.uniform(5, 300))
        else:
            days = min(self.expovariate(1 / 25), 400)
            nxt = self.moment(t + timedelta(days=days), t + timedelta(days=days + 3))
        return nxt if nxt <= limit else limit


def entity_rng(seed: int, kind: str, key: object) -> Rng:
    return Rng(f"{seed}:{kind}:{key}")


# --- people ---
FORNAVN = (
    "Anne Kari Ingrid Marit Hilde Silje Nora Emma Ida Hanne Lise Tone Kristin Ragnhild Sigrid Maja "
    "Ole Lars Per Jon Knut Arne Erik Kjetil Morten Espen Eirik Håkon Magnus Jonas Sindre Øystein "
    "Åse Bjørg Solveig Trond Geir Stian Thomas Fatima Ali Mohammed Agnieszka Piotr Liv Vegard"
).split()
ETTERNAVN = (
    "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen "
    "Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen "
    "Henriksen Lund Sørensen Jakobsen Moen Gundersen Iversen Strand Solberg Svendsen Eide Knutsen "
    "Martinsen Paulsen Bakken Kristoffersen Mathisen Lie Amundsen Nguyen Rasmussen Ali Lunde "
    "Solheim Berge Moe Nygård Bakke Kristensen Fredriksen Holm Lien Hauge Christensen Andresen "
    "Nordby Ødegård Aas Sæther Haugland"
).split()


@dataclass(frozen=True)
class Person:
    ident: str
    name: str

    @property
    def user(self) -> str:
        """The audit user string: "<NAV-ident> - <display name>"."""
        return f"{self.ident} - {self.name}"


def make_people(seed: int, n: int) -> list[Person]:
    rng = entity_rng(seed, "people", n)
    seen: set[str] = set()
    people: list[Person] = []
    while len(people) < n:
        letter = rng.pick(
            "ABCDEFGHJKLMNOPRSTVW", [6, 3, 2, 2, 2, 2, 2, 4, 1, 2, 2, 3, 1, 2, 3, 5, 2, 1, 1, 1]
        )
        ident = f"{letter}{rng.randrange(100000, 999999)}"
        if ident in seen:
            continue
        seen.add(ident)
        people.append(Person(ident, f"{rng.pick(FORNAVN)} {rng.pick(ETTERNAVN)}"))
    return people


# --- filler text (Norwegian, no real content) ---
SETNINGER = (
    "Vi har vurdert kravet sammen med teamet og dokumentert løsningen i Confluence.",
    "Tilgangsstyring skjer via Entra ID-grupper som revideres hvert halvår.",
    "Data lagres kryptert i GCP og slettes etter endt saksbehandling.",
    "Kravet er ikke relevant fordi løsningen ikke behandler personopplysninger.",
    "Løsningen logger alle oppslag i saken og loggene er tilgjengelige for kontroll.",
    "Vi jobber med dette og regner med å være ferdige i neste kvartal.",
    "Se vedlagt risikovurdering for detaljer om tiltakene.",
    "Teamet har gjennomført opplæring i personvern og informasjonssikkerhet.",
    "Brukeren får informasjon om behandlingen i søknadsdialogen.",
    "Det er etablert rutiner for avviksmelding i tråd med NAVs retningslinjer.",
    "Universell utforming er testet med skjermleser og tastaturnavigasjon.",
    "Arkivering skjer automatisk til Joark når vedtaket fattes.",
    "Vi bruker felles komponenter fra designsystemet.",
    "Oppbevaringstiden følger bevaringsplanen for ytelsen.",
    "Behandlingsgrunnlaget er folketrygdloven og forvaltningsloven.",
    "Dette er ivaretatt av plattformen.",
    "Vi har ikke fått avklart dette med juridisk ennå.",
    "Innsyn gis gjennom Ditt NAV.",
    "Avhengigheter er dokumentert i Behandlingskatalogen.",
    "Tiltaket er delvis gjennomført; gjenstående arbeid er planlagt.",
)
STIKKORD = (
    "saksbehandling vedtak søknad utbetaling oppfølging arbeidsgiver sykepenger dagpenger "
    "pensjon barnetrygd tiltak kontroll innsyn arkiv statistikk veiledning tilgang logg "
    "journalføring klage oppgave melding brev skjema integrasjon"
).split()


def _text_pool() -> list[list[str]]:
    r = random.Random(0)
    return [[""]] + [[" ".join(r.sample(SETNINGER, k)) for _ in range(64)] for k in range(1, 5)]


_TEXTS = _text_pool()


def sentences(rng: Rng, lo: int, hi: int) -> str:
    """Filler text of lo to hi sentences (from a fixed pool, so it costs one draw or two)."""
    texts = _TEXTS[rng.upto(lo, hi)]
    return texts[int(rng.random() * len(texts))]


FLATER = (
    "Modia",
    "Gosys",
    "Arena",
    "Kelvin",
    "Pesys",
    "NAV.no",
    "Aa-reg",
    "Infotrygd",
    "Speil",
    "Melosys",
)


def title(rng: Rng) -> str:
    a, b = rng.sample(STIKKORD, 2)
    return f"{a.capitalize()} og {b} i {rng.pick(FLATER)}"


# --- writing ---
class Sink:
    """Buffers rows of one landing table and writes them in chunks (bounded memory).

    A chunk is one DuckDB row group (122 880 rows), which lets DuckDB write full row groups to the
    file optimistically inside the caller's transaction. In a bare insert test (614 MB of text in
    one transaction) this chunk peaked at 1.26 GB RSS against 1.71 GB with 25 000-row chunks; the
    whole default-scale run peaked at about 1.4 GB either way (docs/generate-etterlevelse.md).
    """

    def __init__(
        self,
        con,
        table: str,
        types: dict[str, pa.DataType],
        progress: Callable[[str, int, int], None] | None,
        total_hint: int = 0,
        chunk: int = 122_880,
    ) -> None:
        self.con = con
        self.table = table
        self.types = types
        self.cols: dict[str, list] = {c: [] for c in types}
        self.progress = progress
        self.total_hint = total_hint
        self.chunk = chunk
        self.written = 0
        self.started = False
        self._appenders = [self.cols[c].append for c in types]

    def add(self, *values) -> None:
        for append, v in zip(self._appenders, values, strict=True):
            append(v)
        if len(self.cols[next(iter(self.types))]) >= self.chunk:
            self.flush()

    def __len__(self) -> int:
        return self.written + len(self.cols[next(iter(self.types))])

    def flush(self) -> None:
        n = len(self.cols[next(iter(self.types))])
        if n == 0 and self.started:
            return
        frame = pa.table({c: pa.array(v, type=self.types[c]) for c, v in self.cols.items()})
        write_landing(
            self.con,
            landing_table(f"landing_zone.{self.table}"),
            frame,
            syntetisk=True,
            append=self.started,
        )
        self.started = True
        self.written += n
        for v in self.cols.values():
            v.clear()
        if self.progress:
            self.progress(self.table, self.written, max(self.total_hint, self.written))

    def close(self) -> int:
        self.flush()
        return self.written


AUDIT_TYPES_E = {
    "audit_id": pa.string(),
    "action": pa.string(),
    "table_name": pa.string(),
    "table_id": pa.string(),
    "time": pa.timestamp("us"),
    "user": pa.string(),
    "version": pa.int64(),
    "data": pa.string(),
}
AUDIT_TYPES_P = {k: v for k, v in AUDIT_TYPES_E.items() if k != "version"}


def day_end(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59, 999999))
