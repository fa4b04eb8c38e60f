"""Hypothesis strategies: small random, contract-valid `tiltak_bronze` sources (CONTRACT §2).

A source is `{table: [row dict, ...]}` with Python values (date, naive-UTC datetime, str, int,
float, None), the same shape `oracle.gold_tables` reads and `write_sources` writes as CSV.
Everything lies in 2026-10-19 … 2027-01-10, a window with the edges that matter: the end of
summer time (Sunday 2026-10-25, 01:00 UTC; Oslo midnight is 22:00 UTC before it and 23:00 UTC
after), the 53-week ISO year 2026 (2026-W53 is Monday 2026-12-28 … Sunday 2027-01-03) and the
ISO year boundary after it. Timestamps cluster around Oslo midnight in both seasons, and days
around the summer-time change are drawn more often, so that Oslo-date conversion matters; some
reference dates publish 2026-W53.

Oppfølgingsperioder reach further back (2021-12-31 … 2027-01-10), with starts and ends around
Oslo midnight on the summer-time changes of 2025 and 2026, gaps, overlaps, open periods, periods
ending on a Sunday and a few that end before they start. Kontor history rows and avtaler name a
FYLKE unit now and then (never a kontor). Some deltakere first wait (a waiting status) up to four
months before their first other status.

Komet status histories include the shapes the contract's "latest status" rule is for: an open
row (null gyldig_til) that is not the last one, overlapping intervals, and rows tied on
gyldig_fra (broken by opprettet, then id). Vedtak and kontor history rows may share a timestamp
(ties broken by vedtak_id / kontor_id, oracle.py R2).

Deliberately out of scope (readings the contract leaves open, see oracle.py docstring): several
fault reasons on one deltaker, faulty arbeidsgiver avtaler, ties on avtale versjon, renamed groups.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta
from pathlib import Path

from hypothesis import strategies as st

from metrikk.catalog import landing_tables

PERIOD_START = date(2026, 10, 19)  # Monday of 2026-W43, the week summer time ends
PERIOD_END = date(2027, 1, 10)  # Sunday of 2027-W01
SUMMER_TIME_ENDS = date(2026, 10, 25)
W53_SUNDAY = date(2027, 1, 3)  # the last day of 2026-W53

NAV_ENHET = [
    {
        "enhetsnummer": "0600",
        "navn": "Nav Vest-Viken",
        "type": "FYLKE",
        "status": "Aktiv",
        "overordnet_enhet": None,
    },
    {
        "enhetsnummer": "0300",
        "navn": "Nav Oslo",
        "type": "FYLKE",
        "status": "Aktiv",
        "overordnet_enhet": None,
    },
    {
        "enhetsnummer": "0219",
        "navn": "Nav Bærum",
        "type": "LOKAL",
        "status": "Aktiv",
        "overordnet_enhet": "0600",
    },
    {
        "enhetsnummer": "0220",
        "navn": "Nav Asker",
        "type": "LOKAL",
        "status": "Aktiv",
        "overordnet_enhet": "0600",
    },
    {
        "enhetsnummer": "0312",
        "navn": "Nav Frogner",
        "type": "LOKAL",
        "status": "Aktiv",
        "overordnet_enhet": "0300",
    },
    {
        "enhetsnummer": "0315",
        "navn": "Nav Grünerløkka",
        "type": "LOKAL",
        "status": "Aktiv",
        "overordnet_enhet": None,
    },
]
LOKAL = ["0219", "0220", "0312", "0315"]
ALL_UNITS = ["0600", "0300", *LOKAL]
UNKNOWN_KONTOR = "4154"  # a kontor_id not in nav_enhet

TILTAKSTYPE = [
    {
        "id": "tt-opp",
        "navn": "Oppfølging",
        "tiltakskode": "OPPFOLGING",
        "arena_tiltakskode": "INDOPPFAG",
    },
    {
        "id": "tt-avk",
        "navn": "Avklaring",
        "tiltakskode": "AVKLARING",
        "arena_tiltakskode": "AVKLARAG",
    },
    {
        "id": "tt-amo",
        "navn": "Arbeidsmarkedsopplæring (enkeltplass)",
        "tiltakskode": "ENKELTPLASS_ARBEIDSMARKEDSOPPLAERING",
        "arena_tiltakskode": "ENKELAMO",
    },
    {
        "id": "tt-ips",
        "navn": "IPS (individuell jobbstøtte)",
        "tiltakskode": "INDIVIDUELL_JOBBSTOTTE",
        "arena_tiltakskode": "INDJOBSTOT",
    },
    {
        "id": "tt-arbtren",
        "navn": "Arbeidstrening",
        "tiltakskode": "ARBEIDSTRENING",
        "arena_tiltakskode": "ARBTREN",
    },
    {"id": "tt-mentor", "navn": "Mentor", "tiltakskode": "MENTOR", "arena_tiltakskode": "MENTOR"},
]
KOMET_TILTAKSTYPER = ["tt-opp", "tt-avk", "tt-amo", "tt-ips"]
ARBEIDSGIVER_TYPER = ["ARBEIDSTRENING", "MENTOR"]

PERSONS = [f"p{i}" for i in range(1, 7)]
VEILEDERE = ["Z100001", "Z100002", "Z100003"]
GROUPS = [  # (enhetsnummer, gruppe_id, gruppe_navn)
    ("0219", "12", "Team Ung"),  # numerically 7 < 12, as strings "12" < "7"
    ("0219", "7", "Team Helse"),
    ("0220", "30", "Oppfølging Asker"),
    ("0312", "105", "Frogner A"),
]
AVDELINGER = ["Avdeling Ung", "Avdeling Arbeid"]
TILTAKSGRUPPER = ["Gruppe AMO", "FAG & YRK", "Lønnstilskudd", "Oppfølging og avklaring"]

COUNTED = ["DELTAR", "HAR_SLUTTET", "FULLFORT", "AVBRUTT"]
NOT_COUNTED = ["IKKE_AKTUELL", "FEILREGISTRERT", "AVBRUTT_UTKAST", "KLADD", "UTKAST_TIL_PAMELDING"]
WAITING = ["SOKT_INN", "VURDERES", "VENTELISTE", "VENTER_PA_OPPSTART"]
INNSATS_CODES = [
    "GODE_MULIGHETER",
    "TRENGER_VEILEDNING",
    "JOBBE_DELVIS",
    "LITEN_MULIGHET_TIL_A_JOBBE",
    "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE",
    "STANDARD_INNSATS",
    "SITUASJONSBESTEMT_INNSATS",
    "SPESIELT_TILPASSET_INNSATS",
    "GRADERT_VARIG_TILPASSET_INNSATS",
    "VARIG_TILPASSET_INNSATS",
    "IKVAL",
    "BFORM",
    "BATT",
    "VARIG",
    "IVURD",
    "BKART",
]

# UTC clock times that straddle Oslo midnight in summer (22:00 UTC) and winter (23:00 UTC), plus daytime.
CLOCKS = [
    time(21, 30),
    time(21, 59, 59),
    time(22, 0),
    time(22, 30),
    time(22, 59, 59),
    time(23, 0),
    time(23, 0, 1),
    time(23, 30),
    time(0, 15),
    time(9, 0),
]


def days(lo: date = PERIOD_START, hi: date = PERIOD_END) -> st.SearchStrategy[date]:
    """Days in lo … hi; the days around the end of summer time, when in range, ~1 in 4."""
    near_switch = [
        SUMMER_TIME_ENDS + timedelta(days=k)
        for k in (-1, 0, 1)
        if lo <= SUMMER_TIME_ENDS + timedelta(days=k) <= hi
    ]
    any_day = st.dates(min_value=lo, max_value=hi)
    if not near_switch:
        return any_day
    return st.one_of(any_day, any_day, any_day, st.sampled_from(near_switch))


@st.composite
def timestamps(draw, lo: date = PERIOD_START, hi: date = PERIOD_END) -> datetime:
    """A naive-UTC timestamp, usually within an hour of Oslo midnight."""
    return datetime.combine(draw(days(lo, hi)), draw(st.sampled_from(CLOCKS)))


@st.composite
def distinct_timestamps(
    draw, n: int, lo: date = PERIOD_START, hi: date = PERIOD_END
) -> list[datetime]:
    """n distinct naive-UTC timestamps, ascending."""
    return sorted(draw(st.lists(timestamps(lo, hi), min_size=n, max_size=n, unique=True)))


@st.composite
def maybe_tied_timestamps(
    draw, n: int, lo: date = PERIOD_START, hi: date = PERIOD_END
) -> list[datetime]:
    """n naive-UTC timestamps, ascending; about one list in three repeats a timestamp (a tie)."""
    times = draw(distinct_timestamps(n, lo, hi))
    if n >= 2 and draw(st.integers(0, 2)) == 0:
        i = draw(st.integers(1, n - 1))
        times[i] = times[i - 1]
    return times


@st.composite
def gjennomforinger(draw) -> tuple[list[dict], list[dict]]:
    n = draw(st.integers(1, 4))
    rows, enheter = [], []
    for i in range(n):
        gid = f"gjf-{i + 1}"
        opprettet = datetime.combine(PERIOD_START - timedelta(days=60), time(8, 0))
        rows.append(
            {
                "id": gid,
                "tiltakstype_id": draw(st.sampled_from(KOMET_TILTAKSTYPER)),
                "avtale_id": None,
                "tiltaksnummer": f"2025/{1000 + i}",
                "navn": f"Gjennomføring {i + 1}",
                "start_dato": PERIOD_START - timedelta(days=300),
                "slutt_dato": None,
                "status": "GJENNOMFORES",
                "oppstart": draw(st.sampled_from(["LOPENDE", "FELLES", "ENKELTPLASS"])),
                "antall_plasser": draw(st.one_of(st.none(), st.integers(1, 8))),
                "opprettet_tidspunkt": opprettet,
                "oppdatert_tidspunkt": opprettet,
                "avsluttet_tidspunkt": None,
            }
        )
        for e in draw(st.lists(st.sampled_from(ALL_UNITS), min_size=1, max_size=3, unique=True)):
            enheter.append({"gjennomforing_id": gid, "enhetsnummer": e})
    return rows, enheter


@st.composite
def status_history(draw, deltaker_id: str) -> list[dict]:
    """1–4 status rows of one deltaker. Shapes: a chain (each row ends when the next begins, the
    last one open or, ~1 in 4, closed), an open row that is not the last one (the rows after it
    are closed), or overlapping intervals; gyldig_fra may tie (opprettet then decides, or id)."""
    n = draw(st.integers(1, 3))
    times = draw(maybe_tied_timestamps(n))
    statuses = draw(
        st.lists(st.sampled_from(COUNTED + NOT_COUNTED + WAITING), min_size=n, max_size=n)
    )
    if draw(st.integers(0, 2)) == 0:  # ~1 in 3: waited first, from days to four months before
        n += 1
        earlier = times[0] - timedelta(
            days=draw(st.sampled_from([0, 1, 13, 14, 15, 29, 30, 31, 60, 89, 90, 91, 120]))
        )
        earlier = datetime.combine(earlier.date(), draw(st.sampled_from(CLOCKS)))
        if earlier >= times[0]:
            earlier = times[0] - timedelta(hours=1)
        times = [earlier, *times]
        statuses = [draw(st.sampled_from(WAITING)), *statuses]
    last_closed = draw(st.booleans()) and draw(st.booleans())  # ~1 in 4: no open row
    shape = draw(st.sampled_from(["chain", "chain", "open_not_last", "overlap"]))
    open_at = draw(st.integers(0, n - 2)) if shape == "open_not_last" and n >= 2 else n - 1
    rows = []
    for i, (t, s) in enumerate(zip(times, statuses, strict=True)):
        if i == open_at and not last_closed:
            til = None
        elif i + 1 < n:
            til = times[i + 1]
            if shape == "overlap":
                til += timedelta(days=draw(st.integers(1, 10)))
        else:
            til = t + timedelta(days=draw(st.integers(1, 20)))
        rows.append(
            {
                "id": f"{deltaker_id}-s{i}",
                "deltaker_id": deltaker_id,
                "status": s,
                "aarsak": None,
                "gyldig_fra": t,
                "gyldig_til": til,
                "opprettet": t + timedelta(seconds=draw(st.sampled_from([0, 0, 1]))),
            }
        )
    return rows


@st.composite
def deltakere(draw, gjf_ids: list[str]) -> tuple[list[dict], list[dict]]:
    n = draw(st.integers(2, 8))
    rows, statuses = [], []
    for i in range(n):
        did = f"d{i + 1}"
        fault = draw(
            st.sampled_from(["ok"] * 6 + ["no_start", "bad_period", "unknown_gjf", "no_status"])
        )
        start = draw(days())
        slutt = draw(
            st.one_of(st.none(), st.integers(0, 45).map(lambda k, s=start: s + timedelta(days=k)))
        )
        if fault == "no_start":
            start = None
        elif fault == "bad_period":
            slutt = start - timedelta(days=draw(st.integers(1, 10)))
        gjf = "gjf-ukjent" if fault == "unknown_gjf" else draw(st.sampled_from(gjf_ids))
        rows.append(
            {
                "id": did,
                "person_id": draw(st.sampled_from(PERSONS)),
                "gjennomforing_id": gjf,
                "start_dato": start,
                "slutt_dato": slutt,
                "registrert_tidspunkt": draw(timestamps()),
                "kilde": draw(st.sampled_from(["KOMET", "ARENA", None])),
                "dager_per_uke": draw(st.one_of(st.none(), st.sampled_from([2.5, 5.0]))),
                "prosent_stilling": draw(st.one_of(st.none(), st.sampled_from([50.0, 100.0]))),
            }
        )
        if fault != "no_status":
            statuses += draw(status_history(did))
    return rows, statuses


@st.composite
def avtaler(draw) -> list[dict]:
    events = []
    for a in range(draw(st.integers(1, 3))):
        n = draw(st.integers(1, 3))
        times = draw(distinct_timestamps(n))
        person = draw(st.sampled_from(PERSONS))
        kode = draw(st.sampled_from(ARBEIDSGIVER_TYPER))
        start = draw(days())
        slutt = draw(
            st.one_of(st.none(), st.integers(0, 40).map(lambda k, s=start: s + timedelta(days=k)))
        )
        for v, t in enumerate(times, start=1):
            enhet = draw(  # ~1 in 7 a FYLKE unit, which is never a kontor
                st.one_of(st.none(), st.sampled_from([*LOKAL, UNKNOWN_KONTOR, "0600"]))
            )
            events.append(
                {
                    "hendelse_id": f"h{a}-{v}",
                    "avtale_id": f"avtale-{a + 1}",
                    "tidspunkt": t,
                    "hendelse_type": "ENDRET" if v > 1 else "OPPRETTET",
                    "versjon": v,
                    "person_id": person,
                    "tiltakstype": kode,
                    "avtale_status": draw(
                        st.sampled_from(
                            ["GJENNOMFØRES", "AVSLUTTET", "ANNULLERT", "KLAR_FOR_OPPSTART"]
                        )
                    ),
                    "start_dato": start,
                    "slutt_dato": slutt,
                    "enhet_oppfolging": enhet,
                    "enhet_geografisk": enhet,
                }
            )
    return events


@st.composite
def per_person(draw) -> dict[str, list[dict]]:
    vedtak, kontor, tilordning, perioder = [], [], [], []
    seqs = iter(draw(st.permutations(range(1, 3 * len(PERSONS) + 1))))
    for p in PERSONS:
        for j, t in enumerate(
            draw(
                maybe_tied_timestamps(draw(st.integers(0, 3)), lo=PERIOD_START - timedelta(days=11))
            )
        ):
            vedtak.append(
                {
                    "vedtak_id": f"{p}-v{j}",
                    "person_id": p,
                    "innsatsgruppe": draw(st.sampled_from(INNSATS_CODES)),
                    "hovedmal": None,
                    "fattet_tidspunkt": t,
                    "ansvarlig_enhet": None,
                }
            )
        for t in draw(
            maybe_tied_timestamps(draw(st.integers(0, 2)), lo=PERIOD_START - timedelta(days=61))
        ):
            kontor_id = draw(
                st.sampled_from([*LOKAL, *LOKAL, UNKNOWN_KONTOR, "0600", "0300"])
            )  # ~1 in 5 FYLKE
            kontor.append(
                {
                    "person_id": p,
                    "kontor_id": kontor_id,
                    "endret_tidspunkt": t,
                    "endringstype": None,
                }
            )
        for t in draw(
            distinct_timestamps(draw(st.integers(0, 2)), lo=PERIOD_START - timedelta(days=11))
        ):
            tilordning.append(
                {
                    "person_id": p,
                    "veileder_ident": draw(st.sampled_from(VEILEDERE)),
                    "tilordnet_tidspunkt": t,
                    "tilordning_seq": next(seqs),
                }
            )
        perioder += draw(oppfolgingsperioder(p))
    return {
        "vedtak_14a": vedtak,
        "oppfolgingskontor_historikk": kontor,
        "veileder_tilordning": tilordning,
        "oppfolgingsperiode": perioder,
    }


# Instants around Oslo midnight where the UTC offset changes: summer time ends 2025-10-26 01:00 UTC
# (22:30 UTC on the 25th is already the 26th in Oslo, 22:30 UTC on the 26th is still the 26th) and
# starts 2025-03-30 01:00 UTC (22:30 UTC on the 29th is the 29th, on the 30th it is the 31st).
DST_INSTANTS = [
    datetime(2025, 10, 25, 21, 30),
    datetime(2025, 10, 25, 22, 30),
    datetime(2025, 10, 25, 23, 30),
    datetime(2025, 10, 26, 22, 30),
    datetime(2025, 10, 26, 23, 30),
    datetime(2025, 3, 29, 22, 30),
    datetime(2025, 3, 30, 21, 30),
    datetime(2025, 3, 30, 22, 30),
    # 2026: summer time starts 2026-03-29 and ends 2026-10-25, 01:00 UTC.
    datetime(2026, 3, 28, 22, 30),
    datetime(2026, 3, 29, 22, 30),
    datetime(2026, 10, 24, 21, 30),
    datetime(2026, 10, 24, 22, 30),
    datetime(2026, 10, 25, 22, 30),
    datetime(2026, 10, 25, 23, 30),
]


@st.composite
def oppfolgingsperioder(draw, person_id: str) -> list[dict]:
    """0–3 periods of one person: open or closed, overlapping or with gaps, some ending on a Sunday."""
    rows = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(
            st.one_of(
                timestamps(PERIOD_START - timedelta(days=91)),
                st.sampled_from(DST_INSTANTS),
                st.sampled_from(
                    [
                        datetime(2025, 6, 1, 7, 0),
                        datetime(2021, 12, 31, 23, 30),
                        datetime(2022, 1, 2, 22, 59),
                    ]
                ),
            )
        )
        kind = draw(st.sampled_from(["open", "days", "days", "sunday", "dst", "before_start"]))
        if kind == "open":
            slutt = None
        elif kind == "days":
            slutt = datetime.combine(
                start.date() + timedelta(days=draw(st.integers(0, 60))),
                draw(st.sampled_from(CLOCKS)),
            )
        elif (
            kind == "sunday"
        ):  # the Oslo date of sluttdato is a Sunday (22:30 UTC on Sunday, 23:30 on Saturday)
            d = start.date() + timedelta(days=draw(st.integers(0, 50)))
            sunday = d + timedelta(days=6 - d.weekday())
            slutt = draw(
                st.sampled_from(
                    [
                        datetime.combine(sunday, time(12, 0)),
                        datetime.combine(sunday, time(22, 30)),
                        datetime.combine(sunday - timedelta(days=1), time(23, 30)),
                    ]
                )
            )
        elif kind == "dst":
            slutt = draw(st.sampled_from(DST_INSTANTS))
        else:
            slutt = start - timedelta(days=draw(st.integers(1, 5)))
        rows.append({"person_id": person_id, "startdato": start, "sluttdato": slutt})
    return rows


@st.composite
def tiltaksgrupper(draw) -> list[dict]:
    """An office's own tiltaksgrupper, so that office rows, national rows and tiltakstype_navn compete:
    per tiltakskode usually a national row, and for each unit (LOKAL, a FYLKE and an unknown one)
    one row, none or two (two rows for one key). An office's labels name the office, so an office
    row and the national row never agree by chance. Hypothesis' simplest draw is "rows everywhere"."""
    if draw(st.integers(0, 4)) == 4:  # ~1 in 5: the optional table is empty
        return []
    rows = []
    for kode in [t["tiltakskode"] for t in TILTAKSTYPE]:
        if draw(st.integers(0, 3)) != 3:
            rows.append(
                {
                    "enhetsnummer": None,
                    "tiltakskode": kode,
                    "tiltaksgruppe": draw(st.sampled_from(TILTAKSGRUPPER)),
                }
            )
        for enhet in [*LOKAL, "0600", UNKNOWN_KONTOR]:
            n = draw(st.integers(0, 3))  # 0: one row, 1 or 2: none, 3: two rows
            for _ in range({0: 1, 3: 2}.get(n, 0)):
                rows.append(
                    {
                        "enhetsnummer": enhet,
                        "tiltakskode": kode,
                        "tiltaksgruppe": f"{draw(st.sampled_from(TILTAKSGRUPPER))} {enhet}",
                    }
                )
    return rows


@st.composite
def snapshots(draw) -> tuple[list[dict], list[dict]]:
    first = draw(days(PERIOD_START - timedelta(days=6), PERIOD_START + timedelta(days=40)))
    last = draw(days(first, first + timedelta(days=50)))
    n_days = (last - first).days + 1
    missing = set(draw(st.lists(st.integers(0, n_days - 1), max_size=2)))
    snapshot_days = [first + timedelta(days=k) for k in range(n_days) if k not in missing]
    rows = []
    for enh, gid, navn in GROUPS:
        for v in VEILEDERE:
            kind = draw(st.sampled_from(["always", "never", "from", "never", "until", "gap"]))
            if kind == "never":
                continue
            a, b = sorted(draw(st.lists(st.integers(0, n_days - 1), min_size=2, max_size=2)))
            for k, d in enumerate(first + timedelta(days=k) for k in range(n_days)):
                member = {
                    "always": True,
                    "from": k >= a,
                    "until": k <= a,
                    "gap": not (a <= k <= b),
                }[kind]
                if member and d in snapshot_days:
                    rows.append(
                        {
                            "snapshot_dato": d,
                            "enhetsnummer": enh,
                            "gruppe_id": gid,
                            "gruppe_navn": navn,
                            "veileder_ident": v,
                        }
                    )
    mapping = [
        {"enhetsnummer": enh, "gruppe_id": gid, "avdeling": draw(st.sampled_from(AVDELINGER))}
        for enh, gid, _ in GROUPS
        if draw(st.booleans())
    ]
    return rows, mapping


@st.composite
def sources(draw) -> dict[str, list[dict]]:
    """A complete small `tiltak_bronze` source."""
    gjf, gjf_enheter = draw(gjennomforinger())
    delt, statuses = draw(deltakere([g["id"] for g in gjf]))
    snap, mapping = draw(snapshots())
    return {
        "tiltakstype": TILTAKSTYPE,
        "gjennomforing": gjf,
        "gjennomforing_nav_enhet": gjf_enheter,
        "nav_enhet": NAV_ENHET,
        "deltaker": delt,
        "deltaker_status": statuses,
        "arbeidsgiver_avtale_hendelse": draw(avtaler()),
        **draw(per_person()),
        "veiledergruppe_snapshot": snap,
        "avdeling_veiledergruppe": mapping,
        "tiltaksgruppe": draw(tiltaksgrupper()),
    }


def as_of_dates() -> st.SearchStrategy[date]:
    """Reference dates from five weeks into the period to just after it, any weekday; about one in
    four is on or just after the Sunday that ends 2026-W53, so that week is published."""
    return st.one_of(
        days(PERIOD_START + timedelta(days=34), PERIOD_END + timedelta(days=5)),
        days(PERIOD_START + timedelta(days=34), PERIOD_END + timedelta(days=5)),
        days(PERIOD_START + timedelta(days=34), PERIOD_END + timedelta(days=5)),
        st.sampled_from(
            [W53_SUNDAY, W53_SUNDAY + timedelta(days=1), W53_SUNDAY + timedelta(days=3)]
        ),
    )


def _csv_value(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, datetime):
        return v.isoformat(timespec="seconds")
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def write_sources(src: dict[str, list[dict]], directory: Path) -> None:
    """Write every tiltak_bronze table as a contract CSV file `tiltak_bronze.<table>.csv`."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, table in landing_tables().items():
        if table.schema != "tiltak_bronze":
            continue
        cols = table.column_names
        with (directory / f"{name}.csv").open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(cols)
            for row in src.get(table.table, []):
                w.writerow([_csv_value(row.get(c)) for c in cols])
