"""The `metrikk` command line (CONTRACT §7). Each command parses, calls one domain function and
reports in bokmål. Exit codes: 0 success, 1 a failed check or run, 2 a usage error or a part
that is not built yet."""

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

from metrikk.settings import Settings
from metrikk.terminal import (
    OSLO,
    err,
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
ingest_app = typer.Typer(
    help="Hent kildetabeller fra applikasjonenes egne databaser og tjenester.", no_args_is_help=True
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


class LogFormat(str, Enum):
    text = "text"
    json = "json"


def _log_json(event: str, **fields: object) -> None:
    """One structured log line on stdout (for Naisjob/Airflow log collection)."""
    import json

    line = {
        "tidspunkt": datetime.now(OSLO).isoformat(timespec="seconds"),
        "hendelse": event,
        **fields,
    }
    sys.stdout.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def _run_json_logged(settings: Settings, reference: date, domain: str, full_refresh: bool) -> None:
    """`metrikk run --log-format json`: the same run, reported as JSON lines; same exit codes."""
    import time

    from metrikk.run import RunError, run_pipeline

    started = time.perf_counter()
    _log_json(
        "kjoring_startet",
        as_of=reference.isoformat(),
        domene=domain,
        full_omberegning=full_refresh,
        utviklingsnokkel=settings.uses_development_key,
    )

    def on_progress(name: str, done: int, total: int) -> None:
        if name:
            _log_json("modell_beregnet", modell=name, ferdig=done, totalt=total)

    try:
        report = run_pipeline(
            settings, reference, domain=domain, full_refresh=full_refresh, on_progress=on_progress
        )
    except RunError as e:
        _log_json(
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
    _log_json(
        "kjoring_fullfort",
        as_of=reference.isoformat(),
        domene=domain,
        tabeller=report.tables,
        kildeendringer=drift,
        sekunder=round(time.perf_counter() - started, 3),
        exit_code=0,
    )


class App(str, Enum):
    etterlevelse = "etterlevelse"
    behandlingskatalogen = "behandlingskatalogen"


def settings_of(ctx: typer.Context) -> Settings:
    return ctx.ensure_object(dict)["settings"]


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
    log_format: Annotated[
        LogFormat,
        typer.Option(
            "--log-format",
            envvar="METRIKK_LOG_FORMAT",
            help="text for mennesker, json for planleggere (én JSON-linje per hendelse).",
        ),
    ] = LogFormat.text,
) -> None:
    """Beregn dataproduktene fra landingstabellene, fram til og med referansedatoen."""
    from metrikk.run import RunError, render_models

    settings = settings_of(ctx)
    reference = as_of.date() if as_of else today_oslo()
    if log_format is LogFormat.json and not dry_run:
        _run_json_logged(settings, reference, domain.value, full_refresh)
        return
    if dry_run:
        try:
            rendered = render_models(settings, reference, domain=domain.value)
        except RunError as e:
            raise fail(str(e)) from None
        for name, sql in rendered:
            out.print(
                f"-- {name} ({settings.target}, per {reference.isoformat()})", highlight=False
            )
            out.print(sql.rstrip() + ";\n", highlight=False, markup=False, soft_wrap=True)
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


@ingest_app.command("postgres")
def ingest_postgres(
    ctx: typer.Context,
    app_name: Annotated[
        App, typer.Option("--app", help="Hvilken applikasjons database det hentes fra.")
    ],
    dsn: Annotated[
        str,
        typer.Option(
            envvar="METRIKK_INGEST_DSN",
            help="PostgreSQL-tilkobling, f.eks. postgresql://bruker@vert:5432/db (eller METRIKK_INGEST_DSN).",
        ),
    ],
) -> None:
    """Hent revisjonslogg og gjeldende tabeller fra PostgreSQL inn i landing_zone (inkrementelt), i DuckDB eller med --target bigquery i BigQuery."""
    from metrikk.ingest import IngestError, ingest

    try:
        ingest(settings_of(ctx), app_name.value, dsn, console=out)
    except IngestError as e:
        # fail() prints it literally: it holds DSNs, SQL and names like metrikk[bigquery].
        raise fail(f"{e}\nIngenting ble endret i datavarehuset.") from None


def _check_url(url: str, option: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise fail(f"{option}: «{url}» er ikke en http(s)-adresse.", 2)
    return url.strip()


@ingest_app.command("veiledergrupper")
def ingest_veiledergrupper(
    ctx: typer.Context,
    enheter: Annotated[
        str | None,
        typer.Option(
            "--enheter",
            metavar="NR,NR",
            help="Enhetene som hentes, kommaseparert (f.eks. 0219,0220).",
        ),
    ] = None,
    alle_lokale: Annotated[
        bool,
        typer.Option(
            "--alle-lokale",
            help="Hent alle LOKAL-enheter som ikke er nedlagt (fra kilde_norg2.enhet, ellers tiltak_bronze.nav_enhet).",
        ),
    ] = False,
    fra_api: Annotated[
        str | None,
        typer.Option(
            "--fra-api",
            metavar="URL",
            help="Hent fra veilarbfilters API, f.eks. https://veilarbfilter.intern.nav.no/veilarbfilter (METRIKK_VEILARBFILTER_URL), med et personlig token i METRIKK_VEILARBFILTER_TOKEN.",
        ),
    ] = None,
    dsn: Annotated[
        str | None,
        typer.Option(
            "--dsn", help="Hent fra veilarbfilters PostgreSQL-database (METRIKK_VEILARBFILTER_DSN)."
        ),
    ] = None,
    dato: Annotated[
        datetime | None,
        typer.Option(
            "--dato",
            formats=["%Y-%m-%d"],
            help="Dagen øyeblikksbildet gjelder (ÅÅÅÅ-MM-DD). Standard er i dag i Europe/Oslo.",
        ),
    ] = None,
) -> None:
    """Legg dagens veiledergrupper (ett medlem per rad) til i øyeblikksbildene i kilde_veilarbfilter.veiledergruppe_snapshot."""
    from metrikk.ingest import IngestError
    from metrikk.ingest.veiledergrupper import (
        ApiSource,
        DatabaseSource,
        check_enheter,
        ingest_veiledergrupper,
    )

    settings = settings_of(ctx)
    if (enheter is None) == (not alle_lokale):
        raise fail("Velg enten --enheter 0219,0220 eller --alle-lokale.", 2)
    if fra_api and dsn:
        raise fail("Velg én kilde: --fra-api eller --dsn, ikke begge.", 2)
    if not fra_api and not dsn:
        if settings.veilarbfilter_dsn and settings.veilarbfilter_url:
            raise fail(
                "Både METRIKK_VEILARBFILTER_DSN og METRIKK_VEILARBFILTER_URL er satt; velg kilde med "
                "--dsn eller --fra-api.",
                2,
            )
        dsn, fra_api = settings.veilarbfilter_dsn, settings.veilarbfilter_url
        if not fra_api and not dsn:
            raise fail(
                "Oppgi kilden: --dsn (veilarbfilters database) eller --fra-api URL (veilarbfilters "
                "API), eller METRIKK_VEILARBFILTER_DSN / METRIKK_VEILARBFILTER_URL.",
                2,
            )
    day = dato.date() if dato else today_oslo()
    if day > today_oslo():
        raise fail(f"--dato {day.isoformat()} ligger fram i tid.", 2)
    wanted = None
    if not alle_lokale:
        try:
            wanted = check_enheter(enheter.split(","))
        except IngestError as e:
            raise fail(str(e), 2) from None
    try:
        if fra_api:
            source = ApiSource(
                _check_url(fra_api, "--fra-api / METRIKK_VEILARBFILTER_URL"),
                settings.veilarbfilter_token,
            )
        else:
            source = DatabaseSource(dsn)
        with progress_bar() as progress:
            task = progress.add_task("Henter veiledergrupper", total=None)

            def on_enhet(enhet: str, done: int, total: int) -> None:
                progress.update(task, total=total, completed=done, description=f"Hentet {enhet}")

            result = ingest_veiledergrupper(
                settings, source, dato=day, enheter=wanted, progress=on_enhet
            )
    except IngestError as e:
        raise fail(f"{e}\nIngenting ble endret i datavarehuset.") from None
    if len(result.enheter) <= 20:
        table = Table(
            "enhet", "grupper", "rader", "status", title=f"Veiledergrupper per {day.isoformat()}"
        )
        for r in result.enheter:
            status = "hentet" if r.error is None else "feilet"
            if r.carried_from is not None:
                status += f", bildet fra {r.carried_from.isoformat()} ført videre"
            table.add_row(r.enhet, str(r.groups), str(r.rows), status)
        out.print(table)
    fetched = [r for r in result.enheter if r.error is None]
    say(
        f"Øyeblikksbilde {day.isoformat()} fra {result.source} til {result.table}: "
        f"{len(fetched)} av {len(result.enheter)} enheter hentet, "
        f"{sum(r.groups for r in fetched)} grupper, {sum(r.rows for r in fetched)} rader. "
        f"Tabellen har nå {result.total_rows} rader ({result.seconds:.1f} s)."
    )
    if result.carried_other:
        n = result.carried_other
        say(
            f"{n} {'enhet' if n == 1 else 'enheter'} som ikke var med i denne kjøringen har fått "
            f"bildet fra {result.carried_from.isoformat()} ført videre uendret (medlemskapene "
            f"løper videre)."
        )
    if result.failed:
        names = ", ".join(r.enhet for r in result.failed)
        carried = [r for r in result.failed if r.carried_from is not None]
        lines = "\n".join(f"- {r.error}" for r in result.failed)
        raise fail(
            f"Henting feilet for {len(result.failed)} av {len(result.enheter)} enheter: {names}. "
            f"De andre enhetene er lagret."
            + (
                f" For {', '.join(r.enhet for r in carried)} er forrige øyeblikksbilde ført videre "
                f"uendret, så medlemskapene der løper videre."
                if carried
                else ""
            )
            + f" Hent dem igjen med --enheter {','.join(r.enhet for r in result.failed)}.\n{lines}"
        )


@ingest_app.command("norg2")
def ingest_norg2(
    ctx: typer.Context,
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            help="Norg2s adresse, f.eks. https://norg2.intern.nav.no/norg2 (METRIKK_NORG2_URL).",
        ),
    ] = None,
) -> None:
    """Erstatt kilde_norg2.enhet med alle Nav-enheter fra Norg2 (type, status og overordnet enhet)."""
    from metrikk.ingest import IngestError
    from metrikk.ingest.norg2 import ingest_norg2 as run_norg2

    settings = settings_of(ctx)
    url = url or settings.norg2_url
    if not url:
        raise fail("Oppgi Norg2s adresse med --url eller METRIKK_NORG2_URL.", 2)
    try:
        result = run_norg2(settings, _check_url(url, "--url / METRIKK_NORG2_URL"))
    except IngestError as e:
        raise fail(f"{e}\nIngenting ble endret i datavarehuset.") from None
    say(
        f"Hentet {result.rows} enheter fra Norg2 ({result.url}) til {result.table} "
        f"({result.seconds:.1f} s)."
    )


class AuthMode(str, Enum):
    auto = "auto"
    entra = "entra"
    av = "av"


@ingest_app.command("kilder")
def ingest_kilder(
    ctx: typer.Context,
    kilder: Annotated[
        Path | None,
        typer.Option(
            "--kilder",
            exists=True,
            dir_okay=False,
            help="kilder.yaml med hvor NAVs kildetabeller ligger (erstatter METRIKK_KILDER og den innebygde filen).",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Skriv ut SQL-en kildelaget og erstatningen av tiltak_bronze ville kjørt (for --target), uten å kjøre noe.",
        ),
    ] = False,
    log_format: Annotated[
        LogFormat,
        typer.Option(
            "--log-format",
            envvar="METRIKK_LOG_FORMAT",
            help="text for mennesker, json for planleggere (én JSON-linje per hendelse).",
        ),
    ] = LogFormat.text,
) -> None:
    """Les NAVs kildetabeller (Valp, Komet, §14a, veilarboppfolging, ao-oppfolgingskontor, Team Tiltak, Norg2, PDL) gjennom kildelaget tiltak_kilde og erstatt tiltak_bronze, alt eller ingenting."""
    from rich.markup import escape

    from metrikk.ingest.errors import IngestError
    from metrikk.ingest.kilder import ingest_kilder as run_ingest
    from metrikk.ingest.kilder import render_kilder

    settings = settings_of(ctx).with_overrides(kilder_fil=kilder)
    if dry_run:
        try:
            rendered = render_kilder(settings)
        except IngestError as e:
            raise fail(escape(str(e))) from None
        for name, sql in rendered:
            out.print(f"-- {name} ({settings.target})", highlight=False, markup=False)
            out.print(
                sql.rstrip().rstrip(";") + ";\n", highlight=False, markup=False, soft_wrap=True
            )
        return
    if log_format is LogFormat.json:
        import time

        started = time.perf_counter()
        _log_json("kilder_startet", utviklingsnokkel=settings.uses_development_key)
        try:
            result = run_ingest(settings, on_step=lambda step: _log_json("kilder_steg", steg=step))
        except IngestError as e:
            _log_json(
                "kilder_feilet",
                melding=str(e),
                sekunder=round(time.perf_counter() - started, 3),
                exit_code=1,
            )
            raise typer.Exit(1) from None
        _log_json(
            "kilder_fullfort",
            tabeller={
                t.tabell: {"rader": t.rader, "utelatt": t.utelatt, "syntetisk": t.syntetisk}
                for t in result.tabeller
            },
            kildeavvik=[
                {"kilde": a.kilde, "type": a.type, "avvik": a.avvik, "antall": a.antall}
                for a in result.avvik
            ],
            ikke_tilgjengelig=result.ikke_tilgjengelig,
            sekunder=round(result.sekunder, 3),
            exit_code=0,
        )
        return
    try:
        with progress_bar() as progress:
            task = progress.add_task("Leser kildene", total=None)
            result = run_ingest(
                settings, on_step=lambda step: progress.update(task, description=step)
            )
    except IngestError as e:
        raise fail(f"{escape(str(e))}\nIngenting ble endret i tiltak_bronze.") from None
    if settings.uses_development_key:
        err.print(
            "[yellow]Merk:[/] METRIKK_PSEUDONYM_KEY er ikke satt; personer og veiledere er pseudonymisert "
            "med utviklingsnøkkelen. Sett en hemmelig nøkkel i produksjon.",
            highlight=False,
        )
    table = Table(
        "tabell", "rader", "utelatt¹", "syntetisk", title="tiltak_bronze erstattet fra kildene"
    )
    for t in result.tabeller:
        table.add_row(
            t.tabell.removeprefix("tiltak_bronze."),
            f"{t.rader:,}".replace(",", " "),
            str(t.utelatt) if t.utelatt else "–",
            "ja" if t.syntetisk else "nei",
        )
    out.print(table)
    out.print(
        "¹ rader uten en verdi kontrakten krever (f.eks. person_id); ikke lastet.", highlight=False
    )
    for name in result.ikke_tilgjengelig:
        err.print(
            f"[yellow]Ikke tilgjengelig:[/] {name} er satt til null i kilder.yaml; den leses som tom.",
            highlight=False,
        )
    if result.avvik:
        err.print("[yellow]Kildeavvik[/] (stopper ikke innlastingen):", highlight=False)
        for a in result.avvik:
            err.print(
                f"  {a.type}: {a.kilde}: {a.avvik}: {a.antall}",
                highlight=False,
                markup=False,
                soft_wrap=True,
            )


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
