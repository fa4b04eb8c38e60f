"""/behandlinger/fullstendighet in Chromium, on the warehouse of the real pipeline."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

API = "/api/v1/behandlinger/fullstendighet"
TABLE_JS = """() => {
  const t = document.querySelector('#tabell-f table');
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


def norm(v) -> str:
    text = "" if v is None else str(v)
    try:
        return repr(float(text.replace(",", ".")))
    except ValueError:
        return "" if text in ("", "–") else text


def get(base: str, path: str) -> dict:
    r = httpx.get(base + path, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def assert_table_is(page, t: dict) -> None:
    shown = page.evaluate(TABLE_JS)
    assert shown["header"] == t["kolonner"]
    assert len(shown["rows"]) == len(t["rader"])
    for got, want in zip(shown["rows"], t["rader"], strict=True):
        assert got[0] == want[0]
        assert [norm(v) for v in got[1:]] == [norm(v) for v in want[1:]]


def test_reached_from_the_menu_and_draws_chart_and_table(pipeline_page, pipeline_server_url):
    """Menu «Behandlinger» → sub-menu «Fullstendighet»: one line per avdeling plus «Totalt», and
    the table beside it holds the API's table row for row."""
    pipeline_page.goto("/behandlinger/grunnlag")
    pipeline_page.get_by_role("navigation", name="Sider om behandlinger").get_by_role(
        "link", name="Fullstendighet"
    ).click()
    pipeline_page.wait_for_url("**/behandlinger/fullstendighet")
    wait_ready(pipeline_page)
    assert pipeline_page.locator("nav[aria-label=Hovedmeny] [aria-current=page]").inner_text() == (
        "Behandlinger"
    )
    body = get(pipeline_server_url, API)
    names = pipeline_page.evaluate("document.querySelector('#chart-f').data.map((t) => t.name)")
    assert names == [s["navn"] for s in body["serier"]] + ["Totalt"]
    assert_table_is(pipeline_page, body["tabell"])
    assert pipeline_page.locator("#feilmelding").is_hidden()
    assert (
        "Mangler behandlingsgrunnlag etter artikkel 6"
        in pipeline_page.locator("#status").inner_text()
    )


def test_filters_redraw_and_the_export_states_them(
    pipeline_page, pipeline_server_url, tmp_path: Path
):
    """Choosing an indikator and one avdeling redraws from the API with those filters; the CSV
    download names them in its preamble and holds the table shown."""
    pipeline_page.goto("/behandlinger/fullstendighet")
    wait_ready(pipeline_page)
    before = pipeline_page.evaluate("document.body.dataset.ready")
    pipeline_page.select_option("#indikator", "DPIA_UKJENT")
    wait_ready(pipeline_page, before)
    # Untick every avdeling but the first.
    boxes = pipeline_page.locator("input[name=avdeling]")
    first = boxes.nth(0)
    code = first.get_attribute("value")
    label = pipeline_page.locator("label.check").nth(0).inner_text().strip()
    for i in range(1, boxes.count()):
        before = pipeline_page.evaluate("document.body.dataset.ready")
        boxes.nth(i).uncheck()
        wait_ready(pipeline_page, before)
    body = get(pipeline_server_url, f"{API}?indikator=DPIA_UKJENT&avdeling={code}")
    assert [s["verdi"] for s in body["serier"]] == [code]
    assert_table_is(pipeline_page, body["tabell"])
    assert "avdeling=" in pipeline_page.get_attribute("#csv-f", "href")
    with pipeline_page.expect_download() as info:
        pipeline_page.click("#csv-f")
    target = tmp_path / "eksport.csv"
    info.value.save_as(target)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig")), delimiter=";"))
    pre = {r[0]: r[1] for r in rows[: rows.index([])] if r}
    assert pre["Filtre"] == f"Avdeling: {label} ({code})"
    assert pre["Mål"].startswith("Ikke svart om DPIA trengs")
    assert rows[rows.index([]) + 1] == body["tabell"]["kolonner"]
    # The rule of the chosen indikator is the help text on the page.
    pipeline_page.locator("#regel summary").click()
    assert "personvernkonsekvensvurdering" in pipeline_page.locator("#regel-tekst").inner_text()
    # The filters are in the address, so a reload shows the same.
    pipeline_page.reload()
    wait_ready(pipeline_page)
    assert pipeline_page.locator("#indikator").input_value() == "DPIA_UKJENT"
    assert_table_is(pipeline_page, body["tabell"])


def test_a_bad_week_is_refused_with_a_message(pipeline_page):
    pipeline_page.goto("/behandlinger/fullstendighet")
    wait_ready(pipeline_page)
    pipeline_page.fill("#fra", "2025-U53")
    pipeline_page.click("button[type=submit]")
    alert = pipeline_page.locator("#feilmelding")
    alert.wait_for(state="visible")
    assert "uke 53 finnes ikke i 2025" in alert.inner_text()


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_page_fits_desktop_and_phone(browser, pipeline_server_url, width, height):
    """No sideways scroll of the page at either size; the chart and the table are drawn."""
    context = browser.new_context(
        base_url=pipeline_server_url, locale="nb-NO", viewport={"width": width, "height": height}
    )
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto("/behandlinger/fullstendighet")
        wait_ready(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator("#chart-f .main-svg").count() >= 1
        assert page.locator("#tabell-f table").count() == 1
        assert not errors
    finally:
        context.close()
