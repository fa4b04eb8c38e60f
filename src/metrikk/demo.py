"""`metrikk demo`: the whole product on synthetic data in one command."""

from __future__ import annotations

from datetime import timedelta

import typer

from metrikk.generate import DOMAINS, NotAvailable, domain_module


def run_demo(ctx: typer.Context, *, scale: str, port: int, serve: bool) -> None:
    from metrikk import cli  # noqa: PLC0415 - the demo reuses the commands as they are

    available = []
    for d in DOMAINS:
        try:
            domain_module(d)
            available.append(d)
        except NotAvailable:
            cli.err.print(f"[yellow]Demoen hopper over {d}:[/] syntetiske data finnes ikke ennå.")
    if not available:
        raise cli.not_yet("demo: ingen domener har syntetiske data ennå.")
    today = cli.today_oslo()
    # The latest complete ISO week: data until last Sunday, computed as of that Sunday.
    last_sunday = today - timedelta(days=today.isoweekday() % 7)
    for d in available:
        ctx.invoke(cli.generate, ctx=ctx, domain=cli.GenerateDomain(d), scale=cli.Scale(scale), seed=42,
                   until=_as_datetime(today))
    ctx.invoke(cli.run, ctx=ctx, as_of=_as_datetime(last_sunday if "tiltak" in available else today),
               domain=cli.RunDomain.all, full_refresh=False)
    if serve:
        ctx.invoke(cli.serve, ctx=ctx, host="127.0.0.1", port=port)


def _as_datetime(d):
    from datetime import datetime, time  # noqa: PLC0415

    return datetime.combine(d, time())
