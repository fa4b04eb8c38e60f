"""«Denne uken» (web/denne_uken.py) against independent SQL on the pipeline warehouse, and its
protection under --min-antall."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from metrikk.settings import Settings
from metrikk.web.app import create_app
from metrikk.web.denne_uken import same_week_last_year

KONTOR = "0219"
DU = "tiltak_silver.deltakelse_uke"


def get(client, url: str) -> dict:
    r = client.get(url)
    assert r.status_code == 200, r.text
    return r.json()


def distinct(sql, week: date, group: str | None = None) -> dict:
    cols = f"{group}, " if group else ""
    rows = sql(
        f"SELECT {cols}count(DISTINCT person_id) FROM {DU} WHERE kontor = ? AND uke_start = ?"
        + (f" GROUP BY {group}" if group else ""),
        [KONTOR, week],
    )
    return {tuple(r[:-1]) if len(r) > 2 else r[0] if group else None: r[-1] for r in rows}


def test_same_week_last_year_and_week_53():
    """Week 53 has no same week in a 52-week year; others map to the same ISO week."""
    assert same_week_last_year(date(2025, 6, 23)) == (date(2024, 6, 24), None)
    monday = date.fromisocalendar(2026, 53, 1)
    assert same_week_last_year(monday) == (None, "2025 har ingen uke 53.")


def test_this_week_table_and_totals_are_distinct_persons(pipeline_client, sql):
    """Cells, row totals, column totals and the grand total for this week, last week and the
    same week last year equal COUNT(DISTINCT person_id) in silver; the changes are the
    differences."""
    body = get(pipeline_client, f"/api/v1/tiltak/denne-uken?kontor={KONTOR}")
    (last,) = sql(f"SELECT max(uke_start) FROM {DU}")[0]
    assert body["uke"]["verdi"] == "2025-U26" and body["uke"]["start"] == last.isoformat()
    weeks = {"antall": last, "forrige_uke": date(2025, 6, 16), "i_fjor": date(2024, 6, 24)}
    assert (body["uke"]["forrige"], body["uke"]["i_fjor"]) == ("2025-U25", "2024-U26")
    cols = [c["verdi"] for c in body["kolonner"]]
    for field, week in weeks.items():
        cells = {
            (t, a): n
            for t, a, n in sql(
                f"SELECT tiltakskode, avdeling, count(DISTINCT person_id) FROM {DU}"
                " WHERE kontor = ? AND uke_start = ? GROUP BY 1, 2",
                [KONTOR, week],
            )
        }
        rows = distinct(sql, week, "tiltakskode")
        columns = distinct(sql, week, "avdeling")
        for r in body["rader"]:
            assert [c[field] for c in r["celler"]] == [cells.get((r["verdi"], a), 0) for a in cols]
            assert r["totalt"][field] == rows.get(r["verdi"], 0)
        assert [c[field] for c in body["totalt_per_kolonne"]] == [columns.get(a, 0) for a in cols]
        assert body["totalt"][field] == distinct(sql, week)[None]
    t = body["totalt"]
    assert sum(r["totalt"]["antall"] for r in body["rader"]) > t["antall"]  # never a sum
    assert t["endring_uke"]["antall"] == t["antall"] - t["forrige_uke"]
    assert t["endring_aar"]["prosent"] == round(100 * (t["antall"] - t["i_fjor"]) / t["i_fjor"], 1)
    totals = [r["totalt"]["antall"] for r in body["rader"]]
    assert totals == sorted(totals, reverse=True)


def test_tiles(pipeline_client, sql):
    """På tiltak, startet and sluttet are distinct persons; venter and belegg are the week's
    gjennomføring sums of the kontor (as on the gjennomføring page)."""
    body = get(pipeline_client, f"/api/v1/tiltak/denne-uken?kontor={KONTOR}")
    tiles = {f["id"]: f for f in body["fliser"]}
    assert list(tiles) == [
        "paa_tiltak",
        "startet",
        "sluttet",
        "venter",
        "belegg",
        "andel_paa_tiltak",
    ]
    week = date(2025, 6, 23)
    assert tiles["paa_tiltak"]["antall"] == body["totalt"]["antall"]
    started, ended = sql(
        f"SELECT count(DISTINCT person_id) FILTER (WHERE startet),"
        f" count(DISTINCT person_id) FILTER (WHERE sluttet) FROM {DU}"
        " WHERE kontor = ? AND uke_start = ?",
        [KONTOR, week],
    )[0]
    assert (tiles["startet"]["antall"], tiles["sluttet"]["antall"]) == (started, ended)
    weekly = get(pipeline_client, f"/api/v1/gjennomforinger/uker?kontor={KONTOR}&fra=2025-U26")
    (u,) = weekly["uker"]
    assert tiles["venter"]["antall"] == u["venter"]
    assert tiles["belegg"]["antall"] == round(100 * u["belegg"], 1)
    assert all(f["hjelp_tekst"] for f in body["fliser"])


def test_rows_by_kategori_and_columns_by_innsatsgruppe(pipeline_client, sql):
    """rader=tiltakskategori&kolonner=innsatsgruppe regroups; the grand total stays the same."""
    a = get(pipeline_client, f"/api/v1/tiltak/denne-uken?kontor={KONTOR}")
    b = get(
        pipeline_client,
        f"/api/v1/tiltak/denne-uken?kontor={KONTOR}&rader=tiltakskategori&kolonner=innsatsgruppe",
    )
    assert b["rader_navn"] == "Tiltakskategori" and b["kolonner_navn"] == "Innsatsgruppe"
    assert {r["verdi"] for r in b["rader"]} <= {
        "GRUPPE",
        "ENKELTPLASS",
        "ARBEIDSGIVER",
        "EGEN_REGI",
    }
    assert b["totalt"] == a["totalt"]
    r = pipeline_client.get(f"/api/v1/tiltak/denne-uken?kontor={KONTOR}&uke=2021-U10")
    assert r.status_code == 400 and "har ingen publiserte data" in r.json()["feil"]


def test_export_starts_with_what_it_shows(pipeline_client):
    """The CSV says kontor, week, what it compares with and «Syntetiske data» before the table,
    which has the page's rows and the changes."""
    text = pipeline_client.get(
        f"/api/v1/tiltak/denne-uken?kontor={KONTOR}&format=csv"
    ).content.decode("utf-8-sig")
    head, table = text.split("\r\n\r\n", 1)
    assert head.splitlines()[0] == "Kontor;Nav Bærum (0219)"
    assert "Periode;Uke 2025-U26 (2025-06-23 – 2025-06-29)" in head
    assert "Syntetiske data" in head
    lines = table.splitlines()
    assert lines[0].startswith("Tiltak;") and "Endring fra forrige uke (%)" in lines[0]
    assert lines[-1].startswith("Totalt (unike personer);")


@pytest.fixture(scope="module", name="k5")
def _k5(pipeline_db):
    with TestClient(create_app(Settings(warehouse=pipeline_db), min_antall=5)) as c:
        yield c


def test_protected_under_min_antall(k5):
    """Under K = 5 every count is 0, «<5» or a multiple of 5, and changes come from the shown
    numbers (none where either side is hidden)."""
    body = get(k5, "/api/v1/tiltak/denne-uken?kontor=0220")
    figures = [c for r in body["rader"] for c in r["celler"]] + [r["totalt"] for r in body["rader"]]
    figures += body["totalt_per_kolonne"] + [body["totalt"]]
    figures += [f for f in body["fliser"] if f["enhet"] != "prosent"]
    for f in figures:
        for key in ("antall", "forrige_uke", "i_fjor"):
            v = f[key]
            assert v is None or v == "<5" or (isinstance(v, int) and v % 5 == 0), (key, f)
        for key, other in (("endring_uke", "forrige_uke"), ("endring_aar", "i_fjor")):
            shown = isinstance(f["antall"], int) and isinstance(f[other], int)
            assert (f[key]["antall"] is None) == (not shown)
            if shown:
                assert f[key]["antall"] == f["antall"] - f[other]
