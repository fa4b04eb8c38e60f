"""Ingest benchmark: `metrikk ingest postgres` from a real PostgreSQL into the DuckDB warehouse.

    uv run python benchmarks/bench_ingest.py [--scale small|default|large] [--rows N]

Starts a throwaway PostgreSQL cluster (the ingest tests' helpers in tests/ingest/), fills
etterlevelse's tables with N audit rows (small 20,000; default 200,000; large 1,000,000) and
times: a bare COPY of the audit table to nowhere (the floor: what PostgreSQL alone needs), the
first ingest into an empty warehouse, an incremental ingest after 1000 new rows, and a no-op
ingest. Prints one line per step and, last, `ingest-bench rows=… copy_s=… first_s=…
incremental_s=… noop_s=…`; docs/production.md records the numbers. Times are never asserted.
Needs PostgreSQL's binaries under /usr/lib/postgresql/*/bin.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import psycopg

from metrikk.ingest import ingest
from metrikk.settings import Settings

# The throwaway cluster and the apps' tables are the ingest tests' own helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "ingest"))
import pg_cluster  # noqa: E402
import pg_sources  # noqa: E402

ROWS = {"small": 20_000, "default": 200_000, "large": 1_000_000}


def main(n: int) -> None:
    bindir = pg_cluster.find_bindir()
    if bindir is None:
        sys.exit("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin")
    with pg_cluster.running_cluster(bindir) as cluster, tempfile.TemporaryDirectory() as tmp:
        dsn = cluster.dsn()
        rng = random.Random(2026)
        rows = pg_sources.etterlevelse_audit_rows(rng, n, datetime(2021, 1, 4))
        with psycopg.connect(dsn, autocommit=True) as con:
            pg_sources.create_etterlevelse(con)
            pg_sources.insert_audit(con, rows, with_version=True)
            pg_sources.insert_current(con, rng)
            con.execute("VACUUM ANALYZE")
            (size,) = con.execute(
                "SELECT pg_size_pretty(sum(octet_length(data::text))) FROM audit_version"
            ).fetchone()
            t = time.perf_counter()
            with (
                con.cursor() as cur,
                cur.copy(
                    "COPY (SELECT audit_id::text, action, table_name, table_id, user_id, time, "
                    "version, data::text FROM audit_version) TO STDOUT (FORMAT csv)"
                ) as copy,
            ):
                for _ in copy:
                    pass
            bare = time.perf_counter() - t
        print(f"rows={n} json={size} cores={os.cpu_count()} load={os.getloadavg()[0]:.1f}")
        print(f"bare COPY to nowhere:          {bare:6.2f} s")
        settings = Settings(warehouse=Path(tmp) / "metrikk.duckdb")
        cpu = time.process_time()
        first = ingest(settings, "etterlevelse", dsn)
        cpu = time.process_time() - cpu
        print(
            f"first ingest (all tables):     {first.seconds:6.2f} s  ({first.tables[0].new} rows; "
            f"{cpu:.2f} s CPU in metrikk's process)"
        )
        newest = max(r.time for r in rows)
        with psycopg.connect(dsn, autocommit=True) as con:
            pg_sources.insert_audit(
                con, pg_sources.etterlevelse_audit_rows(rng, 1000, newest), with_version=True
            )
        second = ingest(settings, "etterlevelse", dsn)
        print(
            f"+1000 rows, incremental:       {second.seconds:6.2f} s  "
            f"(read {second.tables[0].read}, new {second.tables[0].new})"
        )
        third = ingest(settings, "etterlevelse", dsn)
        print(f"no-op ingest:                  {third.seconds:6.2f} s  (new {third.tables[0].new})")
        print(
            f"ingest-bench rows={n} copy_s={bare:.2f} first_s={first.seconds:.2f} "
            f"incremental_s={second.seconds:.2f} noop_s={third.seconds:.2f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="default", choices=list(ROWS))
    parser.add_argument("--rows", type=int, help="audit rows (overrides --scale)")
    args = parser.parse_args()
    main(args.rows or ROWS[args.scale])
