"""`generate --domain tiltak --form kilder`: the same synthetic world in NAV's own source shapes.

`generate` builds the contract-shaped tables exactly as `--form kontrakt` does and hands them,
chunk by chunk, to a writer. `KilderWriter` is that writer for the kilder form: instead of
writing `tiltak_bronze` it transforms each table in memory into the raw source tables declared
in `pipeline/kilder.yaml` (one DuckDB schema per source, `datasett`), adding the quirks of the
real sources that the source layer (`tiltak_kilde`) must undo. So the world is the same by
construction; see docs/generate-tiltak.md, "The kilder form", for every quirk and why.

Ids that both shapes share keep their value (deltaker, status, gjennomføring, avtale); persons
become fødselsnummer and aktør-id (`identer.py`); §14a vedtak become behandlinger with integer
ids; Team Tiltak events become Kafka records. Every random choice is a hash of the row's key,
and running numbers (behandling_id, sekvensnummer, kontorhistorikk id, Kafka offsets) follow the
fixed chunk order, so the same seed gives the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from metrikk import catalog, warehouse
from metrikk.generate.tiltak import reference as ref
from metrikk.generate.tiltak.identer import Identer, digit_strings
from metrikk.generate.tiltak.structure import Units
from metrikk.generate.tiltak.util import (
    NULL,
    US_DAY,
    US_HOUR,
    US_MIN,
    categorical,
    dates,
    day,
    hash_u,
    key,
    mix64,
    stamps,
    uuids,
)

KILDER_YAML = catalog.PIPELINE_DIR / "kilder.yaml"
# kilder.yaml's BigQuery types in DuckDB; DATETIME (no time zone) holds Oslo wall-clock time.
DUCKDB_TYPES = {**catalog.DUCKDB_TYPES, "DATETIME": "TIMESTAMP"}
OSLO = "Europe/Oslo"

# Office-maintained files stay in tiltak_bronze (no NAV system holds them).
OFFICE_FILES = ("avdeling_veiledergruppe", "tiltaksgruppe")
# Tables read off one cohort chunk of people; transformed together when the chunk ends.
CHUNK_TABLES = (
    "deltaker",
    "deltaker_status",
    "arbeidsgiver_avtale_hendelse",
    "vedtak_14a",
    "oppfolgingsperiode",
    "oppfolgingskontor_historikk",
)

# Komet moved its deltakere from amt-tiltak to amt-deltaker at this instant (synthetic choice):
# registered before it, Komet-mastered deltakere (and a quarter of the Arena ones still changing
# after it) are in both generations, the amt-tiltak copy frozen at the move.
KOMET_FLYTT = dt.datetime(2024, 6, 3, 5, 0)  # UTC
KOMET_FLYTT_US = (KOMET_FLYTT - dt.datetime(1970, 1, 1)) // dt.timedelta(microseconds=1)
ARENA_IMPORT_SHARE = 0.25

VEDTAK_RESEND_RATE = 0.03  # FATTET rows sent twice to the DVH table
VEDTAK_UB_RESEND_RATE = 0.01
VEDTAK_UTEN_FERDIGBEHANDLET = 0.02  # FATTET rows without ferdigbehandlet_tid (fallback endret_tid)
AVBRUTT_RATE = 0.02  # an aborted revurdering after this share of vedtak
KODE6_RATE = 0.005  # persons with strengt fortrolig adresse: ansvarlig_enhet '-5'
AVTALE_DUPLICATE_RATE = 0.01  # Kafka at-least-once: the same record delivered twice
KAFKA_PARTITIONS = 3
ARENA_KONTOR_AVVIK = 0.12  # ARENA kontor rows naming another office than the AO row

ERA_V2 = day(ref.ERA_NEW_NAMES) * US_DAY
V2_TO_V1 = dict(zip(ref.INNSATS_NEW, ref.INNSATS_OLD, strict=True))
V1_TO_V2 = dict(zip(ref.INNSATS_OLD, ref.INNSATS_NEW, strict=True))
INNSATS_CLASS = {
    **{x: i for i, x in enumerate(ref.INNSATS_NEW)},
    **{x: i for i, x in enumerate(ref.INNSATS_OLD)},
    "IKVAL": 0,
    "BFORM": 1,
    "BATT": 2,
    "VARIG": 4,
}
KVALITETSSIKRES = {
    "JOBBE_DELVIS",
    "LITEN_MULIGHET_TIL_A_JOBBE",
    "GRADERT_VARIG_TILPASSET_INNSATS",
    "VARIG_TILPASSET_INNSATS",
    "VARIG",
}
START_BEGRUNNELSE = [
    "ARBEIDSSOKER_REGISTRERING",
    "MANUELL_REGISTRERING_VEILEDER",
    "SYKEMELDT_MER_OPPFOLGING",
    "ARENA_SYNC_ARBS",
    "REAKTIVERT_OPPFOLGING",
]

# Fake content of the AvtaleMelding fields metrikk must never read (names, phones, free text).
FORNAVN = ["Kari", "Ola", "Ingrid", "Jonas", "Nora", "Emil", "Sofie", "Aksel", "Maja", "Lars"]
ETTERNAVN = ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Berg"]
BEDRIFTER = [
    "Sandvika Bakeri AS",
    "Fornebu Lager AS",
    "Bekkestua Kafé AS",
    "Stabekk Bygg AS",
    "Høvik Barnehage AS",
    "Lysaker Renhold AS",
    "Kolsås Dagligvare AS",
]
ARBEIDSOPPGAVER = [
    "Varemottak og påfylling av hyller",
    "Enkle kjøkkenoppgaver og oppvask",
    "Kundebehandling i kassen",
    "Rydding og vedlikehold av uteområdet",
]
ANNULLERT_GRUNN = ["Feilregistrering", "Begynt i arbeid", "Fått tilbud om annet tiltak", "Annet"]


# --- kilder.yaml ----------------------------------------------------------------------------


@cache
def raw_tables() -> dict[tuple[str, str], tuple[str, str, dict[str, str]]]:
    """Every raw source table of kilder.yaml: (source, table) -> (schema, table, columns)."""
    doc = yaml.safe_load(KILDER_YAML.read_text(encoding="utf-8"))
    out: dict[tuple[str, str], tuple[str, str, dict[str, str]]] = {}
    for source, entry in doc.items():
        for table, columns in entry["tabeller"].items():
            cols = {str(c): str(t).upper() for c, t in columns.items()}
            out[(source, table)] = (entry["datasett"], table, cols)
    return out


# --- small vectorised helpers -----------------------------------------------------------------

_L = pa.large_string()
_HEXVAL = np.zeros(256, dtype=np.uint64)
for _i, _c in enumerate(b"0123456789abcdef"):
    _HEXVAL[_c] = _i
    _HEXVAL[ord(chr(_c).upper())] = _i


def _plain(arr: pa.Array) -> pa.Array:
    """A column as large_string (dictionary columns decoded)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pc.cast(arr, _L)


def _chars(arr: pa.Array) -> np.ndarray:
    """(n, width) ASCII bytes of a string column whose values all have the same width."""
    arr = _plain(arr)
    n = len(arr)
    if n == 0:
        return np.empty((0, 0), dtype=np.uint8)
    bufs = arr.buffers()
    offs = np.frombuffer(bufs[1], dtype=np.int64)[arr.offset : arr.offset + n + 1]
    width = int(offs[1] - offs[0])
    if arr.null_count or not (np.diff(offs) == width).all():
        raise ValueError("ids of unequal width")
    return np.frombuffer(bufs[2], dtype=np.uint8)[offs[0] : offs[-1]].reshape(n, width)


def _keys(arr: pa.Array) -> np.ndarray:
    """A uint64 key per id: a person_id ('p' + 15 hex digits) or a UUID (its first 16 hex
    digits). Used for hashing and derived ids; the ids themselves were unique keys' mixes."""
    ch = _chars(arr)
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


def _i64(arr: pa.Array) -> np.ndarray:
    """A timestamp (µs), date (days) or integer column as int64, nulls as NULL."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_date32(arr.type):
        arr = arr.cast(pa.int32())
    return pc.fill_null(arr.cast(pa.int64()), NULL).to_numpy(zero_copy_only=False)


def _codes(arr: pa.Array) -> tuple[np.ndarray, list[str]]:
    """A string column as (codes, labels); null = -1."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_encode()
    idx = pc.fill_null(arr.indices.cast(pa.int64()), -1).to_numpy(zero_copy_only=False)
    return idx, [str(x) for x in arr.dictionary.to_pylist()]


def _take(arr: pa.Array, idx: np.ndarray) -> pa.Array:
    return arr.take(pa.array(np.asarray(idx, dtype=np.int64)))


def _wall(us: np.ndarray) -> pa.Array:
    """UTC instants (µs) as Oslo wall-clock time without zone (BigQuery DATETIME)."""
    us = np.asarray(us, dtype=np.int64)
    null = us == NULL
    utc = pa.array(
        np.where(null, 0, us),
        type=pa.timestamp("us", tz=OSLO),
        mask=null if null.any() else None,
    )
    return pc.local_timestamp(utc)


def _pick(labels: list[str], u: np.ndarray) -> pa.Array:
    return categorical(np.minimum((u * len(labels)).astype(np.int64), len(labels) - 1), labels)


def _asof(lk: np.ndarray, lt: np.ndarray, rk: np.ndarray, rt: np.ndarray) -> np.ndarray:
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


def _ms_after(k: np.ndarray, salt: str, lo_ms: int, hi_ms: int) -> np.ndarray:
    return ((lo_ms + hash_u(k, salt) * (hi_ms - lo_ms)) * 1000).astype(np.int64)


# --- JSON (AvtaleMelding) -------------------------------------------------------------------


def _lit(text: str) -> pa.Scalar:
    return pa.scalar(text, _L)


def _jstr(arr: pa.Array) -> pa.Array:
    """A JSON string value, or null. The values come from fixed lists without quotes or
    backslashes, so they need no escaping (a test parses every record)."""
    arr = _plain(arr)
    quoted = pc.binary_join_element_wise(_lit('"'), arr, _lit('"'), _lit(""))
    return pc.if_else(pc.is_null(arr), _lit("null"), quoted) if arr.null_count else quoted


def _jraw(arr: pa.Array) -> pa.Array:
    """A JSON number or boolean, or null."""
    arr = _plain(arr)
    return pc.if_else(pc.is_null(arr), _lit("null"), arr)


def _json_objects(fields: list[tuple[str, pa.Array]]) -> pa.Array:
    """Compact JSON objects (as Jackson writes them) from (name, encoded value) columns."""
    parts: list = []
    for i, (name, value) in enumerate(fields):
        parts.append(_lit(("{" if i == 0 else ",") + f'"{name}":'))
        parts.append(value)
    parts.append(_lit("}"))
    return pc.binary_join_element_wise(*parts, _lit(""))


def _put(out: np.ndarray, pos: int, values: np.ndarray, width: int) -> None:
    for k in range(width):
        out[:, pos + width - 1 - k] = ord("0") + values // 10**k % 10


def _iso_chars(us: np.ndarray, extra: int = 0) -> np.ndarray:
    """(n, 26 + extra) ASCII 'YYYY-MM-DDTHH:MM:SS.ffffff' of µs timestamps (no nulls)."""
    us = np.asarray(us, dtype=np.int64)
    days = us // US_DAY
    tod = us - days * US_DAY
    d64 = days.astype("datetime64[D]")
    out = np.zeros((len(us), 26 + extra), dtype=np.uint8)
    _put(out, 0, d64.astype("datetime64[Y]").astype(np.int64) + 1970, 4)
    _put(out, 5, d64.astype("datetime64[M]").astype(np.int64) % 12 + 1, 2)
    _put(out, 8, (d64 - d64.astype("datetime64[M]")).astype(np.int64) + 1, 2)
    _put(out, 11, tod // US_HOUR, 2)
    _put(out, 14, tod // US_MIN % 60, 2)
    _put(out, 17, tod // 1_000_000 % 60, 2)
    _put(out, 20, tod % 1_000_000, 6)
    for pos, ch in ((4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, ".")):
        out[:, pos] = ord(ch)
    return out


def _var_strings(
    chars: np.ndarray, lengths: np.ndarray, mask: np.ndarray | None = None
) -> pa.Array:
    """Rows of a (n, w) ASCII array cut to per-row lengths -> Arrow large_string array."""
    n, w = chars.shape
    keep = np.arange(w)[None, :] < lengths[:, None]
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    data = np.ascontiguousarray(chars[keep])
    arr = pa.Array.from_buffers(_L, n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])
    if mask is not None and mask.any():
        arr = pc.if_else(pa.array(mask), pa.nulls(n, _L), arr)
    return arr


def _instant_text(us: np.ndarray) -> pa.Array:
    """java.time.Instant.toString(): UTC, 'Z', the fraction in groups of three digits."""
    us = np.asarray(us, dtype=np.int64)
    micro = us % 1_000_000
    length = np.where(micro == 0, 19, np.where(micro % 1000 == 0, 23, 26))
    chars = _iso_chars(us, extra=1)
    chars[np.arange(len(us)), length] = ord("Z")
    return _var_strings(chars, length + 1)


def _local_text(us: np.ndarray) -> pa.Array:
    """A LocalDateTime as Jackson writes it (ISO_LOCAL_DATE_TIME): Oslo wall-clock time, no
    offset, the fraction without trailing zeros (and without the point when it is zero)."""
    local = _i64(_wall(us))
    f = local % 1_000_000
    zeros = sum((f % 10**k == 0).astype(np.int64) for k in range(1, 6))
    return _var_strings(_iso_chars(local), np.where(f == 0, 19, 26 - zeros))


def _date_text(arr: pa.Array) -> pa.Array:
    """A date column as 'YYYY-MM-DD' (LocalDate), nulls kept."""
    days = _i64(arr)
    null = days == NULL
    chars = _iso_chars(np.where(null, 0, days) * US_DAY)
    return _var_strings(chars, np.full(len(days), 10), mask=null)


# --- the writer -----------------------------------------------------------------------------


class KilderWriter:
    """Receives the contract-shaped tables and writes the raw source tables of kilder.yaml."""

    def __init__(
        self,
        con,
        progress: Callable[[str, int, int], None] | None,
        *,
        seed: int,
        units: Units,
        until_d: int,
        until_end: int,
    ):
        self.con = con
        self.progress = progress
        self.done = 0
        self.total = 0
        self.seed = seed
        self.units = units
        self.until_d = until_d
        self.until_end = until_end
        self.ids = Identer(seed, until_end)
        self.rows: dict[str, int] = {}
        self.bronze_rows: dict[str, int] = {}
        self.replaced_bronze: list[str] = []
        self.chunk: dict[str, dict[str, pa.Array]] = {}
        self.counters = {"behandling": 0, "sekvens": 0, "kontor": 0, "avtalenr": 0}
        self.offsets = np.zeros(KAFKA_PARTITIONS, dtype=np.int64)

    # receiving -------------------------------------------------------------------------------

    def __call__(self, table: str, columns: dict[str, pa.Array]) -> None:
        if table in OFFICE_FILES:
            name = f"tiltak_bronze.{table}"
            self.bronze_rows[name] = warehouse.write_landing(
                self.con, catalog.landing_table(name), pa.table(columns), syntetisk=True
            )
        else:
            if table not in self.replaced_bronze:
                self.replaced_bronze.append(table)
            if table in CHUNK_TABLES:
                self.chunk[table] = columns
            elif table == "gjennomforing":
                self._gjennomforing(columns)
            elif table == "gjennomforing_nav_enhet":
                self._write("valp", "gjennomforing_nav_enhet_view", columns)
            elif table == "tiltakstype":
                self._write("valp", "tiltakstype_view", columns)
            elif table == "nav_enhet":
                self._norg2(columns)
            elif table == "veiledergruppe_snapshot":
                self._write("veilarbfilter", "veiledergruppe_snapshot", columns)
            elif table == "veileder_tilordning":
                self._tilordninger(columns)
            else:
                raise ValueError(f"no kilder form for tiltak_bronze.{table}")
        self.done += 1
        if self.progress is not None:
            self.progress(f"tiltak_bronze.{table} → kilder", self.done, self.total)

    def end_chunk(self) -> None:
        """One cohort chunk is complete: its persons get idents, its tables become raw rows."""
        b, self.chunk = self.chunk, {}
        if not b:
            return
        self.ids.add(
            np.concatenate(
                [
                    _keys(b["deltaker"]["person_id"]),
                    _keys(b["arbeidsgiver_avtale_hendelse"]["person_id"]),
                    _keys(b["vedtak_14a"]["person_id"]),
                    _keys(b["oppfolgingsperiode"]["person_id"]),
                    _keys(b["oppfolgingskontor_historikk"]["person_id"]),
                ]
            )
        )
        self._komet(b.pop("deltaker"), b.pop("deltaker_status"))
        self._avtaler(b.pop("arbeidsgiver_avtale_hendelse"))
        per = self._perioder(b.pop("oppfolgingsperiode"))
        self._vedtak(b.pop("vedtak_14a"), per)
        self._kontor(b.pop("oppfolgingskontor_historikk"), per)
        pa.default_memory_pool().release_unused()

    def finish(self) -> dict[str, int]:
        """PDL identer, empty tables for sources without rows, and the replaced bronze tables
        emptied (so no earlier world stays there); returns rows per written table."""
        self.end_chunk()
        self._write("pdl", "identer", self.ids.identer_rows())
        for (source, table), (schema, name, _) in raw_tables().items():
            if f"{schema}.{name}" not in self.rows:
                self._create(source, table)
            self._record(schema, name)
        for table in self.replaced_bronze:
            name = f"tiltak_bronze.{table}"
            t = catalog.landing_table(name)
            self.con.execute(f"DELETE FROM {warehouse.qualified(t.schema, t.table)}")
            warehouse.record_datasett(self.con, t, syntetisk=True)
        ordered = {f"{s}.{n}": self.rows[f"{s}.{n}"] for s, n, _ in raw_tables().values()}
        return {**ordered, **self.bronze_rows}

    # writing ---------------------------------------------------------------------------------

    def _create(self, source: str, table: str) -> None:
        schema, name, cols = raw_tables()[(source, table)]
        q = warehouse.quote
        ddl = ", ".join(f"{q(c)} {DUCKDB_TYPES[t]}" for c, t in cols.items())
        self.con.execute(f"CREATE SCHEMA IF NOT EXISTS {q(schema)}")
        self.con.execute(f"CREATE OR REPLACE TABLE {warehouse.qualified(schema, name)} ({ddl})")

    def _record(self, schema: str, name: str) -> None:
        t = catalog.LandingTable(schema, name, "", ())
        self.rows[f"{schema}.{name}"] = warehouse.record_datasett(self.con, t, syntetisk=True)

    def _write(self, source: str, table: str, columns: dict[str, pa.Array]) -> None:
        """Append rows to one raw table (created, replacing an older one, on its first write)."""
        schema, name, cols = raw_tables()[(source, table)]
        if list(columns) != list(cols):
            raise AssertionError(f"{schema}.{name}: {list(columns)} != kilder.yaml {list(cols)}")
        if f"{schema}.{name}" not in self.rows:
            self._create(source, table)
        q = warehouse.quote
        select = ", ".join(f"CAST({q(c)} AS {DUCKDB_TYPES[t]})" for c, t in cols.items())
        self.con.register("_metrikk_kilde", pa.table(columns))
        try:
            self.con.execute(
                f"INSERT INTO {warehouse.qualified(schema, name)} SELECT {select} FROM _metrikk_kilde"
            )
        finally:
            self.con.unregister("_metrikk_kilde")
        self.rows.setdefault(f"{schema}.{name}", 0)

    def _next(self, counter: str, n: int) -> np.ndarray:
        start = self.counters[counter]
        self.counters[counter] = start + n
        return start + np.arange(n, dtype=np.int64)

    # Valp, Norg2 -----------------------------------------------------------------------------

    def _gjennomforing(self, g: dict[str, pa.Array]) -> None:
        view = (
            "id",
            "tiltakstype_id",
            "avtale_id",
            "tiltaksnummer",
            "start_dato",
            "slutt_dato",
            "status",
            "opprettet_tidspunkt",
            "oppdatert_tidspunkt",
            "avsluttet_tidspunkt",
        )
        self._write("valp", "gjennomforing_view", {c: g[c] for c in view})
        self._write(
            "valp",
            "public_gjennomforing",
            {c: g[c] for c in ("id", "navn", "antall_plasser", "oppstart")},
        )

    def _norg2(self, e: dict[str, pa.Array]) -> None:
        nr = _plain(e["enhetsnummer"])
        n = len(nr)
        self._write(
            "norg2",
            "enhet",
            {
                # Norg2's own numeric id (enhetId), e.g. 100000219
                "enhet_id": pa.array(
                    100_000_000 + np.array([int(x) for x in nr.to_pylist()], dtype=np.int64)
                ),
                "navn": e["navn"],
                "enhet_nr": nr,
                "status": e["status"],
                "type": e["type"],
                "overordnet_enhet": e["overordnet_enhet"],
                "hentet_tidspunkt": stamps(
                    np.full(n, self.until_d * US_DAY + 4 * US_HOUR, dtype=np.int64)
                ),
            },
        )

    # Komet -----------------------------------------------------------------------------------

    def _komet(self, d: dict[str, pa.Array], s: dict[str, pa.Array]) -> None:
        """deltaker + deltaker_status → amt-deltaker and amt-tiltak, with the move between them."""
        seed = self.seed
        ids = _plain(d["id"])
        n = len(ids)
        if not n:
            return
        pk = _keys(d["person_id"])
        dkey = _keys(ids)
        reg = _i64(d["registrert_tidspunkt"])
        kode, klabels = _codes(d["kilde"])
        komet = kode == (klabels.index("KOMET") if "KOMET" in klabels else -2)
        s_pos = _i64(pc.index_in(_plain(s["deltaker_id"]), value_set=ids))
        opp = _i64(s["opprettet"])
        gfra = _i64(s["gyldig_fra"])
        gtil = _i64(s["gyldig_til"])
        last_opp = np.full(n, NULL)
        np.maximum.at(last_opp, s_pos, opp)
        # which generation holds which deltaker
        moved = self.until_end > KOMET_FLYTT_US
        before = reg < KOMET_FLYTT_US
        imported = ~komet & (hash_u(dkey, "arena_import") < ARENA_IMPORT_SHARE)
        imported &= last_opp >= KOMET_FLYTT_US
        both = moved & before & (komet | imported)
        in_ad = both | (moved & ~before & komet)
        in_at = both | ~in_ad
        # amt-deltaker: the master, full and current
        di = np.flatnonzero(in_ad)
        si = np.flatnonzero(in_ad[s_pos])
        o = np.lexsort((gfra, s_pos))
        nxt = np.full(len(o), -1)
        same = s_pos[o][1:] == s_pos[o][:-1]
        nxt[o[:-1][same]] = o[1:][same]
        modified = np.where(nxt >= 0, np.maximum(opp, opp[np.maximum(nxt, 0)]), opp)
        nav_bruker = uuids(key("nav_bruker", pk), seed)
        self._write(
            "amt_deltaker",
            "deltaker",
            {
                "id": _take(ids, di),
                "person_id": _take(nav_bruker, di),
                "deltakerliste_id": _take(d["gjennomforing_id"], di),
                "startdato": _take(d["start_dato"], di),
                "sluttdato": _take(d["slutt_dato"], di),
                "dager_per_uke": _take(d["dager_per_uke"], di),
                "deltakelsesprosent": _take(d["prosent_stilling"], di),
                "kilde": _take(d["kilde"], di),
                "created_at": _take(d["registrert_tidspunkt"], di),
                "modified_at": stamps(last_opp[di]),
            },
        )
        self._write(
            "amt_deltaker",
            "deltaker_status",
            {
                "id": _take(s["id"], si),
                "deltaker_id": _take(s["deltaker_id"], si),
                "type": _take(s["status"], si),
                "aarsak": _take(s["aarsak"], si),
                "gyldig_fra": _take(s["gyldig_fra"], si),
                "gyldig_til": _take(s["gyldig_til"], si),
                "created_at": _take(s["opprettet"], si),
                "modified_at": stamps(modified[si]),
            },
        )
        first = self._first_per_key(pk[di])
        self._write(
            "amt_deltaker",
            "nav_bruker",
            {
                "person_id": _take(nav_bruker, di[first]),
                "personident": digit_strings(self.ids.current_ident(pk[di[first]]), 11),
            },
        )
        # amt-tiltak: Arena-mastered deltakere, and a copy of the moved ones frozen at the move
        stale = both[s_pos]
        keep = in_at[s_pos] & (~stale | (opp < KOMET_FLYTT_US))
        last_g = np.full(n, NULL)
        np.maximum.at(last_g, s_pos, np.where(keep, gfra, NULL))
        aktiv = keep & (gfra == last_g[s_pos])
        st_code, _ = _codes(s["status"])
        cur_status = np.full(n, -1)
        cur = gtil == NULL
        cur_status[s_pos[cur]] = st_code[cur]
        frozen_status = np.full(n, -1)
        frozen_status[s_pos[aktiv]] = st_code[aktiv]
        frozen_opp = np.full(n, NULL)
        np.maximum.at(frozen_opp, s_pos, np.where(keep, opp, NULL))
        ti = np.flatnonzero(in_at)
        slutt = _i64(d["slutt_dato"])
        slutt = np.where(both & (frozen_status != cur_status), NULL, slutt)
        lag = np.where(komet, 0, (60 + hash_u(dkey, "amt_tiltak_lag") * 1740) * 1_000_000)
        bruker = uuids(key("amt_tiltak_bruker", pk), seed)
        self._write(
            "amt_tiltak",
            "deltaker",
            {
                "id": _take(ids, ti),
                "bruker_id": _take(bruker, ti),
                "gjennomforing_id": _take(d["gjennomforing_id"], ti),
                "start_dato": _take(d["start_dato"], ti),
                "slutt_dato": dates(slutt[ti]),
                "dager_per_uke": _take(d["dager_per_uke"], ti),
                "prosent_stilling": _take(d["prosent_stilling"], ti),
                "registrert_dato": _take(d["registrert_tidspunkt"], ti),
                "kilde": _take(d["kilde"], ti),
                "created_at": stamps(reg[ti] + lag[ti].astype(np.int64)),
                "modified_at": stamps(np.where(both, frozen_opp, last_opp)[ti]),
            },
        )
        ki = np.flatnonzero(keep)
        stale_ids = uuids(key("amt_tiltak_status", _keys(s["id"])), seed)
        status_id = pc.if_else(pa.array(stale), stale_ids, _plain(s["id"]))
        self._write(
            "amt_tiltak",
            "deltaker_status",
            {
                "id": _take(status_id, ki),
                "deltaker_id": _take(s["deltaker_id"], ki),
                "status": _take(s["status"], ki),
                "aarsak": _take(s["aarsak"], ki),
                "aktiv": pa.array(aktiv[ki]),
                "gyldig_fra": _take(s["gyldig_fra"], ki),
                "created_at": _take(s["opprettet"], ki),
            },
        )
        # amt-tiltak stopped following ident changes after the move: its bruker keeps the old one
        first = self._first_per_key(pk[ti])
        bp = pk[ti[first]]
        ident = np.where(
            self.ids.changed_after(bp, KOMET_FLYTT_US),
            self.ids.ident_at(bp, np.full(len(bp), KOMET_FLYTT_US)),
            self.ids.current_ident(bp),
        )
        self._write(
            "amt_tiltak",
            "bruker",
            {"id": _take(bruker, ti[first]), "person_ident": digit_strings(ident, 11)},
        )

    @staticmethod
    def _first_per_key(k: np.ndarray) -> np.ndarray:
        """Index of the first row of each distinct key, in key order."""
        o = np.argsort(k, kind="stable")
        ks = k[o]
        return o[np.r_[True, ks[1:] != ks[:-1]]] if len(o) else o

    # Team Tiltak -----------------------------------------------------------------------------

    def _avtaler(self, h: dict[str, pa.Array]) -> None:
        """arbeidsgiver_avtale_hendelse → AvtaleMelding JSON records on a Kafka topic."""
        n = len(h["avtale_id"])
        if not n:
            return
        akey = _keys(h["avtale_id"])
        pk = _keys(h["person_id"])
        ts = _i64(h["tidspunkt"])
        versjon = _i64(h["versjon"])
        ek = key("avtale_hendelse", akey, versjon)
        # per avtale: created at its first event; avtaleNr a running number in that order
        ak_sorted = np.sort(akey)
        uniq = ak_sorted[np.r_[True, ak_sorted[1:] != ak_sorted[:-1]]]
        inv = np.searchsorted(uniq, akey)
        opprettet = np.full(len(uniq), np.iinfo(np.int64).max)
        np.minimum.at(opprettet, inv, ts)
        nr = np.empty(len(uniq), dtype=np.int64)
        nr[np.lexsort((uniq, opprettet))] = 10_000 + self._next("avtalenr", len(uniq))
        ua = hash_u(akey, "melding")
        status_code, status_labels = _codes(h["avtale_status"])
        annullert = status_code == (
            status_labels.index("ANNULLERT") if "ANNULLERT" in status_labels else -2
        )
        grunn_i = np.minimum((hash_u(akey, "annullert_grunn") * 4).astype(np.int64), 3)
        grunn = categorical(np.where(annullert, grunn_i, -1), ANNULLERT_GRUNN)
        feilreg = annullert & (grunn_i == 0)
        veileder = self.units.idents
        vi = np.minimum(
            (hash_u(akey, "veileder") * len(veileder)).astype(np.int64), len(veileder) - 1
        )
        tlf = 40_000_000 + (hash_u(pk, "tlf") * 9_999_999).astype(np.int64)
        fnr = self.ids.ident_at(pk, ts)
        sist_endret = _instant_text(ts)
        # A real AvtaleMelding has about a hundred fields; these are the ones the source layer
        # reads, plus some personal ones (names, phone, free text) it must never read.
        fields = [
            ("hendelseType", _jstr(h["hendelse_type"])),
            ("avtaleStatus", _jstr(h["avtale_status"])),
            ("deltakerFnr", _jstr(digit_strings(fnr, 11))),
            (
                "bedriftNr",
                _jstr(digit_strings(900_000_000 + (ua * 99_999_999).astype(np.int64), 9)),
            ),
            ("veilederNavIdent", _jstr(categorical(vi, veileder))),
            ("tiltakstype", _jstr(h["tiltakstype"])),
            ("opprettetTidspunkt", _jstr(_take(_local_text(opprettet), inv))),
            ("avtaleId", _jstr(h["avtale_id"])),
            ("avtaleNr", _jraw(pa.array(nr[inv]))),
            ("sistEndret", _jstr(sist_endret)),
            (
                "annullertTidspunkt",
                _jstr(pc.if_else(pa.array(annullert), sist_endret, pa.nulls(n, _L))),
            ),
            ("annullertGrunn", _jstr(grunn)),
            ("slettemerket", _lit("false")),
            ("enhetGeografisk", _jstr(h["enhet_geografisk"])),
            ("enhetOppfolging", _jstr(h["enhet_oppfolging"])),
            ("feilregistrert", _jraw(pa.array(feilreg))),
            ("versjon", _jraw(h["versjon"])),
            ("deltakerFornavn", _jstr(_pick(FORNAVN, hash_u(pk, "fornavn")))),
            ("deltakerEtternavn", _jstr(_pick(ETTERNAVN, hash_u(pk, "etternavn")))),
            ("deltakerTlf", _jstr(digit_strings(tlf, 8))),
            ("bedriftNavn", _jstr(_pick(BEDRIFTER, ua))),
            ("arbeidsoppgaver", _jstr(_pick(ARBEIDSOPPGAVER, hash_u(akey, "oppgaver")))),
            ("startDato", _jstr(_date_text(h["start_dato"]))),
            ("sluttDato", _jstr(_date_text(h["slutt_dato"]))),
        ]
        value = _json_objects(fields)
        del fields
        # Kafka: partition by avtale, producer timestamp just after sistEndret; at-least-once
        # delivery repeats some records (a retry right after, or a re-publish days later)
        dup = hash_u(ek, "duplikat") < AVTALE_DUPLICATE_RATE
        later = hash_u(ek, "duplikat_senere") < 0.5
        kts = ts + _ms_after(ek, "kafka_ts", 5, 900)
        dup_i = np.flatnonzero(dup)
        dup_ts = np.where(
            later[dup_i],
            kts[dup_i]
            + (hash_u(ek[dup_i], "republisert") * 20 * US_DAY + US_HOUR).astype(np.int64),
            kts[dup_i],
        )
        ok = dup_ts < self.until_end
        dup_i, dup_ts = dup_i[ok], dup_ts[ok]
        src = np.concatenate([np.arange(n), dup_i])
        rts = np.concatenate([kts, dup_ts])
        is_dup = np.r_[np.zeros(n, dtype=bool), np.ones(len(dup_i), dtype=bool)]
        part = (mix64(akey ^ np.uint64(0x5EED)) % np.uint64(KAFKA_PARTITIONS)).astype(np.int64)
        rpart = part[src]
        # offsets per partition in delivery order (a retry right after its first delivery)
        o = np.lexsort((is_dup, versjon[src], akey[src], rts, rpart))
        offset = np.empty(len(o), dtype=np.int64)
        for p in range(KAFKA_PARTITIONS):
            m = o[rpart[o] == p]
            offset[m] = self.offsets[p] + np.arange(len(m))
            self.offsets[p] += len(m)
        self._write(
            "team_tiltak",
            "tiltak_avtale_hendelse",
            {
                "kafka_partition": pa.array(rpart),
                "kafka_offset": pa.array(offset),
                "kafka_timestamp": stamps(rts),
                "kafka_key": pa.concat_arrays(
                    [_plain(h["avtale_id"]), _take(_plain(h["avtale_id"]), dup_i)]
                ),
                "value": pa.concat_arrays([value, _take(value, dup_i)]),
            },
        )

    # veilarboppfolging, §14a, ao-oppfolgingskontor --------------------------------------------

    def _perioder(self, p: dict[str, pa.Array]) -> tuple[np.ndarray, np.ndarray, pa.Array]:
        pk = _keys(p["person_id"])
        start = _i64(p["startdato"])
        slutt = _i64(p["sluttdato"])
        uuid = uuids(key("oppfolgingsperiode", pk, start), self.seed)
        self._write(
            "veilarboppfolging",
            "oppfolgingsperiode",
            {
                "aktor_id": digit_strings(self.ids.aktor_at(pk, start), 13),
                "uuid": uuid,
                "startdato": _wall(start),
                "sluttdato": _wall(slutt),
                "oppdatert": _wall(np.where(slutt != NULL, slutt, start)),
                "start_begrunnelse": _pick(
                    START_BEGRUNNELSE, hash_u(key("periode", pk, start), "b")
                ),
            },
        )
        return pk, start, uuid

    def _tilordninger(self, t: dict[str, pa.Array]) -> None:
        pk = _keys(t["person_id"])
        ts = _i64(t["tilordnet_tidspunkt"])
        tk = key("tilordning", pk, ts)
        idents = self.units.idents
        by = np.minimum((hash_u(tk, "av") * len(idents)).astype(np.int64), len(idents) - 1)
        by_ident = pc.cast(categorical(by, idents), _L)
        self._write(
            "veilarboppfolging",
            "veileder_tilordninger",
            {
                "aktor_id": digit_strings(self.ids.aktor_at(pk, ts), 13),
                "veileder": t["veileder_ident"],
                "sist_tilordnet": _wall(ts),
                "tilordning_seq": t["tilordning_seq"],
                # who made the assignment (a NAV ident; null when automatic); never read
                "tilordnet_av_veileder": pc.if_else(
                    pa.array(hash_u(tk, "auto") < 0.3), pa.nulls(len(ts), _L), by_ident
                ),
            },
        )

    def _vedtak(self, v: dict[str, pa.Array], per) -> None:
        """vedtak_14a → statistikk_dvh_fellestabell: one row per behandling event."""
        n = len(v["vedtak_id"])
        if not n:
            return
        pk = _keys(v["person_id"])
        vk = _keys(v["vedtak_id"])
        fattet = _i64(v["fattet_tidspunkt"])
        ig, ig_labels = _codes(v["innsatsgruppe"])
        labels = list(dict.fromkeys(ref.INNSATS_NEW + ref.INNSATS_OLD + ig_labels))
        li = {x: i for i, x in enumerate(labels)}
        ig = np.array([li[x] for x in ig_labels], dtype=np.int64)[ig]
        o = np.lexsort((fattet, pk))
        first = np.zeros(n, dtype=bool)
        first[o] = np.r_[True, pk[o][1:] != pk[o][:-1]]
        u = lambda salt: hash_u(vk, salt)  # noqa: E731
        # aborted revurderinger: opened some weeks after a vedtak, then AVBRUTT
        par = np.flatnonzero(u("avbrutt") < AVBRUTT_RATE)
        nb = n + len(par)
        bsrc = np.concatenate([np.arange(n), par])  # the bronze vedtak behind each behandling
        b_first = np.r_[first, np.zeros(len(par), dtype=bool)]
        b_end = np.concatenate(
            [fattet, fattet[par] + ((20 + u("ab_start")[par] * 180) * US_DAY).astype(np.int64)]
        )
        bk = np.concatenate([vk, key("avbrutt", vk[par])])
        ub = lambda salt: hash_u(bk, salt)  # noqa: E731
        # behandlingstid: the utkast was made in office hours, the same day to a month before
        # (most are quick); an aborted revurdering was opened at b_end
        reg_day = b_end // US_DAY - (ub("behandlingstid") ** 2 * 30).astype(np.int64)
        reg = reg_day * US_DAY + 6 * US_HOUR + (ub("utkast_tid") * 9 * US_HOUR).astype(np.int64)
        reg = np.where(np.arange(nb) < n, np.minimum(reg, b_end - US_HOUR), b_end)
        b_end = np.where(
            np.arange(nb) < n,
            b_end,
            b_end + ((1 + ub("ab_varighet") * 20) * US_DAY).astype(np.int64),
        )
        # innsatsgruppe per behandling: the vedtak's; an aborted one proposed a neighbouring class
        cls = np.array([INNSATS_CLASS.get(x, 1) for x in labels], dtype=np.int64)
        b_ig = ig[bsrc]
        step = np.where(ub("ab_klasse") < 0.5, -1, 1)
        ab_cls = np.clip(cls[b_ig] + step, 0, 4)
        ab_cls = np.where(ab_cls == cls[b_ig], np.clip(cls[b_ig] - step, 0, 4), ab_cls)
        b_ig = np.where(np.arange(nb) < n, b_ig, li[ref.INNSATS_NEW[0]] + ab_cls)
        kval = np.isin(b_ig, [li[x] for x in KVALITETSSIKRES if x in li])
        status_labels = [
            "UNDER_BEHANDLING",
            "SENDT_TIL_KVALITETSSIKRING",
            "KVALITETSSIKRING_GODKJENT",
            "FATTET",
            "AVBRUTT",
        ]
        base = np.arange(nb) < n
        rows_b, rows_s, rows_t, rows_resend = [], [], [], []

        def add(mask, status, t, resend=False):
            i = np.flatnonzero(mask)
            rows_b.append(i)
            rows_s.append(np.full(len(i), status))
            rows_t.append(t[i])
            rows_resend.append(np.full(len(i), resend))

        everyone = np.ones(nb, dtype=bool)
        add(everyone, 0, reg)
        add(base & kval, 1, reg + (b_end - reg) // 2)
        add(base & kval, 2, reg + (b_end - reg) * 4 // 5)
        add(base, 3, b_end)
        add(~base, 4, b_end)
        add(base & (ub("resend") < VEDTAK_RESEND_RATE), 3, b_end, True)
        add(base & (ub("resend_ub") < VEDTAK_UB_RESEND_RATE), 0, reg, True)
        rb, rs, endret, resend = (np.concatenate(x) for x in (rows_b, rows_s, rows_t, rows_resend))
        rk = key("dvh_rad", bk[rb], rs, resend)
        teknisk = endret + _ms_after(rk, "teknisk", 200, 5000)
        teknisk = np.where(
            resend,
            endret + (US_HOUR + hash_u(rk, "resend_tid") * 10 * US_DAY).astype(np.int64),
            teknisk,
        )
        # rows of a counted vedtak are all visible (fattet before the end of --until); the
        # extra rows (resends, aborted behandlinger) only when they happened by then
        counted_row = base[rb] & ~resend
        teknisk = np.where(counted_row, np.minimum(teknisk, self.until_end - 1), teknisk)
        vis = counted_row | ((teknisk < self.until_end) & (endret < self.until_end))
        rb, rs, endret, teknisk, resend = (x[vis] for x in (rb, rs, endret, teknisk, resend))
        # V1 names before InnsatsgruppeV2: the events of a behandling written before 2025-02-24
        # carry them (a vedtak fattet later is written with V2 names on its FATTET row)
        r_ig = b_ig[rb]
        v1 = np.array([li[V2_TO_V1[x]] if x in V2_TO_V1 else li[x] for x in labels])
        r_ig = np.where((endret < ERA_V2) & (rs != 3), v1[r_ig], r_ig)
        ferdig = np.where(
            (rs == 3) & (ub("uten_ferdig")[rb] >= VEDTAK_UTEN_FERDIGBEHANDLET), endret, NULL
        )
        ferdig = np.where(rs == 4, endret, ferdig)
        bid = np.empty(nb, dtype=np.int64)
        bid[np.lexsort((bk, b_end))] = 100_000 + self._next("behandling", nb)
        o = np.lexsort((rs, bid[rb], teknisk))
        rb, rs, endret, teknisk, r_ig, ferdig = (
            x[o] for x in (rb, rs, endret, teknisk, r_ig, ferdig)
        )
        seq = 1 + self._next("sekvens", len(o))
        rpk = pk[bsrc[rb]]
        kode6 = hash_u(rpk, "kode6") < KODE6_RATE
        enhet = pc.if_else(
            pa.array(kode6), _lit("-5"), _take(_plain(v["ansvarlig_enhet"]), bsrc[rb])
        )
        per_pk, per_start, per_uuid = per
        pi = _asof(rpk, endret, per_pk, per_start)
        periode = pc.if_else(
            pa.array(pi < 0), pa.nulls(len(pi), _L), _take(per_uuid, np.maximum(pi, 0))
        )
        self._write(
            "vedtak_14a",
            "statistikk_dvh_fellestabell",
            {
                "sekvensnummer": pa.array(seq),
                "behandling_id": pa.array(bid[rb]),
                "aktor_id": digit_strings(self.ids.aktor_at(rpk, endret), 13),
                "mottatt_tid": stamps(reg[rb]),
                "registrert_tid": stamps(reg[rb]),
                "ferdigbehandlet_tid": stamps(ferdig),
                "endret_tid": stamps(endret),
                "teknisk_tid": stamps(teknisk),
                "behandling_type": categorical(
                    np.where(b_first[rb], 0, 1), ["FORSTEGANGSBEHANDLING", "REVURDERING"]
                ),
                "behandling_status": categorical(rs, status_labels),
                "behandling_resultat": categorical(np.where(rs == 3, r_ig, -1), labels),
                "ansvarlig_enhet": enhet,
                "oppfolging_periode_uuid": periode,
                "innsatsgruppe": categorical(r_ig, labels),
                "hovedmal": _take(v["hovedmal"], bsrc[rb]),
            },
        )

    def _kontor(self, k: dict[str, pa.Array], per) -> None:
        """oppfolgingskontor_historikk → kontorhistorikk: the AO rows, with ARENA and
        GEOGRAFISK_TILKNYTNING rows beside them."""
        units = self.units
        pk = _keys(k["person_id"])
        t = _i64(k["endret_tidspunkt"])
        n = len(t)
        if not n:
            return
        kc, klabels = _codes(k["kontor_id"])
        office = np.array([units.index[x] for x in klabels], dtype=np.int64)[kc]
        tc, tlabels = _codes(k["endringstype"])
        types = tlabels + ["GTKontorVedOppfolgingStart", "EndretIArena"]
        ti = {x: i for i, x in enumerate(types)}
        typ = np.array([ti[x] for x in tlabels], dtype=np.int64)[tc]
        start = np.isin(
            typ, [ti.get("ArenaKontorVedOppfolgingsStart", -9), ti.get("AutomatiskNorgRuting", -9)]
        )
        bosted = typ == ti.get("EndretBostedsadresse", -9)
        flyttet = typ == ti.get("FlyttetAvVeileder", -9)
        kk = key("kontorrad", pk, t)
        # GT: when oppfølging starts and when the address changes; written just before the AO row
        gi = np.flatnonzero(start | bosted)
        g_t = t[gi] - _ms_after(kk[gi], "gt", 1000, 30_000)
        g_typ = np.where(start[gi], ti["GTKontorVedOppfolgingStart"], ti["EndretBostedsadresse"])
        # ARENA: Arena's own kontor, synced a while after; now and then another office
        ai = np.flatnonzero(start | bosted | flyttet)
        a_t = t[ai] + (US_MIN + hash_u(kk[ai], "arena") * 2 * US_DAY).astype(np.int64)
        a_off = office[ai]
        other = (hash_u(kk[ai], "arena_avvik") < ARENA_KONTOR_AVVIK) & (a_off < units.n_lokal)
        a_off = np.where(other, (a_off + 1) % units.n_lokal, a_off)
        ok = a_t < self.until_end
        ai, a_t, a_off = ai[ok], a_t[ok], a_off[ok]
        r_src = np.concatenate([np.arange(n), gi, ai])
        r_t = np.concatenate([t, g_t, a_t])
        r_off = np.concatenate([office, office[gi], a_off])
        r_typ = np.concatenate([typ, g_typ, np.full(len(ai), ti["EndretIArena"])])
        r_kind = np.concatenate(
            [np.zeros(n, np.int64), np.ones(len(gi), np.int64), np.full(len(ai), 2)]
        )
        r_pk = pk[r_src]
        o = np.lexsort((r_kind, r_pk, r_t))
        r_src, r_t, r_off, r_typ, r_kind, r_pk = (
            x[o] for x in (r_src, r_t, r_off, r_typ, r_kind, r_pk)
        )
        veil = units.idents
        vi = np.minimum(
            (hash_u(kk[r_src], "endret_av") * len(veil)).astype(np.int64), len(veil) - 1
        )
        by_veileder = (r_kind == 0) & (r_typ == ti.get("FlyttetAvVeileder", -9))
        endret_av = pc.if_else(
            pa.array(by_veileder),
            pc.cast(categorical(vi, veil), _L),
            categorical(np.where(r_kind == 2, 1, 0), ["ao-oppfolgingskontor", "Arena"]).cast(_L),
        )
        endret_av_type = categorical(
            np.where(by_veileder, 1, np.where(r_kind == 2, 2, 0)), ["SYSTEM", "VEILEDER", "ARENA"]
        )
        per_pk, per_start, per_uuid = per
        pi = _asof(r_pk, r_t, per_pk, per_start)
        self._write(
            "ao_oppfolgingskontor",
            "kontorhistorikk",
            {
                "id": pa.array(1 + self._next("kontor", len(o))),
                "ident": digit_strings(self.ids.ident_at(r_pk, r_t), 11),
                "kontor_id": categorical(r_off, units.nr),
                "endret_av": endret_av,
                "endret_av_type": endret_av_type,
                "kontorendringstype": categorical(r_typ, types),
                "kontor_type": categorical(
                    r_kind, ["ARBEIDSOPPFOLGING", "GEOGRAFISK_TILKNYTNING", "ARENA"]
                ),
                "oppfolgingsperiode_id": pc.if_else(
                    pa.array(pi < 0), pa.nulls(len(pi), _L), _take(per_uuid, np.maximum(pi, 0))
                ),
                "created_at": stamps(r_t),
            },
        )
