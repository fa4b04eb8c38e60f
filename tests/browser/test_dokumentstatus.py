"""The Etterlevelse leader page /etterlevelse/dokumentstatus in Chromium, on the warehouse of the
real pipeline: the funnel table matches the dataset, the avdeling drill-down lists the avdeling's
documents without free text, and the exports state their filters."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIDE = "/etterlevelse/dokumentstatus"

TABLE_JS = """(sel) => {
  const t = document.querySelector(sel + ' table');
  return {
    header: [...t.querySelectorAll('thead th')].map((c) => c.textContent),
    rows: [...t.querySelectorAll('tbody tr')].map((r) => [...r.children].map((c) => c.dataset.value || c.textContent)),
  };
}"""


def wait_ready(page, before=None) -> None:
    page.wait_for_function(
        "prev => document.body.dataset.ready && document.body.dataset.ready !== prev",
        arg=before,
        timeout=30_000,
    )


def test_funnel_drill_down_and_exports(pipeline_page, pipeline_server_url):
    page = pipeline_page
    page.goto("/etterlevelse")
    page.get_by_role("link", name="Dokumentstatus").click()
    page.wait_for_url(f"**{SIDE}")
    wait_ready(page)
    assert page.locator("#feilmelding").is_hidden()
    assert page.locator("h1").text_content() == "Dokumentstatus"

    api = httpx.get(pipeline_server_url + "/api/v1/etterlevelse/dokumentstatus", timeout=30).json()
    tabell = page.evaluate(TABLE_JS, "#tabell-ds")
    assert tabell["header"] == [
        "Uke",
        "Ikke påbegynt",
        "Under arbeid",
        "Sendt til godkjenning",
        "Godkjent av risikoeier",
        "Totalt",
    ]
    assert len(tabell["rows"]) == len(api["uker"]) == 52
    last = api["uker"][-1]
    assert tabell["rows"][-1] == [
        last["uke"],
        *(
            str(last[s])
            for s in (
                "IKKE_PAABEGYNT",
                "UNDER_ARBEID",
                "SENDT_TIL_GODKJENNING",
                "GODKJENT_AV_RISIKOEIER",
            )
        ),
        str(last["totalt"]),
    ]
    assert last["totalt"] > 0
    # The chart has one stacked series per status.
    assert page.evaluate("document.querySelector('#chart-ds').data.length") == 4

    # Avdelinger at the last week add up to the week's total (unknown avdeling included).
    avd = page.evaluate(TABLE_JS, "#tabell-avdelinger")
    assert sum(int(r[-1]) for r in avd["rows"]) == last["totalt"]

    # Drill down: the avdeling with most documents.
    navn, antall = max(((r[0], int(r[-1])) for r in avd["rows"]), key=lambda x: (x[1], x[0]))
    before = page.evaluate("document.body.dataset.ready")
    page.locator("#tabell-avdelinger button", has_text=navn).first.click()
    wait_ready(page, before)
    assert page.locator("#dokumenter").is_visible()
    assert page.locator("#avdeling").input_value() == navn
    dok = page.evaluate(TABLE_JS, "#tabell-dok")
    assert len(dok["rows"]) == antall
    assert all(r[0].startswith("E") for r in dok["rows"])
    assert dok["header"][0] == "Dokument" and "Tittel" not in dok["header"]
    assert parse_qs(urlparse(page.url).query)["avdeling"] == [navn]

    # The exports state their filters in the preamble.
    href = page.locator("#csv-ds").get_attribute("href")
    text = httpx.get(pipeline_server_url + href, timeout=30).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["Filtre", f"Avdeling: {navn}"] in rows
    assert rows[0][0] == "Periode"
    href = page.locator("#csv-dok").get_attribute("href")
    text = httpx.get(pipeline_server_url + href, timeout=30).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["Filtre", f"Avdeling: {navn}"] in rows
    header_at = rows.index(dok["header"])
    assert len(rows) - header_at - 1 == antall

    # A reload keeps the view (the choices are in the address).
    page.reload()
    wait_ready(page)
    assert page.locator("#avdeling").input_value() == navn
    assert page.locator("#dokumenter").is_visible()


def test_bad_week_gives_a_norwegian_message(pipeline_page):
    page = pipeline_page
    page.goto(f"{SIDE}?til=2999-U10")
    wait_ready(page)
    assert "etter siste uke med data" in page.locator("#feilmelding").text_content()


def test_unknown_avdeling_is_refused_by_the_api(pipeline_server_url):
    r = httpx.get(
        pipeline_server_url + "/api/v1/etterlevelse/dokumentstatus?avdeling=Finnes+ikke", timeout=30
    )
    assert r.status_code == 400
    assert "Ukjent avdeling" in r.json()["feil"]
