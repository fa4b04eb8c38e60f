"""Reading published snapshots: where the current one is, and which schemas it holds.

`metrikk.publish` writes snapshots (under the writer's lock); everything that only reads (the
web app, `metrikk export`, `metrikk run`'s record of its last run) finds them here and never
imports the writer. A snapshot is an immutable DuckDB file in `<warehouse>.publisert/`, named
by the `CURRENT` pointer beside it; readers open it read-only, so they never hold a lock a
writer needs and work while a run writes.
"""

from __future__ import annotations

from pathlib import Path

# The schemas a snapshot holds (and export may read); the rest stays in the warehouse.
PUBLISHED_SCHEMAS = ("tiltak_gold", "tiltak_silver", "etterlevelse", "behandlinger", "metrikk_meta")


def snapshot_dir(warehouse: Path) -> Path:
    warehouse = Path(warehouse).resolve()
    return warehouse.parent / f"{warehouse.name}.publisert"


def published_path(warehouse: Path) -> Path | None:
    """The current snapshot file, or None before anything was published."""
    d = snapshot_dir(warehouse)
    try:
        name = (d / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = d / name
    return path if path.exists() else None
