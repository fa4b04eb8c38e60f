"""Where code lives (README «Where things are»): rules about the import graph that a move could
quietly break."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "metrikk"


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports, at its top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def test_only_the_command_line_imports_the_command_line():
    """cli.py imports demo.py and terminal.py; nothing in src/metrikk imports cli back (the demo
    calls the functions the commands call, not the commands)."""
    importers = [
        str(p.relative_to(SRC))
        for p in sorted(SRC.rglob("*.py"))
        if p.name not in ("cli.py", "__main__.py") and "metrikk.cli" in imported_modules(p)
    ]
    assert importers == []


def test_the_environment_is_read_only_in_settings():
    """Every environment variable is read (or handed to worker processes) in settings.py."""
    readers = [
        f"{p.relative_to(SRC)}:{n}"
        for p in sorted(SRC.rglob("*.py"))
        if p.name != "settings.py" or p.parent != SRC
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if "os.environ" in line or "getenv" in line
    ]
    assert readers == []


def test_the_readme_names_every_room():
    """README «Where things are» names every module and package directly under src/metrikk."""
    readme = (SRC.parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Where things are", 1)[1].split("```")[1]
    rooms = [
        p.name + ("/" if p.is_dir() else "")
        for p in sorted(SRC.iterdir())
        if (p.suffix == ".py" and p.name not in ("__init__.py", "__main__.py"))
        or (p.is_dir() and (p / "__init__.py").exists())
    ]
    assert [r for r in rooms if f"src/metrikk/{r}" not in block] == []
