"""Latency of the main API calls under concurrent local load.

Starts `python -m metrikk serve` on a free port against a warehouse, then fires the main API
calls for ONE kontor over ONE year (the default kontor, the last 52 published weeks) from
several threads for a fixed time.

The warehouse: `--warehouse PATH` (e.g. the `default`-scale warehouse the pipeline built,
/work/bench/default.duckdb); if it has a published snapshot, that snapshot file is COPIED to a
temp dir and served from there, so the original is only ever read. Without `--warehouse`, a
synthetic one is built here with plain SQL in the contract's shape.

    uv run python benchmarks/bench_web.py [--warehouse PATH] [--rows 200000] [--seconds 10]
                                           [--concurrency 8]

Last line: `web-bench p50_ms=… p95_ms=… rps=…`. Times are reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import httpx


def build_synthetic(path: Path, deltakelser: int) -> None:
    """A deltakelse_uke of about `deltakelser` × 8 weeks rows over 3 kontor and 200 weeks."""
    con = duckdb.connect(str(path))
    for s in ("tiltak_silver", "tiltak_gold", "metrikk_meta"):
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {s}")
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_silver.nav_enhet AS
        SELECT * FROM (VALUES ('0219', 'Nav Bærum', 'LOKAL', 'Aktiv', '0600', false),
                              ('0220', 'Nav Asker', 'LOKAL', 'Aktiv', '0600', false),
                              ('0301', 'Nav Oslo', 'LOKAL', 'Aktiv', '0300', false),
                              ('0600', 'Nav Vest-Viken', 'FYLKE', 'Aktiv', NULL, true))
            t(enhetsnummer, navn, type, status, overordnet_enhet, er_fylke)
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TABLE tiltak_silver.deltakelse_uke AS
        WITH d AS (
          SELECT i, CAST(hash(i) >> 2 AS BIGINT) AS h FROM range({deltakelser}) t(i)
        ), w AS (
          SELECT i, h, DATE '2022-01-03' + INTERVAL (7 * ((h % 190) + k)) DAY AS uke_start
          FROM d, range(0, 1 + (h >> 8) % 15) r(k)
        )
        SELECT CAST(isoyear(uke_start) AS BIGINT) AS aar, CAST(week(uke_start) AS BIGINT) AS uke,
               CAST(uke_start AS DATE) AS uke_start, 'd' || i AS deltakelse_id,
               'KOMET' AS kilde, 'p' || (i % {max(1, deltakelser * 2 // 3)}) AS person_id,
               'g' || (h % 300) AS gjennomforing_id, CAST(uke_start AS DATE) + 6 AS referansedag,
               ['0219', '0220', '0301'][1 + (h >> 4) % 3] AS kontor, 'Nav' AS kontor_navn,
               '0600' AS fylke, 'OPPFOLGINGSKONTOR' AS kontor_kilde,
               'Avdeling ' || ((h >> 12) % 12) AS avdeling, NULL AS veiledergruppe_id,
               ['GODE_MULIGHETER', 'TRENGER_VEILEDNING', 'JOBBE_DELVIS',
                'TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE', 'UKJENT'][1 + (h >> 16) % 5]
                 AS innsatsgruppe,
               'T' || ((h >> 20) % 25) AS tiltakskode, 'Tiltak ' || ((h >> 20) % 25)
                 AS tiltakstype_navn,
               ['GRUPPE', 'ENKELTPLASS', 'ARBEIDSGIVER'][1 + (h >> 24) % 3] AS tiltakskategori,
               false AS startet, false AS sluttet
        FROM w WHERE uke_start <= DATE '2025-10-06'
        ORDER BY uke_start, kontor  -- the pipeline writes week by week
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE tiltak_gold.uke_antall AS
        SELECT aar, uke, kontor, tiltakstype_navn AS tiltaksnavn, innsatsgruppe, avdeling,
               count(DISTINCT person_id) AS antall FROM tiltak_silver.deltakelse_uke GROUP BY ALL;
        CREATE OR REPLACE TABLE tiltak_gold.uke_antall_avdeling AS
        SELECT aar, uke, kontor, tiltakstype_navn AS tiltaksnavn, avdeling,
               count(DISTINCT person_id) AS antall FROM tiltak_silver.deltakelse_uke GROUP BY ALL;
        CREATE OR REPLACE TABLE metrikk_meta.datasett AS
        SELECT 'tiltak_bronze' AS schema_name, 'deltaker' AS table_name, true AS syntetisk,
               now()::TIMESTAMP AS lastet_tidspunkt, 1::BIGINT AS rader;
        CHECKPOINT;
        """
    )
    (n,) = con.execute("SELECT count(*) FROM tiltak_silver.deltakelse_uke").fetchone()
    con.close()
    print(f"synthetic deltakelse_uke: {n} rows", file=sys.stderr)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def calls(url: str) -> list[str]:
    """The main calls for one kontor (the default one) and one year (the last 52 weeks)."""
    kontor = httpx.get(url + "/api/v1/kontorer", timeout=120).json()["standard"]
    meta = httpx.get(url + "/api/v1/meta", timeout=120).json()
    siste = meta["uker"]["siste"]
    y, w = int(siste[:4]), int(siste[6:])
    from datetime import date, timedelta  # noqa: PLC0415

    start = date.fromisocalendar(y, w, 1) - timedelta(weeks=51)
    fy, fw, _ = start.isocalendar()
    period = f"kontor={kontor}&fra={fy}-U{fw:02d}&til={siste}"
    out = [
        f"/api/v1/tiltak/uker?{period}&gruppering=uke&gruppering=avdeling",
        f"/api/v1/tiltak/uker?{period}&gruppering=tiltakskode&gruppering=innsatsgruppe",
        f"/api/v1/tiltak/uker?{period}&gruppering=uke&gruppering=tiltakskode",
        f"/api/v1/tiltak/uker?{period}&gruppering=avdeling&gruppering=innsatsgruppe&format=csv",
        f"/ukeAntall?aar={y}&uke={w}&kontor={kontor}",
        "/api/v1/kontorer",
        f"/api/v1/tiltak/valg?kontor={kontor}",
        f"/api/v1/gjennomforinger/uker?{period}&rader=siste",  # as the page asks
    ]
    out = [u for u in out if httpx.get(url + u, timeout=120).status_code == 200]
    for view in (
        "/api/v1/etterlevelse/sist-oppdatert",
        "/api/v1/etterlevelse/pvk-flyt",
        "/api/v1/etterlevelse/bruk",
        "/api/v1/behandlinger/grunnlag",
        "/api/v1/behandlinger/databehandlere",
    ):
        if httpx.get(url + view, timeout=120).status_code == 200:
            out.append(view)
    print(f"kontor={kontor} period={period} calls={len(out)}", file=sys.stderr)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--warehouse", type=Path)
    ap.add_argument("--rows", type=int, default=200_000, help="synthetic deltakelser")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    warehouse = args.warehouse
    if warehouse is not None:
        from metrikk.publish import published_path, snapshot_dir  # noqa: PLC0415

        snapshot = published_path(warehouse)
        if snapshot is not None:
            # Serve a copy laid out as a published snapshot (read the shared warehouse, never
            # open it): the app then keeps one read-only connection per snapshot, as it does
            # beside a real run, instead of opening the warehouse file on every request.
            warehouse = Path(tmp.name) / "metrikk.duckdb"
            publisert = snapshot_dir(warehouse)
            publisert.mkdir()
            shutil.copyfile(snapshot, publisert / snapshot.name)
            (publisert / "CURRENT").write_text(snapshot.name, encoding="utf-8")
            print(f"serving a copy of {snapshot}", file=sys.stderr)
    if warehouse is None:
        warehouse = Path(tmp.name) / "bench.duckdb"
        build_synthetic(warehouse, args.rows)
        from metrikk.publish import publish  # noqa: PLC0415

        publish(warehouse)  # served the way `metrikk run` leaves it: from a snapshot
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "metrikk",
            "--warehouse",
            str(warehouse),
            "serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/status", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"server did not start: {proc.stderr.read().decode()}")
        urls = calls(url)
        for u in urls:  # warm-up: metadata memo, first-query imports
            httpx.get(url + u, timeout=120)
        latencies: list[float] = []
        per_call: dict[str, list[float]] = {}
        errors = 0
        lock = threading.Lock()
        stop = time.monotonic() + args.seconds

        def worker(seed: int) -> None:
            nonlocal errors
            rnd = random.Random(seed)
            with httpx.Client(base_url=url, timeout=60) as c:
                while time.monotonic() < stop:
                    t0 = time.perf_counter()
                    u = rnd.choice(urls)
                    r = c.get(u)
                    dt = (time.perf_counter() - t0) * 1000
                    with lock:
                        latencies.append(dt)
                        per_call.setdefault(u, []).append(dt)
                        errors += r.status_code != 200

        start = time.monotonic()
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - start
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        tmp.cleanup()
    for u, ts in sorted(per_call.items(), key=lambda kv: -statistics.median(kv[1])):
        ts.sort()
        print(
            f"  p50={statistics.median(ts):7.1f} p95={ts[int(0.95 * (len(ts) - 1))]:7.1f}"
            f" n={len(ts):4d}  {u.split('?')[0]}{' (csv)' if 'format=csv' in u else ''}",
            file=sys.stderr,
        )
    latencies.sort()
    p50 = statistics.median(latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"requests={len(latencies)} errors={errors} concurrency={args.concurrency}"
        f" load={os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )
    print(f"web-bench p50_ms={p50:.1f} p95_ms={p95:.1f} rps={len(latencies) / elapsed:.1f}")


if __name__ == "__main__":
    main()
