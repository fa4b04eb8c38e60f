"""Run BigQuery SQL on DuckDB: sqlglot's transpilation plus what DuckDB lacks.

Every model is rendered with SQLMesh's BigQuery engine adapter (`metrikk.run.render_models`),
so the SQL holds BigQuery's branches of the engine-branching macros. Two of them need help:

- `@pseudonym` reads the padded keys from the key table `metrikk_hemmelig.pseudonym_nokkel`
  that `metrikk run` writes on BigQuery: `with_key_table` attaches an in-memory database
  `hemmelig` holding that table with the key's row (`metrikk.pseudonym.padded_keys`, the row the
  load job writes), and `to_duckdb` points the SQL at it;
- BigQuery's `CAST(s AS BYTES)` is the UTF-8 bytes of a string; DuckDB's `CAST(s AS BLOB)` rejects
  non-ASCII text and reads backslash escapes, so a cast of a column to BYTES becomes DuckDB's
  `ENCODE(s)` (the key side, `CAST(COALESCE((SELECT …), ERROR(…)) AS BYTES)`, is bytes already).

- BigQuery's `SUBSTR(s, pos, len)` fails on a negative `len` where DuckDB's returns '': the
  DuckDB SQL fails there too (`ERROR(…)`), so a model that would stop on BigQuery fails here.

- BigQuery's `TIMESTAMP_DIFF(a, b, unit)` is the number of whole units (the difference truncated
  toward zero), DuckDB's `DATE_DIFF` counts unit boundaries: the DuckDB SQL takes the exact
  difference in microseconds and truncates it, as BigQuery does.

- BigQuery's `JSON_VALUE_ARRAY(json, path)` is NULL unless `path` holds an array of scalars (an
  object or a nested array anywhere in it makes the whole result NULL; a JSON null is a NULL
  element); DuckDB's cast to TEXT[] keeps an object as its text and fails on a non-array. The
  DuckDB SQL spells BigQuery's rule out.

`DATE(ts, 'Europe/Oslo')` transpiles to DuckDB's ICU time zones (needs `SET TimeZone = 'UTC'`).
"""

from __future__ import annotations

import duckdb
import sqlglot
from sqlglot import exp

from metrikk.pseudonym import DEFAULT_KEY_TABLE, key_id, padded_keys, split_key_table

KEY_CATALOG = "hemmelig"

# BigQuery's TIMESTAMP_DIFF units, in microseconds
_MICROSECONDS = {
    "MICROSECOND": 1,
    "MILLISECOND": 1_000,
    "SECOND": 1_000_000,
    "MINUTE": 60_000_000,
    "HOUR": 3_600_000_000,
    "DAY": 86_400_000_000,
}


def with_key_table(con, key: str, table: str = DEFAULT_KEY_TABLE) -> None:
    """Attach `hemmelig` (in memory) holding the key table with `key`'s row, as BigQuery has it."""
    schema, name = split_key_table(table)
    con.execute(f"ATTACH ':memory:' AS {KEY_CATALOG}")
    con.execute(f"CREATE SCHEMA {KEY_CATALOG}.{schema}")
    con.execute(
        f"CREATE TABLE {KEY_CATALOG}.{schema}.{name} (nokkel_id VARCHAR, indre BLOB, ytre BLOB)"
    )
    con.execute(
        f"INSERT INTO {KEY_CATALOG}.{schema}.{name} VALUES (?, ?, ?)",
        [key_id(key), *padded_keys(key)],
    )


def to_duckdb(bigquery_sql: str, key_table: str = DEFAULT_KEY_TABLE) -> str:
    """BigQuery SQL as DuckDB SQL over the warehouse: the render's catalog dropped (tables are
    schema.table here), the key table read from `hemmelig`, strings cast to BYTES as UTF-8."""
    key_schema, key_name = split_key_table(key_table)
    tree = sqlglot.parse_one(bigquery_sql, read="bigquery")
    for table in tree.find_all(exp.Table):
        is_key = table.db == key_schema and table.name == key_name
        table.set("catalog", exp.to_identifier(KEY_CATALOG) if is_key else None)

    def utf8(node: exp.Expression) -> exp.Expression:
        if (
            isinstance(node, exp.Cast)
            and node.to.this == exp.DataType.Type.BINARY
            and isinstance(node.this, exp.Column)
        ):
            return exp.Anonymous(this="ENCODE", expressions=[node.this.copy()])
        return node

    def strict_substr(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Substring) and node.args.get("length") is not None:
            length = node.args["length"]
            return exp.Case(
                ifs=[
                    exp.If(
                        this=exp.LT(this=length.copy(), expression=exp.Literal.number(0)),
                        true=exp.Anonymous(
                            this="ERROR",
                            expressions=[exp.Literal.string("BigQuery: SUBSTR med negativ lengde")],
                        ),
                    )
                ],
                default=node.copy(),
            )
        return node

    def whole_units(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.TimestampDiff):
            unit = node.text("unit").upper() or "DAY"
            if unit == "MICROSECOND":
                return node
            exact = exp.TimestampDiff(
                this=node.this.copy(),
                expression=node.expression.copy(),
                unit=exp.var("MICROSECOND"),
            )
            return exp.paren(
                exp.IntDiv(this=exact, expression=exp.Literal.number(_MICROSECONDS[unit]))
            )
        return node

    def scalar_array_or_null(node: exp.Expression) -> str:
        value = exp.JSONExtract(
            this=node.this.copy(),
            expression=node.expression.copy() if node.expression else exp.Literal.string("$"),
        ).sql("duckdb")
        elements = f"CAST(CASE WHEN json_type({value}) = 'ARRAY' THEN {value} END AS JSON[])"
        return (
            f"(CASE WHEN json_type({value}) = 'ARRAY' AND NOT COALESCE(list_bool_or("
            f"list_transform({elements}, lambda e: COALESCE(json_type(e) IN ('OBJECT', 'ARRAY'), FALSE))"
            f"), FALSE) THEN list_transform({elements}, lambda e: json_extract_string(e, '$')) END)"
        )

    tree = tree.transform(utf8)
    # DuckDB SQL that sqlglot cannot write (lambdas beside JSON's `->`) goes in by placeholder
    raw = {}
    for i, node in enumerate(list(tree.find_all(exp.JSONValueArray))):
        raw[f"__bigquery_json_value_array_{i}"] = scalar_array_or_null(node)
        node.replace(exp.column(f"__bigquery_json_value_array_{i}"))
    for node in list(tree.find_all(exp.TimestampDiff)):
        node.replace(whole_units(node))
    for node in list(tree.find_all(exp.Substring)):
        node.replace(strict_substr(node))
    # Without the models' comments: DuckDB 1.5 read the set of TRIM(x, set) wrongly after a
    # leading block comment (etterlevelse_int.audit_version kept a trailing no-break space).
    sql = tree.sql(dialect="duckdb", comments=False)
    for placeholder, duck in sorted(raw.items(), reverse=True):  # _10 before _1
        sql = sql.replace(placeholder, duck)
    return sql


def _rows(con, sql: str) -> tuple[list[str], list[tuple]]:
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return cols, sorted(cur.fetchall(), key=repr)


def round_trip_problems(warehouse, rendered: list[tuple[str, str]], key: str) -> list[str]:
    """Run each model's BigQuery SQL, transpiled, against the warehouse the DuckDB path built and
    compare with the model's table: one line per model whose SQL fails or whose rows differ."""
    problems = []
    with duckdb.connect(str(warehouse)) as con:  # read-write: ATTACH ':memory:' needs it
        con.execute("SET TimeZone = 'UTC'")
        with_key_table(con, key)
        for name, sql in rendered:
            schema, table = name.split(".")
            try:
                got_cols, got = _rows(con, to_duckdb(sql))
            except Exception as e:  # noqa: BLE001 - every failing model is reported, not just the first
                problems.append(
                    f"{name}: the transpiled SQL fails in DuckDB: {str(e).splitlines()[0]}"
                )
                continue
            want_cols, want = _rows(con, f'SELECT * FROM "{schema}"."{table}"')
            if got_cols != want_cols:
                problems.append(f"{name}: columns differ: {got_cols} != {want_cols}")
            elif got != want:
                want_keys, got_keys = (
                    set(map(repr, want)),
                    set(map(repr, got)),
                )  # rows may hold lists
                extra = [r for r in got if repr(r) not in want_keys][:3]
                missing = [r for r in want if repr(r) not in got_keys][:3]
                problems.append(
                    f"{name}: {len(got)} rows vs {len(want)} in the table; only in round trip: {extra}; "
                    f"only in table: {missing}"
                )
    return problems
