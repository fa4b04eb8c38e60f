"""Browser fixtures: `metrikk serve` as a real subprocess on a free port, driven by Chromium.

Two servers: `server_url` on the FIXTURE of tests/web/fixture_warehouse.py (hand-made published
tables), `pipeline_server_url` on the warehouse the real pipeline builds
(tests/web/pipeline_warehouse.py). Chromium is Debian's (`apt-get install chromium`); without it the tests skip
locally and FAIL when the environment variable CI is set.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _fixture_module():
    return _load("web_fixture_warehouse", "fixture_warehouse.py")


def _load(name: str, filename: str):
    path = Path(__file__).parents[1] / "web" / filename
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fx = _fixture_module()
pw = _load("web_pipeline_warehouse", "pipeline_warehouse.py")
server = _load("web_serve_process", "serve_process.py")


@pytest.fixture(scope="session", name="fixture")
def _fixture():
    """The fixture-warehouse module (its ROWS are the oracle)."""
    return fx


@pytest.fixture(scope="session", name="server_url")
def _server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server on the fixture warehouse."""
    tmp = tmp_path_factory.mktemp("browser")
    with server.running_server(fx.build(tmp / "metrikk.duckdb"), tmp) as (url, _):
        yield url


@pytest.fixture(scope="session", name="server_url_k5")
def _server_url_k5(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server on the fixture warehouse with `--min-antall 5` (protected counts)."""
    tmp = tmp_path_factory.mktemp("browser-k5")
    with server.running_server(fx.build(tmp / "metrikk.duckdb"), tmp, "--min-antall", "5") as (
        url,
        _,
    ):
        yield url


@pytest.fixture(name="page_k5")
def _page_k5(browser, server_url_k5):
    """A fresh page on the `--min-antall 5` server; fails on JavaScript errors."""
    yield from _new_page(browser, server_url_k5)


@pytest.fixture(scope="session", name="pipeline_server_url")
def _pipeline_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server on the warehouse built by the real pipeline (generate + run, small scale)."""
    reuse = os.environ.get("METRIKK_WEB_PIPELINE_DIR")
    directory = Path(reuse) if reuse else tmp_path_factory.getbasetemp() / "pipeline"
    warehouse = pw.build(directory)
    with server.running_server(warehouse, tmp_path_factory.mktemp("browser-pipeline")) as (url, _):
        yield url


@pytest.fixture(scope="session", name="browser")
def _browser():
    """Debian's Chromium through Playwright; skip locally without it, fail in CI."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(name="page")
def _page(browser, server_url):
    """A fresh page (1280×900, Norwegian locale) whose relative URLs go to the server."""
    yield from _new_page(browser, server_url)


def _new_page(browser, url: str):
    context = browser.new_context(
        base_url=url,
        locale="nb-NO",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.js_errors = errors
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture(name="pipeline_page")
def _pipeline_page(browser, pipeline_server_url):
    """A fresh page on the server over the pipeline warehouse; fails on JavaScript errors."""
    yield from _new_page(browser, pipeline_server_url)


@pytest.fixture(name="api")
def _api(server_url):
    """GET a JSON API URL from the running server."""

    def get(path: str):
        r = httpx.get(server_url + path, timeout=30)
        assert r.status_code == 200, r.text
        return r.json()

    return get
