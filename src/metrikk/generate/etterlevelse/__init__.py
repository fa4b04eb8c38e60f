"""Synthetic sources for Støtte til etterlevelse and Behandlingskatalogen (`landing_zone`).

`generate` fills every landing_zone table (CONTRACT §5) with audit logs that carry every
historical shape listed in research/etterlevelse-behandlingskatalog.md: both table_name
spellings switching on their real dates, the generic-storage envelope and the own-table
payload keys, the Aug 2023 migration, legacy suksesskriterium booleans, old polly shapes,
DELETE rows with full data and timestamp ties. See docs/generate-etterlevelse.md.

The package: `base` (schema-break dates, seeded draws, people, filler text, the chunked writer),
`polly/` (Behandlingskatalogen's audit log, one module per audited table) and `app/` (Støtte til
etterlevelse's audit log and current tables, one module per entity). Polly runs first: the
documents refer to its processes (behandlinger).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pyarrow as pa

from metrikk.catalog import landing_table, landing_tables
from metrikk.generate.etterlevelse.app import AppGenerator
from metrikk.generate.etterlevelse.base import (
    AUDIT_TYPES_E,
    AUDIT_TYPES_P,
    HORIZON,
    Sink,
    day_end,
    make_people,
)
from metrikk.generate.etterlevelse.polly import PollyGenerator
from metrikk.warehouse import write_landing

# Volumes per scale (research §4.2; `large` is about five times `default`).
SCALE_PARAMS: dict[str, dict] = {
    "small": {
        "people": 60,
        "teams": 15,
        "processes": 45,
        "policies": (2, 6),
        "information_types": 50,
        "processors": 8,
        "codes": 0.15,
        "docs": 40,
        "krav": 30,
        "pvk": 8,
        "relations": 4,
        "tilbakemeldinger": 15,
        "meldinger": 4,
    },
    "default": {
        "people": 900,
        "teams": 250,
        "processes": 1500,
        "policies": (4, 26),
        "information_types": 1000,
        "processors": 120,
        "codes": 1.0,
        "docs": 1500,
        "krav": 200,
        "pvk": 200,
        "relations": 80,
        "tilbakemeldinger": 400,
        "meldinger": 20,
    },
    "large": {
        "people": 4000,
        "teams": 1000,
        "processes": 7500,
        "policies": (4, 26),
        "information_types": 5000,
        "processors": 400,
        "codes": 2.0,
        "docs": 7500,
        "krav": 300,
        "pvk": 1000,
        "relations": 400,
        "tilbakemeldinger": 2000,
        "meldinger": 40,
    },
}

CURRENT_TYPES: dict[str, dict[str, pa.DataType]] = {
    "etterlevelse_krav": {
        "id": pa.string(),
        "krav_nummer": pa.int64(),
        "krav_versjon": pa.int64(),
        "status": pa.string(),
        "data": pa.string(),
    },
    "etterlevelse_codelist": {
        "list": pa.string(),
        "code": pa.string(),
        "short_name": pa.string(),
        "description": pa.string(),
        "data": pa.string(),
    },
    "etterlevelse_etterlevelse_dokumentasjon": {"id": pa.string(), "data": pa.string()},
    "etterlevelse_tilbakemelding": {
        "id": pa.string(),
        "krav_nummer": pa.int64(),
        "krav_versjon": pa.int64(),
        "created_date": pa.timestamp("us"),
        "data": pa.string(),
    },
    "etterlevelse_etterlevelse_metadata": {
        "id": pa.string(),
        "krav_nummer": pa.int64(),
        "krav_versjon": pa.int64(),
        "etterlevelse_dokumentasjon": pa.string(),
        "data": pa.string(),
    },
}


def generate(
    con,
    *,
    scale: str,
    seed: int,
    until: date,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, int]:
    """Write every landing_zone table (synthetic) and return the row count per table."""
    if scale not in SCALE_PARAMS:
        raise ValueError(f"unknown scale {scale!r}")
    params = SCALE_PARAMS[scale]
    horizon = day_end(max(until, HORIZON))
    until_end = day_end(until)
    people = make_people(seed, params["people"])
    rows: dict[str, int] = {}

    polly_sink = Sink(con, "behandlingskatalogen_audit_version", AUDIT_TYPES_P, progress)
    processes = PollyGenerator(seed, params, people, horizon, until_end, polly_sink).run()
    rows["behandlingskatalogen_audit_version"] = polly_sink.close()

    app_sink = Sink(con, "etterlevelse_audit_version", AUDIT_TYPES_E, progress)
    current = AppGenerator(
        seed, params, people, processes, horizon, until_end, app_sink, progress
    ).run()
    rows["etterlevelse_audit_version"] = app_sink.close()

    for table, types in CURRENT_TYPES.items():
        cols = current[table]
        frame = pa.table({c: pa.array(cols[c], type=types[c]) for c in types})
        rows[table] = write_landing(
            con, landing_table(f"landing_zone.{table}"), frame, syntetisk=True
        )
        if progress:
            progress(table, rows[table], rows[table])
    return {t: rows[t] for t in _declared_order() if t in rows}


def _declared_order() -> list[str]:
    return [t.table for t in landing_tables().values() if t.schema == "landing_zone"]
