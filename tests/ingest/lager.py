"""The source-layer tests' warehouse (tests/ingest/test_kilder*.py, tests/tiltak/test_kildelag.py):
the real CLI as a process over a real warehouse file.

The CLI runs as a real process (`python -m metrikk`), as in tests/tiltak: in-process, SQLMesh's
DuckDB connection and a plain read-only reader of the same file would clash.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import duckdb


class Lager:
    """A warehouse file plus the real CLI and a plain read-only DuckDB reader for it."""

    def __init__(self, path: Path, env: dict[str, str] | None = None) -> None:
        self.path = path
        self.env = env or {}

    def metrikk(self, *args: object, expect: int | None = 0, env: dict[str, str] | None = None):
        proc = subprocess.run(
            [sys.executable, "-m", "metrikk", "--warehouse", str(self.path), *map(str, args)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "COLUMNS": "250", **self.env, **(env or {})},
        )
        result = SimpleNamespace(
            exit_code=proc.returncode, output=proc.stdout + proc.stderr, stdout=proc.stdout
        )
        if expect is not None:
            assert result.exit_code == expect, (
                f"metrikk {' '.join(map(str, args))} exited {result.exit_code}, expected {expect}:\n{result.output}"
            )
        return result

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            con.execute("SET TimeZone = 'UTC'")
            return con.execute(sql, params or []).fetchall()

    def one(self, sql: str, params: list | None = None):
        rows = self.query(sql, params)
        assert len(rows) == 1, f"expected one row, got {rows}"
        return rows[0] if len(rows[0]) > 1 else rows[0][0]
