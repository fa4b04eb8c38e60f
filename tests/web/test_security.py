"""Security headers on every kind of response (src/metrikk/web/headers.py), and no server banner.

Each route class is asked once: HTML page, JSON API, CSV and Excel export, static file, Plotly,
redirect, OpenAPI, Swagger UI, the probes, the Brum routes, and the errors 400, 404, 405, 500
and 503. The real server (`metrikk serve` as a subprocess) is asked too, for what uvicorn adds.
"""

from __future__ import annotations

import base64
import hashlib
import re

import httpx
import pytest
import serve_process
from fastapi.testclient import TestClient

from metrikk.settings import Settings
from metrikk.warehouse import ensure_warehouse
from metrikk.web.app import create_app

FIXED = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}

ROUTES = [
    ("/tiltak", 200, "text/html"),
    ("/etterlevelse", 200, "text/html"),
    ("/api/v1/meta", 200, "application/json"),
    ("/api/v1/tiltak/uker?kontor=0219&format=csv", 200, "text/csv"),
    ("/api/v1/tiltak/uker?kontor=0219&format=xlsx", 200, "application/vnd.openxml"),
    ("/static/app.js", 200, ""),
    ("/static/style.css", 200, "text/css"),
    ("/static/plotly.min.js", 200, "application/javascript"),
    ("/", 307, ""),
    ("/tiltak.json?kontor=0219", 307, ""),
    ("/openapi.json", 200, "application/json"),
    ("/isalive", 200, "application/json"),
    ("/isready", 200, "application/json"),
    ("/ukeAntall?aar=2025&uke=41", 200, "application/json"),
    ("/status", 200, "application/json"),
    ("/bruker-info", 401, "application/json"),
    ("/ukeAntall?aar=2025&uke=53", 400, "application/json"),
    ("/api/v1/tiltak/uker?fra=tull", 400, "application/json"),
    ("/finnes-ikke", 404, "application/json"),
    ("/static/finnes-ikke.js", 404, "application/json"),
]


def csp_directives(value: str) -> dict[str, list[str]]:
    out = {}
    for part in value.split(";"):
        name, *sources = part.split()
        out[name] = sources
    return out


def assert_secure(r: httpx.Response, docs: bool = False) -> None:
    for name, value in FIXED.items():
        assert r.headers.get(name) == value, (r.request.url, name, r.headers)
    csp = csp_directives(r.headers["content-security-policy"])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]
    script = csp["script-src"]
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, script
    if not docs:
        assert script == ["'self'"] and csp["connect-src"] == ["'self'"]
    assert "server" not in r.headers


@pytest.mark.parametrize(("url", "status", "kind"), ROUTES)
def test_every_route_class_has_the_security_headers(client, url, status, kind):
    """Pages, JSON, exports, static files, redirects and errors all carry the headers."""
    r = client.get(url, follow_redirects=False)
    assert r.status_code == status, r.text[:300]
    assert r.headers.get("content-type", "").startswith(kind)
    assert_secure(r)


def test_wrong_method_is_405_with_headers(client):
    """A POST to a GET route is 405 in bokmål, with the headers."""
    r = client.post("/api/v1/meta")
    assert r.status_code == 405 and r.json() == {"feil": "Metoden er ikke tillatt her."}
    assert_secure(r)


def test_swagger_ui_gets_its_own_policy_with_its_inline_script_hashed(client):
    """/docs allows only our own files and exactly the inline script it sends (by SHA-256):
    no CDN or other host in any directive."""
    r = client.get("/docs", headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200
    assert_secure(r, docs=True)
    scripts = re.findall(rb"<script>(.*?)</script>", r.content, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0]).digest()).decode()
    csp = csp_directives(r.headers["content-security-policy"])
    assert csp["script-src"] == ["'self'", f"'sha256-{digest}'"]
    assert not [s for sources in csp.values() for s in sources if "://" in s or "." in s], csp
    assert int(r.headers["content-length"]) == len(r.content)
    # The same hash when the page goes out gzipped: the headers see the page before gzip.
    z = client.get("/docs", headers={"Accept-Encoding": "gzip"})
    assert z.headers["content-encoding"] == "gzip"
    assert z.headers["content-security-policy"] == r.headers["content-security-policy"]


def test_redoc_gets_the_same_strict_policy(client):
    """/redoc loads only our own files (no fonts or scripts from elsewhere)."""
    r = client.get("/redoc")
    assert r.status_code == 200
    assert_secure(r, docs=True)
    assert "http" not in " ".join(re.findall(r'(?:src|href)="([^"]*)"', r.text))
    csp = csp_directives(r.headers["content-security-policy"])
    assert csp["script-src"] == ["'self'"]
    assert not [s for sources in csp.values() for s in sources if "://" in s or "." in s], csp


def test_an_unexpected_exception_is_a_norwegian_500_with_the_headers(fixture_db):
    """A bug in a route still answers JSON 500 in bokmål with every header (and is re-raised
    for the server log)."""
    app = create_app(Settings(warehouse=fixture_db))

    @app.get("/test/feil")
    def broken() -> dict:
        raise RuntimeError("en feil i koden")

    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.get("/test/feil")
    assert r.status_code == 500
    assert r.json()["feil"].startswith("Noe gikk galt på serveren.")
    assert "en feil i koden" not in r.text  # no internals to the browser
    assert_secure(r)
    with TestClient(app) as c, pytest.raises(RuntimeError, match="en feil i koden"):
        c.get("/test/feil")


def test_unavailable_data_is_503_with_the_headers(tmp_path):
    """With nothing published yet, API and /isready answer 503 with the headers."""
    warehouse = tmp_path / "tom.duckdb"
    ensure_warehouse(warehouse)
    with TestClient(create_app(Settings(warehouse=warehouse))) as c:
        api = c.get("/api/v1/tiltak/uker")
        assert api.status_code == 503
        assert_secure(api)
    with TestClient(create_app(Settings(warehouse=tmp_path / "finnes-ikke.duckdb"))) as c:
        ready = c.get("/isready")
        assert ready.status_code == 503 and "Fant ikke datavarehuset" in ready.json()["feil"]
        assert_secure(ready)
        assert c.get("/isalive").status_code == 200


@pytest.mark.slow
def test_the_real_server_sends_the_headers_and_no_banner(fixture_db, tmp_path):
    """`metrikk serve` (uvicorn) sends no `server` header, and the headers reach the client."""
    with serve_process.running_server(fixture_db, tmp_path) as (url, _):
        for path in ("/tiltak", "/api/v1/meta", "/static/app.js", "/finnes-ikke"):
            r = httpx.get(url + path)
            assert "server" not in r.headers, (path, r.headers)
            assert_secure(r)
