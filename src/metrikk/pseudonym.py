"""The pseudonym key (METRIKK_PSEUDONYM_KEY) and the only routes by which it reaches a database.

`@pseudonym(expr)` (`pipeline/macros/pseudonym.py`) is HMAC-SHA256 in SQL. The key itself never
enters SQL text, a SQLMesh variable, SQLMesh state or cache, a log or a snapshot:

- **DuckDB.** The two padded keys (`K' XOR ipad`, `K' XOR opad`) are DuckDB session variables,
  set on every cursor SQLMesh opens with a parameterised `SET VARIABLE … = ?`
  (`PseudonymKey.set_on`, called by the connection config in `pipeline/config.py`). Variables
  live in the session only: they are not written to the database file and cursors do not
  inherit them, so every cursor gets its own.
- **BigQuery.** The padded keys are one row of a table in a restricted dataset (default
  `metrikk_hemmelig.pseudonym_nokkel`), written at the start of `metrikk run --target bigquery`
  with a load job from memory (`write_key_table`: Parquet bytes, no SQL text and no query
  parameters that would sit in job metadata) and dropped at the end (`drop_key_table`).

What SQLMesh does see is the key id (`key_id`): the first 16 hex digits of
HMAC-SHA256(key, a fixed label). It cannot be turned back into the key, and it is part of the
rendered SQL (in the variable names and in the key table's `nokkel_id` filter), so a new key
changes every model that pseudonymises and SQLMesh rebuilds them and everything downstream
(incremental tables never mix pseudonyms of two keys). The SQL also refuses to run when the
session or the key table holds another key than the model was built with, instead of writing
NULL pseudonyms.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
from typing import Any, NoReturn, Protocol

BLOCK = 64  # SHA-256 block size in bytes (RFC 2104: B)
KEY_ID_LABEL = b"metrikk pseudonym-nokkel-id v1"
DEFAULT_KEY_TABLE = "metrikk_hemmelig.pseudonym_nokkel"
# Columns of the BigQuery key table: (name, BigQuery type).
KEY_TABLE_COLUMNS = [("nokkel_id", "STRING"), ("indre", "BYTES"), ("ytre", "BYTES")]

_KEY_ID = re.compile(r"[0-9a-f]{16}")
_KEY_TABLE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)")


def block_key(key: str) -> bytes:
    """K': the key's UTF-8 bytes, first hashed when longer than a block, padded with zeros."""
    raw = key.encode("utf-8")
    if len(raw) > BLOCK:
        raw = hashlib.sha256(raw).digest()
    return raw.ljust(BLOCK, b"\x00")


def padded_keys(key: str) -> tuple[bytes, bytes]:
    """(K' XOR ipad, K' XOR opad) of RFC 2104 for a text key."""
    raw = block_key(key)
    return bytes(b ^ 0x36 for b in raw), bytes(b ^ 0x5C for b in raw)


def key_id(key: str) -> str:
    """A short public name for the key: 16 hex digits of HMAC-SHA256(key, a fixed label)."""
    return hmac.new(key.encode("utf-8"), KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]


def check_key_id(value: object) -> str:
    """The key id as SQL may contain it (16 lower-case hex digits), or ValueError."""
    if not isinstance(value, str) or not _KEY_ID.fullmatch(value):
        raise ValueError(
            f"Ugyldig id for pseudonymnøkkelen: {value!r} (ventet 16 heksadesimale tegn)."
        )
    return value


def variable_names(kid: str) -> tuple[str, str]:
    """Names of the DuckDB session variables holding the inner and outer padded key of key `kid`."""
    kid = check_key_id(kid)
    return f"metrikk_pseudonym_indre_{kid}", f"metrikk_pseudonym_ytre_{kid}"


def split_key_table(name: str) -> tuple[str, str]:
    """'dataset.table' -> (dataset, table); ValueError in bokmål for anything else."""
    match = _KEY_TABLE.fullmatch(name or "")
    if match is None:
        raise ValueError(
            f"Ugyldig tabell for pseudonymnøkkelen: «{name}» "
            "(METRIKK_PSEUDONYM_KEY_TABLE må ha formen datasett.tabell)."
        )
    return match.group(1), match.group(2)


class PseudonymKey:
    """The padded keys of one pseudonym key, kept out of every repr, pickle and copy.

    It is built from the key text and forgets the text. `repr` shows only the key id; pickling
    is refused (nothing that would write this object anywhere can serialise it); copies are the
    same object.
    """

    __slots__ = ("_inner", "_outer", "key_id")

    def __init__(self, key: str) -> None:
        if not key:
            raise ValueError("Pseudonymnøkkelen kan ikke være tom.")
        self._inner, self._outer = padded_keys(key)
        self.key_id = key_id(key)

    def __repr__(self) -> str:
        return f"PseudonymKey(key_id={self.key_id!r})"

    def __reduce__(self) -> NoReturn:
        raise TypeError("Pseudonymnøkkelen skal ikke serialiseres.")

    def __copy__(self) -> PseudonymKey:
        return self

    def __deepcopy__(self, memo: dict) -> PseudonymKey:
        return self

    def set_on(self, cursor: Any) -> None:
        """Set both padded keys as session variables (BLOBs) on a DuckDB cursor or connection.

        The values are query parameters, so they appear in no SQL text."""
        inner_name, outer_name = variable_names(self.key_id)
        cursor.execute(f"SET VARIABLE {inner_name} = ?", [self._inner])
        cursor.execute(f"SET VARIABLE {outer_name} = ?", [self._outer])

    def key_table_parquet(self) -> bytes:
        """The BigQuery key table's one row (nokkel_id, indre, ytre) as Parquet bytes, in memory."""
        # lazy: settings.py imports this module: every command would pay for Arrow
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table(
            {
                "nokkel_id": pa.array([self.key_id], pa.string()),
                "indre": pa.array([self._inner], pa.binary()),
                "ytre": pa.array([self._outer], pa.binary()),
            }
        )
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        return buffer.getvalue()


class KeyTableTarget(Protocol):
    """What `write_key_table` needs of BigQuery (`metrikk.ingest.to_bigquery.BigQueryTarget`)."""

    def execute(self, sql: str) -> None:
        """Run one statement."""

    def replace_table_from_parquet(
        self, data: bytes, dataset: str, table: str, columns: list[tuple[str, str]]
    ) -> int:
        """Replace (or create) a table with the rows of Parquet bytes, by a load job; rows loaded."""


def write_key_table(target: KeyTableTarget, key: PseudonymKey, name: str) -> None:
    """Replace the key table `name` ('dataset.table') with the key's one row, by a load job."""
    dataset, table = split_key_table(name)
    target.replace_table_from_parquet(key.key_table_parquet(), dataset, table, KEY_TABLE_COLUMNS)


def drop_key_table(target: KeyTableTarget, name: str) -> None:
    """Drop the key table (the statement names the table only)."""
    # lazy: settings.py imports this module: every command would pay for sqlglot
    from sqlglot import exp

    dataset, table = split_key_table(name)
    drop = exp.Drop(this=exp.table_(table, db=dataset, quoted=True), kind="TABLE", exists=True)
    target.execute(drop.sql("bigquery"))
