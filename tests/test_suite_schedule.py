"""How the two xdist workers share the suite (tests/conftest.py, docs/testing.md «Two workers»):
the units name files, tests and fixtures that exist, and a file that uses a shared warehouse
joins its unit."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from tests import conftest

ROOT = Path(__file__).resolve().parents[1]


def fixture_names() -> set[str]:
    """Every fixture name declared with `name="..."` in the suite's conftest files."""
    names: set[str] = set()
    for path in (ROOT / "tests").rglob("conftest.py"):
        names.update(re.findall(r'name="(\w+)"', path.read_text(encoding="utf-8")))
    return names


def test_every_named_file_test_and_fixture_exists():
    """A renamed file, test or fixture would silently drop out of the schedule."""
    assert set(conftest.SHARED_BUILDS) <= fixture_names()
    for path in conftest.SPREAD:
        assert (ROOT / path).is_file(), path
    for first in conftest.LONGEST_FIRST:
        if first in conftest.SHARED_BUILDS.values():
            continue
        path, _, test = first.partition("::")
        assert (ROOT / path).is_file(), first
        if test:
            assert f"def {test}(" in (ROOT / path).read_text(encoding="utf-8"), first


def test_a_file_using_a_shared_warehouse_joins_its_unit():
    """Units are whole files; a file with one test on a shared warehouse joins that unit with all
    its tests, and the tests of a spread file are no file's unit."""

    def item(nodeid: str, *fixtures: str) -> SimpleNamespace:
        return SimpleNamespace(nodeid=nodeid, fixturenames=["tmp_path", *fixtures])

    units = conftest.work_units(
        [
            item("tests/web/test_a.py::test_1", "fixture_db"),
            item("tests/web/test_a.py::test_2", "pipeline_db"),
            item("tests/web/test_b.py::test_1", "fixture_db"),
            item("tests/run/test_kill.py::test_1", "tiltak_base", "tiltak_clean"),
            item("tests/run/test_run.py::test_1", "tiltak_base"),
        ]
    )
    assert units == {
        "tests/web/test_a.py": "lager-pipeline",
        "tests/web/test_b.py": "tests/web/test_b.py",
        "tests/run/test_kill.py": "lager-tiltak-base",
    }
