"""Synthetic sources, per domain, deterministic by construction (seeded numpy generators).

Each domain package (`tiltak/`, `etterlevelse/`) exposes `generate(con, *, scale, seed, until,
progress)` that writes every landing table of its domain through
`metrikk.warehouse.write_landing(..., syntetisk=True)`; `generate` below runs it inside
`metrikk.warehouse.writing` (the writer's lock, one transaction, a published snapshot).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

from metrikk.warehouse import writing

SCALES = ("small", "default", "large")
DOMAINS = ("tiltak", "etterlevelse")


class NotAvailable(Exception):
    """A part of metrikk that is not built yet (the CLI exits 2 and says so)."""


def domain_module(domain: str):
    try:
        return importlib.import_module(f"metrikk.generate.{domain}")
    except ModuleNotFoundError as e:
        if e.name == f"metrikk.generate.{domain}":
            raise NotAvailable(f"Syntetiske data for domenet «{domain}» finnes ikke ennå.") from e
        raise


def generate(
    warehouse: Path,
    domain: str,
    *,
    scale: str = "small",
    seed: int = 42,
    until: date,
    progress: Callable[[str, int, int], None] | None = None,
    form: str = "kontrakt",
) -> dict[str, int]:
    """Generate one domain's landing tables into the warehouse; returns rows per table.

    `form="kilder"` (tiltak only) writes the same world as NAV's raw source tables instead."""
    module = domain_module(domain)
    shape = {} if form == "kontrakt" else {"form": form}
    with writing(warehouse) as con:
        rows = module.generate(con, scale=scale, seed=seed, until=until, progress=progress, **shape)
    return rows
