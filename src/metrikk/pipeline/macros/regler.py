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
- `@tidspunkt(x)`: an ISO timestamp as TIMESTAMP, anything else NULL. Accepted:
  'YYYY-MM-DD', optionally followed by 'T' or ' ', 'HH:MM', optionally ':SS' and a fraction of
  any length, optionally 'Z' or an offset '+HH:MM'/'-HH:MM' (none means UTC). The value is
  rewritten into BigQuery's canonical form 'YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]', the fraction
  truncated to microseconds, before the cast: both engines read that form alike, where their
  own casts disagree at the edges (DuckDB also reads a leading space or '2024-5-1', and
  truncates nanoseconds).
- `@hele_sekunder(slutt, start)`: the whole seconds from `start` to `slutt`, the exact difference
  in microseconds truncated toward zero (BigQuery's `TIMESTAMP_DIFF(…, SECOND)` counts whole
  seconds, DuckDB's second boundaries: 10:00:00.9 → 10:00:01.1 is 0 there and 1 here). Both
  timestamps have microsecond precision on both engines, so the microsecond difference is exact.

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


def uten_blanke_kolonne_sql(column_sql: str) -> str:
    """`uten_blanke_sql` for a column: TRIM only when the first or last character is blank.

    The same value (TRIM changes nothing when neither end is blank; NULL and '' fall through to
    the column itself), at about a third of the CPU on DuckDB, whose TRIM with a character set
    matches every character of the value against the set. Only for a plain column, which costs
    nothing to read four times."""
    blanke = ", ".join(_regel_tekst(c) for c in BLANK_CHARS)
    return (
        f"CASE WHEN LEFT({column_sql}, 1) IN ({blanke}) OR RIGHT({column_sql}, 1) IN ({blanke}) "
        f"THEN {uten_blanke_sql(column_sql)} ELSE {column_sql} END"
    )


def heltall_sql(value_sql: str) -> str:
    return (
        f"CASE WHEN REGEXP_CONTAINS({value_sql}, {_regel_tekst('^[+-]?[0-9]+$')}) "
        f"THEN SAFE_CAST({value_sql} AS INT64) END"
    )


def sannhet_sql(value_sql: str) -> str:
    return f"CASE LOWER({value_sql}) WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END"


TIDSPUNKT_FORMAT = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$"
)


def tidspunkt_sql(value_sql: str) -> str:
    v = value_sql
    return (
        f"CASE WHEN REGEXP_CONTAINS({v}, {_regel_tekst(TIDSPUNKT_FORMAT)}) THEN SAFE_CAST(CONCAT("
        f"SUBSTR({v}, 1, 10), ' ', "
        f"IF(LENGTH({v}) > 10, SUBSTR({v}, 12, 5), '00:00'), "
        f"IF(SUBSTR({v}, 17, 1) = ':', SUBSTR({v}, 17, 3), ':00'), "
        f"COALESCE(REGEXP_EXTRACT({v}, {_regel_tekst(r'^.{19}([.][0-9]{1,6})')}), ''), "
        f"COALESCE(REGEXP_EXTRACT({v}, {_regel_tekst(r'([+-][0-9]{2}:[0-9]{2})$')}), '')"
        f") AS TIMESTAMP) END"
    )


def hele_sekunder_sql(end_sql: str, start_sql: str) -> str:
    return f"DIV(TIMESTAMP_DIFF({end_sql}, {start_sql}, MICROSECOND), 1000000)"


@macro()
def uten_blanke(evaluator, value: exp.Expression) -> exp.Expression:
    """`value` without leading and trailing whitespace by the explicit rule (module docstring)."""
    sql = value.sql("bigquery")
    return _regel_uttrykk(
        uten_blanke_kolonne_sql(sql) if isinstance(value, exp.Column) else uten_blanke_sql(sql)
    )


@macro()
def heltall(evaluator, value: exp.Expression) -> exp.Expression:
    """Digits (optionally signed) as INT64, anything else NULL, the same on both engines."""
    return _regel_uttrykk(heltall_sql(value.sql("bigquery")))


@macro()
def sannhet(evaluator, value: exp.Expression) -> exp.Expression:
    """'true'/'false' (any case) as BOOL, anything else NULL, the same on both engines."""
    return _regel_uttrykk(sannhet_sql(value.sql("bigquery")))


@macro()
def tidspunkt(evaluator, value: exp.Expression) -> exp.Expression:
    """An ISO timestamp (module docstring) as TIMESTAMP, anything else NULL, on both engines."""
    return _regel_uttrykk(tidspunkt_sql(value.sql("bigquery")))


@macro()
def hele_sekunder(evaluator, end: exp.Expression, start: exp.Expression) -> exp.Expression:
    """Whole seconds from `start` to `end` (truncated toward zero), the same on both engines."""
    return _regel_uttrykk(hele_sekunder_sql(end.sql("bigquery"), start.sql("bigquery")))
