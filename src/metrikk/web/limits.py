"""What one request may cost: a time budget, a row cap and a cap on exports built at once.

- **Time budget** (`Settings.tidsgrense`, `serve --tidsgrense`): when a request has run that
  long, every DuckDB query it has running is interrupted (`DuckDBPyConnection.interrupt()` on
  the request's own cursor) and it answers 503 «Spørringen tok for lang tid …». A query started
  after the deadline is refused before it runs, and long Python loops (exports) check the
  deadline as they go. The other requests' queries run on their own cursors and are untouched.
- **Row cap** (`maks_rader`): a response or export with more rows (for the weekly counts: more
  zero-filled combinations) is refused with 400 naming the cap and how to narrow the query,
  before it is built.
- **Exports at once** (`maks_eksporter`): `format=csv|xlsx` requests beyond that many at the
  same time get 503 «For mange eksporter samtidig …» at once, so eight parallel Excel exports
  cannot hold eight workbooks in memory.

The budget of the running request is a context variable, set by `LimitsMiddleware`; FastAPI runs
sync routes in a worker thread with a copy of the context, so route code reaches it through
`current()` without passing it down.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import duckdb

from metrikk.settings import DEFAULT_MAKS_RADER
from metrikk.web import queries as q


class LimitExceeded(Exception):
    """A request over one of the limits; `message` is shown to a person (bokmål)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Limits:
    tidsgrense: float
    maks_rader: int
    maks_eksporter: int


def timeout_message(seconds: float) -> str:
    return (
        f"Spørringen tok for lang tid (over {seconds:g} sekunder) og ble avbrutt. Velg en "
        "kortere periode, færre grupperinger eller flere filtre, og prøv igjen."
    )


@dataclass
class Budget:
    """One request's deadline and the DuckDB cursors it has open."""

    limits: Limits
    deadline: float = 0.0
    expired: bool = False
    _cursors: set = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.limits.tidsgrense

    def check(self) -> None:
        """Raise the 503 if the deadline has passed."""
        if self.expired or time.monotonic() >= self.deadline:
            self.expired = True
            raise LimitExceeded(timeout_message(self.limits.tidsgrense), 503)

    def expire(self) -> None:
        """Called at the deadline: interrupt every query the request has running."""
        with self._lock:
            self.expired = True
            for cursor in self._cursors:
                cursor.interrupt()

    @contextmanager
    def track(self, cursor: duckdb.DuckDBPyConnection) -> Iterator[None]:
        with self._lock:
            self._cursors.add(cursor)
        try:
            yield
        finally:
            with self._lock:  # removed before the caller closes it: expire never sees it closed
                self._cursors.discard(cursor)


_BUDGET: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("budget", default=None)


def current() -> Budget | None:
    return _BUDGET.get()


def check_deadline() -> None:
    """Raise the 503 if the running request is past its time budget (no-op outside one)."""
    budget = _BUDGET.get()
    if budget is not None:
        budget.check()


def _tall(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")  # 100 000, with a no-break space as in bokmål


def check_rows(n: int, what: str, how: str) -> None:
    """Refuse a response of `n` rows over the cap: 400 naming the cap and `how` to narrow it."""
    budget = _BUDGET.get()
    cap = budget.limits.maks_rader if budget is not None else DEFAULT_MAKS_RADER
    if n > cap:
        raise LimitExceeded(
            f"Utvalget gir {_tall(n)} {what}; høyst {_tall(cap)} kan vises eller eksporteres. "
            f"{how}",
            400,
        )


EXPORT_HOW = "Velg en kortere periode eller flere filtre før du eksporterer."


def export_rows(rows: list) -> Iterator:
    """`rows` of an export, refused over the row cap; the deadline is checked as they are
    written (an Excel file of 100 000 rows takes seconds of Python)."""
    check_rows(len(rows), "rader", EXPORT_HOW)
    budget = _BUDGET.get()
    if budget is None:
        return iter(rows)

    def checked() -> Iterator:
        for i, row in enumerate(rows):
            if i % 1000 == 0:
                budget.check()
            yield row

    return checked()


class BudgetedReader(q.Reader):
    """A Reader whose queries are refused after the request's deadline."""

    def __init__(self, inner: q.Reader, budget: Budget):  # noqa: D107 - shares inner's state
        self.con = inner.con
        self.key = inner.key
        self._budget = budget

    def execute(self, sql: str, params=None):
        self._budget.check()
        return super().execute(sql, params)


@dataclass(frozen=True)
class BudgetedSource(q.Source):
    """`queries.Source` whose readers belong to the running request's time budget."""

    @contextmanager
    def read(self, attempts: int = 20, pause: float = 0.1) -> Iterator[q.Reader]:
        budget = _BUDGET.get()
        if budget is None:
            with super().read(attempts, pause) as reader:
                yield reader
            return
        budget.check()
        with super().read(attempts, pause) as reader, budget.track(reader.con):
            yield BudgetedReader(reader, budget)


def _is_export(scope) -> bool:
    query = scope.get("query_string", b"").decode("latin-1")
    return any(k == "format" and v in ("csv", "xlsx") for k, v in parse_qsl(query))


class LimitsMiddleware:
    """Gives each HTTP request its time budget, and turns excess exports away.

    `refuse(scope, message, status, headers)` builds the error response (app.py: the JSON
    error body with the key the route family uses).
    """

    def __init__(self, app, limits: Limits, exports: threading.Semaphore, refuse):
        self.app = app
        self.limits = limits
        self.exports = exports  # one slot per export being built (app.state.exports)
        self.refuse = refuse

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        export = _is_export(scope)
        if export and not self.exports.acquire(blocking=False):
            n = self.limits.maks_eksporter
            message = f"For mange eksporter samtidig (høyst {n} om gangen). Prøv igjen om litt."
            response = self.refuse(scope, message, 503, {"Retry-After": "10"})
            await response(scope, receive, send)
            return
        budget = Budget(self.limits)
        token = _BUDGET.set(budget)
        timer = asyncio.get_running_loop().call_later(self.limits.tidsgrense, budget.expire)
        try:
            await self.app(scope, receive, send)
        finally:
            timer.cancel()
            _BUDGET.reset(token)
            if export:
                self.exports.release()
