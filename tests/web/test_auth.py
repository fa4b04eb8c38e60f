"""Login in production (src/metrikk/web/auth.py) against a local token-introspection server.

NAIS' token service (Texas) cannot run here, so a real HTTP server on a free port speaks its
documented introspection format (docs/production.md, "Authentication"): `POST` JSON
`{"identity_provider", "token"}` → `200 {"active": true, <claims>}` or
`200 {"active": false, "error": …}`, and, for the failures the app must survive, an HTTP 500,
a 400 with an OAuth error, a slow answer, malformed JSON and JSON of the wrong shape.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
import serve_process
from fastapi.testclient import TestClient

from metrikk.settings import Settings, SettingsError
from metrikk.web import auth
from metrikk.web.app import create_app

KARI = {
    "NAVident": "Z990001",
    "preferred_username": "kari.nordmann@nav.no",
    "name": "Nordmann, Kari",
    "aud": "metrikk-client-id",
    "iss": "https://login.microsoftonline.com/tenant/v2.0",
}


class Texas(BaseHTTPRequestHandler):
    """The introspection endpoint: the token names the answer."""

    calls: list[dict] = []

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Texas.calls.append({"content_type": self.headers["Content-Type"], **body})
        token = body.get("token", "")
        if token.startswith("gyldig"):
            self._json(200, {"active": True, **KARI, "exp": int(time.time()) + 3600})
        elif token == "uten-navn":
            self._json(200, {"active": True, "exp": int(time.time()) + 3600})
        elif token == "utlopt-i-cachen":  # active, but its exp is past: must not be cached
            self._json(200, {"active": True, **KARI, "exp": int(time.time()) - 10})
        elif token == "utlopt":
            self._json(200, {"active": False, "error": "token is expired"})
        elif token == "krasj":
            self._raw(500, b"internal error", "text/plain")
        elif token == "oauth-feil":
            self._json(400, {"error": "invalid_request", "error_description": "bad provider"})
        elif token == "treg":
            time.sleep(3)
            self._json(200, {"active": True, **KARI})
        elif token == "rot":
            self._raw(200, b'{"active": tru', "application/json")
        elif token == "liste":
            self._json(200, [{"active": True}])
        elif token == "uten-active":
            self._json(200, {"NAVident": "Z990001"})
        else:
            self._json(200, {"active": False, "error": "invalid token header: InvalidToken"})

    def _json(self, status: int, body) -> None:
        self._raw(status, json.dumps(body).encode(), "application/json")

    def _raw(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the app gave up waiting (treg)
            pass


@pytest.fixture(scope="module", name="texas")
def _texas() -> Iterator[str]:
    """The introspection endpoint's URL (a real server on a free port, for this module)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Texas)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v1/introspect"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(name="secured")
def _secured(fixture_db, texas, monkeypatch) -> Iterator[TestClient]:
    """The app with login on (the endpoint set, METRIKK_AUTH unset = auto), 0.5 s timeout."""
    monkeypatch.setattr(auth, "INTROSPECTION_TIMEOUT", 0.5)
    Texas.calls.clear()
    settings = Settings.from_env(
        {"METRIKK_WAREHOUSE": str(fixture_db), "NAIS_TOKEN_INTROSPECTION_ENDPOINT": texas}
    )
    assert settings.auth_enabled
    with TestClient(create_app(settings)) as c:
        yield c


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_without_a_token_every_route_but_the_probes_is_401(secured):
    """No token: 401 in bokmål (key by route family), WWW-Authenticate, security headers."""
    for url, key in [
        ("/api/v1/meta", "feil"),
        ("/tiltak", "feil"),
        ("/static/app.js", "feil"),
        ("/openapi.json", "feil"),
        ("/ukeAntall?aar=2025&uke=41", "errorMelding"),
        ("/bruker-info", "errorMelding"),
        ("/status", "errorMelding"),
    ]:
        r = secured.get(url)
        assert r.status_code == 401, url
        assert r.json() == {key: auth.MANGLER}, url
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["cache-control"] == "no-store"
    assert (
        secured.get(
            "/api/v1/meta", headers={"Authorization": "Basic a2FyaTpoZW1tZWxpZw=="}
        ).status_code
        == 401
    )
    assert secured.get("/isalive").status_code == 200
    assert secured.get("/isready").status_code == 200
    assert Texas.calls == []  # nothing to ask about


def test_an_active_token_lets_the_person_in_and_bruker_info_names_them(secured):
    """With a token Texas calls active, the routes answer and /bruker-info has Brum's shape."""
    r = secured.get("/bruker-info", headers=bearer("gyldig-1"))
    assert r.status_code == 200
    assert list(r.json().items()) == [
        ("NAVident", "Z990001"),
        ("email", "kari.nordmann@nav.no"),
        ("name", "Nordmann, Kari"),
    ]
    assert Texas.calls == [
        {"content_type": "application/json", "identity_provider": "azuread", "token": "gyldig-1"}
    ]
    for url in ("/api/v1/meta", "/tiltak", "/static/app.js", "/ukeAntall?aar=2025&uke=41"):
        assert secured.get(url, headers=bearer("gyldig-1")).status_code == 200, url


def test_active_tokens_are_cached_until_they_expire(secured):
    """One introspection per token while it is valid; another token is asked about anew; an
    active answer whose exp has passed is never reused."""
    for _ in range(3):
        assert secured.get("/api/v1/meta", headers=bearer("gyldig-a")).status_code == 200
    assert [c["token"] for c in Texas.calls] == ["gyldig-a"]
    assert secured.get("/api/v1/meta", headers=bearer("gyldig-b")).status_code == 200
    assert [c["token"] for c in Texas.calls] == ["gyldig-a", "gyldig-b"]
    for _ in range(2):
        secured.get("/api/v1/meta", headers=bearer("utlopt-i-cachen"))
    assert [c["token"] for c in Texas.calls][2:] == ["utlopt-i-cachen"] * 2


def test_missing_claims_are_ukjent_as_in_brum(secured):
    """An active token without NAVident/name/preferred_username (an app token) gives "ukjent"."""
    r = secured.get("/bruker-info", headers=bearer("uten-navn"))
    assert r.json() == {"NAVident": "ukjent", "email": "ukjent", "name": "ukjent"}


def test_an_inactive_token_is_401_and_never_cached(secured):
    """Texas' `active: false` is a 401 asking the person to log in again, every time."""
    for _ in range(2):
        r = secured.get("/api/v1/meta", headers=bearer("utlopt"))
        assert r.status_code == 401 and r.json() == {"feil": auth.UGYLDIG}
    assert [c["token"] for c in Texas.calls] == ["utlopt", "utlopt"]
    r = secured.get("/bruker-info", headers=bearer("tull"))
    assert r.status_code == 401 and r.json() == {"errorMelding": auth.UGYLDIG}


@pytest.mark.parametrize(
    ("token", "why"),
    [
        ("krasj", "tokentjenesten svarte med feil 500"),
        ("oauth-feil", "tokentjenesten svarte med feil 400"),
        ("treg", "tokentjenesten svarte ikke i tide"),
        ("rot", "uventet svar fra tokentjenesten"),
        ("liste", "uventet svar fra tokentjenesten"),
        ("uten-active", "uventet svar fra tokentjenesten"),
    ],
)
def test_a_failing_introspection_endpoint_is_a_clear_503_never_a_500(secured, token, why):
    """Errors, timeouts and answers that are not Texas' JSON give 503 in bokmål, not 500/401."""
    r = secured.get("/api/v1/meta", headers=bearer(token))
    assert r.status_code == 503, r.text
    assert r.json() == {"feil": auth.ikke_tilgjengelig(why)}
    assert r.headers["retry-after"] == "5"
    assert r.headers["x-content-type-options"] == "nosniff"
    brum = secured.get("/ukeAntall?aar=2025&uke=41", headers=bearer(token))
    assert brum.status_code == 503 and brum.json() == {"errorMelding": auth.ikke_tilgjengelig(why)}


def test_an_unreachable_introspection_endpoint_is_503(fixture_db):
    """Nothing listening at the endpoint: 503 «fikk ikke kontakt», not a 500."""
    port = serve_process.free_port()
    settings = replace(
        Settings(warehouse=fixture_db),
        introspection_endpoint=f"http://127.0.0.1:{port}/api/v1/introspect",
    )
    with TestClient(create_app(settings)) as c:
        r = c.get("/api/v1/meta", headers=bearer("gyldig"))
    assert r.status_code == 503
    assert r.json() == {"feil": auth.ikke_tilgjengelig("fikk ikke kontakt med tokentjenesten")}


def test_without_login_local_serve_and_demo_need_no_token(client):
    """Locally (no endpoint, METRIKK_AUTH unset) everything answers without a token, and
    /bruker-info says there is no logged-in user."""
    assert client.get("/api/v1/meta").status_code == 200
    assert client.get("/tiltak").status_code == 200
    r = client.get("/bruker-info", headers=bearer("gyldig"))  # not checked, so not trusted
    assert r.status_code == 401 and r.json() == {"errorMelding": auth.IKKE_PAA}


def test_the_login_mode_setting(texas):
    """auto = on exactly when NAIS sets the endpoint; entra demands it; av turns it off."""

    def mode(**env) -> bool:
        return Settings.from_env(env).auth_enabled

    assert mode() is False
    assert mode(NAIS_TOKEN_INTROSPECTION_ENDPOINT=texas) is True
    assert mode(METRIKK_AUTH="entra", NAIS_TOKEN_INTROSPECTION_ENDPOINT=texas) is True
    assert mode(METRIKK_AUTH="av", NAIS_TOKEN_INTROSPECTION_ENDPOINT=texas) is False
    with pytest.raises(SettingsError, match="krever NAIS_TOKEN_INTROSPECTION_ENDPOINT"):
        mode(METRIKK_AUTH="entra")
    with pytest.raises(SettingsError, match="Ukjent innloggingsvalg «kanskje»"):
        mode(METRIKK_AUTH="kanskje")


@pytest.mark.slow
def test_the_real_server_with_auth_entra_checks_tokens(fixture_db, texas, tmp_path, monkeypatch):
    """`metrikk serve --auth entra` with the endpoint in the environment refuses a request
    without a token and lets an active one in (real uvicorn process)."""
    monkeypatch.setenv("NAIS_TOKEN_INTROSPECTION_ENDPOINT", texas)
    with serve_process.running_server(fixture_db, tmp_path, "--auth", "entra") as (url, _):
        assert httpx.get(url + "/api/v1/meta").status_code == 401
        r = httpx.get(url + "/bruker-info", headers=bearer("gyldig-ekte"))
        assert r.status_code == 200 and r.json()["NAVident"] == "Z990001"
