"""The etterlevelse and behandlinger pages on the fixture warehouse: what a reader sees first."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import duckdb
import fixture_warehouse as fx
import pytest
from fastapi.testclient import TestClient

from metrikk.settings import Settings
from metrikk.web.app import create_app
from metrikk.web.queries import first_sentence


class Cards(HTMLParser):
    """The dataset cards of /etterlevelse: {name: (description, [column names])}."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, dict] = {}
        self._card: dict | None = None
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "li" and a.get("class") == "card" and self._card is None:
            self._card = {"navn": "", "beskrivelse": "", "kolonner": [], "href": None}
        elif self._card is not None:
            if tag == "a":
                self._card["href"] = a["href"]
                self._in = "navn"
            elif tag == "p" and a.get("class") == "beskrivelse":
                self._in = "beskrivelse"
            elif tag == "code":
                self._in = "kolonne"

    def handle_endtag(self, tag):
        if tag in ("a", "p", "code"):
            self._in = None
        if tag == "details" and self._card is not None:
            self._card["detaljer"] = True
        if tag == "li" and self._card is not None and self._in is None:
            if self._card.get("detaljer"):
                self.cards[self._card["navn"]] = self._card
                self._card = None

    def handle_data(self, data):
        if self._card is None or self._in is None:
            return
        if self._in == "kolonne":
            self._card["kolonner"].append(data)
        else:
            self._card[self._in] += data.strip()


def cards(client) -> dict[str, dict]:
    html = client.get("/etterlevelse").text
    ul = html[html.index('id="datasett-liste"') :]
    parser = Cards()
    parser.feed(ul)
    return parser.cards


def test_first_sentence_of_a_model_description():
    """The card's line is the description's first sentence; «Art. 6» does not end one."""
    assert first_sentence("Én rad per uke. Bare uker som er slutt.") == "Én rad per uke."
    assert first_sentence("Jf. Art. 6 i forordningen. Mer.") == "Jf. Art. 6 i forordningen."
    assert first_sentence("Hvem? Alle.") == "Hvem?"
    assert first_sentence("Én setning uten punktum") == "Én setning uten punktum"
    assert first_sentence(None) is None and first_sentence("  ") is None


def test_every_dataset_card_shows_the_models_description(client):
    """Each card says what the dataset is (its description's first sentence); the columns are
    a folded detail, each with its own description when the model has one."""
    got = cards(client)
    assert set(got) == {"ds_bruk_uke", "ds_sist_oppdatert", "ds_varslinger_tid"}
    assert got["ds_bruk_uke"]["beskrivelse"] == (
        "Én rad per ISO-uke og avdeling med bruk av Støtte til etterlevelse, jf. Art. 6 i "
        "forordningen."
    )
    assert got["ds_varslinger_tid"]["beskrivelse"] == (
        "Én rad per dokument som noen gang har hatt en varslingsadresse!"
    )
    assert got["ds_sist_oppdatert"]["beskrivelse"] == "Ingen beskrivelse av datasettet."
    assert got["ds_bruk_uke"]["kolonner"] == [
        "aar",
        "uke",
        "uke_start",
        "avdeling",
        "antallAktiveDokumenter",
    ]
    assert got["ds_bruk_uke"]["href"] == "/etterlevelse/ds_bruk_uke"
    html = client.get("/etterlevelse").text
    assert "<code>avdeling</code>: Dokumentets avdeling." in html
    # The column list is folded away, not the card's text.
    assert re.search(r"<details class=\"kolonner\"><summary>5 kolonner</summary>", html)


def test_the_api_lists_the_descriptions(client):
    """/api/v1/etterlevelse carries the whole description, the card's line and the columns'."""
    listing = {d["navn"]: d for d in client.get("/api/v1/etterlevelse").json()["datasett"]}
    bruk = listing["ds_bruk_uke"]
    assert bruk["beskrivelse"].endswith("Bare uker som er slutt.")
    assert bruk["kort_beskrivelse"] == first_sentence(bruk["beskrivelse"])
    assert {c["navn"]: c["beskrivelse"] for c in bruk["kolonner"]}["avdeling"] == (
        "Dokumentets avdeling."
    )
    assert listing["ds_sist_oppdatert"]["beskrivelse"] is None


def test_dataset_page_shows_the_whole_description(client):
    """/etterlevelse/<ds> opens with the model's whole description."""
    html = client.get("/etterlevelse/ds_bruk_uke").text
    assert '<p class="ingress">Én rad per ISO-uke og avdeling' in html
    assert "Bare uker som er slutt.</p>" in html
    assert 'class="ingress"' not in client.get("/etterlevelse/ds_sist_oppdatert").text


def test_behandlinger_pages_have_their_own_sub_menu_and_no_way_back_to_etterlevelse(client):
    """The Behandlinger menu's pages link each other (Databehandlere is one click away), mark the
    current one, and do not pretend to sit under Etterlevelse."""
    for side in (
        "/behandlinger/grunnlag",
        "/behandlinger/databehandlere",
        "/behandlinger/fullstendighet",
    ):
        html = client.get(side).text
        assert "← Etterlevelse" not in html
        nav = html[
            html.index('id="undermeny"') : html.index("</nav>", html.index('id="undermeny"'))
        ]
        assert re.findall(r'href="([^"]+)"', nav) == [
            "/behandlinger/grunnlag",
            "/behandlinger/databehandlere",
            "/behandlinger/fullstendighet",
        ]
        assert re.findall(r'href="([^"]+)" aria-current="page"', nav) == [side]
        # The main menu marks Behandlinger on both.
        assert 'href="/behandlinger/grunnlag" aria-current="page">Behandlinger<' in html


def test_etterlevelse_views_link_back_and_list_only_etterlevelse(client):
    """An etterlevelse view links back to /etterlevelse; /etterlevelse lists its own views and
    points to Behandlinger for the behandlinger pages."""
    html = client.get("/etterlevelse/bruk").text
    assert '<a href="/etterlevelse">← Etterlevelse</a>' in html
    assert 'id="undermeny"' not in html
    side = client.get("/etterlevelse").text
    visninger = side[
        side.index('id="visninger"') : side.index("</ul>", side.index('id="visninger"'))
    ]
    assert re.findall(r'href="([^"]+)"', visninger) == [
        "/etterlevelse/dokumentstatus",
        "/etterlevelse/sist-oppdatert",
        "/etterlevelse/pvk-flyt",
        "/etterlevelse/bruk",
    ]
    assert 'egne sider under <a href="/behandlinger/grunnlag">Behandlinger</a>' in side


# ds_bruk_uke as the pipeline writes it across June 2025: a document whose current version predates
# the NOM fields keeps its AVDELING code (AVD_HR), a newer one has the NOM name (HR-avdelingen).
BRUK = [
    # uke_start, avdeling, aktive, svar, nye, fullførte
    (date(2025, 6, 2), "AVD_HR", 2, 5, 1, 0),
    (date(2025, 6, 2), "HR-avdelingen", 1, 3, 1, 1),
    (date(2025, 6, 2), "AVD_UKJENT", 1, 1, 0, 0),
    (date(2025, 6, 9), "HR-avdelingen", 4, 7, 0, 2),
    (date(2025, 6, 9), "Uten avdeling", 1, 2, 1, 0),
]
KODEVERK = [
    ("AVDELING", "AVD_HR", "HR-avdelingen"),
    ("AVDELING", "AVD_IT", "IT-avdelingen"),
    ("TEMA", "AVD_UKJENT", "Et tema med samme kode"),
]


@pytest.fixture(name="bruk_client")
def _bruk_client(tmp_path):
    wh = fx.build(tmp_path / "bruk.duckdb")
    con = duckdb.connect(str(wh))
    try:
        con.execute(
            "CREATE OR REPLACE TABLE etterlevelse.ds_bruk_uke (aar BIGINT, uke BIGINT, "
            "uke_start DATE, avdeling VARCHAR, antallAktiveDokumenter BIGINT, "
            "antallLagredeSvar BIGINT, antallNyeDokumenter BIGINT, antallFullforteDokumenter BIGINT)"
        )
        con.executemany(
            "INSERT INTO etterlevelse.ds_bruk_uke VALUES (2025, week(?::DATE), ?, ?, ?, ?, ?, ?)",
            [(r[0], *r) for r in BRUK],
        )
        con.execute(
            "CREATE TABLE etterlevelse.stage_kodeverk (liste VARCHAR, kode VARCHAR, navn VARCHAR)"
        )
        con.executemany("INSERT INTO etterlevelse.stage_kodeverk VALUES (?, ?, ?)", KODEVERK)
    finally:
        con.close()
    with TestClient(create_app(Settings(warehouse=wh))) as c:
        yield c


def test_weekly_usage_shows_one_name_per_avdeling(bruk_client):
    """«AVD_HR» and «HR-avdelingen» are one avdeling, named from the AVDELING codelist, with their
    figures added up; a code the AVDELING list does not know stays the code (another list's
    entry with the same code is no name for it)."""
    body = bruk_client.get("/api/v1/etterlevelse/bruk?fra=2025-U23&til=2025-U24").json()
    assert sorted(body["alle_avdelinger"]) == ["AVD_UKJENT", "HR-avdelingen", "Uten avdeling"]
    assert body["tabell"]["kolonner"] == [
        "Uke",
        "HR-avdelingen",
        "AVD_UKJENT",
        "Uten avdeling",
        "Totalt",
    ]  # by size, then name
    assert body["tabell"]["rader"] == [["2025-U23", 3, 1, 0, 4], ["2025-U24", 4, 0, 1, 5]]
    svar = bruk_client.get(
        "/api/v1/etterlevelse/bruk?fra=2025-U23&til=2025-U24&maal=antallLagredeSvar"
        "&avdeling=HR-avdelingen"
    ).json()
    assert svar["tabell"]["rader"] == [["2025-U23", 8, 8], ["2025-U24", 7, 7]]
    assert svar["tabell"]["sum"] == ["Sum for perioden", 15, 15]
    # An old link naming the code means the same avdeling.
    kode = bruk_client.get(
        "/api/v1/etterlevelse/bruk?fra=2025-U23&til=2025-U24&maal=antallLagredeSvar"
        "&avdeling=AVD_HR&avdeling=HR-avdelingen"
    ).json()
    assert kode["tabell"] == svar["tabell"]
    # The page's checkboxes offer the same names, once each.
    html = bruk_client.get("/etterlevelse/bruk").text
    boxes = re.findall(r'name="avdeling" value="([^"]+)"', html)
    assert sorted(boxes) == ["AVD_UKJENT", "HR-avdelingen", "Uten avdeling"]
