"""A small synthetic tiltak warehouse built once per module through the real CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from metrikk.cli import app

UNTIL = "2025-06-30"


def _generate_into(warehouse: Path, *args: str) -> None:
    """Run `metrikk generate --domain tiltak --scale small` into a warehouse file."""
    result = CliRunner().invoke(
        app,
        [
            "--warehouse",
            str(warehouse),
            "generate",
            "--domain",
            "tiltak",
            "--scale",
            "small",
            *args,
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module", name="small")
def _small(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], list[tuple]]:
    """Query function over one small warehouse generated with the default seed to 2025-06-30."""
    warehouse = tmp_path_factory.mktemp("tiltak_small") / "metrikk.duckdb"
    _generate_into(warehouse, "--until", UNTIL)

    def q(sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    return q


@pytest.fixture(name="generate_into")
def _generate_into_fixture() -> Callable[..., None]:
    """Function that runs the real CLI: generate_into(warehouse_path, *extra_args)."""
    return _generate_into
