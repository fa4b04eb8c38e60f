"""The office leader's dashboard, second edition (issue #16), in Chromium on the warehouse the
real pipeline builds. Each page is compared with its JSON twin (the API URL it fetched)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

READY = "prev => document.body.dataset.ready && document.body.dataset.ready !== prev"
TABLE = """sel => {
  const t = document.querySelector(`${sel} table`);
  const row = tr => [...tr.children].map(c => (c.dataset.value !== undefined && c.dataset.value !== ''
    ? Number(c.dataset.value) : c.textContent.trim()));
  return {
    header: [...t.querySelectorAll('thead th')].map(th => th.textContent.trim()),
    rows: [...t.querySelectorAll('tbody tr:not(.sum)')].map(row),
    sum: [...t.querySelectorAll('tbody tr.sum')].map(row),
  };
}"""


def wait_ready(page, before=None) -> None:
    page.wait_for_function(READY, arg=before, timeout=30_000)


def ready(page):
    return page.evaluate("() => document.body.dataset.ready || null")


def api(base: str, path: str) -> dict:
    r = httpx.get(base + path, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def new_page(browser, base: str, width: int = 1366, height: int = 900):
    context = browser.new_context(
        base_url=base, locale="nb-NO", viewport={"width": width, "height": height}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.js_errors = errors
    return context, page


# --- Denne uken -----------------------------------------------------------------------------


def test_landing_is_this_week_and_matches_its_api(pipeline_page, pipeline_server_url):
    """/ opens «Denne uken»: the table (cells, row totals, total row) and the tiles are the
    API's numbers; the columns of the table are the avdelinger."""
    pipeline_page.goto("/")
    wait_ready(pipeline_page)
    assert urlsplit(pipeline_page.url).path == "/tiltak/denne-uken"
    url = pipeline_page.get_attribute("#du-form", "data-api-url")
    data = api(pipeline_server_url, url)
    table = pipeline_page.evaluate(TABLE, "#tabell-du")
    assert table["header"][1 : 1 + len(data["kolonner"])] == [c["navn"] for c in data["kolonner"]]
    assert [r[0] for r in table["rows"]] == [r["navn"] for r in data["rader"]]
    for row, r in zip(table["rows"], data["rader"], strict=True):
        assert row[1 : 1 + len(r["celler"])] == [c["antall"] for c in r["celler"]]
        assert row[1 + len(r["celler"])] == r["totalt"]["antall"]
    (total,) = table["sum"]
    assert total[1 + len(data["kolonner"])] == data["totalt"]["antall"]
    tiles = pipeline_page.evaluate(
        "() => [...document.querySelectorAll('.tile')].map(t => [t.dataset.tile,"
        " t.querySelector('.tile-value').textContent])"
    )
    assert [t[0] for t in tiles] == [f["id"] for f in data["fliser"]]
    assert tiles[0][1].replace("\u00a0", "") == str(data["fliser"][0]["antall"])
    assert "Fra samme uke i fjor" in pipeline_page.text_content("#fliser")


def test_cells_can_show_the_change_from_last_week(pipeline_page, pipeline_server_url):
    """«Cellene viser: Endring fra forrige uke» shows each cell's change (number and %)."""
    pipeline_page.goto("/tiltak/denne-uken?kontor=0219")
    wait_ready(pipeline_page)
    data = api(pipeline_server_url, pipeline_page.get_attribute("#du-form", "data-api-url"))
    prev = ready(pipeline_page)
    pipeline_page.select_option("#celler", "endring_uke")
    wait_ready(pipeline_page, prev)
    table = pipeline_page.evaluate(TABLE, "#tabell-du")
    first = data["rader"][0]["celler"]
    assert table["rows"][0][1 : 1 + len(first)] == [c["endring_uke"]["antall"] for c in first]
    assert "celler=endring_uke" in pipeline_page.url


# --- the tiltak page: periods, the URL, tables, charts ----------------------------------------


def test_the_whole_view_survives_reload_and_sharing(browser, pipeline_server_url):
    """Every choice is in the address: opening it in a new window gives the same view (the
    same API calls, the same form and table)."""
    ctx, page = new_page(browser, pipeline_server_url)
    try:
        page.goto("/tiltak?kontor=0219")
        wait_ready(page)
        page.select_option("#periode", "maned")
        page.fill("#fra", "2025-01")
        page.fill("#til", "2025-06")
        page.check('input[name="maal"][value="snitt"]')
        page.select_option("#x", "tiltakskode")
        page.select_option("#serie", "innsatsgruppe")
        page.uncheck('input[name="avdeling"][value="Mottak"]')
        page.check("#sammenlign")
        page.fill("#fra2", "2024-01")
        page.fill("#til2", "2024-06")
        prev = ready(page)
        page.click("#vis")
        wait_ready(page, prev)
        shared = page.url
        before = {
            "a": page.get_attribute("#periode-a", "data-api-url"),
            "b": page.get_attribute("#periode-b", "data-api-url"),
            "table": page.evaluate(TABLE, "#tabell-a"),
            "diff": page.evaluate(TABLE, "#tabell-f"),
        }
    finally:
        ctx.close()
    query = parse_qs(urlsplit(shared).query)
    assert (
        query["periode"] == ["maned"]
        and query["maal"] == ["snitt"]
        and query["sammenlign"] == ["1"]
    )
    assert "Mottak" not in query["avdeling"]
    ctx, page = new_page(browser, pipeline_server_url)
    try:
        page.goto(shared)
        wait_ready(page)
        assert page.get_attribute("#periode-a", "data-api-url") == before["a"]
        assert page.get_attribute("#periode-b", "data-api-url") == before["b"]
        assert page.evaluate(TABLE, "#tabell-a") == before["table"]
        assert page.evaluate(TABLE, "#tabell-f") == before["diff"]
        assert page.input_value("#fra") == "2025-01" and page.input_value("#til") == "2025-06"
        assert page.is_checked('input[name="maal"][value="snitt"]')
        assert not page.is_checked('input[name="avdeling"][value="Mottak"]')
        assert page.js_errors == []
    finally:
        ctx.close()


def test_another_kontor_keeps_the_view(pipeline_page):
    """Choosing another kontor shows the same view for it (period, axes, measure kept; the
    avdeling filter, which belongs to a kontor, dropped)."""
    pipeline_page.goto("/tiltak?kontor=0219&periode=maned&maal=snitt&x=innsatsgruppe&avdeling=Ung")
    wait_ready(pipeline_page)
    pipeline_page.select_option("#kontor", "0220")
    pipeline_page.wait_for_url("**/tiltak?*kontor=0220*")
    wait_ready(pipeline_page)
    query = parse_qs(urlsplit(pipeline_page.url).query)
    assert query["periode"] == ["maned"] and query["maal"] == ["snitt"]
    assert query["x"] == ["innsatsgruppe"] and "avdeling" not in query
    assert pipeline_page.text_content("h1").strip().endswith("Nav Asker")


def test_fra_til_show_the_period_shown(pipeline_page, pipeline_server_url):
    """On first load Fra/Til hold the period the chart shows, not placeholders."""
    pipeline_page.goto("/tiltak?kontor=0219")
    wait_ready(pipeline_page)
    data = api(pipeline_server_url, pipeline_page.get_attribute("#periode-a", "data-api-url"))
    assert pipeline_page.input_value("#fra") == data["periode"]["fra"] == "2025-U15"
    assert pipeline_page.input_value("#til") == data["periode"]["til"] == "2025-U26"


def test_newest_week_is_visible_without_scrolling_inside_a_table(browser, pipeline_server_url):
    """A year of weeks: the table has no inner scroll, its last row is the newest week and
    is reached by scrolling the page; the header stays at the top of the window meanwhile."""
    ctx, page = new_page(browser, pipeline_server_url)
    try:
        page.goto("/tiltak?kontor=0219&fra=2024-U27&til=2025-U26")
        wait_ready(page)
        box = page.evaluate(
            "() => { const w = document.querySelector('#tabell-a');"
            " return {scroll: w.scrollHeight, client: w.clientHeight, fits: w.classList.contains('fits')}; }"
        )
        assert box["scroll"] <= box["client"] + 1, box  # no inner vertical scroll
        last = page.locator("#tabell-a tbody tr:not(.sum)").last
        assert last.locator("th").text_content() == "2025-U26"
        last.scroll_into_view_if_needed()
        assert page.evaluate("() => document.querySelector('#tabell-a').scrollTop") == 0
        top = last.bounding_box()["y"]
        assert 0 <= top < 900
        assert box["fits"]
        header_top = page.evaluate(
            "() => document.querySelector('#tabell-a thead th').getBoundingClientRect().top"
        )
        assert abs(header_top) <= 1  # sticky header at the top of the window
        sum_row = page.evaluate(TABLE, "#tabell-a")["sum"]
        assert sum_row and sum_row[0][0].startswith("Totalt")
    finally:
        ctx.close()


def test_first_column_stays_when_a_table_scrolls_sideways(browser, pipeline_server_url):
    """On a phone (390 px) a wide table scrolls sideways with its first column in place, and
    the page itself does not scroll sideways."""
    ctx, page = new_page(browser, pipeline_server_url, 390, 844)
    try:
        page.goto("/tiltak/denne-uken?kontor=0219")
        wait_ready(page)
        assert (
            page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            <= 1
        )
        left = page.evaluate(
            "() => { const w = document.querySelector('#tabell-du');"
            " const th = w.querySelector('tbody th');"
            " const before = th.getBoundingClientRect().left; w.scrollLeft = 300;"
            " return [w.scrollLeft, before, th.getBoundingClientRect().left]; }"
        )
        assert left[0] > 0 and abs(left[1] - left[2]) <= 1, left
    finally:
        ctx.close()


def test_tiltak_on_the_axis_gives_horizontal_bars_and_the_rest_is_andre(
    pipeline_page, pipeline_server_url
):
    """Tiltak on the axis: horizontal bars with full names. Tiltak as series: the 7 largest
    and «Andre (N)» with the API's distinct persons of the rest."""
    pipeline_page.goto("/tiltak?kontor=0219&x=tiltakskode&serie=avdeling")
    wait_ready(pipeline_page)
    chart = pipeline_page.evaluate(
        "() => document.getElementById('chart-a').data.map(t => ({o: t.orientation, y: [...t.y]}))"
    )
    assert {t["o"] for t in chart} == {"h"}
    assert "Varig tilrettelagt arbeid i skjermet virksomhet" in chart[0]["y"]  # not cut short
    pipeline_page.goto("/tiltak?kontor=0219&periode=aar&fra=2024&til=2024&serie=tiltakskode")
    wait_ready(pipeline_page)
    data = api(pipeline_server_url, pipeline_page.get_attribute("#periode-a", "data-api-url"))
    traces = pipeline_page.evaluate(
        "() => document.getElementById('chart-a').data.map(t => ({name: t.name, y: [...t.y], c: t.marker.color}))"
    )
    assert len(traces) == 8 and traces[-1]["name"] == data["andre"]["navn"]
    assert traces[-1]["y"] == [a["antall"] for a in data["andre"]["antall_per"]]
    assert len({t["c"] for t in traces}) >= 7


def test_same_category_same_colour_on_every_kontor(browser, pipeline_server_url):
    """«Uten avdeling» has the same colour on Nav Bærum's and Nav Asker's charts."""
    colours = []
    for kontor in ("0219", "0220"):
        ctx, page = new_page(browser, pipeline_server_url)
        try:
            page.goto(f"/tiltak?kontor={kontor}&periode=aar")
            wait_ready(page)
            colours.append(
                page.evaluate(
                    "() => Object.fromEntries(document.getElementById('chart-a').data"
                    ".map(t => [t.name, t.marker.color]))"
                )
            )
        finally:
            ctx.close()
    assert colours[0]["Uten avdeling"] == colours[1]["Uten avdeling"]


def test_difference_column_when_comparing(pipeline_page, pipeline_server_url):
    """Comparing two periods adds a table with A, B, the difference and the difference in %."""
    pipeline_page.goto(
        "/tiltak?kontor=0219&periode=maned&fra=2025-04&til=2025-06&sammenlign=1&fra2=2024-04&til2=2024-06"
    )
    wait_ready(pipeline_page)
    assert pipeline_page.is_visible("#forskjell")
    table = pipeline_page.evaluate(TABLE, "#tabell-f")
    assert table["header"][-2:] == ["Forskjell", "Forskjell (%)"]
    href = pipeline_page.get_attribute("#json-f", "href")
    data = api(pipeline_server_url, href)
    assert [r[0] for r in table["rows"]] == [r["navn"] for r in data["rader"]]
    for row, r in zip(table["rows"], data["rader"], strict=True):
        assert row[1:4] == [r["a"], r["b"], r["a"] - r["b"]]
    assert table["sum"][0][3] == data["totalt"]["a"] - data["totalt"]["b"]


def test_toolbar_is_norwegian_and_axes_use_norwegian_numbers(pipeline_page):
    """The chart toolbar speaks Norwegian (plotly's `no` locale, served by us) and axis
    numbers have a space between thousands; small counts get whole-number ticks only."""
    pipeline_page.goto("/tiltak/gjennomforinger?kontor=0219")
    wait_ready(pipeline_page)
    pipeline_page.hover("#chart-gj .nsewdrag")
    titles = pipeline_page.evaluate(
        "() => [...document.querySelectorAll('#chart-gj .modebar-btn')].map(b => b.dataset.title)"
    )
    assert "Last ned diagrammet som PNG" in titles and not [t for t in titles if "Download" in t]
    # Thousands through the page's own plot() (the data's size varies with the generator).
    ticks = pipeline_page.evaluate(
        """async () => {
            const div = document.createElement("div");
            div.style.width = "600px"; div.style.height = "300px";
            document.body.appendChild(div);
            await plot(div, [{ type: "bar", x: ["a", "b"], y: [2500, 12345] }], {});
            const ticks = [...div.querySelectorAll(".ytick text")].map((t) => t.textContent);
            div.remove();
            return ticks;
        }"""
    )
    assert "10\u00a0000" in ticks and not [t for t in ticks if "," in t or "." in t], ticks
    pipeline_page.goto("/tiltak?kontor=0622&periode=aar")
    wait_ready(pipeline_page)
    ticks = pipeline_page.evaluate(
        "() => [...document.querySelectorAll('#chart-a .ytick text')].map(t => t.textContent)"
    )
    assert ticks and all(t.isdigit() for t in ticks), ticks


def test_one_week_and_one_person_in_good_norwegian(pipeline_page, pipeline_server_url):
    """«1 uke» and «1 unik person», not «1 uker» / «1 unike personer»."""
    kontorer = api(pipeline_server_url, "/api/v1/kontorer")["kontorer"]
    one = next(k["enhetsnummer"] for k in kontorer if k["antall_personer"] == 1)
    pipeline_page.goto(f"/tiltak?kontor={one}&periode=aar")
    wait_ready(pipeline_page)
    data = api(pipeline_server_url, pipeline_page.get_attribute("#periode-a", "data-api-url"))
    assert data["totalt"] == 1
    assert "Totalt for hele perioden: 1 unik person." in pipeline_page.text_content(
        "#tabell-a caption"
    )
    pipeline_page.goto("/tiltak?kontor=0219&fra=2025-U26&til=2025-U26")
    wait_ready(pipeline_page)
    assert "(1 uke)" in pipeline_page.text_content("#status")


# --- gjennomføringer ---------------------------------------------------------------------------


def test_overfull_gjennomforing_is_flagged_and_named(pipeline_page, pipeline_server_url):
    """Names instead of ids; every gjennomføring over 100 % carries «Overfull», as in the API;
    the list is sorted by belegg; enkeltplasser are apart."""
    pipeline_page.goto("/tiltak/gjennomforinger?kontor=0219")
    wait_ready(pipeline_page)
    data = api(pipeline_server_url, pipeline_page.get_attribute("#gj-form", "data-api-url"))
    rows = pipeline_page.evaluate(
        "() => [...document.querySelectorAll('#tabell-gj tbody tr:not(.sum)')].map(tr => ({"
        " id: tr.querySelector('th').dataset.value, text: tr.querySelector('th').textContent,"
        " overfull: !!tr.querySelector('.flagg-overfull'),"
        " belegg: Number(tr.children[5].dataset.value)}))"
    )
    assert [r["id"] for r in rows] == [r["gjennomforing_id"] for r in data["rader"]]
    flagged = [r for r in rows if r["overfull"]]
    assert flagged and all(r["belegg"] > 100 for r in flagged)
    assert {r["id"] for r in flagged} == {
        r["gjennomforing_id"] for r in data["rader"] if "overfull" in r["flagg"]
    }
    assert all(not r["text"].startswith(r["id"][:8]) for r in rows)
    assert pipeline_page.locator("#tabell-uten tbody tr").count() == len(data["uten_plasser"])


def test_gjennomforing_columns_sort_and_the_sort_is_kept_in_the_url(pipeline_page):
    """A click on «Deltar» sorts by deltar (largest first), marks the header and keeps it."""
    pipeline_page.goto("/tiltak/gjennomforinger?kontor=0219")
    wait_ready(pipeline_page)
    prev = ready(pipeline_page)
    pipeline_page.click('#tabell-gj button[data-sort="deltar"]')
    wait_ready(pipeline_page, prev)
    values = pipeline_page.evaluate(
        "() => [...document.querySelectorAll('#tabell-gj tbody tr:not(.sum)')]"
        ".map(tr => Number(tr.children[2].dataset.value))"
    )
    assert values == sorted(values, reverse=True)
    assert (
        pipeline_page.get_attribute('#tabell-gj th:has(button[data-sort="deltar"])', "aria-sort")
        == "descending"
    )
    assert "sorter=deltar" in pipeline_page.url


def test_kontor_without_gjennomforinger_gets_a_message(pipeline_page, pipeline_server_url):
    """A kontor whose people were on no gjennomføring in the period is told so, not shown an
    empty chart."""
    kontorer = api(pipeline_server_url, "/api/v1/kontorer")["kontorer"]
    empty = next(
        k["enhetsnummer"]
        for k in kontorer
        if not any(
            u["gjennomforinger"]
            for u in api(
                pipeline_server_url, f"/api/v1/gjennomforinger/uker?kontor={k['enhetsnummer']}"
            )["uker"]
        )
    )
    pipeline_page.goto(f"/tiltak/gjennomforinger?kontor={empty}")
    wait_ready(pipeline_page)
    assert pipeline_page.is_visible("#ingen-gj")
    assert "var på en gjennomføring" in pipeline_page.text_content("#ingen-gj")
    assert pipeline_page.is_hidden("#chart-gj")


# --- datakvalitet, Om tallene, help texts ---------------------------------------------------


def test_datakvalitet_per_kontor_with_shares_and_reasons(pipeline_page, pipeline_server_url):
    """Choosing a kontor shows its data quality: counts and shares as in the API, each reason
    explained, and the note about reasons that exist only nationally."""
    pipeline_page.goto("/tiltak/datakvalitet")
    wait_ready(pipeline_page)
    pipeline_page.select_option("#kontor", "0219")
    pipeline_page.wait_for_url("**/tiltak/datakvalitet?kontor=0219*")
    wait_ready(pipeline_page)
    data = api(pipeline_server_url, pipeline_page.get_attribute("#dk-form", "data-api-url"))
    table = pipeline_page.evaluate(TABLE, "#tabell-dk")
    assert [r[0] for r in table["rows"]] == [u["uke"] for u in data["uker"]]
    for row, u in zip(table["rows"], data["uker"], strict=True):
        assert row[1:5] == [
            u["antall_telt"],
            u["uten_innsatsgruppe"],
            u["andel"]["uten_innsatsgruppe"],
            u["uten_avdeling"],
        ]
    assert pipeline_page.locator("#forklaringer dt").count() == len(data["kolonner"])
    assert "bare for hele landet" in pipeline_page.text_content("#merknad")


def test_om_tallene_and_help_texts(pipeline_page, pipeline_server_url):
    """«Om tallene» shows every definition of its JSON twin; a «?» beside a measure opens its
    short definition."""
    pipeline_page.goto("/om-tallene")
    defs = api(pipeline_server_url, "/api/v1/definisjoner")["definisjoner"]
    shown = pipeline_page.evaluate(
        "() => [...document.querySelectorAll('#definisjoner dt')].map(d => [d.id, d.textContent])"
    )
    assert shown == [[d["noekkel"], d["begrep"]] for d in defs]
    pipeline_page.goto("/tiltak/denne-uken?kontor=0219")
    wait_ready(pipeline_page)
    help_box = pipeline_page.locator('.tile[data-tile="belegg"] details.hjelp')
    help_box.locator("summary").click()
    assert "plasser" in help_box.locator("p").text_content()
    assert pipeline_page.locator('details.hjelp[data-hjelp="uten_avdeling"]').count() == 1


# --- works offline ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "selector"), [("/docs", ".swagger-ui .info .title"), ("/redoc", "h1")]
)
def test_api_docs_render_with_the_network_blocked(browser, pipeline_server_url, path, selector):
    """With every request outside this server aborted, /docs (Swagger UI) and /redoc draw the
    API's documentation: nothing is fetched from elsewhere."""
    ctx, page = new_page(browser, pipeline_server_url)
    outside: list[str] = []
    local = urlsplit(pipeline_server_url).netloc

    def route(r):
        if urlsplit(r.request.url).netloc in (local, "") or r.request.url.startswith(
            ("data:", "blob:")
        ):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    try:
        page.route("**/*", route)
        page.goto(path)
        page.wait_for_function(
            "sel => { const e = document.querySelector(sel); return e && e.textContent.includes('metrikk'); }",
            arg=selector,
            timeout=30_000,
        )
        assert outside == []
        assert page.js_errors == []
    finally:
        ctx.close()


# --- screenshots of every page ------------------------------------------------------------------

PAGES = [
    "/tiltak/denne-uken?kontor=0219",
    "/tiltak?kontor=0219",
    "/tiltak?kontor=0219&periode=maned&x=tiltakskode&serie=avdeling",
    "/tiltak?kontor=0219&periode=maned&fra=2025-04&til=2025-06&sammenlign=1&fra2=2024-04&til2=2024-06&serie=innsatsgruppe",
    "/tiltak/gjennomforinger?kontor=0219",
    "/tiltak/datakvalitet?kontor=0219",
    "/om-tallene",
    "/etterlevelse",
    "/etterlevelse/bruk",
    "/etterlevelse/ds_bruk_uke",
    "/etterlevelse/ds_sist_oppdatert",
    "/behandlinger/grunnlag",
    "/behandlinger/databehandlere",
    "/behandlinger/fullstendighet",
    "/docs",
]


@pytest.fixture(scope="module", name="shots")
def _shots(tmp_path_factory) -> Path:
    """Where the screenshots go: METRIKK_SKJERMBILDER, else a temporary folder (never the repo)."""
    target = os.environ.get("METRIKK_SKJERMBILDER")
    path = Path(target) if target else tmp_path_factory.mktemp("skjermbilder")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_screenshots_of_every_page(browser, pipeline_server_url, shots, width, height):
    """Every page draws at 1366×900 and 390×844 without JavaScript errors or sideways
    scrolling; a screenshot of each is saved for a person to look at."""
    for i, path in enumerate(PAGES):
        ctx, page = new_page(browser, pipeline_server_url, width, height)
        try:
            page.goto(path)
            if path == "/docs":
                page.wait_for_selector(".swagger-ui .info", timeout=30_000)
            else:
                wait_ready(page)
            name = f"{i:02d}_" + path.strip("/").split("?")[0].replace("/", "_")
            page.screenshot(path=str(shots / f"{name}_{width}.png"))
            page.screenshot(path=str(shots / f"{name}_{width}_hel.png"), full_page=True)
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, (path, width, overflow)
            assert page.js_errors == [], (path, page.js_errors)
        finally:
            ctx.close()
