"""Static assets that come from installed packages, served by the app itself (no CDN).

- Plotly.js from the `plotly` wheel (`/static/plotly.min.js`, 4.8 MB, 1.4 MB gzipped).
- Swagger UI and ReDoc from the `fastapi-offline` package (`/static/docs/...`), for the API
  documentation at `/docs` and `/redoc`: NAV's locked-down machines (and CI) reach no CDN.

Large files are gzipped once per process and kept in memory; every other response is compressed
by Starlette's GZipMiddleware (app.py). The plotly locale file `plotly-locale-no.js` is our own
(`static/`): plotly.js calls Norwegian `no`, and its own `no` locale has no translations of the
toolbar.
"""

from __future__ import annotations

import gzip
import threading
from pathlib import Path

import fastapi_offline
import plotly as plotly_package
from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.staticfiles import StaticFiles

router = APIRouter(include_in_schema=False)

DOCS_STATIC = "/static/docs"
CACHE = "public, max-age=86400"


def plotly_js() -> Path:
    return Path(plotly_package.__file__).parent / "package_data" / "plotly.min.js"


def docs_assets() -> Path:
    """Swagger UI (5.x, which reads OpenAPI 3.1) and ReDoc as shipped by fastapi-offline."""

    return Path(fastapi_offline.__file__).parent / "static"


class Precompressed:
    """A file served gzipped from memory (compressed once, on first use) when the client
    accepts gzip, else as it is. GZipMiddleware leaves a response that has Content-Encoding."""

    def __init__(self, path: Path, media_type: str):
        self.path = path
        self.media_type = media_type
        self._gz: bytes | None = None
        self._lock = threading.Lock()

    def gzipped(self) -> bytes:
        with self._lock:
            if self._gz is None:
                self._gz = gzip.compress(self.path.read_bytes(), compresslevel=9, mtime=0)
            return self._gz

    def response(self, request: Request) -> Response:
        headers = {"Cache-Control": CACHE, "Vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(
                self.gzipped(),
                media_type=self.media_type,
                headers={**headers, "Content-Encoding": "gzip"},
            )
        return FileResponse(self.path, media_type=self.media_type, headers=headers)


PLOTLY = Precompressed(plotly_js(), "application/javascript")
LARGE_DOCS = {
    name: Precompressed(docs_assets() / name, media)
    for name, media in (
        ("swagger-ui-bundle.js", "application/javascript"),
        ("redoc.standalone.js", "application/javascript"),
    )
}


@router.get("/static/plotly.min.js")
def plotly(request: Request) -> Response:
    return PLOTLY.response(request)


@router.get(DOCS_STATIC + "/{name}.js")
def docs_script(request: Request, name: str) -> Response:
    asset = LARGE_DOCS.get(f"{name}.js")
    if asset is None:
        return Response(status_code=404)
    return asset.response(request)


def docs_static() -> StaticFiles:
    """The rest of the documentation assets (CSS, favicon)."""
    return StaticFiles(directory=docs_assets())


def docs_router(app_title: str, openapi_url: str = "/openapi.json") -> APIRouter:
    docs = APIRouter(include_in_schema=False)

    @docs.get("/docs")
    def swagger(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app_title} – API-dokumentasjon",
            swagger_js_url=f"{root}{DOCS_STATIC}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_STATIC}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_STATIC}/favicon.png",
        )

    @docs.get("/redoc")
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app_title} – API-dokumentasjon (ReDoc)",
            redoc_js_url=f"{root}{DOCS_STATIC}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{DOCS_STATIC}/favicon.png",
            with_google_fonts=False,
        )

    return docs


def warm() -> None:
    """Compress plotly once at start-up, so the first page view does not wait for it."""
    PLOTLY.gzipped()
