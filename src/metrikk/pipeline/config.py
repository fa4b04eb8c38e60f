"""SQLMesh configuration for metrikk, built in Python (DESIGN: "Python config").

`make_config(settings)` is what `metrikk run` uses. The module-level `config` lets the plain
`sqlmesh` CLI work in this folder too, reading the same environment variables.

- Models are written in the BigQuery dialect with case-sensitive identifiers, so the contract's
  camelCase column names survive (DESIGN, known traps).
- The DuckDB gateway is the default. A BigQuery gateway, with SQLMesh state in PostgreSQL, is
  added only when METRIKK_TARGET=bigquery and a project are set, because building it needs
  the google libraries.
- `virtual_environment_mode = dev_only`: published tables are plain tables with stable names.
"""

from __future__ import annotations

from pathlib import Path

from sqlmesh.core.config import (
    Config,
    DuckDBConnectionConfig,
    GatewayConfig,
    ModelDefaultsConfig,
)

from metrikk.settings import Settings

DIALECT = "bigquery,normalization_strategy=case_sensitive"
START = "2022-01-03"


def cache_dir_for(warehouse: Path) -> Path:
    """SQLMesh's cache lives beside the warehouse file, never inside the installed package."""
    warehouse = Path(warehouse).resolve()
    return warehouse.parent / f".{warehouse.name}.sqlmesh-cache"


def make_config(settings: Settings, *, memory_limit: str | None = None) -> Config:
    """The SQLMesh config for these settings. `memory_limit` caps DuckDB (spilling to disk beyond
    it, with one thread); the etterlevelse domain runs with 400MB so the daily job fits the 1 GiB
    container the original job had (docs/etterlevelse.md, Memory)."""
    gateways: dict[str, GatewayConfig] = {
        "local": GatewayConfig(
            connection=DuckDBConnectionConfig(
                database=str(Path(settings.warehouse).resolve()),
                connector_config={
                    "TimeZone": "UTC",  # sources are UTC; never the machine's zone
                    # A cap is per process; with one thread DuckDB's per-thread buffers
                    # (JSON parsing, hash tables) do not multiply past it.
                    **({"memory_limit": memory_limit, "threads": 1} if memory_limit else {}),
                },
            )
        )
    }
    default_gateway = "local"
    if settings.target == "bigquery":
        if not settings.project:
            raise ValueError("BigQuery krever et prosjekt (--project eller METRIKK_PROJECT).")
        from sqlmesh.core.config.connection import (  # noqa: PLC0415 - needs google libraries
            BigQueryConnectionConfig,
            PostgresConnectionConfig,
        )

        state = None
        if settings.state_dsn:
            state = PostgresConnectionConfig.model_validate(_pg_fields(settings.state_dsn))
        gateways["bigquery"] = GatewayConfig(
            connection=BigQueryConnectionConfig(project=settings.project, location="europe-north1"),
            state_connection=state,
        )
        default_gateway = "bigquery"
    return Config(
        gateways=gateways,
        default_gateway=default_gateway,
        model_defaults=ModelDefaultsConfig(dialect=DIALECT, start=START),
        virtual_environment_mode="dev_only",
        cache_dir=str(cache_dir_for(settings.warehouse)),
        variables={"pseudonym_key": settings.effective_pseudonym_key},
    )


def _pg_fields(dsn: str) -> dict[str, object]:
    """Split a libpq URL into the fields SQLMesh's PostgresConnectionConfig takes."""
    from urllib.parse import unquote, urlparse  # noqa: PLC0415

    u = urlparse(dsn)
    return {
        "host": u.hostname or "localhost",
        "port": u.port or 5432,
        "user": unquote(u.username or ""),
        "password": unquote(u.password or ""),
        "database": (u.path or "/").lstrip("/") or "postgres",
    }


config = make_config(Settings.from_env())
