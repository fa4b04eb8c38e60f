"""/behandlinger/fullstendighet and its JSON twin on a warehouse built by the REAL pipeline.

Expected figures are recomputed here from rows read with independent SQL (the published
tables), never with the web module's queries.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.slow
API = "/api/v1/behandlinger/fullstendighet"
OSLO = ZoneInfo("Europe/Oslo")


def get(client, url: str) -> dict:
    r = client.get(url)
    assert r.status_code == 200, (url, r.text[:500])
    return r.json()


def label(d) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-U{w:02d}"


def test_weekly_shares_are_the_sums_of_the_dataset(pipeline_client, sql):
    """Per week and avdeling the share is mangler / behandlinger of the dataset's rows, the total
    adds every avdeling (UKJENT included), and the default period is the last 52 weeks."""
    body = get(pipeline_client, f"{API}?indikator=DPIA_UKJENT")
    (last,) = sql("SELECT max(uke_start) FROM behandlinger.ds_fullstendighet")[0]
    assert body["periode"] == {"til": label(last), "fra": label(last - timedelta(weeks=51))}
    rows = sql(
        "SELECT uke_start, avdeling, antallBehandlinger, antallMangler FROM behandlinger.ds_fullstendighet "
        "WHERE indikator = 'DPIA_UKJENT' AND uke_start >= ?",
        [last - timedelta(weeks=51)],
    )
    per = defaultdict(lambda: [0, 0])
    tot = defaultdict(lambda: [0, 0])
    for w, a, n, m in rows:
        per[(label(w), a)][0] += n
        per[(label(w), a)][1] += m
        tot[label(w)][0] += n
        tot[label(w)][1] += m
    assert [u["uke"] for u in body["uker"]] == sorted(tot)
    for u in body["uker"]:
        n, m = tot[u["uke"]]
        assert (u["behandlinger"], u["mangler"]) == (n, m)
        assert u["andel"] == round(100 * m / n, 1)
    for s in body["serier"]:
        for u, w in zip(s["uker"], body["uker"], strict=True):
            n, m = per.get((w["uke"], s["verdi"]), (0, 0))
            assert (u["behandlinger"], u["mangler"]) == (n, m)
    names = dict(
        sql(
            "SELECT avdeling, any_value(avdelingNavn) FROM behandlinger.ds_fullstendighet GROUP BY 1"
        )
    )
    assert body["tabell"]["kolonner"] == [
        "Uke",
        *(f"{names[s['verdi']]} (%)" for s in body["serier"]),
        "Totalt (%)",
        "Aktive behandlinger",
        "Mangler",
    ]
    assert body["tabell"]["rader"][-1][-2:] == [
        body["uker"][-1]["behandlinger"],
        body["uker"][-1]["mangler"],
    ]


def test_dataset_counts_the_process_versions_current_at_the_weeks_end(sql):
    """Oracle from stage_behandlinger's history: at the end of the last week, the behandlinger
    whose latest version before Monday 00:00 (Oslo) is not a DELETE and whose period covers the
    Sunday; DPIA_UKJENT counts those without a needForDpia answer."""
    (last,) = sql("SELECT max(uke_start) FROM behandlinger.ds_fullstendighet")[0]
    end = datetime.combine(last + timedelta(days=7), time(), OSLO)
    sunday = last + timedelta(days=6)
    versions = sql(
        'SELECT behandlingId, time, action, start, "end", needForDpia, auditId FROM behandlinger.stage_behandlinger'
    )
    latest: dict[str, tuple] = {}
    for v in versions:
        t = v[1].replace(tzinfo=ZoneInfo("UTC"))
        if t < end and (v[0] not in latest or (t, v[2] == "DELETE") > latest[v[0]][0]):
            latest[v[0]] = ((t, v[2] == "DELETE"), v)
    active = [
        v
        for _, v in latest.values()
        if v[2] != "DELETE"
        and (v[3] is None or v[3] <= sunday)
        and (v[4] is None or v[4] >= sunday)
    ]
    got = sql(
        "SELECT sum(antallBehandlinger), sum(antallMangler) FROM behandlinger.ds_fullstendighet "
        "WHERE uke_start = ? AND indikator = 'DPIA_UKJENT'",
        [last],
    )[0]
    assert got == (len(active), sum(1 for v in active if v[5] is None))
    assert len(active) > 20


def test_filters_and_the_export_preamble(pipeline_client, sql):
    """Avdeling and indikator filter the answer; the CSV states period, indikator, its rule and
    the filters (avdeling by name and code) before the same table."""
    (avd, navn) = sql(
        "SELECT avdeling, any_value(avdelingNavn) FROM behandlinger.ds_fullstendighet "
        "WHERE avdeling <> 'UKJENT' GROUP BY 1 ORDER BY sum(antallBehandlinger) DESC LIMIT 1"
    )[0]
    url = f"{API}?indikator=LAGRINGSPLAN_MANGLER&avdeling={avd}&fra=2025-U01&til=2025-U10"
    body = get(pipeline_client, url)
    assert [s["verdi"] for s in body["serier"]] == [avd]
    assert body["indikator"]["verdi"] == "LAGRINGSPLAN_MANGLER"
    assert len(body["uker"]) == 10
    r = pipeline_client.get(url + "&format=csv")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    pre = {row[0]: row[1] for row in rows[: rows.index([])] if row}
    assert pre["Periode"] == "2025-U01 – 2025-U10"
    assert pre["Mål"].startswith("Mangler bevarings- og kassasjonsplan")
    assert pre["Filtre"] == f"Avdeling: {navn} ({avd})"
    assert "kassasjonsplan" in pre["Regel"]
    assert "søndag" in pre["Aktive behandlinger"]
    table = rows[rows.index([]) + 1 :]
    assert table[0] == body["tabell"]["kolonner"]
    assert [r[0] for r in table[1:]] == [r[0] for r in body["tabell"]["rader"]]
    # The same avdeling asked for by its name.
    by_name = get(
        pipeline_client,
        f"{API}?indikator=LAGRINGSPLAN_MANGLER&avdeling={navn}&fra=2025-U01&til=2025-U10",
    )
    assert by_name["uker"] == body["uker"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("indikator=NOE", r"Ukjent indikator «NOE»"),
        ("avdeling=FINNES_IKKE", r"Ukjent avdeling: «FINNES_IKKE»"),
        ("seksjon=FINNES_IKKE", r"Ukjent seksjon: «FINNES_IKKE»"),
        ("fra=2025-U20&til=2025-U10", r"Fra uke er etter til uke"),
        ("til=2099-U01", r"etter siste uke med data"),
    ],
)
def test_bad_input_gets_a_norwegian_message(pipeline_client, query, message):
    r = pipeline_client.get(f"{API}?{query}")
    assert r.status_code == 400
    assert re.search(message, r.json()["feil"]), r.json()


def test_page_has_sub_menu_filters_and_help(pipeline_client, sql):
    """The page sits in the Behandlinger sub-menu (and the other Behandlinger pages link to it),
    shows each avdeling once by name and has a help text per indikator."""
    html = pipeline_client.get("/behandlinger/fullstendighet").text
    assert 'aria-current="page">Fullstendighet</a>' in html
    assert 'href="/behandlinger/grunnlag"' in html and 'href="/behandlinger/databehandlere"' in html
    for (navn,) in sql("SELECT DISTINCT avdelingNavn FROM behandlinger.ds_fullstendighet"):
        assert html.count(f"> {navn}</label>") == 1, navn
    assert html.count("data-hjelp=") == 9
    other = pipeline_client.get("/behandlinger/grunnlag").text
    assert 'href="/behandlinger/fullstendighet"' in other
