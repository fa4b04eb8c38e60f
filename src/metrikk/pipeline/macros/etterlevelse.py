"""Macros that read the etterlevelse audit JSON in every era's shape (research note §1.3).

An audit row's `data` holds the entity either in the generic-storage envelope (payload under
`$.data`) or as an own-table row (root fields plus a payload key such as
`$.etterlevelseData`). These macros read one field from the first place that has it:

    @ett_value(data, 'title', 'data', 'etterlevelseDokumentasjonData')
    -> COALESCE(JSON_VALUE(data, '$.data.title'), JSON_VALUE(data, '$.etterlevelseDokumentasjonData.title'))

A place named '' is the JSON root. JSON_VALUE gives SQL NULL for a JSON null, a missing key and
an object, so COALESCE falls through to the next era's place. The BigQuery functions used here
(JSON_VALUE, JSON_VALUE_ARRAY, JSON_QUERY_ARRAY) transpile to DuckDB's `->>`, `CAST(-> AS TEXT[])`
and `CAST(-> AS JSON[])`; tests/etterlevelse/test_json_transpile.py checks both renderings.
"""

from __future__ import annotations

from sqlglot import exp
from sqlmesh import macro


def _path(place: str, field: str) -> str:
    return f"$.{field}" if not place else f"$.{place}.{field}"


def _text(e: exp.Expression) -> str:
    return e.this if isinstance(e, exp.Literal) else e.name


def _coalesce(
    evaluator, func: str, data: exp.Expression, field: exp.Expression, places
) -> exp.Expression:
    name = _text(field)
    data_sql = data.sql(dialect="bigquery")
    parts = [f"{func}({data_sql}, '{_path(_text(p), name)}')" for p in places] or [
        f"{func}({data_sql}, '{_path('', name)}')"
    ]
    sql = parts[0] if len(parts) == 1 else "COALESCE(" + ", ".join(parts) + ")"
    return evaluator.parse_one(sql)


@macro()
def ett_value(evaluator, data, field, *places):
    """A scalar field as STRING from the first era's place that has it."""
    return _coalesce(evaluator, "JSON_VALUE", data, field, places)


@macro()
def ett_array(evaluator, data, field, *places):
    """An array of scalars as ARRAY<STRING> from the first era's place that has it."""
    return _coalesce(evaluator, "JSON_VALUE_ARRAY", data, field, places)


@macro()
def ett_objects(evaluator, data, field, *places):
    """An array of objects as ARRAY<STRING> (JSON text per element) from the first place that has it."""
    return _coalesce(evaluator, "JSON_QUERY_ARRAY", data, field, places)
