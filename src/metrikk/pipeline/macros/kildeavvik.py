"""Macros of the drift models: the known lists of `metrikk.drift`, rendered as plain SQL.

Also teaches sqlglot's DuckDB generator BigQuery's `JSON_KEYS(json, 1)` (top-level keys): sqlglot
30.8 parses it into `JSONKeysAtDepth` and has no DuckDB rendering for it (it would print the
non-function `J_S_O_N_KEYS_AT_DEPTH`). DuckDB's `json_keys(json)` returns exactly the top-level
keys, so depth 1 maps onto it; any other depth is refused rather than mis-rendered.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.dialects.duckdb import DuckDB
from sqlglot.errors import UnsupportedError

from metrikk.drift import KEY_LISTS, VALUE_LISTS
from sqlmesh import macro


def _duckdb_json_keys(self, e: exp.JSONKeysAtDepth) -> str:
    depth = e.expression
    if not (isinstance(depth, exp.Literal) and depth.name == "1"):
        raise UnsupportedError("JSON_KEYS renders to DuckDB only with max depth 1")
    return self.func("JSON_KEYS", e.this)


DuckDB.Generator.TRANSFORMS[exp.JSONKeysAtDepth] = _duckdb_json_keys


def _name(arg: exp.Expression) -> str:
    return arg.name if isinstance(arg, (exp.Literal, exp.Column, exp.Identifier)) else arg.sql()


def _in(value: exp.Expression, values) -> exp.Expression:
    return exp.In(this=value.copy(), expressions=[exp.Literal.string(v) for v in values])


@macro()
def ukjent_verdi(evaluator, value: exp.Expression, liste: exp.Expression) -> exp.Expression:
    """TRUE when `value` is not in the known list `liste` of metrikk.drift.VALUE_LISTS."""
    return exp.Not(this=exp.paren(_in(value, VALUE_LISTS[_name(liste)]), copy=False))


@macro()
def ukjent_nokkel(evaluator, table_name: exp.Expression, key: exp.Expression, kilde: exp.Expression) -> exp.Expression:
    """TRUE when `key` is not a known JSON root key of `table_name` in audit log `kilde`.

    Table names without a known key set (and unknown table names, reported on their own) give FALSE.
    """
    case = exp.Case()
    for name, keys in KEY_LISTS[_name(kilde)].items():
        if keys:
            case = case.when(
                exp.EQ(this=table_name.copy(), expression=exp.Literal.string(name)),
                exp.Not(this=exp.paren(_in(key, keys), copy=False)),
            )
    return case.else_(exp.false())
