# ruff: noqa: E501  (SQL and expected values read better unwrapped)
"""`metrikk generate --domain tiltak --form kilder`: the kontrakt world in NAV's own source shapes.

The round-trip test re-derives the kontrakt world from the raw tables with plain Python (no SQL
source layer), so the two forms are provably the same world; the other tests pin each quirk of
the real sources that the source layer must undo (docs/generate-tiltak.md, "The kilder form").
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest
import yaml

from metrikk.catalog import PIPELINE_DIR
from tests.generate.tiltak.conftest import UNTIL, _generate_into

KILDER = yaml.safe_load((PIPELINE_DIR / "kilder.yaml").read_text(encoding="utf-8"))
RAW = [(e["datasett"], t, cols) for e in KILDER.values() for t, cols in e["tabeller"].items()]
DUCKDB_TYPE = {
    "STRING": "VARCHAR",
    "INT64": "BIGINT",
    "FLOAT64": "DOUBLE",
    "BOOL": "BOOLEAN",
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP",
    "DATETIME": "TIMESTAMP",
}
OSLO = ZoneInfo("Europe/Oslo")
V2_FROM = dt.datetime(2025, 2, 24)  # InnsatsgruppeV2 (naive UTC is close enough for a day bound)
V1 = {
    "STANDARD_INNSATS",
    "SITUASJONSBESTEMT_INNSATS",
    "SPESIELT_TILPASSET_INNSATS",
    "GRADERT_VARIG_TILPASSET_INNSATS",
    "VARIG_TILPASSET_INNSATS",
}
V2 = {
    "GODE_MULIGHETER",
    "TRENGER_VEILEDNING",
    "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE",
    "JOBBE_DELVIS",
    "LITEN_MULIGHET_TIL_A_JOBBE",
}


def reader(path: Path) -> Callable[[str], list[dict]]:
    def q(sql: str) -> list[dict]:
        with duckdb.connect(str(path), read_only=True) as con:
            cur = con.execute(sql)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    return q


@pytest.fixture(scope="module", name="worlds")
def _worlds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same world (seed 42, small, to 2025-06-30) in both forms."""
    d = tmp_path_factory.mktemp("kilder")
    paths = {"kontrakt": d / "kontrakt.duckdb", "kilder": d / "kilder.duckdb"}
    _generate_into(paths["kontrakt"], "--until", UNTIL)
    _generate_into(paths["kilder"], "--until", UNTIL, "--form", "kilder")
    return paths


@pytest.fixture(scope="module", name="raw")
def _raw(worlds) -> Callable[[str], list[dict]]:
    return reader(worlds["kilder"])


@pytest.fixture(scope="module", name="bronze")
def _bronze(worlds) -> Callable[[str], list[dict]]:
    return reader(worlds["kontrakt"])


def wall(ts: dt.datetime | None) -> dt.datetime | None:
    """A naive UTC timestamp as Oslo wall-clock time (what a DATETIME column holds)."""
    return None if ts is None else ts.replace(tzinfo=dt.UTC).astimezone(OSLO).replace(tzinfo=None)


def valid_fnr(f: str) -> bool:
    d = [int(x) for x in f]
    k1 = (
        11 - sum(w * x for w, x in zip([3, 7, 6, 1, 8, 9, 4, 5, 2], d[:9], strict=True)) % 11
    ) % 11
    k2 = (
        11 - sum(w * x for w, x in zip([5, 4, 3, 2, 7, 6, 5, 4, 3, 2], d[:10], strict=True)) % 11
    ) % 11
    return k1 == d[9] and k2 == d[10]


# --- the round trip, in plain Python ---------------------------------------------------------


def rederive(q: Callable[[str], list[dict]]) -> dict:
    """The bronze world as the raw tables describe it, persons as their current fødselsnummer."""
    aktor_of: dict[str, str] = {}
    current: dict[str, str] = {}
    for r in q("SELECT * FROM kilde_pdl.identer"):
        assert r["ident"] not in aktor_of, r
        aktor_of[r["ident"]] = r["aktor_id"]
        if r["gruppe"] == "FOLKEREGISTERIDENT" and not r["historisk"]:
            assert r["aktor_id"] not in current, r
            current[r["aktor_id"]] = r["ident"]

    def person(ident: str) -> str:
        return current[aktor_of[ident]]

    # Komet: amt-deltaker wins; the row and its whole history come from one generation
    nav_bruker = {
        r["person_id"]: r["personident"] for r in q("SELECT * FROM kilde_amt_deltaker.nav_bruker")
    }
    bruker = {r["id"]: r["person_ident"] for r in q("SELECT * FROM kilde_amt_tiltak.bruker")}
    deltaker, status = {}, defaultdict(list)
    for r in q("SELECT * FROM kilde_amt_deltaker.deltaker"):
        deltaker[r["id"]] = (
            person(nav_bruker[r["person_id"]]),
            r["deltakerliste_id"],
            r["startdato"],
            r["sluttdato"],
            r["created_at"],
            r["kilde"],
            r["dager_per_uke"],
            r["deltakelsesprosent"],
        )
    for r in q("SELECT * FROM kilde_amt_deltaker.deltaker_status"):
        status[r["deltaker_id"]].append(
            (r["id"], r["type"], r["aarsak"], r["gyldig_fra"], r["gyldig_til"], r["created_at"])
        )
    in_amt_deltaker = set(deltaker)
    for r in q("SELECT * FROM kilde_amt_tiltak.deltaker"):
        if r["id"] not in in_amt_deltaker:
            deltaker[r["id"]] = (
                person(bruker[r["bruker_id"]]),
                r["gjennomforing_id"],
                r["start_dato"],
                r["slutt_dato"],
                r["registrert_dato"],
                r["kilde"],
                r["dager_per_uke"],
                r["prosent_stilling"],
            )
    amt_tiltak = defaultdict(list)
    for r in q("SELECT * FROM kilde_amt_tiltak.deltaker_status"):
        if r["deltaker_id"] not in in_amt_deltaker:
            amt_tiltak[r["deltaker_id"]].append(r)
    for did, rows in amt_tiltak.items():
        rows.sort(key=lambda r: (r["gyldig_fra"], r["created_at"], r["id"]))
        assert [r["aktiv"] for r in rows].count(True) == 1 and rows[-1]["aktiv"], did
        for i, r in enumerate(rows):
            til = None if r["aktiv"] else rows[i + 1]["gyldig_fra"]
            status[did].append(
                (r["id"], r["status"], r["aarsak"], r["gyldig_fra"], til, r["created_at"])
            )
    # §14a: FATTET rows only, one per behandling (resends dropped: latest sekvensnummer)
    fattet: dict[tuple, dict] = {}
    for r in q(
        "SELECT * FROM kilde_14a_vedtak_statistikk.statistikk_dvh_fellestabell WHERE behandling_status = 'FATTET'"
    ):
        k = (r["behandling_id"], r["endret_tid"])
        if k not in fattet or r["sekvensnummer"] > fattet[k]["sekvensnummer"]:
            fattet[k] = r
    assert len({b for b, _ in fattet}) == len(fattet), "one FATTET event per behandling"
    vedtak = [
        (
            person(r["aktor_id"]),
            r["ferdigbehandlet_tid"] or r["endret_tid"],
            r["innsatsgruppe"],
            r["hovedmal"],
            None if r["ansvarlig_enhet"] == "-5" else r["ansvarlig_enhet"],
        )
        for r in fattet.values()
    ]
    perioder = [
        (person(r["aktor_id"]), r["startdato"], r["sluttdato"])
        for r in q("SELECT * FROM kilde_veilarboppfolging.oppfolgingsperiode")
    ]
    kontor = [
        (person(r["ident"]), r["kontor_id"], r["created_at"], r["kontorendringstype"])
        for r in q(
            "SELECT * FROM kilde_ao_oppfolgingskontor.kontorhistorikk WHERE kontor_type = 'ARBEIDSOPPFOLGING'"
        )
    ]
    tilordning = [
        (person(r["aktor_id"]), r["veileder"], r["sist_tilordnet"], r["tilordning_seq"])
        for r in q("SELECT * FROM kilde_veilarboppfolging.veileder_tilordninger")
    ]
    hendelser = {}
    for r in q("SELECT * FROM kilde_team_tiltak.tiltak_avtale_hendelse"):
        m = json.loads(r["value"])
        k = (m["avtaleId"], m["versjon"], m["hendelseType"], m["sistEndret"])
        sist = dt.datetime.fromisoformat(m["sistEndret"]).astimezone(dt.UTC).replace(tzinfo=None)
        hendelser[k] = (
            m["avtaleId"],
            sist,
            m["hendelseType"],
            m["versjon"],
            person(m["deltakerFnr"]),
            m["tiltakstype"],
            m["avtaleStatus"],
            m["startDato"] and dt.date.fromisoformat(m["startDato"]),
            m["sluttDato"] and dt.date.fromisoformat(m["sluttDato"]),
            m["enhetOppfolging"],
            m["enhetGeografisk"],
        )
    return {
        "deltaker": deltaker,
        "status": status,
        "vedtak": vedtak,
        "perioder": perioder,
        "kontor": kontor,
        "tilordning": tilordning,
        "hendelser": list(hendelser.values()),
        "persons": set(current.values()),
    }


def person_map(bronze, world) -> dict[str, str]:
    """kontrakt person_id → current fødselsnummer, from each person's oppfølgingsperioder and
    kontor history (their start and change times are unique per person; a few persons on tiltak
    have no period), checked against the deltaker and avtale links."""
    sig_k, sig_r = defaultdict(lambda: ([], [])), defaultdict(lambda: ([], []))
    for r in bronze("SELECT person_id, startdato FROM tiltak_bronze.oppfolgingsperiode"):
        sig_k[r["person_id"]][0].append(wall(r["startdato"]))
    for r in bronze(
        "SELECT person_id, endret_tidspunkt FROM tiltak_bronze.oppfolgingskontor_historikk"
    ):
        sig_k[r["person_id"]][1].append(r["endret_tidspunkt"])
    for p, start, _ in world["perioder"]:
        sig_r[p][0].append(start)
    for p, _, endret, _ in world["kontor"]:
        sig_r[p][1].append(endret)

    def sig(v: tuple[list, list]) -> tuple:
        return tuple(sorted(v[0])), tuple(sorted(v[1]))

    by_sig = {sig(v): p for p, v in sig_r.items()}
    assert len(by_sig) == len(sig_r)
    mapping = {p: by_sig[sig(v)] for p, v in sig_k.items()}
    assert len(set(mapping.values())) == len(mapping) == len(world["persons"])
    for r in bronze("SELECT id, person_id FROM tiltak_bronze.deltaker"):
        assert mapping[r["person_id"]] == world["deltaker"][r["id"]][0]
    return mapping


def test_round_trip_recovers_the_kontrakt_world(bronze, raw):
    """From the raw tables alone, plain Python re-derives the kontrakt world: the same persons
    (each current fødselsnummer is exactly one kontrakt person), the same deltakelser with their
    whole status histories, vedtak, perioder, kontor, tilordninger and avtale events."""
    world = rederive(raw)
    pid = person_map(bronze, world)
    # persons
    persons_k = {
        r["person_id"]
        for t in (
            "deltaker",
            "arbeidsgiver_avtale_hendelse",
            "vedtak_14a",
            "oppfolgingsperiode",
            "oppfolgingskontor_historikk",
            "veileder_tilordning",
        )
        for r in bronze(f"SELECT DISTINCT person_id FROM tiltak_bronze.{t}")
    }
    assert len(persons_k) == len(world["persons"]) == len(pid)
    # deltakelser and their status histories
    deltaker_k = {
        r["id"]: (
            pid[r["person_id"]],
            r["gjennomforing_id"],
            r["start_dato"],
            r["slutt_dato"],
            r["registrert_tidspunkt"],
            r["kilde"],
            r["dager_per_uke"],
            r["prosent_stilling"],
        )
        for r in bronze("SELECT * FROM tiltak_bronze.deltaker")
    }
    assert world["deltaker"] == deltaker_k
    status_k = defaultdict(list)
    for r in bronze("SELECT * FROM tiltak_bronze.deltaker_status"):
        status_k[r["deltaker_id"]].append(
            (r["id"], r["status"], r["aarsak"], r["gyldig_fra"], r["gyldig_til"], r["opprettet"])
        )
    assert {k: sorted(v, key=lambda x: x[3]) for k, v in world["status"].items()} == {
        k: sorted(v, key=lambda x: x[3]) for k, v in status_k.items()
    }
    # vedtak (ansvarlig_enhet is masked for kode 6 in the source: compared where present)
    vedtak_k = [
        (
            pid[r["person_id"]],
            r["fattet_tidspunkt"],
            r["innsatsgruppe"],
            r["hovedmal"],
            r["ansvarlig_enhet"],
        )
        for r in bronze("SELECT * FROM tiltak_bronze.vedtak_14a")
    ]
    assert Counter(v[:4] for v in world["vedtak"]) == Counter(v[:4] for v in vedtak_k)
    assert set(v for v in world["vedtak"] if v[4] is not None) <= set(vedtak_k)
    # perioder and tilordninger: Oslo wall-clock time of the kontrakt's UTC instants
    assert Counter(world["perioder"]) == Counter(
        (pid[r["person_id"]], wall(r["startdato"]), wall(r["sluttdato"]))
        for r in bronze("SELECT * FROM tiltak_bronze.oppfolgingsperiode")
    )
    assert Counter(world["tilordning"]) == Counter(
        (
            pid[r["person_id"]],
            r["veileder_ident"],
            wall(r["tilordnet_tidspunkt"]),
            r["tilordning_seq"],
        )
        for r in bronze("SELECT * FROM tiltak_bronze.veileder_tilordning")
    )
    assert Counter(world["kontor"]) == Counter(
        (pid[r["person_id"]], r["kontor_id"], r["endret_tidspunkt"], r["endringstype"])
        for r in bronze("SELECT * FROM tiltak_bronze.oppfolgingskontor_historikk")
    )
    assert Counter(world["hendelser"]) == Counter(
        (
            r["avtale_id"],
            r["tidspunkt"],
            r["hendelse_type"],
            r["versjon"],
            pid[r["person_id"]],
            r["tiltakstype"],
            r["avtale_status"],
            r["start_dato"],
            r["slutt_dato"],
            r["enhet_oppfolging"],
            r["enhet_geografisk"],
        )
        for r in bronze("SELECT * FROM tiltak_bronze.arbeidsgiver_avtale_hendelse")
    )


def test_valp_norg2_and_snapshots_carry_the_same_rows(bronze, raw):
    """Valp's views, Norg2 and the veiledergruppe snapshots hold exactly the kontrakt rows."""

    def rows(q, sql):
        return Counter(tuple(r.values()) for r in q(sql))

    assert rows(raw, "SELECT * FROM kilde_valp.tiltakstype_view") == rows(
        bronze, "SELECT * FROM tiltak_bronze.tiltakstype"
    )
    assert rows(
        raw,
        """SELECT v.id, tiltakstype_id, avtale_id, tiltaksnummer, navn, start_dato, slutt_dato, status, oppstart,
                          antall_plasser, opprettet_tidspunkt, oppdatert_tidspunkt, avsluttet_tidspunkt
                        FROM kilde_valp.gjennomforing_view v JOIN kilde_valp.public_gjennomforing p ON p.id = v.id""",
    ) == rows(bronze, "SELECT * FROM tiltak_bronze.gjennomforing")
    assert rows(raw, "SELECT * FROM kilde_valp.gjennomforing_nav_enhet_view") == rows(
        bronze, "SELECT * FROM tiltak_bronze.gjennomforing_nav_enhet"
    )
    assert rows(
        raw, "SELECT enhet_nr, navn, type, status, overordnet_enhet FROM kilde_norg2.enhet"
    ) == rows(bronze, "SELECT * FROM tiltak_bronze.nav_enhet")
    assert {r["status"] for r in raw("SELECT DISTINCT status FROM kilde_norg2.enhet")} == {
        "Aktiv",
        "Nedlagt",
    }
    assert rows(raw, "SELECT * FROM kilde_veilarbfilter.veiledergruppe_snapshot") == rows(
        bronze, "SELECT * FROM tiltak_bronze.veiledergruppe_snapshot"
    )


# --- shape -----------------------------------------------------------------------------------


def test_raw_tables_and_columns_are_exactly_kilder_yaml(worlds, raw):
    """Every table of kilder.yaml exists in its schema with exactly the declared columns and
    types (DATETIME as a zone-less TIMESTAMP), nothing else is in those schemas, every raw table
    is recorded as synthetic with its row count, and of tiltak_bronze only the office files are filled."""
    schemas = sorted({s for s, _, _ in RAW})
    found = defaultdict(list)
    for r in raw(f"""SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
                     WHERE table_schema IN ({", ".join(f"'{s}'" for s in schemas)}) ORDER BY table_schema, table_name, ordinal_position"""):
        found[(r["table_schema"], r["table_name"])].append((r["column_name"], r["data_type"]))
    assert found == {(s, t): [(c, DUCKDB_TYPE[ty]) for c, ty in cols.items()] for s, t, cols in RAW}
    meta = {
        (r["schema_name"], r["table_name"]): r for r in raw("SELECT * FROM metrikk_meta.datasett")
    }
    for s, t, _ in RAW:
        (n,) = raw(f'SELECT count(*) AS n FROM "{s}"."{t}"')[0].values()
        assert meta[(s, t)]["syntetisk"] is True and meta[(s, t)]["rader"] == n, (s, t)
        assert n > 0, (s, t)
    filled = {
        r["table_name"]
        for r in raw(
            "SELECT table_name FROM metrikk_meta.datasett WHERE schema_name = 'tiltak_bronze' AND rader > 0"
        )
    }
    assert filled == {"avdeling_veiledergruppe", "tiltaksgruppe"}


def test_same_seed_same_raw_rows(worlds, tmp_path):
    """The kilder form is deterministic: the same seed gives identical rows in every raw table,
    in the same order; another seed gives other idents."""
    again, other = tmp_path / "again.duckdb", tmp_path / "other.duckdb"
    _generate_into(again, "--until", UNTIL, "--form", "kilder")
    _generate_into(other, "--until", UNTIL, "--form", "kilder", "--seed", "7")

    def digest(path: Path, s: str, t: str):
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute(
                f'SELECT count(*), sum(hash(x) * rowid) FROM (SELECT rowid, * FROM "{s}"."{t}") x'
            ).fetchone()

    for s, t, _ in RAW:
        assert digest(worlds["kilder"], s, t) == digest(again, s, t), (s, t)
    assert digest(worlds["kilder"], "kilde_pdl", "identer") != digest(other, "kilde_pdl", "identer")


def test_form_kilder_only_for_tiltak(metrikk):
    """--form kilder with another domain is a usage error (exit 2) with a Norwegian message."""
    result = metrikk(
        "generate", "--domain", "etterlevelse", "--form", "kilder", "--until", UNTIL, expect=2
    )
    assert "--form kilder finnes bare for tiltak" in result.output


def test_kilder_form_empties_the_bronze_tables_it_replaces(metrikk, query):
    """A kilder run after a kontrakt run leaves no earlier world in tiltak_bronze (only the
    office files stay), so a run without `ingest kilder` never computes on stale rows."""
    metrikk("generate", "--domain", "tiltak", "--scale", "small", "--until", "2022-03-31")
    assert query("SELECT count(*) FROM tiltak_bronze.deltaker")[0][0] > 0
    metrikk(
        "generate",
        "--domain",
        "tiltak",
        "--scale",
        "small",
        "--until",
        "2022-03-31",
        "--form",
        "kilder",
    )
    assert query("SELECT count(*) FROM tiltak_bronze.deltaker")[0][0] == 0
    assert query("SELECT count(*) FROM tiltak_bronze.avdeling_veiledergruppe")[0][0] > 0
    assert query("SELECT count(*) FROM tiltak_bronze.tiltaksgruppe")[0][0] > 0
    # before Komet's move (2024-06-03) every deltaker is in amt-tiltak, amt-deltaker is empty
    assert query("SELECT count(*) FROM kilde_amt_deltaker.deltaker")[0][0] == 0
    assert query("SELECT count(*) FROM kilde_amt_tiltak.deltaker")[0][0] > 0


# --- quirks ----------------------------------------------------------------------------------


def test_idents_look_real_are_synthetic_and_never_collide(raw):
    """Fødselsnumre are ddmmyy + individnummer + two valid mod-11 control digits, with the month
    + 80 of synthetic identities (never a real person's number); D-numre have day + 40; aktør-ids
    have 13 digits; no ident belongs to two persons."""
    rows = raw("SELECT * FROM kilde_pdl.identer")
    idents = [r["ident"] for r in rows]
    assert len(idents) == len(set(idents))
    fnr = [r["ident"] for r in rows if r["gruppe"] == "FOLKEREGISTERIDENT"]
    assert all(
        len(f) == 11 and f.isdigit() and valid_fnr(f) and 81 <= int(f[2:4]) <= 92 for f in fnr
    )
    dnr = [f for f in fnr if int(f[:2]) > 40]
    assert dnr and all(41 <= int(f[:2]) <= 71 for f in dnr)
    assert all(1 <= int(f[:2]) <= 31 for f in fnr if f not in dnr)
    aktor = [r["ident"] for r in rows if r["gruppe"] == "AKTORID"] + [r["aktor_id"] for r in rows]
    assert all(len(a) == 13 and a.isdigit() for a in aktor)
    # every person exactly one current fødselsnummer and one current aktør-id
    current = Counter((r["aktor_id"], r["gruppe"]) for r in rows if not r["historisk"])
    assert set(current.values()) == {1}


def test_changed_idents_with_older_rows_under_the_old_one(raw):
    """About 1 % of persons changed ident: PDL lists the old one as historisk, and older rows of
    event-log sources (kontorhistorikk, Team Tiltak events), amt-tiltak's bruker and the
    aktør-id keyed sources (an older aktør-id for some) still carry it."""
    hist = {r["ident"]: r["gruppe"] for r in raw("SELECT * FROM kilde_pdl.identer WHERE historisk")}
    persons = raw("SELECT count(DISTINCT aktor_id) AS n FROM kilde_pdl.identer")[0]["n"]
    old_fnr = {i for i, g in hist.items() if g == "FOLKEREGISTERIDENT"}
    old_aktor = {i for i, g in hist.items() if g == "AKTORID"}
    assert 0.002 * persons < len(old_fnr) < 0.02 * persons and old_aktor
    kontor = {
        r["ident"] for r in raw("SELECT ident FROM kilde_ao_oppfolgingskontor.kontorhistorikk")
    }
    melding = {
        json.loads(r["value"])["deltakerFnr"]
        for r in raw("SELECT value FROM kilde_team_tiltak.tiltak_avtale_hendelse")
    }
    bruker = {r["person_ident"] for r in raw("SELECT person_ident FROM kilde_amt_tiltak.bruker")}
    aktor = {
        r["aktor_id"]
        for t in (
            "kilde_veilarboppfolging.oppfolgingsperiode",
            "kilde_veilarboppfolging.veileder_tilordninger",
            "kilde_14a_vedtak_statistikk.statistikk_dvh_fellestabell",
        )
        for r in raw(f"SELECT DISTINCT aktor_id FROM {t}")
    }
    assert kontor & old_fnr and (melding | bruker) & old_fnr and aktor & old_aktor
    # the same persons also appear under their current ident after the change
    current = {
        r["ident"]
        for r in raw(
            "SELECT * FROM kilde_pdl.identer i WHERE NOT historisk AND gruppe = 'FOLKEREGISTERIDENT' AND aktor_id IN (SELECT aktor_id FROM kilde_pdl.identer WHERE historisk AND gruppe = 'FOLKEREGISTERIDENT')"
        )
    }
    assert kontor & current


def test_komet_overlap_amt_deltaker_wins(raw):
    """Deltakere moved from amt-tiltak to amt-deltaker are in both; the amt-tiltak copy is stale
    (frozen at the move: no status written later, another current status for some)."""
    both = raw(
        """SELECT d.id FROM kilde_amt_deltaker.deltaker d JOIN kilde_amt_tiltak.deltaker t USING (id)"""
    )
    assert len(both) > 50
    stale = raw("""SELECT d.id, d.type AS ny, t.status AS gammel FROM kilde_amt_deltaker.deltaker_status d
                   JOIN kilde_amt_tiltak.deltaker_status t ON t.deltaker_id = d.deltaker_id AND t.aktiv
                   WHERE d.gyldig_til IS NULL AND d.type <> t.status""")
    assert stale
    (late,) = raw("""SELECT max(t.created_at) AS m FROM kilde_amt_tiltak.deltaker_status t
                     WHERE t.deltaker_id IN (SELECT id FROM kilde_amt_deltaker.deltaker)""")[
        0
    ].values()
    assert late < dt.datetime(2024, 6, 3, 5, 0)
    # the stale copies have ids of their own: a union of both histories would double them
    assert not raw(
        """SELECT 1 FROM kilde_amt_tiltak.deltaker_status t JOIN kilde_amt_deltaker.deltaker_status d USING (id)"""
    )


def test_amt_tiltak_statuses_have_one_aktiv_row_and_no_gyldig_til(raw):
    """amt-tiltak marks the current status with aktiv = true (exactly one per deltaker)."""
    counts = raw(
        """SELECT deltaker_id, count(*) FILTER (WHERE aktiv) AS n FROM kilde_amt_tiltak.deltaker_status GROUP BY 1"""
    )
    assert {r["n"] for r in counts} == {1}


def test_vedtak_are_behandling_events_with_resends_and_aborts(raw):
    """§14a rows: UNDER_BEHANDLING before FATTET per behandling_id (INT64), resends with the same
    behandling_id + endret_tid, AVBRUTT behandlinger without a FATTET row, V1 names only before
    2025-02-24 and V2 names only after, '-5' for kode 6, each event naming the person's
    oppfølgingsperiode when the person has one."""
    rows = raw("SELECT * FROM kilde_14a_vedtak_statistikk.statistikk_dvh_fellestabell")
    assert isinstance(rows[0]["behandling_id"], int)
    by = defaultdict(list)
    for r in rows:
        by[r["behandling_id"]].append(r)
    fattet = [b for b, rs in by.items() if any(r["behandling_status"] == "FATTET" for r in rs)]
    for b in fattet:
        ub = min(r["endret_tid"] for r in by[b] if r["behandling_status"] == "UNDER_BEHANDLING")
        assert ub < max(r["endret_tid"] for r in by[b] if r["behandling_status"] == "FATTET")
    resends = Counter((r["behandling_id"], r["endret_tid"], r["behandling_status"]) for r in rows)
    assert any(n > 1 for (_, _, s), n in resends.items() if s == "FATTET")
    avbrutt = [b for b, rs in by.items() if any(r["behandling_status"] == "AVBRUTT" for r in rs)]
    assert avbrutt and not set(avbrutt) & set(fattet)
    assert len({r["sekvensnummer"] for r in rows}) == len(rows)
    v1_rows = [r for r in rows if r["innsatsgruppe"] in V1]
    v2_rows = [r for r in rows if r["innsatsgruppe"] in V2]
    assert v1_rows and v2_rows
    assert all(r["endret_tid"] < V2_FROM + dt.timedelta(days=1) for r in v1_rows)
    assert all(
        r["endret_tid"] >= V2_FROM - dt.timedelta(days=1)
        for r in v2_rows
        if r["behandling_status"] != "FATTET"
    )
    assert any(r["ansvarlig_enhet"] == "-5" for r in rows)
    # each event names the person's oppfølgingsperiode
    assert not raw("""SELECT 1 FROM kilde_14a_vedtak_statistikk.statistikk_dvh_fellestabell v
                      JOIN kilde_veilarboppfolging.oppfolgingsperiode p ON p.uuid = v.oppfolging_periode_uuid
                      JOIN kilde_pdl.identer a ON a.ident = v.aktor_id JOIN kilde_pdl.identer b ON b.ident = p.aktor_id
                      WHERE a.aktor_id <> b.aktor_id""")
    # … unless the person has none (a few persons on tiltak have no oppfølgingsperiode)
    uten = raw("""SELECT count(*) AS n FROM kilde_14a_vedtak_statistikk.statistikk_dvh_fellestabell v
                  JOIN kilde_pdl.identer a ON a.ident = v.aktor_id
                  WHERE v.oppfolging_periode_uuid IS NULL AND a.aktor_id IN (
                      SELECT b.aktor_id FROM kilde_veilarboppfolging.oppfolgingsperiode p
                      JOIN kilde_pdl.identer b ON b.ident = p.aktor_id)""")
    assert uten[0]["n"] == 0
    assert 0 < sum(1 for r in rows if not r["oppfolging_periode_uuid"]) < 0.05 * len(rows)


def test_datetime_columns_hold_oslo_wall_clock(bronze, raw):
    """oppfolgingsperiode and veileder_tilordninger hold the Oslo wall-clock time of the kontrakt
    world's UTC instants (+1 h in winter, +2 h in summer), not UTC."""
    utc = [r["startdato"] for r in bronze("SELECT startdato FROM tiltak_bronze.oppfolgingsperiode")]
    assert {wall(u) - u for u in utc} == {dt.timedelta(hours=1), dt.timedelta(hours=2)}
    r = Counter(
        x["startdato"]
        for x in raw("SELECT startdato FROM kilde_veilarboppfolging.oppfolgingsperiode")
    )
    assert r == Counter(wall(u) for u in utc) and r != Counter(utc)
    k = Counter(
        (x["tilordning_seq"], wall(x["tilordnet_tidspunkt"]))
        for x in bronze("SELECT * FROM tiltak_bronze.veileder_tilordning")
    )
    assert k == Counter(
        (x["tilordning_seq"], x["sist_tilordnet"])
        for x in raw("SELECT * FROM kilde_veilarboppfolging.veileder_tilordninger")
    )


def test_kontorhistorikk_has_arena_and_gt_rows_beside_ao(raw):
    """Besides the ARBEIDSOPPFOLGING rows there are GEOGRAFISK_TILKNYTNING rows (just before)
    and ARENA rows (a while after, now and then naming another office)."""
    rows = raw("SELECT * FROM kilde_ao_oppfolgingskontor.kontorhistorikk")
    types = Counter(r["kontor_type"] for r in rows)
    assert set(types) == {"ARBEIDSOPPFOLGING", "ARENA", "GEOGRAFISK_TILKNYTNING"}
    assert types["ARENA"] > 0.5 * types["ARBEIDSOPPFOLGING"]
    assert len({r["id"] for r in rows}) == len(rows)
    differ = raw("""SELECT count(*) AS n FROM kilde_ao_oppfolgingskontor.kontorhistorikk a
                    JOIN kilde_ao_oppfolgingskontor.kontorhistorikk o ON o.ident = a.ident AND o.kontor_type = 'ARBEIDSOPPFOLGING'
                      AND o.created_at < a.created_at AND a.created_at - o.created_at < INTERVAL 3 DAY
                    WHERE a.kontor_type = 'ARENA' AND a.kontor_id <> o.kontor_id""")[0]["n"]
    assert differ > 0


def test_team_tiltak_records_are_avtalemelding_json_with_duplicates(raw):
    """Each Kafka record's value is an AvtaleMelding: sistEndret an instant with Z,
    opprettetTidspunkt an Oslo LocalDateTime without offset (the avtale's first event), names,
    phones and free text present; some records are delivered twice (same avtaleId, versjon,
    hendelseType, sistEndret at another offset)."""
    rows = raw("SELECT * FROM kilde_team_tiltak.tiltak_avtale_hendelse")
    msgs = [json.loads(r["value"]) for r in rows]
    # Instant.toString(): fraction in groups of three; Jackson's LocalDateTime: no trailing zeros
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6})?Z", m["sistEndret"])
        for m in msgs
    )
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?", m["opprettetTidspunkt"])
        for m in msgs
    )
    for field in (
        "deltakerFornavn",
        "deltakerEtternavn",
        "deltakerTlf",
        "bedriftNavn",
        "veilederNavIdent",
        "arbeidsoppgaver",
    ):
        assert all(m[field] for m in msgs), field
    first = {}
    for m in msgs:
        t = dt.datetime.fromisoformat(m["sistEndret"]).astimezone(OSLO).replace(tzinfo=None)
        first[m["avtaleId"]] = min(first.get(m["avtaleId"], t), t)
    assert all(
        dt.datetime.fromisoformat(m["opprettetTidspunkt"]) == first[m["avtaleId"]] for m in msgs
    )
    keys = Counter((m["avtaleId"], m["versjon"], m["hendelseType"], m["sistEndret"]) for m in msgs)
    assert 0 < sum(n - 1 for n in keys.values()) < 0.05 * len(msgs)
    assert len({(r["kafka_partition"], r["kafka_offset"]) for r in rows}) == len(rows)
    assert all(r["kafka_key"] == m["avtaleId"] for r, m in zip(rows, msgs, strict=True))
