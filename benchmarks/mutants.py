"""Mutation check over the rule code: `uv run python benchmarks/mutants.py [--only ID ...]`.

Each mutant is one small, deliberate bug in the code that decides a contract rule (a SQL model, a
macro, an audit, the loader, the disclosure control): the exact text it replaces in one file, the
replacement, the rule it breaks, and the focused test command that must catch it. The catalogue
is the data file benchmarks/mutants.toml; this script only runs it. mutmut and cosmic-ray mutate
Python only; most of metrikk's rules are SQL, so the catalogue is written by hand.

The script copies the repository (tracked and untracked, not ignored files) to a temporary folder,
runs each focused test once on the unchanged copy (a test that fails there would "kill" every
mutant), then applies one mutant at a time to the copy, runs its test and restores the file. The
working tree is never touched. The copy's `src/` comes first on PYTHONPATH, so the tests import
the copy's metrikk; SQLMesh YAML tests run with the plain `sqlmesh test` CLI in the copy.

A mutant is *killed* when its test command exits non-zero (a failing assertion or a SQLMesh unit
test) and *survived* when it passes. The table shows each mutant's result and time; the last line
is `mutants killed=N/M`. The exit code is 1 when a mutant survived or a test failed unmutated.

    uv run python benchmarks/mutants.py                  # every mutant (about an hour on 2 cores)
    uv run python benchmarks/mutants.py --only T0 W      # ids starting with T0 or W
    uv run python benchmarks/mutants.py --list           # the catalogue, nothing run
    uv run python benchmarks/mutants.py --check          # every mutant still applies (text found once, its test exists)
    uv run python benchmarks/mutants.py --markdown       # the table as Markdown (for RESULTS.md)

Timing is reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIPELINE = "src/metrikk/pipeline"
YAML_TESTS = f"{PIPELINE}/tests"
TIMEOUT_S = 1800
CATALOGUE = Path(__file__).with_name("mutants.toml")


@dataclass(frozen=True)
class Mutant:
    id: str
    rule: str  # the rule it breaks, one line
    file: str  # repository-relative
    old: str  # exact text; must occur `count` times in the file
    new: str
    test: tuple[str, ...]  # the focused test: ("pytest", args...) or ("yaml", files...)
    count: int = 1  # how many occurrences there are (all of them are replaced)


def load(path: Path = CATALOGUE) -> list[Mutant]:
    """The catalogue (benchmarks/mutants.toml), in file order."""
    with path.open("rb") as f:
        rows = tomllib.load(f)["mutant"]
    return [Mutant(**{**row, "test": tuple(row["test"])}) for row in rows]


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


def command(test: tuple[str, ...], copy: Path) -> list[str]:
    """The argv of a focused test command, run in the copy."""
    kind, *args = test
    bindir = Path(sys.executable).parent
    if kind == "pytest":
        return [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *args]
    if kind == "yaml":
        files = [f"{YAML_TESTS}/{a}" for a in args]
        return [str(bindir / "sqlmesh"), "-p", PIPELINE, "test", *files]
    raise ValueError(kind)


def shown_command(test: tuple[str, ...]) -> str:
    """How a person runs the focused test by hand (from the repository root)."""
    kind, *args = test
    if kind == "pytest":
        return "uv run pytest " + " ".join(f'"{a}"' if " " in a else a for a in args)
    return f"uv run sqlmesh -p {PIPELINE} test " + " ".join(f"{YAML_TESTS}/{a}" for a in args)


def check(mutants: list[Mutant], root: Path = ROOT) -> list[str]:
    """Problems: a mutant whose text is not found exactly `count` times, or a duplicate id."""
    problems, seen = [], set()
    for m in mutants:
        if m.id in seen:
            problems.append(f"{m.id}: duplicate id")
        seen.add(m.id)
        path = root / m.file
        if not path.exists():
            problems.append(f"{m.id}: {m.file} does not exist")
            continue
        found = path.read_text(encoding="utf-8").count(m.old)
        if found != m.count:
            problems.append(f"{m.id}: text found {found} times in {m.file}, expected {m.count}")
        if m.old == m.new:
            problems.append(f"{m.id}: the replacement equals the original")
        problems += [
            f"{m.id}: its test {t} does not exist"
            for t in test_paths(m.test)
            if not (root / t).exists()
        ]
    return problems


def test_paths(test: tuple[str, ...]) -> list[str]:
    """The files a focused test command names (a moved test file must move in the catalogue too)."""
    kind, *args = test
    if kind == "yaml":
        return [f"{YAML_TESTS}/{a}" for a in args]
    return [a.split("::")[0] for a in args if a.startswith("tests/")]


def make_copy(dest: Path) -> None:
    """Tracked and untracked (not ignored) files of the working tree, as they are now."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for raw in files:
        if not raw:
            continue
        rel = raw.decode()
        src = ROOT / rel
        if not src.is_file():  # deleted in the working tree
            continue
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest / rel)


def forget_sqlmesh_caches(copy: Path) -> None:
    """SQLMesh caches models by file modification times of the pipeline folder only; a change in
    Python code a macro imports (src/metrikk/*.py) would be served from a stale cache."""
    for cache in copy.rglob(".*.sqlmesh-cache"):
        shutil.rmtree(cache, ignore_errors=True)


@dataclass
class Result:
    mutant: Mutant | None
    outcome: str  # killed / survived / timeout / baseline-failed
    seconds: float
    output: str = ""


def run_test(test: tuple[str, ...], copy: Path) -> tuple[int | None, float, str]:
    """Run a test command in the copy: (exit code or None on timeout, seconds, output tail)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(copy / "src"), os.environ.get("PYTHONPATH", "")]),
        "COLUMNS": "160",
    }
    env.pop("METRIKK_WAREHOUSE", None)
    started = time.monotonic()
    # A session of its own, so that a timeout or an interrupt ends the test and every process
    # it started (pytest starts `metrikk run` subprocesses), by that group's id.
    proc = subprocess.Popen(
        command(test, copy),
        cwd=copy,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None, time.monotonic() - started, "timeout"
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    return proc.returncode, time.monotonic() - started, out[-5000:]


def apply(m: Mutant, copy: Path) -> str:
    """Write the mutant into the copy; returns the file's original text."""
    path = copy / m.file
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace(m.old, m.new), encoding="utf-8")
    return original


def restore(m: Mutant, copy: Path, original: str) -> None:
    path = copy / m.file
    path.write_text(original, encoding="utf-8")
    # A new modification time, later than the mutant's: SQLMesh's cache keys on it.
    now = time.time()
    os.utime(path, (now, now))


def run(mutants: list[Mutant], verbose: bool) -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="metrikk-mutants-") as tmp:
        copy = Path(tmp)
        make_copy(copy)
        problems = check(mutants, copy)
        if problems:
            raise SystemExit("mutants that no longer apply:\n  " + "\n  ".join(problems))
        # Each distinct focused test once, unmutated: one that fails here would "kill" every
        # mutant it is meant to judge.
        passed: dict[tuple[str, ...], bool] = {}
        for test in dict.fromkeys(m.test for m in mutants):
            code, secs, out = run_test(test, copy)
            passed[test] = code == 0
            status = "passes" if code == 0 else "FAILS"
            print(f"baseline {status} in {secs:5.1f} s: {shown_command(test)}", flush=True)
            if code != 0:
                print(out, flush=True)
        for m in mutants:
            if not passed[m.test]:
                results.append(Result(m, "baseline-failed", 0.0))
                continue
            original = apply(m, copy)
            outside_pipeline = not m.file.startswith(PIPELINE)
            if outside_pipeline:
                forget_sqlmesh_caches(copy)
            try:
                code, secs, out = run_test(m.test, copy)
            finally:
                restore(m, copy, original)
                if outside_pipeline:
                    forget_sqlmesh_caches(copy)
            outcome = "timeout" if code is None else ("killed" if code != 0 else "survived")
            results.append(Result(m, outcome, secs, out))
            print(f"{m.id:40} {outcome:9} {secs:6.1f} s", flush=True)
            if verbose and outcome != "survived":
                print(out, flush=True)
    return results


def table(results: list[Result], markdown: bool) -> str:
    lines = []
    if markdown:
        lines.append("| mutant | rule it breaks | result | s | focused test |")
        lines.append("|---|---|---|---|---|")
        for r in results:
            m = r.mutant
            lines.append(
                f"| `{m.id}` | {m.rule} | {r.outcome} | {r.seconds:.0f} | `{shown_command(m.test)}` |"
            )
    else:
        for r in results:
            m = r.mutant
            lines.append(f"{m.id:40} {r.outcome:15} {r.seconds:6.1f} s  {m.rule}")
            lines.append(f"{'':40} {m.file}")
            lines.append(f"{'':40} {shown_command(m.test)}")
    return "\n".join(lines)


def _terminate(signum, frame) -> None:
    raise KeyboardInterrupt  # unwinds: the running test's process group is killed, the copy removed


def main() -> int:
    signal.signal(signal.SIGTERM, _terminate)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=[], help="ids starting with any of these")
    parser.add_argument("--list", action="store_true", help="print the catalogue, run nothing")
    parser.add_argument("--check", action="store_true", help="check every mutant still applies")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--verbose", action="store_true", help="show the test output of kills")
    args = parser.parse_args()
    catalogue = load()
    mutants = [m for m in catalogue if not args.only or any(m.id.startswith(o) for o in args.only)]
    if args.check:
        problems = check(catalogue)
        print("\n".join(problems) or f"all {len(catalogue)} mutants apply")
        return 1 if problems else 0
    if args.list:
        for m in mutants:
            print(f"{m.id:40} {m.rule}\n{'':40} {m.file}\n{'':40} {shown_command(m.test)}")
        return 0
    started = time.monotonic()
    results = run(mutants, args.verbose)
    print()
    print(table(results, args.markdown))
    killed = sum(r.outcome in ("killed", "timeout") for r in results)
    failed = sum(r.outcome == "baseline-failed" for r in results)
    print(
        f"\nmutants killed={killed}/{len(results)}"
        + (f" baseline_failed={failed}" if failed else "")
        + f" wall_s={time.monotonic() - started:.0f}"
    )
    return 0 if killed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
