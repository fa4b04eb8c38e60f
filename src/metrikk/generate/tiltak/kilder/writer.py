"""The writer of the kilder form: it receives the contract-shaped tables and writes the raw
source tables of kilder.yaml, one module per source system doing the transforming."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
import pyarrow as pa
import yaml

from metrikk import catalog, warehouse
from metrikk.generate.tiltak.identer import Identer
from metrikk.generate.tiltak.kilder import (
    ao_oppfolgingskontor,
    komet,
    norg2,
    team_tiltak,
    valp,
    vedtak_14a,
    veilarboppfolging,
)
from metrikk.generate.tiltak.kilder.arrow import keys
from metrikk.generate.tiltak.kilder.team_tiltak import KAFKA_PARTITIONS
from metrikk.generate.tiltak.structure import Units

KILDER_YAML = catalog.PIPELINE_DIR / "kilder.yaml"
# kilder.yaml's BigQuery types in DuckDB; DATETIME (no time zone) holds Oslo wall-clock time.
DUCKDB_TYPES = {**catalog.DUCKDB_TYPES, "DATETIME": "TIMESTAMP"}

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
                valp.write_gjennomforing(self, columns)
            elif table == "gjennomforing_nav_enhet":
                self.write("valp", "gjennomforing_nav_enhet_view", columns)
            elif table == "tiltakstype":
                self.write("valp", "tiltakstype_view", columns)
            elif table == "nav_enhet":
                norg2.write_norg2(self, columns)
            elif table == "veiledergruppe_snapshot":
                self.write("veilarbfilter", "veiledergruppe_snapshot", columns)
            elif table == "veileder_tilordning":
                veilarboppfolging.write_tilordninger(self, columns)
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
                    keys(b["deltaker"]["person_id"]),
                    keys(b["arbeidsgiver_avtale_hendelse"]["person_id"]),
                    keys(b["vedtak_14a"]["person_id"]),
                    keys(b["oppfolgingsperiode"]["person_id"]),
                    keys(b["oppfolgingskontor_historikk"]["person_id"]),
                ]
            )
        )
        komet.write_komet(self, b.pop("deltaker"), b.pop("deltaker_status"))
        team_tiltak.write_avtaler(self, b.pop("arbeidsgiver_avtale_hendelse"))
        per = veilarboppfolging.write_perioder(self, b.pop("oppfolgingsperiode"))
        vedtak_14a.write_vedtak(self, b.pop("vedtak_14a"), per)
        ao_oppfolgingskontor.write_kontor(self, b.pop("oppfolgingskontor_historikk"), per)
        pa.default_memory_pool().release_unused()

    def finish(self) -> dict[str, int]:
        """PDL identer, empty tables for sources without rows, and the replaced bronze tables
        emptied (so no earlier world stays there); returns rows per written table."""
        self.end_chunk()
        self.write("pdl", "identer", self.ids.identer_rows())
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

    def write(self, source: str, table: str, columns: dict[str, pa.Array]) -> None:
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

    def next_numbers(self, counter: str, n: int) -> np.ndarray:
        """The next `n` running numbers of `counter` (behandling_id, sekvensnummer, ...)."""
        start = self.counters[counter]
        self.counters[counter] = start + n
        return start + np.arange(n, dtype=np.int64)
