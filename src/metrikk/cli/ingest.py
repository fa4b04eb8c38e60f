"""`metrikk ingest …`: fetch source tables from the applications' own databases and services
(postgres, veiledergrupper, norg2) and NAV's source tables through the kildelag (kilder)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from metrikk.cli.common import LogFormat, LogFormatOption, log_json, settings_of
from metrikk.terminal import err, fail, out, progress_bar, say, today_oslo

ingest_app = typer.Typer(
    help="Hent kildetabeller fra applikasjonenes egne databaser og tjenester.", no_args_is_help=True
)


class App(str, Enum):
    etterlevelse = "etterlevelse"
    behandlingskatalogen = "behandlingskatalogen"


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
    log_format: LogFormatOption = LogFormat.text,
) -> None:
    """Les NAVs kildetabeller (Valp, Komet, §14a, veilarboppfolging, ao-oppfolgingskontor, Team Tiltak, Norg2, PDL) gjennom kildelaget tiltak_kilde og erstatt tiltak_bronze, alt eller ingenting."""

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
        log_json("kilder_startet", utviklingsnokkel=settings.uses_development_key)
        try:
            result = run_ingest(settings, on_step=lambda step: log_json("kilder_steg", steg=step))
        except IngestError as e:
            log_json(
                "kilder_feilet",
                melding=str(e),
                sekunder=round(time.perf_counter() - started, 3),
                exit_code=1,
            )
            raise typer.Exit(1) from None
        log_json(
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
