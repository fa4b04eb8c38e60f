"""kill -9 and concurrent writers against real `metrikk run` processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from metrikk.publish import published_path
from tests.helpers.processes import AS_OF, cli, copy_warehouse, start, table_rows

# Kill moments by the run's own progress, never by a clock (a fast machine would finish before a
# fixed delay, a slow one not reach the step): 0.0 = right after the run logged its start (imports,
# lock, SQLMesh plan still ahead); 0.1 / 0.25 / 0.5 = once that share of the model evaluations the
# run announced have been logged as done (`--log-format json`, one line per evaluated model).
PROGRESS = (0.0, 0.1, 0.25, 0.5)


def run_until(warehouse: Path, progress: float, log: Path) -> tuple[subprocess.Popen, dict]:
    """Start `metrikk run --log-format json` and return once it has logged `progress` of its
    model evaluations (0.0: its start line), with the process still running and the last line read.

    stdout is read line by line as the run writes it; stderr goes to `log` (a pipe nobody
    reads could fill and stall the run)."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "metrikk",
            "--warehouse",
            str(warehouse),
            "run",
            "--as-of",
            AS_OF,
            "--domain",
            "tiltak",
            "--log-format",
            "json",
        ],
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
        cwd=warehouse.parent,
        env={**os.environ, "COLUMNS": "200"},
    )
    lines = []
    for raw in proc.stdout:
        line = json.loads(raw)
        lines.append(line)
        if line["hendelse"] == "kjoring_startet" and progress == 0.0:
            return proc, line
        if line["hendelse"] == "modell_beregnet" and line["ferdig"] >= progress * line["totalt"]:
            assert line["ferdig"] < line["totalt"], f"no evaluation left to interrupt: {line}"
            return proc, line
    proc.wait()
    raise AssertionError(
        f"the run ended before {progress:.0%} of its evaluations: {lines}\n{log.read_text()}"
    )


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.parametrize("progress", PROGRESS)
def test_kill_leaves_published_data_and_next_run_completes(
    progress, tiltak_base, tiltak_clean, tmp_path
):
    """A run killed with SIGKILL leaves the published snapshot untouched, and the next run completes with a clean run's result."""
    wh = copy_warehouse(tiltak_base, tmp_path / "wh")
    before_path = published_path(wh)
    assert before_path is not None
    before = {s: table_rows(before_path, s) for s in ("tiltak_gold", "tiltak_silver")}

    proc, _ = run_until(wh, progress, tmp_path / "run.err")
    kill(proc)

    assert published_path(wh) == before_path
    assert {s: table_rows(before_path, s) for s in ("tiltak_gold", "tiltak_silver")} == before
    with duckdb.connect(str(wh)) as con:  # the warehouse opens (replays or drops its WAL)
        con.execute("SELECT count(*) FROM tiltak_bronze.deltaker").fetchone()

    r = cli(wh, "run", "--as-of", AS_OF, "--domain", "tiltak")
    assert r.returncode == 0, r.stdout + r.stderr
    assert table_rows(wh, "tiltak_gold") == tiltak_clean
    after = published_path(wh)
    assert after != before_path
    assert table_rows(after, "tiltak_gold") == tiltak_clean


def test_two_runs_at_once_one_wins(tiltak_base, tiltak_clean, tmp_path):
    """Two runs started together: exactly one succeeds with a correct result, the other exits 1 naming the busy warehouse."""
    wh = copy_warehouse(tiltak_base, tmp_path / "wh")
    procs = [start(wh, "run", "--as-of", AS_OF, "--domain", "tiltak") for _ in range(2)]
    results = [(p, *p.communicate(timeout=600)) for p in procs]
    codes = sorted(p.returncode for p, _, _ in results)
    assert codes == [0, 1], [(p.returncode, o[-500:], e[-500:]) for p, o, e in results]
    loser = next((o + e) for p, o, e in results if p.returncode == 1)
    assert "brukes av en annen skrivende kjøring" in " ".join(loser.split())
    assert table_rows(wh, "tiltak_gold") == tiltak_clean
    assert table_rows(published_path(wh), "tiltak_gold") == tiltak_clean


def test_killed_run_then_full_refresh(tiltak_base, tiltak_clean, tmp_path):
    """After a kill mid-evaluation, --full-refresh also completes and equals a clean run."""
    wh = copy_warehouse(tiltak_base, tmp_path / "wh")
    proc, line = run_until(wh, 0.5, tmp_path / "run.err")
    assert line["hendelse"] == "modell_beregnet"  # inside the evaluation of the models
    kill(proc)
    r = cli(wh, "run", "--as-of", AS_OF, "--domain", "tiltak", "--full-refresh")
    assert r.returncode == 0, r.stdout + r.stderr
    assert table_rows(wh, "tiltak_gold") == tiltak_clean


def test_published_snapshot_is_a_separate_file(tiltak_base: Path):
    """Readers read a snapshot file beside the warehouse, never the warehouse itself."""
    p = published_path(tiltak_base)
    assert p is not None and p.resolve() != tiltak_base.resolve() and p.exists()


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="utf-8")
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie (an exited child nobody has reaped yet: a
    container's PID 1 may never reap orphans, and a zombie holds no lock)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    state = next((line.split()[1] for line in status.splitlines() if line.startswith("State:")), "")
    return state not in ("Z", "X")


def test_kill_while_sqlmesh_pool_workers_live(tiltak_base, tiltak_clean, tmp_path):
    """A run killed while SQLMesh's forked loader workers live leaves no orphan holding the writer lock: the next run succeeds at once."""
    wh = copy_warehouse(tiltak_base, tmp_path / "wh")
    proc = start(wh, "run", "--as-of", AS_OF, "--domain", "tiltak")
    children: list[int] = []
    deadline = time.monotonic() + 120
    while not children and proc.poll() is None and time.monotonic() < deadline:
        children = _children(proc.pid)
        time.sleep(0.02)
    assert children, "the run forked no SQLMesh worker (nothing to test)"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    try:
        # The workers must end on their own (the kernel tells them their parent died); wait for
        # that with a generous deadline rather than a fixed pause.
        deadline = time.monotonic() + 30
        while [c for c in children if _running(c)] and time.monotonic() < deadline:
            time.sleep(0.05)
        alive = [c for c in children if _running(c)]
        assert not alive, f"orphaned workers still alive after 30 s: {alive}"
        r = cli(wh, "run", "--as-of", AS_OF, "--domain", "tiltak")
        assert r.returncode == 0, r.stdout + r.stderr
        assert table_rows(wh, "tiltak_gold") == tiltak_clean
    finally:
        for c in children:  # our own processes, by id
            try:
                os.kill(c, signal.SIGKILL)
            except ProcessLookupError:
                pass
