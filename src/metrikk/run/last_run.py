"""The record of `metrikk run`'s last successful run on DuckDB, and the run with nothing to do
that it allows (docs/decisions.md, "A run with nothing to do")."""

from __future__ import annotations

import hashlib
import json
import typing as t
from datetime import date
from importlib import metadata
from pathlib import Path

from sqlglot import exp

from metrikk.drift import read_drift
from metrikk.pseudonym import PseudonymKey
from metrikk.run.report import RunReport, execution_time_for
from metrikk.settings import Settings
from metrikk.snapshot import published_path
from metrikk.warehouse import connect

# A run with nothing to do (docs/decisions.md, "A run with nothing to do"): when the last
# successful run had the same as_of, domain and code, and neither the warehouse file nor the
# published snapshot has changed since it ended, SQLMesh would compute no interval and publish
# the same tables again; the run then reports from that record without loading SQLMesh.
_LAST_RUN_FORMAT = 1


class _DuckDBReader:
    """What `read_drift` needs of an engine adapter, over a plain read-only DuckDB connection."""

    def __init__(self, con) -> None:
        self.con = con

    def table_exists(self, table: exp.Table) -> bool:
        sql = (
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? "
            "AND table_name = ? AND table_catalog = current_database()"
        )
        return self.con.execute(sql, [table.db, table.name]).fetchone()[0] > 0

    def fetchall(self, query) -> list[tuple]:
        sql = query if isinstance(query, str) else query.sql(dialect="duckdb")
        return self.con.execute(sql).fetchall()


def _last_run_path(warehouse: Path) -> Path:
    warehouse = Path(warehouse).resolve()
    return warehouse.parent / f".{warehouse.name}.siste-kjoring.json"


def _file_state(path: Path) -> list[int | str] | None:
    """mtime, size, inode and a hash of the first 12 KiB: a DuckDB file's main and two database
    headers, whose iteration count changes at every checkpoint (a write within the file
    system's timestamp granularity still changes it)."""

    try:
        st = path.stat()
        with path.open("rb") as f:
            head = hashlib.sha256(f.read(3 * 4096)).hexdigest()
    except FileNotFoundError:
        return None
    return [st.st_mtime_ns, st.st_size, st.st_ino, head]


def _code_fingerprint(settings: Settings) -> str:
    """What decides what SQLMesh would compute besides the data: metrikk's code and pipeline
    (models, macros, audits), the pinned engines' versions, the pseudonym key's id (never the
    key) and where the sources are."""

    h = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]  # src/metrikk
    for f in sorted(package.rglob("*")):
        if f.suffix in (".py", ".sql", ".yaml", ".yml", ".json") and "__pycache__" not in f.parts:
            if f.is_file():
                h.update(str(f.relative_to(package)).encode())
                h.update(f.read_bytes())
    for dist in ("sqlmesh", "sqlglot", "duckdb"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(dist.encode())
    h.update(PseudonymKey(settings.effective_pseudonym_key).key_id.encode())
    where = (settings.target, settings.project, settings.kilde_steder, settings.duckdb_memory_limit)
    h.update(repr(where).encode())
    if settings.kilder_fil is not None:
        h.update(_file_bytes(Path(settings.kilder_fil)))
    return h.hexdigest()


def _file_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"<mangler>"


def _current_snapshot(warehouse: Path) -> str | None:

    path = published_path(warehouse)
    return path.name if path is not None else None


def _warehouse_state(warehouse: Path) -> dict[str, t.Any]:
    warehouse = Path(warehouse)
    return {
        "warehouse": _file_state(warehouse),
        "wal": _file_state(warehouse.with_name(warehouse.name + ".wal")),
        "snapshot": _current_snapshot(warehouse),
    }


def _record_last_run(settings: Settings, report: RunReport) -> None:
    """After a successful run on DuckDB: what it was and the state it left (see above)."""

    if settings.target != "duckdb":
        return
    record = {
        "format": _LAST_RUN_FORMAT,
        "as_of": report.as_of.isoformat(),
        "domain": report.domain,
        "code": _code_fingerprint(settings),
        "tables": report.tables,
        **_warehouse_state(settings.warehouse),
    }
    path = _last_run_path(settings.warehouse)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(record), encoding="utf-8")
    tmp.replace(path)


def _unchanged_since_last_run(
    settings: Settings, as_of: date, domain: str, full_refresh: bool
) -> RunReport | None:
    """The report of a run with nothing to do, or None when SQLMesh has to decide."""

    if settings.target != "duckdb":
        return None
    try:
        record = json.loads(_last_run_path(settings.warehouse).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != _LAST_RUN_FORMAT:
        return None
    state = _warehouse_state(settings.warehouse)
    if (
        record.get("as_of") != as_of.isoformat()
        or record.get("domain") != domain
        or state["warehouse"] is None
        or state["snapshot"] is None
        or any(record.get(k) != v for k, v in state.items())
        or record.get("code") != _code_fingerprint(settings)
    ):
        return None

    report = RunReport(as_of, execution_time_for(as_of), domain, full_refresh)
    report.tables = {str(k): int(v) for k, v in (record.get("tables") or {}).items()}
    with connect(settings.warehouse, read_only=True) as con:
        report.drift = read_drift(_DuckDBReader(con), domain)
    report.unchanged = True
    _record_last_run(settings, report)  # reading the drift tables may touch the file
    return report
