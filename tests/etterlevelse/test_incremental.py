"""An incremental daily run equals a full rebuild, and pseudonyms are stable across runs."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pytest
from etterlevelse_scenario import AS_OF, build_scenario
from typer.testing import CliRunner

from metrikk.cli import app

FIRST_AS_OF = "2025-06-30"


def cli(warehouse: Path, *args: str) -> None:
    result = CliRunner().invoke(app, ["--warehouse", str(warehouse), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def snapshot(warehouse: Path) -> dict[str, Counter]:
    """Every etterlevelse table as a multiset of row reprs (rows hold lists, which are unhashable)."""
    with duckdb.connect(str(warehouse)) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema='etterlevelse'"
            ).fetchall()
        ]
        out = {
            t: Counter(repr(r) for r in con.execute(f'SELECT * FROM etterlevelse."{t}"').fetchall())
            for t in names
        }
        out["stage_besvarelser_users"] = Counter(
            repr(r)
            for r in con.execute(
                "SELECT audit_id, suksesskriterieId, user FROM etterlevelse.stage_besvarelser"
            ).fetchall()
        )
    return out


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
            "SELECT audit_id, suksesskriterieId, user FROM etterlevelse.stage_besvarelser"
        ).fetchall()
    cli(inc, "load", str(full.write(tmp_path / "full")))
    cli(inc, "run", "--as-of", AS_OF, "--domain", "etterlevelse")

    ref = tmp_path / "ref.duckdb"
    cli(ref, "load", str(tmp_path / "full"))
    cli(ref, "run", "--as-of", AS_OF, "--domain", "etterlevelse")

    inc_tables, ref_tables = snapshot(inc), snapshot(ref)
    # 23 tables (stage_kodeverk, stage_dokument_status_uke, ds_dokument_status_uke and
    # ds_suksesskriterier_uke included) + the user projection
    assert len(ref_tables) == 24
    assert inc_tables.keys() == ref_tables.keys()
    for t in ref_tables:
        assert inc_tables[t] == ref_tables[t], t
    assert {repr(r) for r in first_users} <= set(ref_tables["stage_besvarelser_users"])
