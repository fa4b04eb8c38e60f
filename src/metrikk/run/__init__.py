"""`metrikk run`: drive the SQLMesh project through its Python API with an explicit execution time.

`as_of` is the reference date (CONTRACT §3). The execution time handed to SQLMesh is the start
of the day after `as_of`, so the Monday cron of the weekly models publishes exactly the weeks
that ended on or before `as_of`, and daily models compute every day up to and including it.

This module drives SQLMesh (and BigQuery's key table and rendering); `report.py` holds what a
run reports, `last_run.py` the record of the last run that lets a run with nothing to do skip
SQLMesh.

It is a little over ~500 lines on purpose: everything left here works on the one SQLMesh context
and engine adapter of a run; what does not (the report, the last-run record) is already apart.
"""

from __future__ import annotations

import ast
import ctypes
import os
import re
import signal
import sys
import tempfile
import typing as t
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

import sqlglot
from sqlglot import exp
from sqlmesh import Context
from sqlmesh.core.config.connection import BaseDuckDBConnectionConfig
from sqlmesh.core.console import NoopConsole, set_console
from sqlmesh.core.constants import SQLMESH_VARS
from sqlmesh.core.engine_adapter.bigquery import BigQueryEngineAdapter
from sqlmesh.core.snapshot import DeployabilityIndex
from sqlmesh.utils.date import to_timestamp
from sqlmesh.utils.errors import SQLMeshError

from metrikk.catalog import PIPELINE_DIR
from metrikk.drift import read_drift
from metrikk.ingest import IngestError
from metrikk.pipeline.config import START, make_config
from metrikk.pseudonym import PseudonymKey, drop_key_table, key_id, write_key_table
from metrikk.publish import publish
from metrikk.run.last_run import _last_run_path, _record_last_run, _unchanged_since_last_run
from metrikk.run.report import ModelResult, RunError, RunReport, execution_time_for
from metrikk.settings import Settings
from metrikk.warehouse import WarehouseBusy, ensure_warehouse, writer_lock

# Schemas each domain's models write (helpers in *_int are not published but belong to the domain).
DOMAIN_SCHEMAS: dict[str, tuple[str, ...]] = {
    "tiltak": ("tiltak_silver", "tiltak_gold"),
    "etterlevelse": ("etterlevelse", "etterlevelse_int", "behandlinger", "behandlinger_int"),
    # The source layer over NAV's raw tables (docs/kilder.md): planned only by `metrikk ingest
    # kilder`, never by `run`/`demo` ("all" leaves it out), since the raw tables exist only where
    # the real sources (or `generate --form kilder`) are.
    "kilder": ("tiltak_kilde",),
}
DOMAINS = ("all", *(d for d in DOMAIN_SCHEMAS if d != "kilder"))
ONLY_ON_REQUEST = DOMAIN_SCHEMAS["kilder"]  # schemas "all" never selects
# Domains whose models call @pseudonym: on BigQuery the key table must exist while they run.
PSEUDONYM_DOMAINS = ("all", "etterlevelse", "kilder")
# DuckDB settings per domain; METRIKK_DUCKDB_MEMORY_LIMIT overrides the memory cap. Etterlevelse
# must run in the original job's 1 GiB container: Python + SQLMesh take ~310 MiB, so DuckDB gets
# 400MB and one thread (per-thread JSON buffers would multiply past the cap; docs/etterlevelse.md).
# Tiltak must stay under 4 GiB: uncapped, DuckDB's hash aggregates over ~18 M deltakelse-weeks
# took the process to 8.9 GB; capped, they spill to disk (docs/tiltak.md).
DOMAIN_DUCKDB: dict[str, dict[str, str | int]] = {
    "etterlevelse": {"memory_limit": "400MB", "threads": 1},
    "tiltak": {"memory_limit": "3GB"},
}


def model_schema(model_name: str) -> str:
    """'tiltak_gold.uke_antall' or '"cat"."tiltak_gold"."uke_antall"' -> 'tiltak_gold'."""
    parts = [p.strip('"`') for p in model_name.split(".")]
    return parts[-2]


def _make_console(on_progress: Callable[[str, int, int], None] | None):
    class _Console(NoopConsole):
        """Collects what was computed and failed; reports progress to the CLI."""

        def __init__(self) -> None:
            super().__init__()
            self.results: dict[str, ModelResult] = {}
            self.errors: list[str] = []
            self.total = 0
            self.done = 0

        def start_evaluation_progress(
            self, batched_intervals, *args: t.Any, **kwargs: t.Any
        ) -> None:
            self.total += sum(len(v) for v in batched_intervals.values())
            if on_progress:
                on_progress("", self.done, self.total)

        def update_snapshot_evaluation_progress(
            self,
            snapshot,
            interval,
            batch_idx,
            duration_ms,
            num_audits_passed,
            num_audits_failed,
            *args: t.Any,
            **kwargs: t.Any,
        ) -> None:
            name = snapshot.name.replace('"', "")
            name = ".".join(name.split(".")[-2:])
            r = self.results.setdefault(name, ModelResult(name))
            r.intervals += 1
            r.audits_failed += num_audits_failed
            self.done += 1
            if on_progress:
                on_progress(name, self.done, self.total)

        def log_failed_models(self, errors) -> None:
            for e in errors:
                cause = e.__cause__
                self.errors.append(f"{e}: {cause}" if cause is not None else str(e))

        def log_error(self, message: str, *args: t.Any, **kwargs: t.Any) -> None:
            self.errors.append(str(message))

    return _Console()


def open_context(
    settings: Settings,
    console=None,
    pipeline_dir: Path | None = None,
    duckdb: dict | None = None,
    *,
    tests: bool = False,
):
    """A SQLMesh Context over metrikk's pipeline (or another project folder) for these settings.

    Without the YAML unit tests unless `tests=True`: runs, dry runs and renders never run them,
    and parsing them cost 0.7 s of every project load; `tests/test_models.py` is their runner."""

    set_console(console or NoopConsole())
    duckdb = dict(duckdb or {})
    if settings.duckdb_memory_limit:
        duckdb["memory_limit"] = settings.duckdb_memory_limit
    config = make_config(settings, duckdb=duckdb, tests=tests)
    return Context(paths=Path(pipeline_dir or PIPELINE_DIR), config=config)


def close_context(ctx, settings: Settings) -> None:
    """Release the warehouse file: SQLMesh caches DuckDB adapters per file at class level."""

    ctx.close()
    BaseDuckDBConnectionConfig._data_file_to_adapter.pop(
        str(Path(settings.warehouse).resolve()), None
    )


def selected_models(ctx, domain: str) -> list[str]:
    schemas = None if domain == "all" else DOMAIN_SCHEMAS[domain]
    names = []
    for model in ctx.models.values():
        if model.kind.is_external:
            continue
        schema = model_schema(model.name)
        if (schemas is None and schema not in ONLY_ON_REQUEST) or (
            schemas is not None and schema in schemas
        ):
            names.append(model.name)
    return sorted(names)


_FORK_HOOK = False


def _die_with_parent() -> None:
    """In a process forked by SQLMesh's model-loading pool: end when the metrikk process ends.

    Forked workers inherit the writer lock's file descriptor. Without this, a run killed with
    kill -9 while SQLMesh loads the project leaves its pool workers as orphans that hold the
    lock (and the next run fails with "brukes av en annen skrivende kjøring") indefinitely.
    """

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def _install_fork_hook() -> None:
    global _FORK_HOOK  # noqa: PLW0603

    if not _FORK_HOOK and sys.platform.startswith("linux"):
        os.register_at_fork(after_in_child=_die_with_parent)
        _FORK_HOOK = True


def run_pipeline(
    settings: Settings,
    as_of: date,
    *,
    domain: str = "all",
    full_refresh: bool = False,
    on_progress: Callable[[str, int, int], None] | None = None,
    pipeline_dir: Path | None = None,
) -> RunReport:
    """Compute every model of `domain` up to `as_of`; raise RunError if anything fails."""

    if domain not in DOMAINS:
        raise RunError(f"Ukjent domene «{domain}». Velg blant: {', '.join(DOMAINS)}.")
    if settings.target != "duckdb":
        with bigquery_key_table(settings, domain):
            return _run_pipeline(settings, as_of, domain, full_refresh, on_progress, pipeline_dir)

    _install_fork_hook()
    try:
        with writer_lock(settings.warehouse):
            recorded = pipeline_dir is None and not settings.state_dsn
            if recorded and not full_refresh:
                report = _unchanged_since_last_run(settings, as_of, domain, full_refresh)
                if report is not None:
                    return report
            # From here on the warehouse may change: the record of the last run no longer holds.
            _last_run_path(settings.warehouse).unlink(missing_ok=True)
            ensure_warehouse(settings.warehouse)
            report = _run_pipeline(settings, as_of, domain, full_refresh, on_progress, pipeline_dir)
            if recorded:
                _record_last_run(settings, report)
            return report
    except WarehouseBusy as e:
        raise RunError(str(e)) from None


@contextmanager
def bigquery_key_table(settings: Settings, domain: str, target=None) -> Iterator[None]:
    """On BigQuery, the pseudonym key table exists while the models run (metrikk.pseudonym).

    Written by a load job from memory before the plan, dropped afterwards whatever happened (a
    drop that fails is left to the dataset's default table expiration, docs/production.md).
    Domains without pseudonyms (tiltak) neither write nor drop it, so a tiltak run never
    disturbs an etterlevelse run. The source layer ("kilder", `metrikk ingest kilder`)
    pseudonymises persons and veiledere, so it needs the key too."""
    if domain not in PSEUDONYM_DOMAINS:
        yield
        return

    try:
        if target is None:
            # lazy: only the BigQuery target needs it (Parquet, psycopg)
            from metrikk.ingest.to_bigquery import BigQueryTarget

            if not settings.project:
                raise RunError("BigQuery krever et prosjekt (--project eller METRIKK_PROJECT).")
            target = BigQueryTarget(settings.project)
        write_key_table(
            target, PseudonymKey(settings.effective_pseudonym_key), settings.pseudonym_key_table
        )
    except (IngestError, ValueError) as e:
        raise RunError(
            f"Kunne ikke skrive pseudonymnøkkelen til {settings.pseudonym_key_table} i BigQuery: {e}"
        ) from None
    try:
        yield
    finally:
        try:
            drop_key_table(target, settings.pseudonym_key_table)
        except Exception:  # noqa: BLE001, S110 - best effort; the dataset's expiration removes it
            pass


def _run_pipeline(settings, as_of, domain, full_refresh, on_progress, pipeline_dir) -> RunReport:
    console = _make_console(on_progress)
    exec_time = execution_time_for(as_of)
    report = RunReport(as_of, exec_time, domain, full_refresh)
    ctx = None
    try:
        ctx = open_context(settings, console, pipeline_dir, DOMAIN_DUCKDB.get(domain))
        models = selected_models(ctx, domain)
        if not models:
            raise RunError(f"Fant ingen modeller for domenet «{domain}».")
        plan_kwargs: dict[str, t.Any] = dict(
            execution_time=exec_time,
            auto_apply=True,
            no_prompts=True,
            skip_tests=True,
            select_models=models,
        )
        env = ctx.state_reader.get_environment("prod")
        in_prod = {_short(s.name) for s in env.snapshots} if env else set()
        _forget_intervals_of_other_key(ctx, env, models, START, exec_time)
        if full_refresh:
            # Only models already in prod can be restated (SQLMesh refuses the others: "Cannot
            # restate model ... Model does not exist"); new models are backfilled by the plan.
            restate = [m for m in models if _short(m) in in_prod]
            if restate:
                plan_kwargs.update(restate_models=restate, start=START, end=exec_time)
        if full_refresh:
            # A restatement plan normally works from the state alone and ignores the project's
            # changes: it would recompute with the models of the last run, never build a model
            # added since, and (after a key change) run with the old key. Here the changes are
            # part of it, so a full refresh computes what the project says now.
            builder_kwargs = {
                k: v for k, v in plan_kwargs.items() if k not in ("auto_apply", "no_prompts")
            }
            ctx.plan_builder("prod", always_include_local_changes=True, **builder_kwargs).apply()
        else:
            ctx.plan("prod", **plan_kwargs)
        status = ctx.run("prod", execution_time=exec_time, select_models=models)
        if getattr(status, "is_failure", False) or console.errors:
            raise RunError(_failure_message(console))
        wanted = {
            ".".join(m.replace('"', "").split(".")[-2:])
            for m in models
            if not model_schema(m).endswith("_int")  # unpublished helpers are not reported
        }
        report.computed = {k: v for k, v in console.results.items() if k in wanted}
        report.tables = _row_counts(ctx.engine_adapter, models)
        report.drift = read_drift(ctx.engine_adapter, domain)  # on every target
    except SQLMeshError as e:
        raise RunError(_failure_message(console, e)) from e
    finally:
        if ctx is not None:
            close_context(ctx, settings)
    failed = [r for r in console.results.values() if r.audits_failed]
    if failed:
        raise RunError(
            "Kontroller feilet for: " + ", ".join(f"{r.name} ({r.audits_failed})" for r in failed)
        )
    if settings.target == "duckdb":
        publish(settings.warehouse)
    return report


def _models_with_other_key(ctx, env, models: list[str]) -> list[str]:
    """The models of `models` whose prod version pseudonymises with another key than this run's.

    The prod snapshots in SQLMesh's state keep the variables each model used; the key's id is
    one of them (`metrikk.pseudonym`)."""

    if env is None:
        return []
    current = ctx.config.variables["pseudonym_key_id"]
    wanted = {_short(m) for m in models}
    ids = [s.snapshot_id for s in env.snapshots if _short(s.name) in wanted]
    stale = []
    for snapshot in ctx.state_reader.get_snapshots(ids).values():
        if not snapshot.is_model or SQLMESH_VARS not in snapshot.model.python_env:
            continue
        try:
            variables = ast.literal_eval(snapshot.model.python_env[SQLMESH_VARS].payload)
        except (ValueError, SyntaxError):  # not plain values: no key id among them
            continue
        built_with = built_with_key_id(variables)
        if built_with is not None and built_with != current:
            stale.append(snapshot.name)
    return sorted(stale)


def built_with_key_id(variables: dict) -> str | None:
    """The id of the pseudonym key a model version was built with, from its SQLMesh variables
    (None for a model without pseudonyms). Versions from before the key id kept the key itself
    in `pseudonym_key`; its id is computed here, so upgrading with the same key rebuilds nothing."""

    if "pseudonym_key_id" in variables:
        return str(variables["pseudonym_key_id"])
    if variables.get("pseudonym_key"):
        return key_id(str(variables["pseudonym_key"]))
    return None


def _forget_intervals_of_other_key(ctx, env, models: list[str], start, end) -> list[str]:
    """Make SQLMesh recompute everything built with another pseudonym key; the models affected.

    virtual_environment_mode=dev_only makes every prod change forward-only, so a new key would
    reach only new intervals and incremental tables would mix pseudonyms of two keys. Instead,
    the intervals of every model built with another key, and of everything downstream of it,
    are removed from SQLMesh's state before the plan, which then computes them again with the
    new key. This is crash-safe: a run killed at any point leaves either the old prod snapshots
    (found again by the next run) or missing intervals (computed by the next run).
    """

    stale = set(_models_with_other_key(ctx, env, models))
    if not stale:
        return []
    affected = set(stale)
    for name in stale:
        affected.update(ctx.dag.downstream(name))
    forget = [s for s in env.snapshots if s.name in affected]
    interval = (to_timestamp(start), to_timestamp(end))
    ctx.state_sync.remove_intervals([(s, interval) for s in forget], remove_shared_versions=True)
    return sorted(s.name for s in forget)


def _short(model_name: str) -> str:
    """'"cat"."schema"."table"' or 'schema.table' -> 'schema.table'."""
    return ".".join(p.strip('"`') for p in model_name.split(".")[-2:])


def _failure_message(console, exc: Exception | None = None) -> str:
    lines = ["Kjøringen feilet."]
    details = list(console.errors)
    if exc is not None:
        details.append(str(exc))
        cause = exc.__cause__ or exc.__context__
        while cause is not None and len(details) < 8:
            details.append(str(cause))
            cause = cause.__cause__ or cause.__context__
    # SQLMesh's own text is English; name failed audits in Norwegian first, then keep its lines.
    for text in details:
        for table, audits in _FAILED_AUDITS.findall(text):
            lines.append(f"Kontroll feilet for {_short(table)}: {audits}.")
    return "\n".join(dict.fromkeys(lines + details))


_FAILED_AUDITS = re.compile(r"snapshot_name='([^']+)'.*?Audits failed: ([\w, ]+)", re.S)


def row_count_query(schema: str, table: str) -> exp.Select:
    """`SELECT COUNT(*) FROM schema.table` as a sqlglot expression: the engine adapter writes it in
    its dialect, so identifiers are quoted the way that engine reads them (double quotes are
    string literals on BigQuery)."""
    return exp.select(exp.func("COUNT", exp.Star())).from_(
        exp.table_(table, db=schema, quoted=True)
    )


def _row_counts(adapter, models: list[str]) -> dict[str, int]:
    """Row count of each published table, through the run's engine adapter (any target)."""
    counts: dict[str, int] = {}
    for name in models:
        schema = model_schema(name)
        if schema.endswith("_int"):
            continue
        table = name.split(".")[-1].strip('"`')
        try:
            (n,) = adapter.fetchone(row_count_query(schema, table))
        except Exception:  # noqa: BLE001 - a count is informative only
            continue
        counts[f"{schema}.{table}"] = int(n)
    return counts


def render_models(
    settings: Settings, as_of: date, *, domain: str = "all", dialect: str | None = None
) -> list[tuple[str, str]]:
    """The SQL each model of `domain` would run for `as_of`, in the target's dialect.

    Used by `metrikk run --dry-run`: nothing is executed and no connection to the target is
    made. BigQuery SQL is rendered with SQLMesh's own BigQuery engine adapter (`bigquery_adapter`),
    so the macros that branch on the engine (`@pseudonym`, `@oslo_dato`, `@lagres_i_rekkefolge`)
    print what BigQuery runs; tables are qualified with the project (`project.dataset.table`)
    when one is set.
    """

    dialect = dialect or ("bigquery" if settings.target == "bigquery" else "duckdb")
    with _renderer(settings, as_of, domain, dialect) as (models, render):
        return [(_short(m.name), render(m, m.start or START)) for m in models]


class RenderedRuns(t.NamedTuple):
    full: list[tuple[str, str]]  # (model, BigQuery SQL) of a full build
    next_run: list[tuple[str, str]]  # the same for the next scheduled run
    partitions: dict[str, str]  # schema.table -> the column BigQuery partitions it by


def render_runs(settings: Settings, as_of: date, *, domain: str = "all") -> RenderedRuns:
    """Each model's BigQuery SQL for a full build (as `render_models`) and for the run after
    `as_of`'s: an INCREMENTAL_BY_TIME_RANGE model then computes its latest interval and its
    lookback (a weekly model the week ending `as_of` and the 28 days before it), every other
    model everything. SQLMesh partitions such a model's BigQuery table by its time column; those
    columns come along, for `run.scan_estimate`."""

    exec_time = execution_time_for(as_of)
    with _renderer(settings, as_of, domain, "bigquery") as (models, render):
        full, next_run, partitions = [], [], {}
        for m in models:
            sql = render(m, m.start or START)
            full.append((_short(m.name), sql))
            if m.kind.is_incremental_by_time_range and m.partitioned_by:
                partitions[_short(m.name)] = m.partitioned_by[0].find(exp.Column).name.lower()
                sql = render(m, m.lookback_start(m.cron_prev(exec_time)))
            next_run.append((_short(m.name), sql))
    return RenderedRuns(full, next_run, partitions)


def _short(name: str) -> str:
    return ".".join(p.strip('"`') for p in name.split(".")[-2:])


@contextmanager
def _renderer(settings: Settings, as_of: date, domain: str, dialect: str):
    """(the selected models, render(model, start) -> SQL ending at `as_of`) over a throwaway
    local project state: rendering reads no warehouse and reaches no target."""

    if domain not in DOMAINS:
        raise RunError(f"Ukjent domene «{domain}». Velg blant: {', '.join(DOMAINS)}.")
    exec_time = execution_time_for(as_of)

    with tempfile.TemporaryDirectory() as tmp:
        local = replace(
            settings, target="duckdb", warehouse=Path(tmp) / "render.duckdb", state_dsn=None
        )
        try:
            ctx = open_context(local)
        except SQLMeshError as e:
            raise RunError(str(e)) from None
        try:
            adapter = (
                bigquery_adapter(settings.project) if dialect == "bigquery" else ctx.engine_adapter
            )
            snapshots = ctx.snapshots
            deployability = DeployabilityIndex.create(snapshots.values(), start=START)

            def render(model, start) -> str:
                query = model.render_query_or_raise(
                    start=start,  # a model may start before 2022
                    end=as_of,
                    execution_time=exec_time,
                    snapshots=snapshots,
                    deployability_index=deployability,
                    engine_adapter=adapter,
                )
                if dialect == "bigquery" and settings.project:
                    query = query.transform(
                        lambda node: (
                            node.set("catalog", exp.to_identifier(settings.project)) or node
                            if isinstance(node, exp.Table) and node.args.get("catalog") is not None
                            else node
                        )
                    )
                sql = query.sql(dialect=dialect, pretty=True)
                sqlglot.parse_one(sql, read=dialect)  # what we print must parse in that dialect
                return sql

            yield [ctx.get_model(name) for name in selected_models(ctx, domain)], render
        finally:
            close_context(ctx, local)


def bigquery_adapter(project: str | None = None):
    """SQLMesh's BigQuery engine adapter with no connection: for rendering only.

    Macros see it as the engine they render for (`metrikk.sqltid.engine_dialect`); anything
    that would reach BigQuery fails with a RunError instead (no google libraries are needed).
    """

    def no_connection():
        raise RunError("Ingen forbindelse til BigQuery under gjengivelse av SQL (--dry-run).")

    return BigQueryEngineAdapter(no_connection, default_catalog=project or "metrikk")


# Shared with `metrikk ingest kilder` (ingest/kilder.py), which plans the "kilder" domain itself.
make_console = _make_console
install_fork_hook = _install_fork_hook
