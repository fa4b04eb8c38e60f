"""The dashboard under `metrikk serve --min-antall 5`: hidden counts show as «<5» in the tables
and as gaps in the charts, other counts as the API's rounded numbers, and the pages say so."""

from __future__ import annotations

import httpx
import pytest
from test_dashboard import CHART_JS, TABLE_JS, api_url, open_tiltak, wait_ready

pytestmark = pytest.mark.browser

NOTE = "Tall under 5 vises ikke, andre tall er avrundet til nærmeste 5."


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
