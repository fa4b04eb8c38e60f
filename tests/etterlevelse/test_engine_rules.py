"""Real-data nasties in the audit logs, through the real CLI on DuckDB: the rules that make both
engines agree (docs/decisions.md, "One rule on both engines").

- Every array written is NULL-free and in the source's order: a JSON null element would be a
  NULL element, which BigQuery refuses to write (the daily run would stop there).
- An array of scalars keeps only its scalars: an object or nested array in it is dropped (on
  BigQuery JSON_VALUE_ARRAY makes the whole array NULL, on DuckDB it kept the object as text).
- A polly CODELIST id without '-' and without `list` has no list and is left out (BigQuery's
  SUBSTR failed on the negative length that DuckDB turns into '').
- TRIM and SAFE_CAST follow explicit rules (macros/regler.py).
- `tidBruktDager` counts whole seconds, the exact difference truncated (BigQuery's
  TIMESTAMP_DIFF(…, SECOND) counts whole seconds, DuckDB's second boundaries).
- The behandlinger models read their arrays by the same rule as the etterlevelse models: JSON
  nulls, objects and nested arrays dropped, a place that holds no array falls through to the
  older shape (BigQuery's JSON_VALUE_ARRAY was NULL there, DuckDB's kept the object's text or
  failed on a non-array).

The same rows go through the BigQuery path too: every etterlevelse-domain model rendered with
SQLMesh's BigQuery engine adapter, transpiled to DuckDB (tests/pipeline/bq_transpile.py, where
SUBSTR with a negative length fails as on BigQuery) gives the tables of the DuckDB path.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from etterlevelse_sources import Sources
from tests.pipeline.bq_transpile import round_trip_problems
from typer.testing import CliRunner

from metrikk.cli import app
from metrikk.run import render_models
from metrikk.settings import Settings

AS_OF = "2025-06-30"


def build() -> Sources:
    s = Sources()
    s.dok_own(
        "dNull",
        "2025-01-10T10:00:00",
        action="CREATE",
        behandlingIds=["b1", None, "b2"],
        teams=[{"navn": "et objekt"}, "team-a", None, ["nøstet"], "team-b"],
        irrelevansFor=[None, "SAK"],
        prioritertKravNummer=["5", None, "3"],
        etterlevelseNummer=12,
    )
    # A table name with a trailing no-break space and a number written as '7.0'
    s.audit(
        "ETTERLEVELSE_DOKUMENTASJON\u00a0",
        "dNbsp",
        "2025-01-11T10:00:00",
        {
            "id": "dNbsp",
            "etterlevelseDokumentasjonData": {"title": "T", "etterlevelseNummer": "7.0"},
        },
        action="CREATE",
    )
    # A current-table document without audit rows (stage_dokument's GJELDENDE branch)
    s.add(
        "landing_zone.etterlevelse_etterlevelse_dokumentasjon",
        id="dGjeldende",
        data={"behandlingIds": [None, "bG"], "teams": ["t2", None, "t1"], "irrelevansFor": [None]},
    )
    s.add("landing_zone.etterlevelse_etterlevelse_dokumentasjon", id="dNull", data={"title": "x"})
    s.krav(
        "kNull", "2025-01-05T10:00:00", nummer=900, relevans=["IT", None, "SAK"], action="CREATE"
    )
    s.add(
        "landing_zone.etterlevelse_krav",
        id="kNull",
        krav_nummer=900,
        krav_versjon=1,
        status="AKTIV",
        data={"relevansFor": ["IT", None, {"kode": "X"}, "SAK"], "suksesskriterier": [{"id": 1}]},
    )
    s.audit(
        "PVK_DOKUMENT",
        "pvkNull",
        "2025-02-10T10:00:00",
        {
            "id": "pvkNull",
            "etterlevelseDokumentId": "dNull",
            "status": "UNDERARBEID",
            "pvkDokumentData": {"ytterligereEgenskaper": [None, "B", "A", None]},
        },
        action="CREATE",
    )
    # Sub-second timestamps across a second boundary: 0.2 s is 0 whole seconds (DuckDB's
    # DATE_DIFF counted one boundary), 86 399.9 s are 86 399.
    s.add(
        "landing_zone.etterlevelse_tilbakemelding",
        id="tbSek",
        krav_nummer=900,
        krav_versjon=1,
        created_date="2025-03-01T10:00:00.900000",
        data={
            "status": "BESVART",
            "meldinger": [
                {"meldingNr": 1, "rolle": "MELDER", "tid": "2025-03-01T10:00:01.100000"},
                {"meldingNr": 2, "rolle": "KRAVEIER", "tid": "2025-03-02T10:00:00.800000"},
            ],
        },
    )
    s.add(
        "landing_zone.etterlevelse_tilbakemelding",
        id="tbUbesvart",
        krav_nummer=900,
        krav_versjon=1,
        created_date="2025-06-29T23:59:59.500000",
        data={"status": "UBESVART", "meldinger": [{"meldingNr": 1, "rolle": "MELDER"}]},
    )
    for table_name, table_id, doc in (
        ("CODELIST", "NOHYPHEN", {"code": "KODE_UTEN_LISTE", "shortName": "Uten liste"}),
        ("CODELIST", "SYSTEM-ABC", {"list": "SYSTEM", "code": "ABC", "shortName": "Abc"}),
        # '1' is no boolean; a JSON null in countries
        (
            "PROCESSOR\r",
            "pr1",
            {
                "id": "pr1",
                "data": {
                    "name": "Lev",
                    "outsideEU": "1",
                    "countries": ["NO", None, {"land": "SE"}],
                },
            },
        ),
        (
            "PROCESSOR",
            "pr2",
            {"id": "pr2", "data": {"name": "Lev", "outsideEU": "TRUE", "countries": []}},
        ),
        # '\r\n' and no-break spaces around the table name; nulls, objects and nested arrays in
        # arrays; '1.0' as a number, a timestamp in a date field, '1' as a boolean
        (
            "PROCESS\r\n",
            "p1",
            {
                "id": "p1",
                "data": {
                    "name": "Behandling",
                    "number": "1.0",
                    "start": "2024-05-01T10:00",
                    "end": "2024-12-31",
                    "purposes": ["A", None, {"kode": "X"}, "B"],
                    "affiliation": {
                        "department": "D",
                        "subDepartments": [None, "S1"],
                        "productTeams": ["t1", ["nøstet"], "t2"],
                        "products": [{"code": "P"}],
                        "seksjoner": [{"nomSeksjonId": "s1"}, None, {"x": 1}],
                        "disclosureDispatchers": [None],
                    },
                    "dataProcessing": {"processors": ["pr1", None, {"id": "pr2"}]},
                    "retention": {"retentionMonths": "12", "retentionPlan": "1"},
                },
            },
        ),
        # The oldest shape: root name and purposeCode, single codes, and an object where
        # subDepartments would be an array (it falls through to the single code)
        (
            "\u00a0PROCESS\u00a0",
            "p2",
            {
                "id": "p2",
                "name": "Gammel",
                "purposeCode": "GAMMEL",
                "data": {
                    "subDepartment": "SD",
                    "productTeam": "PT",
                    "subDepartments": {"ikke": "en liste"},
                    "dataProcessing": {"dataProcessorAgreements": ["a1", {"x": 1}, None, "a2"]},
                },
            },
        ),
        (
            "INFORMATION_TYPE",
            "it1",
            {
                "id": "it1",
                "data": {
                    "name": "Navn",
                    "sensitivity": "POL",
                    "categories": ["C1", None, {"k": 1}],
                    "sources": [None],
                    "productTeams": "ikke en liste",
                },
            },
        ),
        (
            "POLICY",
            "po1",
            {
                "id": "po1",
                "informationTypeId": "it1",
                "process": {"id": "p1"},
                "data": {
                    "purposes": [{"x": 1}, "A", None],
                    "subjectCategories": [],
                    "documentIds": [None, "d1"],
                    "legalBases": {"ikke": "en liste"},
                    "legalBasesInherited": "1",
                },
            },
        ),
    ):
        s.add(
            "landing_zone.behandlingskatalogen_audit_version",
            audit_id=f"cl-{table_id}",
            action=" CREATE\u00a0",
            table_name=table_name,
            table_id=table_id,
            time="2024-01-01T00:00:00",
            user="Datajegerne",
            data=doc,
        )
    return s


@pytest.fixture(scope="module", name="wh")
def _wh(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("engine_rules")
    build().write(base / "kilder")
    warehouse = base / "metrikk.duckdb"
    runner = CliRunner()
    for args in (
        ["load", str(base / "kilder")],
        ["run", "--as-of", AS_OF, "--domain", "etterlevelse"],
    ):
        result = runner.invoke(app, ["--warehouse", str(warehouse), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return warehouse


def q(wh: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(wh), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_json_nulls_and_objects_leave_arrays_null_free_and_ordered(wh):
    """JSON nulls, objects and nested arrays inside an array are dropped; the scalars keep their order, in every model that writes such an array."""
    assert q(
        wh,
        "SELECT behandlingId, teams, irrelevansFor, prioritertKravNummer "
        "FROM etterlevelse_int.dokument_versjon WHERE etterlevelseDokumentasjonId = 'dNull'",
    ) == [(["b1", "b2"], ["team-a", "team-b"], ["SAK"], [5, 3])]
    assert q(
        wh,
        "SELECT etterlevelseDokumentasjonId, behandlingId, teams, irrelevansFor "
        "FROM etterlevelse.stage_dokument "
        "WHERE aktivRad AND etterlevelseDokumentasjonId IN ('dGjeldende', 'dNull') ORDER BY 1",
    ) == [
        ("dGjeldende", ["bG"], ["t2", "t1"], []),
        ("dNull", ["b1", "b2"], ["team-a", "team-b"], ["SAK"]),
    ]
    assert q(
        wh, "SELECT relevansFor FROM etterlevelse_int.krav_versjon WHERE kravNummer = 900"
    ) == [(["IT", "SAK"],)]
    assert q(wh, "SELECT relevansFor FROM etterlevelse.stage_krav WHERE kravNummer = 900") == [
        (["IT", "SAK"],)
    ]
    assert q(
        wh,
        "SELECT ytterligereEgenskaper FROM etterlevelse.stage_pvk_dokument WHERE pvkDokumentId = 'pvkNull'",
    ) == [(["B", "A"],)]


def test_no_table_holds_an_array_with_a_null_element(wh):
    """No array column of any etterlevelse or behandlinger table holds a NULL element (BigQuery would refuse the write)."""
    columns = q(
        wh,
        "SELECT table_schema, table_name, column_name FROM information_schema.columns "
        "WHERE data_type LIKE '%[]' AND table_catalog = current_database() "
        "AND table_schema IN ('etterlevelse', 'etterlevelse_int', 'behandlinger', 'behandlinger_int')",
    )
    assert len(columns) >= 10
    bad = []
    for schema, table, column in columns:
        (n,) = q(
            wh,
            f'SELECT count(*) FROM "{schema}"."{table}" '
            f'WHERE len(list_filter("{column}", x -> x IS NULL)) > 0',
        )[0]
        if n:
            bad.append(f"{schema}.{table}.{column}: {n}")
    assert not bad, bad


def test_trim_and_casts_follow_the_explicit_rules(wh):
    """A table name with NBSP or '\\r' is known after @uten_blanke (no drift reported); '7.0' is no integer and '1' no boolean on either engine."""
    assert q(
        wh,
        "SELECT etterlevelseDokumentasjonId, etterlevelseNummer FROM etterlevelse_int.dokument_versjon "
        "WHERE etterlevelseDokumentasjonId IN ('dNull', 'dNbsp') ORDER BY 1",
    ) == [("dNbsp", None), ("dNull", 12)]
    assert q(
        wh,
        "SELECT dataprocessorId, outsideEU, countries FROM behandlinger_int.processor ORDER BY 1",
    ) == [
        ("pr1", None, ["NO"]),  # the JSON null and the object are dropped
        ("pr2", True, []),
    ]
    assert q(wh, "SELECT kilde, felt, verdi FROM behandlinger_int.kildeavvik") == []


def test_tid_brukt_counts_whole_seconds(wh):
    """tidBruktDager: the exact difference truncated to whole seconds, / 86400 (0.2 s across a second boundary is 0; for an unanswered thread up to the end of --as-of)."""
    assert q(
        wh,
        "SELECT meldingNr, tidBruktDager FROM etterlevelse.stage_meldinger WHERE id = 'tbSek' ORDER BY 1",
    ) == [(1, 0.0), (2, 86399 / 86400)]
    ((dager,),) = q(
        wh, "SELECT tidBruktDager FROM etterlevelse.stage_meldinger WHERE id = 'tbUbesvart'"
    )
    # --as-of 2025-06-30 ends at 2025-07-01 00:00 (UTC): 1 day and 0.5 s, so 86 400 whole seconds
    slutt = datetime(2025, 7, 1) - datetime(2025, 6, 29, 23, 59, 59, 500000)
    assert dager == int(slutt.total_seconds()) / 86400 == 1.0


def test_behandlinger_arrays_keep_only_scalars(wh):
    """Every behandlinger array drops JSON nulls, objects and nested arrays and keeps the scalars in order; a place without an array falls through to the older shape; casts follow the explicit rules."""
    assert q(
        wh,
        "SELECT behandlingId, name, number, start, \"end\", purposes, subDepartments, productTeams, "
        "products, seksjoner, disclosureDispatchers, processorIds, retentionMonths, retentionPlan, "
        "legacyDataProcessorAgreements FROM behandlinger_int.process_version ORDER BY 1",
    ) == [
        (
            "p1", "Behandling", None, None, date(2024, 12, 31), ["A", "B"], ["S1"], ["t1", "t2"],
            [], ["s1"], [], ["pr1"], 12, None, None,
        ),
        ("p2", "Gammel", None, None, None, ["GAMMEL"], ["SD"], ["PT"], [], [], [], [], None, None, 2),
    ]  # fmt: skip
    assert q(
        wh,
        "SELECT informationTypeId, categories, sources, productTeams FROM behandlinger.stage_informationType",
    ) == [("it1", ["C1"], [], [])]
    assert q(
        wh,
        "SELECT policyId, purposes, subjectCategories, documentIds, antallLegalBases, legalBasesInherited "
        "FROM behandlinger.stage_policy",
    ) == [("po1", ["A"], [], ["d1"], 0, None)]


def test_codelist_id_without_hyphen_is_left_out(wh):
    """A CODELIST row without `list` and with an id without '-' has no list and is left out; the run does not stop."""
    assert q(wh, "SELECT list, code FROM behandlinger_int.codelist ORDER BY code") == [
        ("SYSTEM", "ABC")
    ]


def test_bigquery_path_gives_the_same_tables(wh):
    """Every etterlevelse-domain model, rendered for BigQuery and transpiled back, gives exactly the DuckDB path's table on these rows (a SUBSTR with a negative length fails there, as on BigQuery)."""
    rendered = render_models(
        Settings(warehouse=wh), date.fromisoformat(AS_OF), domain="etterlevelse", dialect="bigquery"
    )
    assert len(rendered) > 20
    problems = round_trip_problems(wh, rendered, Settings.from_env().effective_pseudonym_key)
    assert not problems, "\n".join(problems)
