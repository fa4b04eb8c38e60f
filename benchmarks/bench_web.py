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
from datetime import date, timedelta
from pathlib import Path

import duckdb
import httpx

from metrikk.publish import publish, published_path, snapshot_dir


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


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU seconds of a process and its children (this process when None)."""
    if pid is None:
        t = os.times()
        return t.user + t.system
    stats = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(d.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    tree = {pid}
    for _ in range(3):  # uvicorn's workers are children of its supervisor
        tree |= {p for p, (ppid, _) in stats.items() if ppid in tree}
    ticks = sum(stats[p][1] for p in tree if p in stats)
    return ticks / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def calls(url: str) -> tuple[list[str], dict[str, list[str]]]:
    """The main calls for one kontor (the default one) and one year (the last 52 weeks), and
    the kontor's filter values (avdeling, innsatsgruppe, tiltakskode)."""
    kontor = httpx.get(url + "/api/v1/kontorer", timeout=120).json()["standard"]
    meta = httpx.get(url + "/api/v1/meta", timeout=120).json()
    siste = meta["uker"]["siste"]
    y, w = int(siste[:4]), int(siste[6:])

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
        f"/api/v1/tiltak/denne-uken?kontor={kontor}",  # the Monday view: last week, change
        f"/api/v1/tiltak/oppfolging?kontor={kontor}&periode=uke&fra={fy}-U{fw:02d}&til={siste}",
        f"/api/v1/tiltak/ventetid?kontor={kontor}&periode=uke&fra={fy}-U{fw:02d}&til={siste}",
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
    valg = httpx.get(url + f"/api/v1/tiltak/valg?kontor={kontor}", timeout=120).json()["valg"]
    options = {
        k: [o["verdi"] for o in valg[k]] for k in ("avdeling", "innsatsgruppe", "tiltakskode")
    }
    print(f"kontor={kontor} period={period} calls={len(out)}", file=sys.stderr)
    return out, options


def with_random_filters(u: str, options: dict[str, list[str]], rnd: random.Random) -> str:
    """Half of the tiltak and gjennomføring calls ask with a random filter, as a person changing
    the filters does; no two such requests need be alike."""
    if not u.startswith(("/api/v1/tiltak/uker", "/api/v1/gjennomforinger/uker")):
        return u
    if rnd.random() < 0.5:
        return u
    names = ["tiltakskode"] if "gjennomforinger" in u else list(options)
    name = rnd.choice(names)
    values = options[name]
    if not values:
        return u
    chosen = rnd.sample(values, rnd.randint(1, len(values)))
    return u + "".join(
        f"&{name}={httpx.URL('', params={'v': v}).query.decode()[2:]}" for v in chosen
    )


def measure(
    warehouse: Path, *, workers: int, indeks: bool, seconds: float, concurrency: int
) -> dict:
    """Start `metrikk serve` and load it from `concurrency` client threads for `seconds`."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = os.environ.copy()
    env["METRIKK_WEB_INDEKS"] = "1" if indeks else "0"
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
            "--workers",
            str(workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
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
        urls, options = calls(url)
        # Warm-up: every worker process loads the kontor's index and the metadata memo on its
        # first requests (about 1 s for the largest kontor); measured is the steady state.
        # A connection stays with one worker, so warm up over several connections.
        for _ in range(4 * workers):
            with httpx.Client(base_url=url, timeout=120) as c:
                for u in urls:
                    c.get(u)
        latencies: list[float] = []
        per_call: dict[str, list[float]] = {}
        errors = 0
        failed: dict[str, str] = {}  # status and call -> the first request that got it
        lock = threading.Lock()
        stop = time.monotonic() + seconds

        def worker(seed: int) -> None:
            nonlocal errors
            rnd = random.Random(seed)
            with httpx.Client(base_url=url, timeout=60) as c:
                while time.monotonic() < stop:
                    u = rnd.choice(urls)
                    ask = with_random_filters(u, options, rnd)
                    t0 = time.perf_counter()
                    r = c.get(ask)
                    dt = (time.perf_counter() - t0) * 1000
                    with lock:
                        latencies.append(dt)
                        per_call.setdefault(u, []).append(dt)
                        errors += r.status_code != 200
                        if r.status_code != 200:
                            failed.setdefault(f"{r.status_code} {u}", ask)

        start = time.monotonic()
        cpu0 = (cpu_seconds(proc.pid), cpu_seconds())
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - start
        cpu = (cpu_seconds(proc.pid) - cpu0[0], cpu_seconds() - cpu0[1])
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    latencies.sort()
    return {
        "latencies": latencies,
        "per_call": per_call,
        "errors": errors,
        "failed": failed,
        "elapsed": elapsed,
        "cpu": cpu,
        "p50": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
        "rps": len(latencies) / elapsed,
    }


def report(name: str, m: dict, workers: int, concurrency: int) -> None:
    for u, ts in sorted(m["per_call"].items(), key=lambda kv: -statistics.median(kv[1])):
        ts.sort()
        print(
            f"  p50={statistics.median(ts):7.1f} p95={ts[int(0.95 * (len(ts) - 1))]:7.1f}"
            f" n={len(ts):4d}  {u.split('?')[0]}{' (csv)' if 'format=csv' in u else ''}",
            file=sys.stderr,
        )
    for what, ask in sorted(m["failed"].items()):
        print(f"  not 200: {what}, first as {ask}", file=sys.stderr)
    n = max(1, len(m["latencies"]))
    print(
        f"{name}: requests={len(m['latencies'])} errors={m['errors']} workers={workers}"
        f" concurrency={concurrency} load={os.getloadavg()[0]:.1f}"
        f" server_cpu_ms_per_request={m['cpu'][0] * 1000 / n:.1f}"
        f" client_cpu_ms_per_request={m['cpu'][1] * 1000 / n:.1f}"
        f" p50_ms={m['p50']:.1f} p95_ms={m['p95']:.1f} rps={m['rps']:.1f}",
        file=sys.stderr,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--warehouse", type=Path)
    ap.add_argument("--rows", type=int, default=200_000, help="synthetic deltakelser")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="server processes (one per core)"
    )
    ap.add_argument(
        "--no-naive", action="store_true", help="skip the naive run (SQL per request, 1 process)"
    )
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    warehouse = args.warehouse
    if warehouse is not None:
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

        publish(warehouse)  # served the way `metrikk run` leaves it: from a snapshot
    try:
        naive = None
        if not args.no_naive:
            # The naive approach, measured in the same run: SQL per request (COUNT DISTINCT
            # over tiltak_silver.deltakelse_uke, the gjennomføring semi-join), one process.
            naive = measure(
                warehouse,
                workers=1,
                indeks=False,
                seconds=args.seconds,
                concurrency=args.concurrency,
            )
            report("naiv (SQL per request, 1 process)", naive, 1, args.concurrency)
        main_run = measure(
            warehouse,
            workers=args.workers,
            indeks=True,
            seconds=args.seconds,
            concurrency=args.concurrency,
        )
        report(f"indeks ({args.workers} processes)", main_run, args.workers, args.concurrency)
    finally:
        tmp.cleanup()
    if naive is not None:
        print(
            f"ratios vs naive: p50 {naive['p50'] / main_run['p50']:.1f}x"
            f" p95 {naive['p95'] / main_run['p95']:.1f}x rps {main_run['rps'] / naive['rps']:.1f}x",
            file=sys.stderr,
        )
    print(
        f"web-bench p50_ms={main_run['p50']:.1f} p95_ms={main_run['p95']:.1f}"
        f" rps={main_run['rps']:.1f}"
    )


if __name__ == "__main__":
    main()
