"""What an ingest reports: per-table results, progress bars while it runs and the closing table
(rich, and only when a console is given)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from metrikk.ingest.postgres import APP_NAMES

if TYPE_CHECKING:
    from rich.console import Console


@dataclass
class TableResult:
    landing: str
    read: int = 0  # rows read from the source this time
    new: int = 0  # rows added (audit) or rows now in the table (current tables)
    total: int = 0  # rows in the landing table after the ingest
    since: datetime | None = None  # audit tables: where this read started (None = everything)


@dataclass
class IngestResult:
    app: str
    tables: list[TableResult]
    seconds: float


class Progress:
    """The progress bars of one ingest, one per table; does nothing without a console."""

    def __init__(self, console: Console | None, title: str) -> None:
        self._progress = None
        if console is not None:
            from rich.progress import Progress as RichProgress
            from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

            console.print(title, highlight=False, markup=False, soft_wrap=True)  # holds the DSN
            self._progress = RichProgress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TextColumn("{task.completed:,} rader"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )

    def __enter__(self) -> Progress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def add(self, name: str) -> int | None:
        if self._progress is None:
            return None
        return self._progress.add_task(f"Leser {name}", total=None)

    def advance(self, task: int | None, rows: int) -> None:
        if self._progress is not None and task is not None:
            self._progress.advance(task, rows)

    def done(self, task: int | None, result: TableResult) -> None:
        if self._progress is not None and task is not None:
            self._progress.update(task, description=f"Ferdig {result.landing}")


def report(console: Console, outcome: IngestResult) -> None:
    """The closing table: per landing table what was read, what is new and where reading began."""
    from rich.table import Table

    def n(x: int) -> str:
        return f"{x:,}".replace(",", " ")

    table = Table(
        "tabell",
        "lest",
        "nye rader",
        "rader totalt",
        "lest fra",
        title=f"Hentet fra {APP_NAMES[outcome.app]} på {outcome.seconds:.1f} s",
    )
    for r in outcome.tables:
        since = r.since.isoformat(sep=" ", timespec="seconds") if r.since else "start"
        incremental = r.landing.endswith("audit_version")
        table.add_row(
            r.landing,
            n(r.read),
            n(r.new) if incremental else "erstattet",
            n(r.total),
            since if incremental else "–",
        )
    console.print(table)
