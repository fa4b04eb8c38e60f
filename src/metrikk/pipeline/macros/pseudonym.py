"""`@pseudonym(expr)`: a keyed pseudonym of a person string, HMAC-SHA256 per RFC 2104 in SQL.

HMAC(K, m) = SHA256((K' XOR opad) || SHA256((K' XOR ipad) || m)), where K' is the key padded
with zero bytes to the 64-byte SHA-256 block (or first hashed when longer than a block). The key
is known when the model is rendered (SQLMesh variable `pseudonym_key`, set from
METRIKK_PSEUDONYM_KEY in `pipeline/config.py`), so both padded keys are computed here in Python
and enter the SQL as hex literals; the database only runs SHA256 and byte concatenation:

    TO_HEX(SHA256(CONCAT(FROM_HEX('<K' ^ opad>'), SHA256(CONCAT(FROM_HEX('<K' ^ ipad>'), <m as UTF-8 bytes>)))))

The only part that is not portable is "the UTF-8 bytes of a string": BigQuery spells it
`CAST(s AS BYTES)`, while DuckDB's `CAST(s AS BLOB)` rejects non-ASCII characters (Ø, æ, å) and
reads backslash escapes, so on DuckDB the macro emits `ENCODE(s)`, which is DuckDB's UTF-8
encoding. The result is the lower-case hex digest, equal to Python's
`hmac.new(key, m.encode(), hashlib.sha256).hexdigest()` (tests/etterlevelse checks this).
NULL in gives NULL out.
"""

from __future__ import annotations

import hashlib

from sqlglot import exp

from metrikk.sqltid import engine_dialect
from sqlmesh import macro

BLOCK = 64


def padded_keys(key: str) -> tuple[str, str]:
    """(K' XOR ipad, K' XOR opad) as hex strings for a text key (UTF-8)."""
    raw = key.encode("utf-8")
    if len(raw) > BLOCK:
        raw = hashlib.sha256(raw).digest()
    raw = raw.ljust(BLOCK, b"\x00")
    inner = bytes(b ^ 0x36 for b in raw).hex()
    outer = bytes(b ^ 0x5C for b in raw).hex()
    return inner, outer


@macro()
def pseudonym(evaluator, value: exp.Expression) -> exp.Expression:
    """HMAC-SHA256 of `value` (a string) with the run's pseudonym key, as 64 hex characters."""
    key = evaluator.var("pseudonym_key")
    if not key:
        raise ValueError("Variabelen pseudonym_key mangler i SQLMesh-konfigurasjonen.")
    inner, outer = padded_keys(str(key))
    value_sql = value.sql(dialect="bigquery")
    if engine_dialect(evaluator) == "duckdb":
        message = f"ENCODE({value_sql}, 'utf-8')"
    else:
        message = f"CAST({value_sql} AS BYTES)"
    return evaluator.parse_one(
        f"TO_HEX(SHA256(CONCAT(FROM_HEX('{outer}'), "
        f"SHA256(CONCAT(FROM_HEX('{inner}'), {message})))))"
    )
