"""How much BigQuery would read for each model of a dry run, estimated on the local copy.

BigQuery's on-demand price is per byte read: for every table a query names, the logical size of
the columns it references, over the rows of the partitions it touches. SQLMesh partitions an
INCREMENTAL_BY_TIME_RANGE model's BigQuery table by its time column (`run.render_runs` passes
those columns); every other table is read whole. `metrikk run --dry-run --target bigquery`
prints each model's SQL; this module finds the base tables, columns and partition days that SQL
reads (`reads`) and sizes them by BigQuery's data-size rules (`size_sql`) on the rows of the
local DuckDB warehouse: the synthetic or ingested copy of the same tables. It is an estimate of
what BigQuery's own dry run reports as bytes processed; billing counts at least 10 MB per table.

The rules (BigQuery's «data size calculation»): INT64, FLOAT64, DATE, DATETIME, TIME and
TIMESTAMP 8 bytes, BOOL 1, NUMERIC 16, STRING 2 + its UTF-8 bytes, BYTES 2 + its bytes, an ARRAY
the sum of its elements, NULL 0. DuckDB's integer types are INT64 on BigQuery; a type BigQuery
does not have (a MAP) counts as a STRING of its text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import count

import duckdb
from sqlglot import exp, parse_one
from sqlglot.optimizer.scope import traverse_scope

ALL = "*"  # a star over a base table: every column

_FIXED = {
    "BOOLEAN": 1,
    "TINYINT": 8,
    "SMALLINT": 8,
    "INTEGER": 8,
    "BIGINT": 8,
    "HUGEINT": 8,
    "UTINYINT": 8,
    "USMALLINT": 8,
    "UINTEGER": 8,
    "UBIGINT": 8,
    "FLOAT": 8,
    "DOUBLE": 8,
    "DATE": 8,
    "TIME": 8,
    "TIMESTAMP": 8,
    "TIMESTAMP WITH TIME ZONE": 8,
    "INTERVAL": 16,
}


Bounds = tuple[date | None, date | None] | None  # the days read of a partitioned table; None: all


@dataclass
class TableRead:
    columns: set[str]  # lower case; ALL for a star
    bounds: Bounds = None


def reads(
    sql: str, dialect: str, partitions: Mapping[str, str] | None = None
) -> dict[str, TableRead]:
    """What one query reads of each base table (schema.table): the columns it references, and
    for a table partitioned by a column (`partitions`) the days its WHERE keeps when that is
    compared with constants (BigQuery then reads only those partitions).

    A table named without any column (COUNT(*)) has no columns. A column without a table name
    is given to every base table of its scope: the sizing keeps it only for a table that has it
    (an estimate: a same-named column of a derived table beside a base table that also has one
    is counted). A table read in several places reads the union of what each place reads."""
    partitions = partitions or {}
    read: dict[str, TableRead] = {}
    for scope in traverse_scope(parse_one(sql, read=dialect)):
        tables = {a: s for a, s in scope.sources.items() if isinstance(s, exp.Table)}
        for alias, table in tables.items():
            name = _name(table)
            column = partitions.get(name)
            bounds = _bounds(scope, alias, column, len(scope.sources) == 1) if column else None
            if name not in read:
                read[name] = TableRead(set(), bounds)
            else:
                read[name].bounds = _widest(read[name].bounds, bounds)
        for column in scope.columns:
            if column.table:
                table = tables.get(column.table)
                if table is not None:
                    read[_name(table)].columns.add(column.name.lower())
            else:  # unqualified (a query SQLMesh did not qualify): any base table of the scope
                for table in tables.values():
                    read[_name(table)].columns.add(column.name.lower())
        for star in scope.expression.selects if isinstance(scope.expression, exp.Select) else []:
            if isinstance(star, exp.Star):  # SELECT *: every column of every base table
                for table in tables.values():
                    read[_name(table)].columns.add(ALL)
            elif isinstance(star, exp.Column) and isinstance(star.this, exp.Star):
                if star.table in tables:  # SELECT t.*
                    read[_name(tables[star.table])].columns.add(ALL)
    return read


def columns_read(sql: str, dialect: str) -> dict[str, set[str]]:
    """{schema.table: the columns referenced} for every base table of one query (see `reads`)."""
    return {name: r.columns for name, r in reads(sql, dialect).items()}


# A comparison of a constant with a column, read with the column first.
_FLIPPED = {exp.GTE: exp.LTE, exp.GT: exp.LT, exp.LTE: exp.GTE, exp.LT: exp.GT, exp.EQ: exp.EQ}


def _bounds(scope, alias: str, column: str, only_source: bool) -> Bounds:
    """The first and last day of `alias`.`column` that the scope's WHERE keeps through
    comparisons with constants joined by AND; None when it keeps every day."""
    where = scope.expression.args.get("where") if isinstance(scope.expression, exp.Select) else None
    if where is None:
        return None

    def ours(node: exp.Expression) -> bool:
        return (
            isinstance(node, exp.Column)
            and node.name.lower() == column
            and (node.table == alias or (not node.table and only_source))
        )

    kept: list[tuple[type, date | None]] = []  # (comparison with the column on the left, day)
    conditions = where.this.flatten() if isinstance(where.this, exp.And) else [where.this]
    for cond in conditions:
        if isinstance(cond, exp.Between) and ours(cond.this):
            kept += [(exp.GTE, _day(cond.args.get("low"))), (exp.LTE, _day(cond.args.get("high")))]
        elif isinstance(cond, tuple(_FLIPPED)):
            if ours(cond.this):
                kept.append((type(cond), _day(cond.expression)))
            elif ours(cond.expression):  # the constant first
                kept.append((_FLIPPED[type(cond)], _day(cond.this)))
    lo = max((d for op, d in kept if d and op in (exp.GTE, exp.GT, exp.EQ)), default=None)
    hi = min((d for op, d in kept if d and op in (exp.LTE, exp.LT, exp.EQ)), default=None)
    return None if lo is None and hi is None else (lo, hi)


def _day(node: exp.Expression | None) -> date | None:
    """The day of a constant date or timestamp (a string, possibly CAST); None otherwise."""
    while isinstance(node, (exp.Cast, exp.TryCast)):
        node = node.this
    if isinstance(node, exp.Literal) and node.is_string:
        try:
            return date.fromisoformat(node.this[:10])
        except ValueError:
            return None
    return None


def _widest(a: Bounds, b: Bounds) -> Bounds:
    if a is None or b is None:
        return None
    lo = None if a[0] is None or b[0] is None else min(a[0], b[0])
    hi = None if a[1] is None or b[1] is None else max(a[1], b[1])
    return None if lo is None and hi is None else (lo, hi)


def _name(table: exp.Table) -> str:
    return f"{table.db}.{table.name}".lower()


def size_sql(column: str, data_type: str) -> str:
    """DuckDB SQL for the BigQuery size in bytes of one value of `column` (a DuckDB type)."""
    return _size(column, data_type.upper(), count())


def _size(column: str, t: str, names: Iterator[int]) -> str:
    if t == '"NULL"':
        return "0"
    if t.endswith("[]"):
        x = f"_e{next(names)}"
        return f"coalesce(list_sum(list_transform({column}, {x} -> {_size(x, t[:-2], names)})), 0)"
    if t in _FIXED or t.startswith(("DECIMAL", "TIMESTAMP")):
        n = _FIXED.get(t, 16 if t.startswith("DECIMAL") else 8)
        return f"CASE WHEN {column} IS NULL THEN 0 ELSE {n} END"
    if t == "BLOB":
        return f"CASE WHEN {column} IS NULL THEN 0 ELSE 2 + octet_length({column}) END"
    text = column if t == "VARCHAR" else f"CAST({column} AS VARCHAR)"
    return f"CASE WHEN {column} IS NULL THEN 0 ELSE 2 + strlen({text}) END"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def column_bytes(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: set[str],
    partition: tuple[str, Bounds] | None = None,
) -> dict[str, int] | None:
    """{column: its BigQuery size over the rows of the local table} for the columns asked (all
    for ALL) that the table has; with `partition` (column, bounds) only over the rows whose day
    in that column is within the bounds. None when the local copy has no such table or view."""
    schema, name = table.split(".", 1)
    types = {
        c.lower(): (c, t)
        for c, t in con.execute(
            "SELECT column_name, data_type FROM duckdb_columns()"
            " WHERE lower(schema_name) = ? AND lower(table_name) = ?",
            [schema, name],
        ).fetchall()
    }
    if not types:
        return None
    wanted = sorted(types) if ALL in columns else sorted(c for c in columns if c in types)
    if not wanted:
        return {}
    sums = ", ".join(
        f"coalesce(sum({size_sql(_quote(types[c][0]), types[c][1])}), 0)::HUGEINT" for c in wanted
    )
    where, params = [], []
    if partition and partition[1] and partition[0] in types:
        day = f"CAST({_quote(types[partition[0]][0])} AS DATE)"
        for bound, op in zip(partition[1], (">=", "<="), strict=True):
            if bound is not None:
                where.append(f"{day} {op} ?")
                params.append(bound)
    sql = f"SELECT {sums} FROM {_quote(schema)}.{_quote(name)}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    (row,) = con.execute(sql, params).fetchall()
    return {c: int(v) for c, v in zip(wanted, row, strict=True)}


@dataclass(frozen=True)
class Estimate:
    model: str
    bytes: int
    tables: dict[str, int]  # schema.table -> bytes of its referenced columns
    missing: tuple[str, ...]  # tables the local copy does not have


@dataclass
class Sizer:
    """Column sizes of the local copy, each (table, days read, column) measured once."""

    con: duckdb.DuckDBPyConnection
    partitions: Mapping[str, str] = field(default_factory=dict)
    _known: dict[tuple[str, Bounds], dict[str, int] | None] = field(default_factory=dict)

    def measure(self, needed: Mapping[tuple[str, Bounds], set[str]]) -> None:
        for (table, bounds), columns in needed.items():
            known = self._known.get((table, bounds), {})
            if known is None:
                continue
            todo = {ALL} if ALL in columns and ALL not in known else columns - set(known)
            if todo:
                part = (self.partitions[table], bounds) if table in self.partitions else None
                got = column_bytes(self.con, table, todo, part)
                if got is None:
                    self._known[(table, bounds)] = None
                    continue
                known = {**known, **got, **({ALL: 0} if ALL in todo else {})}
            self._known[(table, bounds)] = known

    def bytes(self, table: str, read: TableRead) -> int | None:
        known = self._known[(table, read.bounds)]
        if known is None:
            return None
        return sum(
            v for c, v in known.items() if c != ALL and (ALL in read.columns or c in read.columns)
        )


def estimate(sizer: Sizer, rendered: list[tuple[str, str]], dialect: str) -> list[Estimate]:
    """One Estimate per (model, SQL); each table and range of days is scanned once per Sizer."""
    per_model = {model: reads(sql, dialect, sizer.partitions) for model, sql in rendered}
    needed: dict[tuple[str, Bounds], set[str]] = {}
    for read in per_model.values():
        for table, r in read.items():
            needed.setdefault((table, r.bounds), set()).update(r.columns)
    sizer.measure(needed)
    out = []
    for model, read in per_model.items():
        sizes = {table: sizer.bytes(table, r) for table, r in read.items()}
        per_table = {t: b for t, b in sizes.items() if b is not None}
        missing = tuple(sorted(t for t, b in sizes.items() if b is None))
        out.append(Estimate(model, sum(per_table.values()), per_table, missing))
    return out
