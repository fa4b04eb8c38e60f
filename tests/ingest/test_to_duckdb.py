"""`metrikk ingest postgres` into the DuckDB warehouse (`ingest/to_duckdb.py`): incremental
audit rows, replaced current tables, one transaction, the writer lock."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from datetime import timedelta

import pg_sources
import psycopg
import pytest
from pg_landing import (
    add_audit,
    etterlevelse_source,
    landed,
    landed_audit,
    settings,
    snapshot,
    source_audit,
)

from metrikk.ingest import IngestError, ingest
from metrikk.ingest.postgres import OVERLAP

pytestmark = pytest.mark.postgres


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
        from metrikk.ingest import ingest
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
