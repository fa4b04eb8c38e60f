"""The etterlevelse and behandlinger views in Chromium, on the warehouse of the real pipeline."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = {
    "/etterlevelse/sist-oppdatert": "/api/v1/etterlevelse/sist-oppdatert",
    "/etterlevelse/pvk-flyt": "/api/v1/etterlevelse/pvk-flyt",
    "/etterlevelse/bruk": "/api/v1/etterlevelse/bruk",
    "/behandlinger/grunnlag": "/api/v1/behandlinger/grunnlag",
    "/behandlinger/databehandlere": "/api/v1/behandlinger/databehandlere",
}

# The table beside the chart as text: header cells and body rows (the sum row included).
TABLE_JS = """() => {
  const t = document.querySelector('#tabell-v table');
  return {
    header: [...t.querySelectorAll('thead th')].map((c) => c.textContent),
    rows: [...t.querySelectorAll('tbody tr')].map((r) => [...r.children].map((c) => c.dataset.value ?? c.textContent)),
  };
}"""


def wait_ready(page, before=None) -> None:
    page.wait_for_function(
        "prev => document.body.dataset.ready && document.body.dataset.ready !== prev",
        arg=before,
        timeout=20_000,
    )


def draw_count(page) -> int:
    return page.evaluate("document.querySelector('#chart-v').data?.length ?? 0")


def norm(v) -> str:
    """A cell as comparable text: numbers as floats (JS prints 0.0 as 0), decimal comma read."""
    text = "" if v is None else str(v)
    try:
        return repr(float(text.replace(",", ".")))
    except ValueError:
        return text


def get(base: str, path: str) -> dict:
    r = httpx.get(base + path, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("path", list(PAGES))
def test_view_draws_chart_and_table_from_its_api(pipeline_page, pipeline_server_url, path):
    """Each view draws a Plotly chart and a table holding the API's table, row for row."""
    pipeline_page.goto(path)
    wait_ready(pipeline_page)
    assert draw_count(pipeline_page) >= 1
    assert pipeline_page.locator("#chart-v .main-svg").count() >= 1
    t = get(pipeline_server_url, PAGES[path])["tabell"]
    shown = pipeline_page.evaluate(TABLE_JS)
    assert shown["header"] == t["kolonner"]
    expected = t["rader"] + ([t["sum"]] if t["sum"] else [])
    assert len(shown["rows"]) == len(expected)
    for got, want in zip(shown["rows"], expected, strict=True):
        assert got[0] == str(want[0])
        assert [norm(v) for v in want[1:]] == [norm(v) for v in got[1:]]
    assert pipeline_page.locator("#feilmelding").is_hidden()


@pytest.mark.parametrize("path", ["/etterlevelse/bruk", "/behandlinger/grunnlag"])
def test_export_downloads_the_rows_of_the_table(pipeline_page, path, tmp_path: Path):
    """ "Last ned CSV" downloads exactly the header and rows the table beside the chart shows."""
    pipeline_page.goto(path)
    wait_ready(pipeline_page)
    shown = pipeline_page.evaluate(TABLE_JS)
    with pipeline_page.expect_download() as info:
        pipeline_page.click("#csv-v")
    target = tmp_path / "eksport.csv"
    info.value.save_as(target)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0] == shown["header"]
    assert [r[0] for r in rows[1:]] == [r[0] for r in shown["rows"]]
    for got, want in zip(rows[1:], shown["rows"], strict=True):
        assert [norm(v) for v in got[1:]] == [norm(v) for v in want[1:]]


def test_changing_the_measure_and_grouping_redraws_from_the_api(pipeline_page, pipeline_server_url):
    """Choosing another measure (bruk) or grouping (grunnlag) changes the table to that answer."""
    pipeline_page.goto("/etterlevelse/bruk")
    wait_ready(pipeline_page)
    before = pipeline_page.evaluate("document.body.dataset.ready")
    pipeline_page.select_option("#maal", "antallLagredeSvar")
    wait_ready(pipeline_page, before)
    t = get(pipeline_server_url, "/api/v1/etterlevelse/bruk?maal=antallLagredeSvar")["tabell"]
    assert [norm(v) for v in pipeline_page.evaluate(TABLE_JS)["rows"][-1][1:]] == [
        norm(v) for v in t["sum"][1:]
    ]
    assert "csv" in pipeline_page.get_attribute("#csv-v", "href")
    assert "maal=antallLagredeSvar" in pipeline_page.get_attribute("#csv-v", "href")

    pipeline_page.goto("/behandlinger/grunnlag")
    wait_ready(pipeline_page)
    before = pipeline_page.evaluate("document.body.dataset.ready")
    pipeline_page.select_option("#gruppering", "lov")
    wait_ready(pipeline_page, before)
    assert pipeline_page.evaluate(TABLE_JS)["header"][0] == "Nasjonal lov"


def test_week_53_is_refused_in_the_browser_with_a_message(pipeline_page):
    """Typing week 53 of a 52-week year shows a Norwegian alert and marks the field invalid."""
    pipeline_page.goto("/etterlevelse/bruk")
    wait_ready(pipeline_page)
    pipeline_page.fill("#fra", "2025-U53")
    pipeline_page.click("button[type=submit]")
    alert = pipeline_page.locator("#feilmelding")
    alert.wait_for(state="visible")
    assert "uke 53 finnes ikke i 2025" in alert.text_content()
    assert pipeline_page.get_attribute("#fra", "aria-invalid") == "true"


def test_controls_are_reachable_and_usable_by_keyboard_alone(pipeline_page):
    """Tab reaches every control in order; arrow keys change a select and the view redraws."""
    pipeline_page.goto("/etterlevelse/pvk-flyt")
    wait_ready(pipeline_page)
    pipeline_page.keyboard.press("Tab")
    assert pipeline_page.evaluate("document.activeElement.className") == "skip-link"
    pipeline_page.keyboard.press("Enter")
    reached = []
    for _ in range(20):
        pipeline_page.keyboard.press("Tab")
        reached.append(
            pipeline_page.evaluate(
                "document.activeElement.id || document.activeElement.textContent.trim()"
            )
        )
        if reached[-1] == "periode":
            break
    assert reached[-1] == "periode", reached
    before = pipeline_page.evaluate("document.body.dataset.ready")
    pipeline_page.keyboard.press("ArrowDown")  # Uke -> Måned
    wait_ready(pipeline_page, before)
    assert (
        pipeline_page.evaluate("document.querySelector('#tabell-v thead th').textContent")
        == "Måned"
    )
    # Date fields take one Tab per segment (day, month, year) in Chromium.
    order = []
    for _ in range(10):
        pipeline_page.keyboard.press("Tab")
        now = pipeline_page.evaluate("document.activeElement.id || document.activeElement.type")
        if not order or order[-1] != now:
            order.append(now)
        if now == "submit":
            break
    assert order == ["fra", "til", "submit"], order
    # On through the chart's tool buttons and the export links to the table region.
    seen = set()
    for _ in range(30):
        pipeline_page.keyboard.press("Tab")
        seen.add(pipeline_page.evaluate("document.activeElement.id"))
        if "tabell-v" in seen:
            break
    assert {"csv-v", "xlsx-v", "json-v", "tabell-v"} <= seen


@pytest.mark.parametrize("path", [*PAGES, "/tiltak/gjennomforinger", "/tiltak/datakvalitet"])
def test_view_works_at_200_percent_zoom(browser, pipeline_server_url, path):
    """At 200 % zoom (a 640×450 CSS-pixel viewport at device pixel ratio 2, as a 1280×900
    window shows it) nothing scrolls sideways and the chart and its table are shown."""
    context = browser.new_context(
        base_url=pipeline_server_url, viewport={"width": 640, "height": 450}, device_scale_factor=2
    )
    page = context.new_page()
    try:
        page.goto(path)
        wait_ready(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{path} scrolls sideways by {overflow} px at 200 %"
        assert page.locator("main .main-svg").first.is_visible()
        assert page.locator("main table").first.is_visible()
    finally:
        context.close()


def test_databehandlere_is_one_click_from_the_behandlinger_menu(pipeline_page):
    """Menu «Behandlinger» → sub-menu «Databehandlere utenfor EU/EØS»: the page draws, the menu
    still marks Behandlinger and nothing points back to Etterlevelse."""
    pipeline_page.goto("/etterlevelse")
    pipeline_page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Behandlinger"
    ).click()
    pipeline_page.wait_for_url("**/behandlinger/grunnlag")
    pipeline_page.get_by_role("navigation", name="Sider om behandlinger").get_by_role(
        "link", name="Databehandlere utenfor EU/EØS"
    ).click()
    pipeline_page.wait_for_url("**/behandlinger/databehandlere")
    wait_ready(pipeline_page)
    assert pipeline_page.locator("h1").inner_text() == "Databehandlere utenfor EU/EØS"
    assert pipeline_page.locator("nav[aria-label=Hovedmeny] [aria-current=page]").inner_text() == (
        "Behandlinger"
    )
    assert pipeline_page.get_by_text("← Etterlevelse").count() == 0
    assert draw_count(pipeline_page) >= 1


@pytest.mark.parametrize("path", ["/behandlinger/grunnlag", "/behandlinger/databehandlere"])
def test_horizontal_bar_chart_shows_every_category(pipeline_page, pipeline_server_url, path):
    """The behandlinger charts are horizontal bars: every category of the answer is on the
    category axis (it was once cut to the first two by the count axis' small-number range)."""
    pipeline_page.goto(path)
    wait_ready(pipeline_page)
    n = len(get(pipeline_server_url, PAGES[path])["verdier"][:25])
    assert n > (2 if path.endswith("grunnlag") else 0)  # more than the two a cut axis showed
    shown = pipeline_page.evaluate(
        "(() => { const c = document.getElementById('chart-v');"
        " return {range: c._fullLayout.yaxis.range, ticks: c.querySelectorAll('.ytick').length}; })()"
    )
    assert shown["range"][0] <= 0 and shown["range"][1] >= n - 1, shown
    assert shown["ticks"] == n


def test_bar_labels_stay_on_a_phone_screen(pipeline_page):
    """At 390 px the horizontal bars' category labels (GDPR articles with their names) are cut
    short instead of running off the left edge of the screen; the table keeps the whole names.
    The databehandlere view draws its bars the same way (app.js, kategoriAkse)."""
    pipeline_page.set_viewport_size({"width": 390, "height": 844})
    pipeline_page.goto("/behandlinger/grunnlag")
    wait_ready(pipeline_page)
    left = pipeline_page.evaluate(
        "Math.min(...[...document.querySelectorAll('#chart-v .ytick text')]"
        ".map((t) => t.getBoundingClientRect().left))"
    )
    assert left >= 0
    names = [r[0] for r in pipeline_page.evaluate(TABLE_JS)["rows"]]
    assert any(len(n) > 18 for n in names)
