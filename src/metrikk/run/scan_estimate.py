"""How much BigQuery would read for each model of a dry run, estimated on the local copy.

BigQuery's on-demand price is per byte read: for every table a query names, the logical size of
the columns it references, over every row of the table (over the partitions it touches, for a
partitioned table; metrikk's BigQuery tables are not partitioned, so a weekly run reads whole
columns as a full build does). `metrikk run --dry-run --target bigquery` prints each model's SQL;
this module finds the base tables and columns that SQL references (`columns_read`) and sizes
them by BigQuery's data-size rules (`size_sql`) on the rows of the local DuckDB warehouse: the
synthetic or ingested copy of the same tables. It is an estimate of what BigQuery's own dry run
reports as bytes processed, from the local rows; billing also counts at least 10 MB per table.

The rules (BigQuery's «data size calculation»): INT64, FLOAT64, DATE, DATETIME, TIME and
TIMESTAMP 8 bytes, BOOL 1, NUMERIC 16, STRING 2 + its UTF-8 bytes, BYTES 2 + its bytes, an ARRAY
the sum of its elements, NULL 0. DuckDB's integer types are INT64 on BigQuery; a type BigQuery
does not have (a MAP) counts as a STRING of its text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
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


def columns_read(sql: str, dialect: str) -> dict[str, set[str]]:
    """{schema.table: the columns referenced (lower case; ALL for a star)} for every base table
    of one query; a table named without any column (COUNT(*)) has an empty set. A column
    without a table name is given to every base table of its scope: the sizing keeps it only
    for a table that has it (an estimate: a same-named column of a derived table beside a base
    table that also has one is counted)."""
    read: dict[str, set[str]] = {}
    for scope in traverse_scope(parse_one(sql, read=dialect)):
        tables = {a: s for a, s in scope.sources.items() if isinstance(s, exp.Table)}
        for table in tables.values():
            read.setdefault(_name(table), set())
        for column in scope.columns:
            if column.table:
                table = tables.get(column.table)
                if table is not None:
                    read[_name(table)].add(column.name.lower())
            else:  # unqualified (a query SQLMesh did not qualify): any base table of the scope
                for table in tables.values():  # that has the column (column_bytes keeps those)
                    read[_name(table)].add(column.name.lower())
        for star in scope.expression.selects if isinstance(scope.expression, exp.Select) else []:
            if isinstance(star, exp.Star):  # SELECT *: every column of every base table
                for table in tables.values():
                    read[_name(table)].add(ALL)
            elif isinstance(star, exp.Column) and isinstance(star.this, exp.Star):
                if star.table in tables:  # SELECT t.*
                    read[_name(tables[star.table])].add(ALL)
    return read


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
    con: duckdb.DuckDBPyConnection, table: str, columns: set[str]
) -> dict[str, int] | None:
    """{column: its BigQuery size over every row of the local table} for the columns asked (all
    for ALL) that the table has; None when the local copy has no such table or view."""
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
    (row,) = con.execute(f"SELECT {sums} FROM {_quote(schema)}.{_quote(name)}").fetchall()
    return {c: int(v) for c, v in zip(wanted, row, strict=True)}


@dataclass(frozen=True)
class Estimate:
    model: str
    bytes: int
    tables: dict[str, int]  # schema.table -> bytes of its referenced columns
    missing: tuple[str, ...]  # tables the local copy does not have


def estimate(con: duckdb.DuckDBPyConnection, rendered: list[tuple[str, str]], dialect: str):
    """One Estimate per (model, SQL) of a dry run; every table is scanned once."""
    reads = {model: columns_read(sql, dialect) for model, sql in rendered}
    needed: dict[str, set[str]] = {}
    for read in reads.values():
        for table, columns in read.items():
            needed.setdefault(table, set()).update(columns)
    sizes = {table: column_bytes(con, table, columns) for table, columns in needed.items()}
    out = []
    for model, read in reads.items():
        per_table = {}
        for table, columns in read.items():
            known = sizes[table]
            if known is not None:
                per_table[table] = sum(
                    v for c, v in known.items() if ALL in columns or c in columns
                )
        missing = tuple(sorted(t for t in read if sizes[t] is None))
        out.append(Estimate(model, sum(per_table.values()), per_table, missing))
    return out
