"""One small synthetic etterlevelse warehouse per test session, made by the real CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from metrikk.cli import app

UNTIL = "2026-06-30"


def run_generate(warehouse: Path, *extra: str) -> None:
    """Run `metrikk generate --domain etterlevelse --scale small` against a warehouse file."""
    result = CliRunner().invoke(
        app,
        [
            "--warehouse",
            str(warehouse),
            "generate",
            "--domain",
            "etterlevelse",
            "--scale",
            "small",
            *extra,
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(name="small_warehouse", scope="session")
def _small_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small-scale etterlevelse sources until 2026-06-30 with the default seed."""
    path = tmp_path_factory.mktemp("etl-small") / "metrikk.duckdb"
    run_generate(path, "--until", UNTIL)
    return path


@pytest.fixture(name="sq", scope="session")
def _sq(small_warehouse: Path) -> Callable[..., list[tuple]]:
    """Plain read-only SQL against the session's small warehouse."""

    def q(sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(small_warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    return q


@pytest.fixture(name="audit", scope="session")
def _audit(sq) -> list[dict]:
    """Every etterlevelse audit row with its data parsed."""
    rows = sq(
        "SELECT audit_id, action, table_name, table_id, time, user, version, data "
        "FROM landing_zone.etterlevelse_audit_version"
    )
    keys = ("audit_id", "action", "table_name", "table_id", "time", "user", "version", "data")
    return [dict(zip(keys, r[:-1] + (json.loads(r[-1]),), strict=True)) for r in rows]


@pytest.fixture(name="polly", scope="session")
def _polly(sq) -> list[dict]:
    """Every Behandlingskatalogen audit row with its data parsed."""
    rows = sq(
        "SELECT audit_id, action, table_name, table_id, time, user, data "
        "FROM landing_zone.behandlingskatalogen_audit_version"
    )
    keys = ("audit_id", "action", "table_name", "table_id", "time", "user", "data")
    return [dict(zip(keys, r[:-1] + (json.loads(r[-1]),), strict=True)) for r in rows]
