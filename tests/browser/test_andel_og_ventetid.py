"""«Andel på tiltak» (/tiltak/oppfolging) and «Ventetid» (/tiltak/ventetid) in Chromium on the
fixture warehouse: each page's tables are its JSON twin's numbers, the charts are drawn, the
choices live in the address (a shared link gives the same view) and the exports name the
filters; under --min-antall hidden counts show as «<5»."""

from __future__ import annotations

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
TRACES = "sel => (document.querySelector(sel).data || []).length"


def wait_ready(page, before=None) -> None:
    page.wait_for_function(READY, arg=before, timeout=30_000)


def ready(page):
    return page.evaluate("() => document.body.dataset.ready || null")


def api(base: str, path: str) -> dict:
    r = httpx.get(base + path, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def test_andel_paa_tiltak_page_is_its_json_and_keeps_the_view_in_the_address(page, server_url):
    """Both tables equal the JSON the page fetched; grouping, filter and the table's measure go
    into the address and the export link (whose preamble names the filter); a shared link
    gives the same table."""
    page.goto("/tiltak/oppfolging?kontor=0219")
    wait_ready(page)
    assert page.locator("nav a[aria-current='page']").inner_text() == "Andel på tiltak"
    url = page.get_attribute("#op-form", "data-api-url")
    data = api(server_url, url)
    summary = page.evaluate(TABLE, "#tabell-op-sum")
    assert summary["header"] == [
        "Innsatsgruppe",
        "Under oppfølging",
        "På tiltak",
        "Andel på tiltak (%)",
    ]
    assert [r[0] for r in summary["rows"]] == [s["navn"] for s in data["sammendrag"]]
    for row, s in zip(summary["rows"], data["sammendrag"], strict=True):
        assert row[1:] == [s["under_oppfolging"], s["paa_tiltak"], s["andel"]]
    (total,) = summary["sum"]
    assert total[1:] == [
        data["totalt"]["under_oppfolging"],
        data["totalt"]["paa_tiltak"],
        data["totalt"]["andel"],
    ]
    assert page.evaluate(TRACES, "#chart-op-sum") == 1
    assert page.evaluate(TRACES, "#chart-op-utv") == len(data["grupper"]) + 1
    assert "var på tiltak" in page.text_content("#status")
    # another grouping, a filter and another table measure: kept in the address
    prev = ready(page)
    page.select_option("#gruppering", "avdeling")
    wait_ready(page, prev)
    prev = ready(page)
    page.select_option("#innsatsgruppe", "TRENGER_VEILEDNING")
    wait_ready(page, prev)
    prev = ready(page)
    page.select_option("#celler", "paa_tiltak")
    wait_ready(page, prev)
    query = parse_qs(urlsplit(page.url).query)
    assert query["gruppering"] == ["avdeling"] and query["innsatsgruppe"] == ["TRENGER_VEILEDNING"]
    assert query["celler"] == ["paa_tiltak"]
    data = api(server_url, page.get_attribute("#op-form", "data-api-url"))
    dev = page.evaluate(TABLE, "#tabell-op-utv")
    assert dev["header"] == ["Periode"] + [g["navn"] for g in data["grupper"]] + ["Totalt"]
    for row, r in zip(dev["rows"], data["utvikling"], strict=True):
        assert row == [r["navn"]] + [f["paa_tiltak"] for f in r["grupper"]] + [
            r["totalt"]["paa_tiltak"]
        ]
    export = page.get_attribute("#csv-op-utv", "href")
    assert "celler=paa_tiltak" in export and "innsatsgruppe=TRENGER_VEILEDNING" in export
    text = httpx.get(server_url + export, timeout=60).content.decode("utf-8-sig")
    assert "Filtre;Innsatsgruppe: Trenger veiledning" in text
    # a shared link opens the same view
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)
    wait_ready(page)
    assert page.input_value("#gruppering") == "avdeling"
    assert page.input_value("#innsatsgruppe") == "TRENGER_VEILEDNING"
    assert page.input_value("#celler") == "paa_tiltak"
    assert page.evaluate(TABLE, "#tabell-op-utv") == dev


def test_ventetid_page_is_its_json_with_tiltaksgruppe_and_a_bad_period_message(page, server_url):
    """Both tables equal the JSON; grouped by tiltaksgruppe and filtered to Bærum's own
    «Opplæring» the table has that row and the export names the filter; a month 13 is refused
    in Norwegian."""
    page.goto("/tiltak/ventetid?kontor=0219")
    wait_ready(page)
    data = api(server_url, page.get_attribute("#vt-form", "data-api-url"))
    summary = page.evaluate(TABLE, "#tabell-vt-sum")
    assert summary["header"][0] == "Tiltak"
    keys = ["antall_oppstart", "snitt_ventedager", "ventet_over_30", "andel_over_30"]
    for row, s in zip(summary["rows"], data["sammendrag"], strict=True):
        assert row == [s["navn"]] + [s[k] for k in keys]
    assert summary["sum"] == [["Totalt"] + [data["totalt"][k] for k in keys]]
    dev = page.evaluate(TABLE, "#tabell-vt-utv")
    for row, r in zip(dev["rows"], data["utvikling"], strict=True):
        assert row == [r["navn"]] + [r[k] for k in keys]
    assert page.evaluate(TRACES, "#chart-vt-sum") == 1
    assert page.evaluate(TRACES, "#chart-vt-utv") == 2
    # by tiltaksgruppe, one group: the table has that row only, and the address says so
    prev = ready(page)
    page.select_option("#gruppering", "tiltaksgruppe")
    wait_ready(page, prev)
    prev = ready(page)
    page.select_option("#tiltaksgruppe", "Opplæring")
    wait_ready(page, prev)
    summary = page.evaluate(TABLE, "#tabell-vt-sum")
    assert summary["header"][0] == "Tiltaksgruppe"
    assert [r[0] for r in summary["rows"]] == ["Opplæring"]
    query = parse_qs(urlsplit(page.url).query)
    assert query["gruppering"] == ["tiltaksgruppe"] and query["tiltaksgruppe"] == ["Opplæring"]
    text = httpx.get(
        server_url + page.get_attribute("#csv-vt-sum", "href"), timeout=60
    ).content.decode("utf-8-sig")
    assert "Filtre;Tiltaksgruppe: Opplæring" in text
    # a period that cannot be: a Norwegian message, nothing fetched
    page.fill("#fra", "2025-13")
    page.click("#vt-form button[type=submit]")
    assert "13" in page.text_content("#feilmelding")
    assert page.is_visible("#feilmelding")


def test_both_pages_show_hidden_counts_under_min_antall(page_k5):
    """Nav Asker's small groups: «<5» in the tables, the protection note above them."""
    for path, sel in (
        ("/tiltak/oppfolging?kontor=0220&periode=uke", "#tabell-op-sum"),
        ("/tiltak/ventetid?kontor=0220&periode=uke", "#tabell-vt-utv"),
    ):
        page_k5.goto(path)
        wait_ready(page_k5)
        assert "Tall under 5 vises ikke" in page_k5.text_content("#beskyttelse")
        table = page_k5.evaluate(TABLE, sel)
        assert any("<5" in row for row in table["rows"]), (path, table["rows"])
