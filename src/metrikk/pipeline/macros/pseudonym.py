"""`@pseudonym(expr)`: a keyed pseudonym of a person string, HMAC-SHA256 per RFC 2104 in SQL.

HMAC(K, m) = SHA256((K' XOR opad) || SHA256((K' XOR ipad) || m)), where K' is the key padded
with zero bytes to the 64-byte SHA-256 block (or first hashed when longer than a block). The
database runs SHA256 and byte concatenation; the two padded keys are never part of the SQL. The
macro only knows the key's public id (SQLMesh variable `pseudonym_key_id`, see
`metrikk.pseudonym`) and emits a reference to where the engine holds the padded keys:

- DuckDB: session variables set on every cursor by the connection config (`pipeline/config.py`),
  `GETVARIABLE('metrikk_pseudonym_indre_<id>')` and `…_ytre_<id>`;
- BigQuery: a scalar subquery on the key table (SQLMesh variable `pseudonym_key_table`), which
  `metrikk run` writes by a load job: `(SELECT indre FROM <table> WHERE nokkel_id = '<id>')`.

Each reference is wrapped in `CAST(COALESCE(…, ERROR('…')) AS BYTES)`, so a session or key table holding
another key (or none) fails the model instead of writing NULL pseudonyms. Because the id is in
the SQL, a new key changes the rendered query and SQLMesh rebuilds every model that uses it and
everything downstream.

The message side is "the UTF-8 bytes of a string": BigQuery spells it `CAST(s AS BYTES)`, while
DuckDB's `CAST(s AS BLOB)` rejects non-ASCII characters (Ø, æ, å) and reads backslash escapes,
so on DuckDB the macro emits `ENCODE(s)`, which is DuckDB's UTF-8 encoding. The result is the
lower-case hex digest, equal to Python's `hmac.new(key, m.encode(), hashlib.sha256).hexdigest()`
(tests/etterlevelse/test_pseudonym_key.py checks this). NULL in gives NULL out.

While SQLMesh loads the project there is no engine; the macro then emits the session-variable
form, so the key table is never a dependency of a model. `metrikk run --dry-run --target
bigquery` renders with SQLMesh's BigQuery engine adapter, so it prints the BigQuery form.
"""

from __future__ import annotations

import re

from sqlglot import exp
from sqlmesh import macro

from metrikk.sqltid import engine_dialect


def pseudonym_sql(value_sql: str, engine: str | None, key_id: str, key_table: str | None) -> str:
    """The HMAC expression (BigQuery dialect) of `value_sql` for `engine` and the key `key_id`."""
    if not re.fullmatch(r"[0-9a-f]{16}", key_id or ""):
        raise ValueError(f"Ugyldig pseudonym_key_id: {key_id!r}.")
    if engine == "duckdb":
        message = f"ENCODE({value_sql}, 'utf-8')"
    else:
        message = f"CAST({value_sql} AS BYTES)"
    if engine in (None, "duckdb"):
        missing = (
            f"Pseudonymnøkkel {key_id} er ikke satt i DuckDB-økten; "
            "kjør modellen med samme METRIKK_PSEUDONYM_KEY som den ble bygget med."
        )
        inner = f"GETVARIABLE('metrikk_pseudonym_indre_{key_id}')"
        outer = f"GETVARIABLE('metrikk_pseudonym_ytre_{key_id}')"
    else:
        if not re.fullmatch(r"[A-Za-z_]\w*\.[A-Za-z_]\w*", key_table or ""):
            raise ValueError(f"Ugyldig pseudonym_key_table: {key_table!r}.")
        missing = (
            f"Pseudonymnøkkel {key_id} finnes ikke i {key_table}; "
            "metrikk run skriver den der ved start."
        )
        inner = f"(SELECT indre FROM {key_table} WHERE nokkel_id = '{key_id}')"
        outer = f"(SELECT ytre FROM {key_table} WHERE nokkel_id = '{key_id}')"
    # The CAST matters on DuckDB: an unset variable is an untyped NULL, and an untyped NULL
    # operand lets the optimizer fold the whole concatenation to NULL without calling ERROR.
    error = f"ERROR('{missing}')"
    return (
        f"TO_HEX(SHA256(CONCAT(CAST(COALESCE({outer}, {error}) AS BYTES), "
        f"SHA256(CONCAT(CAST(COALESCE({inner}, {error}) AS BYTES), {message})))))"
    )


@macro()
def pseudonym(evaluator, value: exp.Expression) -> exp.Expression:
    """HMAC-SHA256 of `value` (a string) with the run's pseudonym key, as 64 hex characters."""
    key_id = evaluator.var("pseudonym_key_id")
    if not key_id:
        raise ValueError("Variabelen pseudonym_key_id mangler i SQLMesh-konfigurasjonen.")
    engine = engine_dialect(evaluator)
    sql = pseudonym_sql(
        value.sql(dialect="bigquery"), engine, str(key_id), evaluator.var("pseudonym_key_table")
    )
    return evaluator.parse_one(sql)
