"""What `metrikk run` reports, and the execution time it hands SQLMesh for a reference date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta


class RunError(Exception):
    """A run that failed: a model error or a failed audit. The message is for a person (bokmål)."""


@dataclass
class ModelResult:
    name: str
    intervals: int = 0
    audits_failed: int = 0


@dataclass
class RunReport:
    as_of: date
    execution_time: datetime
    domain: str
    full_refresh: bool
    computed: dict[str, ModelResult] = field(default_factory=dict)
    tables: dict[str, int] = field(default_factory=dict)  # published table -> row count
    drift: list = field(default_factory=list)  # metrikk.drift.Avvik: unknown source values
    # Nothing to do: reported from the last run's record, SQLMesh not loaded.
    unchanged: bool = False


def execution_time_for(as_of: date) -> datetime:
    return datetime.combine(as_of + timedelta(days=1), time())
