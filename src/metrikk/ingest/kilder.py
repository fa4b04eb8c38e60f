"""`metrikk ingest kilder`: NAV's raw source tables → `tiltak_bronze`, through the tiltak_kilde models.

1. Read where the sources are (`metrikk.kilder`: kilder.yaml, METRIKK_KILDER, overrides).
2. Check that every available raw table has every column metrikk reads; a missing table or
   column stops here with a message naming source, table and column, before anything is written.
3. Plan the `tiltak_kilde` models (the "kilder" domain of `metrikk.run`, which `run`/`demo` never
   plan): SQLMesh creates or updates their views.
4. Replace every `tiltak_bronze` table a kilde model maps, and its `metrikk_meta.datasett` row,
   in one transaction (`ingest/kilder_sql.py`): all or nothing. Rows missing a value the contract
   requires are counted and left out. A bronze table is synthetic when any raw table it is made
   from is recorded as synthetic in metrikk_meta.datasett (the generator records them).
5. Read `tiltak_kilde.kildeavvik`: source problems (idents without an identity row, …) are
   reported, never a reason to stop.

On DuckDB this holds the warehouse's single-writer lock and publishes a snapshot at the end; the
statements go through SQLMesh's own connection, whose sessions hold what the models need (the
pseudonym key). On BigQuery the same models run there and the write is the BigQuery plan of
`kilder_sql` (render it with `--dry-run`).
"""

from __future__ import annotations

import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import sqlglot
from sqlglot import exp
from sqlmesh.utils.errors import SQLMeshError

from metrikk.catalog import DUCKDB_TYPES, landing_tables
from metrikk.ingest import bigquery_sql
from metrikk.ingest import kilder_sql as sql
from metrikk.ingest.errors import IngestError
from metrikk.kilder import KildeFeil, Kilder, KildeTabell, les_kilder
from metrikk.publish import publish
from metrikk.run import (
    DOMAIN_DUCKDB,
    RunError,
    bigquery_key_table,
    close_context,
    install_fork_hook,
    make_console,
    model_schema,
    open_context,
    selected_models,
)
from metrikk.warehouse import WarehouseBusy, connect, ensure_warehouse, record_datasett, writer_lock

if TYPE_CHECKING:
    from metrikk.settings import Settings


@dataclass(frozen=True)
class Kildeavvik:
    kilde: str
    type: str  # "avvik" (a fault in the source) or "info" (a known quirk that was handled)
    avvik: str
    antall: int


@dataclass
class BronzeResultat:
    tabell: str  # tiltak_bronze.<t>
    rader: int
    syntetisk: bool
    utelatt: int  # rows left out for a missing required value
    kilder: tuple[str, ...]  # the raw tables it is made from, as kilde.tabell


@dataclass
class KildeResultat:
    tabeller: list[BronzeResultat] = field(default_factory=list)
    avvik: list[Kildeavvik] = field(default_factory=list)
    ikke_tilgjengelig: list[str] = field(default_factory=list)  # kilde.tabell set to null
    sekunder: float = 0.0


def _kilder(settings: Settings) -> Kilder:
    try:
        return les_kilder(settings)
    except KildeFeil as e:
        raise IngestError(str(e)) from None


def mangler(kilder: Kilder, motor: str, kolonner: dict[tuple[str, str], set[str]]) -> list[str]:
    """What is missing of the available raw tables, as bokmål lines; `kolonner` maps
    (datasett, table) in lower case to the column names (lower case) the target has."""
    lines = []
    for t in kilder.tabeller():
        if not t.tilgjengelig:
            continue
        have = kolonner.get((t.datasett.lower(), t.navn.lower()))
        if have is None:
            lines.append(
                f"kilden {t.navn_i_kilder}: tabellen {t.sted(motor)} finnes ikke (eller metrikk har ikke tilgang)."
            )
            continue
        missing = [c for c, _ in t.kolonner if c.lower() not in have]
        for c in missing:
            lines.append(
                f"kilden {t.navn_i_kilder}: tabellen {t.sted(motor)} mangler kolonnen {c}."
            )
    return lines


def _raise_missing(lines: list[str]) -> None:
    if lines:
        shown = lines[:20] + ([f"… og {len(lines) - 20} til."] if len(lines) > 20 else [])
        raise IngestError(
            "Kildetabellene er ikke slik metrikk leser dem (kilder.yaml):\n  " + "\n  ".join(shown)
        )


def _copies(ctx) -> list[sql.Kopi]:
    """Every bronze table a tiltak_kilde model maps, with the model's extra columns."""

    models = {
        m.name.replace('"', "").split(".")[-1]: m
        for m in ctx.models.values()
        if not m.kind.is_external and model_schema(m.name) == sql.KILDE_SCHEMA
    }
    copies = []
    for table in landing_tables().values():
        if table.schema != sql.BRONZE or table.table not in models:
            continue
        columns = models[table.table].columns_to_types or {}
        declared = set(table.column_names)
        missing = declared - set(columns)
        if missing:
            raise IngestError(
                f"Modellen {sql.KILDE_SCHEMA}.{table.table} mangler kolonnene {', '.join(sorted(missing))} "
                f"som {table.name} skal ha."
            )
        extra = tuple(
            (c, typ.sql("bigquery").upper()) for c, typ in columns.items() if c not in declared
        )
        for c, typ in extra:
            if typ not in DUCKDB_TYPES:
                raise IngestError(
                    f"Modellen {sql.KILDE_SCHEMA}.{table.table}: ekstra kolonne {c} har typen {typ}."
                )
        copies.append(sql.Kopi(table, extra))
    return copies


def _upstream(ctx, kilder: Kilder, table: str) -> list[KildeTabell]:
    """The raw tables a tiltak_kilde model reads, directly or through other kilde models."""

    seen: set[str] = set()
    found: dict[str, KildeTabell] = {}
    todo = [f"{sql.KILDE_SCHEMA}.{table}"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        model = ctx.get_model(name)
        for dep in model.depends_on:
            if model_schema(dep) == sql.KILDE_SCHEMA:
                todo.append(dep)
                continue
            ref = exp.to_table(dep, dialect="bigquery")
            raw = kilder.ved_sted(ref.db, ref.name)
            if raw is not None:
                found[raw.navn_i_kilder] = raw
    return sorted(found.values(), key=lambda t: t.navn_i_kilder)


def _plan(ctx, models: list[str]) -> None:
    ctx.plan("prod", auto_apply=True, no_prompts=True, skip_tests=True, select_models=models)


def ingest_kilder(
    settings: Settings, *, on_step: Callable[[str], None] | None = None
) -> KildeResultat:
    """Run the source layer and replace every mapped tiltak_bronze table (module docstring).

    Raises IngestError (bokmål) when the configuration is wrong, a raw table or column is missing,
    or a model or the write fails; tiltak_bronze and metrikk_meta.datasett are then as they were.
    """
    kilder = _kilder(settings)
    if settings.target == "bigquery":
        try:
            with bigquery_key_table(settings, "kilder"):
                return _ingest_bigquery(settings, kilder, on_step)
        except RunError as e:  # the key table could not be written: nothing was read or written
            raise IngestError(str(e)) from None
    if settings.target != "duckdb":
        raise IngestError(f"Ukjent mål «{settings.target}». Velg duckdb eller bigquery.")

    install_fork_hook()
    try:
        with writer_lock(settings.warehouse):
            ensure_warehouse(settings.warehouse)
            result = _ingest_duckdb(settings, kilder, on_step)
            publish(settings.warehouse)
    except WarehouseBusy as e:
        raise IngestError(str(e)) from None
    return result


def _duckdb_columns(settings: Settings) -> dict[tuple[str, str], set[str]]:
    with connect(settings.warehouse, read_only=False) as con:
        rows = con.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE table_catalog = current_database()"
        ).fetchall()
    found: dict[tuple[str, str], set[str]] = {}
    for schema, table, column in rows:
        found.setdefault((schema.lower(), table.lower()), set()).add(column.lower())
    return found


def _open(settings: Settings, console):
    return open_context(settings, console, duckdb=DOMAIN_DUCKDB.get("tiltak"))


def _failure(what: str, e: Exception) -> IngestError:
    detail = str(e).strip().splitlines()
    return IngestError(f"{what}: {detail[0] if detail else type(e).__name__}")


def _ingest_duckdb(settings: Settings, kilder: Kilder, on_step) -> KildeResultat:
    started = time.perf_counter()
    step = on_step or (lambda _: None)
    step("Sjekker kildetabellene")
    _raise_missing(mangler(kilder, "duckdb", _duckdb_columns(settings)))
    result = KildeResultat(
        ikke_tilgjengelig=[t.navn_i_kilder for t in kilder.tabeller() if not t.tilgjengelig]
    )
    console = make_console(None)
    ctx = None
    try:
        try:
            ctx = _open(settings, console)
            copies = _copies(ctx)
            step("Lager kildelaget (tiltak_kilde)")
            _plan(ctx, selected_models(ctx, "kilder"))
        except SQLMeshError as e:
            raise IngestError(_sqlmesh_message(console, e)) from None
        synthetic = _synthetic_duckdb(ctx)
        cur = ctx.engine_adapter.cursor
        cur.execute("BEGIN TRANSACTION")
        try:
            for kopi in copies:
                step(f"Erstatter {kopi.bronze.name}")
                raw = _upstream(ctx, kilder, kopi.tabell)
                cur.execute(sql.duckdb_stage(kopi))
                (utelatt,) = cur.execute(sql.duckdb_utelatt(kopi)).fetchone()
                cur.execute(sql.duckdb_replace(kopi))
                cur.execute(sql.duckdb_drop_staging(kopi))
                is_synthetic = any((t.datasett.lower(), t.navn.lower()) in synthetic for t in raw)
                rows = record_datasett(cur, kopi.bronze, syntetisk=is_synthetic)
                result.tabeller.append(
                    BronzeResultat(
                        kopi.bronze.name,
                        rows,
                        is_synthetic,
                        int(utelatt),
                        tuple(t.navn_i_kilder for t in raw),
                    )
                )
            step("Teller kildeavvik")
            result.avvik = [
                Kildeavvik(*r) for r in cur.execute(sql.avvik_query("duckdb")).fetchall()
            ]
            cur.execute("COMMIT")
        except BaseException as e:
            cur.execute("ROLLBACK")
            if isinstance(e, duckdb.Error):
                raise _failure("Kildelaget kunne ikke leses; tiltak_bronze er uendret", e) from None
            raise
    finally:
        if ctx is not None:
            close_context(ctx, settings)
    result.sekunder = time.perf_counter() - started
    return result


def _synthetic_duckdb(ctx) -> set[tuple[str, str]]:
    rows = ctx.engine_adapter.cursor.execute(
        "SELECT schema_name, table_name FROM metrikk_meta.datasett WHERE syntetisk AND rader > 0"
    ).fetchall()
    return {(s.lower(), t.lower()) for s, t in rows}


def _sqlmesh_message(console, e: Exception) -> str:
    details = [*console.errors, str(e)]
    cause = e.__cause__ or e.__context__
    while cause is not None and len(details) < 6:
        details.append(str(cause))
        cause = cause.__cause__ or cause.__context__
    lines = [d.strip() for d in details if d and d.strip()]
    return "Kildelaget (tiltak_kilde) kunne ikke lages; tiltak_bronze er uendret.\n" + "\n".join(
        dict.fromkeys(lines)
    )


# -------------------------------------------------------------------------------- BigQuery


def bigquery_statements(
    copies: list[sql.Kopi], run_id: str, synthetic: dict[str, bool]
) -> list[str]:
    """Every statement of the BigQuery write after the staging, in order (for --dry-run and tests)."""

    statements = [bigquery_sql.create_datasett()]
    for kopi in copies:
        statements.append(bigquery_sql.create_landing(kopi.bronze))
        add = sql.bigquery_add_columns(kopi)
        if add:
            statements.append(add)
    statements.append(sql.script(sql.bigquery_transaction(copies, run_id, synthetic)))
    return statements


def _ingest_bigquery(settings: Settings, kilder: Kilder, on_step) -> KildeResultat:
    """The same source layer on BigQuery (cannot run here; `--dry-run` prints every statement)."""

    if not settings.project:
        raise IngestError("BigQuery krever et prosjekt (--project eller METRIKK_PROJECT).")
    started = time.perf_counter()
    step = on_step or (lambda _: None)
    result = KildeResultat(
        ikke_tilgjengelig=[t.navn_i_kilder for t in kilder.tabeller() if not t.tilgjengelig]
    )
    console = make_console(None)
    run_id = uuid.uuid4().hex[:12]
    ctx = None
    staged: list[sql.Kopi] = []
    try:
        ctx = _open(settings, console)
        adapter = ctx.engine_adapter
        step("Sjekker kildetabellene")
        found: dict[tuple[str, str], set[str]] = {}
        by_dataset: dict[tuple[str | None, str], list[str]] = {}
        for t in kilder.tabeller():
            if t.tilgjengelig:
                by_dataset.setdefault((t.prosjekt, t.datasett), []).append(t.navn)
        for (prosjekt, datasett), names in by_dataset.items():
            for table, column in adapter.fetchall(sql.bigquery_columns(prosjekt, datasett, names)):
                found.setdefault((datasett.lower(), str(table).lower()), set()).add(
                    str(column).lower()
                )
        _raise_missing(mangler(kilder, "bigquery", found))
        copies = _copies(ctx)
        step("Lager kildelaget (tiltak_kilde)")
        _plan(ctx, selected_models(ctx, "kilder"))
        adapter.execute(bigquery_sql.create_datasett())
        synthetic_raw = {
            (s.lower(), t.lower()) for s, t in adapter.fetchall(sql.bigquery_synthetic())
        }
        synthetic: dict[str, bool] = {}
        utelatt: dict[str, int] = {}
        raws: dict[str, list[KildeTabell]] = {}
        for kopi in copies:
            step(f"Leser {sql.KILDE_SCHEMA}.{kopi.tabell}")
            raws[kopi.tabell] = _upstream(ctx, kilder, kopi.tabell)
            synthetic[kopi.tabell] = any(
                (t.datasett.lower(), t.navn.lower()) in synthetic_raw for t in raws[kopi.tabell]
            )
            adapter.execute(sql.bigquery_stage(kopi, run_id))
            staged.append(kopi)
            (n,) = adapter.fetchone(sql.bigquery_utelatt(kopi, run_id))
            utelatt[kopi.tabell] = int(n)
        step("Erstatter tiltak_bronze")
        for statement in bigquery_statements(copies, run_id, synthetic):
            adapter.execute(statement)
        for kopi in copies:
            (rows,) = adapter.fetchone(sql.bigquery_count(kopi))
            result.tabeller.append(
                BronzeResultat(
                    kopi.bronze.name,
                    int(rows),
                    synthetic[kopi.tabell],
                    utelatt[kopi.tabell],
                    tuple(t.navn_i_kilder for t in raws[kopi.tabell]),
                )
            )
        result.avvik = [Kildeavvik(*r) for r in adapter.fetchall(sql.avvik_query("bigquery"))]
    except SQLMeshError as e:
        raise IngestError(_sqlmesh_message(console, e)) from None
    except IngestError:
        raise
    except Exception as e:  # noqa: BLE001 - BigQuery's client errors, reported in bokmål
        raise _failure("BigQuery avviste kildelaget; tiltak_bronze er uendret", e) from None
    finally:
        if ctx is not None:
            for kopi in staged:
                try:
                    ctx.engine_adapter.execute(sql.bigquery_drop_staging(kopi, run_id))
                except Exception:  # noqa: BLE001, S110 - a staging table expires by itself
                    pass
            close_context(ctx, settings)
    result.sekunder = time.perf_counter() - started
    return result


def render_kilder(settings: Settings) -> list[tuple[str, str]]:
    """What `ingest kilder` would run on the target, as (name, SQL): every tiltak_kilde model's
    query rendered for that engine (BigQuery: with each raw table as `prosjekt.datasett.tabell`),
    then the bronze replacement. Nothing is executed and no connection to the target is made."""

    _kilder(settings)  # a bad configuration is reported before anything else
    dialect = "bigquery" if settings.target == "bigquery" else "duckdb"
    with tempfile.TemporaryDirectory() as tmp:
        local = replace(
            settings, target="duckdb", warehouse=Path(tmp) / "render.duckdb", state_dsn=None
        )
        ctx = open_context(local)
        try:
            # Rendered with the target's engine adapter (never connected), so every macro that
            # depends on the engine renders what that engine runs (`@kilde` with the project).
            adapter = ctx.engine_adapter
            if dialect == "bigquery":
                # lazy: needs the bigquery extra's google libraries
                from sqlmesh.core.engine_adapter.bigquery import BigQueryEngineAdapter

                adapter = BigQueryEngineAdapter(lambda: None)
            rendered = []
            for name in selected_models(ctx, "kilder"):
                query = ctx.get_model(name).render_query_or_raise(engine_adapter=adapter)
                text = query.sql(dialect=dialect, pretty=True)
                sqlglot.parse_one(text, read=dialect)
                short = ".".join(p.strip('"`') for p in name.split(".")[-2:])
                rendered.append((short, text))
            copies = _copies(ctx)
        finally:
            close_context(ctx, local)
    if dialect == "bigquery":
        run_id = "kjoring"
        for kopi in copies:
            rendered.append(
                (f"{sql.BRONZE}.{kopi.tabell} (staging)", sql.bigquery_stage(kopi, run_id))
            )
        for i, statement in enumerate(bigquery_statements(copies, run_id, {}), start=1):
            rendered.append((f"{sql.BRONZE} (skriving {i})", statement))
    else:
        for kopi in copies:
            rendered.append(
                (
                    f"{sql.BRONZE}.{kopi.tabell}",
                    ";\n".join([sql.duckdb_stage(kopi), sql.duckdb_replace(kopi)]),
                )
            )
    return rendered
