"""Macros of the drift models: the known lists of `metrikk.koder`, rendered as plain SQL.

Also teaches sqlglot's DuckDB generator BigQuery's `JSON_KEYS(json, 1)`
(`metrikk.sqltid.teach_duckdb_json_keys`).
"""

from __future__ import annotations

from sqlglot import exp
from sqlmesh import macro

from metrikk.koder import KEY_LISTS, VALUE_LISTS
from metrikk.sqltid import teach_duckdb_json_keys

teach_duckdb_json_keys()


def _name(arg: exp.Expression) -> str:
    return arg.name if isinstance(arg, (exp.Literal, exp.Column, exp.Identifier)) else arg.sql()


def _in(value: exp.Expression, values) -> exp.Expression:
    return exp.In(this=value.copy(), expressions=[exp.Literal.string(v) for v in values])


@macro()
def ukjent_verdi(evaluator, value: exp.Expression, liste: exp.Expression) -> exp.Expression:
    """TRUE when `value` is not in the known list `liste` of metrikk.koder.VALUE_LISTS."""
    return exp.Not(this=exp.paren(_in(value, VALUE_LISTS[_name(liste)]), copy=False))


@macro()
def ukjent_nokkel(
    evaluator, table_name: exp.Expression, key: exp.Expression, kilde: exp.Expression
) -> exp.Expression:
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
