"""Tiltak pipeline benchmark: `uv run python benchmarks/bench_tiltak.py [--scale default]`.

In one run, on one synthetic warehouse: generation time (`metrikk.generate.generate`), a full
rebuild (`metrikk run`, in a child process, with its peak RSS), one incremental weekly run
(as_of one week later), a run with nothing to do (the same as_of again), the seeds' naive method
on the same data (a pandas loop over weeks that fills a dense week × kontor × tiltak × avdeling ×
innsatsgruppe grid of distinct persons), and plain DuckDB's floor for the volume (explode the
counted deltakelser into weeks, count distinct persons per week × 5 integer dimensions).
It reports the speed ratios (naive / full rebuild, full rebuild / floor) and the row ratio of the
sparse gold table `uke_antall` to that dense grid. Times are printed, never asserted. Last line:
`tiltak-bench generate_s=… full_s=… incremental_s=… noop_s=… peak_rss_mb=… naive_s=… floor_s=…
speedup_vs_naive=… full_over_floor=… dense_rows_ratio=…`
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd


def run_child(args: list[str]) -> tuple[float, float]:
    """Run a command as a child process; return (seconds, peak RSS in MiB of that child).

    Also prints the child's CPU time (user + system): on a shared machine wall time depends on
    the load, CPU time much less."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{stderr}")
    print(
        f"  cpu {usage.ru_utime + usage.ru_stime:.1f} s (user {usage.ru_utime:.1f}, sys {usage.ru_stime:.1f}), "
        f"wall {seconds:.1f} s: {' '.join(args[3:])}",
        flush=True,
    )
    return seconds, usage.ru_maxrss / 1024


def metrikk(warehouse: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "metrikk", "--warehouse", str(warehouse), *args]


def naive(warehouse: Path, sample: int = 0) -> tuple[float, int, int, list]:
    """The seeds' method: per week, filter active deltakelser, attach attributes as of the
    reference day with pandas, count distinct persons per cell of a dense grid.

    Inputs are the same silver helpers the pipeline uses, so only the weekly method differs.
    With `sample` > 0 the loop runs on that many evenly spaced weeks and its time is scaled to
    all weeks (the loop is linear in weeks: each week filters the same frames); the dense grid has
    the same size every week, so its total row count is exact either way.
    Returns (seconds, dense grid rows over all weeks, non-zero cells in the weeks run, those weeks).
    """
    with duckdb.connect(str(warehouse), read_only=True) as con:
        t0 = time.perf_counter()
        d = con.execute(
            "SELECT person_id, tiltakstype_navn, start_dato, least(aktiv_til, DATE '2200-01-01') AS aktiv_til, "
            "reservekontor FROM tiltak_silver.deltakelse "
            "WHERE telles"
        ).df()
        ig = con.execute(
            "SELECT person_id, gyldig_fra, innsatsgruppe FROM tiltak_silver.person_innsatsgruppe"
        ).df()
        pk = con.execute(
            "SELECT person_id, gyldig_fra, kontor_id FROM tiltak_silver.person_kontor WHERE NOT er_fylke"
        ).df()
        pv = con.execute(
            "SELECT person_id, gyldig_fra, veileder_ident FROM tiltak_silver.person_veileder"
        ).df()
        va = con.execute(
            "SELECT enhetsnummer AS kontor, veileder_ident, gyldig_fra, least(gyldig_til, DATE '2200-01-01') AS gyldig_til, avdeling "
            "FROM tiltak_silver.veileder_avdeling"
        ).df()
        weeks = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT uke_start FROM tiltak_silver.deltakelse_uke ORDER BY 1"
            ).fetchall()
        ]
    for frame in (ig, pk, pv):
        frame["gyldig_fra"] = pd.to_datetime(frame["gyldig_fra"])
        frame.sort_values("gyldig_fra", inplace=True)
    d["start_dato"] = pd.to_datetime(d["start_dato"])
    d["aktiv_til"] = pd.to_datetime(d["aktiv_til"])
    va["gyldig_fra"] = pd.to_datetime(va["gyldig_fra"])
    va["gyldig_til"] = pd.to_datetime(va["gyldig_til"])

    kontorer = set(pk["kontor_id"]) | set(d["reservekontor"].dropna()) | {"UKJENT"}
    tiltak = sorted(d["tiltakstype_navn"].unique())
    innsats = [
        "GODE_MULIGHETER",
        "TRENGER_VEILEDNING",
        "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE",
        "JOBBE_DELVIS",
        "LITEN_MULIGHET_TIL_A_JOBBE",
        "UKJENT",
    ]
    avd_per_kontor = va.groupby("kontor")["avdeling"].unique().to_dict()
    grid_index = pd.MultiIndex.from_tuples(
        [
            (k, t, a, i)
            for k in sorted(kontorer)
            for a in [*avd_per_kontor.get(k, []), "Uten avdeling"]
            for t in tiltak
            for i in innsats
        ],
        names=["kontor", "tiltak", "avdeling", "innsatsgruppe"],
    )
    setup_s = time.perf_counter() - t0
    run_weeks = weeks[:: max(1, len(weeks) // sample)] if sample and sample < len(weeks) else weeks
    t1 = time.perf_counter()
    nonzero = 0
    for monday in run_weeks:
        mon = pd.Timestamp(monday)
        sun = mon + pd.Timedelta(days=6)
        w = d[(d["start_dato"] <= sun) & (d["aktiv_til"] >= mon)].copy()
        w["ref"] = w["aktiv_til"].where(w["aktiv_til"] < sun, sun)
        w = w.sort_values("ref")
        w = pd.merge_asof(w, ig, left_on="ref", right_on="gyldig_fra", by="person_id").drop(
            columns="gyldig_fra"
        )
        w = pd.merge_asof(w, pk, left_on="ref", right_on="gyldig_fra", by="person_id").drop(
            columns="gyldig_fra"
        )
        w = pd.merge_asof(w, pv, left_on="ref", right_on="gyldig_fra", by="person_id").drop(
            columns="gyldig_fra"
        )
        w["kontor"] = w["kontor_id"].fillna(w["reservekontor"]).fillna("UKJENT")
        w["innsatsgruppe"] = w["innsatsgruppe"].fillna("UKJENT")
        m = w.merge(va, on=["kontor", "veileder_ident"], how="left")
        m = m[
            m["gyldig_fra"].isna() | ((m["gyldig_fra"] <= m["ref"]) & (m["gyldig_til"] >= m["ref"]))
        ]
        w = w.merge(
            m[["person_id", "ref", "tiltakstype_navn", "kontor", "avdeling"]].drop_duplicates(
                ["person_id", "ref", "tiltakstype_navn", "kontor"]
            ),
            on=["person_id", "ref", "tiltakstype_navn", "kontor"],
            how="left",
        )
        w["avdeling"] = w["avdeling"].fillna("Uten avdeling")
        counts = w.groupby(["kontor", "tiltakstype_navn", "avdeling", "innsatsgruppe"])[
            "person_id"
        ].nunique()
        counts.index.names = grid_index.names
        grid = counts.reindex(grid_index, fill_value=0)
        nonzero += int(np.count_nonzero(grid.to_numpy()))
    loop_s = (time.perf_counter() - t1) * len(weeks) / len(run_weeks)
    return setup_s + loop_s, len(grid_index) * len(weeks), nonzero, run_weeks


def duckdb_floor(warehouse: Path, until: date) -> tuple[float, int]:
    """Plain DuckDB's floor for the weekly volume, on a copy of the counted deltakelser: integer
    codes for person and dimensions, one row per deltakelse and week (from the week of start_dato
    to the week of aktiv_til, capped at `until`), then distinct persons per week × kontor ×
    tiltakstype × kategori × kilde. No as-of attributes, no audits: a lower bound, not the same
    result. Returns (seconds, deltakelse-weeks)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("SET preserve_insertion_order = false")
        t0 = time.perf_counter()
        con.execute(
            """
            CREATE TEMP TABLE d AS
            SELECT dense_rank() OVER (ORDER BY person_id)::UINTEGER AS p,
                   dense_rank() OVER (ORDER BY coalesce(reservekontor, 'UKJENT'))::USMALLINT AS k,
                   dense_rank() OVER (ORDER BY tiltakstype_navn)::USMALLINT AS t,
                   dense_rank() OVER (ORDER BY tiltakskategori)::UTINYINT AS c,
                   dense_rank() OVER (ORDER BY kilde)::UTINYINT AS s,
                   date_trunc('week', start_dato)::DATE AS fra,
                   date_trunc('week', least(aktiv_til, ?::DATE))::DATE AS til
            FROM tiltak_silver.deltakelse WHERE telles AND start_dato <= ?::DATE
            """,
            [until, until],
        )
        con.execute(
            "CREATE TEMP TABLE w AS SELECT unnest(generate_series(fra, til, INTERVAL 7 DAY))::DATE AS uke, "
            "p, k, t, c, s FROM d"
        )
        con.execute(
            "CREATE TEMP TABLE g AS SELECT uke, k, t, c, s, count(DISTINCT p) AS antall "
            "FROM w GROUP BY uke, k, t, c, s"
        )
        seconds = time.perf_counter() - t0
        weeks = con.execute("SELECT count(*) FROM w").fetchone()[0]
    return seconds, weeks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="default", choices=["small", "default", "large"])
    parser.add_argument(
        "--until", default="2026-11-15", help="last day of synthetic data (a Sunday)"
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        help="keep the warehouse here; reused (no generation) if it exists",
    )
    parser.add_argument(
        "--naive-sample",
        type=int,
        default=26,
        help="run the naive loop on this many evenly spaced weeks and scale its time to all "
        "weeks (0: every week; at default scale that takes over 15 minutes)",
    )
    args = parser.parse_args()
    until = date.fromisoformat(args.until)
    first_as_of = until - timedelta(days=7)

    tmp = tempfile.TemporaryDirectory(prefix="bench_tiltak_")
    warehouse = args.warehouse or Path(tmp.name) / "metrikk.duckdb"
    generate_s = float("nan")
    if not warehouse.exists():
        try:
            from metrikk.generate import generate
        except ImportError:
            generate = None
        if generate is None:
            raise SystemExit(
                "metrikk.generate.generate finnes ikke; bruk --warehouse med ferdige data."
            )
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        t0, cpu0 = time.perf_counter(), time.process_time()
        rows = generate(warehouse, "tiltak", scale=args.scale, seed=42, until=until)
        generate_s = time.perf_counter() - t0
        print(
            f"generate: {generate_s:.1f} s (cpu {time.process_time() - cpu0:.1f} s), "
            f"{rows.get('tiltak_bronze.deltaker', 0):,} deltakere",
            flush=True,
        )
        warehouse.with_suffix(".generate_s").write_text(f"{generate_s}")
    elif warehouse.with_suffix(".generate_s").exists():
        generate_s = float(warehouse.with_suffix(".generate_s").read_text())
        print(
            f"generate: {generate_s:.1f} s (measured when the reused warehouse was generated)",
            flush=True,
        )

    with duckdb.connect(str(warehouse), read_only=True) as con:
        built = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'tiltak_gold'"
        ).fetchone()[0]
    # A first run on a fresh warehouse is a full build; `--full-refresh` needs an existing environment.
    refresh = ["--full-refresh"] if built else []
    full_s, peak = run_child(
        metrikk(
            warehouse, "run", "--as-of", first_as_of.isoformat(), "--domain", "tiltak", *refresh
        )
    )
    print(
        f"full rebuild (as_of {first_as_of}): {full_s:.1f} s, peak RSS {peak:.0f} MiB", flush=True
    )
    inc_s, inc_peak = run_child(
        metrikk(warehouse, "run", "--as-of", until.isoformat(), "--domain", "tiltak")
    )
    print(
        f"incremental run (as_of {until}): {inc_s:.1f} s, peak RSS {inc_peak:.0f} MiB", flush=True
    )
    noop_s, noop_peak = run_child(
        metrikk(warehouse, "run", "--as-of", until.isoformat(), "--domain", "tiltak")
    )
    print(
        f"run with nothing to do (as_of {until} again): {noop_s:.1f} s, peak RSS {noop_peak:.0f} MiB",
        flush=True,
    )

    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in (
            "tiltak_silver.deltakelse",
            "tiltak_silver.deltakelse_uke",
            "tiltak_gold.uke_deltakere",
            "tiltak_gold.uke_antall",
            "tiltak_gold.uke_gjennomforing",
        ):
            print(
                f"  {table}: {con.execute(f'SELECT count(*) FROM {table}').fetchone()[0]:,} rader"
            )
        sparse_rows, sparse_sum = con.execute(
            "SELECT count(*), sum(antall) FROM tiltak_gold.uke_antall"
        ).fetchone()

    cpu0 = time.process_time()
    naive_s, dense_rows, nonzero, run_weeks = naive(warehouse, args.naive_sample)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute("CREATE TEMP TABLE uker AS SELECT unnest(?::DATE[]) AS uke_start", [run_weeks])
        sparse_in_run = con.execute(
            "SELECT count(*) FROM tiltak_gold.uke_antall WHERE uke_start IN (SELECT uke_start FROM uker)"
        ).fetchone()[0]
    print(
        f"  naive cpu {time.process_time() - cpu0:.1f} s; ran {len(run_weeks)} weeks, time scaled to all weeks",
        flush=True,
    )
    print(
        f"naive pandas week loop: {naive_s:.1f} s, dense grid {dense_rows:,} rows; in the weeks run "
        f"{nonzero:,} non-zero cells against {sparse_in_run:,} uke_antall rows (must be equal)",
        flush=True,
    )
    cpu0 = time.process_time()
    floor_s, floor_rows = duckdb_floor(warehouse, until)
    print(
        f"plain DuckDB floor: {floor_s:.1f} s (cpu {time.process_time() - cpu0:.1f} s), "
        f"{floor_rows:,} deltakelse-weeks",
        flush=True,
    )
    speedup = naive_s / full_s
    ratio = sparse_rows / dense_rows if dense_rows else float("nan")
    print(
        f"ratios: naive / full {speedup:.2f}, full / floor {full_s / floor_s:.1f}, "
        f"weekly / floor {inc_s / floor_s:.1f}",
        flush=True,
    )
    print(
        f"tiltak-bench generate_s={generate_s:.1f} full_s={full_s:.1f} incremental_s={inc_s:.1f} noop_s={noop_s:.1f} "
        f"peak_rss_mb={max(peak, inc_peak, noop_peak):.0f} naive_s={naive_s:.1f} floor_s={floor_s:.1f} "
        f"speedup_vs_naive={speedup:.2f} full_over_floor={full_s / floor_s:.1f} dense_rows_ratio={ratio:.4f}"
    )
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
