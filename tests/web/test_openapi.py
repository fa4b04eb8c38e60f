"""Schemathesis against /openapi.json: generated input never makes the API fail with a 5xx.

The date parameters are declared `format: date`, so schemathesis sends dates from the whole
calendar (years 0001-9999), where issue #12 found a 500 (pvk-flyt `til=9999-12-31`).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from metrikk.settings import Settings
from metrikk.web.app import create_app

BRUM = {"/ukeAntall", "/gjennomforinger", "/status", "/bruker-info"}


@pytest.mark.slow
def test_no_server_errors_on_generated_input(pipeline_db):
    """Any generated request to any operation gets an answer below 500 (30 examples each).

    Runs on the pipeline warehouse: it has every table each operation reads (the hand-made
    fixture lacks the behandlinger tables, where 503 would be the right answer).
    """
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", create_app(Settings(warehouse=pipeline_db))
    )
    # schemathesis' pytest plugin does not load under pytest 9, so drive hypothesis directly.
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 17
    for operation in operations:
        check_operation(operation)


def check_operation(operation) -> None:
    """30 generated requests to one operation: no 5xx; errors in bokmål under the route's key."""
    key = "errorMelding" if operation.path in BRUM else "feil"

    @given(case=operation.as_strategy())
    @settings(
        max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def run(case):
        response = case.call()
        assert response.status_code < 500, (case.as_curl_command(), response.text[:500])
        if response.status_code in (400, 401, 404):
            assert list(response.json()) == [key], (case.as_curl_command(), response.text)
        case.validate_response(response, checks=[not_a_server_error])

    run()


def test_openapi_documents_every_api_route(client):
    """The OpenAPI document lists the JSON API and the Brum routes, not the HTML pages."""
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {
        "/api/v1/tiltak/uker",
        "/api/v1/kontorer",
        "/api/v1/meta",
        "/api/v1/tiltak/valg",
        "/api/v1/gjennomforinger/uker",
        "/api/v1/datakvalitet",
        "/api/v1/etterlevelse",
        "/api/v1/etterlevelse/{datasett}",
        "/api/v1/etterlevelse/sist-oppdatert",
        "/api/v1/etterlevelse/pvk-flyt",
        "/api/v1/etterlevelse/bruk",
        "/api/v1/behandlinger/grunnlag",
        "/api/v1/behandlinger/databehandlere",
        "/api/v1/behandlinger/fullstendighet",
        "/ukeAntall",
        "/gjennomforinger",
        "/status",
        "/bruker-info",
    } <= paths
    assert "/tiltak" not in paths
    assert not {"/isalive", "/isready"} & paths  # the platform's probes, not API


def test_date_parameters_are_declared_as_dates(client):
    """Every free-text date parameter says `format: date`, so generated requests send dates."""
    spec = client.get("/openapi.json").json()["paths"]
    for path, name in [
        ("/api/v1/etterlevelse/pvk-flyt", "fra"),
        ("/api/v1/etterlevelse/pvk-flyt", "til"),
        ("/api/v1/etterlevelse/sist-oppdatert", "dato"),
    ]:
        (param,) = [p for p in spec[path]["get"]["parameters"] if p["name"] == name]
        assert param["schema"]["format"] == "date", (path, name)
