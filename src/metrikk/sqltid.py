"""SQL helpers shared by the pipeline's macros and their tests: Europe/Oslo dates, the engine a
macro renders for, and a sqlglot patch for DuckDB.

Kept free of SQLMesh imports: a test imports it without registering the project's macros a
second time in its process (SQLMesh keys macros by name, globally).
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot import generator as sqlglot_generator
from sqlglot.dialects.duckdb import DuckDB
from sqlglot.errors import UnsupportedError

# Whitespace by an explicit rule, the same on BigQuery and DuckDB: Unicode White_Space (\t \n
# \v \f \r, space, U+0085, and the separators \p{Z}) plus the zero-width space and the
# byte-order mark that copy-paste leaves behind. `@trimmet` of the source layer (macros/kilde.py)
# writes it as the RE2 class BLANK; `@uten_blanke` (macros/regler.py) hands the characters to
# TRIM(x, characters), which both engines have and which costs far less than a regular
# expression. tests/pipeline/test_engine_rules_sql.py checks that the two are the same set.
BLANK = r"[\s\x{0B}\x{85}\p{Z}\x{200B}\x{FEFF}]"
BLANK_CHARS = "".join(
    map(
        chr,
        [*range(0x09, 0x0E), 0x20, 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029]
        + [0x202F, 0x205F, 0x3000, 0x200B, 0xFEFF],
    )
)


def engine_dialect(evaluator) -> str | None:
    """The dialect of the engine a SQLMesh macro is rendering for (None when there is none, as
    while SQLMesh loads the project)."""
    adapter = evaluator.locals.get("engine_adapter")
    return getattr(adapter, "dialect", None) if adapter is not None else None


def _sommertid_start(utc: str, month: int) -> str:
    """01:00 UTC on the last Sunday of `month` (3 or 10) in the year of `utc`, as a DATETIME:
    the Sunday before the Monday on or before the 1st of the next month."""
    return (
        f"DATETIME_ADD(DATETIME(DATE_SUB(DATE_TRUNC(DATE(EXTRACT(YEAR FROM {utc}), {month + 1}, 1), "
        "WEEK(MONDAY)), INTERVAL 1 DAY)), INTERVAL 1 HOUR)"
    )


def oslo_dato_sql(ts_sql: str, engine: str | None) -> str:
    """BigQuery SQL for the Europe/Oslo calendar date of the UTC timestamp `ts_sql`.

    For BigQuery (or an unknown engine) it is `DATE(ts, 'Europe/Oslo')`. For DuckDB, where the
    transpiled form goes through ICU twice (about 4 µs a row), it is Norway's rule since 1996
    (the EU rule: summer time, UTC+2, from 01:00 UTC on the last Sunday of March to 01:00 UTC on
    the last Sunday of October; otherwise UTC+1) as plain date arithmetic.
    """
    if engine != "duckdb":
        return f"DATE({ts_sql}, 'Europe/Oslo')"
    utc = f"CAST({ts_sql} AS DATETIME)"  # the UTC wall clock, so no zone conversion below
    sommertid = (
        f"CASE WHEN EXTRACT(MONTH FROM {utc}) BETWEEN 4 AND 9 THEN TRUE "
        f"WHEN EXTRACT(MONTH FROM {utc}) = 3 THEN {utc} >= {_sommertid_start(utc, 3)} "
        f"WHEN EXTRACT(MONTH FROM {utc}) = 10 THEN {utc} < {_sommertid_start(utc, 10)} "
        "ELSE FALSE END"
    )
    return (
        f"DATE(CASE WHEN {sommertid} THEN DATETIME_ADD({utc}, INTERVAL 2 HOUR) "
        f"ELSE DATETIME_ADD({utc}, INTERVAL 1 HOUR) END)"
    )


def teach_duckdb_json_keys() -> None:
    """Teach sqlglot's DuckDB generator BigQuery's `JSON_KEYS(json, 1)` (top-level keys).

    sqlglot 30.8 parses it into `JSONKeysAtDepth` and has no DuckDB rendering for it (it would
    print the non-function `J_S_O_N_KEYS_AT_DEPTH`). DuckDB's `json_keys(json)` returns exactly
    the top-level keys, so depth 1 maps onto it; any other depth is refused. sqlglot caches each
    generator class's dispatch table at first use, so the cached DuckDB tables are dropped too:
    otherwise the patch is ignored whenever DuckDB SQL was generated before it (a long test
    session, a server).
    """

    def json_keys(self, e: exp.JSONKeysAtDepth) -> str:
        depth = e.expression
        if not (isinstance(depth, exp.Literal) and depth.name == "1"):
            raise UnsupportedError("JSON_KEYS renders to DuckDB only with max depth 1")
        return self.func("JSON_KEYS", e.this)

    DuckDB.Generator.TRANSFORMS[exp.JSONKeysAtDepth] = json_keys
    for cls in [c for c in sqlglot_generator._DISPATCH_CACHE if issubclass(c, DuckDB.Generator)]:
        sqlglot_generator._DISPATCH_CACHE.pop(cls, None)
