"""`python -m metrikk serve` as a real subprocess on a free port, for tests that need one.

Used by tests/browser/conftest.py (the dashboard in Chromium) and tests/web/test_workers.py
(`--workers`). The server's stdout and stderr go to files in `tmp` and are shown when it exits
early or does not answer.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(
    warehouse: Path, tmp: Path, *options: str
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start `metrikk --warehouse W serve --port P [options]`; yield (base URL, process) once
    /isalive answers (open also with login on), and stop it (SIGTERM, then SIGKILL after 30 s) afterwards."""
    port = free_port()
    log_out, log_err = open(tmp / "serve.out", "w+"), open(tmp / "serve.err", "w+")  # noqa: SIM115
    # Only the command line configures the server: no warehouse or suppression from outside.
    env = {
        k: v for k, v in os.environ.items() if k not in ("METRIKK_WAREHOUSE", "METRIKK_MIN_ANTALL")
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "metrikk", "--warehouse", str(warehouse), "serve"]
        + ["--host", "127.0.0.1", "--port", str(port), *options],
        stdout=log_out,
        stderr=log_err,
        env={**env, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                log_err.seek(0)
                log_out.seek(0)
                pytest.fail(
                    f"metrikk serve exited with {proc.returncode}:\n{log_out.read()}\n"
                    f"{log_err.read()}"
                )
            try:
                if httpx.get(url + "/isalive", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                log_err.seek(0)
                pytest.fail(f"metrikk serve did not answer within 120 s:\n{log_err.read()}")
            time.sleep(0.2)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log_out.close()
        log_err.close()
