"""Gjennomføringer by name (web/gjennomforinger.py): the occupancy list, Brum's
`/gjennomforinger` in Ktor's shape, and data quality per kontor (web/datakvalitet.py), against
the published tables of the pipeline warehouse."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from metrikk.settings import Settings
from metrikk.web.app import create_app

KONTOR = "0219"
DU = "tiltak_silver.deltakelse_uke"


def get(client, url: str):
    r = client.get(url)
    assert r.status_code == 200, r.text
    return r.json()


def test_list_has_names_flags_and_enkeltplass_apart(pipeline_client, sql):
    """Every gjennomføring of the week has its name from gjennomforing_navn; rows with plasser
    are sorted by belegg and make the total; > 100 % is flagged overfull; enkeltplasser and
    rows without plasser are apart."""
    body = get(pipeline_client, f"/api/v1/gjennomforinger/liste?kontor={KONTOR}")
    names = dict(sql("SELECT gjennomforing_id, visningsnavn FROM tiltak_silver.gjennomforing_navn"))
    rows = body["rader"] + body["uten_plasser"]
    assert rows and all(r["navn"] == names[r["gjennomforing_id"]] for r in rows)
    assert not any(re.fullmatch(r"[0-9a-f-]{36}", r["navn"]) for r in rows)  # no bare UUIDs
    expected = {
        g: (d, v, p)
        for g, d, v, p in sql(
            "SELECT gjennomforing_id, antall_deltar, antall_venter, antall_plasser"
            " FROM tiltak_gold.uke_gjennomforing WHERE uke_start = ? AND gjennomforing_id IN"
            f" (SELECT gjennomforing_id FROM {DU} WHERE kontor = ? AND uke_start = ?)",
            [date(2025, 6, 23), KONTOR, date(2025, 6, 23)],
        )
    }
    assert {r["gjennomforing_id"] for r in rows} == set(expected)
    for r in body["rader"]:
        d, v, p = expected[r["gjennomforing_id"]]
        assert (r["deltar"], r["venter"], r["plasser"]) == (d, v, p) and p
        assert r["belegg"] == round(d / p, 4)
        assert ("overfull" in r["flagg"]) == (d > p)
        assert ("lang_venteliste" in r["flagg"]) == (v >= 5 and v >= 0.25 * p)
        assert not r["enkeltplass"]
    belegg = [r["belegg"] for r in body["rader"]]
    assert belegg == sorted(belegg, reverse=True)
    assert any("overfull" in r["flagg"] for r in body["rader"])
    assert all(r["enkeltplass"] or not r["plasser"] for r in body["uten_plasser"])
    s = body["sum"]
    assert s["deltar"] == sum(r["deltar"] for r in body["rader"])
    assert s["plasser"] == sum(r["plasser"] for r in body["rader"])
    assert s["belegg"] == round(s["deltar"] / s["plasser"], 4)


def test_list_export_has_names_and_notes(pipeline_client):
    """The CSV lists the names, marks «Overfull» and «Enkeltplass», after its preamble."""
    text = pipeline_client.get(
        f"/api/v1/gjennomforinger/liste?kontor={KONTOR}&format=csv"
    ).content.decode("utf-8-sig")
    head, table = text.split("\r\n\r\n", 1)
    assert "Periode;Uke 2025-U26" in head and "Syntetiske data" in head
    assert table.startswith("Gjennomføring;Tiltaksnummer;Tiltak;Deltar")
    assert ";Overfull;" in table and ";Enkeltplass;" in table and "Sum med plasser" in table


def test_brum_gjennomforinger_has_ktors_shape(pipeline_client, sql):
    """Brum /gjennomforinger: a list of {gjennomforingId, navn, startDato "YYYY-MM-DD",
    sluttDato|null} in that order: the kontor's gjennomføringer (LOKAL enhet), no
    enkeltplass, sorted by name; the same with --min-antall (it counts nobody)."""
    rows = get(pipeline_client, "/gjennomforinger")
    expected = sql(
        "SELECT n.gjennomforing_id, n.visningsnavn, n.start_dato, n.slutt_dato"
        " FROM tiltak_silver.gjennomforing_navn n WHERE NOT n.enkeltplass"
        " AND n.start_dato IS NOT NULL AND n.gjennomforing_id IN (SELECT gjennomforing_id"
        " FROM tiltak_silver.gjennomforing_lokal_enhet WHERE enhetsnummer = '0219')"
        " ORDER BY 2, 3, 1"
    )
    assert len(rows) == len(expected) > 10
    for r, (gid, navn, start, slutt) in zip(rows, expected, strict=True):
        assert list(r) == ["gjennomforingId", "navn", "startDato", "sluttDato"]
        assert r == {
            "gjennomforingId": gid,
            "navn": navn,
            "startDato": start.isoformat(),
            "sluttDato": slutt.isoformat() if slutt else None,
        }
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["startDato"])
    assert any(r["sluttDato"] is None for r in rows) or all(r["sluttDato"] for r in rows)
    week = get(pipeline_client, "/gjennomforinger?aar=2025&uke=20")
    monday, sunday = date(2025, 5, 12), date(2025, 5, 18)
    assert week and all(
        r["startDato"] <= sunday.isoformat()
        and (r["sluttDato"] is None or r["sluttDato"] >= monday.isoformat())
        for r in week
    )
    bad = pipeline_client.get("/gjennomforinger?kontor=9999")
    assert bad.status_code == 404 and list(bad.json()) == ["errorMelding"]


def test_brum_gjennomforinger_is_the_same_under_min_antall(pipeline_db, pipeline_client):
    """The list counts nobody, so --min-antall changes nothing in it."""
    with TestClient(create_app(Settings(warehouse=pipeline_db), min_antall=5)) as k5:
        assert get(k5, "/gjennomforinger") == get(pipeline_client, "/gjennomforinger")


def test_datakvalitet_per_kontor_with_shares(pipeline_client, sql):
    """With a kontor: its counted deltakelse-weeks per week from silver, the share without
    avdeling, and a note that not-counted reasons exist only nationally."""
    body = get(pipeline_client, f"/api/v1/datakvalitet?kontor={KONTOR}&fra=2025-U20&til=2025-U26")
    assert [k["verdi"] for k in body["kolonner"]] == [
        "antall_telt",
        "uten_innsatsgruppe",
        "uten_avdeling",
        "kontor_fra_fallback",
    ]
    assert all(k["forklaring"] for k in body["kolonner"])
    assert "bare for hele landet" in body["merknad"]
    expected = {
        w: (t, u)
        for w, t, u in sql(
            f"SELECT uke_start, count(*), count(*) FILTER (WHERE avdeling = 'Uten avdeling')"
            f" FROM {DU} WHERE kontor = ? AND uke_start BETWEEN ? AND ? GROUP BY 1",
            [KONTOR, date(2025, 5, 12), date(2025, 6, 23)],
        )
    }
    assert len(body["uker"]) == 7
    for u in body["uker"]:
        y, w = int(u["uke"][:4]), int(u["uke"][6:])
        t, n = expected[date.fromisocalendar(y, w, 1)]
        assert (u["antall_telt"], u["uten_avdeling"]) == (t, n)
        assert u["andel"]["uten_avdeling"] == round(100 * n / t, 1)
    assert body["totalt"]["antall_telt"] == sum(t for t, _ in expected.values())
    national = get(pipeline_client, "/api/v1/datakvalitet?fra=2025-U20&til=2025-U26")
    assert national["kontor"] is None and len(national["kolonner"]) == 8
    assert national["uker"][0]["antall_telt"] >= body["uker"][0]["antall_telt"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/tiltak/perioder?kontor=0219&avdeling=Ung&format=csv",
        "/api/v1/tiltak/uker?kontor=0219&format=csv",
        "/api/v1/datakvalitet?format=csv",
    ],
)
def test_exports_start_with_filters_period_and_synthetic(pipeline_client, url):
    """Each tiltak export's first rows name what it shows, and say «Syntetiske data»."""
    text = pipeline_client.get(url).content.decode("utf-8-sig")
    head, _ = text.split("\r\n\r\n", 1)
    labels = [line.split(";")[0] for line in head.splitlines()]
    assert "Periode" in labels and "Data" in labels, head
    assert "Syntetiske data: tallene er laget av en generator" in head
    if "avdeling=Ung" in url:
        assert "Filtre;Avdeling: Ung" in head
