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


def test_the_innsatsgruppe_codes_and_labels_have_one_home():
    """metrikk/koder.py holds every innsatsgruppe code and label; no other module under src/metrikk
    writes a list, set or mapping of them out again (it imports them from koder)."""
    from metrikk import koder

    known = set(koder.INNSATSGRUPPE) | set(koder.INNSATSGRUPPE_NONE)
    known |= set(koder.INNSATSGRUPPE_NAVN.values()) | set(koder.KATEGORI_NAVN.values())
    copies = []
    for p in sorted(SRC.rglob("*.py")):
        if p == SRC / "koder.py":
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"), str(p))):
            if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
                items = node.keys + node.values if isinstance(node, ast.Dict) else node.elts
                strings = {n.value for n in items if isinstance(n, ast.Constant)}
                if len(strings & known) >= 3:
                    copies.append(f"{p.relative_to(SRC)}:{node.lineno}")
    assert copies == []


def test_readers_never_import_the_writer():
    """The web app and export read published snapshots through metrikk.snapshot; only writers
    (load, generate, ingest, run, warehouse.writing) import metrikk.publish."""
    readers = [SRC / "export.py", SRC / "snapshot.py", *sorted((SRC / "web").rglob("*.py"))]
    importers = [
        str(p.relative_to(SRC))
        for p in readers
        if any(
            m == "metrikk.publish" or m.startswith("metrikk.publish.") for m in imported_modules(p)
        )
    ]
    assert importers == []


def test_pipeline_macros_import_no_app_module():
    """The SQLMesh macros import only what sits below the app (koder, sqltid, pseudonym, …), never
    a module of a command (drift, run, load, cli, …)."""
    app_modules = {"metrikk.drift", "metrikk.run", "metrikk.load", "metrikk.cli", "metrikk.export"}
    found = [
        f"{p.relative_to(SRC)}: {m}"
        for p in sorted((SRC / "pipeline" / "macros").rglob("*.py"))
        for m in sorted(imported_modules(p))
        if m in app_modules or any(m.startswith(a + ".") for a in app_modules)
    ]
    assert found == []
