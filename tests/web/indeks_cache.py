"""What the web app's per-kontor index cache holds, waited for: indexes are built in background
threads when a snapshot is opened (web/indeks.py, web/indeks_oppfolging.py)."""

from __future__ import annotations

import time
from collections.abc import Callable

from metrikk.web import indeks


def built_when(done: Callable[[set], bool], seconds: float = 60) -> set[tuple[str, str]]:
    """The (kind, kontor) of every cached index, as soon as `done(built)` holds or after
    `seconds`, whichever is first."""
    deadline = time.monotonic() + seconds
    while True:
        with indeks._CACHE_LOCK:
            built = {(kind, kontor) for _, kind, kontor in indeks._CACHE}
        if done(built) or time.monotonic() >= deadline:
            return built
        time.sleep(0.05)
