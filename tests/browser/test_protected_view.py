"""The dashboard under `metrikk serve --min-antall 5`: hidden counts show as «<5» in the tables
and as gaps in the charts, other counts as the API's numbers rounded to base 10, the pages say
so, and each filter of the tiltak page selects one value or all (radio buttons)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from test_dashboard import CHART_JS, TABLE_JS, api_url, open_tiltak, ready, wait_ready

pytestmark = pytest.mark.browser

NOTE = "Tall under 5 vises ikke; andre tall er avrundet til nærmeste 10."


def test_tiltak_page_shows_hidden_and_rounded_counts_as_the_api(page_k5, server_url_k5):
    """Table cells equal the API's protected figures («<5» as text), chart bars are gaps for
    hidden cells, and the note is on the page."""
    open_tiltak(page_k5)
    assert page_k5.text_content("#beskyttelse").strip() == NOTE
    data = httpx.get(server_url_k5 + api_url(page_k5), timeout=30).json()
    assert data["min_antall"] == 5
    x, s = data["gruppering"]
    names = {v["verdi"]: v["navn"] for v in data["verdier"][s]}
    xs = {v["navn"]: v["verdi"] for v in data["verdier"][x]}
    by = {(r[x], names[r[s]]): r for r in data["rader"]}
    assert any(r["skjult"] for r in data["rader"])
    table = page_k5.evaluate(TABLE_JS, "a")
    series = table["header"][1 : 1 + len(names)]
    for row in [r for r in table["rows"] if not r["sum"]]:
        for name, value in zip(series, row["values"], strict=False):
            r = by[(xs[row["label"]], name)]
            assert value == r["antall"]  # "<5" as text, numbers as numbers
            assert value == "<5" or value == 0 or value % 10 == 0
    for trace in page_k5.evaluate(CHART_JS, "a"):
        expected = [by[(xs[xv], trace["name"])] for xv in trace["x"]]
        assert trace["y"] == [None if r["skjult"] else r["antall"] for r in expected]


def test_gjennomforing_and_datakvalitet_pages_draw_protected_counts(page_k5, server_url_k5):
    """«<5» in the tables, gaps in the charts, no JavaScript error, and the note."""
    page_k5.goto("/tiltak/gjennomforinger?kontor=0219")
    wait_ready(page_k5, None)
    assert page_k5.text_content("#beskyttelse").strip() == NOTE
    data = httpx.get(server_url_k5 + "/api/v1/gjennomforinger/uker?kontor=0219", timeout=30).json()
    cells = page_k5.evaluate(
        "() => [...document.querySelectorAll('#tabell-uker tbody tr')].map("
        "tr => [...tr.querySelectorAll('td')].map(td => td.textContent))"
    )
    assert [c[2] for c in cells] == [
        u["venter"] if isinstance(u["venter"], str) else str(u["venter"]) for u in data["uker"]
    ]
    assert "<5" in {c[2] for c in cells}
    venter = page_k5.evaluate(
        "() => document.getElementById('chart-gj').data.find(t => t.name === 'Venter').y"
    )
    assert venter == [u["venter"] if isinstance(u["venter"], int) else None for u in data["uker"]]
    page_k5.goto("/tiltak/datakvalitet")
    wait_ready(page_k5, None)
    assert page_k5.text_content("#beskyttelse").strip() == NOTE
    assert "<5" in page_k5.text_content("#tabell-dk")


def test_tiltak_filters_select_one_value_or_all(page_k5, server_url_k5):
    """Under K the avdeling, innsatsgruppe and tiltak filters are radio groups with «Alle»
    first and a hint saying why; picking a tiltak asks the API for that one, «Alle» for no
    filter, and every request the page makes is answered (no 400, no JavaScript error)."""
    open_tiltak(page_k5)
    assert "én verdi eller alle" in page_k5.text_content("#enkeltvalg-hjelp")
    for name in ("avdeling", "innsatsgruppe", "tiltakskode"):
        kinds = page_k5.eval_on_selector_all(f'input[name="{name}"]', "es => es.map(e => e.type)")
        assert set(kinds) == {"radio"} and len(kinds) > 2
        assert page_k5.is_checked(f'input[name="{name}"][value=""]')
    assert not page_k5.query_selector(".velg-alle")
    prev = ready(page_k5)
    page_k5.check('input[name="tiltakskode"][value="AMO"]')
    wait_ready(page_k5, prev)
    query = parse_qs(urlsplit(api_url(page_k5)).query)
    assert query["tiltakskode"] == ["AMO"]
    prev = ready(page_k5)
    page_k5.check('input[name="avdeling"][value="Avdeling Vest"]')
    wait_ready(page_k5, prev)
    query = parse_qs(urlsplit(api_url(page_k5)).query)
    assert query["avdeling"] == ["Avdeling Vest"] and query["tiltakskode"] == ["AMO"]
    assert httpx.get(server_url_k5 + api_url(page_k5), timeout=30).status_code == 200
    assert page_k5.is_hidden("#feilmelding")
    prev = ready(page_k5)
    page_k5.check('input[name="tiltakskode"][value=""]')
    wait_ready(page_k5, prev)
    assert "tiltakskode" not in parse_qs(urlsplit(api_url(page_k5)).query)
