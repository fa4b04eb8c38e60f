"""Macros that read the etterlevelse audit JSON in every era's shape (research note §1.3).

An audit row's `data` holds the entity either in the generic-storage envelope (payload under
`$.data`) or as an own-table row (root fields plus a payload key such as
`$.etterlevelseData`). These macros read one field from the first place that has it:

    @ett_value(data, 'title', 'data', 'etterlevelseDokumentasjonData')
    -> COALESCE(JSON_VALUE(data, '$.data.title'), JSON_VALUE(data, '$.etterlevelseDokumentasjonData.title'))

A place named '' is the JSON root. JSON_VALUE gives SQL NULL for a JSON null, a missing key and
an object, so COALESCE falls through to the next era's place. The BigQuery functions used here
(JSON_VALUE, JSON_QUERY, JSON_QUERY_ARRAY) transpile to DuckDB's `json_value(…) ->> '$'`, `->`
and `CAST(-> AS JSON[])`.

`@ett_array` does not use JSON_VALUE_ARRAY: the engines disagree on it (an array holding an
object is NULL on BigQuery and text on DuckDB; a JSON null element is a NULL element on both,
and BigQuery refuses to write an array with a NULL element). It spells the rule out instead
(docs/decisions.md, "One rule on both engines"): a place counts only when it holds a JSON array; the elements
kept are its scalars (string, number, boolean) as text, in the array's order; JSON nulls,
objects and nested arrays are dropped. The result is NULL when no place holds an array, else a
NULL-free array (possibly empty). tests/etterlevelse/test_engine_rules.py runs it on both paths.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp
from sqlmesh import macro


def _path(place: str, field: str) -> str:
    return f"$.{field}" if not place else f"$.{place}.{field}"


def _text(e: exp.Expression) -> str:
    return e.this if isinstance(e, exp.Literal) else e.name


def _coalesce(
    evaluator, read: Callable[[str, str], str], data: exp.Expression, field: exp.Expression, places
) -> exp.Expression:
    """COALESCE over the places (the root when none is named) of `read(data_sql, path)`."""
    name = _text(field)
    data_sql = data.sql(dialect="bigquery")
    parts = [read(data_sql, _path(_text(p), name)) for p in places or [exp.Literal.string("")]]
    sql = parts[0] if len(parts) == 1 else "COALESCE(" + ", ".join(parts) + ")"
    return evaluator.parse_one(sql)


def _json_value_sql(data_sql: str, path: str) -> str:
    return f"JSON_VALUE({data_sql}, '{path}')"


@macro()
def ett_value(evaluator, data, field, *places):
    """A scalar field as STRING from the first era's place that has it."""
    return _coalesce(evaluator, _json_value_sql, data, field, places)


def array_elements_sql(data_sql: str, path: str) -> str:
    """BigQuery SQL for the elements (JSON text) of the JSON array at `path` of `data_sql`; NULL
    when `path` holds no array (missing, JSON null, an object or a scalar).

    `JSON_TYPE` is 'array' on BigQuery and 'ARRAY' on DuckDB, hence LOWER. Without the test
    BigQuery's JSON_QUERY_ARRAY gives NULL for a non-array and DuckDB's cast to JSON[] fails.
    """
    value = f"JSON_QUERY({data_sql}, '{path}')"
    return f"JSON_QUERY_ARRAY(IF(LOWER(JSON_TYPE({value})) = 'array', {value}, NULL))"


def scalar_array_sql(data_sql: str, path: str) -> str:
    """BigQuery SQL for the scalars of the JSON array at `path` of the JSON value `data_sql`,
    NULL-free and in order; NULL when `path` holds no array (see the module text).

    The array test is repeated inside UNNEST because DuckDB evaluates the subquery for every
    row, and casting a non-array to JSON[] fails there.
    """
    value = f"JSON_QUERY({data_sql}, '{path}')"
    is_array = f"LOWER(JSON_TYPE({value})) = 'array'"
    elements = array_elements_sql(data_sql, path)
    return (
        f"IF({is_array}, ARRAY("
        f"SELECT _ett_verdi FROM (SELECT JSON_VALUE(_ett_element) AS _ett_verdi, _ett_plass "
        f"FROM UNNEST({elements}) AS _ett_element WITH OFFSET AS _ett_plass) "
        f"WHERE _ett_verdi IS NOT NULL ORDER BY _ett_plass), NULL)"
    )


@macro()
def ett_array(evaluator, data, field, *places):
    """An array of scalars as ARRAY<STRING> from the first era's place that holds an array:
    NULL-free and in the source's order (see the module text)."""
    return _coalesce(evaluator, scalar_array_sql, data, field, places)


@macro()
def ett_objects(evaluator, data, field, *places):
    """The elements of a JSON array (JSON text per element, JSON nulls and scalars included) from
    the first era's place that holds an array; NULL when none does. The caller reads the
    elements with JSON_VALUE, which is NULL for a JSON null, a missing key and an object."""
    return _coalesce(evaluator, array_elements_sql, data, field, places)


# ------------------------------------------------------------------ the version order (ties)


def _versjonsrekkefolge(
    time: exp.Expression,
    version: exp.Expression,
    last_modified: exp.Expression,
    action: exp.Expression,
    audit_id: exp.Expression,
    newest_first: bool,
) -> list[exp.Ordered]:
    """The ORDER BY terms of CONTRACT §6's version order, newest or oldest first.

    `time`, then `version`, then the payload's root `lastModifiedDate`, then a DELETE after any
    other action, then `audit_id`. A NULL version or lastModifiedDate (polly has no version
    column; old rows may lack the stamp) counts as older than any value, so NULLs sort last
    newest-first and first oldest-first, in BigQuery and DuckDB alike (sqlglot writes the NULLS
    clause DuckDB needs). A literal NULL argument drops its term.
    """
    terms = [time, version, last_modified]
    keys = [t for t in terms if not isinstance(t, exp.Null)]
    is_delete = exp.EQ(this=action.copy(), expression=exp.Literal.string("DELETE"))
    ordered = [
        exp.Ordered(this=k.copy(), desc=newest_first, nulls_first=not newest_first) for k in keys
    ]
    ordered.append(exp.Ordered(this=is_delete, desc=newest_first, nulls_first=not newest_first))
    ordered.append(
        exp.Ordered(this=audit_id.copy(), desc=newest_first, nulls_first=not newest_first)
    )
    return ordered


@macro()
def nyeste_forst(evaluator, time, version, last_modified, action, audit_id):
    """ORDER BY terms that put an entity's current version first (CONTRACT §6):

        ROW_NUMBER() OVER (PARTITION BY id ORDER BY @nyeste_forst(time, version, lastModifiedDate, action, audit_id)) = 1

    is the current version. Pass NULL for a column the source does not have (polly: version).
    """
    return _versjonsrekkefolge(time, version, last_modified, action, audit_id, newest_first=True)


@macro()
def eldste_forst(evaluator, time, version, last_modified, action, audit_id):
    """The same order reversed (oldest version first), for LAG/LEAD and "first version" picks."""
    return _versjonsrekkefolge(time, version, last_modified, action, audit_id, newest_first=False)


@macro()
def revisjonsrader(evaluator, tabell):
    """The audit rows of one etterlevelse table, as a subquery for FROM, with `aktivRad` and the
    entity's latest action (`sisteAction`) from `etterlevelse_int.versjon`: the version order of
    CONTRACT §6 is applied once there, and only its rows (up to the run's as-of) are read.

        FROM @revisjonsrader('TILTAK') -> audit_id, table_id, action, time, version,
        lastModifiedDate, user_ident, data, aktivRad, sisteAction
    """
    name = _text(tabell)
    if not name.isidentifier() or not name.isupper():
        raise ValueError(f"@revisjonsrader: ukjent tabell {name!r}.")
    return exp.paren(
        exp.select(
            *[f"a.{c}" for c in ("audit_id", "table_id", "action", "time", "version")],
            *[f"a.{c}" for c in ("lastModifiedDate", "user_ident", "data")],
            "v.aktivRad",
            "v.sisteAction",
        )
        .from_("etterlevelse_int.audit_version AS a")
        .join("etterlevelse_int.versjon AS v", on="v.audit_id = a.audit_id", join_type="inner")
        .where(f"a.tabell = '{name}' AND v.tabell = '{name}'"),
        copy=False,
    )


# ------------------------------------------------------------------ a saved version's columns


def _alias(e: exp.Expression) -> str:
    name = _text(e)
    if not name.isidentifier():
        raise ValueError(f"ugyldig tabellalias {name!r}.")
    return name


@macro()
def lagringskolonner(evaluator, h):
    """The columns every stage model of an audited entity publishes about the saved version,
    in the contract's order, from a row of @revisjonsrader whose user is pseudonymised as
    `user_pseudonym`:

        SELECT …, @lagringskolonner(h), … -> time, action, version, lastModifiedDate, `user`
    """
    a = _alias(h)
    return [
        evaluator.parse_one(sql)
        for sql in (
            f"CAST({a}.time AS TIMESTAMP) AS time",
            f"CAST({a}.action AS STRING) AS action",
            f"CAST({a}.version AS INT64) AS version",
            f"CAST({a}.lastModifiedDate AS TIMESTAMP) AS lastModifiedDate",
            f"CAST({a}.user_pseudonym AS STRING) AS `user`",
        )
    ]


@macro()
def aktiv_og_slettet(evaluator, h):
    """`aktivRad` (the entity's current version, CONTRACT §6) and `slettet` (its latest action is
    a DELETE), from a row of @revisjonsrader:

        SELECT …, @aktiv_og_slettet(h) -> aktivRad, slettet
    """
    a = _alias(h)
    return [
        evaluator.parse_one(f"CAST({a}.aktivRad AS BOOL) AS aktivRad"),
        evaluator.parse_one(f"CAST({a}.sisteAction = 'DELETE' AS BOOL) AS slettet"),
    ]


# ------------------------------------------------------------------ when documents took something up


def _pa(kriterium: exp.Expression, alias: str) -> exp.Expression:
    """`kriterium` with its unqualified columns read from the table `alias`."""

    def qualify(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table:
            return exp.column(node.this.copy(), table=alias)
        return node

    return kriterium.copy().transform(qualify)


def _forste_gang(kriterium: exp.Expression) -> exp.Select:
    return (
        exp.select("etterlevelseDokumentasjonId", "MIN(time) AS minTid")
        .from_("etterlevelse.stage_dokument")
        .where(kriterium.copy())
        .group_by("etterlevelseDokumentasjonId")
    )


@macro()
def forste_gang(evaluator, kriterium):
    """When each document first met `kriterium` (a condition on the columns of
    etterlevelse.stage_dokument) in any saved version, as a subquery for FROM/JOIN:

        @forste_gang(tilgjengeligForGjenbruk) -> etterlevelseDokumentasjonId, minTid

    A document that never met it has no row.
    """
    return exp.paren(_forste_gang(kriterium), copy=False)


@macro()
def tatt_i_bruk(evaluator, kriterium, *kolonner):
    """The documents that have met `kriterium` in some saved version (the adoption data sets:
    ds_beskrivelser, ds_prioriterte_krav, ds_gjenbruk), one row each with its current version
    (aktivRad), as a subquery for FROM:

        @tatt_i_bruk(beskrivelseAntallTegn > 0, beskrivelseAntallTegn)
        -> etterlevelseDokumentasjonId, minTid, time, slettet, <kolonner>, oppfylt,
           antallNoenGang, snittrang

    `minTid` is when the document first met it (@forste_gang); `time`, `slettet` and the
    `kolonner` named are the current version's; `oppfylt` is `kriterium` on the current version.
    `antallNoenGang` counts the documents that had met it by then (a running count ordered by
    minTid, then the id). `snittrang` is how the original jobs counted: among the documents that
    meet it now and are not deleted, pandas' average rank of minTid (`rank(method='average')`:
    tied rows share the mean of the positions they take, so two tied first both get 1.5); NULL
    for the others.
    """
    navn = [_alias(k) for k in kolonner]
    naa = _pa(kriterium, "g")
    telles = f"({naa.sql(dialect='bigquery')}) AND NOT g.slettet"
    return exp.paren(
        exp.select(
            "f.etterlevelseDokumentasjonId",
            "f.minTid",
            "g.time",
            "g.slettet",
            *[f"g.{n}" for n in navn],
            exp.alias_(exp.paren(naa, copy=False), "oppfylt"),
            "ROW_NUMBER() OVER (ORDER BY f.minTid, f.etterlevelseDokumentasjonId) AS antallNoenGang",
            evaluator.parse_one(
                f"IF({telles}, RANK() OVER (PARTITION BY {telles} ORDER BY f.minTid)"
                f" + (COUNT(*) OVER (PARTITION BY {telles}, f.minTid) - 1) / 2, NULL) AS snittrang"
            ),
        )
        .from_(_forste_gang(kriterium).subquery("f"))
        .join(
            "etterlevelse.stage_dokument AS g",
            on="g.etterlevelseDokumentasjonId = f.etterlevelseDokumentasjonId AND g.aktivRad",
            join_type="inner",
        ),
        copy=False,
    )


# ------------------------------------------------------------------ the incremental version models


@macro()
def nye_revisjonsrader(evaluator, tabell, fra, til):
    """The audit rows of one etterlevelse table saved in [fra, til] (the incremental interval of
    an etterlevelse_int.*_versjon model), as a subquery for FROM:

        FROM @nye_revisjonsrader('KRAV', @start_ts, @end_ts) -> audit_id, action, table_id,
        time, version, lastModifiedDate, user_ident, data
    """
    name = _text(tabell)
    if not name.isidentifier() or not name.isupper():
        raise ValueError(f"@nye_revisjonsrader: ukjent tabell {name!r}.")
    return exp.paren(
        exp.select("audit_id", "action", "table_id", "time", "version", "lastModifiedDate")
        .select("user_ident", "data")
        .from_("etterlevelse_int.audit_version")
        .where(f"tabell = '{name}'")
        .where(exp.Between(this=exp.column("time"), low=fra.copy(), high=til.copy())),
        copy=False,
    )


@macro()
def versjonskolonner(evaluator, id_navn):
    """The leading columns of an etterlevelse_int.*_versjon model, from a row of
    @nye_revisjonsrader, the entity's id named `id_navn`:

        SELECT @versjonskolonner(kravId), … -> audit_id, kravId, action, time, version,
        lastModifiedDate
    """
    navn = _alias(id_navn)
    return [
        evaluator.parse_one(sql)
        for sql in (
            "CAST(audit_id AS STRING) AS audit_id",
            f"CAST(table_id AS STRING) AS {navn}",
            "CAST(action AS STRING) AS action",
            "CAST(time AS TIMESTAMP) AS time",
            "CAST(version AS INT64) AS version",
            "CAST(lastModifiedDate AS TIMESTAMP) AS lastModifiedDate",
        )
    ]
