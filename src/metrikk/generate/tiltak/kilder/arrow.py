"""Vectorised helpers the kilder writers share: ids as integer keys, timestamps as Oslo
wall-clock time or as the text Java writes, and JSON records built column by column."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrikk.generate.tiltak.util import NULL, US_DAY, US_HOUR, US_MIN, categorical, hash_u

OSLO = "Europe/Oslo"

LARGE_STRING = pa.large_string()
_HEXVAL = np.zeros(256, dtype=np.uint64)
for _i, _c in enumerate(b"0123456789abcdef"):
    _HEXVAL[_c] = _i
    _HEXVAL[ord(chr(_c).upper())] = _i


def plain(arr: pa.Array) -> pa.Array:
    """A column as large_string (dictionary columns decoded)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pc.cast(arr, LARGE_STRING)


def chars(arr: pa.Array) -> np.ndarray:
    """(n, width) ASCII bytes of a string column whose values all have the same width."""
    arr = plain(arr)
    n = len(arr)
    if n == 0:
        return np.empty((0, 0), dtype=np.uint8)
    bufs = arr.buffers()
    offs = np.frombuffer(bufs[1], dtype=np.int64)[arr.offset : arr.offset + n + 1]
    width = int(offs[1] - offs[0])
    if arr.null_count or not (np.diff(offs) == width).all():
        raise ValueError("ids of unequal width")
    return np.frombuffer(bufs[2], dtype=np.uint8)[offs[0] : offs[-1]].reshape(n, width)


def keys(arr: pa.Array) -> np.ndarray:
    """A uint64 key per id: a person_id ('p' + 15 hex digits) or a UUID (its first 16 hex
    digits). Used for hashing and derived ids; the ids themselves were unique keys' mixes."""
    ch = chars(arr)
    if ch.shape[1] == 16:
        hexc = ch[:, 1:]
    elif ch.shape[1] == 36:
        hexc = np.concatenate([ch[:, 0:8], ch[:, 9:13], ch[:, 14:18]], axis=1)
    elif ch.shape[1] == 0:
        return np.empty(0, dtype=np.uint64)
    else:
        raise ValueError(f"unknown id width {ch.shape[1]}")
    v = np.zeros(len(ch), dtype=np.uint64)
    for col in hexc.T:
        v = (v << np.uint64(4)) | _HEXVAL[col]
    return v


def i64(arr: pa.Array) -> np.ndarray:
    """A timestamp (µs), date (days) or integer column as int64, nulls as NULL."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_date32(arr.type):
        arr = arr.cast(pa.int32())
    return pc.fill_null(arr.cast(pa.int64()), NULL).to_numpy(zero_copy_only=False)


def codes(arr: pa.Array) -> tuple[np.ndarray, list[str]]:
    """A string column as (codes, labels); null = -1."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_encode()
    idx = pc.fill_null(arr.indices.cast(pa.int64()), -1).to_numpy(zero_copy_only=False)
    return idx, [str(x) for x in arr.dictionary.to_pylist()]


def take(arr: pa.Array, idx: np.ndarray) -> pa.Array:
    return arr.take(pa.array(np.asarray(idx, dtype=np.int64)))


def wall(us: np.ndarray) -> pa.Array:
    """UTC instants (µs) as Oslo wall-clock time without zone (BigQuery DATETIME)."""
    us = np.asarray(us, dtype=np.int64)
    null = us == NULL
    utc = pa.array(
        np.where(null, 0, us),
        type=pa.timestamp("us", tz=OSLO),
        mask=null if null.any() else None,
    )
    return pc.local_timestamp(utc)


def pick(labels: list[str], u: np.ndarray) -> pa.Array:
    return categorical(np.minimum((u * len(labels)).astype(np.int64), len(labels) - 1), labels)


def asof(lk: np.ndarray, lt: np.ndarray, rk: np.ndarray, rt: np.ndarray) -> np.ndarray:
    """For each left (key, t): the right row with the same key and the latest rt <= t, else
    the earliest right row with that key, else -1."""
    nl, nr = len(lk), len(rk)
    keys = np.concatenate([rk, lk])
    ts = np.concatenate([rt, lt])
    is_left = np.r_[np.zeros(nr, dtype=bool), np.ones(nl, dtype=bool)]
    o = np.lexsort((is_left, ts, keys))
    m = len(o)
    pos = np.arange(m)
    right = ~is_left[o]
    last = np.maximum.accumulate(np.where(right, pos, -1)) if m else pos
    nxt = np.minimum.accumulate(np.where(right, pos, m)[::-1])[::-1] if m else pos
    ks = keys[o]
    prev_ok = (last >= 0) & (ks[np.maximum(last, 0)] == ks)
    next_ok = (nxt < m) & (ks[np.minimum(nxt, m - 1)] == ks)
    res = np.where(
        prev_ok, o[np.maximum(last, 0)], np.where(next_ok, o[np.minimum(nxt, m - 1)], -1)
    )
    out = np.full(nl, -1, dtype=np.int64)
    lo = is_left[o]
    out[o[lo] - nr] = res[lo]
    return out


def ms_after(k: np.ndarray, salt: str, lo_ms: int, hi_ms: int) -> np.ndarray:
    return ((lo_ms + hash_u(k, salt) * (hi_ms - lo_ms)) * 1000).astype(np.int64)


# JSON (AvtaleMelding)


def lit(text: str) -> pa.Scalar:
    return pa.scalar(text, LARGE_STRING)


def jstr(arr: pa.Array) -> pa.Array:
    """A JSON string value, or null. The values come from fixed lists without quotes or
    backslashes, so they need no escaping (a test parses every record)."""
    arr = plain(arr)
    quoted = pc.binary_join_element_wise(lit('"'), arr, lit('"'), lit(""))
    return pc.if_else(pc.is_null(arr), lit("null"), quoted) if arr.null_count else quoted


def jraw(arr: pa.Array) -> pa.Array:
    """A JSON number or boolean, or null."""
    arr = plain(arr)
    return pc.if_else(pc.is_null(arr), lit("null"), arr)


def json_objects(fields: list[tuple[str, pa.Array]]) -> pa.Array:
    """Compact JSON objects (as Jackson writes them) from (name, encoded value) columns."""
    parts: list = []
    for i, (name, value) in enumerate(fields):
        parts.append(lit(("{" if i == 0 else ",") + f'"{name}":'))
        parts.append(value)
    parts.append(lit("}"))
    return pc.binary_join_element_wise(*parts, lit(""))


def put(out: np.ndarray, pos: int, values: np.ndarray, width: int) -> None:
    for k in range(width):
        out[:, pos + width - 1 - k] = ord("0") + values // 10**k % 10


def iso_chars(us: np.ndarray, extra: int = 0) -> np.ndarray:
    """(n, 26 + extra) ASCII 'YYYY-MM-DDTHH:MM:SS.ffffff' of µs timestamps (no nulls)."""
    us = np.asarray(us, dtype=np.int64)
    days = us // US_DAY
    tod = us - days * US_DAY
    d64 = days.astype("datetime64[D]")
    out = np.zeros((len(us), 26 + extra), dtype=np.uint8)
    put(out, 0, d64.astype("datetime64[Y]").astype(np.int64) + 1970, 4)
    put(out, 5, d64.astype("datetime64[M]").astype(np.int64) % 12 + 1, 2)
    put(out, 8, (d64 - d64.astype("datetime64[M]")).astype(np.int64) + 1, 2)
    put(out, 11, tod // US_HOUR, 2)
    put(out, 14, tod // US_MIN % 60, 2)
    put(out, 17, tod // 1_000_000 % 60, 2)
    put(out, 20, tod % 1_000_000, 6)
    for pos, ch in ((4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, ".")):
        out[:, pos] = ord(ch)
    return out


def var_strings(chars: np.ndarray, lengths: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """Rows of a (n, w) ASCII array cut to per-row lengths -> Arrow large_string array."""
    n, w = chars.shape
    keep = np.arange(w)[None, :] < lengths[:, None]
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    data = np.ascontiguousarray(chars[keep])
    arr = pa.Array.from_buffers(LARGE_STRING, n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])
    if mask is not None and mask.any():
        arr = pc.if_else(pa.array(mask), pa.nulls(n, LARGE_STRING), arr)
    return arr


def instant_text(us: np.ndarray) -> pa.Array:
    """java.time.Instant.toString(): UTC, 'Z', the fraction in groups of three digits."""
    us = np.asarray(us, dtype=np.int64)
    micro = us % 1_000_000
    length = np.where(micro == 0, 19, np.where(micro % 1000 == 0, 23, 26))
    chars = iso_chars(us, extra=1)
    chars[np.arange(len(us)), length] = ord("Z")
    return var_strings(chars, length + 1)


def local_text(us: np.ndarray) -> pa.Array:
    """A LocalDateTime as Jackson writes it (ISO_LOCAL_DATE_TIME): Oslo wall-clock time, no
    offset, the fraction without trailing zeros (and without the point when it is zero)."""
    local = i64(wall(us))
    f = local % 1_000_000
    zeros = sum((f % 10**k == 0).astype(np.int64) for k in range(1, 6))
    return var_strings(iso_chars(local), np.where(f == 0, 19, 26 - zeros))


def date_text(arr: pa.Array) -> pa.Array:
    """A date column as 'YYYY-MM-DD' (LocalDate), nulls kept."""
    days = i64(arr)
    null = days == NULL
    chars = iso_chars(np.where(null, 0, days) * US_DAY)
    return var_strings(chars, np.full(len(days), 10), mask=null)


def first_per_key(k: np.ndarray) -> np.ndarray:
    """Index of the first row of each distinct key, in key order."""
    o = np.argsort(k, kind="stable")
    ks = k[o]
    return o[np.r_[True, ks[1:] != ks[:-1]]] if len(o) else o
