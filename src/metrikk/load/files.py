"""What `metrikk load DIR` reads: the entries of DIR, each regular file opened once.

DIR is taken literally: only its own entries are read, each regular file is opened once and
DuckDB reads it through that open descriptor (`/proc/self/fd/N`), so glob characters in a path
never reach DuckDB's globbing and a file cannot be swapped between the checks and the read.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from metrikk.catalog import LandingTable, landing_tables

FORMATS = ("csv", "parquet", "jsonl")


class LoadError(Exception):
    """A file that cannot be loaded; the message names file, line/row and column in bokmål."""


@dataclass(frozen=True)
class Skipped:
    """An entry of DIR that was not loaded, and why (hidden files: tool metadata, not data)."""

    name: str
    reason: str


@dataclass(frozen=True)
class _SourceFile:
    path: Path  # as found in DIR; messages use its name
    table: LandingTable
    fmt: str
    fd: int  # opened once by `discover`; DuckDB and the diagnostics read through it

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def source(self) -> str:
        """The path DuckDB reads: the open descriptor, never a path DuckDB could glob."""
        return _fd_path(self.fd)

    def open_text(self):
        """The file as text for the diagnostics: UTF-8 (a BOM is dropped), bad bytes kept as
        surrogates so they can be found, newlines untranslated (the csv module wants that)."""
        return open(self.source, encoding="utf-8-sig", errors="surrogateescape", newline="")  # noqa: SIM115

    def open_bytes(self):
        return open(self.source, "rb")  # noqa: SIM115


def _fd_path(fd: int) -> str:
    for base in ("/proc/self/fd", "/dev/fd"):
        if os.path.isdir(base):
            return f"{base}/{fd}"
    raise LoadError(
        "Denne plattformen har verken /proc/self/fd eller /dev/fd; metrikk load trenger en av dem."
    )


def _entry_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "en katalog"
    if stat.S_ISFIFO(mode):
        return "et navngitt rør (FIFO)"
    if stat.S_ISSOCK(mode):
        return "en socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "en enhetsfil"
    return "en spesialfil"


def _unreadable(what: str, e: OSError) -> LoadError:
    if isinstance(e, PermissionError):
        return LoadError(f"{what}: mangler lesetilgang.")
    return LoadError(f"{what}: kunne ikke åpnes ({e.strerror or e}).")


def discover(directory: Path) -> tuple[list[_SourceFile], list[Skipped]]:
    """Every loadable file directly in `directory` (opened), and the hidden entries skipped;
    a LoadError names the first entry that cannot be loaded. Nothing is skipped silently."""
    try:
        st = directory.stat()
    except OSError:
        st = None
    if st is None or not stat.S_ISDIR(st.st_mode):
        raise LoadError(f"Fant ikke katalogen {directory}.")
    root = directory.resolve()
    tables = landing_tables()
    files: list[_SourceFile] = []
    skipped: list[Skipped] = []
    seen: dict[str, Path] = {}
    try:
        entries = sorted(directory.iterdir(), key=lambda p: p.name)
    except OSError as e:
        raise _unreadable(f"Katalogen {directory}", e) from None
    try:
        for path in entries:
            if path.name.startswith("."):
                skipped.append(
                    Skipped(path.name, "skjult fil eller katalog (navnet starter med punktum)")
                )
                continue
            lst = path.lstat()
            if stat.S_ISLNK(lst.st_mode):
                target = path.resolve()
                if not target.is_relative_to(root):
                    raise LoadError(
                        f"{path.name}: er en symbolsk lenke til {target}, som ligger utenfor {directory}. "
                        f"Legg selve filen i katalogen."
                    )
                if not target.exists():
                    raise LoadError(
                        f"{path.name}: er en symbolsk lenke til {target}, som ikke finnes."
                    )
            checked = path.stat()
            mode = checked.st_mode
            if not stat.S_ISREG(mode):
                raise LoadError(
                    f"{path.name}: er {_entry_kind(mode)}, ikke en fil. metrikk load leser bare vanlige "
                    f"filer direkte i {directory}"
                    + (
                        " (en Parquet-katalog må skrives som én fil)."
                        if stat.S_ISDIR(mode)
                        else "."
                    )
                )
            parts = path.name.split(".")
            if len(parts) != 3 or parts[2] not in FORMATS:
                raise LoadError(
                    f"{path.name}: ukjent filnavn. Forventet <schema>.<tabell>.<csv|parquet|jsonl>, "
                    f"f.eks. tiltak_bronze.deltaker.csv."
                )
            name = f"{parts[0]}.{parts[1]}"
            if name not in tables:
                raise LoadError(
                    f"{path.name}: ukjent tabell {name}. Kjente tabeller: "
                    + ", ".join(sorted(tables))
                    + "."
                )
            if name in seen:
                raise LoadError(
                    f"{path.name}: tabellen {name} har allerede en fil ({seen[name].name})."
                )
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            except OSError as e:
                raise _unreadable(path.name, e) from None
            files.append(_SourceFile(path, tables[name], parts[2], fd))
            opened = os.fstat(fd)
            if (opened.st_dev, opened.st_ino) != (checked.st_dev, checked.st_ino):
                raise LoadError(f"{path.name}: ble byttet ut mens katalogen ble lest. Prøv igjen.")
            seen[name] = path
    except BaseException:
        _close(files)
        raise
    if not files:
        raise LoadError(
            f"Fant ingen filer å laste i {directory}."
            + (f" Hoppet over: {', '.join(s.name for s in skipped)}." if skipped else "")
        )
    return files, skipped


def _close(files: list[_SourceFile]) -> None:
    for f in files:
        try:
            os.close(f.fd)
        except OSError:
            pass
