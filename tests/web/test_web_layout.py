"""The web room after issue #13's split: every module small enough to hold in one's head, and
every `q.<name>` the code uses still served by the `queries` package (a name lost in a move
would only fail when its route runs)."""

from __future__ import annotations

import ast
from pathlib import Path

from metrikk.web import api
from metrikk.web import queries as q

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "src" / "metrikk" / "web"
MAX_LINES = 550  # "no file over ~500 lines"


def test_no_web_module_is_over_about_500_lines():
    lines = {
        str(p.relative_to(WEB)): len(p.read_text(encoding="utf-8").splitlines())
        for p in sorted(WEB.rglob("*.py"))
    }
    assert len(lines) > 20  # the web modules were found
    long = {name: n for name, n in lines.items() if n > MAX_LINES}
    assert long == {}


def _attributes_of(alias: str, path: Path) -> set[str]:
    """Every `alias.<name>` read in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == alias
    }


def _importers_of_queries_as_q() -> list[Path]:
    files = [*sorted((ROOT / "src").rglob("*.py")), *sorted((ROOT / "tests").rglob("*.py"))]
    return [
        p for p in files if "from metrikk.web import queries as q" in p.read_text(encoding="utf-8")
    ]


def test_every_q_name_in_use_is_served_by_the_queries_package():
    files = _importers_of_queries_as_q()
    assert len(files) > 10  # the check reads the real callers, not nothing
    missing = {
        f"{p.relative_to(ROOT)}: q.{name}"
        for p in files
        for name in _attributes_of("q", p)
        if not hasattr(q, name)
    }
    assert missing == set()


def test_the_names_other_modules_import_from_api_stay_there():
    """api.py re-exports what moved to common.py, eksport.py, tiltak.py and brum.py."""
    for name in (
        "router",
        "brum",
        "export_response",
        "ApiError",
        "MAX_ETTERLEVELSE_ROWS",
        "Format",
        "Dimension",
        "error_response",
        "ERROR_KEY",
        "BRUM_ERROR_KEY",
        "monday_of",
        "parse_week",
        "resolve_period",
        "selected_filter",
        "shares",
        "oppetid",
        "_resolve_kontor",
        "_source",
    ):
        assert hasattr(api, name), name
