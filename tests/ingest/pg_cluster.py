"""A throwaway PostgreSQL cluster for tests and measurements (no metrikk code involved).

`initdb` + `pg_ctl` from `/usr/lib/postgresql/<version>/bin`, a data directory in a fresh temp
dir owned by the `postgres` user (the tests may run as root, and PostgreSQL refuses to run as
root), listening on 127.0.0.1 only on a free port, with password authentication so that a DSN
with a wrong password really fails. Stopped and removed in `finally`.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

SUPERUSER = "postgres"
PASSWORD = "hemmelig-testpassord-7Qx"


def find_bindir() -> Path | None:
    """The newest `/usr/lib/postgresql/*/bin` that has both initdb and pg_ctl, or None."""
    candidates = []
    for bindir in Path("/usr/lib/postgresql").glob("*/bin"):
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            try:
                version = float(bindir.parent.name)
            except ValueError:
                version = 0.0
            candidates.append((version, bindir))
    return max(candidates)[1] if candidates else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Cluster:
    host: str
    port: int
    user: str
    password: str

    def dsn(self, dbname: str = "postgres", *, password: str | None = None) -> str:
        pw = self.password if password is None else password
        return f"postgresql://{self.user}:{pw}@{self.host}:{self.port}/{dbname}"


def _as_postgres(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a command as the `postgres` OS user when we are root, as ourselves otherwise."""
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)


@contextmanager
def running_cluster(bindir: Path) -> Iterator[Cluster]:
    """Start a fresh cluster, yield how to reach it, and always stop and delete it."""
    base = Path(tempfile.mkdtemp(prefix="metrikk-pg-"))
    data, log, sockets = base / "data", base / "server.log", base / "sockets"
    sockets.mkdir()
    pwfile = base / "pwfile"
    pwfile.write_text(PASSWORD + "\n")
    if os.geteuid() == 0:
        pg = pwd.getpwnam("postgres")
        for p in (base, sockets, pwfile):
            os.chown(p, pg.pw_uid, pg.pw_gid)
    port = free_port()
    started = False
    try:
        _as_postgres(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "-E",
                "UTF8",
                "--no-locale",
                "--auth=scram-sha-256",
                f"--pwfile={pwfile}",
            ]
        )
        options = f"-h 127.0.0.1 -p {port} -k {sockets} -F -c fsync=off -c full_page_writes=off"
        try:
            _as_postgres(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            )
        except subprocess.CalledProcessError as e:
            server_log = log.read_text() if log.exists() else ""
            raise RuntimeError(
                f"PostgreSQL did not start:\n{e.stdout}\n{e.stderr}\n{server_log}"
            ) from e
        started = True
        yield Cluster("127.0.0.1", port, SUPERUSER, PASSWORD)
    finally:
        if started:
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def cluster_for_tests() -> Iterator[Cluster]:
    """A running cluster for a pytest fixture. Without the binaries: skip locally, fail in CI."""

    bindir = find_bindir()
    if bindir is None:
        reason = (
            "PostgreSQL-binærfilene (initdb, pg_ctl) finnes ikke under "
            "/usr/lib/postgresql/*/bin; installer pakken postgresql"
        )
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI skal ikke hoppe over disse testene)", pytrace=False)
        pytest.skip(reason)
    with running_cluster(bindir) as cluster:
        yield cluster
