"""Rules written out in SQL, so BigQuery and DuckDB give the same answer (issue #21,
docs/decisions.md "One rule on both engines").

The engines' own defaults disagree on data real sources have: TRIM strips every Unicode space on
BigQuery but only ' ' on DuckDB ('DELTAR\\r', a no-break space around an enhetsnummer), and
SAFE_CAST is stricter on BigQuery ('1.0' → INT64, '1' → BOOL are NULL there and values on
DuckDB; DuckDB even rounds '1.5' to 2). These macros decide by a regular expression (RE2 on both
engines) or an explicit character set instead, then cast only text both engines read alike:

- `@uten_blanke(x)`: `x` without leading and trailing whitespace ('' stays '', NULL stays NULL),
  whitespace being Unicode White_Space plus the zero-width space and the byte-order mark, listed
  character by character (`metrikk.sqltid.BLANK_CHARS`, the set `@trimmet` of the source layer
  matches) in `TRIM(x, characters)`: the same function on both engines with the set spelled out,
  and no regular expression in the tiltak models' hot paths.
- `@heltall(x)`: an optionally signed run of ASCII digits as INT64, anything else NULL (so
  '1.0', '1e3', ' 7' and '٣' are NULL on both engines; out-of-range is NULL too).
- `@sannhet(x)`: 'true'/'false' in any case as BOOL, anything else NULL ('1', 't', 'yes' too).

Dates use `@iso_dato` (macros/kilde.py): 'YYYY-MM-DD' only.
"""

from __future__ import annotations

from sqlglot import exp
from sqlmesh import macro

from metrikk.sqltid import BLANK_CHARS


def _regel_uttrykk(sql: str) -> exp.Expression:
    return exp.maybe_parse(sql, dialect="bigquery")


def _regel_tekst(value: str) -> str:
    """A BigQuery string literal (sqlglot escapes backslashes for each dialect it prints)."""
    return exp.Literal.string(value).sql("bigquery")


def uten_blanke_sql(value_sql: str) -> str:
    return f"TRIM({value_sql}, {_regel_tekst(BLANK_CHARS)})"


def heltall_sql(value_sql: str) -> str:
    return (
        f"CASE WHEN REGEXP_CONTAINS({value_sql}, {_regel_tekst('^[+-]?[0-9]+$')}) "
        f"THEN SAFE_CAST({value_sql} AS INT64) END"
    )


def sannhet_sql(value_sql: str) -> str:
    return f"CASE LOWER({value_sql}) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END"


@macro()
def uten_blanke(evaluator, value: exp.Expression) -> exp.Expression:
    """`value` without leading and trailing whitespace by the explicit rule (module docstring)."""
    return _regel_uttrykk(uten_blanke_sql(value.sql("bigquery")))


@macro()
def heltall(evaluator, value: exp.Expression) -> exp.Expression:
    """Digits (optionally signed) as INT64, anything else NULL, the same on both engines."""
    return _regel_uttrykk(heltall_sql(value.sql("bigquery")))


@macro()
def sannhet(evaluator, value: exp.Expression) -> exp.Expression:
    """'true'/'false' (any case) as BOOL, anything else NULL, the same on both engines."""
    return _regel_uttrykk(sannhet_sql(value.sql("bigquery")))
