"""`metrikk serve`: the FastAPI app. This module is the one route table of the web app.

| URL | what | module |
|---|---|---|
| `/` | redirect to `/tiltak/denne-uken` | pages |
| `/tiltak/denne-uken`, `/tiltak`, `/tiltak/oppfolging`, `/tiltak/ventetid`, `/tiltak/gjennomforinger`, `/tiltak/datakvalitet`, `/om-tallene` | dashboard pages | pages |
| `/api/v1/tiltak/{denne-uken,perioder,sammenligning,oppfolging,ventetid}` | their JSON twins | denne_uken, tiltak_perioder, oppfolging, ventetid |
| `/etterlevelse`, `/etterlevelse/{datasett}` | etterlevelse pages (generic) | pages |
| `/etterlevelse/{sist-oppdatert,pvk-flyt,bruk}`, `/behandlinger/{grunnlag,databehandlere}` | etterlevelse and behandlinger views | pages |
| `/behandlinger/fullstendighet`, `/api/v1/behandlinger/fullstendighet` | Behandlingskatalogen completeness over time | fullstendighet |
| `/api/v1/etterlevelse/{sist-oppdatert,pvk-flyt,bruk}`, `/api/v1/behandlinger/...` | their JSON twins and exports | etterlevelse |
| `<page>.json` | redirect to the page's JSON twin under `/api/v1`, query kept | pages |
| `/api/v1/...` | JSON API (the pages' JSON twins), CSV / Excel export | api |
| `/ukeAntall`, `/gjennomforinger`, `/status` | Brum-compatible routes | api |
| `/bruker-info` | Brum: the logged-in user, from the introspected token | auth |
| `/isalive`, `/isready` | the platform's probes (open also when login is on) | app |
| `/static/...`, `/static/plotly.min.js` | CSS, JS, Plotly from the installed wheel | app, assets |
| `/openapi.json`, `/docs`, `/redoc` | OpenAPI; Swagger UI and ReDoc from an installed package | FastAPI, assets |

Every response passes four layers of middleware (outermost first): gzip (Starlette), security
headers (`headers.py`), login (`auth.py`, when on) and the per-request limits (`limits.py`).
"""

from __future__ import annotations

import socket
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path

import duckdb
import uvicorn
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from uvicorn.protocols.http.h11_impl import H11Protocol

from metrikk.settings import Settings, hand_to_workers, min_antall_env
from metrikk.web import (
    api,
    assets,
    auth,
    behandlinger,
    datakvalitet,
    definisjoner,
    denne_uken,
    dokumentstatus,
    etterlevelse,
    fullstendighet,
    gjennomforinger,
    oppfolging,
    pages,
    suppression,
    tiltak_perioder,
    ventetid,
)
from metrikk.web.headers import INTERNAL_ERROR, SecurityHeadersMiddleware
from metrikk.web.limits import (
    BudgetedSource,
    LimitExceeded,
    Limits,
    LimitsMiddleware,
    timeout_message,
)
from metrikk.web.queries import Unavailable, warm

STATIC = Path(__file__).parent / "static"


def _param_message(err: dict) -> str:
    loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body")]
    name = ".".join(loc) or "forespørselen"
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return f"Parameteren «{name}» mangler."
    if kind.startswith("int"):
        return f"Parameteren «{name}» må være et heltall."
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        lo, hi = ctx.get("ge", ctx.get("gt")), ctx.get("le", ctx.get("lt"))
        if lo is not None and hi is None:
            return f"Parameteren «{name}» må være minst {lo}."
        if hi is not None and lo is None:
            return f"Parameteren «{name}» kan være høyst {hi}."
        return f"Parameteren «{name}» er utenfor tillatt område."
    if kind in ("literal_error", "enum"):
        return f"Parameteren «{name}» må være en av: {ctx.get('expected', '')}."
    return f"Parameteren «{name}» har en ugyldig verdi."


def create_app(settings: Settings, min_antall: int | None = None) -> FastAPI:
    """The API and dashboard over the data published from `settings.warehouse`.

    `min_antall` (K, at least `suppression.MIN_K`, else SettingsError) protects every count of
    people: 1 … K-1 is shown as "<K", every other count is rounded to the nearest multiple of 2K,
    and each filter selects one value or all (`metrikk.web.suppression`).
    Login (docs/production.md) is on when `settings.auth_enabled`; the limits of
    `settings` (tidsgrense, maks_rader, maks_eksporter) apply to every request.
    """
    settings.check_serve()
    min_antall = suppression.check_k(min_antall)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Open the published snapshot at start-up: that builds the default kontor's index in
        # the background (queries.on_new_snapshot), before anyone asks.
        threading.Thread(target=warm, args=(Path(settings.warehouse),)).start()
        threading.Thread(target=assets.warm, daemon=True).start()
        yield

    app = FastAPI(
        title="metrikk",
        version="1",
        description="Ukentlige tiltakstall for Nav-kontor (Brum) og datasett for etterlevelse.",
        lifespan=lifespan,
        docs_url=None,  # assets.docs_router: Swagger UI and ReDoc from an installed package
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.source = BudgetedSource(Path(settings.warehouse))
    app.state.min_antall = min_antall
    app.state.started = time.monotonic()
    app.state.auth = settings.auth_enabled
    limits = Limits(settings.tidsgrense, settings.maks_rader, settings.maks_eksporter)
    app.state.limits = limits
    app.state.exports = threading.BoundedSemaphore(settings.maks_eksporter)
    brum_paths = frozenset(
        r.path for r in (*api.brum.routes, *gjennomforinger.brum.routes, *auth.router.routes)
    )

    def error(path: str, message: str, status: int, headers=None) -> JSONResponse:
        """The JSON error body: {"errorMelding": …} on the Brum routes, {"feil": …} elsewhere."""
        key = api.BRUM_ERROR_KEY if path in brum_paths else api.ERROR_KEY
        return api.error_response(message, status, key=key, headers=headers)

    def refuse(scope, message: str, status: int, headers=None) -> JSONResponse:
        return error(scope["path"], message, status, headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        messages = list(dict.fromkeys(_param_message(e) for e in errors))
        return error(request.url.path, " ".join(messages) or "Ugyldig forespørsel.", 400)

    @app.exception_handler(api.ApiError)
    async def _api_error(request: Request, exc: api.ApiError):
        return error(request.url.path, exc.message, exc.status)

    @app.exception_handler(LimitExceeded)
    async def _limit(request: Request, exc: LimitExceeded):
        return error(request.url.path, exc.message, exc.status)

    @app.exception_handler(duckdb.InterruptException)
    async def _interrupted(request: Request, exc: duckdb.InterruptException):
        # Only the time budget interrupts a request's queries (limits.Budget.expire).
        return error(request.url.path, timeout_message(limits.tidsgrense), 503)

    @app.exception_handler(auth.AuthFailed)
    async def _auth_failed(request: Request, exc: auth.AuthFailed):
        return error(request.url.path, exc.message, exc.status, {"Cache-Control": "no-store"})

    @app.exception_handler(Unavailable)
    async def _unavailable(request: Request, exc: Unavailable):
        return error(request.url.path, str(exc), 503)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return error(request.url.path, "Fant ikke siden.", 404)
        if exc.status_code == 405:
            return error(request.url.path, "Metoden er ikke tillatt her.", 405)
        return error(request.url.path, str(exc.detail), exc.status_code)

    @app.get("/isalive", include_in_schema=False)
    def _isalive() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/isready", include_in_schema=False)
    def _isready(request: Request) -> dict[str, str]:
        """Ready when the published data (or the warehouse before the first run) can be read."""
        with request.app.state.source.read() as con:
            con.execute("SELECT 1").fetchone()
        return {"status": "klar"}

    # Before the /static mounts: plotly and the large documentation scripts, gzipped once.
    app.include_router(assets.router)
    app.include_router(assets.docs_router(app.title))
    app.mount(assets.DOCS_STATIC, assets.docs_static(), name="docs-static")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # Before api.router: its /api/v1/etterlevelse/{datasett} would catch the named views.
    app.include_router(dokumentstatus.router)  # before etterlevelse.router's views
    app.include_router(etterlevelse.router)
    app.include_router(behandlinger.router)
    app.include_router(fullstendighet.router)
    app.include_router(fullstendighet.pages)
    app.include_router(tiltak_perioder.router)
    app.include_router(denne_uken.router)
    app.include_router(oppfolging.router)
    app.include_router(ventetid.router)
    app.include_router(gjennomforinger.router)
    app.include_router(datakvalitet.router)
    app.include_router(definisjoner.router)
    app.include_router(api.router)
    app.include_router(api.brum)
    app.include_router(gjennomforinger.brum)
    app.include_router(auth.router)
    app.include_router(dokumentstatus.side)  # before pages' /etterlevelse/{datasett}
    app.include_router(pages.router)

    # Middleware: the last added runs first. Limits innermost, then login, then the headers,
    # so a refusal by either of the inner two carries the security headers too.
    app.add_middleware(LimitsMiddleware, limits=limits, exports=app.state.exports, refuse=refuse)
    if settings.auth_enabled:
        introspector = auth.Introspector(settings.introspection_endpoint)
        app.add_middleware(auth.AuthMiddleware, introspector=introspector, refuse=refuse)
    app.add_middleware(
        SecurityHeadersMiddleware,
        internal_error=lambda scope: error(scope["path"], INTERNAL_ERROR, 500),
    )
    # Outermost: the security headers see (and hash, on /docs) the uncompressed page. Level 1
    # (nginx's default), not Starlette's 9: on a 116 kB JSON answer 9 costs 5.3 ms of CPU for
    # 8.3 kB, 1 costs 0.3 ms for 12 kB (benchmarks/RESULTS.md); the big static files are
    # compressed once at level 9 (assets.py).
    app.add_middleware(GZipMiddleware, minimum_size=500, compresslevel=1)
    return app


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with TCP_NODELAY on every connection.

    With `workers` > 1 uvicorn binds the socket as `socket.socket(family)`, whose `proto` is 0,
    and asyncio only sets TCP_NODELAY when `proto` is IPPROTO_TCP. A response's headers and body
    then go out as two small writes, and the second waits for the client's delayed ACK: every
    keep-alive request took 44 ms instead of 1-2 ms (measured with http.client, httpx and curl).
    """

    def connection_made(self, transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def app_from_env() -> FastAPI:
    """The app for one of several uvicorn worker processes (they import it by name)."""
    k = suppression.parse_k(min_antall_env())
    return create_app(Settings.from_env(), min_antall=k)


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8000,
    min_antall: int | None = None,
    workers: int = 1,
) -> None:
    """Run the app with uvicorn (blocks). `METRIKK_MIN_ANTALL` sets suppression if not given.

    Raises SettingsError (before listening) when the limits, the login settings or K (below
    `suppression.MIN_K`, or METRIKK_MIN_ANTALL not a whole number) are unusable.

    With `workers` > 1 uvicorn starts that many processes on one port. The API's work is
    mostly Python and NumPy under one interpreter lock, so one process uses about one core;
    each worker keeps its own snapshot connection and kontor indexes (docs/web.md).
    """
    settings.check_serve()
    if min_antall is None:
        min_antall = suppression.parse_k(min_antall_env())
    suppression.check_k(min_antall)
    # lazy: DuckDB imports pandas on the first parametrised query; pay that once at start-up
    # here, not in every import of this module (tests, each worker process)
    import pandas  # noqa: F401

    if workers > 1:  # each worker process imports the app by name and reads the environment
        hand_to_workers(settings, min_antall)
    app: FastAPI | str = (
        "metrikk.web.app:app_from_env"
        if workers > 1
        else create_app(settings, min_antall=min_antall)
    )
    uvicorn.run(
        app,
        factory=workers > 1,
        workers=workers,
        host=host,
        port=port,
        http=NoDelayH11Protocol,
        log_level="warning",
        server_header=False,  # no "server: uvicorn" banner
    )
