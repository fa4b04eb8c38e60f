"""`metrikk ingest postgres` against a real PostgreSQL holding the apps' own tables."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pg_cluster
import pg_sources
import psycopg
import pytest

from metrikk.ingest.postgres import OVERLAP, IngestError, ingest
from metrikk.settings import Settings

pytestmark = pytest.mark.postgres

START = datetime(2024, 3, 1, 8, 0, 0)


# ----------------------------------------------------------------------------------------------
# helpers: what the source holds, and what landed, in comparable form


def source_audit(dsn: str, *, with_version: bool) -> dict[str, tuple]:
    """audit_id -> (action, table_name, table_id, user, time, version, parsed data)."""
    version = "version" if with_version else "NULL"
    with psycopg.connect(dsn) as con:
        rows = con.execute(
            f"SELECT audit_id::text, action, table_name, table_id, user_id, time, {version}, "
            "data::text FROM audit_version"
        ).fetchall()
    return {r[0]: (*r[1:7], json.loads(r[7])) for r in rows}


def landed_audit(warehouse: Path, table: str, *, with_version: bool) -> dict[str, tuple]:
    version = "version" if with_version else "NULL"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            f'SELECT audit_id, action, table_name, table_id, "user", time, {version}, data '
            f"FROM landing_zone.{table}"
        ).fetchall()
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)), f"{table} has duplicate audit_id"
    return {r[0]: (*r[1:7], json.loads(r[7])) for r in rows}


def landed(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every landing_zone table and the datasett row counts, sorted, for before/after checks."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'landing_zone' ORDER BY 1"
            ).fetchall()
        ]
        out = {
            t: sorted(map(repr, con.execute(f"SELECT * FROM landing_zone.{t}").fetchall()))
            for t in tables
        }
        out["datasett"] = con.execute(
            "SELECT table_name, syntetisk, rader FROM metrikk_meta.datasett "
            "WHERE schema_name = 'landing_zone' ORDER BY 1"
        ).fetchall()
    return out


def etterlevelse_source(dsn: str, n: int, *, seed: int = 7, start: datetime = START):
    rng = random.Random(seed)
    rows = pg_sources.etterlevelse_audit_rows(rng, n, start)
    with psycopg.connect(dsn, autocommit=True) as con:
        pg_sources.create_etterlevelse(con)
        pg_sources.insert_audit(con, rows, with_version=True)
        current = pg_sources.insert_current(con, rng)
    return rows, current


def add_audit(dsn: str, rows: list[pg_sources.AuditRow], *, with_version: bool = True) -> None:
    with psycopg.connect(dsn, autocommit=True) as con:
        pg_sources.insert_audit(con, rows, with_version=with_version)


def settings(warehouse: Path) -> Settings:
    return Settings(warehouse=warehouse)


# ----------------------------------------------------------------------------------------------
# first ingest: every table lands exactly as in the source


def test_etterlevelse_lands_exactly_as_in_source(pg_dsn, warehouse, metrikk):
    """The CLI copies etterlevelse's audit log and current tables unchanged (ids, times, JSON)."""
    rows, current = etterlevelse_source(pg_dsn, 400)
    # Text that CSV must quote, and a whole-second time without fractional part.
    tricky = pg_sources.AuditRow(
        str(uuid.uuid4()),
        "UPDATE",
        "KRAV",
        str(uuid.uuid4()),
        'Hansen, "Per"\nlinje 2',
        START + timedelta(days=40),
        3,
        {"tekst": 'komma, "sitat"\nny linje æøå', "tall": 1.5, "tom": "", "null": None},
    )
    add_audit(pg_dsn, [tricky])

    result = metrikk("ingest", "postgres", "--app", "etterlevelse", "--dsn", pg_dsn)

    source = source_audit(pg_dsn, with_version=True)
    assert len(source) == 401
    assert landed_audit(warehouse, "etterlevelse_audit_version", with_version=True) == source
    assert pg_cluster.PASSWORD not in result.output

    krav = {
        r[0]: (r[1], r[2], r[3], json.loads(r[4]))
        for r in landed(
            warehouse,
            "SELECT id, krav_nummer, krav_versjon, status, data "
            "FROM landing_zone.etterlevelse_krav",
        )
    }
    assert krav == {
        k[0]: (k[1], k[2], json.loads(k[3])["status"], json.loads(k[3])) for k in current.krav
    }
    codelist = landed(
        warehouse,
        "SELECT list, code, short_name, description, data FROM landing_zone.etterlevelse_codelist",
    )
    assert sorted((r[0], r[1], r[2], r[3], r[4] and json.loads(r[4])) for r in codelist) == sorted(
        (c[0], c[1], c[2], c[3], c[4] and json.loads(c[4])) for c in current.codelist
    )
    # An empty description stays an empty string; a NULL data stays NULL.
    assert ("RELEVANS", "SAK", "") in {(r[0], r[1], r[3]) for r in codelist}
    assert ("TEMA", "PERSONVERN", None) in {(r[0], r[1], r[4]) for r in codelist}
    docs = landed(
        warehouse, "SELECT id, data FROM landing_zone.etterlevelse_etterlevelse_dokumentasjon"
    )
    assert {r[0]: json.loads(r[1]) for r in docs} == {
        d[0]: json.loads(d[1]) for d in current.dokumentasjon
    }
    tilbakemelding = landed(
        warehouse,
        "SELECT id, krav_nummer, krav_versjon, created_date, data "
        "FROM landing_zone.etterlevelse_tilbakemelding",
    )
    assert {r[0]: (r[1], r[2], r[3], json.loads(r[4])) for r in tilbakemelding} == {
        t[0]: (t[1], t[2], t[6], json.loads(t[3])) for t in current.tilbakemelding
    }
    metadata = landed(
        warehouse,
        "SELECT id, krav_nummer, krav_versjon, etterlevelse_dokumentasjon, data "
        "FROM landing_zone.etterlevelse_etterlevelse_metadata",
    )
    assert {r[0]: (r[1], r[2], r[3], json.loads(r[4])) for r in metadata} == {
        m[0]: (m[1], m[2], m[3], json.loads(m[4])) for m in current.metadata
    }
    datasett = dict(
        landed(
            warehouse,
            "SELECT table_name, (syntetisk, rader) FROM metrikk_meta.datasett "
            "WHERE schema_name = 'landing_zone'",
        )
    )
    assert datasett["etterlevelse_audit_version"] == (False, 401)
    assert datasett["etterlevelse_krav"] == (False, len(current.krav))
    assert datasett["etterlevelse_etterlevelse_metadata"] == (False, len(current.metadata))


def test_behandlingskatalogen_lands_without_version(pg_dsn, warehouse):
    """Polly's audit log (no VERSION column) lands with `user` from USER_ID and the JSON intact."""
    rng = random.Random(3)
    rows = pg_sources.polly_audit_rows(rng, 300, datetime(2020, 1, 21, 9, 0))
    with psycopg.connect(pg_dsn, autocommit=True) as con:
        pg_sources.create_polly(con)
        pg_sources.insert_audit(con, rows, with_version=False)

    result = ingest(settings(warehouse), "behandlingskatalogen", pg_dsn)

    assert [(t.landing, t.new) for t in result.tables] == [
        ("landing_zone.behandlingskatalogen_audit_version", 300)
    ]
    got = landed_audit(warehouse, "behandlingskatalogen_audit_version", with_version=False)
    assert got == source_audit(pg_dsn, with_version=False)
    assert {v[3] for v in got.values()} <= {
        "A123456 - Kari Nordmann",
        "no-user-set",
        "n/a",
        "Datajegerne",
    }
    # etterlevelse's tables are untouched by a behandlingskatalogen ingest.
    assert landed(warehouse, "SELECT count(*) FROM landing_zone.etterlevelse_audit_version") == [
        (0,)
    ]


# ----------------------------------------------------------------------------------------------
# incremental: late commits inside the overlap window, nothing twice


def test_second_ingest_picks_up_new_and_late_rows_once(pg_dsn, warehouse):
    """New rows and a late commit (stamped before the landed max, inside the overlap) land once."""
    rows, _ = etterlevelse_source(pg_dsn, 500)
    first = ingest(settings(warehouse), "etterlevelse", pg_dsn)
    assert first.tables[0].new == 500 and first.tables[0].since is None
    newest = max(r.time for r in rows)

    rng = random.Random(99)
    later = pg_sources.etterlevelse_audit_rows(rng, 50, newest + timedelta(seconds=1))
    # Committed late: stamped five minutes before the newest landed row (inside the window).
    late = pg_sources.etterlevelse_audit_rows(
        rng, 3, newest - timedelta(minutes=5), step=timedelta(seconds=20)
    )
    assert all(r.time < newest for r in late), "the late rows must predate the landed max"
    add_audit(pg_dsn, later + late)

    second = ingest(settings(warehouse), "etterlevelse", pg_dsn)
    audit = second.tables[0]
    assert audit.since == newest - OVERLAP
    assert audit.new == 53
    # Only the overlap window and what came after it was read, not the whole log again.
    assert audit.read < 100
    assert landed_audit(warehouse, "etterlevelse_audit_version", with_version=True) == source_audit(
        pg_dsn, with_version=True
    )

    third = ingest(settings(warehouse), "etterlevelse", pg_dsn)
    assert third.tables[0].new == 0
    assert landed(warehouse, "SELECT count(*) FROM landing_zone.etterlevelse_audit_version") == [
        (553,)
    ]
    assert landed(
        warehouse,
        "SELECT rader FROM metrikk_meta.datasett WHERE table_name = 'etterlevelse_audit_version'",
    ) == [(553,)]


def test_current_tables_are_replaced_as_a_whole(pg_dsn, warehouse):
    """A krav deleted and a krav changed in the source are gone / changed after the next ingest."""
    _, current = etterlevelse_source(pg_dsn, 20)
    ingest(settings(warehouse), "etterlevelse", pg_dsn)
    with psycopg.connect(pg_dsn, autocommit=True) as con:
        gone = current.krav[-1][0]
        con.execute("DELETE FROM krav WHERE id = %s", [gone])
        changed = current.krav[-2][0]
        con.execute(
            "UPDATE krav SET data = jsonb_set(data, '{status}', '\"UTGAATT\"') WHERE id = %s",
            [changed],
        )

    ingest(settings(warehouse), "etterlevelse", pg_dsn)

    krav = dict(landed(warehouse, "SELECT id, status FROM landing_zone.etterlevelse_krav"))
    assert gone not in krav
    assert krav[changed] == "UTGAATT"
    assert len(krav) == len(current.krav) - 1


# ----------------------------------------------------------------------------------------------
# crash safety


def test_failure_between_tables_leaves_warehouse_unchanged_and_next_ingest_completes(
    pg_dsn, warehouse
):
    """An ingest failing after some tables were written leaves no trace; the next one finishes."""
    rows, _ = etterlevelse_source(pg_dsn, 200)
    ingest(settings(warehouse), "etterlevelse", pg_dsn)
    newest = max(r.time for r in rows)
    add_audit(pg_dsn, pg_sources.etterlevelse_audit_rows(random.Random(5), 40, newest))
    with psycopg.connect(pg_dsn, autocommit=True) as con:
        con.execute("DELETE FROM etterlevelse_metadata")
    before = snapshot(warehouse)

    def fail_after_codelist(table: str) -> None:
        if table.endswith("codelist"):
            raise RuntimeError("simulert feil midt i innhentingen")

    with pytest.raises(RuntimeError, match="simulert feil"):
        ingest(settings(warehouse), "etterlevelse", pg_dsn, _between_tables=fail_after_codelist)
    assert snapshot(warehouse) == before

    ingest(settings(warehouse), "etterlevelse", pg_dsn)
    assert landed_audit(warehouse, "etterlevelse_audit_version", with_version=True) == source_audit(
        pg_dsn, with_version=True
    )
    assert landed(
        warehouse, "SELECT count(*) FROM landing_zone.etterlevelse_etterlevelse_metadata"
    ) == [(0,)]


def test_killed_ingest_process_leaves_warehouse_as_before(pg_dsn, warehouse, tmp_path):
    """SIGKILL of a running ingest (rows written, not committed) loses and duplicates nothing."""
    rows, _ = etterlevelse_source(pg_dsn, 300)
    ingest(settings(warehouse), "etterlevelse", pg_dsn)
    newest = max(r.time for r in rows)
    add_audit(pg_dsn, pg_sources.etterlevelse_audit_rows(random.Random(11), 120, newest))
    before = snapshot(warehouse)

    marker = tmp_path / "started"
    script = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from metrikk.ingest.postgres import ingest
        from metrikk.settings import Settings

        def hang(table):
            if table.endswith("etterlevelse_krav"):
                Path({str(marker)!r}).write_text(table)
                time.sleep(120)

        ingest(Settings(warehouse=Path({str(warehouse)!r})), "etterlevelse", {pg_dsn!r},
               _between_tables=hang)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            if proc.poll() is not None:
                pytest.fail(f"ingest subprocess ended early:\n{proc.stderr.read()}")
            if time.monotonic() > deadline:
                pytest.fail("ingest subprocess never reached the krav table")
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL

    assert snapshot(warehouse) == before
    again = ingest(settings(warehouse), "etterlevelse", pg_dsn)
    assert again.tables[0].new == 120
    assert landed_audit(warehouse, "etterlevelse_audit_version", with_version=True) == source_audit(
        pg_dsn, with_version=True
    )


# ----------------------------------------------------------------------------------------------
# errors: bokmål messages, never the password


def test_wrong_password_is_a_clear_error_without_the_password(pg, warehouse):
    """A wrong password gives an IngestError that names the server but not the password."""
    dsn = pg.dsn(password="feil-passord-123")
    with pytest.raises(IngestError) as e:
        ingest(settings(warehouse), "etterlevelse", dsn)
    message = str(e.value)
    assert message.startswith("Får ikke kontakt med databasen postgresql://postgres@127.0.0.1:")
    assert "feil-passord-123" not in message
    assert not warehouse.exists(), "nothing is written when the source cannot be reached"


def test_closed_port_is_a_clear_error(warehouse):
    """A DSN pointing at a port nobody listens on gives an IngestError, not a traceback."""
    from pg_cluster import free_port

    dsn = f"postgresql://metrikk:topphemmelig@127.0.0.1:{free_port()}/etterlevelse"
    with pytest.raises(IngestError, match="Får ikke kontakt med databasen") as e:
        ingest(settings(warehouse), "etterlevelse", dsn)
    assert "topphemmelig" not in str(e.value)


def test_missing_table_is_named(pg_dsn, warehouse):
    """A database without audit_version, or without a current table, is refused by name."""
    with pytest.raises(IngestError, match="Tabellen «audit_version» finnes ikke"):
        ingest(settings(warehouse), "behandlingskatalogen", pg_dsn)
    etterlevelse_source(pg_dsn, 10)
    with psycopg.connect(pg_dsn, autocommit=True) as con:
        con.execute("DROP TABLE tilbakemelding")
    with pytest.raises(IngestError, match="Tabellen «tilbakemelding» finnes ikke") as e:
        ingest(settings(warehouse), "etterlevelse", pg_dsn)
    assert pg_cluster.PASSWORD not in str(e.value)


def test_missing_column_is_named(pg_dsn, warehouse):
    """An audit_version without USER_ID (polly before V1.16) is refused with the column named."""
    with psycopg.connect(pg_dsn, autocommit=True) as con:
        pg_sources.create_polly(con)
        con.execute("ALTER TABLE audit_version DROP COLUMN user_id")
    with pytest.raises(IngestError, match="mangler kolonnene user_id"):
        ingest(settings(warehouse), "behandlingskatalogen", pg_dsn)


def test_warehouse_in_use_is_a_clear_error(pg_dsn, warehouse):
    """A warehouse file locked by another process gives an IngestError and changes nothing."""
    etterlevelse_source(pg_dsn, 10)
    ingest(settings(warehouse), "etterlevelse", pg_dsn)
    before = snapshot(warehouse)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(warehouse)!r}); "
            "print('låst', flush=True); time.sleep(120)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "låst"
        with pytest.raises(IngestError, match="kan ikke åpnes for skriving"):
            ingest(settings(warehouse), "etterlevelse", pg_dsn)
    finally:
        holder.kill()
        holder.wait()
    assert snapshot(warehouse) == before


def test_timestamptz_time_lands_as_utc(pg_dsn, warehouse):
    """If an app's TIME column is timestamptz, times land as naive UTC whatever the server zone."""
    rows = pg_sources.polly_audit_rows(random.Random(8), 20, datetime(2025, 3, 30, 0, 30))
    with psycopg.connect(pg_dsn, autocommit=True) as con:
        pg_sources.create_polly(con)
        con.execute(
            "ALTER TABLE audit_version ALTER COLUMN time TYPE timestamptz "
            "USING time AT TIME ZONE 'UTC'"
        )
        # Sessions of this database default to Oslo time: the ingest must not depend on that.
        con.execute(f"ALTER DATABASE \"{con.info.dbname}\" SET TimeZone = 'Europe/Oslo'")
        with con.cursor() as cur:
            cur.executemany(
                "INSERT INTO audit_version "
                "(audit_id, action, table_name, table_id, user_id, time, data) "
                "VALUES (%s, %s, %s, %s, %s, (%s::timestamp AT TIME ZONE 'UTC'), %s)",
                [r.as_tuple(with_version=False) for r in rows],
            )

    ingest(settings(warehouse), "behandlingskatalogen", pg_dsn)

    landed_times = dict(
        landed(
            warehouse, "SELECT audit_id, time FROM landing_zone.behandlingskatalogen_audit_version"
        )
    )
    assert landed_times == {r.audit_id: r.time for r in rows}


def test_cli_maps_ingest_error_to_exit_1(pg_dsn, metrikk):
    """A wrong password makes `metrikk ingest postgres` exit 1 with a bokmål message and no password."""
    bad = pg_dsn.replace(pg_cluster.PASSWORD, "feil-passord")
    result = metrikk("ingest", "postgres", "--app", "etterlevelse", "--dsn", bad, expect=1)
    assert "Får ikke kontakt med databasen" in result.output
    assert "feil-passord" not in result.output
    assert "Ingenting ble endret" in result.output
