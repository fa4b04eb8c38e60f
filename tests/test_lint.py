"""CI lints: `ruff check` and `ruff format --check` pass over src/, tests/ and benchmarks/.

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
