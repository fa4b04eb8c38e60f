"""Hypothesis profiles: `ci` (the default) and `long` (the weekly run), chosen by an env var.

    METRIKK_HYPOTHESIS_PROFILE=long uv run --locked pytest -m "not browser" tests/tiltak tests/web tests/test_publish.py

`ci`: fixed examples (derandomize, no example database), so a CI failure reproduces with the
same command. `long`: fresh random examples every run and `LONG_FACTOR` times as many; a failure
prints the seed and the falsifying example (`@reproduce_failure` blob) to replay it.

Tests that set their own example count write it as `examples(n)`: n in CI, n × LONG_FACTOR in the
long profile (a test's explicit `max_examples` overrides the profile's).
"""

from __future__ import annotations

import os

from hypothesis import settings

PROFILE = os.environ.get("METRIKK_HYPOTHESIS_PROFILE", "ci")
LONG_FACTOR = 20

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("long", derandomize=False, database=None, deadline=None, print_blob=True)
if PROFILE not in ("ci", "long"):
    raise ValueError(f"METRIKK_HYPOTHESIS_PROFILE={PROFILE!r}: use ci or long")
settings.load_profile(PROFILE)


def examples(ci: int) -> int:
    """How many examples a property test runs under the active profile."""
    return ci * LONG_FACTOR if PROFILE == "long" else ci


def derandomize() -> bool:
    """Fixed examples in CI, fresh ones in the long profile."""
    return PROFILE != "long"
