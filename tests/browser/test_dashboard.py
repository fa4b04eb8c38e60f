"""The dashboard in a real Chromium against `metrikk serve`; outcomes are checked through the
JSON API the page renders from (datasette style), not through screenshots."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

TABLE_JS = """which => {
  const t = document.querySelector(`#tabell-${which} table`);
  const header = [...t.querySelectorAll('thead th')].map(th => th.textContent);
  const rows = [...t.querySelectorAll('tbody tr')].map(tr => ({
    label: tr.querySelector('th').textContent,
    sum: tr.classList.contains('sum'),
    values: [...tr.querySelectorAll('td')].map(td => td.dataset.value === '' ? td.textContent
                                                   : Number(td.dataset.value)),
  }));
  return {header, rows};
}"""
# Categories as `x` and values as `y` whatever the bars' orientation (tiltak on the axis draws
# horizontal bars).
CHART_JS = """which => document.getElementById(`chart-${which}`).data.map(
  t => t.orientation === 'h' ? ({name: t.name, x: [...t.y], y: [...t.x]})
                             : ({name: t.name, x: [...t.x], y: [...t.y]}))"""


def ready(page) -> str | None:
    return page.evaluate("document.body.dataset.ready || null")


def wait_ready(page, before: str | None) -> None:
    """Wait until the page has drawn a newer result than `before`."""
    page.wait_for_function(
        "prev => document.body.dataset.ready && document.body.dataset.ready !== prev",
        arg=before,
        timeout=20_000,
    )


def open_tiltak(page, url: str = "/tiltak") -> None:
    page.goto(url)
    wait_ready(page, None)


def api_url(page, which: str = "a") -> str:
    return page.get_attribute(f"#periode-{which}", "data-api-url")


def assert_view_matches_api(page, api, which: str = "a", percent: bool = False) -> dict:
    """Table cells and chart bars equal the JSON the page fetched.

    Period "a" must also keep the API's order; the comparison period "b" is matched by name
    (it deliberately follows period a's order so the two can be read side by side).
    """
    data = api(api_url(page, which))
    dims = data["gruppering"]
    x, s = dims[0], dims[1] if len(dims) > 1 else None
    measure = "andel" if percent else "antall"
    xs = {v["navn"]: v["verdi"] for v in data["verdier"][x]}
    series = {v["navn"]: v["verdi"] for v in data["verdier"][s]} if s else {"Antall personer": None}
    by = {(r[x], r[s] if s else None): r[measure] for r in data["rader"]}
    table = page.evaluate(TABLE_JS, which)
    body = [r for r in table["rows"] if not r["sum"]]
    columns = table["header"][1 : 1 + len(series)]
    if not s:
        columns = ["Antall personer"]
    assert sorted(r["label"] for r in body) == sorted(xs)
    assert sorted(columns) == sorted(series)
    for row in body:
        for name, value in zip(columns, row["values"], strict=False):
            assert value == pytest.approx(by[(xs[row["label"]], series[name])]), (row, name)
    chart = page.evaluate(CHART_JS, which)
    assert sorted(t["name"] for t in chart) == sorted(series)
    for trace in chart:
        assert trace["y"] == pytest.approx(
            [by[(xs[xv], series[trace["name"]])] for xv in trace["x"]]
        )
    if which == "a":
        assert [r["label"] for r in body] == [v["navn"] for v in data["verdier"][x]]
        if s:
            assert [t["name"] for t in chart] == [v["navn"] for v in data["verdier"][s]]
    return data


def test_tiltak_page_shows_chart_and_table_from_the_api(page, api):
    """On load the chart and table show the default kontor's weeks per avdeling, as the API."""
    open_tiltak(page)
    assert page.text_content("h1").strip().endswith("Nav Bærum")
    data = assert_view_matches_api(page, api)
    assert data["gruppering"] == ["periode", "avdeling"]
    status = page.text_content("#status")
    assert "2025-U36 – 2025-U41" in status and "Data til og med 2025-U41" in status
    assert page.is_visible("#syntetisk-banner")
    assert "Syntetiske data" in page.text_content("#syntetisk-banner")
    # Week labels, not dates, on the x axis.
    assert page.evaluate(CHART_JS, "a")[0]["x"][0] == "2025-U36"


def test_changing_filters_and_period_changes_chart_and_table(page, api, fixture):
    """Unticking avdelinger and narrowing the period redraws both views from the new query."""
    open_tiltak(page)
    before = page.evaluate(TABLE_JS, "a")
    prev = ready(page)
    page.uncheck('input[name="avdeling"][value="Avdeling Øst"]')
    wait_ready(page, prev)
    prev = ready(page)
    page.fill("#fra", "2025-U38")
    page.fill("#til", "2025-U40")
    page.click("#vis")
    wait_ready(page, prev)
    query = parse_qs(urlsplit(api_url(page)).query)
    assert query["fra"] == ["2025-U38"] and query["til"] == ["2025-U40"]
    assert "Avdeling Øst" not in query["avdeling"]
    after = page.evaluate(TABLE_JS, "a")
    assert after != before
    assert "Avdeling Øst" not in after["header"]
    assert [r["label"] for r in after["rows"] if not r["sum"]] == [
        "2025-U38",
        "2025-U39",
        "2025-U40",
    ]
    assert_view_matches_api(page, api)
    # "Velg alle" brings every avdeling back.
    prev = ready(page)
    page.click('button.velg-alle[data-target="avdeling"]')
    wait_ready(page, prev)
    assert "avdeling" not in parse_qs(urlsplit(api_url(page)).query)


def test_x_axis_and_series_choice(page, api):
    """Choosing tiltak on the x axis split by innsatsgruppe regroups chart and table."""
    open_tiltak(page)
    prev = ready(page)
    page.select_option("#x", "tiltakskode")
    wait_ready(page, prev)
    prev = ready(page)
    page.select_option("#serie", "innsatsgruppe")
    wait_ready(page, prev)
    data = assert_view_matches_api(page, api)
    assert data["gruppering"] == ["tiltakskode", "innsatsgruppe"]
    # Sorted by size: the first tiltak has the most distinct persons.
    totals = [t["antall"] for t in data["totalt_per"]]
    assert totals == sorted(totals, reverse=True)


def test_percent_view_columns_add_up_to_100(page, api):
    """In percent view every bar (week) and table row adds up to 100."""
    open_tiltak(page)
    prev = ready(page)
    page.check('input[name="visning"][value="prosent"]')
    wait_ready(page, prev)
    table = page.evaluate(TABLE_JS, "a")
    assert table["rows"]
    for row in table["rows"]:
        assert sum(row["values"]) == pytest.approx(100.0, abs=1e-6)
    chart = page.evaluate(CHART_JS, "a")
    for i in range(len(chart[0]["x"])):
        assert sum(t["y"][i] for t in chart) == pytest.approx(100.0, abs=1e-6)
    layout = page.evaluate("document.getElementById('chart-a').layout.barmode")
    assert layout == "stack"
    assert_view_matches_api(page, api, percent=True)
    prev = ready(page)
    page.check('input[name="visning"][value="gruppert"]')
    wait_ready(page, prev)
    assert page.evaluate("document.getElementById('chart-a').layout.barmode") == "group"


def test_compare_two_periods_side_by_side(page, api):
    """Ticking "Sammenlign" shows a second chart and table for the other period."""
    open_tiltak(page)
    assert page.is_hidden("#periode-b")
    page.check("#sammenlign")
    page.fill("#fra", "2025-U39")
    page.fill("#til", "2025-U41")
    page.fill("#fra2", "2025-U36")
    prev = ready(page)
    page.fill("#til2", "2025-U38")
    page.click("#vis")
    wait_ready(page, prev)
    assert page.is_visible("#periode-b")
    a = assert_view_matches_api(page, api, "a")
    b = assert_view_matches_api(page, api, "b")
    # The comparison keeps period a's series order and colours.
    chart_a, chart_b = (
        page.evaluate(
            "w => document.getElementById(`chart-${w}`).data.map(t => [t.name, t.marker.color])", w
        )
        for w in "ab"
    )
    common = [t for t in chart_a if t[0] in dict(chart_b)]
    assert common == [t for t in chart_b if t[0] in dict(chart_a)]
    assert (a["periode"]["fra"], b["periode"]["fra"]) == ("2025-U39", "2025-U36")
    box_a = page.locator("#periode-a").bounding_box()
    box_b = page.locator("#periode-b").bounding_box()
    assert box_b["x"] > box_a["x"] + box_a["width"] - 1  # side by side at 1280 px
    ranges = page.evaluate(
        "['a','b'].map(w => document.getElementById(`chart-${w}`)._fullLayout.yaxis.range[1])"
    )
    assert ranges[0] == pytest.approx(ranges[1])
    assert "sammenlignet med 2025-U36 – 2025-U38" in page.text_content("#status")


def test_csv_download_has_the_rows_of_the_table(page, tmp_path: Path):
    """ "Last ned CSV" downloads exactly the rows and columns the table shows."""
    open_tiltak(page)
    table = page.evaluate(TABLE_JS, "a")
    with page.expect_download() as info:
        page.click("#csv-a")
    target = tmp_path / "eksport.csv"
    info.value.save_as(target)
    lines = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig")), delimiter=";"))
    blank = lines.index([])
    preamble, rows = lines[:blank], lines[blank + 1 :]
    assert preamble[0] == ["Kontor", "Nav Bærum (0219)"] and preamble[-1][0] == "Data"
    assert rows[0] == table["header"]
    assert [r[0] for r in rows[1:]] == [r["label"] for r in table["rows"]]  # the total row too
    for got, shown in zip(rows[1:], table["rows"], strict=True):
        assert [int(v) for v in got[1:]] == shown["values"]


def test_helpful_validation_messages(page):
    """Week 53 in a 52-week year and weeks after the data are explained, and the field marked."""
    open_tiltak(page)
    page.fill("#fra", "2025-U53")
    page.press("#fra", "Enter")
    msg = page.locator("#feilmelding")
    msg.wait_for(state="visible")
    assert "uke 53 finnes ikke i 2025" in msg.text_content()
    assert page.get_attribute("#fra", "aria-invalid") == "true"
    page.fill("#fra", "2025-U36")
    page.fill("#til", "2025-U50")
    page.press("#til", "Enter")
    page.wait_for_function(
        "document.querySelector('#feilmelding').textContent.includes('etter siste uke med data')"
    )
    assert page.get_attribute("#til", "aria-invalid") == "true"
    prev = ready(page)
    page.fill("#til", "2025-U41")
    page.press("#til", "Enter")
    wait_ready(page, prev)
    assert page.is_hidden("#feilmelding")


def test_keyboard_only_use(page, api):
    """Skip link, filters, "Velg alle" and the view choice all work from the keyboard alone."""
    open_tiltak(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "hovedinnhold"

    def tab_to(selector: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"could not reach {selector} with Tab")

    tab_to("#fra")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # visible focus
    page.keyboard.type("2025-U40")
    prev = ready(page)
    page.keyboard.press("Enter")
    wait_ready(page, prev)
    assert parse_qs(urlsplit(api_url(page)).query)["fra"] == ["2025-U40"]

    tab_to('input[name="visning"]')  # lands on the checked radio (Stablet)
    prev = ready(page)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # Gruppert, then Prosent
    wait_ready(page, prev)
    page.wait_for_function("document.querySelector('input[value=prosent]').checked")
    page.wait_for_function("document.getElementById('chart-a').layout.yaxis.range[1] === 100")

    tab_to('input[name="innsatsgruppe"]')
    prev = ready(page)
    page.keyboard.press("Space")  # untick the first innsatsgruppe
    wait_ready(page, prev)
    assert "innsatsgruppe" in parse_qs(urlsplit(api_url(page)).query)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab") if not page.evaluate(
        "document.activeElement.classList.contains('velg-alle')"
    ) else None
    assert page.evaluate("document.activeElement.dataset.target") == "innsatsgruppe"
    prev = ready(page)
    page.keyboard.press("Enter")
    wait_ready(page, prev)
    assert "innsatsgruppe" not in parse_qs(urlsplit(api_url(page)).query)
    assert_view_matches_api(page, api, percent=True)


def test_checkboxes_and_radios_have_accessible_names(page):
    """Every form control on the tiltak page has an accessible name (label)."""
    open_tiltak(page)
    unnamed = page.evaluate("""() => [
          ...document.querySelectorAll('#tiltak-form input, #tiltak-form select')]
        .filter(e => !(e.labels && e.labels.length && e.labels[0].textContent.trim()))
        .map(e => e.outerHTML)""")
    assert unnamed == []


def test_page_works_at_200_percent_zoom(browser, server_url, tmp_path: Path):
    """At 200 % zoom nothing scrolls sideways and chart and table show.

    Browser zoom at 200 % on a 1280×900 window is a 640×450 CSS-pixel viewport at twice the
    device pixel ratio, which is how it is emulated here.
    """
    context = browser.new_context(
        base_url=server_url, viewport={"width": 640, "height": 450}, device_scale_factor=2
    )
    page = context.new_page()
    try:
        page.goto("/tiltak")
        wait_ready(page, None)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1
        assert page.is_visible("#chart-a .main-svg")
        assert page.is_visible("#tabell-a table")
        page.screenshot(path=str(tmp_path / "zoom200.png"), full_page=False)
    finally:
        context.close()


def test_screenshot_of_the_dashboard(page, tmp_path: Path):
    """A screenshot of the tiltak page can be taken (saved for a person to look at)."""
    open_tiltak(page)
    out = Path(__import__("os").environ.get("METRIKK_SCREENSHOT", tmp_path / "tiltak.png"))
    page.screenshot(path=str(out), full_page=True)
    assert out.stat().st_size > 10_000


def test_gjennomforing_page_shows_belegg_from_the_api(page, api):
    """The gjennomføring page's weekly table has the API's deltar, plasser and belegg."""
    page.goto("/tiltak/gjennomforinger?kontor=0219")
    wait_ready(page, None)
    data = api("/api/v1/gjennomforinger/uker?kontor=0219")
    rows = page.evaluate("""() => [...document.querySelectorAll('#tabell-uker tbody tr')].map(
        tr => [tr.querySelector('th').textContent,
               ...[...tr.querySelectorAll('td')].map(td => td.dataset.value)])""")
    assert [r[0] for r in rows] == [u["uke"] for u in data["uker"]]
    for r, u in zip(rows, data["uker"], strict=True):
        assert [int(r[2]), int(r[4])] == [u["deltar"], u["plasser"]]
        assert float(r[5]) == pytest.approx(100 * u["belegg"])


def test_datakvalitet_and_etterlevelse_pages_render(page, api):
    """The data quality and a generic etterlevelse page draw their tables from the API."""
    page.goto("/tiltak/datakvalitet")
    wait_ready(page, None)
    dk = api("/api/v1/datakvalitet")
    assert page.locator("#tabell-dk tbody tr:not(.sum)").count() == len(dk["uker"])
    page.goto("/etterlevelse")
    page.click("text=ds_bruk_uke")
    wait_ready(page, None)
    ds = api("/api/v1/etterlevelse/ds_bruk_uke")
    assert page.locator("#tabell-ds tbody tr").count() == ds["totalt"]
    # The chosen chart: active documents per week, summed over the avdelinger.
    trace = page.evaluate(
        "(() => { const t = document.getElementById('chart-ds').data;"
        " return {n: t.length, name: t[0].name, x: [...t[0].x], y: [...t[0].y]}; })()"
    )
    per_week: dict[str, int] = {}
    for r in ds["rader"]:
        per_week[r["uke_start"]] = per_week.get(r["uke_start"], 0) + r["antallAktiveDokumenter"]
    assert trace["n"] == 1 and trace["name"] == "Aktive dokumenter"
    assert dict(zip(trace["x"], trace["y"], strict=True)) == per_week
    assert page.locator("#chart-ds").is_visible()


def test_dataset_without_a_chosen_chart_is_a_plain_table(page, api):
    """A dataset with no chosen chart shows no chart at all, only its rows (readable: booleans as
    ja/nei, times without the T) and the export."""
    page.goto("/etterlevelse/ds_sist_oppdatert")
    wait_ready(page, None)
    assert page.locator("#chart-ds").is_hidden()
    assert page.evaluate("document.getElementById('chart-ds').data") is None
    ds = api("/api/v1/etterlevelse/ds_sist_oppdatert")
    assert page.locator("#tabell-ds tbody tr").count() == ds["totalt"] == 7
    first = page.locator("#tabell-ds tbody tr").first.locator("td").first.inner_text()
    assert first == ds["rader"][0]["sist_oppdatert"].replace("T", " ")
    assert page.locator(".export a", has_text="Last ned CSV").get_attribute("href") == (
        "/api/v1/etterlevelse/ds_sist_oppdatert?format=csv"
    )


def test_adoption_curve_for_varslinger(page, api):
    """ds_varslinger_tid is drawn as a cumulative step curve of antallDokumenter over time."""
    page.goto("/etterlevelse/ds_varslinger_tid")
    wait_ready(page, None)
    ds = api("/api/v1/etterlevelse/ds_varslinger_tid?grense=50000")
    curve = page.evaluate(
        "(() => { const t = document.getElementById('chart-ds').data[0];"
        " return {name: t.name, x: [...t.x], y: [...t.y], shape: t.line.shape}; })()"
    )
    assert curve["name"] == "Dokumenter med varslingsadresse" and curve["shape"] == "hv"
    rows = sorted(ds["rader"], key=lambda r: r["time"])
    assert curve["y"] == [r["antallDokumenter"] for r in rows]
    assert curve["y"] == sorted(curve["y"])
