"""Synthetic person identities for `generate --form kilder`: fødselsnummer, D-nummer, aktør-id.

The kontrakt world has one pseudonymous `person_id` per person. The real sources key people by
fødselsnummer and aktør-id instead, so the kilder form gives every person those, bijectively:

- Persons are numbered densely in the order they first appear (`Identer.add`, called once per
  cohort chunk; the chunk order is fixed, so the numbering is deterministic).
- Number → fødselsnummer: a birth date (1950–2008) and a rank among the individnummer that are
  valid for that date (century ranges, both mod-11 control digits), so two persons never get the
  same number. The month carries +80, the marker of Skatteetaten's synthetic identities: a
  generated number can never be a real person's fødselsnummer.
- Number → aktør-id: 13 digits, `1000` + a permutation of the number.
- About 1 % of persons changed ident (`IDENTBYTTE_RATE`) on a day between 2019 and 2026: 80 %
  from a D-nummer (day + 40) to a fødselsnummer, 20 % from an older fødselsnummer; 30 % of them
  also had an older aktør-id (two identities merged). Source rows written before the change carry
  the old ident (`ident_at`, `aktor_at`); PDL lists it with `historisk = true` (`identer_rows`).
  A person whose change lies after `--until` still has the old ident only.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrikk.generate.tiltak.util import (
    NULL,
    US_DAY,
    US_HOUR,
    day,
    hash_u,
    strings_from_chars,
)

IDENTBYTTE_RATE = 0.01
DNR_SHARE = (
    0.8  # of the ident changes: D-nummer → fødselsnummer (else fødselsnummer → fødselsnummer)
)
AKTORBYTTE_SHARE = 0.3  # of the ident changes: the person also had an older aktør-id
IDENTBYTTE_FROM = dt.date(2019, 1, 1)
IDENTBYTTE_TO = dt.date(2026, 12, 31)

BIRTH_FROM = day(dt.date(1950, 1, 1))
BIRTH_TO = day(dt.date(2008, 12, 31))
N_DATES = BIRTH_TO - BIRTH_FROM + 1
_DATE_STEP = 7919  # prime, coprime with N_DATES: consecutive persons get spread-out birth dates
_AKTOR_STEP = 387_420_489  # 3**18, coprime with 10**9
_SYNTHETIC_MONTH = 80  # Skatteetaten's synthetic identities: month + 80
_DNR_DAY = 40  # D-nummer: day + 40

_W1_DATE = np.array([3, 7, 6, 1, 8, 9])
_W2_DATE = np.array([5, 4, 3, 2, 7, 6])


@cache
def _valid_individnummer() -> tuple[np.ndarray, np.ndarray]:
    """The valid individnummer, ascending, per (century class, date sum mod 11 for the first
    control digit, date sum mod 11 for the second): a (2, 11, 11, 600) array padded with -1 and
    the count per cell. Class 0: born 1900–1999 (000–499, 900–999); class 1: 2000– (500–999)."""
    i = np.arange(1000)
    i1, i2, i3 = i // 100, i // 10 % 10, i % 10
    a = 4 * i1 + 5 * i2 + 2 * i3
    b = 5 * i1 + 4 * i2 + 3 * i3
    allowed = [(i < 500) | (i >= 900), i >= 500]
    table = np.full((2, 11, 11, 600), -1, dtype=np.int64)
    count = np.zeros((2, 11, 11), dtype=np.int64)
    for cls in range(2):
        for s1 in range(11):
            k1 = (11 - (s1 + a) % 11) % 11
            for s2 in range(11):
                k2 = (11 - (s2 + b + 2 * k1) % 11) % 11
                ok = np.flatnonzero(allowed[cls] & (k1 != 10) & (k2 != 10))
                table[cls, s1, s2, : len(ok)] = ok
                count[cls, s1, s2] = len(ok)
    return table, count


def _number(days: np.ndarray, rank: np.ndarray, from_top: bool, day_add: int) -> np.ndarray:
    """11-digit numbers (int64) for birth days and ranks among that date's valid individnummer
    (`from_top`: counted from the highest); day + `day_add` (40 for a D-nummer)."""
    table, count = _valid_individnummer()
    d64 = days.astype("datetime64[D]")
    year = d64.astype("datetime64[Y]").astype(np.int64) + 1970
    month = d64.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dd = (d64 - d64.astype("datetime64[M]")).astype(np.int64) + 1 + day_add
    mm = month + _SYNTHETIC_MONTH
    yy = year % 100
    digits = np.stack([dd // 10, dd % 10, mm // 10, mm % 10, yy // 10, yy % 10], axis=1)
    s1 = (digits @ _W1_DATE) % 11
    s2 = (digits @ _W2_DATE) % 11
    cls = (year >= 2000).astype(np.int64)
    n = count[cls, s1, s2]
    r = np.where(from_top, n - 1 - rank, rank)
    if len(r) and ((r < 0) | (r >= n)).any():
        raise RuntimeError("For mange personer for de syntetiske fødselsnumrene.")
    ind = table[cls, s1, s2, r]
    i1, i2, i3 = ind // 100, ind // 10 % 10, ind % 10
    k1 = (11 - (s1 + 4 * i1 + 5 * i2 + 2 * i3) % 11) % 11
    k2 = (11 - (s2 + 5 * i1 + 4 * i2 + 3 * i3 + 2 * k1) % 11) % 11
    ddmmyy = dd * 10_000 + mm * 100 + yy
    return (ddmmyy * 1000 + ind) * 100 + k1 * 10 + k2


def _birth(c: np.ndarray, offset: int) -> tuple[np.ndarray, np.ndarray]:
    """Dense number → (birth day, rank): a bijection onto (date, rank) pairs."""
    return BIRTH_FROM + (c * _DATE_STEP + offset) % N_DATES, c // N_DATES


def digit_strings(values: np.ndarray, width: int) -> pa.Array:
    """Non-negative int64 values as zero-padded decimal strings of `width` digits."""
    v = np.asarray(values, dtype=np.int64).copy()
    chars = np.empty((len(v), width), dtype=np.uint8)
    for pos in range(width - 1, -1, -1):
        chars[:, pos] = ord("0") + v % 10
        v //= 10
    return strings_from_chars(chars)


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    """np.unique by sorting (numpy's hash-based unique is slow for uint64 keys)."""
    s = np.sort(x)
    return s[np.r_[True, s[1:] != s[:-1]]] if len(s) else s


class Identer:
    """Every kontrakt person's idents: registry by person key (uint64), in first-seen order."""

    def __init__(self, seed: int, until_end: int):
        self.seed = seed
        self.until_end = until_end
        self._off = int(hash_u(np.array([seed], dtype=np.uint64), "identer")[0] * N_DATES)
        self._off_old = int(hash_u(np.array([seed], dtype=np.uint64), "identer_gamle")[0] * N_DATES)
        self._aktor_off = int(hash_u(np.array([seed], dtype=np.uint64), "aktor")[0] * 10**9)
        self.keys = np.empty(0, dtype=np.uint64)
        cols = ("fnr_before", "fnr_after", "aktor_before", "aktor_after", "change")
        self.col = {c: np.empty(0, dtype=np.int64) for c in cols}
        self._n_old_fnr = 0
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, keys: np.ndarray) -> None:
        """Register the persons among `keys` not seen before (numbered in ascending key order)."""
        new = _sorted_unique(np.asarray(keys, dtype=np.uint64))
        if len(self.keys) and len(new):
            sk, _ = self._index()
            i = np.minimum(np.searchsorted(sk, new), len(sk) - 1)
            new = new[sk[i] != new]
        if not len(new):
            return
        c = len(self.keys) + np.arange(len(new), dtype=np.int64)
        bday, rank = _birth(c, self._off)
        fnr = _number(bday, rank, False, 0)
        changer = hash_u(new, "identbytte") < IDENTBYTTE_RATE
        dnr = changer & (hash_u(new, "identbytte_dnr") < DNR_SHARE)
        old_fnr = changer & ~dnr
        before = fnr.copy()
        before[dnr] = _number(bday[dnr], rank[dnr], False, _DNR_DAY)
        # an older fødselsnummer: its own dense numbering, ranked from the top of another date
        q = self._n_old_fnr + np.arange(int(old_fnr.sum()), dtype=np.int64)
        self._n_old_fnr += len(q)
        qday, qrank = _birth(q, self._off_old)
        before[old_fnr] = _number(qday, qrank, True, 0)
        span = day(IDENTBYTTE_TO) - day(IDENTBYTTE_FROM) + 1
        change_day = day(IDENTBYTTE_FROM) + (hash_u(new, "identbytte_dag") * span).astype(np.int64)
        change = (
            change_day * US_DAY
            + 7 * US_HOUR
            + (hash_u(new, "identbytte_tid") * 8 * US_HOUR).astype(np.int64)
        )
        change = np.where(changer, change, NULL)
        aktor = 1_000_000_000_000 + (c * _AKTOR_STEP + self._aktor_off) % 10**9
        aktor_old = 1_001_000_000_000 + (c * _AKTOR_STEP + self._aktor_off) % 10**9
        aktor_changer = changer & (hash_u(new, "aktorbytte") < AKTORBYTTE_SHARE)
        for name, values in (
            ("fnr_before", before),
            ("fnr_after", fnr),
            ("aktor_before", np.where(aktor_changer, aktor_old, aktor)),
            ("aktor_after", aktor),
            ("change", change),
        ):
            self.col[name] = np.concatenate([self.col[name], values])
        self.keys = np.concatenate([self.keys, new])
        self._sorted = None

    def _index(self) -> tuple[np.ndarray, np.ndarray]:
        if self._sorted is None:
            o = np.argsort(self.keys, kind="stable")
            self._sorted = (self.keys[o], o)
        return self._sorted

    def _pos(self, keys: np.ndarray) -> np.ndarray:
        sk, o = self._index()
        keys = np.asarray(keys, dtype=np.uint64)
        i = np.minimum(np.searchsorted(sk, keys), max(len(sk) - 1, 0))
        if len(keys) and not (sk[i] == keys).all():
            raise KeyError("person uten identer")
        return o[i]

    def _at(self, keys: np.ndarray, t: np.ndarray, what: str) -> np.ndarray:
        p = self._pos(keys)
        ch = self.col["change"][p]
        after = (ch != NULL) & (np.asarray(t) >= ch)
        return np.where(after, self.col[f"{what}_after"][p], self.col[f"{what}_before"][p])

    def ident_at(self, keys: np.ndarray, t: np.ndarray) -> np.ndarray:
        """The folkeregisterident a source wrote at time t (µs UTC)."""
        return self._at(keys, t, "fnr")

    def aktor_at(self, keys: np.ndarray, t: np.ndarray) -> np.ndarray:
        """The aktør-id a source wrote at time t (µs UTC)."""
        return self._at(keys, t, "aktor")

    def current_ident(self, keys: np.ndarray) -> np.ndarray:
        return self.ident_at(keys, np.full(len(keys), self.until_end - 1))

    def changed_after(self, keys: np.ndarray, t: int) -> np.ndarray:
        """True for persons whose ident changed at or after t and before the end of --until."""
        ch = self.col["change"][self._pos(keys)]
        return (ch != NULL) & (ch >= t) & (ch < self.until_end)

    def identer_rows(self) -> dict[str, pa.Array]:
        """kilde_pdl.identer: every person's current and historic idents, grouped by the current
        aktør-id (as PDL's hentIdenter lists them)."""
        ch = self.col["change"]
        changed = (ch != NULL) & (ch < self.until_end)
        aktor_now = np.where(changed, self.col["aktor_after"], self.col["aktor_before"])
        fnr_now = np.where(changed, self.col["fnr_after"], self.col["fnr_before"])
        old_aktor = changed & (self.col["aktor_before"] != self.col["aktor_after"])
        n = len(self.keys)
        # per person: current fnr, current aktør-id, then the historic ones
        parts = [
            (np.arange(n), fnr_now, 0, False),
            (np.arange(n), aktor_now, 1, False),
            (np.flatnonzero(changed), self.col["fnr_before"][changed], 0, True),
            (np.flatnonzero(old_aktor), self.col["aktor_before"][old_aktor], 1, True),
        ]
        person = np.concatenate([p[0] for p in parts])
        ident = np.concatenate([p[1] for p in parts])
        gruppe = np.concatenate([np.full(len(p[0]), p[2]) for p in parts])
        hist = np.concatenate([np.full(len(p[0]), p[3]) for p in parts])
        o = np.lexsort((hist, gruppe, person))
        person, ident, gruppe, hist = person[o], ident[o], gruppe[o], hist[o]
        fnr_s = digit_strings(np.where(gruppe == 0, ident, 0), 11)
        aktor_s = digit_strings(np.where(gruppe == 1, ident, 0), 13)
        ident_str = pc.if_else(pa.array(gruppe == 0), fnr_s, aktor_s)
        # by construction no two persons share an ident; checked, since a collision would merge them
        if len(_sorted_unique(ident)) != len(ident):
            raise RuntimeError("To personer fikk samme syntetiske ident.")
        return {
            "aktor_id": digit_strings(aktor_now[person], 13),
            "ident": ident_str,
            "gruppe": pa.DictionaryArray.from_arrays(
                pa.array(gruppe.astype(np.int32)), pa.array(["FOLKEREGISTERIDENT", "AKTORID"])
            ),
            "historisk": pa.array(hist),
        }
