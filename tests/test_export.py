"""`metrikk export`: a table round-trips through CSV, Parquet and Excel."""

from __future__ import annotations

import csv

import duckdb
import pytest
from openpyxl import load_workbook

from tests.test_load import write_csv

HEADER = ["enhetsnummer", "navn", "type", "status", "overordnet_enhet"]
ROWS = [["0219", "Nav Bærum", "LOKAL", "Aktiv", "0600"], ["0600", "Nav Vest-Viken", "FYLKE", "Aktiv", ""]]
EXPECTED = [("0219", "Nav Bærum", "LOKAL", "Aktiv", "0600"), ("0600", "Nav Vest-Viken", "FYLKE", "Aktiv", None)]


@pytest.fixture(name="loaded")
def _loaded(tmp_path, metrikk):
    write_csv(tmp_path / "in", "tiltak_bronze.nav_enhet", HEADER, ROWS)
    metrikk("load", tmp_path / "in")


def read_back(path, fmt):
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        assert rows[0] == HEADER
        return [tuple(v or None for v in r) for r in rows[1:]]
    if fmt == "parquet":
        return duckdb.sql(f"SELECT * FROM read_parquet('{path}')").fetchall()
    ws = load_workbook(path, read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    # openpyxl's read-only mode drops trailing empty cells; pad to the header's width.
    return [tuple(r) + (None,) * (len(HEADER) - len(r)) for r in rows[1:]]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_export_round_trips(fmt, tmp_path, metrikk, loaded):
    """The exported file holds exactly the table's header and rows."""
    out = tmp_path / f"ut.{fmt}"
    result = metrikk("export", "tiltak_bronze.nav_enhet", "--format", fmt, "--out", out)
    assert "Skrev 2 rader" in result.output
    assert sorted(read_back(out, fmt), key=lambda r: r[0]) == EXPECTED


def test_export_of_unknown_table_fails_clearly(tmp_path, metrikk):
    """An unknown table or a malformed name exits 1 with a message naming it."""
    assert "Fant ikke tabellen tiltak_gold.finnes_ikke" in metrikk(
        "export", "tiltak_gold.finnes_ikke", "--format", "csv", "--out", tmp_path / "x.csv", expect=1
    ).output
    assert "SCHEMA.TABELL" in metrikk("export", "uten_punktum", "--format", "csv", "--out", tmp_path / "x.csv", expect=1).output


def test_export_rejects_unknown_format(tmp_path, metrikk):
    """An unknown --format is a usage error (exit 2)."""
    metrikk("export", "tiltak_bronze.nav_enhet", "--format", "json", "--out", tmp_path / "x", expect=2)
