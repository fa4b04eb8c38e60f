"""Macros of the tiltak domain: the code lists of `metrikk.koder`, used by several models.

They render to plain CASE expressions, so the models stay valid BigQuery and DuckDB.
"""

from __future__ import annotations

from sqlglot import exp
from sqlmesh import macro

from metrikk.koder import ARBEIDSGIVER_NAVN, EGEN_REGI, ENKELTPLASS, INNSATSGRUPPE
from metrikk.sqltid import engine_dialect, oslo_dato_sql


def _in(code: exp.Expression, values) -> exp.Expression:
    return exp.In(this=code.copy(), expressions=[exp.Literal.string(v) for v in values])


@macro()
def tiltakskategori(evaluator, code: exp.Expression) -> exp.Expression:
    """CASE mapping a Valp or Team Tiltak tiltakskode to GRUPPE/ENKELTPLASS/ARBEIDSGIVER/EGEN_REGI."""
    return (
        exp.Case()
        .when(_in(code, ARBEIDSGIVER_NAVN), exp.Literal.string("ARBEIDSGIVER"))
        .when(_in(code, EGEN_REGI), exp.Literal.string("EGEN_REGI"))
        .when(_in(code, ENKELTPLASS), exp.Literal.string("ENKELTPLASS"))
        .else_(exp.Literal.string("GRUPPE"))
    )


@macro()
def arbeidsgiver_tiltaksnavn(evaluator, code: exp.Expression) -> exp.Expression:
    """CASE giving Team Tiltak's name for an arbeidsgiver tiltakstype, else null."""
    case = exp.Case()
    for k, v in ARBEIDSGIVER_NAVN.items():
        case = case.when(
            exp.EQ(this=code.copy(), expression=exp.Literal.string(k)), exp.Literal.string(v)
        )
    return case.else_(exp.Null())


@macro()
def innsatsgruppe_ny(evaluator, code: exp.Expression) -> exp.Expression:
    """CASE mapping any innsatsgruppe code (new, old, Arena) to the new code, else 'UKJENT'."""
    case = exp.Case()
    for k, v in INNSATSGRUPPE.items():
        case = case.when(
            exp.EQ(this=code.copy(), expression=exp.Literal.string(k)), exp.Literal.string(v)
        )
    return case.else_(exp.Literal.string("UKJENT"))


@macro()
def iso_uke(evaluator, monday: exp.Expression) -> exp.Expression:
    """ISO week number of a Monday, computed from that week's Thursday (the ISO rule).

    `EXTRACT(ISOWEEK ...)` renders unchanged to DuckDB, which rejects the specifier (sqlglot
    30.8), and `DIV(a - 1, 7)` loses its parentheses; this form renders right in both dialects.
    """
    return exp.maybe_parse(
        f"CAST(FLOOR((EXTRACT(DAYOFYEAR FROM DATE_ADD({monday.sql('bigquery')}, INTERVAL 3 DAY)) - 1) / 7) AS INT64) + 1",
        dialect="bigquery",
    )


@macro()
def oslo_dato(evaluator, ts: exp.Expression) -> exp.Expression:
    """The Europe/Oslo calendar date of a UTC timestamp (`metrikk.sqltid.oslo_dato_sql`):
    `DATE(ts, 'Europe/Oslo')` on BigQuery, date arithmetic on DuckDB (ICU there is 6× slower)."""
    return exp.maybe_parse(
        oslo_dato_sql(ts.sql("bigquery"), engine_dialect(evaluator)), dialect="bigquery"
    )


@macro()
def lagres_i_rekkefolge(evaluator) -> exp.Expression:
    """TRUE when the model is written to DuckDB, where the rows' stored order lets a reader's
    week range skip row groups; use as `@ORDER_BY(@lagres_i_rekkefolge()) uke_start`. FALSE on
    BigQuery, where a global ORDER BY without LIMIT runs on one worker and partitioning and
    clustering do that job."""
    return exp.true() if engine_dialect(evaluator) == "duckdb" else exp.false()


# Each person's history cut into periods in which innsatsgruppe, oppfølgingskontor and veileder
# are all constant (carry-forward over the change days). A FYLKE unit is never a kontor, so it is
# recorded as '' (no oppfølgingskontor from that day) rather than NULL, which carry-forward would
# skip, and NULLIF turns it back into no kontor. {personer} is the relation of the persons wanted.
_PERSON_PERIODER = """
SELECT
  person_id,
  dag AS fra,
  COALESCE(
    DATE_SUB(LEAD(dag) OVER (PARTITION BY person_id ORDER BY dag), INTERVAL 1 DAY),
    DATE '9999-12-31'
  ) AS til,
  LAST_VALUE(innsatsgruppe IGNORE NULLS) OVER (
    PARTITION BY person_id ORDER BY dag ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS innsatsgruppe,
  NULLIF(
    LAST_VALUE(kontor IGNORE NULLS) OVER (
      PARTITION BY person_id ORDER BY dag ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ),
    ''
  ) AS oppfolgingskontor,
  LAST_VALUE(veileder_ident IGNORE NULLS) OVER (
    PARTITION BY person_id ORDER BY dag ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS veileder_ident
FROM (
  SELECT
    person_id,
    dag,
    MAX(innsatsgruppe) AS innsatsgruppe,
    MAX(kontor) AS kontor,
    MAX(veileder_ident) AS veileder_ident
  FROM (
    SELECT person_id, DATE '0001-01-01' AS dag, CAST(NULL AS STRING) AS innsatsgruppe,
      CAST(NULL AS STRING) AS kontor, CAST(NULL AS STRING) AS veileder_ident
    FROM {personer}
    UNION ALL
    SELECT pi.person_id, pi.gyldig_fra, pi.innsatsgruppe, NULL, NULL
    FROM tiltak_silver.person_innsatsgruppe AS pi
    WHERE pi.person_id IN (SELECT person_id FROM {personer})
    UNION ALL
    SELECT pk.person_id, pk.gyldig_fra, NULL, CASE WHEN pk.er_fylke THEN '' ELSE pk.kontor_id END, NULL
    FROM tiltak_silver.person_kontor AS pk
    WHERE pk.person_id IN (SELECT person_id FROM {personer})
    UNION ALL
    SELECT pv.person_id, pv.gyldig_fra, NULL, NULL, pv.veileder_ident
    FROM tiltak_silver.person_veileder AS pv
    WHERE pv.person_id IN (SELECT person_id FROM {personer})
  ) AS endringer
  GROUP BY person_id, dag
) AS endringer_per_dag
"""


@macro()
def person_perioder(evaluator, personer: exp.Expression) -> exp.Expression:
    """The constant-attribute periods (person_id, fra, til, innsatsgruppe, oppfolgingskontor,
    veileder_ident) of the persons in `personer`, as a subquery for FROM; deltakelse_uke and
    oppfolging_uke cut their rows by them."""
    sql = _PERSON_PERIODER.format(personer=personer.sql("bigquery"))
    return exp.maybe_parse(sql, dialect="bigquery").subquery("perioder")
