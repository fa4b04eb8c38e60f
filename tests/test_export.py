"""`metrikk export` and the API's exports: published tables only, safe in a spreadsheet."""

from __future__ import annotations

import csv
import gzip
import io
import subprocess
import sys
import textwrap
import zipfile
from datetime import date
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from metrikk.cli import app
from metrikk.publish import publish, published_path
from metrikk.settings import Settings
from metrikk.tablefile import FORMULA_STARTS, csv_safe_sql, neutralise
from metrikk.web.app import create_app
from tests.web import fixture_warehouse

FORMULA = '=HYPERLINK("http://x","Klikk")'
HEADER = ["kontor", "navn", "endring", "andel", "uke_start"]
ROWS = [
    ("0219", "Nav Bærum", 4, 0.25, date(2025, 9, 1)),
    ("0220", FORMULA, -3, -0.5, date(2025, 9, 8)),
    ("0221", "-3", 0, None, None),
    ("0222", "+47 22 22 22 22", 1, 1.0, date(2025, 9, 15)),
    ("0223", "@SUM(A1)", 2, 0.0, date(2025, 9, 22)),
    ("0224", "\tfane", 3, 0.5, date(2025, 9, 29)),
    ("0225", None, 5, 0.125, date(2025, 10, 6)),
]


def write_table(warehouse: Path, rows=ROWS) -> None:
    """A published-schema table with formula-like text, negative numbers and nulls, plus
    tables in schemas that are never published (as a real warehouse has them)."""
    with duckdb.connect(str(warehouse)) as con:
        for schema in ("tiltak_gold", "landing_zone", "sqlmesh", "behandlinger_int"):
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        con.execute(
            "CREATE OR REPLACE TABLE tiltak_gold.eksport_test "
            "(kontor VARCHAR, navn VARCHAR, endring BIGINT, andel DOUBLE, uke_start DATE)"
        )
        con.executemany("INSERT INTO tiltak_gold.eksport_test VALUES (?, ?, ?, ?, ?)", rows)
        con.execute(
            "CREATE OR REPLACE TABLE landing_zone.etterlevelse_audit_version AS "
            "SELECT 'a1' AS audit_id, 'A123456 - Navn Navnesen' AS \"user\""
        )
        con.execute("CREATE OR REPLACE TABLE sqlmesh._snapshots AS SELECT 'pseudonym_key' AS vars")
        con.execute("CREATE OR REPLACE TABLE behandlinger_int.process_version AS SELECT 1 AS x")


@pytest.fixture(name="published")
def _published(warehouse: Path) -> Path:
    write_table(warehouse)
    publish(warehouse)
    return warehouse


def read_csv_file(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def xlsx_cells(path: Path) -> list[list]:
    ws = load_workbook(path).worksheets[0]
    return [list(r) for r in ws.iter_rows()]


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml").decode("utf-8")


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_export_round_trips(fmt, tmp_path, metrikk, published):
    """The exported file holds exactly the table's header and rows (text neutralised in CSV only)."""
    out = tmp_path / f"ut.{fmt}"
    result = metrikk("export", "tiltak_gold.eksport_test", "--format", fmt, "--out", out)
    assert f"Skrev {len(ROWS)} rader" in result.output
    if fmt == "parquet":
        got = duckdb.sql(f"SELECT * FROM read_parquet('{out}')").fetchall()
        assert sorted(got) == sorted(ROWS)
    elif fmt == "csv":
        header, *rows = read_csv_file(out)
        assert header == HEADER
        want = [
            [
                k,
                "" if n is None else neutralise(n),
                str(e),
                "" if a is None else str(a),
                "" if d is None else d.isoformat(),
            ]
            for k, n, e, a, d in ROWS
        ]
        assert sorted(rows) == sorted(want)
    else:
        header, *rows = xlsx_cells(out)
        assert [c.value for c in header] == HEADER
        got = sorted(
            (k.value, n.value, e.value, a.value, None if d.value is None else d.value.date())
            for k, n, e, a, d in rows
        )
        assert got == sorted(ROWS)


def test_export_neutralises_formulas_in_csv_and_keeps_numbers(tmp_path, metrikk, published):
    """A text cell starting with = + - @ or tab gets a leading ' in CSV; the number -3 stays -3."""
    out = tmp_path / "ut.csv"
    metrikk("export", "tiltak_gold.eksport_test", "--format", "csv", "--out", out)
    rows = {r[0]: r for r in read_csv_file(out)[1:]}
    assert rows["0220"][1] == "'" + FORMULA
    assert rows["0220"][2] == "-3" and rows["0220"][3] == "-0.5"  # numbers, not text
    assert rows["0221"][1] == "'-3"  # the text "-3" in a text column is text
    assert rows["0222"][1] == "'+47 22 22 22 22"
    assert rows["0223"][1] == "'@SUM(A1)"
    assert rows["0224"][1] == "'\tfane"
    assert rows["0219"][1] == "Nav Bærum"


def test_export_stores_formula_text_as_text_in_xlsx(tmp_path, metrikk, published):
    """In .xlsx the value is kept as written but stored as a string, never as a formula."""
    out = tmp_path / "ut.xlsx"
    metrikk("export", "tiltak_gold.eksport_test", "--format", "xlsx", "--out", out)
    rows = {r[0].value: r for r in xlsx_cells(out)[1:]}
    cell = rows["0220"][1]
    assert cell.value == FORMULA and cell.data_type == "s"
    assert cell.quotePrefix
    assert rows["0220"][2].value == -3 and rows["0220"][2].data_type == "n"
    assert "<f>" not in sheet_xml(out)


def test_api_export_neutralises_a_filter_value(tmp_path):
    """A filter value that becomes a row label is neutralised in the API's CSV and is text in its .xlsx."""
    wh = fixture_warehouse.build(tmp_path / "web.duckdb")
    url = "/api/v1/tiltak/uker"
    params = {"kontor": "0219", "gruppering": "avdeling", "avdeling": FORMULA}
    with TestClient(create_app(Settings(warehouse=wh))) as client:
        r = client.get(url, params={**params, "format": "csv"})
        assert r.status_code == 200, r.text
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
        table = rows[rows.index([]) + 1 :]  # below the preamble (kontor, periode, mål, filtre)
        labels = [row[0] for row in table[1:]]
        assert "'" + FORMULA in labels and FORMULA not in labels
        assert all(
            not c.startswith(FORMULA_STARTS) for row in rows for c in row if not c.startswith("'")
        )

        r = client.get(url, params={**params, "format": "xlsx"})
        assert r.status_code == 200, r.text
        path = tmp_path / "api.xlsx"
        path.write_bytes(r.content)
    cells = [c for row in xlsx_cells(path) for c in row if c.value == FORMULA]
    assert cells and all(c.data_type == "s" for c in cells)
    assert "<f>" not in sheet_xml(path)


# Text as a UTF-8 file can hold it: no lone surrogates (DuckDB's binding refuses them) and no NUL.
NO_NUL = st.characters(codec="utf-8", blacklist_characters="\x00")


@given(
    st.text(alphabet=NO_NUL, max_size=12)
    | st.builds(
        lambda c, t: c + t,
        st.sampled_from(FORMULA_STARTS + ("'", " ", "x")),
        st.text(alphabet=NO_NUL, max_size=5),
    )
)
def test_csv_rule_in_sql_is_the_rule_in_python(text):
    """`csv_safe_sql` (DuckDB, for big CSV files) neutralises exactly what `neutralise` does."""
    (got,) = duckdb.execute(
        f"SELECT {csv_safe_sql('v')} FROM (SELECT ?::VARCHAR AS v)", [text]
    ).fetchone()
    assert got == neutralise(text)


@pytest.mark.parametrize(
    "name",
    [
        "sqlmesh._snapshots",
        "landing_zone.etterlevelse_audit_version",
        "behandlinger_int.process_version",
        "tiltak_bronze.deltaker",
        "metrikk_publisering.fingeravtrykk",
    ],
)
def test_export_refuses_unpublished_schemas(name, tmp_path, metrikk, published):
    """SQLMesh's state, landing tables with NAV idents and *_int helpers are refused, saying which schemas can be exported."""
    out = tmp_path / "ut.csv"
    text = metrikk("export", name, "--format", "csv", "--out", out, expect=1).output.replace(
        "\n", " "
    )
    assert f"{name} kan ikke eksporteres" in text
    assert "tiltak_gold, tiltak_silver, etterlevelse, behandlinger, metrikk_meta" in text
    assert "NAV-identer" in text
    assert not out.exists()


def test_export_reads_the_published_snapshot_not_the_live_warehouse(tmp_path, metrikk, published):
    """A change to the warehouse that is not published yet is not exported."""
    with duckdb.connect(str(published)) as con:
        con.execute("UPDATE tiltak_gold.eksport_test SET navn = 'upublisert'")
    out = tmp_path / "ut.csv"
    metrikk("export", "tiltak_gold.eksport_test", "--format", "csv", "--out", out)
    assert "upublisert" not in out.read_text(encoding="utf-8")
    assert "Nav Bærum" in out.read_text(encoding="utf-8")


def test_export_works_while_a_writer_holds_the_warehouse(tmp_path, metrikk, published):
    """With another process holding the writer lock and DuckDB's write lock, export still works."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, duckdb
            from metrikk.warehouse import writer_lock
            with writer_lock({str(published)!r}):
                con = duckdb.connect({str(published)!r})
                con.execute("UPDATE tiltak_gold.eksport_test SET navn = 'midt i en kjøring'")
                print("klar", flush=True)
                sys.stdin.readline()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "klar"
        out = tmp_path / "ut.csv"
        metrikk("export", "tiltak_gold.eksport_test", "--format", "csv", "--out", out)
        assert len(read_csv_file(out)) == len(ROWS) + 1
        assert "midt i en kjøring" not in out.read_text(encoding="utf-8")
    finally:
        holder.communicate("\n", timeout=30)


def test_export_does_not_overwrite_without_force(tmp_path, metrikk, published):
    """An existing --out is refused (and kept) unless --force is given."""
    out = tmp_path / "ut.csv"
    out.write_text("gammel", encoding="utf-8")
    text = metrikk(
        "export", "tiltak_gold.eksport_test", "--format", "csv", "--out", out, expect=1
    ).output
    assert "finnes allerede" in text and "--force" in text
    assert out.read_text(encoding="utf-8") == "gammel"
    metrikk("export", "tiltak_gold.eksport_test", "--format", "csv", "--out", out, "--force")
    assert read_csv_file(out)[0] == HEADER
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left


def test_export_keeps_compression_by_extension(tmp_path, metrikk, published):
    """`--out ut.csv.gz` is gzip-compressed CSV, as DuckDB writes it for that extension."""

    out = tmp_path / "ut.csv.gz"
    metrikk("export", "tiltak_gold.eksport_test", "--format", "csv", "--out", out)
    with gzip.open(out, "rt", encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == HEADER


def test_export_of_a_missing_warehouse_fails_and_creates_nothing(tmp_path):
    """A mistyped --warehouse exits 1 with «Fant ikke datavarehuset» and creates no file."""

    missing = tmp_path / "skrivefeil" / "metrikk.duckdb"
    result = CliRunner().invoke(
        app,
        [
            "--warehouse",
            str(missing),
            "export",
            "tiltak_gold.uke_antall",
            "--format",
            "csv",
            "--out",
            str(tmp_path / "ut.csv"),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "Fant ikke datavarehuset" in result.output
    assert not (tmp_path / "skrivefeil").exists()
    assert list(tmp_path.iterdir()) == []


def test_export_before_anything_is_published_fails_clearly(tmp_path, warehouse, metrikk):
    """A warehouse with no published snapshot yet says so."""
    write_table(warehouse)
    assert published_path(warehouse) is None
    text = metrikk(
        "export",
        "tiltak_gold.eksport_test",
        "--format",
        "csv",
        "--out",
        tmp_path / "x.csv",
        expect=1,
    ).output
    assert "Ingenting er publisert" in text


def test_export_of_unknown_table_fails_clearly(tmp_path, metrikk, published):
    """An unknown table or a malformed name exits 1 with a message naming it."""
    assert (
        "Fant ikke tabellen tiltak_gold.finnes_ikke"
        in metrikk(
            "export",
            "tiltak_gold.finnes_ikke",
            "--format",
            "csv",
            "--out",
            tmp_path / "x.csv",
            expect=1,
        ).output
    )
    assert (
        "SCHEMA.TABELL"
        in metrikk(
            "export", "uten_punktum", "--format", "csv", "--out", tmp_path / "x.csv", expect=1
        ).output
    )


def test_export_rejects_unknown_format(tmp_path, metrikk):
    """An unknown --format is a usage error (exit 2)."""
    metrikk(
        "export", "tiltak_gold.uke_antall", "--format", "json", "--out", tmp_path / "x", expect=2
    )


def test_export_never_writes_over_the_warehouse_or_a_snapshot(tmp_path, metrikk, published):
    """--out pointing at the warehouse or a published snapshot is refused even with --force."""
    for target in (published, published_path(published)):
        text = metrikk(
            "export",
            "tiltak_gold.eksport_test",
            "--format",
            "csv",
            "--out",
            target,
            "--force",
            expect=1,
        ).output
        assert "datavarehuset selv" in text
    assert published_path(published).exists()
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM tiltak_gold.eksport_test").fetchone() == (
            len(ROWS),
        )
