"""CI lints: `ruff check` and `ruff format --check` pass over src/, tests/ and benchmarks/, and
every mutant of benchmarks/mutants.toml still applies to the code.

ruff is in the `test` dependency group, which `uv run --locked pytest` (CI, the README) installs.
A failure shows ruff's own report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PATHS = ("src", "tests", "benchmarks")


def ruff(*args: str) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", *PATHS],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        pytest.fail(f"ruff {' '.join(args)}:\n{r.stdout}{r.stderr}", pytrace=False)


def test_ruff_check():
    ruff("check")


def test_ruff_format():
    ruff("format", "--check")


def test_every_mutant_of_the_catalogue_still_applies():
    """benchmarks/mutants.toml names exact text in the rule code; a move or a rewrite that leaves
    a mutant pointing at nothing, or at a test file that moved, fails here, not silently in the next
    mutation run."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "mutants.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
