"""No free text and no ident of a person in any published dataset, found by structure, not by name.

Every string column of every `ds_*` table (etterlevelse, behandlinger) and every `tiltak_gold`
table of the pipeline warehouse (`metrikk generate --domain all --scale small` + `metrikk run`,
the session's `pipeline_db`, shared with the other web tests) is scanned value by value with
tests/helpers/privacy_scan.py: free-text length and word count, fødselsnummer, aktør-id and NAV ident
patterns. A positive control shows that the same scan finds NAV idents and free text in the
sources those tables are built from, and the detector is checked on hand-made values.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from tests.helpers.privacy_scan import problems, scan


def published_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE (table_schema IN ('etterlevelse', 'behandlinger') AND table_name LIKE 'ds\\_%' ESCAPE '\\') "
        # The dokumentstatus page's document list reads this row-level table.
        "OR (table_schema = 'etterlevelse' AND table_name = 'stage_dokument_status_uke') "
        "OR table_schema = 'tiltak_gold' ORDER BY 1, 2"
    ).fetchall()


def test_published_tables_hold_no_free_text_or_idents(pipeline_db: Path):
    """Each string value of each ds_* and gold table is short, few words, and no ident."""
    con = duckdb.connect(str(pipeline_db), read_only=True)
    try:
        tables = published_tables(con)
        schemas = {s for s, _ in tables}
        assert {"etterlevelse", "tiltak_gold"} <= schemas, tables
        # 12 etterlevelse ds_*, 1 stage, 1 behandlinger ds_* and 7 gold tables
        assert len(tables) >= 21, tables
        assert {
            ("etterlevelse", "ds_dokument_status_uke"),
            ("etterlevelse", "ds_suksesskriterier_uke"),
            ("etterlevelse", "stage_dokument_status_uke"),
            ("behandlinger", "ds_fullstendighet"),
        } <= set(tables), tables
        columns, findings = scan(con, tables)
    finally:
        con.close()
    assert columns >= 30, f"only {columns} string columns scanned"
    assert not findings, "\n".join(findings)


def test_the_scan_finds_idents_and_free_text_in_the_sources(pipeline_db: Path):
    """Positive control: the raw audit logs the ds_* tables are built from do hold NAV idents
    (the `user` column, idents inside the JSON) and free text, and the scan reports them."""
    con = duckdb.connect(str(pipeline_db), read_only=True)
    try:
        _, findings = scan(con, [("landing_zone", "etterlevelse_audit_version")])
    finally:
        con.close()
    assert any(
        f.startswith("landing_zone.etterlevelse_audit_version.user: NAV ident") for f in findings
    )
    assert any(".data:" in f and "fritekst" in f for f in findings)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("12345678901", ["fødselsnummer"]),
        ("fnr 01017012345 i teksten", ["fødselsnummer"]),
        ("2850739123456", ["aktør-id"]),
        ("Z990001", ["NAV ident"]),
        ("endret av A123456", ["NAV ident"]),
        ("x" * 65, ["fritekst"]),
        ("Vi har vurdert dette kravet og mener det er oppfylt for oss", ["fritekst"]),
        # Allowed: codes, ids, dates, pseudonyms, names of units and tiltakstyper.
        ("0219", []),
        ("62d18c35-4216-4023-bbe4-36b2d3f566d1", []),
        ("gjeldende:c8e64b4d-18ba-4f3e-9fac-44517e107101", []),
        ("2025-06-29", []),
        ("9f2c" * 16, []),
        ("123456789012", []),  # 12 digits: none of the idents
        ("AZ1234567", []),
        ("Fag- og yrkesopplæring eller fagskole (enkeltplass)", []),
        ("TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE", []),
    ],
)
def test_the_detector_on_hand_made_values(value, why):
    """Each pattern and limit, and values that look close but are allowed."""
    assert problems(value) == why
