"""Where metrikk reads its settings from: command-line options first, then the environment."""

from __future__ import annotations

import os
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
