"""`metrikk serve --workers N`: N processes on one port, each reading the same published data.

A real `python -m metrikk serve` subprocess on the fixture warehouse: the workers import the app
by name and get the warehouse and `--min-antall` from the environment, so this checks that both
arrive, that answers are the single-process answers, and that stopping the server stops every
worker.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from serve_process import running_server

from metrikk.settings import Settings
from metrikk.web.app import create_app


def _workers(pid: int) -> set[int]:
    """The worker processes multiprocessing spawned for uvicorn (not its resource tracker)."""
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and b"spawn_main" in (d / "cmdline").read_bytes():
                out.add(int(d.name))
    return out


def test_two_workers_answer_as_one_process_does(fixture_db: Path, tmp_path: Path):
    with running_server(fixture_db, tmp_path, "--workers", "2", "--min-antall", "5") as (url, proc):
        workers = _workers(proc.pid)
        assert len(workers) == 2, "uvicorn should run two worker processes"

        assert httpx.get(url + "/api/v1/meta", timeout=30).json()["min_antall"] == 5

        # Not a speed target: without TCP_NODELAY (uvicorn's shared socket has proto 0, so
        # asyncio skips it) every keep-alive response waits for the client's delayed ACK, a
        # fixed ~40 ms stall per request; with it /status answers in 1-2 ms.
        with httpx.Client(base_url=url, timeout=30) as c:
            c.get("/status")
            times = []
            for _ in range(15):
                t0 = time.perf_counter()
                c.get("/status")
                times.append(time.perf_counter() - t0)
        assert statistics.median(times) < 0.030, f"keep-alive requests stall: {times}"
        with TestClient(create_app(Settings(warehouse=fixture_db), min_antall=5)) as one:
            for path in (
                "/api/v1/kontorer",
                "/api/v1/tiltak/uker?gruppering=uke&gruppering=avdeling",
                "/api/v1/gjennomforinger/uker?rader=siste",
            ):
                expected = one.get(path)
                for _ in range(4):  # several connections: both workers answer some
                    with httpx.Client(base_url=url, timeout=30) as c:
                        got = c.get(path)
                    assert got.status_code == expected.status_code == 200, (path, got.text[:300])
                    assert got.json() == expected.json(), path
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()], (
        "workers outlived the server"
    )
