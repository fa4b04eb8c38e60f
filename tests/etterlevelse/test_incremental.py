"""An incremental daily run equals a full rebuild, and pseudonyms are stable across runs."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from metrikk.cli import app
from scenario import AS_OF, build_scenario

FIRST_AS_OF = "2025-06-30"


def cli(warehouse: Path, *args: str) -> None:
    result = CliRunner().invoke(app, ["--warehouse", str(warehouse), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def tables(con) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog='inc' AND table_schema='etterlevelse'"
    ).fetchall()]


@pytest.mark.slow
def test_incremental_run_equals_full_rebuild(tmp_path: Path):
    """Two daily runs over growing audit data give the same tables as one run on all of it, with the same pseudonyms."""
    full = build_scenario()
    early = build_scenario()
    audit = "landing_zone.etterlevelse_audit_version"
    early.tables[audit] = [r for r in early.tables[audit] if r["time"] <= f"{FIRST_AS_OF}T23:59:59"]
    assert 0 < len(early.tables[audit]) < len(full.tables[audit])

    inc = tmp_path / "inc.duckdb"
    cli(inc, "load", str(early.write(tmp_path / "early")))
    cli(inc, "run", "--as-of", FIRST_AS_OF, "--domain", "etterlevelse")
    with duckdb.connect(str(inc)) as con:
        first_users = con.execute(
            "SELECT audit_id, suksesskriterieId, user FROM etterlevelse.stage_besvarelser").fetchall()
    cli(inc, "load", str(full.write(tmp_path / "full")))
    cli(inc, "run", "--as-of", AS_OF, "--domain", "etterlevelse")

    ref = tmp_path / "ref.duckdb"
    cli(ref, "load", str(tmp_path / "full"))
    cli(ref, "run", "--as-of", AS_OF, "--domain", "etterlevelse")

    with duckdb.connect() as con:
        con.execute(f"ATTACH '{inc}' AS inc (READ_ONLY)")
        con.execute(f"ATTACH '{ref}' AS ref (READ_ONLY)")
        names = tables(con)
        assert len(names) == 19
        for t in names:
            for a, b in (("inc", "ref"), ("ref", "inc")):
                diff = con.execute(
                    f'SELECT count(*) FROM (SELECT * FROM {a}.etterlevelse."{t}" EXCEPT ALL '
                    f'SELECT * FROM {b}.etterlevelse."{t}")').fetchone()[0]
                assert diff == 0, f"{t}: {diff} rows in {a} not in {b}"
        later = set(con.execute(
            "SELECT audit_id, suksesskriterieId, user FROM ref.etterlevelse.stage_besvarelser").fetchall())
    assert set(first_users) <= later
