"""Docs that cannot drift: the README's two commands, CI running the README's test command,
and docs/cli.md covering every command and option the CLI has."""

from __future__ import annotations

import re
from pathlib import Path

import click
import typer

from metrikk.cli import app

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [b.strip() for b in re.findall(r"```sh\n(.*?)```", text, re.S)]


def test_readme_starts_with_the_demo_and_the_test_command():
    """The README's first two shell blocks run the demo and the tests on a machine with only pip."""
    demo, tests = readme_commands()[:2]
    assert demo.endswith("uv run metrikk demo") and "pip install" in demo
    assert "pytest" in tests and "pip install" in tests


def test_ci_runs_the_readme_test_command():
    """.ci/run runs exactly the README's test command and fails on 'no tests collected'."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci
    assert '"$status" -eq 5' in ci


def test_cli_doc_covers_every_command_and_option():
    """docs/cli.md names every command and every long option of the real CLI."""
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    root = typer.main.get_command(app)

    def walk(cmd: click.Command, path: list[str]):
        yield path, cmd
        # Typer bundles its own click, whose groups are not click.Group: recognise them by shape.
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                yield from walk(sub, [*path, name])

    for path, cmd in walk(root, []):
        if path:
            assert f"metrikk {' '.join(path)}" in doc, path
        for param in cmd.params:
            for opt in param.opts:
                if opt.startswith("--") and opt != "--help":
                    assert opt in doc, (path, opt)
