"""Measure `metrikk ingest postgres` on ~200k etterlevelse audit rows (not a test; run by hand).

    uv run python tests/ingest/measure_ingest.py [ROWS]

Starts a throwaway cluster, fills etterlevelse's tables, and times: a bare COPY of the audit
table to nowhere (the floor), the first ingest into an empty warehouse, an incremental ingest
after 1000 new rows, and a no-op ingest. Prints one line per step; docs/production.md records
the numbers. Times are never asserted anywhere.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import pg_cluster
import pg_sources
import psycopg

from metrikk.ingest.postgres import ingest
from metrikk.settings import Settings


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


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
