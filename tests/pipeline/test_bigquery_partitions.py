"""What a weekly run costs on BigQuery, checked without BigQuery: the weekly tables are
partitioned by their week and clustered by what their readers pick (BigQuery bills the bytes of
the partitions and blocks a query reads), and a run for some weeks reads only those weeks of
them: every read of a week-partitioned table is bounded on `uke_start` by constants inside the
run's interval, which is what lets BigQuery prune the other partitions."""

from __future__ import annotations

from datetime import date

import pytest
import sqlglot
from sqlglot import exp

from metrikk.run import bigquery_adapter
from tests.test_models import _ctx, models_of, short_name  # noqa: F401 (_ctx: the ctx fixture)

# The run's interval: one ISO week, as the Monday cron gives it.
START, END, EXECUTION = date(2024, 3, 4), date(2024, 3, 10), date(2024, 3, 11)


def _weekly(ctx) -> list:
    return [
        m
        for m in models_of(ctx)
        if m.kind.is_incremental_by_time_range and m.time_column.column.name == "uke_start"
    ]


def _cluster_key(model) -> str | None:
    """What a weekly table's readers pick: a kontor (dashboard, Brum API), else a gjennomføring."""
    columns = set(model.columns_to_types)
    return next((c for c in ("kontor", "gjennomforing_id") if c in columns), None)


def test_weekly_tables_are_partitioned_by_week_and_clustered_by_what_readers_pick(ctx):
    """The DDL SQLMesh's BigQuery adapter writes for each weekly table: PARTITION BY uke_start
    (one partition per week), CLUSTER BY kontor (or gjennomforing_id) where the table has one."""
    weekly = _weekly(ctx)
    assert len(weekly) >= 10, [short_name(m) for m in weekly]
    adapter = bigquery_adapter()
    for model in weekly:
        ddl = adapter._build_table_properties_exp(
            partitioned_by=model.partitioned_by,
            partition_interval_unit=model.partition_interval_unit,
            clustered_by=model.clustered_by,
            target_columns_to_types=model.columns_to_types,
        ).sql("bigquery")
        key = _cluster_key(model)
        expected = "PARTITION BY `uke_start`" + (f" CLUSTER BY `{key}`" if key else "")
        assert ddl == expected, short_name(model)


def _constant_date(node: exp.Expression) -> date | None:
    """The date a bound renders to (`CAST('2024-03-04' AS DATE)`), None when it is not constant."""
    if node.find(exp.Column):
        return None
    literals = [lit.this for lit in node.find_all(exp.Literal) if lit.is_string]
    if len(literals) != 1:
        return None
    try:
        return date.fromisoformat(literals[0][:10])
    except ValueError:
        return None


def _is_week_of(node: exp.Expression, alias: str, aliases_in_scope: int) -> bool:
    """`node` is the uke_start column of the table read as `alias` (unqualified only when that
    table is the only one its SELECT reads)."""
    return (
        isinstance(node, exp.Column)
        and node.name == "uke_start"
        and (node.table == alias or (not node.table and aliases_in_scope == 1))
    )


def _bounds(select: exp.Select, alias: str) -> tuple[date | None, date | None]:
    """The constant lower and upper bounds the SELECT's WHERE and JOIN conditions put on the
    uke_start of the table read as `alias` (None where there is none)."""
    conditions = [select.args["where"].this] if select.args.get("where") else []
    conditions += [j.args["on"] for j in select.args.get("joins") or [] if j.args.get("on")]
    sources = len(select.args.get("joins") or []) + 1
    low = high = None
    for condition in conditions:
        for c in condition.flatten() if isinstance(condition, exp.And) else [condition]:
            if isinstance(c, exp.Between) and _is_week_of(c.this, alias, sources):
                low, high = (
                    _constant_date(c.args["low"]) or low,
                    _constant_date(c.args["high"]) or high,
                )
                continue
            if not isinstance(c, (exp.GTE, exp.GT, exp.LTE, exp.LT)):
                continue
            greater = isinstance(c, (exp.GTE, exp.GT))  # left side >= right side
            for column, other, is_low in (
                (c.this, c.expression, greater),
                (c.expression, c.this, not greater),
            ):
                value = _constant_date(other) if _is_week_of(column, alias, sources) else None
                if value is not None and is_low:
                    low = value
                elif value is not None:
                    high = value
    return low, high


def _reads_of_weekly_tables(query: exp.Expression, weekly_names: set[str]):
    """(table name, alias, enclosing SELECT) of every read of a week-partitioned table."""
    for table in query.find_all(exp.Table):
        name = f"{table.db}.{table.name}"
        if name in weekly_names:
            yield name, table.alias_or_name, table.find_ancestor(exp.Select)


def test_a_weekly_run_reads_only_the_weeks_it_computes(ctx):
    """Rendered as BigQuery for one week, every model that reads a week-partitioned table
    (deltakelse_uke, oppfolging_uke, oppstart, the gold tables) bounds its uke_start on both
    sides by constants inside that week, so BigQuery reads (and bills) one partition, not years."""
    weekly_names = {short_name(m) for m in _weekly(ctx)}
    adapter = bigquery_adapter()
    checked = []
    for model in models_of(ctx):
        query = model.render_query_or_raise(
            start=START, end=END, execution_time=EXECUTION, engine_adapter=adapter
        )
        for name, alias, select in _reads_of_weekly_tables(query, weekly_names):
            low, high = _bounds(select, alias)
            where = f"{short_name(model)} reads {name} as {alias}"
            assert low is not None and high is not None, f"{where} without a bound on uke_start"
            assert START <= low <= high <= END, f"{where} for {low}..{high}, outside {START}..{END}"
            checked.append((short_name(model), name))
    readers = {m for m, _ in checked}
    # The gold tables and oppfolging_uke read the person-week tables; a check over no read proves nothing.
    assert {
        "tiltak_gold.uke_antall",
        "tiltak_gold.uke_oppfolging",
        "tiltak_gold.uke_ventetid",
    } <= readers
    assert ("tiltak_silver.oppfolging_uke", "tiltak_silver.deltakelse_uke") in checked


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "SELECT * FROM s.t AS t WHERE t.uke_start BETWEEN CAST('2024-03-04' AS DATE) AND CAST('2024-03-10' AS DATE)",
            (START, END),
        ),
        (
            "SELECT * FROM s.t AS t WHERE t.uke_start >= CAST('2024-03-04' AS DATE) AND t.uke_start <= CAST('2024-03-10' AS DATE)",
            (START, END),
        ),
        ("SELECT * FROM s.t AS t WHERE t.uke_start >= CAST('2024-03-04' AS DATE)", (START, None)),
        (
            "SELECT * FROM s.t AS t JOIN s.u AS u ON u.uke_start = t.uke_start WHERE u.uke_start <= CAST('2024-03-10' AS DATE)",
            (None, None),
        ),
        (
            "SELECT * FROM s.t AS t WHERE t.uke_start >= t.referansedag AND t.uke_start <= CAST('2024-03-10' AS DATE)",
            (None, END),
        ),
        (
            "SELECT * FROM s.t AS t WHERE t.uke_start >= CAST('2024-03-04' AS DATE) OR t.uke_start <= CAST('2024-03-10' AS DATE)",
            (None, None),
        ),
    ],
)
def test_bounds_are_read_only_from_conjuncts_on_the_tables_own_week(sql, expected):
    """The reader of bounds: another table's week, a non-constant bound and an OR bound nothing."""
    select = sqlglot.parse_one(sql, read="bigquery")
    assert _bounds(select, "t") == expected
