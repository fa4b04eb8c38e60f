"""Login in production: trust only tokens the platform's introspection endpoint calls active.

On NAIS the app runs behind the Entra ID login proxy (Wonderwall), which logs the employee in
and forwards every request with `Authorization: Bearer <access token>`. The proxy validates
nothing, so the app asks the platform's token service (Texas, `NAIS_TOKEN_INTROSPECTION_ENDPOINT`)
about every token it has not seen: `POST {"identity_provider": "azuread", "token": …}` answers
`200 {"active": true, <the token's claims>}` or `200 {"active": false, "error": "…"}`
(docs/production.md, "Authentication"). Texas checks signature, issuer, audience (this app)
and expiry.

- No token, or an inactive one: 401 with a Norwegian message (and `WWW-Authenticate: Bearer`).
- The introspection endpoint down, slow, answering an error or something that is not its JSON:
  503 (the person did nothing wrong), never a 500.
- Active tokens are cached by their SHA-256 (never the token itself) until the token's `exp`,
  at most `CACHE_SECONDS`, so a page's ten API calls cost one introspection.
- `/isalive` and `/isready` (the platform's probes) are open.

`GET /bruker-info` answers `{"NAVident", "email", "name"}` from the introspected claims, as the
Brum backend did (navikt/brum `brukerRute.kt`; "ukjent" for a missing claim).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from typing import Any

import httpx
from fastapi import APIRouter, Request

IDENTITY_PROVIDER = "azuread"  # Texas' name for Entra ID (alias of "entra_id")
CACHE_SECONDS = 300.0
CACHE_MAX = 10_000
INTROSPECTION_TIMEOUT = 5.0
OPEN_PATHS = frozenset({"/isalive", "/isready"})
CLAIMS_KEY = "metrikk.claims"  # where the middleware puts the claims in the ASGI scope

log = logging.getLogger(__name__)

MANGLER = (
    "Du er ikke logget inn: forespørselen mangler innloggingstoken (Authorization: Bearer …). "
    "Logg inn via /oauth2/login."
)
UGYLDIG = "Innloggingen er ugyldig eller utløpt. Logg inn på nytt via /oauth2/login."
IKKE_PAA = "Innlogging er ikke slått på for denne serveren, så det finnes ingen innlogget bruker."


def ikke_tilgjengelig(why: str) -> str:
    return f"Kunne ikke sjekke innloggingen akkurat nå ({why}). Prøv igjen om litt."


class AuthFailed(Exception):
    """The request is not let in; `message` is shown to a person (bokmål)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


def bearer_token(headers: list[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name.lower() == b"authorization":
            scheme, _, token = value.decode("latin-1").strip().partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    return None


class Introspector:
    """Asks the introspection endpoint about tokens and remembers the active ones briefly."""

    def __init__(self, endpoint: str, timeout: float | None = None):
        self.endpoint = endpoint
        self.timeout = INTROSPECTION_TIMEOUT if timeout is None else timeout
        self._cache: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def _cached(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            hit = self._cache.get(key)
            if hit is None:
                return None
            if hit[0] <= time.time():
                del self._cache[key]
                return None
            return hit[1]

    def _remember(self, key: str, claims: dict[str, Any]) -> None:
        now = time.time()
        until = now + CACHE_SECONDS
        exp = claims.get("exp")
        if isinstance(exp, (int, float)) and not isinstance(exp, bool):
            until = min(until, float(exp))
        if until <= now:
            return
        with self._lock:
            if len(self._cache) >= CACHE_MAX:
                for k in [k for k, (t, _) in self._cache.items() if t <= now]:
                    del self._cache[k]
                if len(self._cache) >= CACHE_MAX:
                    self._cache.clear()
            self._cache[key] = (until, claims)

    async def claims(self, token: str) -> dict[str, Any]:
        """The claims of an active token; AuthFailed (401 or 503) otherwise."""
        key = hashlib.sha256(token.encode("utf-8")).hexdigest()
        cached = self._cached(key)
        if cached is not None:
            return cached
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                r = await client.post(
                    self.endpoint, json={"identity_provider": IDENTITY_PROVIDER, "token": token}
                )
        except httpx.TimeoutException:
            raise AuthFailed(ikke_tilgjengelig("tokentjenesten svarte ikke i tide"), 503) from None
        except httpx.HTTPError as e:
            log.warning("token introspection failed: %s", type(e).__name__)
            raise AuthFailed(
                ikke_tilgjengelig("fikk ikke kontakt med tokentjenesten"), 503
            ) from None
        if r.status_code != 200:
            log.warning("token introspection answered HTTP %s", r.status_code)
            raise AuthFailed(
                ikke_tilgjengelig(f"tokentjenesten svarte med feil {r.status_code}"), 503
            )
        try:
            body = r.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("active"), bool):
            log.warning("token introspection answered something that is not its JSON")
            raise AuthFailed(ikke_tilgjengelig("uventet svar fra tokentjenesten"), 503)
        if not body["active"]:
            log.info("inactive token: %s", str(body.get("error"))[:200])
            raise AuthFailed(UGYLDIG, 401)
        claims = {k: v for k, v in body.items() if k not in ("active", "error")}
        self._remember(key, claims)
        return claims


class AuthMiddleware:
    """Lets a request in only with a token the introspection endpoint calls active.

    `refuse(scope, message, status, headers)` builds the error response (app.py).
    """

    def __init__(self, app, introspector: Introspector, refuse):
        self.app = app
        self.introspector = introspector
        self.refuse = refuse

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        token = bearer_token(scope.get("headers", []))
        try:
            if token is None:
                raise AuthFailed(MANGLER, 401)
            claims = await self.introspector.claims(token)
        except AuthFailed as e:
            headers = {"Cache-Control": "no-store"}
            if e.status == 401:
                headers["WWW-Authenticate"] = 'Bearer realm="metrikk"'
            else:
                headers["Retry-After"] = "5"
            await self.refuse(scope, e.message, e.status, headers)(scope, receive, send)
            return
        scope[CLAIMS_KEY] = claims
        await self.app(scope, receive, send)


router = APIRouter(tags=["brum"])


def _claim(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name)
    return value if isinstance(value, str) and value else "ukjent"


@router.get(
    "/bruker-info",
    summary="Brum: den innloggede brukeren (NAVident, e-post, navn)",
    description=(
        "Som Brum-backendens /bruker-info: fra tokenet innloggingsproxyen sender med, sjekket "
        "mot plattformens token-introspeksjon. 401 uten gyldig token, og alltid 401 når "
        "serveren kjører uten innlogging (lokalt)."
    ),
)
def bruker_info(request: Request) -> dict[str, str]:
    claims = request.scope.get(CLAIMS_KEY)
    if claims is None:  # only without login: with it, the middleware let no one in without claims
        raise AuthFailed(IKKE_PAA if not request.app.state.auth else MANGLER, 401)
    return {
        "NAVident": _claim(claims, "NAVident"),
        "email": _claim(claims, "preferred_username"),
        "name": _claim(claims, "name"),
    }
