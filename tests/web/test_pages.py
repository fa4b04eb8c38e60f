"""HTML pages: status, labelled controls, the synthetic banner and the JSON twin link."""

from __future__ import annotations

from html.parser import HTMLParser

import fixture_warehouse as fx
import pytest
from fastapi.testclient import TestClient

from metrikk.settings import Settings
from metrikk.web.app import create_app


class Page(HTMLParser):
    """Collects ids, labels' targets, form controls, links and text of one HTML page."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: dict[str, dict] = {}
        self.label_for: set[str] = set()
        self.controls: list[dict] = []
        self.links: list[dict] = []
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids[a["id"]] = {"tag": tag, **a}
        if tag == "label" and "for" in a:
            self.label_for.add(a["for"])
        if tag in ("input", "select") and a.get("type") != "hidden":
            self.controls.append({"tag": tag, **a})
        if tag in ("a", "link"):
            self.links.append(a)

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize(
    "url",
    [
        "/tiltak",
        "/tiltak?kontor=0220",
        "/tiltak/gjennomforinger",
        "/tiltak/datakvalitet",
        "/etterlevelse",
        "/etterlevelse/ds_varslinger_tid",
    ],
)
def test_pages_render_in_norwegian_with_the_synthetic_banner(client, url):
    """Each page is HTML in bokmål, says the data are synthetic and links its JSON twin."""
    r = client.get(url)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = Page(r.text)
    assert ("html", {"lang": "nb"}) in page.tags
    assert "syntetisk-banner" in page.ids
    assert any(
        link.get("rel") == "alternate" and link["href"].startswith("/api/v1/")
        for link in page.links
    )
    assert any(a.get("aria-current") == "page" for _, a in page.tags)
    assert "Data til og med uke" in "".join(page.text)


def test_every_control_on_the_tiltak_page_is_labelled(client):
    """Text inputs and selects have a <label for>; checkboxes and radios sit inside a label."""
    page = Page(client.get("/tiltak").text)
    for c in page.controls:
        if c.get("type") in ("checkbox", "radio"):
            continue  # wrapped in <label class="check"> (checked in the browser test)
        assert c["id"] in page.label_for, c
    names = {c.get("name") for c in page.controls}
    assert {
        "kontor",
        "fra",
        "til",
        "x",
        "serie",
        "visning",
        "sorter",
        "avdeling",
        "innsatsgruppe",
        "tiltakskode",
    } <= names
    boxes = [c for c in page.controls if c.get("name") == "avdeling"]
    assert sorted(c["value"] for c in boxes) == sorted(
        {r.avdeling for r in fx.ROWS if r.kontor == "0219"}
    )
    assert page.ids["kontor-navn"]
    assert sum(1 for _, a in page.tags if "velg-alle" in a.get("class", "")) == 4


def test_no_banner_when_no_input_is_synthetic(tmp_path):
    """With only real inputs the synthetic banner is absent."""
    wh = fx.build(tmp_path / "ekte.duckdb", syntetisk=False, etterlevelse=False)
    with TestClient(create_app(Settings(warehouse=wh))) as c:
        page = Page(c.get("/tiltak").text)
        assert "syntetisk-banner" not in page.ids
        assert c.get("/api/v1/meta").json()["syntetisk"] is False
        assert "Ingen etterlevelse-datasett" in c.get("/etterlevelse").text


def test_plotly_and_static_files_are_served_locally(client):
    """Plotly.js comes from the installed wheel and the app's own CSS/JS from /static."""
    r = client.get("/static/plotly.min.js")
    assert r.status_code == 200 and "javascript" in r.headers["content-type"]
    assert len(r.content) > 1_000_000
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/style.css").status_code == 200
    html = client.get("/tiltak").text
    assert "cdn" not in html.lower() and "https://" not in html


def test_unknown_pages_and_datasets_answer_404_in_norwegian(client):
    """An unknown URL and an unknown dataset page answer 404 with a Norwegian message."""
    r = client.get("/finnes-ikke")
    assert r.status_code == 404 and r.json() == {"feil": "Fant ikke siden."}
    r = client.get("/etterlevelse/ds_ukjent")
    assert r.status_code == 404 and "Fant ikke datasettet" in r.text


def test_root_redirects_to_this_week(client):
    """/ sends the browser to the landing view, «Denne uken»."""
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/tiltak/denne-uken"


@pytest.mark.parametrize(
    ("page", "api"),
    [
        (
            "/tiltak.json?kontor=0220&gruppering=avdeling",
            "/api/v1/tiltak/perioder?kontor=0220&gruppering=avdeling",
        ),
        ("/tiltak/denne-uken.json?kontor=0219", "/api/v1/tiltak/denne-uken?kontor=0219"),
        ("/tiltak/gjennomforinger.json?kontor=0219", "/api/v1/gjennomforinger/liste?kontor=0219"),
        ("/om-tallene.json", "/api/v1/definisjoner"),
        ("/tiltak/datakvalitet.json", "/api/v1/datakvalitet"),
        ("/etterlevelse.json", "/api/v1/etterlevelse"),
        ("/etterlevelse/ds_bruk_uke.json", "/api/v1/etterlevelse/ds_bruk_uke"),
    ],
)
def test_every_page_has_a_json_twin(client, page, api):
    """Appending .json to a page gives the JSON it renders from, query string included."""
    r = client.get(page, follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == api
    assert client.get(page).json() == client.get(api).json()
