"""The hand-made sources behind `test_regler.py`: one small person per rule of CONTRACT §3.

Weeks used (ISO): 2025-W10 = 2025-03-03…09, W11 = 03-10…16, W12 = 03-17…23, W13 = 03-24…30;
2024-W20 = 2024-05-13…19 (data quality, kept quiet otherwise); 2026-W53 = 2026-12-28…2027-01-03.
Under oppfølging and ventetid (P40–P59): 2025-W06 = 02-03…09, W07 = 02-10…16, W08 = 02-17…23,
W09 = 02-24…03-02, and W10–W13.
"""

from __future__ import annotations

from datetime import date, timedelta

from sources import Kilder, dager

# Ventetid thresholds: deltakelse id -> days waited before starting on 2025-02-12 (on G12, kontor 0312).
VENTEDAGER = {"D53": 14, "D54": 15, "D55": 30, "D56": 31, "D57": 90, "D58": 91}
VENTETID_START = date(2025, 2, 12)

AS_OF = "2027-01-06"  # a Wednesday: 2026-W53 is published, 2027-W01 is not


def reference_data(k: Kilder) -> None:
    k.enhet("0600", "Nav Vest-Viken", "FYLKE")
    k.enhet("0219", "Nav Bærum", "LOKAL", "0600")
    k.enhet("0220", "Nav Asker", "LOKAL", "0600")
    k.enhet("0300", "Nav Oslo", "FYLKE")
    k.enhet("0301", "Nav Frogner", "LOKAL", "0300")
    k.enhet("0312", "Nav Grünerløkka", "LOKAL", "0300")
    k.tiltakstype("TT-OPP", "OPPFOLGING", "Oppfølging")
    k.tiltakstype("TT-AVK", "AVKLARING", "Avklaring")
    k.tiltakstype("TT-JK", "JOBBKLUBB", "Jobbklubb")
    k.tiltakstype("TT-IPS", "INDIVIDUELL_JOBBSTOTTE", "Individuell jobbstøtte (IPS)")
    k.tiltakstype(
        "TT-EAMO", "ENKELTPLASS_ARBEIDSMARKEDSOPPLAERING", "Arbeidsmarkedsopplæring (enkeltplass)"
    )
    k.tiltakstype("TT-AT", "ARBEIDSTRENING", "Arbeidstrening")
    k.gjennomforing("G1", "TT-OPP", ("0600", "0219"), plasser=10)
    k.gjennomforing("G2", "TT-AVK", ("0300", "0301", "0312"))
    k.gjennomforing("G5", "TT-JK", ("0219",), plasser=20, oppstart="FELLES")
    k.gjennomforing("G6", "TT-OPP", ("0219",))
    k.gjennomforing("G7", "TT-OPP", ("0600", "0219", "0220"))
    k.gjennomforing("G8", "TT-IPS", ("0301",))
    k.gjennomforing("G9", "TT-EAMO", ("0301",), oppstart="ENKELTPLASS")
    k.gjennomforing("G10", "TT-AVK", ("0219",))
    k.gjennomforing("G12", "TT-OPP", ("0312",))


def build() -> Kilder:
    k = Kilder()
    reference_data(k)
    w11 = ("2025-03-10", "2025-03-14")

    # A gjennomføring tied to both 0600 (FYLKE) and 0219 (LOKAL): counted once, kontor 0219.
    k.deltaker(
        "D01",
        "P01",
        "G1",
        "2025-03-10",
        "2025-03-14",
        statuser=[
            ("DELTAR", "2025-03-10T08:00", "2025-03-14T16:00"),
            ("HAR_SLUTTET", "2025-03-14T16:00", None),
        ],
    )

    # innsatsgruppe changes on Wednesday of W11: the reference day's value wins.
    k.kontor("P02", "0312", "2024-01-01T10:00")
    k.vedtak("P02", "STANDARD_INNSATS", "2025-01-01T10:00")
    k.vedtak("P02", "SPESIELT_TILPASSET_INNSATS", "2025-03-12T10:00")
    k.deltaker("D02", "P02", "G2", "2025-03-03", "2025-03-21")
    # ... and a deltakelse that ends the day before the new vedtak keeps the old (Arena) code.
    k.kontor("P03", "0312", "2024-01-01T10:00")
    k.vedtak("P03", "IKVAL", "2024-06-01T10:00")
    k.vedtak("P03", "BATT", "2025-03-13T10:00")
    k.deltaker("D03", "P03", "G2", "2025-03-03", "2025-03-12")

    # A vedtak at 23:30 UTC on Sunday 16 March is Monday 17 March in Oslo.
    k.kontor("P04", "0312", "2024-01-01T10:00")
    k.vedtak("P04", "TRENGER_VEILEDNING", "2025-03-16T23:30")
    k.deltaker("D04", "P04", "G2", "2025-03-03", "2025-03-16")
    k.deltaker("D04B", "P04", "G2", "2025-03-17", "2025-03-17")

    # Veiledergrupper at 0219 through March 2025 (the snapshots end on 31 March).
    k.medlem(dager("2025-03-01", "2025-03-12"), "0219", "1", "Team Øst", "V1")
    k.medlem(dager("2025-03-13", "2025-03-31"), "0219", "2", "Team Vest", "V1")
    k.avdeling("0219", "2", "Avdeling Vest")
    k.medlem(
        dager("2025-03-01", "2025-03-03") + dager("2025-03-08", "2025-03-31"),
        "0219",
        "9",
        "Beta",
        "V2",
    )
    k.medlem(dager("2025-03-05", "2025-03-31"), "0219", "10", "Alfa", "V2")
    k.medlem(dager("2025-03-05", "2025-03-31"), "0219", "11", "Gamma", "V3")
    k.medlem(dager("2025-03-05", "2025-03-31"), "0219", "12", "Delta", "V3")

    # A veileder who leaves group 1 and joins group 2 (mapped to an avdeling) on 13 March.
    k.kontor("P06", "0219", "2024-01-01T10:00")
    k.tilordning("P06", "V1", "2025-01-01T10:00", 1)
    k.deltaker("D06", "P06", "G1", "2025-03-03", "2025-03-30")
    # A veileder in two groups: earliest start of the current membership wins (Alfa from 5 March
    # beats Beta, whose current membership started 8 March although it had an earlier one) ...
    k.kontor("P07", "0219", "2024-01-01T10:00")
    k.tilordning("P07", "V2", "2025-01-01T10:00", 1)
    k.deltaker("D07", "P07", "G6", *w11)
    # ... and equal starts: lowest gruppe_id. The veileder is the one with the highest seq.
    k.kontor("P08", "0219", "2024-01-01T10:00")
    k.tilordning("P08", "V2", "2025-01-01T10:00", 1)
    k.tilordning("P08", "V3", "2025-02-01T10:00", 3)
    k.tilordning("P08", "V1", "2025-03-01T10:00", 2)
    k.deltaker("D08", "P08", "G6", *w11)

    # Two parallel deltakelser of one person in one cell.
    k.kontor("P09", "0220", "2024-01-01T10:00")
    k.deltaker("D09A", "P09", "G1", *w11)
    k.deltaker("D09B", "P09", "G6", *w11)

    # Open-ended deltakelse: counted in every published week up to 2026-W53, none after.
    k.kontor("P10", "0219", "2024-01-01T10:00")
    k.deltaker("D10", "P10", "G6", "2026-12-01", None)

    # Statuses: FEILREGISTRERT / IKKE_AKTUELL / waiting never count; AVBRUTT and FULLFORT do.
    k.deltaker(
        "D11",
        "P11",
        "G6",
        *w11,
        statuser=[
            ("DELTAR", "2025-03-10T08:00", "2025-03-11T08:00"),
            ("FEILREGISTRERT", "2025-03-11T08:00", None),
        ],
    )
    k.deltaker("D12", "P12", "G6", *w11, statuser=[("IKKE_AKTUELL", "2025-03-09T08:00", None)])
    k.deltaker(
        "D13",
        "P13",
        "G6",
        "2025-03-10",
        "2025-03-12",
        statuser=[
            ("DELTAR", "2025-03-10T08:00", "2025-03-12T08:00"),
            ("AVBRUTT", "2025-03-12T08:00", None),
        ],
    )
    k.deltaker(
        "D13B", "P13", "G6", *w11, statuser=[("VENTER_PA_OPPSTART", "2025-03-01T08:00", None)]
    )
    k.deltaker(
        "D13C",
        "P13",
        "G6",
        *w11,
        statuser=[
            ("DELTAR", "2025-03-10T08:00", "2025-03-14T15:00"),
            ("FULLFORT", "2025-03-14T15:00", None),
        ],
    )

    # Kontor fallback order.
    k.kontor("P14", "0312", "2024-01-01T10:00")  # oppfølgingskontor beats the gjennomføring
    k.deltaker("D14", "P14", "G1", *w11)
    k.avtale(
        "A15",
        "P15",
        "ARBEIDSTRENING",
        "GJENNOMFØRES",
        *w11,
        enhet_oppfolging="0312",
        versjon=1,
        tidspunkt="2025-03-01T09:00",
    )
    k.avtale(
        "A15",
        "P15",
        "ARBEIDSTRENING",
        "GJENNOMFØRES",
        *w11,
        enhet_oppfolging="0220",
        versjon=2,
        tidspunkt="2025-03-02T09:00",
    )
    k.avtale("A16", "P16", "MIDLERTIDIG_LONNSTILSKUDD", "AVSLUTTET", *w11, enhet_oppfolging="0600")
    k.kontor("P17", "0312", "2025-04-01T10:00")  # only after the reference day
    k.deltaker("D17", "P17", "G1", *w11)
    k.deltaker("D18", "P18", "G2", *w11)  # two LOKAL enheter, no kontor: UKJENT
    k.kontor("P19", "0600", "2024-01-01T10:00")  # a FYLKE unit is never a kontor
    k.deltaker("D19", "P19", "G1", *w11)
    k.avtale(
        "A20",
        "P20",
        "ARBEIDSTRENING",
        "GJENNOMFØRES",
        *w11,
        enhet_oppfolging="0220",
        versjon=1,
        tidspunkt="2025-03-01T09:00",
    )
    k.avtale(
        "A20",
        "P20",
        "ARBEIDSTRENING",
        "ANNULLERT",
        *w11,
        enhet_oppfolging="0220",
        versjon=2,
        tidspunkt="2025-02-28T09:00",
    )  # higher versjon wins over a later tidspunkt

    # innsatsgruppe codes: IVURD is UKJENT; old and Arena codes map to the new ones.
    k.vedtak("P21", "IKVAL", "2024-01-01T10:00")
    k.vedtak("P21", "IVURD", "2025-01-01T10:00")
    k.deltaker("D21", "P21", "G2", *w11)
    k.vedtak("P22", "GRADERT_VARIG_TILPASSET_INNSATS", "2024-01-01T10:00")
    k.deltaker("D22", "P22", "G2", *w11)
    k.vedtak("P23", "VARIG", "2024-01-01T10:00")
    k.deltaker("D23", "P23", "G2", *w11)
    k.vedtak("P26", "VARIG_TILPASSET_INNSATS", "2024-01-01T10:00")
    k.deltaker("D26", "P26", "G2", *w11)

    # Waiting on G5 (20 plasser): VENTELISTE until Monday 00:30 Oslo (Sunday 23:30 UTC).
    k.kontor("P24", "0219", "2024-01-01T10:00")
    k.deltaker(
        "D24",
        "P24",
        "G5",
        "2025-03-17",
        "2025-03-28",
        statuser=[
            ("VENTELISTE", "2025-03-05T09:00", "2025-03-16T23:30"),
            ("DELTAR", "2025-03-16T23:30", "2025-03-28T15:00"),
            ("HAR_SLUTTET", "2025-03-28T15:00", None),
        ],
    )
    k.deltaker(
        "D25",
        "P25",
        "G5",
        "2025-04-07",
        None,
        statuser=[
            ("VURDERES", "2025-03-10T09:00", "2025-03-20T09:00"),
            ("IKKE_AKTUELL", "2025-03-20T09:00", None),
        ],
    )

    # antall_fra_lokale_kontor vs antall_fra_andre_kontor on G7 (LOKAL 0219 and 0220).
    k.kontor("P27", "0219", "2024-01-01T10:00")
    k.deltaker("D27", "P27", "G7", *w11)
    k.kontor("P28", "0312", "2024-01-01T10:00")
    k.deltaker("D28", "P28", "G7", *w11)
    k.deltaker("D29", "P29", "G7", *w11)

    # Data quality in 2024-W20 (13–19 May 2024).
    k.deltaker("D35", "P35", "G1", "2024-05-13", "2024-05-17")
    k.deltaker("D36", "P36", "G2", "2024-05-13", "2024-05-17")
    k.deltaker(
        "D30",
        "P30",
        "G1",
        None,
        None,
        registrert="2024-05-14T12:00",
        statuser=[("DELTAR", "2024-05-14T08:00", None)],
    )
    k.deltaker(
        "D31",
        "P31",
        "G1",
        "2024-05-20",
        "2024-05-10",
        registrert="2024-05-12T22:30",
        statuser=[("HAR_SLUTTET", "2024-05-12T22:30", None)],
    )
    k.deltaker("D32", "P32", "G-FINNES-IKKE", "2024-05-13", None, registrert="2024-05-15T10:00")
    k.deltaker(
        "D33",
        "P33",
        "G1",
        None,
        None,
        registrert="2024-05-15T10:00",
        statuser=[("IKKE_AKTUELL", "2024-05-15T10:00", None)],
    )
    k.avtale(
        "A34",
        "P34",
        "ARBEIDSTRENING",
        "GJENNOMFØRES",
        None,
        None,
        versjon=1,
        tidspunkt="2024-05-16T10:00",
    )
    k.avtale(
        "A34",
        "P34",
        "ARBEIDSTRENING",
        "GJENNOMFØRES",
        None,
        None,
        versjon=2,
        tidspunkt="2024-06-20T10:00",
    )

    # tiltakskategori.
    k.deltaker("D37", "P37", "G8", *w11)
    k.deltaker("D38", "P38", "G9", *w11)

    # One person, two innsatsgrupper in one week (two deltakelser with different reference days).
    k.kontor("P39", "0301", "2024-01-01T10:00")
    k.vedtak("P39", "STANDARD_INNSATS", "2024-01-01T10:00")
    k.vedtak("P39", "SITUASJONSBESTEMT_INNSATS", "2025-03-13T10:00")
    k.deltaker("D39A", "P39", "G6", "2025-03-10", "2025-03-12")
    k.deltaker("D39B", "P39", "G6", "2025-03-10", "2025-03-16")

    under_oppfolging(k)
    ventetid(k)
    tiltaksgrupper(k)
    return k


def under_oppfolging(k: Kilder) -> None:
    """CONTRACT §3 "Under oppfølging": periods, reference day, kontor without fallback, på tiltak."""
    # A period that ends on Sunday 16 February: that Sunday is its last day (the kontor set that
    # Sunday applies), and the next week has no row.
    k.oppfolging("P40", "2025-02-03T09:00", "2025-02-16T12:00")
    k.kontor("P40", "0219", "2024-01-01T10:00")
    k.kontor("P40", "0220", "2025-02-16T10:00")
    # Two periods in W07 (a gap on Wednesday 12 February), one inside another, and a gap week (W11).
    k.oppfolging("P41", "2025-02-03T08:00", "2025-02-11T10:00")
    k.oppfolging("P41", "2025-02-13T08:00", "2025-03-05T10:00")
    k.oppfolging("P41", "2025-02-20T08:00", "2025-02-25T10:00")
    k.oppfolging("P41", "2025-03-17T08:00", "2025-03-28T10:00")
    k.vedtak("P41", "STANDARD_INNSATS", "2024-01-01T10:00")
    k.vedtak("P41", "BATT", "2025-02-12T10:00")
    # Starts Sunday 9 February 23:30 UTC = Monday 10 February in Oslo.
    k.oppfolging("P42", "2025-02-09T23:30", "2025-02-20T10:00")
    # A FYLKE unit in the kontor history: UKJENT under oppfølging, while the deltakelse falls
    # back to the gjennomføring's only LOKAL enhet (G1: 0600 and 0219).
    k.oppfolging("P43", "2025-02-03T08:00", "2025-02-28T10:00")
    k.kontor("P43", "0219", "2024-01-01T10:00")
    k.kontor("P43", "0600", "2025-02-05T10:00")
    k.vedtak("P43", "IKVAL", "2024-01-01T10:00")
    k.deltaker("D43", "P43", "G1", "2025-02-10", "2025-02-14")
    # On tiltak without oppfølging: counted in uke_deltakere, not in uke_oppfolging.
    k.deltaker("D44", "P44", "G6", "2025-02-10", "2025-02-14")
    # Under oppfølging without any deltakelse: not på tiltak.
    k.oppfolging("P45", "2025-02-03T08:00", "2025-02-16T12:00")
    k.kontor("P45", "0312", "2024-01-01T10:00")
    # Avdeling as of the reference day, from the groups of the oppfølgingskontor (V1: Team Øst
    # until 12 March, then Team Vest = Avdeling Vest).
    k.oppfolging("P46", "2025-03-03T08:00", "2025-03-21T12:00")
    k.kontor("P46", "0219", "2024-01-01T10:00")
    k.tilordning("P46", "V1", "2025-01-01T10:00", 1)
    k.deltaker("D46", "P46", "G6", "2025-03-17", "2025-03-19")  # på tiltak in W12 only


def ventetid(k: Kilder) -> None:
    """CONTRACT §3 "Ventetid": days from the first waiting status to start_dato, kontor as of start_dato."""
    start = VENTETID_START.isoformat()
    # On G10 (AVKLARING, 0219): waiting only after start, waiting from the start day, never waiting,
    # and several waiting statuses (the earliest, at 23:30 UTC = next day in Oslo, counts: 41 days).
    k.deltaker(
        "D50A",
        "P50",
        "G10",
        start,
        "2025-02-28",
        statuser=[
            ("DELTAR", "2025-02-12T08:00", "2025-02-13T08:00"),
            ("VENTELISTE", "2025-02-13T08:00", "2025-02-14T08:00"),
            ("DELTAR", "2025-02-14T08:00", None),
        ],
    )
    k.deltaker(
        "D50B",
        "P50B",
        "G10",
        start,
        "2025-02-28",
        statuser=[
            ("VURDERES", "2025-02-12T07:00", "2025-02-12T08:00"),
            ("DELTAR", "2025-02-12T08:00", None),
        ],
    )
    k.deltaker("D51", "P51", "G10", start, "2025-02-28")
    k.deltaker(
        "D52",
        "P52",
        "G10",
        start,
        "2025-02-28",
        statuser=[
            ("SOKT_INN", "2025-01-01T23:30", "2025-01-10T10:00"),
            ("VURDERES", "2025-01-10T10:00", "2025-01-20T10:00"),
            ("VENTELISTE", "2025-01-20T10:00", "2025-02-01T10:00"),
            ("VENTER_PA_OPPSTART", "2025-02-01T10:00", "2025-02-12T08:00"),
            ("DELTAR", "2025-02-12T08:00", None),
        ],
    )
    # Exactly 14, 15, 30, 31, 90 and 91 days (on G12, kontor 0312 from its only LOKAL enhet).
    for did, days in VENTEDAGER.items():
        venter_fra = (VENTETID_START - timedelta(days=days)).isoformat()
        k.deltaker(
            did,
            "P" + did[1:],
            "G12",
            start,
            "2025-02-28",
            statuser=[
                ("VENTELISTE", f"{venter_fra}T10:00", f"{start}T08:00"),
                ("DELTAR", f"{start}T08:00", None),
            ],
        )
    # Kontor as of start_dato (0219), although the deltakelse's week is read on Sunday (0220).
    k.kontor("P59", "0219", "2024-01-01T10:00")
    k.kontor("P59", "0220", "2025-02-13T10:00")
    k.deltaker("D59", "P59", "G6", start, "2025-02-20")


def tiltaksgrupper(k: Kilder) -> None:
    """An office row beats the national row, which beats tiltakstype_navn; a FYLKE row never applies."""
    k.tiltaksgruppe("0219", "OPPFOLGING", "Oppfølging Bærum")
    k.tiltaksgruppe(None, "OPPFOLGING", "Oppfølging nasjonal")
    k.tiltaksgruppe("0600", "OPPFOLGING", "Oppfølging Vest-Viken")
    k.tiltaksgruppe(None, "AVKLARING", "Avklaring og kartlegging")
    # Two rows for one kontor and code: the alphabetically first.
    k.tiltaksgruppe("0220", "OPPFOLGING", "Team B")
    k.tiltaksgruppe("0220", "OPPFOLGING", "Team A")
