"""Macros of the source layer (`tiltak_kilde`): where a raw table is, and the rules that turn raw
text and wall-clock times into the contract's values the same way on DuckDB and BigQuery.

- `@kilde('<kilde>', '<tabell>')`: the raw table as configured (SQLMesh variable `kilder`, from
  `metrikk.kilder`): `` `prosjekt`.`datasett`.`navn` `` on BigQuery (every part quoted: project ids
  have hyphens and `14a_vedtak_statistikk` starts with a digit), `"datasett"."navn"` on DuckDB. A
  table that is not available to this deployment (`null` in kilder.yaml) renders as an empty
  relation with the declared columns, so the model reads no rows instead of failing.
- `@trimmet(x)`: `x` without leading and trailing whitespace, NULL when nothing is left. The
  whitespace is a regular expression, not the engine's TRIM (BigQuery's strips every Unicode
  space, DuckDB's only ' '; issue #21): Unicode White_Space (\\s, \\v, U+0085, \\p{Z}) plus the
  zero-width space and byte-order mark that copy-paste leaves behind.
- `@oslo_veggklokke_til_utc(dt)`: an Oslo wall-clock DATETIME as a UTC TIMESTAMP, by Norway's
  rule since 1996 written out in SQL (not the engines' zone databases, which resolve the
  skipped and the repeated hour differently): summer time (UTC+2) from 03:00 wall clock on the
  last Sunday of March until 03:00 on the last Sunday of October, otherwise UTC+1. So a
  wall-clock time in the skipped hour (02:00–02:59 in March) is read as winter time and one in
  the repeated hour (02:00–02:59 in October) as its first, summer-time occurrence: what
  BigQuery's `TIMESTAMP(dt, 'Europe/Oslo')` does (ZetaSQL takes absl's `pre` offset).
- `@iso_utc(s)` / `@iso_veggklokke(s)`: ISO 8601 text as a UTC TIMESTAMP (text ending in `Z` or
  `+00:00`, Java's `Instant`) or as a DATETIME (no offset, Java's `LocalDateTime`), seconds and up
  to nine fraction digits optional (BigQuery keeps six); anything else is NULL. A regular
  expression decides what parses, so `SAFE_CAST`'s engine-specific leniency never does.
- `@iso_dato(s)`: `YYYY-MM-DD` text as a DATE, else NULL.
- `@gyldig_json(s)`: TRUE when `s` is valid JSON (BigQuery: `SAFE.PARSE_JSON`, DuckDB:
  `json_valid`); invalid JSON would make DuckDB's JSON_VALUE fail the whole query.
"""

from __future__ import annotations

from sqlglot import exp
from sqlmesh import macro

from metrikk.sqltid import engine_dialect

# Unicode White_Space, the zero-width space and the byte-order mark (RE2 syntax, both engines).
_BLANK = r"[\s\x{0B}\x{85}\p{Z}\x{200B}\x{FEFF}]"
# ISO 8601 date and time, seconds and (with seconds) up to nine fraction digits optional.
_ISO = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]{1,9})?)?"


def _name(arg: exp.Expression) -> str:
    return arg.name if isinstance(arg, (exp.Literal, exp.Column, exp.Identifier)) else arg.sql()


def _bq(sql: str) -> exp.Expression:
    return exp.maybe_parse(sql, dialect="bigquery")


def _str(value: str) -> str:
    """A BigQuery string literal (sqlglot escapes backslashes for each dialect it prints)."""
    return exp.Literal.string(value).sql("bigquery")


@macro()
def kilde(evaluator, kilde: exp.Expression, tabell: exp.Expression) -> exp.Expression:
    """The configured location of raw table `tabell` of source `kilde` (see the module docstring)."""
    kilder = evaluator.var("kilder")
    if not kilder:
        raise ValueError("Variabelen kilder mangler i SQLMesh-konfigurasjonen (metrikk.kilder).")
    k, t = _name(kilde), _name(tabell)
    try:
        source = kilder[k]
        table = source["tabeller"][t]
    except KeyError:
        raise ValueError(f"@kilde: {k}.{t} er ikke deklarert i kilder.yaml.") from None
    if table["navn"] is None:
        columns = ", ".join(
            f"CAST(NULL AS {typ}) AS {exp.to_identifier(col, quoted=True).sql('bigquery')}"
            for col, typ in table["kolonner"].items()
        )
        return exp.paren(_bq(f"SELECT {columns} LIMIT 0"), copy=False)
    catalog = None
    if source.get("prosjekt") and engine_dialect(evaluator) not in (None, "duckdb"):
        catalog = exp.to_identifier(source["prosjekt"], quoted=True)
    return exp.table_(
        exp.to_identifier(table["navn"], quoted=True),
        db=exp.to_identifier(source["datasett"], quoted=True),
        catalog=catalog,
    )


def trimmet_sql(value_sql: str) -> str:
    return f"NULLIF(REGEXP_REPLACE({value_sql}, {_str(f'^{_BLANK}+|{_BLANK}+$')}, ''), '')"


@macro()
def trimmet(evaluator, value: exp.Expression) -> exp.Expression:
    """`value` without leading/trailing whitespace (Unicode, both engines alike); '' becomes NULL."""
    return _bq(trimmet_sql(value.sql("bigquery")))


def _last_sunday_3am(dt: str, month: int) -> str:
    """03:00 on the last Sunday of `month` (3 or 10) in the year of `dt`, as a DATETIME: the Sunday
    before the Monday on or before the 1st of the next month."""
    return (
        f"DATETIME_ADD(DATETIME(DATE_SUB(DATE_TRUNC(DATE(EXTRACT(YEAR FROM {dt}), {month + 1}, 1), "
        "WEEK(MONDAY)), INTERVAL 1 DAY)), INTERVAL 3 HOUR)"
    )


def oslo_veggklokke_til_utc_sql(dt: str) -> str:
    summer = f"{dt} >= {_last_sunday_3am(dt, 3)} AND {dt} < {_last_sunday_3am(dt, 10)}"
    return (
        f"CASE WHEN {summer} THEN TIMESTAMP(DATETIME_SUB({dt}, INTERVAL 2 HOUR)) "
        f"WHEN {dt} IS NOT NULL THEN TIMESTAMP(DATETIME_SUB({dt}, INTERVAL 1 HOUR)) END"
    )


@macro()
def oslo_veggklokke_til_utc(evaluator, dt: exp.Expression) -> exp.Expression:
    """An Oslo wall-clock DATETIME as a UTC TIMESTAMP (Norway's DST rule in SQL; module docstring)."""
    return _bq(oslo_veggklokke_til_utc_sql(dt.sql("bigquery")))


def _iso_text(s: str) -> str:
    """The canonical 'YYYY-MM-DD HH:MM:SS[.ffffff]' of ISO text `s` known to match _ISO."""
    seconds = f"COALESCE(NULLIF(REGEXP_EXTRACT({s}, {_str('^.{16}(:[0-9]{2})')}), ''), ':00')"
    fraction = (
        f"COALESCE(SUBSTR(NULLIF(REGEXP_EXTRACT({s}, {_str('^.{19}([.][0-9]+)')}), ''), 1, 7), '')"
    )
    return f"CONCAT(SUBSTR({s}, 1, 10), ' ', SUBSTR({s}, 12, 5), {seconds}, {fraction})"


def iso_utc_sql(value_sql: str) -> str:
    s = trimmet_sql(value_sql)
    return (
        f"CASE WHEN REGEXP_CONTAINS({s}, {_str(f'^{_ISO}(Z|[+]00:00)$')}) "
        f"THEN SAFE_CAST({_iso_text(s)} AS TIMESTAMP) END"
    )


def iso_veggklokke_sql(value_sql: str) -> str:
    s = trimmet_sql(value_sql)
    return f"CASE WHEN REGEXP_CONTAINS({s}, {_str(f'^{_ISO}$')}) THEN SAFE_CAST({_iso_text(s)} AS DATETIME) END"


def iso_dato_sql(value_sql: str) -> str:
    s = trimmet_sql(value_sql)
    return f"CASE WHEN REGEXP_CONTAINS({s}, {_str('^[0-9]{4}-[0-9]{2}-[0-9]{2}$')}) THEN SAFE_CAST({s} AS DATE) END"


@macro()
def iso_utc(evaluator, value: exp.Expression) -> exp.Expression:
    """ISO 8601 UTC text ('…Z' or '…+00:00', as Java's Instant writes it) as a TIMESTAMP, else NULL."""
    return _bq(iso_utc_sql(value.sql("bigquery")))


@macro()
def iso_veggklokke(evaluator, value: exp.Expression) -> exp.Expression:
    """ISO 8601 text without an offset (Java's LocalDateTime) as a DATETIME, else NULL."""
    return _bq(iso_veggklokke_sql(value.sql("bigquery")))


@macro()
def iso_dato(evaluator, value: exp.Expression) -> exp.Expression:
    """'YYYY-MM-DD' text as a DATE, else NULL (also for impossible dates such as 2024-02-30)."""
    return _bq(iso_dato_sql(value.sql("bigquery")))


@macro()
def gyldig_json(evaluator, value: exp.Expression) -> exp.Expression:
    """TRUE when `value` is valid JSON text, FALSE otherwise (NULL for NULL)."""
    if engine_dialect(evaluator) == "duckdb":
        return exp.Anonymous(this="json_valid", expressions=[value.copy()])
    return _bq(f"SAFE.PARSE_JSON({value.sql('bigquery')}) IS NOT NULL")
