"""What the commands print: the consoles, messages and progress bars of `metrikk`, and the
reports of `generate`, `run` and `serve`, which `metrikk demo` shares with those commands.

cli/ parses options and calls these; demo.py calls them too, so the demo prints exactly what
the commands print. The domain modules are imported inside the functions: `metrikk --help` and
the quick commands should not pay for loading SQLMesh, the generators or the web app."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from metrikk.settings import Settings

OSLO = ZoneInfo("Europe/Oslo")

out = Console()
err = Console(stderr=True)


def today_oslo() -> date:
    return datetime.now(OSLO).date()


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print `message` literally (it holds file names, values and other people's errors, never
    markup) after a red «Feil:», and return the exit to raise."""
    err.print(f"[bold red]Feil:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def not_yet(what: str) -> typer.Exit:
    err.print(f"[yellow]Ikke tilgjengelig ennå:[/] {escape(what)}", highlight=False)
    return typer.Exit(2)


def say(message: str) -> None:
    """Print a line that holds names or values literally (no markup, no highlighting)."""
    out.print(message, markup=False, highlight=False)


def progress_bar() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


def generate_and_report(
    settings: Settings, domain: str, *, scale: str, seed: int, last_day: date, form: str
) -> None:
    """Generate one domain's synthetic sources with a progress bar, then print their row counts."""
    from metrikk.generate import NotAvailable
    from metrikk.generate import generate as generate_domain

    try:
        with progress_bar() as progress:
            task = progress.add_task(f"Lager {domain}", total=None)

            def on_progress(name: str, done: int, total: int) -> None:
                progress.update(
                    task, total=total or None, completed=done, description=f"Lager {domain}: {name}"
                )

            rows = generate_domain(
                settings.warehouse,
                domain,
                scale=scale,
                seed=seed,
                until=last_day,
                progress=on_progress,
                form=form,
            )
    except NotAvailable as e:
        raise not_yet(str(e)) from None
    shape = ", NAVs kildeformer" if form == "kilder" else ""
    table = Table(
        "tabell",
        "rader",
        title=f"Syntetiske kilder for {domain} ({scale}, frø {seed}, til {last_day}{shape})",
    )
    for name, n in rows.items():
        table.add_row(name, f"{n:,}".replace(",", " "))
    out.print(table)


def run_and_report(settings: Settings, reference: date, *, domain: str, full_refresh: bool) -> None:
    """Compute the data products with a progress bar, then print what was computed and any drift."""
    from metrikk.run import RunError, run_pipeline

    try:
        with progress_bar() as progress:
            task = progress.add_task("Beregner", total=None)

            def on_progress(name: str, done: int, total: int) -> None:
                progress.update(
                    task,
                    total=total or None,
                    completed=done,
                    description=f"Beregner {name}" if name else "Beregner",
                )

            report = run_pipeline(
                settings,
                reference,
                domain=domain,
                full_refresh=full_refresh,
                on_progress=on_progress,
            )
    except RunError as e:
        raise fail(str(e)) from None
    if settings.uses_development_key and domain in ("all", "etterlevelse"):
        err.print(
            "[yellow]Merk:[/] METRIKK_PSEUDONYM_KEY er ikke satt; brukere er pseudonymisert med "
            "utviklingsnøkkelen. Sett en hemmelig nøkkel i produksjon.",
            highlight=False,
        )
    out.print(
        f"Beregnet per {reference.isoformat()} (domene {domain}"
        + (", full omberegning" if full_refresh else "")
        + ")."
    )
    table = Table("tabell", "intervaller beregnet nå", "rader", title="Resultat")
    for name in sorted(set(report.tables) | set(report.computed)):
        computed = report.computed.get(name)
        rows = report.tables.get(name)
        table.add_row(
            name,
            str(computed.intervals if computed else 0),
            "–" if rows is None else f"{rows:,}".replace(",", " "),
        )
    out.print(table)
    if report.drift:
        from metrikk.drift import format_drift

        err.print(
            "[yellow]Kildeendringer:[/] kildene har verdier metrikk ikke kjenner. De telles etter "
            "kontraktens regel for ukjente verdier; sjekk om regelen fortsatt er riktig.",
            highlight=False,
        )
        for line in format_drift(report.drift):
            err.print(f"  {line}", highlight=False, markup=False, soft_wrap=True)


def dry_run_and_report(settings: Settings, reference: date, *, domain: str) -> None:
    """Print the SQL each model would run (stdout, one block per model); for BigQuery also how
    much each would read in a full build and in the next run, estimated on the local copy
    (stderr, run/scan_estimate.py)."""
    from metrikk.run import RenderedRuns, RunError, render_models, render_runs

    try:
        if settings.target == "bigquery":
            runs: RenderedRuns | None = render_runs(settings, reference, domain=domain)
            rendered = runs.full
        else:
            runs, rendered = None, render_models(settings, reference, domain=domain)
    except RunError as e:
        raise fail(str(e)) from None
    for name, sql in rendered:
        out.print(f"-- {name} ({settings.target}, per {reference.isoformat()})", highlight=False)
        out.print(sql.rstrip() + ";\n", highlight=False, markup=False, soft_wrap=True)
    if runs is not None:
        _report_scan_estimate(settings, runs)


def _megabytes(n: int) -> str:
    return f"{n / 1e6:,.1f} MB".replace(",", " ").replace(".", ",")


def _report_scan_estimate(settings: Settings, runs) -> None:
    import duckdb

    from metrikk.run.scan_estimate import Sizer, estimate

    path = settings.warehouse
    if not path.exists():
        err.print(
            f"Lest mengde i BigQuery er ikke anslått: fant ingen lokal kopi av tabellene ({path}).",
            highlight=False,
        )
        return
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException:
        err.print(
            f"Lest mengde i BigQuery er ikke anslått: {path} er opptatt (en kjøring skriver nå).",
            highlight=False,
        )
        return
    try:
        sizer = Sizer(con, runs.partitions)
        full = estimate(sizer, runs.full, "bigquery")
        after = {e.model: e for e in estimate(sizer, runs.next_run, "bigquery")}
    finally:
        con.close()
    table = Table(
        "modell",
        "full beregning",
        "neste kjøring",
        title=f"Anslått lest av BigQuery per modell (målt på radene i {path.name})",
    )
    table.columns[0].overflow = "fold"
    for e in sorted(full, key=lambda e: (-after[e.model].bytes, -e.bytes, e.model)):
        table.add_row(e.model, _megabytes(e.bytes), _megabytes(after[e.model].bytes))
    table.add_row(
        "Totalt",
        _megabytes(sum(e.bytes for e in full)),
        _megabytes(sum(e.bytes for e in after.values())),
    )
    err.print(table)
    err.print(
        "BigQuery tar betalt for lest mengde: størrelsen på kolonnene en spørring nevner, i "
        "radene den leser. Tabellene som beregnes uke for uke (eller dag for dag) er partisjonert "
        "på tiden; en spørring som avgrenser den, leser bare de partisjonene. Andre tabeller "
        "leses hele. Neste kjøring: hver slik modell beregner siste periode og tilbakeblikket "
        "sitt (en uke og de 28 dagene før), de andre alt. Faktureringen teller minst 10 MB per "
        "tabell.",
        highlight=False,
    )
    missing = sorted({t for e in full for t in e.missing})
    if missing:
        err.print(
            "Ikke med i anslaget (finnes ikke i den lokale kopien): " + ", ".join(missing),
            highlight=False,
            soft_wrap=True,
        )


def serve_and_report(
    settings: Settings, *, host: str, port: int, min_antall: int | None = None, workers: int = 1
) -> None:
    """Check the serving settings, print the dashboard's address and serve until stopped."""
    from metrikk.settings import SettingsError
    from metrikk.web.app import serve as serve_app

    try:
        settings.check_serve()
        url = dashboard_url(host, port)
        out.print(f"Dashboardet kjører på {url} (stopp med Ctrl+C).", highlight=False)
        serve_app(settings, host=host, port=port, min_antall=min_antall, workers=workers)
    except SettingsError as e:
        raise fail(str(e), 2) from None


def dashboard_url(host: str, port: int) -> str:
    """The address to open in a browser: a wildcard host is reached on this machine's loopback."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}.get(host, host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"
