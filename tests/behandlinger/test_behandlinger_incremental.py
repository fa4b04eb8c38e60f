"""A daily run after an earlier one gives the same behandlinger tables as one run on all of it:
the weeks of ds_fullstendighet that were already published are recomputed, not kept stale."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pytest
import test_ds_fullstendighet as ft
from polly_log import AS_OF, Polly, invoke

FIRST_AS_OF = "2025-12-02"


def snapshot(warehouse: Path) -> dict[str, Counter]:
    with duckdb.connect(str(warehouse)) as con:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema='behandlinger'"
            ).fetchall()
        ]
        return {
            t: Counter(repr(r) for r in con.execute(f'SELECT * FROM behandlinger."{t}"').fetchall())
            for t in names
        }


def ok(result) -> None:
    assert result.exit_code == 0, result.output


@pytest.mark.slow
def test_incremental_run_equals_full_rebuild(tmp_path: Path):
    """Two daily runs over a growing polly log equal one run on the whole log, ds_fullstendighet
    included (its history changes when a later save lands in an already published week's
    successor, and its last weeks grow)."""
    full = Polly()
    ft._era_rows(full)
    ft._legal_basis_rows(full)
    early = Polly(rows=[r for r in full.rows if r["time"] <= f"{FIRST_AS_OF}T23:59:59"])
    assert 0 < len(early.rows) < len(full.rows)

    inc = tmp_path / "inc.duckdb"
    ok(invoke(inc, "load", str(early.write(tmp_path / "early"))))
    ok(invoke(inc, "run", "--as-of", FIRST_AS_OF, "--domain", "etterlevelse"))
    with duckdb.connect(str(inc)) as con:
        first = con.execute("SELECT max(uke_start) FROM behandlinger.ds_fullstendighet").fetchone()
    ok(invoke(inc, "load", str(full.write(tmp_path / "full"))))
    ok(invoke(inc, "run", "--as-of", AS_OF, "--domain", "etterlevelse"))

    ref = tmp_path / "ref.duckdb"
    ok(invoke(ref, "load", str(tmp_path / "full")))
    ok(invoke(ref, "run", "--as-of", AS_OF, "--domain", "etterlevelse"))

    inc_tables, ref_tables = snapshot(inc), snapshot(ref)
    assert "ds_fullstendighet" in ref_tables
    assert inc_tables.keys() == ref_tables.keys()
    for t in ref_tables:
        assert inc_tables[t] == ref_tables[t], t
    with duckdb.connect(str(ref)) as con:
        last = con.execute("SELECT max(uke_start) FROM behandlinger.ds_fullstendighet").fetchone()
    assert first < last
