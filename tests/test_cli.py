"""The command line surface of CONTRACT §7."""

from __future__ import annotations

import re

import pytest

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
