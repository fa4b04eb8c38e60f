"""Every third-party package imported in src/metrikk is declared in pyproject.toml: a runtime
dependency, or (for an import made only where a feature needs it) an optional extra. A package
that only arrives through another one's dependencies can disappear with that one's next version."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "metrikk"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> tuple[set[str], set[str]]:
    """(runtime dependencies, optional extras' packages) of pyproject.toml, as normalised names."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {normalise(re.match(r"[A-Za-z0-9._-]+", r).group(0)) for r in requirements}

    optional = set().union(*map(names, project.get("optional-dependencies", {}).values()))
    return names(project["dependencies"]), optional


def third_party_imports() -> dict[str, dict[str, bool]]:
    """Top-level module -> {file:line -> whether the import is at module level}."""
    found: dict[str, dict[str, bool]] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        top_level = {id(n) for n in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in sys.stdlib_module_names or top == "metrikk" or top == "__future__":
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                found.setdefault(top, {})[where] = id(node) in top_level
    return found


def test_every_imported_package_is_declared():
    runtime, optional = declared()
    distributions = packages_distributions()
    problems = []
    for module, places in sorted(third_party_imports().items()):
        dists = {normalise(d) for d in distributions.get(module, [])}
        at_top = [w for w, top in places.items() if top]
        if not dists:
            # Not installed here (an optional extra, e.g. google-cloud-bigquery): then no module
            # may import it at its top, or importing metrikk would fail without the extra.
            if at_top:
                problems.append(f"{module} (not installed) imported at module level: {at_top}")
        elif dists & runtime:
            continue
        elif dists & optional and not at_top:
            continue
        else:
            problems.append(
                f"{module} (distribution {', '.join(sorted(dists))}) is not a runtime dependency "
                f"in pyproject.toml; imported at {', '.join(sorted(places))}"
            )
    assert not problems, "\n".join(problems)
