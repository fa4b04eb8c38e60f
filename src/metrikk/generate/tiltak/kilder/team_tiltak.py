"""Team Tiltak: arbeidsgiveravtale events as AvtaleMelding JSON records on a Kafka topic."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrikk.generate.tiltak.identer import digit_strings
from metrikk.generate.tiltak.kilder.arrow import (
    LARGE_STRING,
    codes,
    date_text,
    i64,
    instant_text,
    jraw,
    json_objects,
    jstr,
    keys,
    lit,
    local_text,
    ms_after,
    pick,
    plain,
    take,
)
from metrikk.generate.tiltak.util import (
    US_DAY,
    US_HOUR,
    categorical,
    hash_u,
    key,
    mix64,
    stamps,
)

if TYPE_CHECKING:
    from metrikk.generate.tiltak.kilder.writer import KilderWriter

AVTALE_DUPLICATE_RATE = 0.01  # Kafka at-least-once: the same record delivered twice
KAFKA_PARTITIONS = 3

# Fake content of the AvtaleMelding fields metrikk must never read (names, phones, free text).
FORNAVN = ["Kari", "Ola", "Ingrid", "Jonas", "Nora", "Emil", "Sofie", "Aksel", "Maja", "Lars"]
ETTERNAVN = ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Berg"]
BEDRIFTER = [
    "Sandvika Bakeri AS",
    "Fornebu Lager AS",
    "Bekkestua Kafé AS",
    "Stabekk Bygg AS",
    "Høvik Barnehage AS",
    "Lysaker Renhold AS",
    "Kolsås Dagligvare AS",
]
ARBEIDSOPPGAVER = [
    "Varemottak og påfylling av hyller",
    "Enkle kjøkkenoppgaver og oppvask",
    "Kundebehandling i kassen",
    "Rydding og vedlikehold av uteområdet",
]
ANNULLERT_GRUNN = ["Feilregistrering", "Begynt i arbeid", "Fått tilbud om annet tiltak", "Annet"]


def write_avtaler(w: KilderWriter, h: dict[str, pa.Array]) -> None:
    """arbeidsgiver_avtale_hendelse → AvtaleMelding JSON records on a Kafka topic."""
    n = len(h["avtale_id"])
    if not n:
        return
    akey = keys(h["avtale_id"])
    pk = keys(h["person_id"])
    ts = i64(h["tidspunkt"])
    versjon = i64(h["versjon"])
    ek = key("avtale_hendelse", akey, versjon)
    # per avtale: created at its first event; avtaleNr a running number in that order
    ak_sorted = np.sort(akey)
    uniq = ak_sorted[np.r_[True, ak_sorted[1:] != ak_sorted[:-1]]]
    inv = np.searchsorted(uniq, akey)
    opprettet = np.full(len(uniq), np.iinfo(np.int64).max)
    np.minimum.at(opprettet, inv, ts)
    nr = np.empty(len(uniq), dtype=np.int64)
    nr[np.lexsort((uniq, opprettet))] = 10_000 + w.next_numbers("avtalenr", len(uniq))
    ua = hash_u(akey, "melding")
    status_code, status_labels = codes(h["avtale_status"])
    annullert = status_code == (
        status_labels.index("ANNULLERT") if "ANNULLERT" in status_labels else -2
    )
    grunn_i = np.minimum((hash_u(akey, "annullert_grunn") * 4).astype(np.int64), 3)
    grunn = categorical(np.where(annullert, grunn_i, -1), ANNULLERT_GRUNN)
    feilreg = annullert & (grunn_i == 0)
    veileder = w.units.idents
    vi = np.minimum((hash_u(akey, "veileder") * len(veileder)).astype(np.int64), len(veileder) - 1)
    tlf = 40_000_000 + (hash_u(pk, "tlf") * 9_999_999).astype(np.int64)
    fnr = w.ids.ident_at(pk, ts)
    sist_endret = instant_text(ts)
    # A real AvtaleMelding has about a hundred fields; these are the ones the source layer
    # reads, plus some personal ones (names, phone, free text) it must never read.
    fields = [
        ("hendelseType", jstr(h["hendelse_type"])),
        ("avtaleStatus", jstr(h["avtale_status"])),
        ("deltakerFnr", jstr(digit_strings(fnr, 11))),
        (
            "bedriftNr",
            jstr(digit_strings(900_000_000 + (ua * 99_999_999).astype(np.int64), 9)),
        ),
        ("veilederNavIdent", jstr(categorical(vi, veileder))),
        ("tiltakstype", jstr(h["tiltakstype"])),
        ("opprettetTidspunkt", jstr(take(local_text(opprettet), inv))),
        ("avtaleId", jstr(h["avtale_id"])),
        ("avtaleNr", jraw(pa.array(nr[inv]))),
        ("sistEndret", jstr(sist_endret)),
        (
            "annullertTidspunkt",
            jstr(pc.if_else(pa.array(annullert), sist_endret, pa.nulls(n, LARGE_STRING))),
        ),
        ("annullertGrunn", jstr(grunn)),
        ("slettemerket", lit("false")),
        ("enhetGeografisk", jstr(h["enhet_geografisk"])),
        ("enhetOppfolging", jstr(h["enhet_oppfolging"])),
        ("feilregistrert", jraw(pa.array(feilreg))),
        ("versjon", jraw(h["versjon"])),
        ("deltakerFornavn", jstr(pick(FORNAVN, hash_u(pk, "fornavn")))),
        ("deltakerEtternavn", jstr(pick(ETTERNAVN, hash_u(pk, "etternavn")))),
        ("deltakerTlf", jstr(digit_strings(tlf, 8))),
        ("bedriftNavn", jstr(pick(BEDRIFTER, ua))),
        ("arbeidsoppgaver", jstr(pick(ARBEIDSOPPGAVER, hash_u(akey, "oppgaver")))),
        ("startDato", jstr(date_text(h["start_dato"]))),
        ("sluttDato", jstr(date_text(h["slutt_dato"]))),
    ]
    value = json_objects(fields)
    del fields
    # Kafka: partition by avtale, producer timestamp just after sistEndret; at-least-once
    # delivery repeats some records (a retry right after, or a re-publish days later)
    dup = hash_u(ek, "duplikat") < AVTALE_DUPLICATE_RATE
    later = hash_u(ek, "duplikat_senere") < 0.5
    kts = ts + ms_after(ek, "kafka_ts", 5, 900)
    dup_i = np.flatnonzero(dup)
    dup_ts = np.where(
        later[dup_i],
        kts[dup_i] + (hash_u(ek[dup_i], "republisert") * 20 * US_DAY + US_HOUR).astype(np.int64),
        kts[dup_i],
    )
    ok = dup_ts < w.until_end
    dup_i, dup_ts = dup_i[ok], dup_ts[ok]
    src = np.concatenate([np.arange(n), dup_i])
    rts = np.concatenate([kts, dup_ts])
    is_dup = np.r_[np.zeros(n, dtype=bool), np.ones(len(dup_i), dtype=bool)]
    part = (mix64(akey ^ np.uint64(0x5EED)) % np.uint64(KAFKA_PARTITIONS)).astype(np.int64)
    rpart = part[src]
    # offsets per partition in delivery order (a retry right after its first delivery)
    o = np.lexsort((is_dup, versjon[src], akey[src], rts, rpart))
    offset = np.empty(len(o), dtype=np.int64)
    for p in range(KAFKA_PARTITIONS):
        m = o[rpart[o] == p]
        offset[m] = w.offsets[p] + np.arange(len(m))
        w.offsets[p] += len(m)
    w.write(
        "team_tiltak",
        "tiltak_avtale_hendelse",
        {
            "kafka_partition": pa.array(rpart),
            "kafka_offset": pa.array(offset),
            "kafka_timestamp": stamps(rts),
            "kafka_key": pa.concat_arrays(
                [plain(h["avtale_id"]), take(plain(h["avtale_id"]), dup_i)]
            ),
            "value": pa.concat_arrays([value, take(value, dup_i)]),
        },
    )
