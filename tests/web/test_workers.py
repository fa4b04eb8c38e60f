"""`metrikk serve --workers N`: N processes on one port, each reading the same published data.

A real `python -m metrikk serve` subprocess on the fixture warehouse: the workers import the app
by name and get the warehouse and `--min-antall` from the environment, so this checks that both
arrive, that answers are the single-process answers, and that stopping the server stops every
worker.
"""

from __future__ import annotations

import ctypes
import http.client
import os
import socket
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


def _server_socket_inode(server_port: int, client_port: int) -> int:
    """The inode of the server's end of the TCP connection from `client_port` (/proc/net/tcp)."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, inode = fields[1], fields[2], int(fields[9])
        if (
            int(local.split(":")[1], 16) == server_port
            and int(remote.split(":")[1], 16) == client_port
        ):
            return inode
    raise AssertionError(f"no server socket for the connection from port {client_port}")


def _server_side_nodelay(workers: set[int], server_port: int, client_port: int) -> tuple[int, int]:
    """(worker pid, TCP_NODELAY) of the worker's socket for the connection from `client_port`.

    The socket is found by its inode among each worker's open files and duplicated into this
    process with pidfd_getfd(2) (Linux 5.6; syscall 438 on every architecture), so the option
    is read from the very socket the worker answers on."""
    inode = _server_socket_inode(server_port, client_port)
    libc = ctypes.CDLL(None, use_errno=True)
    for pid in workers:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target != f"socket:[{inode}]":
                continue
            pidfd = os.pidfd_open(pid)
            try:
                dup = libc.syscall(438, pidfd, int(fd.name), 0)
                assert dup >= 0, f"pidfd_getfd failed: {os.strerror(ctypes.get_errno())}"
            finally:
                os.close(pidfd)
            with socket.socket(fileno=dup) as s:
                return pid, s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    raise AssertionError(f"no worker holds socket inode {inode}")


def test_two_workers_answer_as_one_process_does(fixture_db: Path, tmp_path: Path):
    """Two workers get the warehouse and K, keep connections alive without Nagle stalls, answer
    as one process does, and stop with the server."""
    with running_server(fixture_db, tmp_path, "--workers", "2", "--min-antall", "5") as (url, proc):
        workers = _workers(proc.pid)
        assert len(workers) == 2, "uvicorn should run two worker processes"

        assert httpx.get(url + "/api/v1/meta", timeout=30).json()["min_antall"] == 5

        # Keep-alive requests must not stall: without TCP_NODELAY (uvicorn's shared socket has
        # proto 0, so asyncio skips it) every keep-alive response waits for the client's delayed
        # ACK, ~40 ms per request. Observed on the socket itself, not on a clock: the worker's end
        # of a kept-alive connection has TCP_NODELAY set (timings are for benchmarks/bench_web.py).
        conn = http.client.HTTPConnection(url.removeprefix("http://"), timeout=30)
        try:
            for _ in range(3):  # three requests on one connection: it is kept alive
                conn.request("GET", "/status")
                response = conn.getresponse()
                assert response.status == 200 and response.read()
            client_port = conn.sock.getsockname()[1]
            owner, nodelay = _server_side_nodelay(workers, int(url.rsplit(":", 1)[1]), client_port)
        finally:
            conn.close()
        assert owner in workers
        assert nodelay == 1, "a worker's keep-alive connection has no TCP_NODELAY: responses stall"
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
