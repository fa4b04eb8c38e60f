"""Etterlevelse and behandlinger views on a warehouse built by the REAL pipeline.

Every expected figure is recomputed here in plain Python from rows read with independent SQL
(the published etterlevelse/behandlinger tables), never with the web app's queries.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from metrikk.web.queries import first_sentence

pytestmark = pytest.mark.slow
OSLO = ZoneInfo("Europe/Oslo")
VIEWS = [
    "/api/v1/etterlevelse/sist-oppdatert",
    "/api/v1/etterlevelse/pvk-flyt",
    "/api/v1/etterlevelse/bruk",
    "/api/v1/behandlinger/grunnlag",
    "/api/v1/behandlinger/databehandlere",
]


def get(client, url: str) -> dict:
    r = client.get(url)
    assert r.status_code == 200, (url, r.text[:500])
    return r.json()


def bucket(days: int) -> str:
    for hi, name in (
        (7, "0–7 dager"),
        (30, "8–30 dager"),
        (90, "31–90 dager"),
        (180, "91–180 dager"),
        (365, "181–365 dager"),
    ):
        if days <= hi:
            return name
    return "Mer enn ett år"


def test_days_since_update_distribution_counts_every_document_of_the_day(pipeline_client, sql):
    """The buckets hold each document alive on the day once, by its days since the last answer."""
    body = get(pipeline_client, "/api/v1/etterlevelse/sist-oppdatert")
    (last,) = sql("SELECT max(dato) FROM etterlevelse.ds_sist_oppdatert")[0]
    assert body["dato"] == last.isoformat()
    rows = sql(
        "SELECT etterlevelseDokumentasjonId, dagerSidenOppdatering"
        " FROM etterlevelse.ds_sist_oppdatert WHERE dato = ?",
        [last],
    )
    expected = Counter(bucket(d) for _, d in rows)
    assert {b["navn"]: b["antall"] for b in body["bokser"] if b["antall"]} == dict(expected)
    assert body["dokumenter"] == len({i for i, _ in rows}) > 0
    assert round(sum(b["andel"] for b in body["bokser"]), 1) == 100.0
    # Another day gives that day's documents.
    earlier = last - timedelta(days=200)
    other = get(pipeline_client, f"/api/v1/etterlevelse/sist-oppdatert?dato={earlier}")
    n = sql("SELECT count(*) FROM etterlevelse.ds_sist_oppdatert WHERE dato = ?", [earlier])[0][0]
    assert other["dokumenter"] == n


def _pvk_stock(sql, periode: str, starts: list[date]) -> dict[tuple[str, str], int]:
    versions = sql(
        "SELECT pvkDokumentId, COALESCE(status, 'UKJENT'), action, time, version, audit_id"
        " FROM etterlevelse.stage_pvk_dokument"
    )
    out: dict[tuple[str, str], int] = Counter()
    for s in starts:
        end = (
            s + timedelta(days=7)
            if periode == "uke"
            else (date(s.year + (s.month == 12), s.month % 12 + 1, 1))
        )
        latest: dict[str, tuple] = {}
        for pid, status, action, t, v, a in versions:
            if t.astimezone(OSLO).date() >= end:
                continue
            key = (t, v, a)
            if pid not in latest or key > latest[pid][0]:
                latest[pid] = (key, status, action)
        for _, status, action in latest.values():
            if action != "DELETE":
                out[(s.isoformat(), status)] += 1
    return out


@pytest.mark.parametrize("periode", ["uke", "maned"])
def test_pvk_flow_counts_documents_in_each_status_at_each_period_end(pipeline_client, sql, periode):
    """Per week or month: PVK documents whose latest version by then has each status."""
    (first,) = sql(
        "SELECT min(CAST(timezone('Europe/Oslo', time) AS DATE)) FROM etterlevelse.stage_pvk_dokument"
    )[0]
    body = get(pipeline_client, f"/api/v1/etterlevelse/pvk-flyt?periode={periode}&fra={first}")
    starts = [date.fromisoformat(p["start"]) for p in body["perioder"]]
    assert starts[0] <= first
    expected = _pvk_stock(sql, periode, starts)
    got = {(p["start"], st): n for p in body["perioder"] for st, n in p["antall"].items() if n}
    assert got == dict(expected)
    assert sum(got.values()) > 0
    # The table beside the chart has one row per period, a column per status and the total.
    t = body["tabell"]
    assert t["kolonner"][0] == ("Uke" if periode == "uke" else "Måned")
    assert [r[-1] for r in t["rader"]] == [p["totalt"] for p in body["perioder"]]


def test_weekly_usage_is_zero_filled_and_matches_ds_bruk_uke(pipeline_client, sql):
    """Every week × avdeling of the period is present, with ds_bruk_uke's figure or 0."""
    body = get(pipeline_client, "/api/v1/etterlevelse/bruk?maal=antallLagredeSvar")
    (last,) = sql("SELECT max(uke_start) FROM etterlevelse.ds_bruk_uke")[0]
    start = last - timedelta(weeks=25)
    raw = sql(
        "SELECT uke_start, avdeling, antallAktiveDokumenter, antallLagredeSvar"
        " FROM etterlevelse.ds_bruk_uke WHERE uke_start BETWEEN ? AND ?",
        [start, last],
    )
    # One name per avdeling: an AVDELING code becomes its codelist name, the rows add up.
    navn = dict(sql("SELECT kode, navn FROM etterlevelse.stage_kodeverk WHERE liste = 'AVDELING'"))
    assert navn, "the codelist is published"
    summed: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for w, a, ak, sv in raw:
        summed[(w, navn.get(a, a))][0] += ak
        summed[(w, navn.get(a, a))][1] += sv
    rows = [(w, a, ak, sv) for (w, a), (ak, sv) in summed.items()]
    assert not {a for _, a, _, _ in rows} & set(navn), "no code left where a name is known"
    avdelinger = {a for _, a, _, _ in rows}
    assert len(body["uker"]) == 26
    assert len(body["rader"]) == 26 * len(avdelinger)
    expected = {(w, a): (ak, sv) for w, a, ak, sv in rows}
    for r in body["rader"]:
        y, wk = int(r["uke"][:4]), int(r["uke"][6:])
        ak, sv = expected.get((date.fromisocalendar(y, wk, 1), r["avdeling"]), (0, 0))
        assert (r["antallAktiveDokumenter"], r["antallLagredeSvar"]) == (ak, sv), r
    # Avdelinger ordered by the chosen measure, largest first; the table's sum row adds up.
    size = defaultdict(int)
    for _, a, _, sv in rows:
        size[a] += sv
    assert body["avdelinger"] == sorted(size, key=lambda a: (-size[a], a))
    assert body["tabell"]["sum"][-1] == sum(sv for *_, sv in rows)
    # A filter on one avdeling keeps only it.
    one = body["avdelinger"][0]
    only = get(pipeline_client, f"/api/v1/etterlevelse/bruk?avdeling={one}")
    assert {r["avdeling"] for r in only["rader"]} == {one}
    assert only["tabell"]["sum"] is None  # active documents do not add up over weeks


def _active(sql) -> set[str]:
    return {
        r[0]
        for r in sql(
            "SELECT behandlingId FROM behandlinger.stage_behandlinger"
            " WHERE aktivObservasjon AND NOT slettet"
        )
    }


def test_behandlinger_by_gdpr_article_count_current_behandlinger(pipeline_client, sql):
    """Each GDPR basis counts the current, not deleted behandlinger that cite it, once each."""
    body = get(pipeline_client, "/api/v1/behandlinger/grunnlag")
    active = _active(sql)
    per = defaultdict(set)
    cited = set()
    for bid, gdpr in sql("SELECT behandlingId, gdpr FROM behandlinger.stage_behandlingsgrunnlag"):
        if bid in active:
            per[gdpr].add(bid)
            cited.add(bid)
    assert body["behandlinger"] == len(active) > 0
    assert {v["verdi"]: v["antall"] for v in body["verdier"]} == {k: len(v) for k, v in per.items()}
    assert body["uten_grunnlag"] == len(active - cited)
    counts = [v["antall"] for v in body["verdier"]]
    assert counts == sorted(counts, reverse=True)
    lov = get(pipeline_client, "/api/v1/behandlinger/grunnlag?gruppering=lov")
    assert lov["tabell"]["kolonner"][0] == "Nasjonal lov"


def test_processors_outside_the_eu_per_processor_and_country(pipeline_client, sql):
    """Processors outside the EU/EEA of current behandlinger, per processor and per country."""
    active = _active(sql)
    rows = [
        r
        for r in sql(
            "SELECT behandlingId, dataprocessorId, name, countries FROM"
            " behandlinger.stage_dataprocessors WHERE outsideEU AND NOT processorSlettet"
        )
        if r[0] in active
    ]
    body = get(pipeline_client, "/api/v1/behandlinger/databehandlere")
    per = defaultdict(set)
    for bid, pid, name, _ in rows:
        per[name or pid].add(bid)
    assert {v["navn"]: v["behandlinger"] for v in body["verdier"]} == {
        k: len(v) for k, v in per.items()
    }
    assert body["med_databehandler_utenfor_eu"] == len({r[0] for r in rows})
    answers = Counter(
        "ja" if o else "nei" if o is False else "ukjent"
        for (o,) in sql(
            "SELECT dataProcessorOutsideEU FROM behandlinger.stage_behandlinger"
            " WHERE aktivObservasjon AND NOT slettet"
        )
    )
    assert body["utenfor_eu"] == {k: answers.get(k, 0) for k in ("ja", "nei", "ukjent")}
    land = get(pipeline_client, "/api/v1/behandlinger/databehandlere?gruppering=land")
    per_land = defaultdict(set)
    for bid, _, _, countries in rows:
        for c in countries or ["Ikke oppgitt"]:
            per_land[c].add(bid)
    assert {v["navn"]: v["behandlinger"] for v in land["verdier"]} == {
        k: len(v) for k, v in per_land.items()
    }


def test_no_free_text_or_user_pseudonyms_reach_the_views(pipeline_client, sql):
    """No free-text field or user pseudonym of the source tables appears in any view's JSON."""
    secrets = {
        v
        for (v,) in sql(
            "SELECT descriptionUserNationalLaw FROM behandlinger.stage_behandlingsgrunnlag"
            " UNION SELECT description FROM behandlinger.stage_behandlinger"
            ' UNION SELECT "user" FROM etterlevelse.stage_pvk_dokument'
            ' UNION SELECT "user" FROM etterlevelse.stage_besvarelser'
        )
        if v and len(v) > 3
    }
    assert secrets
    for url in VIEWS:
        text = json.dumps(get(pipeline_client, url), ensure_ascii=False)
        leaked = [s for s in secrets if s in text]
        assert not leaked, (url, leaked[:3])


@pytest.mark.parametrize("url", VIEWS)
def test_csv_and_excel_exports_are_the_table_shown(pipeline_client, url):
    """CSV and Excel exports hold exactly the JSON's table: headers, rows and the sum row."""
    t = get(pipeline_client, url)["tabell"]
    expected = [t["kolonner"], *t["rader"], *([t["sum"]] if t["sum"] else [])]
    r = pipeline_client.get(url + "?format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))

    def text(v):
        return "" if v is None else str(v).replace(".", ",") if isinstance(v, float) else str(v)

    assert rows == [[text(v) for v in row] for row in expected]
    x = pipeline_client.get(url + "?format=xlsx")
    ws = load_workbook(io.BytesIO(x.content)).active
    assert [list(r) for r in ws.iter_rows(values_only=True)] == expected


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/api/v1/etterlevelse/sist-oppdatert?dato=i-går", "er ikke en dato"),
        ("/api/v1/etterlevelse/sist-oppdatert?dato=1990-01-01", "utenfor dataene"),
        ("/api/v1/etterlevelse/pvk-flyt?fra=2025-06-01&til=2025-01-01", "etter til-datoen"),
        ("/api/v1/etterlevelse/pvk-flyt?periode=kvartal", "må være en av"),
        ("/api/v1/etterlevelse/bruk?fra=2025-U53", "uke 53 finnes ikke i 2025"),
        ("/api/v1/etterlevelse/bruk?til=2031-U02", "etter siste uke med data"),
        ("/api/v1/etterlevelse/bruk?maal=alt", "må være en av"),
        ("/api/v1/etterlevelse/bruk?avdeling=%08&format=xlsx", "Ukjent avdeling"),
        ("/api/v1/behandlinger/grunnlag?gruppering=formaal", "må være en av"),
    ],
)
def test_bad_parameters_give_400_in_norwegian(pipeline_client, url, words):
    """Bad parameters on the new views answer 400 with a bokmål message, never a 500."""
    r = pipeline_client.get(url)
    assert r.status_code == 400, r.text
    assert words in r.json()["feil"]


@pytest.mark.parametrize(
    "page",
    [
        "/etterlevelse/sist-oppdatert",
        "/etterlevelse/pvk-flyt",
        "/etterlevelse/bruk",
        "/behandlinger/grunnlag",
        "/behandlinger/databehandlere",
    ],
)
def test_view_pages_have_labelled_controls_chart_table_and_export(pipeline_client, page):
    """Each view page has labelled controls, a described chart, a table region and export links."""
    r = pipeline_client.get(page)
    assert r.status_code == 200
    html = r.text
    assert 'data-page="visning"' in html
    assert 'role="img"' in html and 'id="tabell-v"' in html
    assert "Last ned CSV" in html and "Last ned Excel" in html
    for field in re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html):
        assert f'for="{field}"' in html, field
    twin = pipeline_client.get(page + ".json", follow_redirects=False)
    assert twin.status_code == 307 and twin.headers["location"].startswith("/api/v1/")
    # Reachable from its menu's page: /etterlevelse, or the Behandlinger menu's sub-menu.
    home = "/behandlinger/grunnlag" if page.startswith("/behandlinger/") else "/etterlevelse"
    assert f'href="{page}"' in pipeline_client.get(home).text


def test_every_dataset_card_carries_its_models_description(pipeline_client, sql):
    """The published snapshot keeps SQLMesh's descriptions: each ds_* card's line is the first
    sentence of its model's description, read here from the warehouse's own views."""
    described = dict(
        sql(
            "SELECT table_name, comment FROM duckdb_tables()"
            " WHERE schema_name = 'etterlevelse' AND table_name LIKE 'ds%'"
            " UNION ALL SELECT view_name, comment FROM duckdb_views()"
            " WHERE schema_name = 'etterlevelse' AND view_name LIKE 'ds%'"
        )
    )
    listing = get(pipeline_client, "/api/v1/etterlevelse")["datasett"]
    assert {d["navn"] for d in listing} == set(described)
    for d in listing:
        assert described[d["navn"]], d["navn"]
        assert d["kort_beskrivelse"] == first_sentence(described[d["navn"]])
        assert d["kort_beskrivelse"].startswith("Én rad per"), d
    page = html.unescape(pipeline_client.get("/etterlevelse").text)
    for d in listing:
        assert f'<p class="beskrivelse">{d["kort_beskrivelse"]}</p>' in page
