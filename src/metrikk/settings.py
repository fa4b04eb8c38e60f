"""Where metrikk reads its settings from: command-line options first, then the environment."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

DEFAULT_WAREHOUSE = Path("metrikk.duckdb")
DEVELOPMENT_PSEUDONYM_KEY = "metrikk-utvikling-ikke-hemmelig"


@dataclass(frozen=True)
class Settings:
    """Settings for one invocation. Build with `Settings.from_env()` and override with `replace`."""

    warehouse: Path = DEFAULT_WAREHOUSE
    target: str = "duckdb"  # duckdb | bigquery
    project: str | None = None  # BigQuery project when target is bigquery
    state_dsn: str | None = None  # PostgreSQL DSN for SQLMesh state (any target); None = in the warehouse
    pseudonym_key: str | None = None
    duckdb_memory_limit: str | None = None  # e.g. "2GB"; default per domain (see run.py)
    # Where the real NAV sources are (docs/kilder.md): a kilder.yaml replacing the packaged one
    # (METRIKK_KILDER), and per-source overrides METRIKK_KILDE_<KILDE>_PROSJEKT / _DATASETT as
    # (env variable, kilde, "prosjekt" | "datasett", value), validated by `metrikk.kilder`.
    kilder_fil: Path | None = None
    kilde_steder: tuple[tuple[str, str, str, str], ...] = ()

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            warehouse=Path(env.get("METRIKK_WAREHOUSE") or DEFAULT_WAREHOUSE),
            target=env.get("METRIKK_TARGET") or "duckdb",
            project=env.get("METRIKK_PROJECT") or None,
            state_dsn=env.get("METRIKK_STATE_DSN") or None,
            pseudonym_key=env.get("METRIKK_PSEUDONYM_KEY") or None,
            duckdb_memory_limit=env.get("METRIKK_DUCKDB_MEMORY_LIMIT") or None,
            kilder_fil=Path(env["METRIKK_KILDER"]) if env.get("METRIKK_KILDER") else None,
            kilde_steder=kilde_steder_from_env(env),
        )

    def with_overrides(self, **overrides: object) -> Settings:
        """Return a copy with every override that is not None applied."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def uses_development_key(self) -> bool:
        return self.pseudonym_key is None

    @property
    def effective_pseudonym_key(self) -> str:
        return self.pseudonym_key or DEVELOPMENT_PSEUDONYM_KEY


_KILDE_STED = re.compile(r"METRIKK_KILDE_([A-Z0-9_]+)_(PROSJEKT|DATASETT)")


def kilde_steder_from_env(env) -> tuple[tuple[str, str, str, str], ...]:
    """Every METRIKK_KILDE_<KILDE>_PROSJEKT / _DATASETT that is set, sorted by variable name:
    (variable, kilde in lower case, "prosjekt" | "datasett", value)."""
    found = []
    for name in sorted(env):
        match = _KILDE_STED.fullmatch(name)
        if match and env[name]:
            found.append((name, match.group(1).lower(), match.group(2).lower(), env[name]))
    return tuple(found)
