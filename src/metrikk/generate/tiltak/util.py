"""Vectorised helpers for the tiltak generator: seeded streams, hashed ids, Arrow columns.

Everything random comes from numpy Generators seeded from (seed, entity, name, month), so a
month's draws never depend on how many months follow it (extending `--until` keeps the
earlier months), and ids are bijective mixes of integer keys (unique, deterministic).
"""

from __future__ import annotations

import datetime as dt
import zlib

import numpy as np
import pyarrow as pa

EPOCH = dt.date(1970, 1, 1)
US_DAY = 86_400_000_000
US_HOUR = 3_600_000_000
US_MIN = 60_000_000
NULL = np.iinfo(np.int64).min  # sentinel for "no value" in int64 day/us arrays


def day(d: dt.date) -> int:
    return (d - EPOCH).days


def tag(name: str) -> int:
    return zlib.crc32(name.encode("utf-8"))


def seed_words(seed: int) -> list[int]:
    s = int(seed) % (1 << 64)
    return [s & 0xFFFFFFFF, s >> 32]


def rng(seed: int, *names: str | int) -> np.random.Generator:
    """A generator for one static entity, e.g. rng(seed, "lines", "0600")."""
    words = seed_words(seed) + [tag(n) if isinstance(n, str) else int(n) for n in names]
    return np.random.default_rng(words)


class Streams:
    """Per-month random streams over a population that is laid out month by month.

    `u(name)` returns one uniform per member; the draws of month m come from a generator
    seeded by (seed, entity, name, m), so they are the same whatever months follow.
    """

    def __init__(self, seed: int, entity: str, months: np.ndarray, counts: np.ndarray):
        self.words = seed_words(seed) + [tag(entity)]
        self.months = [int(m) for m in months]
        self.counts = [int(c) for c in counts]
        self.n = int(sum(self.counts))

    def _gens(self, name: str):
        t = tag(name)
        for m, c in zip(self.months, self.counts, strict=True):
            if c:
                yield np.random.default_rng(self.words + [t, m]), c

    def u(self, name: str) -> np.ndarray:
        if not self.n:
            return np.empty(0)
        return np.concatenate([g.random(c) for g, c in self._gens(name)])

    def z(self, name: str) -> np.ndarray:
        if not self.n:
            return np.empty(0)
        return np.concatenate([g.standard_normal(c) for g, c in self._gens(name)])

    def pick(self, name: str, k: int | np.ndarray) -> np.ndarray:
        """Uniform integer in [0, k) per member (k may be an array)."""
        return np.minimum((self.u(name) * k).astype(np.int64), np.asarray(k) - 1)


_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLD = np.uint64(0x9E3779B97F4A7C15)


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: a bijection on uint64 (so distinct keys give distinct ids)."""
    z = np.asarray(x, dtype=np.uint64) + _GOLD
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


def key(kind: str, *parts: np.ndarray | int) -> np.ndarray:
    """A uint64 key from an entity kind and integer parts (parts packed, then mixed)."""
    k = np.full(np.shape(np.asarray(parts[0])) if parts else (), tag(kind), dtype=np.uint64)
    for p in parts:
        k = mix64(k) ^ np.asarray(p).astype(np.int64).astype(np.uint64)
    return k


def hash_u(k: np.ndarray, salt: str) -> np.ndarray:
    """A deterministic uniform in [0, 1) per key."""
    h = mix64(np.asarray(k, dtype=np.uint64) ^ np.uint64(tag(salt)))
    return (h >> np.uint64(11)).astype(np.float64) / float(1 << 53)


_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


_HEXS = b"0123456789abcdef"
# Four ASCII hex digits of every 16-bit value, packed in memory order into one uint32.
_HEX4 = np.array(
    [
        _HEXS[i >> 12]
        | _HEXS[(i >> 8) & 15] << 8
        | _HEXS[(i >> 4) & 15] << 16
        | _HEXS[i & 15] << 24
        for i in range(65536)
    ],
    dtype=np.uint32,
)


def _hex_chars(x: np.ndarray) -> np.ndarray:
    """uint64 -> (n, 16) ASCII hex digits (big-endian), via a 65 536-entry table."""
    chunks = np.asarray(x, dtype=np.uint64).astype(">u8").view(">u2").reshape(-1, 4)
    return np.take(_HEX4, chunks).view(np.uint8).reshape(-1, 16)


def strings_from_chars(chars: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """(n, w) uint8 ASCII -> Arrow large_string array, without a Python loop."""
    n, w = chars.shape
    offsets = np.arange(0, (n + 1) * w, w, dtype=np.int64)
    arr = pa.Array.from_buffers(
        pa.large_string(),
        n,
        [None, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(chars).ravel())],
    )
    if mask is not None and mask.any():
        arr = pa.compute.if_else(pa.array(mask), pa.nulls(n, pa.large_string()), arr)
    return arr


def uuids(k: np.ndarray, seed: int) -> pa.Array:
    """UUID-v4-looking strings from unique uint64 keys (distinct keys give distinct ids)."""
    k = np.asarray(k, dtype=np.uint64)
    s = np.uint64(int(seed) % (1 << 64))
    hi = mix64(k ^ mix64(np.array([s]))[0])
    lo = mix64(hi ^ _GOLD)
    h = np.concatenate([_hex_chars(hi), _hex_chars(lo)], axis=1)  # (n, 32)
    h[:, 12] = ord("4")
    h[:, 16] = _HEX[8 + (lo & np.uint64(3)).astype(np.intp)]
    out = np.empty((len(k), 36), dtype=np.uint8)
    dash = ord("-")
    out[:, 0:8] = h[:, 0:8]
    out[:, 8] = dash
    out[:, 9:13] = h[:, 8:12]
    out[:, 13] = dash
    out[:, 14:18] = h[:, 12:16]
    out[:, 18] = dash
    out[:, 19:23] = h[:, 16:20]
    out[:, 23] = dash
    out[:, 24:36] = h[:, 20:32]
    return strings_from_chars(out)


def person_ids(k: np.ndarray, seed: int) -> pa.Array:
    """Pseudonymous person ids: 'p' + 15 hex digits of a seeded mix of the person key."""
    s = np.uint64(int(seed) % (1 << 64))
    h = _hex_chars(mix64(np.asarray(k, dtype=np.uint64) ^ mix64(np.array([s ^ _GOLD]))[0]))
    out = np.empty((len(k), 16), dtype=np.uint8)
    out[:, 0] = ord("p")
    out[:, 1:] = h[:, 1:]
    return strings_from_chars(out)


def categorical(codes: np.ndarray, labels: list[str], mask: np.ndarray | None = None) -> pa.Array:
    """Integer codes into `labels` -> dictionary-encoded Arrow strings (code < 0 = null)."""
    codes = np.asarray(codes, dtype=np.int32)
    null = codes < 0 if mask is None else (mask | (codes < 0))
    idx = pa.array(np.where(null, 0, codes), mask=null if null.any() else None, type=pa.int32())
    return pa.DictionaryArray.from_arrays(idx, pa.array(labels, type=pa.string()))


def dates(days: np.ndarray) -> pa.Array:
    days = np.asarray(days, dtype=np.int64)
    null = days == NULL
    return pa.array(
        np.where(null, 0, days).astype(np.int32),
        type=pa.date32(),
        mask=null if null.any() else None,
    )


def stamps(us: np.ndarray) -> pa.Array:
    us = np.asarray(us, dtype=np.int64)
    null = us == NULL
    return pa.array(
        np.where(null, 0, us), type=pa.timestamp("us"), mask=null if null.any() else None
    )


def stamp_at(
    days: np.ndarray, u_time: np.ndarray, u_fault: np.ndarray, night_rate: float
) -> np.ndarray:
    """A naive UTC timestamp on each day: office hours (06–15 UTC), or at a low rate a
    late-evening time 22:30–23:59 UTC the evening before (already the day itself in Oslo
    in summer, and close to midnight all year)."""
    days = np.asarray(days, dtype=np.int64)
    office = days * US_DAY + 6 * US_HOUR + (u_time * 9 * US_HOUR).astype(np.int64)
    night = (
        (days - 1) * US_DAY + 22 * US_HOUR + 30 * US_MIN + (u_time * 89 * US_MIN).astype(np.int64)
    )
    return np.where(u_fault < night_rate, night, office)


def strs(values: list[str | None]) -> pa.Array:
    return pa.array(values, type=pa.string())
