"""Incremental runs equal a full rebuild, re-running changes nothing, and audits catch a broken invariant."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
import tiltak_scenario as scenario

from metrikk.catalog import PIPELINE_DIR
from metrikk.publish import published_path

T1, T2 = "2025-02-01", "2025-04-02"  # eight weeks apart: more than the 4-week lookback
T3 = "2025-04-06"  # the next weekly run after T2: week 2025-03-31 plus the 4-week lookback
TABLES = (
    "tiltak_silver.deltakelse_uke",
    "tiltak_gold.uke_deltakere",
    "tiltak_gold.uke_antall",
    "tiltak_gold.uke_antall_avdeling",
    "tiltak_gold.uke_gjennomforing",
    "tiltak_gold.uke_datakvalitet",
    "tiltak_silver.oppfolging_uke",
    "tiltak_gold.uke_oppfolging",
    "tiltak_silver.oppstart",
    "tiltak_gold.uke_ventetid",
)


@pytest.fixture(scope="module", name="kilder")
def _kilder(tmp_path_factory):
    return scenario.build().write(tmp_path_factory.mktemp("kilder"))


@pytest.fixture(scope="module", name="inkrementell")
def _inkrementell(lager_for, kilder):
    lager = lager_for("inkrementell")
    lager.metrikk("load", kilder)
    lager.metrikk("run", "--as-of", T1, "--domain", "tiltak")
    lager.metrikk("run", "--as-of", T2, "--domain", "tiltak")
    return lager


@pytest.fixture(scope="module", name="full")
def _full(lager_for, kilder):
    lager = lager_for("full")
    lager.metrikk("load", kilder)
    lager.metrikk("run", "--as-of", T2, "--domain", "tiltak")
    return lager


def innhold(lager) -> dict[str, list[tuple]]:
    return {t: lager.query(f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}


def test_incremental_runs_equal_full_rebuild(inkrementell, full):
    """Running as_of T1 then T2 gives exactly the rows of a single run at T2 on the same data."""
    a, b = innhold(inkrementell), innhold(full)
    assert len(b["tiltak_silver.deltakelse_uke"]) > 30
    assert max(r[2] for r in b["tiltak_gold.uke_deltakere"]).isoformat() == "2025-03-24"
    for table in TABLES:
        assert a[table] == b[table], table


def test_rerun_changes_nothing(inkrementell):
    """Running again with the same as_of leaves every table unchanged."""
    before = innhold(inkrementell)
    inkrementell.metrikk("run", "--as-of", T2, "--domain", "tiltak")
    assert innhold(inkrementell) == before


# A late correction: two deltakere registered after the run at T2 (2025-04-04). One starts in
# 2025-W12, inside the next weekly run's lookback (T3: the new week 2025-03-31 and four weeks back,
# from 2025-03-03); the other in 2025-W07, before it.
LOOKBACK_FRA = "2025-03-03"
SEN_UKE_INNE, SEN_UKE_UTE = "2025-03-17", "2025-02-10"
WEEKLY = tuple(t for t in TABLES if t != "tiltak_silver.oppstart")  # oppstart has no uke_start


def med_sene_registreringer():
    k = scenario.build()
    k.kontor("P90", "0219", "2024-01-01T10:00")
    k.vedtak("P90", "STANDARD_INNSATS", "2024-01-01T10:00")
    k.deltaker("D90", "P90", "G6", "2025-03-19", "2025-03-21", registrert="2025-04-04T08:00:00Z")
    k.kontor("P91", "0219", "2024-01-01T10:00")
    k.vedtak("P91", "STANDARD_INNSATS", "2024-01-01T10:00")
    k.deltaker("D91", "P91", "G6", "2025-02-12", "2025-02-14", registrert="2025-04-04T08:00:00Z")
    return k


def uker(lager, fra: str | None = None, til: str | None = None) -> dict[str, list[tuple]]:
    """The weekly tables' rows from `fra` (inclusive) to `til` (exclusive)."""
    where = " AND ".join(
        [f"uke_start >= DATE '{fra}'"] * (fra is not None)
        + [f"uke_start < DATE '{til}'"] * (til is not None)
    )
    return {
        t: lager.query(f"SELECT * FROM {t} WHERE {where or 'true'} ORDER BY ALL") for t in WEEKLY
    }


def personer_uke(lager, uke: str) -> int:
    return lager.one(
        "SELECT COALESCE(SUM(antall_personer), 0) FROM tiltak_gold.uke_deltakere WHERE kontor = '0219' AND uke_start = ?",
        [uke],
    )


def test_late_registration_reaches_the_weekly_run_inside_the_lookback(lager_for, kilder, tmp_path):
    """A correction loaded after a run is counted by the next weekly run exactly as by a full rebuild
    in the weeks of its lookback; an older week keeps its published rows until --full-refresh."""
    endret = med_sene_registreringer().write(tmp_path / "endret")
    ukentlig = lager_for("sen-ukentlig")
    ukentlig.metrikk("load", kilder)
    ukentlig.metrikk("run", "--as-of", T2, "--domain", "tiltak")
    for_rettelsen = uker(ukentlig, til=LOOKBACK_FRA)
    inne_for = personer_uke(ukentlig, SEN_UKE_INNE)
    ukentlig.metrikk("load", endret)
    ukentlig.metrikk("run", "--as-of", T3, "--domain", "tiltak")
    full = lager_for("sen-full")
    full.metrikk("load", endret)
    full.metrikk("run", "--as-of", T3, "--domain", "tiltak")

    # Inside the lookback the weekly run equals the full rebuild, and the late deltaker is counted.
    assert uker(ukentlig, fra=LOOKBACK_FRA) == uker(full, fra=LOOKBACK_FRA)
    assert personer_uke(ukentlig, SEN_UKE_INNE) == inne_for + 1
    # Before it the weekly run left the published rows as they were; the rebuild counts the
    # late deltaker there, so the two differ exactly in that week.
    assert uker(ukentlig, til=LOOKBACK_FRA) == for_rettelsen
    assert personer_uke(full, SEN_UKE_UTE) == personer_uke(ukentlig, SEN_UKE_UTE) + 1

    ukentlig.metrikk("run", "--as-of", T3, "--domain", "tiltak", "--full-refresh")
    assert innhold(ukentlig) == innhold(full)


# `metrikk run` in a real process whose pipeline project is a folder given on the command line.
# The CLI reads the project from `metrikk.run.PIPELINE_DIR`; pointing that at a copy is the only
# difference from `python -m metrikk` (the CLI has no option for it, on purpose).
RUN_WITH_PROJECT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import metrikk.run
    metrikk.run.PIPELINE_DIR = Path(sys.argv[1])
    from metrikk.cli import app
    app(sys.argv[2:], prog_name="metrikk")
    """
)
DROPPED_CELL = "uke_start = DATE '2025-03-10' AND kontor = '0220'"


def conservation_breaches(lager) -> list[tuple]:
    """Weeks where silver rows, the sum of the cells and antall_telt differ (read with plain SQL)."""
    return lager.query(
        """
        WITH telt AS (SELECT uke_start, COUNT(*) AS n FROM tiltak_silver.deltakelse_uke GROUP BY 1),
        celler AS (SELECT uke_start, SUM(antall_deltakelser) AS n FROM tiltak_gold.uke_deltakere GROUP BY 1),
        dq AS (SELECT uke_start, antall_telt AS n FROM tiltak_gold.uke_datakvalitet WHERE antall_telt > 0)
        SELECT uke_start, t.n, c.n, d.n
        FROM telt AS t FULL JOIN celler AS c USING (uke_start) FULL JOIN dq AS d USING (uke_start)
        WHERE COALESCE(t.n, 0) <> COALESCE(c.n, 0) OR COALESCE(t.n, 0) <> COALESCE(d.n, 0)
        """
    )


def published(lager) -> tuple[Path, list[tuple]]:
    """The readers' current snapshot file and its uke_deltakere rows."""
    path = published_path(lager.path)
    assert path is not None
    with duckdb.connect(str(path), read_only=True) as con:
        return path, con.execute("SELECT * FROM tiltak_gold.uke_deltakere ORDER BY ALL").fetchall()


def test_conservation_audit_fails_the_run_on_a_dropped_cell(full, lager_for, tmp_path):
    """The real conservation audit passes on the real tables, and a gold model that drops one cell
    makes `metrikk run` exit 1 naming tiltak_bevaring while the published snapshot stays as it was.

    Why a changed model and not corrupted tables: every run recomputes uke_deltakere and
    uke_datakvalitet over the same weeks (same lookback) right before the audit, so a cell deleted
    by hand is either rebuilt or outside the audited weeks and the audit never sees it. The only way
    the invariant breaks in a run is a model that computes the wrong thing, so the test runs the
    real CLI on a copy of the `full` warehouse with a copy of the real pipeline project in which
    uke_deltakere drops one cell; every audit, including tiltak_bevaring, is the project's own file.
    The run is the next weekly one (T3): with virtual_environment_mode=dev_only SQLMesh applies a
    changed model in prod to the intervals it computes from then on (a re-run at T2 computes
    nothing), and T3's lookback recomputes the week of the dropped cell.
    uke_deltakere's own audits (unique grain, not null, accepted values, antall >= 1) still pass on
    the smaller table, so only conservation can catch it.
    """
    # 1. The good run (the `full` fixture) exited 0 with the audit attached, and the invariant holds.
    assert conservation_breaches(full) == []
    cell = full.one(
        f"SELECT SUM(antall_deltakelser) FROM tiltak_gold.uke_deltakere WHERE {DROPPED_CELL}"
    )
    assert cell and cell >= 1

    # A copy of the warehouse (with its SQLMesh state and published snapshots), so the module's
    # other tests keep theirs; the SQLMesh cache is rebuilt.
    lager = lager_for("kopi")
    shutil.copytree(
        full.path.parent,
        lager.path.parent,
        ignore=shutil.ignore_patterns("*sqlmesh-cache"),
        dirs_exist_ok=True,
    )
    before = published(lager)

    project = tmp_path / "pipeline"
    shutil.copytree(PIPELINE_DIR, project, ignore=shutil.ignore_patterns("__pycache__", ".cache"))
    model = project / "models" / "tiltak_gold" / "uke_deltakere.sql"
    sql = model.read_text(encoding="utf-8")
    assert sql.count("\nFROM per_celle\n") == 1  # the final SELECT's FROM (an ORDER BY follows)
    model.write_text(
        sql.replace("\nFROM per_celle\n", f"\nFROM per_celle\nWHERE NOT ({DROPPED_CELL})\n"),
        encoding="utf-8",
    )
    assert (project / "audits" / "tiltak_bevaring.sql").read_bytes() == (
        PIPELINE_DIR / "audits" / "tiltak_bevaring.sql"
    ).read_bytes()

    # 2. The broken run fails through the real CLI, in bokmål, naming the audit and the table.
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            RUN_WITH_PROJECT,
            str(project),
            "--warehouse",
            str(lager.path),
            "run",
            "--as-of",
            T3,
            "--domain",
            "tiltak",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    output = proc.stdout + proc.stderr
    print(output)  # shown with -rP: what an operator reads
    assert proc.returncode == 1, output
    assert "Feil:" in output and "Kjøringen feilet" in output, output
    assert "tiltak_bevaring" in output and "uke_datakvalitet" in output, output
    assert "Kontroll feilet for tiltak_gold.uke_datakvalitet: tiltak_bevaring." in output, output

    # Readers still see the snapshot of the good run.
    assert published(lager) == before


def test_full_refresh_runs_the_project_as_it_is_now(full, lager_for, tmp_path):
    """`metrikk run --full-refresh` after the project changed recomputes with the changed project:
    a model added since the last run is built (a restatement plan alone would work from SQLMesh's
    state and silently run the models of the last run)."""
    lager = lager_for("omberegning")
    shutil.copytree(
        full.path.parent,
        lager.path.parent,
        ignore=shutil.ignore_patterns("*sqlmesh-cache"),
        dirs_exist_ok=True,
    )
    project = tmp_path / "pipeline"
    shutil.copytree(PIPELINE_DIR, project, ignore=shutil.ignore_patterns("__pycache__", ".cache"))
    (project / "models" / "tiltak_gold" / "ny_modell.sql").write_text(
        "MODEL (name tiltak_gold.ny_modell, kind FULL, cron '@daily',\n"
        "  description 'En modell lagt til etter forrige kjøring.');\n"
        "SELECT CAST(COUNT(*) AS INT64) AS antall FROM tiltak_gold.uke_deltakere\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-c", RUN_WITH_PROJECT, str(project), "--warehouse", str(lager.path)]
        + ["run", "--as-of", T2, "--domain", "tiltak", "--full-refresh"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = full.one("SELECT COUNT(*) FROM tiltak_gold.uke_deltakere")
    assert lager.one("SELECT antall FROM tiltak_gold.ny_modell") == rows
    assert innhold(lager) == innhold(full)  # the rest recomputed to the same rows


# A gold model changed so that it breaks its conservation law, and the audit that must catch it.
BROKEN_MODELS = {
    # W12 (2025-03-17): P46 is under oppfølging and on tiltak; the cell loses that person's på tiltak.
    "uke_oppfolging": (
        "COUNTIF(paa_tiltak) AS antall_paa_tiltak",
        "COUNTIF(paa_tiltak AND uke_start <> DATE '2025-03-17') AS antall_paa_tiltak",
        "tiltak_oppfolging_bevaring",
    ),
    # W11 (2025-03-10): Komet deltakelser start at 0219 (D07, D08, …); their cell is dropped.
    "uke_ventetid": (
        "\nFROM per_celle\n",
        "\nFROM per_celle\nWHERE NOT (uke_start = DATE '2025-03-10' AND kontor = '0219')\n",
        "tiltak_ventetid_bevaring",
    ),
}


@pytest.mark.parametrize("model", sorted(BROKEN_MODELS))
def test_new_conservation_audits_fail_the_run(model, full, lager_for, tmp_path):
    """A gold model that breaks its conservation law (uke_oppfolging: Σ antall_paa_tiltak; uke_ventetid:
    Σ antall_oppstart) makes the next weekly `metrikk run` exit 1 naming the audit; readers keep the last
    good snapshot. Same set-up as the test above (a copy of `full` and of the real project)."""
    old, new, audit = BROKEN_MODELS[model]
    # The good run passed with the audit attached, on rows the broken model would change.
    if model == "uke_oppfolging":
        assert (
            full.one(
                "SELECT sum(antall_paa_tiltak) FROM tiltak_gold.uke_oppfolging WHERE uke_start = DATE '2025-03-17'"
            )
            >= 1
        )
    else:
        assert (
            full.one(
                "SELECT sum(antall_oppstart) FROM tiltak_gold.uke_ventetid WHERE uke_start = DATE '2025-03-10' "
                "AND kontor = '0219'"
            )
            >= 1
        )

    lager = lager_for(f"kopi-{model}")
    shutil.copytree(
        full.path.parent,
        lager.path.parent,
        ignore=shutil.ignore_patterns("*sqlmesh-cache"),
        dirs_exist_ok=True,
    )
    before = published(lager)
    project = tmp_path / "pipeline"
    shutil.copytree(PIPELINE_DIR, project, ignore=shutil.ignore_patterns("__pycache__", ".cache"))
    path = project / "models" / "tiltak_gold" / f"{model}.sql"
    sql = path.read_text(encoding="utf-8")
    assert sql.count(old) == 1
    path.write_text(sql.replace(old, new), encoding="utf-8")

    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            RUN_WITH_PROJECT,
            str(project),
            "--warehouse",
            str(lager.path),
            "run",
            "--as-of",
            T3,
            "--domain",
            "tiltak",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert f"Kontroll feilet for tiltak_gold.{model}: {audit}." in output, output
    assert published(lager) == before
