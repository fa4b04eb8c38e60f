"""The per-request limits of `metrikk serve`, each tested by setting it low (src/metrikk/web/limits.py).

- row cap (`maks_rader`): 400 naming the cap and how to narrow the query, JSON and exports;
- time budget (`tidsgrense`): a running DuckDB query is interrupted, a late query refused: 503;
- exports at once (`maks_eksporter`): one more while they are all being built gets 503.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import httpx
import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from metrikk.cli import app as cli
from metrikk.settings import Settings, SettingsError
from metrikk.web.app import create_app


def make(fixture_db, **limits) -> TestClient:
    return TestClient(create_app(replace(Settings(warehouse=fixture_db), **limits)))


# --- row cap -----------------------------------------------------------------------------------

TWO_DIMS = "/api/v1/tiltak/uker?kontor=0219&gruppering=uke&gruppering=avdeling"  # 6 × 4 cells


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_more_combinations_than_the_cap_are_refused_with_how_to_narrow(fixture_db, fmt):
    """Weeks × avdelinger over `maks_rader` is a 400 that names the cap and what to change."""
    with make(fixture_db, maks_rader=10) as c:
        r = c.get(f"{TWO_DIMS}&format={fmt}")
        assert r.status_code == 400, r.text
        assert r.json() == {
            "feil": "Utvalget gir 24 kombinasjoner; høyst 10 kan vises eller eksporteres. "
            "Velg en kortere periode, færre grupperinger eller flere filtre."
        }
        assert c.get("/api/v1/tiltak/uker?kontor=0219&gruppering=uke").status_code == 200


def test_the_same_query_passes_under_the_default_cap(fixture_db):
    """The default cap (100 000) lets the dashboard's usual queries through."""
    with make(fixture_db) as c:
        assert c.get(TWO_DIMS).status_code == 200
        assert c.get(f"{TWO_DIMS}&format=xlsx").status_code == 200


def test_exports_and_row_lists_are_capped_too(fixture_db):
    """An export or row list longer than the cap is refused before it is written."""
    with make(fixture_db, maks_rader=3) as c:
        export = c.get("/api/v1/datakvalitet?format=xlsx")  # 6 weeks and the period's row
        assert export.status_code == 400
        assert export.json() == {
            "feil": "Utvalget gir 7 rader; høyst 3 kan vises eller eksporteres. Velg en kortere "
            "periode eller flere filtre før du eksporterer."
        }
        assert c.get("/api/v1/datakvalitet").status_code == 200  # the JSON is 6 weeks, fine
        ds = c.get("/api/v1/etterlevelse/ds_sist_oppdatert?format=csv")  # 7 rows
        assert ds.status_code == 400 and ds.json()["feil"].endswith("Sett en lavere grense.")
        rows = c.get("/api/v1/gjennomforinger/uker?kontor=0219")
        assert rows.status_code == 400 and "rader=siste" in rows.json()["feil"]
        assert c.get("/api/v1/etterlevelse/ds_sist_oppdatert?grense=3").status_code == 200


# --- time budget -------------------------------------------------------------------------------

SLOW_SQL = "SELECT sum(hash(i)) FROM range(2000000000) t(i)"  # about a minute uninterrupted


def test_a_query_running_past_the_budget_is_interrupted_with_503(fixture_db):
    """At the deadline the request's running DuckDB query is interrupted: 503 in bokmål.

    The slow query runs through a route added for the test, reading exactly as the API's
    routes do (`app.state.source.read()`), because no query of the small fixture is slow.
    """
    app = create_app(replace(Settings(warehouse=fixture_db), tidsgrense=0.3))

    @app.get("/test/treg")
    def slow(request: Request) -> dict:
        with request.app.state.source.read() as con:
            return {"sum": str(con.execute(SLOW_SQL).fetchone()[0])}

    with TestClient(app) as c:
        r = c.get("/test/treg")
        assert r.status_code == 503, r.text[:300]
        assert r.json() == {
            "feil": "Spørringen tok for lang tid (over 0.3 sekunder) og ble avbrutt. Velg en "
            "kortere periode, færre grupperinger eller flere filtre, og prøv igjen."
        }
        assert r.headers["x-content-type-options"] == "nosniff"
        # Other requests (own cursors, own budgets) are not affected.
        assert c.get("/api/v1/kontorer").status_code == 200


def test_a_query_after_the_deadline_is_refused_on_every_route_kind(fixture_db):
    """A request already past its budget runs no further query: 503, with the Brum key there."""
    with make(fixture_db, tidsgrense=1e-9) as c:
        api = c.get("/api/v1/tiltak/uker")
        assert api.status_code == 503 and "tok for lang tid" in api.json()["feil"]
        brum = c.get("/ukeAntall?aar=2025&uke=41")
        assert brum.status_code == 503 and "tok for lang tid" in brum.json()["errorMelding"]
        assert c.get("/isalive").status_code == 200  # reads nothing


# --- exports at once ---------------------------------------------------------------------------


def test_an_export_beyond_the_concurrent_limit_gets_503_while_others_are_built(fixture_db):
    """With `maks_eksporter=1`, a second export while the first is still being sent is turned
    away at once (503 «For mange eksporter samtidig»); JSON is not limited; after the first
    finishes, exports work again."""
    app = create_app(replace(Settings(warehouse=fixture_db), maks_eksporter=1))
    export = "/api/v1/tiltak/uker?kontor=0219&format=xlsx"

    async def scenario() -> tuple[httpx.Response, httpx.Response, httpx.Response, int]:
        started, release = asyncio.Event(), asyncio.Event()
        sent: list[dict] = []

        async def held_send(message: dict) -> None:  # the first export's client reads slowly
            sent.append(message)
            if message["type"] == "http.response.start":
                started.set()
                await release.wait()

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/api/v1/tiltak/uker",
            "raw_path": b"/api/v1/tiltak/uker",
            "query_string": b"kontor=0219&format=xlsx",
            "headers": [(b"host", b"test")],
            "client": ("127.0.0.1", 1),
            "server": ("test", 80),
            "root_path": "",
        }
        first = asyncio.create_task(app(scope, receive, held_send))
        await asyncio.wait_for(started.wait(), 60)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            second = await c.get(export)
            json_meanwhile = await c.get("/api/v1/tiltak/uker?kontor=0219")
            release.set()
            await first
            third = await c.get(export)
        return second, json_meanwhile, third, sent[0]["status"]

    # In a thread of its own: Playwright's sync API (the browser tests' session fixture) keeps
    # an event loop running in the main thread for the rest of the session.
    with ThreadPoolExecutor(1) as pool:
        second, json_meanwhile, third, first_status = pool.submit(asyncio.run, scenario()).result()
    assert first_status == 200
    assert second.status_code == 503
    assert second.json() == {
        "feil": "For mange eksporter samtidig (høyst 1 om gangen). Prøv igjen om litt."
    }
    assert second.headers["retry-after"] == "10"
    assert second.headers["x-frame-options"] == "DENY"
    assert json_meanwhile.status_code == 200
    assert third.status_code == 200 and third.content[:2] == b"PK"


# --- settings ----------------------------------------------------------------------------------


def test_limits_come_from_the_environment_and_bad_values_stop_serve(tmp_path):
    """METRIKK_TIDSGRENSE / _MAKS_RADER / _MAKS_EKSPORTER are read in settings.py; a value
    that is not a positive number stops `metrikk serve` with exit 2 and a Norwegian message,
    and leaves the other commands alone."""
    s = Settings.from_env(
        {"METRIKK_TIDSGRENSE": "2.5", "METRIKK_MAKS_RADER": "500", "METRIKK_MAKS_EKSPORTER": "3"}
    )
    assert (s.tidsgrense, s.maks_rader, s.maks_eksporter, s.problems) == (2.5, 500, 3, ())
    bad = Settings.from_env({"METRIKK_MAKS_RADER": "mange", "METRIKK_TIDSGRENSE": "0"})
    with pytest.raises(SettingsError, match="METRIKK_MAKS_RADER: «mange» er ikke et tall"):
        bad.check_serve()
    assert bad.with_overrides(maks_rader=5, tidsgrense=1.0).problems == ()

    result = CliRunner().invoke(
        cli,
        ["--warehouse", str(tmp_path / "w.duckdb"), "serve"],
        env={"METRIKK_MAKS_EKSPORTER": "-1"},
    )
    assert result.exit_code == 2, result.output
    assert "METRIKK_MAKS_EKSPORTER må være et tall større enn 0" in result.output
