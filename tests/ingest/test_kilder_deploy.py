"""The production wiring of the source layer: the tiltak Naisjob runs `ingest kilder` before the
tiltak run with commands the real CLI parses, and points METRIKK_KILDER at the file the image holds."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import typer
import yaml

from metrikk.cli import app
from metrikk.kilder import les_kilder
from metrikk.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def parse_cli(args: list[str]) -> None:
    """Parse `metrikk <args>` with the real CLI, without running it (exits with a usage error if wrong)."""
    command, name, rest = typer.main.get_command(app), "metrikk", list(args)
    while hasattr(command, "commands"):
        assert rest and rest[0] in command.commands, f"unknown command in {args}"
        name, command, rest = rest[0], command.commands[rest[0]], rest[1:]
    command.make_context(name, rest, resilient_parsing=False)


def test_the_tiltak_naisjob_ingests_the_sources_before_the_run():
    """naisjob-tiltak.yaml runs `ingest kilder` then `run --domain tiltak` under `set -eu`, both
    real commands, with METRIKK_KILDER set to where the Dockerfile copies deploy/kilder.prod.yaml."""
    spec = yaml.safe_load(
        (ROOT / "deploy" / "nais" / "naisjob-tiltak.yaml").read_text(encoding="utf-8")
    )["spec"]
    script = spec["command"][-1]
    assert "set -eu" in script
    commands = [
        shlex.split(line) for line in script.splitlines() if line.strip().startswith("metrikk ")
    ]
    assert [c[1:] for c in commands] == [["ingest", "kilder"], ["run", "--domain", "tiltak"]]
    for command in commands:
        parse_cli(command[1:])
    env = {e["name"]: e["value"] for e in spec["env"]}
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(
        rf"^COPY deploy/kilder\.prod\.yaml {re.escape(env['METRIKK_KILDER'])}$", dockerfile, re.M
    )
    assert "!deploy/kilder.prod.yaml" in (ROOT / "deploy" / "Dockerfile.dockerignore").read_text(
        encoding="utf-8"
    )
    settings = Settings.from_env(
        {**env, "METRIKK_KILDER": str(ROOT / "deploy" / "kilder.prod.yaml")}
    )
    assert (
        les_kilder(settings).tabell("vedtak_14a", "statistikk_dvh_fellestabell").prosjekt
        == "obo-prod"
    )
