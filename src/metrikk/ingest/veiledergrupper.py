"""`metrikk ingest veiledergrupper`: today's veiledergrupper of every enhet, appended to the raw
snapshot table `kilde_veilarbfilter.veiledergruppe_snapshot` (location in pipeline/kilder.yaml).

veilarbfilter keeps a veiledergruppe as a saved filter owned by an enhet, overwritten in place,
with no history (research/tiltak.md §5.1). This job makes the history: one row per member per
day, `(snapshot_dato, enhetsnummer, gruppe_id, gruppe_navn, veileder_ident)`, the columns of
CONTRACT §2's `veiledergruppe_snapshot`. The source layer (`tiltak_kilde`) pseudonymises the
idents into `tiltak_bronze`, and `tiltak_silver.veiledergruppe_medlemskap` turns the days into
memberships. Two ways in, one result: veilarbfilter's REST API (`ApiSource`, a person's token)
or its database (`DatabaseSource`, the daily job), both read in `ingest/veilarbfilter.py`.

Rules (docs/production.md «Veiledergrupper og Norg2»):

- Members and the shape of a group: `ingest/veilarbfilter.py`.
- Idempotent within a day: a run replaces that day's rows of the enheter it fetched, nothing else.
- An enhet that still fails after the retries is named; the other enheter' rows land, and the
  command exits 1. An enhet fetched with zero groups is a valid snapshot: its memberships end.
- Every day's snapshot must describe every enhet, because the membership rule ends a membership
  that a day's snapshot does not show. So the first run of a day carries the previous snapshot
  day's rows of every enhet it did not fetch (it failed, or the run was limited with
  `--enheter`) to the new day unchanged: their memberships go on, exactly as over a day with no
  snapshot at all. A run over all LOKAL enheter does not carry an enhet that is no longer one.
- When every enhet fails, nothing is written.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from metrikk.ingest import raw
from metrikk.ingest.errors import IngestError
from metrikk.ingest.veilarbfilter import ApiSource, DatabaseSource, Fetched, Group, Progress

if TYPE_CHECKING:
    import duckdb

    from metrikk.catalog import LandingTable
    from metrikk.ingest.to_bigquery import Target
    from metrikk.settings import Settings

KILDE = "veilarbfilter"
TABELL = "veiledergruppe_snapshot"
ENHET = re.compile(r"\d{4}")
COLUMNS = ("snapshot_dato", "enhetsnummer", "gruppe_id", "gruppe_navn", "veileder_ident")


# --------------------------------------------------------------------------------------------
# Which enheter


def check_enheter(enheter: Iterable[str]) -> list[str]:
    """Sorted, distinct enhetsnummer; IngestError naming one that is not four digits."""
    out = set()
    for e in enheter:
        e = e.strip()
        if not ENHET.fullmatch(e):
            raise IngestError(f"«{e}» er ikke et enhetsnummer (fire siffer, f.eks. 0219).")
        out.add(e)
    if not out:
        raise IngestError("Ingen enheter å hente.")
    return sorted(out)


def _lokale_sql(settings: Settings) -> list[tuple[str, str]]:
    """(where, query) per table that lists LOKAL enheter, in order of preference."""
    norg2 = raw.raw_table(settings, "norg2", "enhet")
    not_nedlagt = "UPPER(COALESCE({status}, '')) <> 'NEDLAGT'"
    return [
        (
            norg2.name,
            raw.checked(
                f"SELECT DISTINCT TRIM({raw.ident('enhet_nr')}) FROM {raw.ref(norg2)} "
                f"WHERE UPPER({raw.ident('type')}) = 'LOKAL' AND "
                + not_nedlagt.format(status=raw.ident("status"))
            ),
        ),
        (
            "tiltak_bronze.nav_enhet",
            raw.checked(
                "SELECT DISTINCT TRIM(`enhetsnummer`) FROM `tiltak_bronze`.`nav_enhet` "
                "WHERE UPPER(`type`) = 'LOKAL' AND " + not_nedlagt.format(status="`status`")
            ),
        ),
    ]


def lokale_enheter(settings: Settings, target: Target | None = None) -> list[str]:
    """Every LOKAL enhet that is not nedlagt: from kilde_norg2.enhet (`metrikk ingest norg2`),
    or, when that is empty or missing, from tiltak_bronze.nav_enhet."""
    bigquery = raw.bigquery_target(settings, target) if settings.target == "bigquery" else None
    tried = []
    for where, sql in _lokale_sql(settings):
        schema, table = where.split(".")
        if bigquery is not None:
            try:
                rows = bigquery.query(sql)
            except IngestError as e:  # e.g. the table does not exist (yet)
                tried.append(f"{where} ({str(e).splitlines()[0]})")
                continue
        else:

            def work(con: duckdb.DuckDBPyConnection, schema=schema, table=table, sql=sql):
                if not raw.table_exists_duckdb(con, schema, table):
                    return []
                return raw.run_on_duckdb(con, sql)

            rows = raw.read_duckdb(settings, work)
        found = sorted({r[0] for r in rows if r[0] and ENHET.fullmatch(r[0])})
        if found:
            return found
        tried.append(where)
    raise IngestError(
        f"Fant ingen LOKAL-enheter i {' eller '.join(tried)}. Kjør «metrikk ingest norg2» først, "
        f"eller velg enheter med --enheter."
    )


# --------------------------------------------------------------------------------------------
# The result


@dataclass
class EnhetResult:
    enhet: str
    groups: int = 0
    rows: int = 0
    error: str | None = None  # why it failed (bokmål); None = fetched
    carried_from: date | None = None  # the snapshot day whose rows were carried to this day


@dataclass
class SnapshotResult:
    dato: date
    source: str
    table: str
    enheter: list[EnhetResult]
    carried_other: int  # enheter not fetched by a limited run whose rows were carried
    carried_from: date | None
    total_rows: int  # rows in the raw table afterwards
    seconds: float

    @property
    def failed(self) -> list[EnhetResult]:
        return [e for e in self.enheter if e.error is not None]


# --------------------------------------------------------------------------------------------
# The write, in BigQuery SQL (run transpiled on DuckDB)


@dataclass(frozen=True)
class _Plan:
    """What one write does for day `dato`."""

    dato: date
    fetched: tuple[str, ...]  # enheter whose rows of the day are replaced
    carry: tuple[str, ...]  # enheter whose previous rows are carried, if the day is new
    carry_from: date | None


def _date(day: date) -> str:
    return f"DATE {raw.literal(day.isoformat())}"


def _day_sql(table: LandingTable, dato: date) -> tuple[str, str]:
    """Queries: the number of rows on the day, and the previous snapshot day."""
    t, s = raw.ref(table), raw.ident("snapshot_dato")
    return (
        raw.checked(f"SELECT COUNT(*) FROM {t} WHERE {s} = {_date(dato)}"),
        raw.checked(f"SELECT MAX({s}) FROM {t} WHERE {s} < {_date(dato)}"),
    )


def _enheter_sql(table: LandingTable, day: date) -> str:
    """Query: the enheter of one snapshot day."""
    return raw.checked(
        f"SELECT DISTINCT {raw.ident('enhetsnummer')} FROM {raw.ref(table)} "
        f"WHERE {raw.ident('snapshot_dato')} = {_date(day)}"
    )


def _statements(table: LandingTable, plan: _Plan, incoming: str) -> list[str]:
    """The write of one run, in order: carry the previous day's rows (only into a day that has no
    rows yet), then replace the fetched enheter' rows of the day with `incoming`."""
    t = raw.ref(table)
    cols = ", ".join(raw.ident(c) for c in COLUMNS)
    rest = ", ".join(raw.ident(c) for c in COLUMNS[1:])
    s, e = raw.ident("snapshot_dato"), raw.ident("enhetsnummer")
    d = _date(plan.dato)
    out = []
    if plan.carry and plan.carry_from is not None:
        p = _date(plan.carry_from)
        out.append(
            f"INSERT INTO {t} ({cols}) SELECT {d}, {rest} FROM {t} "
            f"WHERE {s} = {p} AND {e} IN {raw.in_list(plan.carry)} "
            f"AND NOT EXISTS (SELECT 1 FROM {t} WHERE {s} = {d})"
        )
    out.append(f"DELETE FROM {t} WHERE {s} = {d} AND {e} IN {raw.in_list(plan.fetched)}")
    out.append(f"INSERT INTO {t} ({cols}) SELECT {cols} FROM {incoming}")
    return [raw.checked(x) for x in out]


def _plan(
    dato: date,
    ok: list[str],
    failed: list[str],
    limited: bool,
    day_rows: int,
    prev: date | None,
    prev_enheter: set[str],
) -> _Plan:
    carry: set[str] = set()
    if day_rows == 0 and prev is not None:
        carry = set(failed) & prev_enheter
        if limited:
            carry |= prev_enheter - set(ok)
    return _Plan(dato, tuple(ok), tuple(sorted(carry)), prev if carry else None)


def _rows_arrow(dato: date, groups: dict[str, list[Group]]):
    import pyarrow as pa

    data: dict[str, list] = {c: [] for c in COLUMNS}
    for enhet in sorted(groups):
        for g in groups[enhet]:
            for ident in g.veiledere:
                data["snapshot_dato"].append(dato)
                data["enhetsnummer"].append(enhet)
                data["gruppe_id"].append(g.gruppe_id)
                data["gruppe_navn"].append(g.gruppe_navn)
                data["veileder_ident"].append(ident)
    return pa.table(
        {
            "snapshot_dato": pa.array(data["snapshot_dato"], pa.date32()),
            **{c: pa.array(data[c], pa.string()) for c in COLUMNS[1:]},
        }
    )


_SYNTHETIC = (
    "{table} inneholder syntetiske rader (metrikk generate). Ekte øyeblikksbilder legges ikke "
    "oppå syntetiske: tøm tabellen (og raden i metrikk_meta.datasett) først."
)


def _write_duckdb(
    settings: Settings,
    table: LandingTable,
    dato: date,
    fetched: Fetched,
    limited: bool,
) -> tuple[_Plan, int]:
    from metrikk.warehouse import record_datasett

    def work(con: duckdb.DuckDBPyConnection) -> tuple[_Plan, int]:
        synthetic = con.execute(
            "SELECT syntetisk AND rader > 0 FROM metrikk_meta.datasett "
            "WHERE schema_name = ? AND table_name = ?",
            [table.schema, table.table],
        ).fetchall()
        if synthetic and synthetic[0][0]:
            raise IngestError(_SYNTHETIC.format(table=table.name))
        day_sql, prev_sql = _day_sql(table, dato)
        (day_rows,) = raw.run_on_duckdb(con, day_sql)[0]
        (prev,) = raw.run_on_duckdb(con, prev_sql)[0]
        prev_enheter = (
            {r[0] for r in raw.run_on_duckdb(con, _enheter_sql(table, prev))}
            if prev is not None
            else set()
        )
        plan = _plan(
            dato,
            sorted(fetched.groups),
            sorted(fetched.errors),
            limited,
            day_rows,
            prev,
            prev_enheter,
        )
        con.register("_veiledergrupper_incoming", _rows_arrow(dato, fetched.groups))
        try:
            for statement in _statements(table, plan, raw.ident("_veiledergrupper_incoming")):
                raw.run_on_duckdb(con, statement)
        finally:
            con.unregister("_veiledergrupper_incoming")
        return plan, record_datasett(con, table, syntetisk=False)

    return raw.write_duckdb(settings, table, work)


def _write_bigquery(
    settings: Settings,
    table: LandingTable,
    dato: date,
    fetched: Fetched,
    limited: bool,
    target: Target | None,
) -> tuple[_Plan, int]:
    from metrikk.ingest import bigquery_sql as bq

    target = raw.bigquery_target(settings, target)
    raw.prepare_bigquery(target, table)
    meta = raw.checked(
        f"SELECT COUNT(*) FROM {raw.ident('metrikk_meta')}.{raw.ident('datasett')} "
        f"WHERE {raw.ident('schema_name')} = {raw.literal(table.schema)} "
        f"AND {raw.ident('table_name')} = {raw.literal(table.table)} "
        f"AND {raw.ident('syntetisk')} AND {raw.ident('rader')} > 0"
    )
    if target.query(meta)[0][0]:
        raise IngestError(_SYNTHETIC.format(table=table.name))
    day_sql, prev_sql = _day_sql(table, dato)
    (day_rows,) = target.query(day_sql)[0]
    (prev,) = target.query(prev_sql)[0]
    prev_enheter = {r[0] for r in target.query(_enheter_sql(table, prev))} if prev else set()
    plan = _plan(
        dato,
        sorted(fetched.groups),
        sorted(fetched.errors),
        limited,
        int(day_rows),
        prev,
        prev_enheter,
    )
    staging = None
    try:
        staging = raw.stage(target, table, _rows_arrow(dato, fetched.groups), uuid.uuid4().hex[:12])
        statements = [
            "BEGIN TRANSACTION",
            *_statements(table, plan, raw.ref(table, staging)),
            bq.merge_datasett([table]),
            "COMMIT TRANSACTION",
        ]
        target.execute(bq.script(statements))
        (total,) = target.query(bq.row_count(table))[0]
    finally:
        raw.drop_staging(target, table, staging)
    return plan, int(total)


# --------------------------------------------------------------------------------------------
# The job


def ingest_veiledergrupper(
    settings: Settings,
    source: ApiSource | DatabaseSource,
    *,
    dato: date,
    enheter: list[str] | None = None,
    target: Target | None = None,
    progress: Progress | None = None,
) -> SnapshotResult:
    """Fetch the veiledergrupper of `enheter` (None: every LOKAL enhet) and write them as the
    snapshot of `dato` into the raw table, in the DuckDB warehouse or in BigQuery.

    Returns what happened per enhet; enheter that failed are in `.failed` (their message says
    why), while the others' rows landed. Raises IngestError (bokmål) and writes nothing when the
    whole job cannot be done: a token veilarbfilter refuses, a database that cannot be reached,
    every enhet failing, or a write that fails.
    """
    started = time.perf_counter()
    table = raw.raw_table(settings, KILDE, TABELL)
    limited = enheter is not None
    enheter = check_enheter(enheter) if limited else lokale_enheter(settings, target)
    fetched = source.read(enheter, progress)
    if not fetched.groups:
        lines = "\n".join(f"- {fetched.errors[e]}" for e in sorted(fetched.errors))
        raise IngestError(
            f"Ingen av enhetene ({len(enheter)}) kunne hentes fra {source.description}:\n{lines}"
        )
    if settings.target == "bigquery":
        plan, total = _write_bigquery(settings, table, dato, fetched, limited, target)
    elif settings.target == "duckdb":
        plan, total = _write_duckdb(settings, table, dato, fetched, limited)
    else:
        raise IngestError(f"Ukjent mål «{settings.target}». Velg duckdb eller bigquery.")
    results = []
    for enhet in enheter:
        r = EnhetResult(enhet, error=fetched.errors.get(enhet))
        groups = fetched.groups.get(enhet, [])
        r.groups = len(groups)
        r.rows = sum(len(g.veiledere) for g in groups)
        if enhet in plan.carry:
            r.carried_from = plan.carry_from
        results.append(r)
    return SnapshotResult(
        dato=dato,
        source=source.description,
        table=table.name,
        enheter=results,
        carried_other=len(set(plan.carry) - set(enheter)),
        carried_from=plan.carry_from,
        total_rows=total,
        seconds=time.perf_counter() - started,
    )
