"""The landing tables metrikk reads, as declared once in the SQLMesh external models.

`pipeline/external_models/*.yaml` is the single declaration of every raw source table
(CONTRACT §2 and §5). This module reads those files so that the loader, the generators and
the warehouse agree with the models on names, types and which columns are required.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

PIPELINE_DIR = Path(__file__).parent / "pipeline"
EXTERNAL_MODELS_DIR = PIPELINE_DIR / "external_models"

# BigQuery type in the YAML → DuckDB type of the landing column.
DUCKDB_TYPES = {
    "STRING": "VARCHAR",
    "INT64": "BIGINT",
    "FLOAT64": "DOUBLE",
    "BOOL": "BOOLEAN",
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP",
    "JSON": "VARCHAR",  # JSON text; validated on load
}

# Schemas of every layer (CONTRACT §1) plus the metadata schema.
SCHEMAS = (
    "tiltak_bronze",
    "tiltak_silver",
    "tiltak_gold",
    "landing_zone",
    "etterlevelse",
    "behandlinger",
    "metrikk_meta",
)

DOMAIN_LANDING_SCHEMAS = {"tiltak": ("tiltak_bronze",), "etterlevelse": ("landing_zone",)}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # BigQuery type as declared: STRING, INT64, FLOAT64, BOOL, DATE, TIMESTAMP, JSON
    required: bool

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.type]


@dataclass(frozen=True)
class LandingTable:
    schema: str
    table: str
    description: str
    columns: tuple[Column, ...]

    @property
    def name(self) -> str:
        return f"{self.schema}.{self.table}"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _parse(entry: dict) -> LandingTable:
    schema, table = entry["name"].split(".")
    required: set[str] = set()
    for audit in entry.get("audits", []):
        if audit.get("name") == "not_null":
            # SQLMesh wants the column list as an expression string: "[a, b]".
            cols = audit["columns"]
            if isinstance(cols, str):
                cols = [c.strip() for c in cols.strip("[]").split(",") if c.strip()]
            required.update(cols)
    columns = tuple(
        Column(name=name, type=str(typ).upper(), required=name in required)
        for name, typ in entry["columns"].items()
    )
    unknown = required - {c.name for c in columns}
    if unknown:
        raise ValueError(f"{entry['name']}: not_null names unknown columns {sorted(unknown)}")
    return LandingTable(schema, table, entry.get("description", ""), columns)


@cache
def landing_tables() -> dict[str, LandingTable]:
    """Every landing table by `schema.table`, in declaration order."""
    tables: dict[str, LandingTable] = {}
    for path in sorted(EXTERNAL_MODELS_DIR.glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            t = _parse(entry)
            tables[t.name] = t
    return tables


def landing_table(name: str) -> LandingTable:
    return landing_tables()[name]
