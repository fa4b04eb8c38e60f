"""`metrikk ingest postgres`, the source side (`ingest/postgres.py`): against a real PostgreSQL
holding the apps' own tables, every table lands exactly as in the source, and a source that
cannot be read is refused in bokmål without showing the password."""

from __future__ import annotations

import json
import random
import uuid
from datetime import datetime, timedelta

import pg_cluster
import pg_sources
import psycopg
import pytest
from pg_landing import (
    START,
    add_audit,
    etterlevelse_source,
    landed,
    landed_audit,
    settings,
    source_audit,
)

from metrikk.ingest import IngestError, ingest

pytestmark = pytest.mark.postgres


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
