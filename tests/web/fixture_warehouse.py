"""FIXTURE warehouse for the web tests: hand-made published tables, NOT the real pipeline.

The tiltak models are written in parallel on another branch, so this module creates the tables
the web app reads (`tiltak_silver.deltakelse_uke`, `tiltak_silver.nav_enhet`, `tiltak_gold.*`,
`etterlevelse.ds_*`, `metrikk_meta.datasett`) directly, with the contract's column names, from a
small seeded list of deltakelse-weeks (`ROWS`). Gold tables are derived from those rows with plain
SQL. When the pipeline lands on main, the integrator switches the fixture to `metrikk run`.

Write it out for browsing: `uv run python tests/web/fixture_warehouse.py /tmp/web.duckdb`.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from metrikk.warehouse import connect

FIRST_WEEK = date(2025, 9, 1)  # 2025-W36
LAST_WEEK = date(2025, 10, 6)  # 2025-W41
WEEKS = [FIRST_WEEK + timedelta(weeks=i) for i in range(6)]

NAV_ENHET = [
    ("0219", "Nav Bærum", "LOKAL", "Aktiv", "0600", False),
    ("0220", "Nav Asker", "LOKAL", "Aktiv", "0600", False),
    ("0600", "Nav Vest-Viken", "FYLKE", "Aktiv", None, True),
]

TILTAK = [
    ("ARBFORB", "Arbeidsforberedende trening", "GRUPPE"),
    ("AMO", "Arbeidsmarkedsopplæring (AMO)", "GRUPPE"),
    ("OPPFOLGING", "Oppfølging", "GRUPPE"),
    ("ENKELAMO", "Arbeidsmarkedsopplæring (enkeltplass)", "ENKELTPLASS"),
    ("MIDLONTIL", "Midlertidig lønnstilskudd", "ARBEIDSGIVER"),
]
AVDELINGER = ["Avdeling Øst", "Avdeling Vest", "Ungdomsteam", "Uten avdeling"]
INNSATS = [
    "GODE_MULIGHETER",
    "TRENGER_VEILEDNING",
    "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE",
    "JOBBE_DELVIS",
    "UKJENT",
]
# tiltak_silver.gjennomforing_navn: id -> (navn, tiltaksnummer, visningsnavn, enkeltplass,
# start, slutt, LOKAL enheter). g-amo-1 has no navn (shown by tiltaksnummer + tiltakstype);
# g-enkel-1 is an enkeltplass (never in Brum's list).
GJENNOMFORING_NAVN = {
    "g-arbforb-1": (
        "Arbeidsforberedende trening - Frisk AS Bærum",
        None,
        "Arbeidsforberedende trening - Frisk AS Bærum",
        False,
        date(2024, 1, 8),
        None,
        ("0219",),
    ),
    "g-amo-1": (
        None,
        "2025#100200",
        "2025#100200 Arbeidsmarkedsopplæring (AMO)",
        False,
        date(2025, 8, 4),
        date(2025, 12, 19),
        ("0219", "0220"),
    ),
    "g-amo-2": (
        "AMO kurs Bærum høst 2025",
        None,
        "AMO kurs Bærum høst 2025",
        False,
        date(2025, 9, 1),
        date(2025, 9, 26),
        ("0219",),
    ),
    "g-oppf-1": (
        "Oppfølging - Ressurs AS Asker",
        "2023#555001",
        "Oppfølging - Ressurs AS Asker",
        False,
        date(2023, 5, 2),
        None,
        ("0220",),
    ),
    "g-enkel-1": (
        None,
        None,
        "Arbeidsmarkedsopplæring (enkeltplass) (g-enkel-)",
        True,
        date(2025, 9, 8),
        None,
        ("0219",),
    ),
}
GJENNOMFORINGER = {  # id -> (tiltakskode, plasser)
    "g-arbforb-1": ("ARBFORB", 12),
    "g-amo-1": ("AMO", 10),
    "g-amo-2": ("AMO", None),
    "g-oppf-1": ("OPPFOLGING", 20),
}


@dataclass(frozen=True)
class Row:
    """One row of tiltak_silver.deltakelse_uke (only what the web reads varies)."""

    uke_start: date
    deltakelse_id: str
    person_id: str
    kontor: str
    avdeling: str
    innsatsgruppe: str
    tiltakskode: str
    gjennomforing_id: str | None
    startet: bool = False
    sluttet: bool = False


# The crafted case: person p-dobbel is on AMO and Oppfølging in the same week and avdeling, so
# "persons in Avdeling Vest" is one less than the sum of its tiltak cells.
CRAFTED = [
    Row(
        LAST_WEEK,
        "d-dobbel-1",
        "p-dobbel",
        "0219",
        "Avdeling Vest",
        "TRENGER_VEILEDNING",
        "AMO",
        "g-amo-1",
    ),
    Row(
        LAST_WEEK,
        "d-dobbel-2",
        "p-dobbel",
        "0219",
        "Avdeling Vest",
        "TRENGER_VEILEDNING",
        "OPPFOLGING",
        "g-oppf-1",
    ),
]


def _generate(seed: int = 42) -> list[Row]:
    rnd = random.Random(seed)
    rows: list[Row] = []
    for kontor, persons in (("0219", 60), ("0220", 12)):
        for p in range(persons):
            pid = f"p-{kontor}-{p:03d}"
            avdeling = rnd.choices(AVDELINGER, weights=[5, 4, 2, 1])[0]
            innsats = rnd.choices(INNSATS, weights=[2, 5, 3, 1, 1])[0]
            for d in range(rnd.choice([1, 1, 1, 2])):
                kode = rnd.choices([t[0] for t in TILTAK], weights=[4, 5, 3, 1, 2])[0]
                gj = [g for g, (k, _) in GJENNOMFORINGER.items() if k == kode]
                gid = (
                    rnd.choice(gj)
                    if gj and TILTAK[[t[0] for t in TILTAK].index(kode)][2] == "GRUPPE"
                    else None
                )
                start = rnd.randrange(-2, len(WEEKS))
                length = rnd.randint(1, 6)
                for i in range(max(0, start), min(len(WEEKS), start + length)):
                    rows.append(
                        Row(
                            WEEKS[i],
                            f"d-{pid}-{d}",
                            pid,
                            kontor,
                            avdeling,
                            innsats,
                            kode,
                            gid,
                            startet=i == start,
                            sluttet=i == start + length - 1,
                        )
                    )
    return rows


ROWS: list[Row] = _generate() + CRAFTED
# A tiltakstype nobody in the fixture is on: filter options under --min-antall list it.
TILTAKSTYPER = [*TILTAK, ("JOBBKLUBB", "Jobbklubb", "GRUPPE")]
TILTAK_NAVN = {k: n for k, n, _ in TILTAKSTYPER}
TILTAK_KATEGORI = {k: c for k, _, c in TILTAKSTYPER}
ENHET_NAVN = {e[0]: e[1] for e in NAV_ENHET}
# The veiledergrupper (organisation data) behind the avdelinger: every avdeling but
# "Uten avdeling" at both LOKAL kontor, and one no fixture person belongs to.
VEILEDERGRUPPER = [
    (kontor, avdeling)
    for kontor in ("0219", "0220")
    for avdeling in (*AVDELINGER[:-1], "Avdeling Nord")
]


def veiledergruppe_id(kontor: str, avdeling: str) -> str | None:
    """The veiledergruppe behind an avdeling (VEILEDERGRUPPER), none for «Uten avdeling»."""
    if (kontor, avdeling) not in VEILEDERGRUPPER:
        return None
    return f"vg-{VEILEDERGRUPPER.index((kontor, avdeling))}"


# tiltak_silver.tiltaksgruppe: Bærum's own groups for three codes, a national row for one; every
# other (kontor, code) falls back to the tiltakstype's name (CONTRACT §3).
TILTAKSGRUPPE_RADER = [
    ("0219", "ARBFORB", "AFT"),
    ("0219", "AMO", "Opplæring"),
    ("0219", "ENKELAMO", "Opplæring"),
    (None, "OPPFOLGING", "Oppfølging og avklaring"),
]


def tiltaksgruppe(kontor: str, kode: str) -> str:
    """The contract's rule: the kontor's row, else the national row, else the name."""
    own = {(e, k): g for e, k, g in TILTAKSGRUPPE_RADER}
    return own.get((kontor, kode)) or own.get((None, kode)) or TILTAK_NAVN[kode]


@dataclass(frozen=True)
class Oppfolging:
    """One row of tiltak_silver.oppfolging_uke without `paa_tiltak` (derived from the rows)."""

    uke_start: date
    person_id: str
    kontor: str
    avdeling: str
    innsatsgruppe: str


def oppfolging_of(rows: list[Row], seed: int = 7) -> list[Oppfolging]:
    """Persons under oppfølging per week. Most persons on tiltak are, from the week before their
    first deltakelse-week to their last, at the kontor, avdeling and innsatsgruppe of their first
    row; every ninth is on tiltak without oppfølging. Beside them persons under oppfølging who are
    never on tiltak, every seventh changing innsatsgruppe after two weeks (so a month counts them
    in two innsatsgrupper, and once in total)."""
    rnd = random.Random(seed)
    out: list[Oppfolging] = []
    by_person: dict[str, list[Row]] = {}
    for r in rows:
        by_person.setdefault(r.person_id, []).append(r)
    for i, (pid, rs) in enumerate(sorted(by_person.items())):
        if i % 9 == 4:
            continue
        first = min(r.uke_start for r in rs)
        last = max(r.uke_start for r in rs)
        r0 = min(rs, key=lambda r: (r.uke_start, r.deltakelse_id))
        for w in WEEKS:
            if first - timedelta(weeks=1) <= w <= last:
                out.append(Oppfolging(w, pid, r0.kontor, r0.avdeling, r0.innsatsgruppe))
    for kontor, persons in (("0219", 50), ("0220", 10)):
        for p in range(persons):
            pid = f"q-{kontor}-{p:03d}"
            avdeling = rnd.choices(AVDELINGER, weights=[5, 4, 2, 1])[0]
            innsats = rnd.choices(INNSATS, weights=[3, 4, 3, 1, 1])[0]
            later = rnd.choice([x for x in INNSATS if x != innsats]) if p % 7 == 0 else innsats
            start = rnd.randrange(len(WEEKS))
            for j, w in enumerate(WEEKS[start : start + rnd.randint(1, 6)]):
                out.append(Oppfolging(w, pid, kontor, avdeling, innsats if j < 2 else later))
    return out


@dataclass(frozen=True)
class Oppstart:
    """One row of tiltak_silver.oppstart: a Komet deltakelse starting in the fixture's weeks."""

    uke_start: date
    deltakelse_id: str
    person_id: str
    kontor: str
    tiltakskode: str
    tiltaksgruppe: str
    ventedager: int


VENTEDAGER = (0, 0, 3, 10, 14, 15, 21, 30, 31, 44, 60, 90, 91, 130)


def oppstarter_of(rows: list[Row], seed: int = 11) -> list[Oppstart]:
    """Every deltakelse (not an arbeidsgiver avtale) with a row that starts, at that row's week
    and kontor, with ventedager drawn from VENTEDAGER (0, and either side of 14, 30 and 90)."""
    rnd = random.Random(seed)
    out = []
    for r in sorted(rows, key=lambda r: (r.uke_start, r.deltakelse_id)):
        if r.startet and TILTAK_KATEGORI[r.tiltakskode] != "ARBEIDSGIVER":
            out.append(
                Oppstart(
                    r.uke_start,
                    r.deltakelse_id,
                    r.person_id,
                    r.kontor,
                    r.tiltakskode,
                    tiltaksgruppe(r.kontor, r.tiltakskode),
                    rnd.choice(VENTEDAGER),
                )
            )
    return out


def build(
    path: Path,
    *,
    syntetisk: bool = True,
    etterlevelse: bool = True,
    rows: list[Row] | None = None,
    enheter: list[tuple] | None = None,
) -> Path:
    """Create the fixture warehouse file at `path` and return it.

    `rows` and `enheter` replace ROWS and NAV_ENHET (tests/web/test_disclosure.py builds its own
    small warehouses this way).
    """
    path = Path(path)
    rows = ROWS if rows is None else rows
    enheter = NAV_ENHET if enheter is None else enheter
    with connect(path) as con:
        for schema in ("tiltak_silver", "tiltak_gold", "etterlevelse", "metrikk_meta"):
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        _meta(con, syntetisk, len(rows))
        _silver(con, rows, enheter)
        _gjennomforing_navn(con)
        _gold(con, rows)
        _oppfolging_gold(con)
        if etterlevelse:
            _etterlevelse(con)
        con.execute("CHECKPOINT")
    return path


def _meta(con: duckdb.DuckDBPyConnection, syntetisk: bool, n_rows: int) -> None:
    """metrikk_meta.datasett as CONTRACT §1 defines it: one landing table loaded, one empty."""
    con.execute(
        """
        CREATE OR REPLACE TABLE metrikk_meta.datasett (
            schema_name VARCHAR, table_name VARCHAR, syntetisk BOOLEAN,
            lastet_tidspunkt TIMESTAMP, rader BIGINT)
        """
    )
    con.execute(
        "INSERT INTO metrikk_meta.datasett VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)",
        [
            "tiltak_bronze",
            "deltaker",
            syntetisk,
            datetime(2025, 10, 13, 6, 0),
            n_rows,
            "tiltak_bronze",
            "vedtak_14a",
            False,
            datetime(2025, 10, 12, 6, 0),
            0,
        ],
    )


def _silver(con: duckdb.DuckDBPyConnection, rows: list[Row], enheter: list[tuple]) -> None:
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_silver.nav_enhet (
            enhetsnummer VARCHAR, navn VARCHAR, type VARCHAR, status VARCHAR,
            overordnet_enhet VARCHAR, er_fylke BOOLEAN)
        """
    )
    con.executemany("INSERT INTO tiltak_silver.nav_enhet VALUES (?, ?, ?, ?, ?, ?)", enheter)
    navn = {e[0]: e[1] for e in enheter}
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_silver.tiltakstype (
            id VARCHAR, navn VARCHAR, tiltakskode VARCHAR, arena_tiltakskode VARCHAR,
            tiltakskategori VARCHAR)
        """
    )
    con.executemany(
        "INSERT INTO tiltak_silver.tiltakstype VALUES (?, ?, ?, NULL, ?)",
        [(f"tt-{kode}", n, kode, kat) for kode, n, kat in TILTAKSTYPER if kat != "ARBEIDSGIVER"],
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_silver.veiledergruppe_medlemskap (
            enhetsnummer VARCHAR, gruppe_id VARCHAR, gruppe_navn VARCHAR, veileder_ident VARCHAR,
            medlemskap_start DATE, gyldig_fra DATE, gyldig_til DATE, avdeling VARCHAR)
        """
    )
    con.executemany(
        "INSERT INTO tiltak_silver.veiledergruppe_medlemskap VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                kontor,
                f"vg-{i}",
                avdeling,
                f"Z{i:06d}",
                FIRST_WEEK,
                FIRST_WEEK,
                date(9999, 12, 31),
                avdeling,
            )
            for i, (kontor, avdeling) in enumerate(VEILEDERGRUPPER)
        ],
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_silver.deltakelse_uke (
            aar BIGINT, uke BIGINT, uke_start DATE, deltakelse_id VARCHAR, kilde VARCHAR,
            person_id VARCHAR, gjennomforing_id VARCHAR, referansedag DATE, kontor VARCHAR,
            kontor_navn VARCHAR, fylke VARCHAR, kontor_kilde VARCHAR, avdeling VARCHAR,
            veiledergruppe_id VARCHAR, innsatsgruppe VARCHAR, tiltakskode VARCHAR,
            tiltakstype_navn VARCHAR, tiltakskategori VARCHAR, tiltaksgruppe VARCHAR,
            startet BOOLEAN, sluttet BOOLEAN)
        """
    )
    values = []
    for r in rows:
        y, w, _ = r.uke_start.isocalendar()
        kategori = TILTAK_KATEGORI[r.tiltakskode]
        values.append(
            (
                y,
                w,
                r.uke_start,
                r.deltakelse_id,
                "ARBEIDSGIVER" if kategori == "ARBEIDSGIVER" else "KOMET",
                r.person_id,
                r.gjennomforing_id,
                r.uke_start + timedelta(days=6),
                r.kontor,
                navn[r.kontor],
                "0600",
                "OPPFOLGINGSKONTOR",
                r.avdeling,
                None if r.avdeling == "Uten avdeling" else f"vg-{r.avdeling}",
                r.innsatsgruppe,
                r.tiltakskode,
                TILTAK_NAVN[r.tiltakskode],
                kategori,
                tiltaksgruppe(r.kontor, r.tiltakskode),
                r.startet,
                r.sluttet,
            )
        )
    _insert(con, "tiltak_silver.deltakelse_uke", values)
    _oppfolging_silver(con, rows)


def _oppfolging_silver(con: duckdb.DuckDBPyConnection, rows: list[Row]) -> None:
    """tiltak_silver.tiltaksgruppe, oppfolging_uke and oppstart (issue #15)."""
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_silver.tiltaksgruppe (
            enhetsnummer VARCHAR, tiltakskode VARCHAR, tiltaksgruppe VARCHAR, nasjonal BOOLEAN)
        """
    )
    con.executemany(
        "INSERT INTO tiltak_silver.tiltaksgruppe VALUES (?, ?, ?, ?)",
        [(e, k, g, e is None) for e, k, g in TILTAKSGRUPPE_RADER],
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_silver.oppfolging_uke (
            aar BIGINT, uke BIGINT, uke_start DATE, person_id VARCHAR, referansedag DATE,
            kontor VARCHAR, avdeling VARCHAR, veiledergruppe_id VARCHAR, innsatsgruppe VARCHAR,
            paa_tiltak BOOLEAN)
        """
    )
    paa = {(r.uke_start, r.person_id) for r in rows}
    values = []
    for o in oppfolging_of(rows):
        y, w, _ = o.uke_start.isocalendar()
        values.append(
            (
                y,
                w,
                o.uke_start,
                o.person_id,
                o.uke_start + timedelta(days=6),
                o.kontor,
                o.avdeling,
                veiledergruppe_id(o.kontor, o.avdeling),
                o.innsatsgruppe,
                (o.uke_start, o.person_id) in paa,
            )
        )
    _insert(con, "tiltak_silver.oppfolging_uke", values)
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_silver.oppstart (
            aar BIGINT, uke BIGINT, uke_start DATE, deltakelse_id VARCHAR, person_id VARCHAR,
            start_dato DATE, ventedager BIGINT, kontor VARCHAR, tiltakskode VARCHAR,
            tiltaksgruppe VARCHAR)
        """
    )
    values = []
    for o in oppstarter_of(rows):
        y, w, _ = o.uke_start.isocalendar()
        values.append(
            (
                y,
                w,
                o.uke_start,
                o.deltakelse_id,
                o.person_id,
                o.uke_start + timedelta(days=2),
                o.ventedager,
                o.kontor,
                o.tiltakskode,
                o.tiltaksgruppe,
            )
        )
    _insert(con, "tiltak_silver.oppstart", values)


def _gjennomforing_navn(con: duckdb.DuckDBPyConnection) -> None:
    """tiltak_silver.gjennomforing_navn and gjennomforing_lokal_enhet (names, Brum's list)."""
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_silver.gjennomforing_navn (
            gjennomforing_id VARCHAR, navn VARCHAR, tiltaksnummer VARCHAR, tiltakskode VARCHAR,
            tiltakstype_navn VARCHAR, visningsnavn VARCHAR, enkeltplass BOOLEAN,
            start_dato DATE, slutt_dato DATE)
        """
    )
    con.execute(
        "CREATE OR REPLACE TABLE tiltak_silver.gjennomforing_lokal_enhet ("
        "gjennomforing_id VARCHAR, enhetsnummer VARCHAR)"
    )
    kode = {gid: k for gid, (k, _) in GJENNOMFORINGER.items()} | {"g-enkel-1": "ENKELAMO"}
    typenavn = {t[0]: t[1] for t in TILTAK}
    for gid, (navn, nr, vis, enkel, start, slutt, enheter) in GJENNOMFORING_NAVN.items():
        con.execute(
            "INSERT INTO tiltak_silver.gjennomforing_navn VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [gid, navn, nr, kode[gid], typenavn[kode[gid]], vis, enkel, start, slutt],
        )
        for e in enheter:
            con.execute(
                "INSERT INTO tiltak_silver.gjennomforing_lokal_enhet VALUES (?, ?)", [gid, e]
            )


def _insert(con: duckdb.DuckDBPyConnection, table: str, values: list[tuple]) -> None:
    """Bulk insert through a pandas frame (DuckDB's executemany is row by row)."""

    names = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()]
    frame = pd.DataFrame(values, columns=names)
    con.register("_fixture_rows", frame)
    con.execute(f"INSERT INTO {table} SELECT * FROM _fixture_rows")
    con.unregister("_fixture_rows")


def _gold(con: duckdb.DuckDBPyConnection, rows: list[Row]) -> None:
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_gold.uke_deltakere AS
        SELECT aar, uke, uke_start, kontor, kontor_navn, fylke, avdeling, innsatsgruppe,
               tiltakskode, tiltakstype_navn, tiltakskategori,
               count(DISTINCT person_id) AS antall_personer,
               count(*) AS antall_deltakelser,
               count(*) FILTER (WHERE startet) AS antall_startet,
               count(*) FILTER (WHERE sluttet) AS antall_sluttet
        FROM tiltak_silver.deltakelse_uke GROUP BY ALL
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_gold.uke_antall AS
        SELECT aar, uke, kontor, tiltakstype_navn AS tiltaksnavn, innsatsgruppe, avdeling,
               count(DISTINCT person_id) AS antall
        FROM tiltak_silver.deltakelse_uke GROUP BY ALL
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_gold.uke_antall_avdeling AS
        SELECT aar, uke, kontor, tiltakstype_navn AS tiltaksnavn, avdeling,
               count(DISTINCT person_id) AS antall
        FROM tiltak_silver.deltakelse_uke GROUP BY ALL
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_gold.uke_gjennomforing (
            aar BIGINT, uke BIGINT, uke_start DATE, gjennomforing_id VARCHAR, tiltakskode VARCHAR,
            antall_deltar BIGINT, antall_venter BIGINT, antall_plasser BIGINT, belegg DOUBLE,
            antall_fra_lokale_kontor BIGINT, antall_fra_andre_kontor BIGINT)
        """
    )
    deltar: dict[tuple, set] = {}
    for r in rows:
        if r.gjennomforing_id:
            deltar.setdefault((r.uke_start, r.gjennomforing_id), set()).add(r)
    values = []
    for (monday, gid), members in sorted(deltar.items()):
        kode, plasser = GJENNOMFORINGER[gid]
        y, w, _ = monday.isocalendar()
        n = len(members)
        lokale = sum(1 for r in members if r.kontor == "0219")
        values.append(
            (
                y,
                w,
                monday,
                gid,
                kode,
                n,
                (w + len(gid)) % 3,
                plasser,
                None if plasser is None else n / plasser,
                lokale,
                n - lokale,
            )
        )
    _insert(con, "tiltak_gold.uke_gjennomforing", values)
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_gold.uke_datakvalitet AS
        SELECT aar, uke, uke_start, count(*) AS antall_telt,
               count(*) FILTER (WHERE innsatsgruppe = 'UKJENT') AS uten_innsatsgruppe,
               count(*) FILTER (WHERE avdeling = 'Uten avdeling') AS uten_avdeling,
               count(*) FILTER (WHERE kontor = 'UKJENT') AS uten_kontor,
               count(*) FILTER (WHERE kontor_kilde <> 'OPPFOLGINGSKONTOR') AS kontor_fra_fallback,
               CAST(uke % 2 AS BIGINT) AS ikke_telt_mangler_start,
               CAST(0 AS BIGINT) AS ikke_telt_ugyldig_periode,
               CAST(uke % 3 AS BIGINT) AS ikke_telt_ukjent_gjennomforing
        FROM tiltak_silver.deltakelse_uke GROUP BY ALL
        """
    )


def _oppfolging_gold(con: duckdb.DuckDBPyConnection) -> None:
    """uke_oppfolging and uke_ventetid as CONTRACT §4 defines them, summed from silver."""
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_gold.uke_oppfolging AS
        SELECT aar, uke, uke_start, kontor, avdeling, innsatsgruppe,
               count(DISTINCT person_id) AS antall_under_oppfolging,
               count(DISTINCT person_id) FILTER (WHERE paa_tiltak) AS antall_paa_tiltak
        FROM tiltak_silver.oppfolging_uke GROUP BY ALL
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_gold.uke_ventetid AS
        SELECT aar, uke, uke_start, kontor, tiltakskode, count(*) AS antall_oppstart,
               sum(ventedager)::BIGINT AS sum_ventedager,
               count(*) FILTER (WHERE ventedager > 14) AS antall_ventet_over_14,
               count(*) FILTER (WHERE ventedager > 30) AS antall_ventet_over_30,
               count(*) FILTER (WHERE ventedager > 90) AS antall_ventet_over_90
        FROM tiltak_silver.oppstart GROUP BY ALL
        """
    )


def _etterlevelse(con: duckdb.DuckDBPyConnection) -> None:
    # ds_varslinger_tid has the columns of the etterlevelse branch's model (an adoption curve);
    # ds_bruk_uke and ds_sist_oppdatert are shaped freely to exercise the generic view.
    con.execute(
        """
        CREATE OR REPLACE TABLE etterlevelse.ds_bruk_uke AS
        SELECT CAST(isoyear(d) AS BIGINT) AS aar, CAST(week(d) AS BIGINT) AS uke,
               CAST(d AS DATE) AS uke_start, a AS avdeling,
               CAST(10 + 3 * i + (CASE WHEN a = 'Avdeling B' THEN 5 ELSE 0 END) AS BIGINT)
                 AS "antallAktiveDokumenter"
        FROM (SELECT DATE '2025-06-02' + INTERVAL (7 * i) DAY AS d, i
              FROM range(10) r(i)), (VALUES ('Avdeling A'), ('Avdeling B')) v(a)
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE etterlevelse.ds_varslinger_tid AS
        SELECT 'dok-' || i AS "etterlevelseDokumentasjonId", true AS "harVarslingsadresse",
               TIMESTAMP '2024-01-01 09:00:00' + INTERVAL (11 * i) DAY AS "time",
               CAST(DATE '2024-01-01' + INTERVAL (11 * i) DAY AS DATE) AS dato,
               CAST(i + 1 AS BIGINT) AS "antallDokumenter",
               i % 4 <> 0 AS "harVarslingsadresseNaa", i = 7 AS slettet
        FROM range(12) r(i)
        """
    )
    # The model descriptions, as SQLMesh writes them and publish copies them (ds_sist_oppdatert
    # has none: the page says so).
    con.execute(
        "COMMENT ON TABLE etterlevelse.ds_bruk_uke IS 'Én rad per ISO-uke og avdeling med bruk "
        "av Støtte til etterlevelse, jf. Art. 6 i forordningen. Bare uker som er slutt.'"
    )
    con.execute("COMMENT ON COLUMN etterlevelse.ds_bruk_uke.avdeling IS 'Dokumentets avdeling.'")
    con.execute(
        "COMMENT ON TABLE etterlevelse.ds_varslinger_tid IS 'Én rad per dokument som noen gang "
        "har hatt en varslingsadresse! Adressene publiseres ikke.'"
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE etterlevelse.ds_sist_oppdatert AS
        SELECT 'dok-' || i AS "etterlevelseDokumentasjonId",
               TIMESTAMP '2025-09-01 10:00:00' + INTERVAL (i) DAY AS sist_oppdatert,
               CAST(i * 4 AS BIGINT) AS antall_besvarelser
        FROM range(1, 8) r(i)
        """
    )


if __name__ == "__main__":
    out = build(Path(sys.argv[1] if len(sys.argv) > 1 else "web-fixture.duckdb"))
    print(out)
