"""SQLMesh configuration for metrikk, built in Python (DESIGN: "Python config").

`make_config(settings)` is what `metrikk run` uses. The module-level `config` lets the plain
`sqlmesh` CLI work in this folder too, reading the same environment variables.

- Models are written in the BigQuery dialect with case-sensitive identifiers, so the contract's
  camelCase column names survive (DESIGN, known traps).
- The DuckDB gateway is the default. A BigQuery gateway is added only when
  METRIKK_TARGET=bigquery and a project are set, because building it needs the google libraries.
- SQLMesh state lives in the warehouse itself by default. When METRIKK_STATE_DSN is set, every
  gateway (the local DuckDB one too) keeps its state in that PostgreSQL database instead, as
  production does; that needs `psycopg2` (the `postgres` extra).
- `virtual_environment_mode = dev_only`: published tables are plain tables with stable names.
- The pseudonym key is not a SQLMesh variable: SQLMesh sees only its public id
  (`pseudonym_key_id`) and the BigQuery key table's name. DuckDB connections (the warehouse and
  the YAML unit tests' in-memory one) are `PseudonymDuckDBConnectionConfig`, which sets the
  padded keys on every cursor (`metrikk.pseudonym`).
"""

from __future__ import annotations

import importlib.util
import typing as t
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict
from pydantic import PrivateAttr
from sqlglot import exp
from sqlmesh.core.config import (
    Config,
    DuckDBConnectionConfig,
    GatewayConfig,
    ModelDefaultsConfig,
)
from sqlmesh.core.config.connection import PostgresConnectionConfig
from sqlmesh.core.loader import SqlMeshLoader
from sqlmesh.utils.errors import ConfigError, SQLMeshError

from metrikk.kilder import KildeFeil, les_kilder
from metrikk.pseudonym import PseudonymKey, split_key_table
from metrikk.settings import Settings, sqlmesh_cache_env

DIALECT = "bigquery,normalization_strategy=case_sensitive"
START = "2022-01-03"


def cache_dir_for(warehouse: Path) -> Path:
    """SQLMesh's cache lives beside the warehouse file, never inside the installed package; or in
    the one folder METRIKK_SQLMESH_CACHE names. Its entries are keyed by the models' content
    (and SQLMesh and sqlglot versions) and written atomically, so warehouses and processes can
    share it."""
    shared = sqlmesh_cache_env()
    if shared is not None:
        return shared.resolve()
    warehouse = Path(warehouse).resolve()
    return warehouse.parent / f".{warehouse.name}.sqlmesh-cache"


class PseudonymDuckDBConnectionConfig(DuckDBConnectionConfig):
    """SQLMesh's DuckDB connection, with the pseudonym key's padded keys as session variables.

    SQLMesh calls `_cursor_init` for every cursor it opens (one per thread, `sqlmesh/utils/
    connection_pool.py`); DuckDB cursors do not inherit session variables, so each gets them
    there, by a parameterised `SET VARIABLE` (`PseudonymKey.set_on`). The key is a private
    attribute, not a field: it is in no `dict()`, repr, fingerprint or anything SQLMesh
    serialises.
    """

    _pseudonym_key: PseudonymKey | None = PrivateAttr(default=None)

    @classmethod
    def with_key(cls, key: PseudonymKey, **fields: t.Any) -> PseudonymDuckDBConnectionConfig:
        config = cls(**fields)
        config._pseudonym_key = key
        return config

    @property
    def _cursor_init(self) -> t.Callable[[t.Any], None]:
        parent = super()._cursor_init
        key = self._pseudonym_key

        def init(cursor: t.Any) -> None:
            if parent is not None:
                parent(cursor)
            if key is not None:
                key.set_on(cursor)

        return init


def unit_test_connection(
    key: PseudonymKey, catalog: str, dialect: str
) -> PseudonymDuckDBConnectionConfig:
    """The in-memory DuckDB connection SQLMesh's YAML unit tests run on, with the key set; its
    catalog is named like the gateway's default catalog, as SQLMesh's own default does."""
    name = exp.parse_identifier(catalog, dialect=dialect).sql(dialect="duckdb")
    return PseudonymDuckDBConnectionConfig.with_key(key, catalogs={name: ":memory:"})


class UtenTesterLoader(SqlMeshLoader):
    """SQLMesh's loader without the YAML unit tests (`pipeline/tests`): a run, a dry run and
    `ingest kilder` never run them (their plans skip tests), and parsing the test files cost
    0.7 s of CPU in every project load (docs/decisions.md, "Performance of the weekly counts")."""

    def load_model_tests(self) -> list:
        return []


def make_config(settings: Settings, *, duckdb: dict | None = None, tests: bool = True) -> Config:
    """The SQLMesh config for these settings. `duckdb` adds DuckDB settings such as
    `memory_limit` (spilling to disk beyond it) and `threads`; `metrikk.run.DOMAIN_DUCKDB` has
    the per-domain values (etterlevelse fits the original job's 1 GiB container). `tests=False`
    loads the project without its YAML unit tests (`UtenTesterLoader`)."""
    state = state_connection(settings.state_dsn) if settings.state_dsn else None
    key = PseudonymKey(settings.effective_pseudonym_key)
    try:  # a bad METRIKK_PSEUDONYM_KEY_TABLE fails here, before SQLMesh starts
        split_key_table(settings.pseudonym_key_table)
    except ValueError as e:
        raise ConfigError(str(e)) from None
    warehouse = Path(settings.warehouse).resolve()
    gateways: dict[str, GatewayConfig] = {
        "local": GatewayConfig(
            connection=PseudonymDuckDBConnectionConfig.with_key(
                key,
                database=str(warehouse),
                connector_config={
                    "TimeZone": "UTC",  # sources are UTC; never the machine's zone
                    **(duckdb or {}),
                },
            ),
            state_connection=state,
            test_connection=unit_test_connection(key, warehouse.stem, "duckdb"),
        )
    }
    default_gateway = "local"
    if settings.target == "bigquery":
        if not settings.project:
            raise ValueError("BigQuery krever et prosjekt (--project eller METRIKK_PROJECT).")
        # lazy: needs the bigquery extra's google libraries
        from sqlmesh.core.config.connection import BigQueryConnectionConfig

        gateways["bigquery"] = GatewayConfig(
            connection=BigQueryConnectionConfig(project=settings.project, location="europe-north1"),
            state_connection=state,
            test_connection=unit_test_connection(key, settings.project, "bigquery"),
        )
        default_gateway = "bigquery"
    variables: dict[str, object] = {
        "pseudonym_key_id": key.key_id,
        "pseudonym_key_table": settings.pseudonym_key_table,
        "kilder": kilde_variables(settings),
    }
    return Config(
        gateways=gateways,
        default_gateway=default_gateway,
        model_defaults=ModelDefaultsConfig(dialect=DIALECT, start=START),
        virtual_environment_mode="dev_only",
        cache_dir=str(cache_dir_for(settings.warehouse)),
        variables=variables,
        loader=SqlMeshLoader if tests else UtenTesterLoader,
    )


def kilde_variables(settings: Settings) -> dict:
    """The SQLMesh variable `kilder`: where each raw NAV source table is (`metrikk.kilder`), for
    the `@kilde` macro of the tiltak_kilde models. A bad kilder.yaml or override is a ConfigError
    in bokmål, which `metrikk run` and `metrikk ingest kilder` report without a traceback."""

    try:
        return les_kilder(settings).variabler()
    except KildeFeil as e:
        raise ConfigError(str(e)) from None


class StateConnectionConfig(PostgresConnectionConfig):
    """SQLMesh's PostgreSQL state connection, reporting a database it cannot reach in bokmål.

    A refused connection or a wrong password becomes a SQLMeshError (which `metrikk run` reports
    with exit code 1) naming the database without its password, instead of a psycopg2 traceback.
    """

    @property
    def _connection_factory(self) -> t.Callable:
        # lazy: psycopg2 comes with the optional postgres extra
        from psycopg2 import OperationalError, connect

        where = f"postgresql://{self.user}@{self.host}:{self.port}/{self.database}"
        password = self.password

        def connect_or_explain(*args: t.Any, **kwargs: t.Any) -> t.Any:
            try:
                return connect(*args, **kwargs)
            except OperationalError as e:
                detail = str(e).strip()
            if password:
                detail = detail.replace(password, "***")
            # Raised outside the except block, so the driver's error is not chained onto it.
            raise SQLMeshError(
                f"Får ikke kontakt med databasen for SQLMesh-tilstanden (METRIKK_STATE_DSN) "
                f"{where}: {detail}"
            )

        return connect_or_explain


def state_connection(dsn: str) -> StateConnectionConfig:
    """SQLMesh's connection to the PostgreSQL state database named by a libpq connection string.

    SQLMesh's postgres adapter uses psycopg2; without it this says so in bokmål instead of
    SQLMesh's English hint to `pip install sqlmesh[postgres]`.
    """

    if importlib.util.find_spec("psycopg2") is None:
        raise ConfigError(
            "METRIKK_STATE_DSN er satt, men PostgreSQL-driveren for SQLMesh-tilstanden (psycopg2) "
            "er ikke installert. Installer metrikk med tillegget «postgres» "
            "(uv sync --extra postgres)."
        )
    return StateConnectionConfig.model_validate(_pg_fields(dsn))


def _pg_fields(dsn: str) -> dict[str, object]:
    """Split a libpq connection string (URL or key=value form) into the fields SQLMesh's
    PostgresConnectionConfig takes."""

    parts = conninfo_to_dict(dsn)
    fields: dict[str, object] = {
        "host": parts.get("host") or "localhost",
        "port": int(parts.get("port") or 5432),
        "user": parts.get("user") or "",
        "password": parts.get("password") or "",
        "database": parts.get("dbname") or "postgres",
    }
    if parts.get("sslmode"):
        fields["sslmode"] = parts["sslmode"]
    return fields


config = make_config(Settings.from_env())
