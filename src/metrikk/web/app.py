"""`metrikk serve`: the FastAPI app. This module is the one route table of the web app.

| URL | what | module |
|---|---|---|
| `/` | redirect to `/tiltak` | pages |
| `/tiltak`, `/tiltak/gjennomforinger`, `/tiltak/datakvalitet` | dashboard pages | pages |
| `/etterlevelse`, `/etterlevelse/{datasett}` | etterlevelse pages (generic) | pages |
| `/etterlevelse/{sist-oppdatert,pvk-flyt,bruk}`, `/behandlinger/{grunnlag,databehandlere}` | etterlevelse and behandlinger views | pages |
| `/api/v1/etterlevelse/{sist-oppdatert,pvk-flyt,bruk}`, `/api/v1/behandlinger/...` | their JSON twins and exports | etterlevelse |
| `<page>.json` | redirect to the page's JSON twin under `/api/v1`, query kept | pages |
| `/api/v1/...` | JSON API (the pages' JSON twins), CSV / Excel export | api |
| `/ukeAntall`, `/gjennomforinger`, `/status` | Brum-compatible routes | api |
| `/static/...`, `/static/plotly.min.js` | CSS, JS, Plotly from the installed wheel | app |
| `/openapi.json`, `/docs` | OpenAPI | FastAPI |
"""

from __future__ import annotations

import os
import socket
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.protocols.http.h11_impl import H11Protocol

from metrikk.settings import Settings
from metrikk.web import api, etterlevelse, pages
from metrikk.web.queries import Source, Unavailable, warm

STATIC = Path(__file__).parent / "static"


def plotly_js() -> Path:
    import plotly  # noqa: PLC0415

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


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

    `min_antall` (K) turns on small-count suppression: counts 1 … K-1 are shown as "<K".
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Open the published snapshot at start-up: that builds the default kontor's index in
        # the background (queries.on_new_snapshot), before anyone asks.
        threading.Thread(target=warm, args=(Path(settings.warehouse),)).start()
        yield

    app = FastAPI(
        title="metrikk",
        version="1",
        description="Ukentlige tiltakstall for Nav-kontor (Brum) og datasett for etterlevelse.",
        lifespan=lifespan,
    )
    app.state.source = Source(Path(settings.warehouse))
    app.state.min_antall = min_antall if min_antall and min_antall > 1 else None
    app.state.started = time.monotonic()

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        messages = list(dict.fromkeys(_param_message(e) for e in errors))
        return api.error_response(" ".join(messages) or "Ugyldig forespørsel.", 400)

    @app.exception_handler(api.ApiError)
    async def _api_error(request: Request, exc: api.ApiError):
        return api.error_response(exc.message, exc.status)

    @app.exception_handler(Unavailable)
    async def _unavailable(request: Request, exc: Unavailable):
        return api.error_response(str(exc), 503)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return api.error_response("Fant ikke siden.", 404)
        if exc.status_code == 405:
            return api.error_response("Metoden er ikke tillatt her.", 405)
        return api.error_response(str(exc.detail), exc.status_code)

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def _plotly() -> FileResponse:
        return FileResponse(
            plotly_js(),
            media_type="application/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # Before api.router: its /api/v1/etterlevelse/{datasett} would catch the named views.
    app.include_router(etterlevelse.router)
    app.include_router(etterlevelse.behandlinger)
    app.include_router(api.router)
    app.include_router(api.brum)
    app.include_router(pages.router)
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
    k = os.environ.get("METRIKK_MIN_ANTALL")
    return create_app(Settings.from_env(), min_antall=int(k) if k else None)


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8000,
    min_antall: int | None = None,
    workers: int = 1,
) -> None:
    """Run the app with uvicorn (blocks). `METRIKK_MIN_ANTALL` sets suppression if not given.

    With `workers` > 1 uvicorn starts that many processes on one port. The API's work is
    mostly Python and NumPy under one interpreter lock, so one process uses about one core;
    each worker keeps its own snapshot connection and kontor indexes (docs/web.md).
    """
    import pandas  # noqa: F401, PLC0415 - DuckDB imports it on the first parametrised query;
    import uvicorn  # noqa: PLC0415 - pay that once at start-up, not on the first request.

    if min_antall is None and os.environ.get("METRIKK_MIN_ANTALL"):
        min_antall = int(os.environ["METRIKK_MIN_ANTALL"])
    if workers > 1:  # each worker process imports the app by name and reads the environment
        os.environ["METRIKK_WAREHOUSE"] = str(settings.warehouse)
        if min_antall:
            os.environ["METRIKK_MIN_ANTALL"] = str(min_antall)
        else:
            os.environ.pop("METRIKK_MIN_ANTALL", None)
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
    )
