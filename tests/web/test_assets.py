"""Assets served by the app itself from installed packages, gzip, the Norwegian plotly locale,
the definitions, and the line `metrikk serve` prints (web/assets.py, app.py, cli.py)."""

from __future__ import annotations

import re
import time

import httpx
import pytest
import serve_process

from metrikk.web.assets import docs_assets, plotly_js
from metrikk.web.definisjoner import DEFINISJONER


def test_plotly_goes_out_gzipped_and_whole(client):
    """plotly.min.js (4.8 MB) is sent gzipped to a client that accepts gzip (under a third of
    the size), unchanged once unpacked, and plain to one that does not."""
    raw = plotly_js().read_bytes()
    r = client.get("/static/plotly.min.js", headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert int(r.headers["content-length"]) < len(raw) / 3
    assert r.content == raw  # httpx unpacks it
    plain = client.get("/static/plotly.min.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == raw
    assert "Accept-Encoding" in r.headers["vary"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/tiltak/perioder?kontor=0219&gruppering=periode&gruppering=avdeling",
        "/static/app.js",
        "/static/style.css",
        "/tiltak/denne-uken",
        "/static/docs/swagger-ui.css",
    ],
)
def test_json_pages_and_static_files_are_gzipped(client, url):
    """JSON, pages and static files go out gzipped when the client accepts it."""
    r = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"


def test_docs_load_their_scripts_from_the_app(client):
    """/docs and /redoc reference only our own /static/docs files, and those are served."""
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        refs = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert refs and all(ref.startswith("/") for ref in refs), refs
        for ref in refs:
            if ref.startswith("/static/"):
                assert client.get(ref).status_code == 200, ref
    bundle = client.get("/static/docs/swagger-ui-bundle.js").content
    assert bundle == (docs_assets() / "swagger-ui-bundle.js").read_bytes()


def test_norwegian_plotly_locale_is_served(client):
    """Our locale file registers plotly's `no` with the toolbar in Norwegian."""
    js = client.get("/static/plotly-locale-no.js").text
    assert 'name: "no"' in js and '"Download plot as a PNG": "Last ned diagrammet som PNG"' in js
    page = client.get("/tiltak").text
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert (
        scripts.index("/static/plotly-locale-no.js") == scripts.index("/static/plotly.min.js") + 1
    )


def test_definitions_page_and_its_json_twin(client):
    """«Om tallene» shows every definition of /api/v1/definisjoner (its JSON twin)."""
    data = client.get("/api/v1/definisjoner").json()["definisjoner"]
    assert [d["noekkel"] for d in data] == list(DEFINISJONER)
    page = client.get("/om-tallene").text
    for d in data:
        assert f'id="{d["noekkel"]}"' in page and d["begrep"] in page
    for key in (
        "innsatsgruppe",
        "uten_avdeling",
        "unike_personer",
        "belegg",
        "venter",
        "kontor_fra_reserveregel",
    ):
        assert key in DEFINISJONER
    assert client.get("/om-tallene.json", follow_redirects=False).headers["location"] == (
        "/api/v1/definisjoner"
    )


def test_landing_page_is_this_week(client):
    """/ goes to «Denne uken», keeping the kontor."""
    r = client.get("/?kontor=0220", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/tiltak/denne-uken?kontor=0220"


@pytest.mark.slow
def test_serve_prints_where_the_dashboard_is(fixture_db, tmp_path):
    """`metrikk serve` prints «Dashboardet kjører på http://127.0.0.1:PORT/» (demo serves
    through the same command)."""
    with serve_process.running_server(fixture_db, tmp_path) as (url, _):
        assert httpx.get(url + "/isalive").status_code == 200
        deadline = time.monotonic() + 10
        text = ""
        while time.monotonic() < deadline:
            text = (tmp_path / "serve.out").read_text()
            if "Dashboardet" in text:
                break
            time.sleep(0.1)
        assert f"Dashboardet kjører på {url}/ (stopp med Ctrl+C)." in text
