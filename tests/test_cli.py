"""The command line surface of CONTRACT §7."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from metrikk.cli import app
from metrikk.settings import Settings
from metrikk.web.app import create_app

COMMANDS = ["demo", "generate", "load", "ingest", "run", "serve", "export"]


def test_help_shows_the_full_surface(metrikk):
    """`metrikk --help` lists every contract command and the global options."""
    out = metrikk("--help").output
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s", out, re.M), command
    for option in ("--warehouse", "--target", "--project"):
        assert option in out


@pytest.mark.parametrize(
    "args,options",
    [
        (["demo"], ["--scale", "--port", "--no-serve"]),
        (["generate"], ["--domain", "--scale", "--seed", "--until"]),
        (["load"], ["DIR", "--append"]),
        (["ingest", "postgres"], ["--app", "--dsn"]),
        (["run"], ["--as-of", "--domain", "--full-refresh"]),
        (["serve"], ["--host", "--port"]),
        (["export"], ["SCHEMA.TABLE", "--format", "--out"]),
    ],
)
def test_every_command_has_plain_help(metrikk, args, options):
    """Each command explains itself and its contract options in its --help."""
    out = metrikk(*args, "--help").output
    for option in options:
        assert option in out


def test_usage_errors_exit_2(metrikk, tmp_path):
    """Unknown commands, options and values are usage errors (exit 2)."""
    metrikk("finnes-ikke", expect=2)
    metrikk("run", "--as-of", "01.02.2024", expect=2)
    metrikk("run", "--domain", "ukjent", expect=2)
    metrikk("generate", "--scale", "enorm", expect=2)


# --- messages are printed literally, never as Rich markup -------------------------------------


def _text(result) -> str:
    return result.output.replace("\n", " ")


def test_a_loaded_value_that_looks_like_markup_is_printed_literally(tmp_path, metrikk):
    """A bad value «[/bold]» gives the normal Norwegian message with the value as written."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "tiltak_bronze.gjennomforing.csv").write_text(
        "id,tiltakstype_id,status,antall_plasser,opprettet_tidspunkt,oppdatert_tidspunkt\n"
        "g1,t1,GJENNOMFORES,[/bold],2024-01-01,2024-01-01\n",
        encoding="utf-8",
    )
    text = _text(metrikk("load", d, expect=1))
    assert "linje 2, kolonne antall_plasser: «[/bold]» er ikke et heltall" in text
    assert "MarkupError" not in text


def test_file_and_column_names_that_look_like_markup_are_printed_literally(tmp_path, metrikk):
    """A file named [red]x.y.csv is named as it is; an extra column [/b] and a hidden file [b] too."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "[red]x.y.csv").write_text("a\n1\n", encoding="utf-8")
    assert "[red]x.y.csv: ukjent tabell [red]x.y." in _text(metrikk("load", d, expect=1))
    (d / "[red]x.y.csv").rename(d / ".[b]skjult")
    (d / "tiltak_bronze.nav_enhet.csv").write_text(
        "enhetsnummer,navn,type,status,[/b]\n0219,[bold]Bærum,LOKAL,Aktiv,x\n", encoding="utf-8"
    )
    text = _text(metrikk("load", d))
    assert "[/b]" in text and "Hoppet over .[b]skjult" in text


def test_export_of_a_name_that_looks_like_markup_is_refused_literally(tmp_path, metrikk):
    """`export "[/x].y"` gives the Norwegian refusal naming [/x].y, not a MarkupError."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "tiltak_bronze.nav_enhet.csv").write_text(
        "enhetsnummer,navn,type,status\n0219,B,LOKAL,Aktiv\n", encoding="utf-8"
    )
    metrikk("load", d)
    text = _text(
        metrikk("export", "[/x].y", "--format", "csv", "--out", tmp_path / "ut.csv", expect=1)
    )
    assert "[/x].y kan ikke eksporteres" in text


def test_paths_that_look_like_markup_are_printed_literally(tmp_path):
    """A warehouse or DIR path holding «[/b]» is printed as it is, in errors and in the result."""

    odd = tmp_path / "[" / "b]"
    d = odd / "in"
    d.mkdir(parents=True)
    (d / "tiltak_bronze.nav_enhet.csv").write_text(
        "enhetsnummer,navn,type,status\n0219,B,LOKAL,Aktiv\n", encoding="utf-8"
    )
    runner = CliRunner()
    warehouse = str(odd / "metrikk.duckdb")
    result = runner.invoke(app, ["--warehouse", warehouse, "load", str(odd / "finnes-ikke")])
    assert result.exit_code == 1 and f"Fant ikke katalogen {odd / 'finnes-ikke'}" in result.output
    result = runner.invoke(app, ["--warehouse", warehouse, "load", str(d)])
    assert result.exit_code == 0, result.output
    assert "[/b]" in result.output


def test_serve_never_creates_a_warehouse(tmp_path):
    """The web app over a mistyped warehouse path says it found none, and creates nothing."""

    missing = tmp_path / "skrivefeil.duckdb"
    with TestClient(create_app(Settings(warehouse=missing))) as client:
        r = client.get("/api/v1/meta")
    assert r.status_code >= 400 and "Fant ikke datavarehuset" in r.text
    assert list(tmp_path.iterdir()) == []
