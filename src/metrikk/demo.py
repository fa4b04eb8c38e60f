"""`metrikk demo`: the whole product on synthetic data in one command.

It calls what `metrikk generate`, `run` and `serve` call (metrikk.terminal), so it prints exactly
what those commands print; the cli package imports this module, never the reverse."""

from __future__ import annotations

from datetime import timedelta

from metrikk.generate import DOMAINS, NotAvailable, domain_module
from metrikk.settings import Settings
from metrikk.terminal import (
    err,
    generate_and_report,
    not_yet,
    run_and_report,
    serve_and_report,
    today_oslo,
)


def run_demo(settings: Settings, *, scale: str, port: int, serve: bool) -> None:
    available = []
    for d in DOMAINS:
        try:
            domain_module(d)
            available.append(d)
        except NotAvailable:
            err.print(f"[yellow]Demoen hopper over {d}:[/] syntetiske data finnes ikke ennå.")
    if not available:
        raise not_yet("demo: ingen domener har syntetiske data ennå.")
    today = today_oslo()
    # The latest complete ISO week: data until last Sunday, computed as of that Sunday.
    last_sunday = today - timedelta(days=today.isoweekday() % 7)
    for d in available:
        generate_and_report(settings, d, scale=scale, seed=42, last_day=today, form="kontrakt")
    run_and_report(
        settings, last_sunday if "tiltak" in available else today, domain="all", full_refresh=False
    )
    if serve:
        serve_and_report(settings, host="127.0.0.1", port=port)
