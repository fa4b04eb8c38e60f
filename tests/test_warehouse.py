"""The warehouse: one writer at a time, a lock that dies with its process, snapshots for readers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from metrikk.publish import publish, published_path
from metrikk.warehouse import WarehouseBusy, ensure_warehouse, writer_lock, writing

HOLD = """
import sys, time
from metrikk.warehouse import writer_lock
with writer_lock(sys.argv[1]):
    print("holding", flush=True)
    time.sleep(60)
"""


def start_holder(warehouse: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(warehouse)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_second_writer_gets_a_clear_message_and_the_first_is_unharmed(warehouse, metrikk):
    """While another process writes, `metrikk run` exits 1 naming the holder; the holder keeps running."""
    holder = start_holder(warehouse)
    try:
        result = metrikk("run", "--as-of", "2024-03-03", expect=1)
        assert "brukes av en annen skrivende kjøring" in result.output
        assert f"prosess {holder.pid}" in result.output
        assert holder.poll() is None
    finally:
        holder.kill()
        holder.wait()


def test_lock_of_a_killed_writer_is_released(warehouse):
    """kill -9 of the lock holder frees the lock at once: no stale lock file blocks the next writer."""
    holder = start_holder(warehouse)
    with pytest.raises(WarehouseBusy):
        with writer_lock(warehouse):
            pass
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    with writer_lock(warehouse):
        pass


def test_publish_makes_an_immutable_snapshot_and_switches_atomically(warehouse):
    """Each publish writes a new snapshot file; readers of the old one keep their data."""
    ensure_warehouse(warehouse)
    first = publish(warehouse)
    reader = duckdb.connect(str(first), read_only=True)
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "INSERT INTO tiltak_bronze.nav_enhet VALUES ('0219', 'Nav Bærum', 'LOKAL', 'Aktiv', '0600')"
        )
        con.execute("UPDATE metrikk_meta.datasett SET rader = 1 WHERE table_name = 'nav_enhet'")
    time.sleep(0.01)
    second = publish(warehouse)
    assert second != first and published_path(warehouse) == second
    assert reader.execute(
        "SELECT rader FROM metrikk_meta.datasett WHERE table_name = 'nav_enhet'"
    ).fetchall() == [(0,)]
    with duckdb.connect(str(second), read_only=True) as con:
        assert con.execute(
            "SELECT rader FROM metrikk_meta.datasett WHERE table_name = 'nav_enhet'"
        ).fetchall() == [(1,)]
        schemas = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT table_schema FROM information_schema.tables"
            ).fetchall()
        }
    assert "tiltak_bronze" not in schemas  # landing data is not published
    reader.close()


TRY_LOCK = """
import sys
from metrikk.warehouse import WarehouseBusy, writer_lock
try:
    with writer_lock(sys.argv[1]):
        print("free")
except WarehouseBusy:
    print("busy")
"""


def other_process_finds(warehouse: Path) -> str:
    """What another process finds when it tries to take the writer's lock: 'free' or 'busy'."""
    r = subprocess.run(
        [sys.executable, "-c", TRY_LOCK, str(warehouse)], capture_output=True, text=True, check=True
    )
    return r.stdout.strip()


def test_writing_commits_and_publishes_or_leaves_the_data_as_it_was(warehouse):
    """`writing`: the layout exists afterwards either way; the block's rows only when it ends
    normally, and only then is a snapshot published."""
    row = (
        "INSERT INTO tiltak_bronze.nav_enhet VALUES ('0219', 'Nav Bærum', 'LOKAL', 'Aktiv', '0600')"
    )
    with pytest.raises(RuntimeError), writing(warehouse) as con:
        con.execute(row)
        raise RuntimeError("midt i skrivingen")
    assert published_path(warehouse) is None
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM tiltak_bronze.nav_enhet").fetchall() == [(0,)]
    with writing(warehouse) as con:
        con.execute(row)
        con.execute("UPDATE metrikk_meta.datasett SET rader = 1 WHERE table_name = 'nav_enhet'")
    with duckdb.connect(str(published_path(warehouse)), read_only=True) as con:
        assert con.execute(
            "SELECT rader FROM metrikk_meta.datasett WHERE table_name = 'nav_enhet'"
        ).fetchall() == [(1,)]


def test_the_lock_is_taken_once_and_held_until_its_outer_holder_ends(warehouse):
    """Within its holder the lock is re-entrant (the CLI holds it for a whole command, whose
    `writing` goes on under it); ending the inner use does not free it for other processes."""
    with writer_lock(warehouse):
        with writing(warehouse) as con:
            con.execute("SELECT 1")
            assert other_process_finds(warehouse) == "busy"
        assert other_process_finds(warehouse) == "busy"
    assert other_process_finds(warehouse) == "free"
