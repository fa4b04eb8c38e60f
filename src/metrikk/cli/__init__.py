"""The `metrikk` command line (CONTRACT §7). Each command parses, calls one domain function and
reports in bokmål. Exit codes: 0 success, 1 a failed check or run, 2 a usage error or a part
that is not built yet.

This module holds the options every command shares and the commands load, run, export, generate,
demo and serve; `ingest.py` the `metrikk ingest …` commands; `common.py` what both use."""

from __future__ import annotations

import sys
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from metrikk.cli.common import LogFormat, LogFormatOption, log_json, settings_of
from metrikk.cli.ingest import ingest_app
from metrikk.settings import Settings
from metrikk.terminal import (
    dry_run_and_report,
    fail,
    generate_and_report,
    out,
    progress_bar,
    run_and_report,
    say,
    serve_and_report,
    today_oslo,
)

app = typer.Typer(
    name="metrikk",
    help="metrikk: ukentlige tiltakstall for Nav-kontor og bruksdata for Støtte til etterlevelse "
    "og Behandlingskatalogen, fra kildetabeller til delte dataprodukter.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(ingest_app, name="ingest")


class Target(str, Enum):
    duckdb = "duckdb"
    bigquery = "bigquery"


class Scale(str, Enum):
    small = "small"
    default = "default"
    large = "large"


class GenerateDomain(str, Enum):
    tiltak = "tiltak"
    etterlevelse = "etterlevelse"
    all = "all"


class GenerateForm(str, Enum):
    kontrakt = "kontrakt"
    kilder = "kilder"


class RunDomain(str, Enum):
    all = "all"
    tiltak = "tiltak"
    etterlevelse = "etterlevelse"


class ExportFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


def _run_json_logged(settings: Settings, reference: date, domain: str, full_refresh: bool) -> None:
    """`metrikk run --log-format json`: the same run, reported as JSON lines; same exit codes."""
    import time

    from metrikk.run import RunError, run_pipeline

    started = time.perf_counter()
    log_json(
        "kjoring_startet",
        as_of=reference.isoformat(),
        domene=domain,
        full_omberegning=full_refresh,
        utviklingsnokkel=settings.uses_development_key,
    )

    def on_progress(name: str, done: int, total: int) -> None:
        if name:
            log_json("modell_beregnet", modell=name, ferdig=done, totalt=total)

    try:
        report = run_pipeline(
            settings, reference, domain=domain, full_refresh=full_refresh, on_progress=on_progress
        )
    except RunError as e:
        log_json(
            "kjoring_feilet",
            melding=str(e),
            sekunder=round(time.perf_counter() - started, 3),
            exit_code=1,
        )
        raise typer.Exit(1) from None
    drift: list[str] = []
    if report.drift:
        from metrikk.drift import format_drift

        drift = list(format_drift(report.drift))
    log_json(
        "kjoring_fullfort",
        as_of=reference.isoformat(),
        domene=domain,
        tabeller=report.tables,
        kildeendringer=drift,
        sekunder=round(time.perf_counter() - started, 3),
        exit_code=0,
    )


@app.callback()
def main_options(
    ctx: typer.Context,
    warehouse: Annotated[
        Path | None,
        typer.Option(
            help="DuckDB-filen som er datavarehuset (standard ./metrikk.duckdb, eller METRIKK_WAREHOUSE)."
        ),
    ] = None,
    target: Annotated[
        Target | None,
        typer.Option(
            help="Hvor modellene kjøres: duckdb (lokalt, standard) eller bigquery (METRIKK_TARGET)."
        ),
    ] = None,
    project: Annotated[
        str | None,
        typer.Option(help="BigQuery-prosjektet når --target er bigquery (METRIKK_PROJECT)."),
    ] = None,
) -> None:
    """Felles valg for alle kommandoer."""
    settings = Settings.from_env().with_overrides(
        warehouse=warehouse, target=target.value if target else None, project=project
    )
    ctx.ensure_object(dict)["settings"] = settings
    # Every landing table exists from the first command on (CONTRACT §1). `serve` and `export`
    # only read published snapshots: they must never take the writer's lock, nor create a
    # warehouse where a mistyped --warehouse points. `run` creates the layout itself under its
    # own lock (so its failures are reported in its chosen log format); `demo` runs several.
    # The other commands write: the lock taken here is held until the command ends, and the
    # command's own `writing` / `writer_lock` goes on under it (re-entrant), so one command takes
    # the lock once and no other writer comes in between the layout and the command's write.
    if settings.target == "duckdb" and ctx.invoked_subcommand not in (
        None,
        "serve",
        "export",
        "demo",
        "run",
    ):
        from metrikk.warehouse import WarehouseBusy, ensure_warehouse, writer_lock

        try:
            # Under the writer's lock: a second writer started while a run holds the file gets
            # the lock's message, not DuckDB's file-lock error.
            ctx.with_resource(writer_lock(settings.warehouse))
            ensure_warehouse(settings.warehouse)
        except WarehouseBusy as e:
            raise fail(str(e)) from None
        except Exception as e:  # noqa: BLE001 - reported to the person, with the cause
            raise fail(f"Kunne ikke åpne datavarehuset {settings.warehouse}: {e}") from None


@app.command()
def load(
    ctx: typer.Context,
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="DIR", help="Katalog med filer som heter <schema>.<tabell>.<csv|parquet|jsonl>."
        ),
    ],
    append: Annotated[
        bool,
        typer.Option("--append", help="Legg radene til i stedet for å erstatte tabellens rader."),
    ] = False,
) -> None:
    """Last kildefiler inn i landingstabellene. Alt eller ingenting: én feil stopper hele lastingen."""
    from metrikk.load import LoadError, load_directory

    settings = settings_of(ctx)
    try:
        with progress_bar() as progress:
            task = progress.add_task("Laster", total=None)
            report = load_directory(
                settings.warehouse,
                directory,
                append=append,
                progress=lambda name: progress.update(task, description=f"Laster {escape(name)}"),
            )
    except LoadError as e:
        raise fail(f"{e}\nIngenting ble lastet; datavarehuset er uendret.") from None
    # File and column names come from the person's files: Text, never markup.
    table = Table(
        "tabell", "fil", "rader", "ekstra kolonner", title=Text(f"Lastet til {settings.warehouse}")
    )
    for r in report.tables:
        table.add_row(
            Text(r.table),
            Text(r.file),
            f"{r.rows:,}".replace(",", " "),
            Text(", ".join(r.extra_columns) or "–"),
        )
    out.print(table)
    for s in report.skipped:
        say(f"Hoppet over {s.name}: {s.reason}.")


@app.command()
def run(
    ctx: typer.Context,
    as_of: Annotated[
        datetime | None,
        typer.Option(
            "--as-of",
            formats=["%Y-%m-%d"],
            help="Referansedato (ÅÅÅÅ-MM-DD). Standard er i dag i Europe/Oslo.",
        ),
    ] = None,
    domain: Annotated[
        RunDomain, typer.Option(help="Hvilket domene som skal beregnes.")
    ] = RunDomain.all,
    full_refresh: Annotated[
        bool,
        typer.Option(
            "--full-refresh",
            help="Beregn alt på nytt fra 2022-01-03 i stedet for bare det som mangler.",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Skriv ut SQL-en som ville blitt kjørt (for --target), uten å kjøre noe.",
        ),
    ] = False,
    log_format: LogFormatOption = LogFormat.text,
) -> None:
    """Beregn dataproduktene fra landingstabellene, fram til og med referansedatoen."""
    settings = settings_of(ctx)
    reference = as_of.date() if as_of else today_oslo()
    if log_format is LogFormat.json and not dry_run:
        _run_json_logged(settings, reference, domain.value, full_refresh)
        return
    if dry_run:
        dry_run_and_report(settings, reference, domain=domain.value)
        return
    run_and_report(settings, reference, domain=domain.value, full_refresh=full_refresh)


@app.command()
def export(
    ctx: typer.Context,
    table: Annotated[
        str,
        typer.Argument(
            metavar="SCHEMA.TABLE",
            help="Tabellen som skal eksporteres, f.eks. tiltak_gold.uke_antall.",
        ),
    ],
    format: Annotated[ExportFormat, typer.Option("--format", help="Filformat.")],
    out_path: Annotated[Path, typer.Option("--out", help="Filen som skal skrives.")],
    force: Annotated[
        bool, typer.Option("--force", help="Skriv over --out hvis filen finnes fra før.")
    ] = False,
) -> None:
    """Eksporter en publisert tabell (det dashboardet viser) til CSV, Parquet eller Excel."""
    from metrikk.export import ExportError, export_table

    settings = settings_of(ctx)
    try:
        rows = export_table(settings.warehouse, table, format.value, out_path, force=force)
    except ExportError as e:
        raise fail(str(e)) from None
    say(f"Skrev {rows} rader fra {table} til {out_path}.")


@app.command()
def generate(
    ctx: typer.Context,
    domain: Annotated[
        GenerateDomain, typer.Option(help="Hvilket domene det lages syntetiske kilder for.")
    ] = GenerateDomain.all,
    scale: Annotated[
        Scale,
        typer.Option(
            help="small: ett kontor; default: alle kontor; large: omtrent fem ganger default."
        ),
    ] = Scale.small,
    seed: Annotated[
        int, typer.Option(help="Frø for tilfeldighetene; samme frø gir samme data.")
    ] = 42,
    until: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"], help="Siste dag med data (ÅÅÅÅ-MM-DD). Standard er i dag."
        ),
    ] = None,
    form: Annotated[
        GenerateForm,
        typer.Option(
            help="kontrakt: tabellene i tiltak_bronze (kontrakten); kilder: den samme syntetiske verdenen som "
            "NAVs egne kildetabeller (kilde_*-skjemaene i kilder.yaml), som «metrikk ingest kilder» leser. Bare for tiltak."
        ),
    ] = GenerateForm.kontrakt,
) -> None:
    """Lag realistiske syntetiske kildetabeller (merket som syntetiske i metrikk_meta.datasett)."""
    if form is GenerateForm.kilder and domain is not GenerateDomain.tiltak:
        raise fail("--form kilder finnes bare for tiltak; bruk --domain tiltak.", 2)
    settings = settings_of(ctx)
    last_day = until.date() if until else today_oslo()
    domains = ["tiltak", "etterlevelse"] if domain is GenerateDomain.all else [domain.value]
    for d in domains:
        generate_and_report(
            settings, d, scale=scale.value, seed=seed, last_day=last_day, form=form.value
        )


@app.command()
def demo(
    ctx: typer.Context,
    scale: Annotated[
        Scale, typer.Option(help="Hvor mye syntetiske data demoen lager.")
    ] = Scale.small,
    port: Annotated[int, typer.Option(help="Porten nettsidene serveres på.")] = 8000,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Lag data og beregn, men start ikke nettsidene.")
    ] = False,
) -> None:
    """Hele produktet på syntetiske data: lag kilder, beregn dataproduktene og vis dashboardet."""
    from metrikk.demo import run_demo

    run_demo(settings_of(ctx), scale=scale.value, port=port, serve=not no_serve)


class AuthMode(str, Enum):
    auto = "auto"
    entra = "entra"
    av = "av"


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Adressen serveren lytter på.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Porten serveren lytter på.")] = 8000,
    min_antall: Annotated[
        int | None,
        typer.Option(
            "--min-antall",
            help="Beskytt tall om personer (K minst 5): 1 … K-1 vises som «<K», andre tall avrundes til nærmeste 2K, og hvert filter velger én verdi eller alle.",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1, max=64, help="Antall serverprosesser; én per prosessorkjerne gir mest kapasitet."
        ),
    ] = 1,
    auth: Annotated[
        AuthMode | None,
        typer.Option(
            help="Innlogging: entra (krev token sjekket av plattformens token-introspeksjon), av, eller auto (på når NAIS_TOKEN_INTROSPECTION_ENDPOINT er satt; METRIKK_AUTH)."
        ),
    ] = None,
    tidsgrense: Annotated[
        float | None,
        typer.Option(
            min=0.001,
            help="Sekunder én forespørsel får bruke før spørringene avbrytes (standard 30; METRIKK_TIDSGRENSE).",
        ),
    ] = None,
    maks_rader: Annotated[
        int | None,
        typer.Option(
            "--maks-rader",
            min=1,
            help="Høyst så mange rader (eller kombinasjoner) per svar og eksport (standard 100 000; METRIKK_MAKS_RADER).",
        ),
    ] = None,
    maks_eksporter: Annotated[
        int | None,
        typer.Option(
            "--maks-eksporter",
            min=1,
            help="Høyst så mange CSV-/Excel-eksporter samtidig per serverprosess (standard 2; METRIKK_MAKS_EKSPORTER).",
        ),
    ] = None,
) -> None:
    """Start API-et og dashboardet over de publiserte dataproduktene."""
    settings = settings_of(ctx).with_overrides(
        auth=auth.value if auth else None,
        tidsgrense=tidsgrense,
        maks_rader=maks_rader,
        maks_eksporter=maks_eksporter,
    )
    serve_and_report(settings, host=host, port=port, min_antall=min_antall, workers=workers)


def main() -> None:
    app(prog_name="metrikk")


if __name__ == "__main__":
    sys.exit(main())
