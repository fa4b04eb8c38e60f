"""A small hand-made world of raw NAV source rows with every quirk the source layer must undo
(KILDER_SPEC, research tiltak.md §1–6): changed idents, both Komet generations, §14a resends,
Oslo wall-clock DATETIMEs around midnight and DST, ARENA/GT kontor rows, Kafka duplicates."""

from __future__ import annotations

import json
from datetime import date, datetime

from tests.ingest.kilderader import Kilderader

KEY = "testnøkkel-Æøå-ikke-hemmelig"
AS_OF = "2024-12-29"

# Persons in the identity source (PDL): the current fnr, a historic fnr and a historic aktør-id.
A1, F1, F1_GAMMEL, A1_GAMMEL = "1000000000001", "01017012345", "01017054321", "1000000000991"
A2, F2 = "1000000000002", "02027012345"
A3, N3 = "1000000000003", "03037012345"  # npid only
A4 = "1000000000004"
X = "05057012345"  # listed under two aktør-ids: historic at A2, current (the fnr) at A4
F9 = "09097012345"  # no identity row at all
NAV_IDENTER = ("Z123456", "Y654321", "Z999999", "X123456")
ALLE_IDENTER = (A1, F1, F1_GAMMEL, A1_GAMMEL, A2, F2, A3, N3, A4, X, F9, *NAV_IDENTER)


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def avtale(**fields: object) -> str:
    base = {
        "avtaleId": "a-1",
        "versjon": 1,
        "hendelseType": "OPPRETTET",
        "avtaleStatus": "PÅBEGYNT",
        "sistEndret": "2024-05-01T08:00:00.123456789Z",
        "opprettetTidspunkt": "2024-05-01T00:30",
        "deltakerFnr": F2,
        "tiltakstype": "MIDLERTIDIG_LONNSTILSKUDD",
        "startDato": "2024-05-06",
        "sluttDato": "2024-11-06",
        "enhetOppfolging": "0219",
        "enhetGeografisk": "0219",
        "veilederNavIdent": "X123456",
        "deltakerFornavn": "Ola",
        "feilregistrert": False,
    }
    return json.dumps({**base, **fields}, ensure_ascii=False)


def world() -> Kilderader:
    r = Kilderader()
    # PDL identities
    for aktor, ident, gruppe, historisk in [
        (A1, F1, "FOLKEREGISTERIDENT", False),
        (A1, F1_GAMMEL, "FOLKEREGISTERIDENT", True),
        (A1, A1_GAMMEL, "AKTORID", True),
        (A1, A1, "AKTORID", False),
        (A2, F2, "FOLKEREGISTERIDENT", False),
        (A2, X, "FOLKEREGISTERIDENT", True),
        (A3, N3, "NPID", False),
        (A4, X, "FOLKEREGISTERIDENT", False),
    ]:
        r.add("pdl", "identer", aktor_id=aktor, ident=ident, gruppe=gruppe, historisk=historisk)
    # Valp
    r.add(
        "valp",
        "tiltakstype_view",
        id="tt-aft",
        navn="\u00a0Arbeidsforberedende trening ",
        tiltakskode="ARBEIDSFORBEREDENDE_TRENING",
        arena_tiltakskode="ARBFORB",
    )
    for g in ("g-1", "g-2"):
        r.add(
            "valp",
            "gjennomforing_view",
            id=g,
            tiltakstype_id="tt-aft",
            status="GJENNOMFORES",
            start_dato=date(2024, 1, 1),
            opprettet_tidspunkt=ts("2023-12-01T10:00"),
            oppdatert_tidspunkt=ts("2023-12-02T10:00"),
            tiltaksnummer="2024#123",
        )
    r.add(
        "valp",
        "public_gjennomforing",
        id="g-1",
        navn="AFT Bærum",
        antall_plasser=20,
        oppstart="LOPENDE",
    )
    for g, e in [("g-1", "0219"), ("g-1", "0600"), ("g-2", "0219 ")]:
        r.add("valp", "gjennomforing_nav_enhet_view", gjennomforing_id=g, enhetsnummer=e)
    # Norg2: two fetches; the latest counts
    for enhet_id, nr, navn, typ, over, hentet in [
        (1, "0219", "Nav Bærum (gammelt navn)", "LOKAL", "0600", "2024-01-01T03:00"),
        (1, "0219", "Nav Bærum", "LOKAL", "0600", "2024-06-01T03:00"),
        (2, "0600", "Nav Vest-Viken", "FYLKE", None, "2024-06-01T03:00"),
        (3, "0220", "Nav Asker", "LOKAL", "0600", "2024-06-01T03:00"),
    ]:
        r.add(
            "norg2",
            "enhet",
            enhet_id=enhet_id,
            enhet_nr=nr,
            navn=navn,
            type=typ,
            status="Aktiv",
            overordnet_enhet=over,
            hentet_tidspunkt=ts(hentet),
        )
    # Komet, amt-deltaker: d-1 (moved from amt-tiltak), person under the OLD fnr
    r.add("amt_deltaker", "nav_bruker", person_id="nb-1", personident=F1_GAMMEL)
    r.add(
        "amt_deltaker",
        "deltaker",
        id="d-1",
        person_id="nb-1",
        deltakerliste_id="g-1",
        startdato=date(2024, 2, 5),
        kilde="KOMET",
        dager_per_uke=5.0,
        deltakelsesprosent=100.0,
        created_at=ts("2024-01-10T09:00"),
        modified_at=ts("2024-02-05T08:00"),
    )
    r.add(
        "amt_deltaker",
        "deltaker_status",
        id="s-d1-1",
        deltaker_id="d-1",
        type="VENTER_PA_OPPSTART",
        gyldig_fra=ts("2024-01-10T09:00"),
        gyldig_til=ts("2024-02-05T08:00"),
        created_at=ts("2024-01-10T09:00"),
    )
    r.add(
        "amt_deltaker",
        "deltaker_status",
        id="s-d1-2",
        deltaker_id="d-1",
        type="DELTAR",
        gyldig_fra=ts("2024-02-05T08:00"),
        created_at=ts("2024-02-05T08:00"),
    )
    # Komet, amt-tiltak: a stale copy of d-1, and d-2, d-3 with aktiv flags only
    r.add("amt_tiltak", "bruker", id="b-1", person_ident=F1)
    r.add("amt_tiltak", "bruker", id="b-2", person_ident=F2)
    r.add(
        "amt_tiltak",
        "deltaker",
        id="d-1",
        bruker_id="b-1",
        gjennomforing_id="g-2",
        start_dato=date(2024, 1, 15),
        registrert_dato=ts("2024-01-09T12:00"),
        kilde="ARENA",
        created_at=ts("2024-01-09T12:00"),
        modified_at=ts("2024-01-20T12:00"),
    )
    r.add(
        "amt_tiltak",
        "deltaker",
        id="d-2",
        bruker_id="b-2",
        gjennomforing_id="g-1",
        start_dato=date(2024, 3, 11),
        registrert_dato=ts("2024-03-01T10:00"),
        kilde="ARENA",
        created_at=ts("2024-03-01T10:05"),
    )
    r.add(
        "amt_tiltak",
        "deltaker",
        id="d-3",
        bruker_id="b-2",
        gjennomforing_id="g-2",
        start_dato=date(2024, 4, 1),
        registrert_dato=None,
        kilde="ARENA",
        created_at=ts("2024-03-20T10:00"),
    )
    for sid, did, status, aktiv, fra, created in [
        ("s-t1-1", "d-1", "DELTAR", True, "2024-01-15T08:00", "2024-01-15T08:00"),
        ("s-t2-1", "d-2", "VENTELISTE", False, "2024-03-01T10:00", "2024-03-01T10:00"),
        ("s-t2-2", "d-2", "DELTAR", True, "2024-03-11T08:00", "2024-03-11T08:00"),
        ("s-t2-3", "d-2", "VURDERES", False, "2024-03-12T08:00", "2024-03-05T08:00"),
        ("s-t3-1", "d-3", "SOKT_INN", False, "2024-03-20T10:00", "2024-03-20T10:00"),
        ("s-t3-2", "d-3", "VURDERES", False, "2024-03-20T10:00", "2024-03-20T11:00"),
        ("s-t3-3", "d-3", "IKKE_AKTUELL", False, "2024-03-25T10:00", "2024-03-25T10:00"),
        ("s-orphan", "d-x", "DELTAR", True, "2024-03-25T10:00", "2024-03-25T10:00"),
    ]:
        r.add(
            "amt_tiltak",
            "deltaker_status",
            id=sid,
            deltaker_id=did,
            status=status,
            aktiv=aktiv,
            gyldig_fra=ts(fra),
            created_at=ts(created),
        )
    # §14a: events per behandling
    for seq, bid, aktor, status, endret, ferdig, ig, enhet, resultat in [
        (1, 101, A1, "UNDER_BEHANDLING", "2024-01-05T10:00", None, None, "0219", None),
        (
            2,
            101,
            A1,
            "FATTET",
            "2024-01-08T12:00",
            "2024-01-08T12:00",
            "STANDARD_INNSATS",
            "0219",
            None,
        ),
        (
            3,
            101,
            A1,
            "FATTET",
            "2024-01-08T12:00",
            "2024-01-08T12:00",
            "STANDARD_INNSATS",
            "0219",
            None,
        ),
        (4, 102, A2, "UNDER_BEHANDLING", "2024-01-20T10:00", None, None, "0219", None),
        (
            5,
            102,
            A2,
            "AVBRUTT",
            "2024-01-22T10:00",
            "2024-01-22T10:00",
            "GODE_MULIGHETER",
            "0219",
            None,
        ),
        (
            6,
            103,
            A1_GAMMEL,
            "FATTET",
            "2024-06-03T09:00",
            "2024-06-03T09:00",
            "TRENGER_VEILEDNING",
            "-5",
            None,
        ),
        (
            7,
            104,
            A2,
            "FATTET",
            "2024-02-01T10:00",
            "2024-02-01T10:00",
            "SITUASJONSBESTEMT_INNSATS",
            "0219",
            None,
        ),
        (
            8,
            104,
            A2,
            "FATTET",
            "2024-02-03T10:00",
            "2024-02-01T10:00",
            "SITUASJONSBESTEMT_INNSATS",
            "0219",
            None,
        ),
        (9, 105, A3, "FATTET", "2024-03-01T12:00", None, None, "0220", "GODE_MULIGHETER"),
    ]:
        r.add(
            "vedtak_14a",
            "statistikk_dvh_fellestabell",
            sekvensnummer=seq,
            behandling_id=bid,
            aktor_id=aktor,
            behandling_status=status,
            endret_tid=ts(endret),
            ferdigbehandlet_tid=ts(ferdig) if ferdig else None,
            innsatsgruppe=ig,
            hovedmal="SKAFFE_ARBEID",
            ansvarlig_enhet=enhet,
            behandling_resultat=resultat,
            behandling_type="FORSTEGANGSBEHANDLING",
        )
    # veilarboppfolging: Oslo wall-clock DATETIMEs around midnight and both DST switches
    for aktor, uuid, start, slutt in [
        (A1, "op-1", "2024-06-01T23:30", "2024-10-27T02:30"),
        (A2, "op-2", "2024-03-31T02:30", None),
        (A1_GAMMEL, "op-3", "2023-12-31T23:30", "2024-01-01T00:30"),
    ]:
        r.add(
            "veilarboppfolging",
            "oppfolgingsperiode",
            aktor_id=aktor,
            uuid=uuid,
            startdato=ts(start),
            sluttdato=ts(slutt) if slutt else None,
            start_begrunnelse="ARBEIDSSOKER",
        )
    r.add(
        "veilarboppfolging",
        "veileder_tilordninger",
        aktor_id=A1,
        veileder=" z123456 ",
        sist_tilordnet=ts("2024-06-02T00:30"),
        tilordning_seq=1,
        tilordnet_av_veileder="Y654321",
    )
    r.add(
        "veilarboppfolging",
        "veileder_tilordninger",
        aktor_id=A2,
        veileder="Y654321",
        sist_tilordnet=ts("2024-03-01T10:00"),
        tilordning_seq=2,
        tilordnet_av_veileder="Z999999",
    )
    # ao-oppfolgingskontor: AO rows beside ARENA/GT rows, a FYLKE kontor, an unknown ident
    for i, ident, kontor, typ, created in [
        (1, F1, "0219", "ARBEIDSOPPFOLGING", "2024-02-01T09:00"),
        (2, F1, "0220", "ARENA", "2024-02-02T09:00"),
        (3, F1, "0221", "GEOGRAFISK_TILKNYTNING", "2024-02-03T09:00"),
        (4, F1, "0600", "ARBEIDSOPPFOLGING", "2024-05-01T09:00"),
        (5, F9, "0219", "ARBEIDSOPPFOLGING", "2024-03-01T09:00"),
        (6, F2, "0219", None, "2024-03-01T09:00"),
        (7, X, "0220", "ARBEIDSOPPFOLGING", "2024-03-02T09:00"),
    ]:
        r.add(
            "ao_oppfolgingskontor",
            "kontorhistorikk",
            id=i,
            ident=ident,
            kontor_id=kontor,
            kontor_type=typ,
            created_at=ts(created),
            kontorendringstype="AutomatiskNorgRuting",
            endret_av="Z999999",
            endret_av_type="SYSTEM",
            oppfolgingsperiode_id="op-1",
        )
    # Team Tiltak: a duplicate delivery, a later version, invalid JSON, an unknown ident
    for partition, offset, value in [
        (0, 5, avtale()),
        (0, 9, avtale()),
        (
            0,
            10,
            avtale(
                versjon=2,
                hendelseType="AVTALE_INNGAATT",
                avtaleStatus="GJENNOMFØRES",
                sistEndret="2024-05-06T06:00:00Z",
            ),
        ),
        (0, 11, '{"avtaleId": "a-2", '),
        (1, 3, avtale(avtaleId="a-3", deltakerFnr=F9, sistEndret="2024-05-02T07:00:00Z")),
    ]:
        r.add(
            "team_tiltak",
            "tiltak_avtale_hendelse",
            kafka_partition=partition,
            kafka_offset=offset,
            kafka_timestamp=ts("2024-05-06T06:00"),
            kafka_key="a",
            value=value,
        )
    r.add(
        "veilarbfilter",
        "veiledergruppe_snapshot",
        snapshot_dato=date(2024, 6, 1),
        enhetsnummer="0219",
        gruppe_id="17",
        gruppe_navn="Team Ung",
        veileder_ident="Z123456",
    )
    return r
