"""JSON API over the fixture warehouse: status, content type, exact structure and numbers.

Expected numbers come from a plain-Python count over `fixture_warehouse.ROWS`, the rows the
fixture wrote, never from the code under test.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from datetime import date

import duckdb
import export_table
import fixture_warehouse as fx
import pytest
from openpyxl import load_workbook

from metrikk.web import api

JSON = "application/json"


def label(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-U{w:02d}"


def persons(**where) -> dict[tuple, set]:
    """Oracle: {(values of `by`...): set(person_id)} over fixture rows matching `where`."""
    by = where.pop("by")
    out: dict[tuple, set] = defaultdict(set)
    for r in fx.ROWS:
        if all(
            (getattr(r, k) in v) if isinstance(v, (set, list, tuple)) else getattr(r, k) == v
            for k, v in where.items()
        ):
            key = tuple(label(r.uke_start) if b == "uke" else getattr(r, b) for b in by)
            out[key].add(r.person_id)
    return out


def get_json(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(JSON)
    return r.json()


def test_meta_says_synthetic_and_names_the_published_weeks(client):
    """/api/v1/meta reports synthetic inputs and the first and last published week."""
    m = get_json(client, "/api/v1/meta")
    assert m["syntetisk"] is True
    assert m["uker"]["forste"] == label(fx.FIRST_WEEK)
    assert m["uker"]["siste"] == label(fx.LAST_WEEK)
    assert m["lastet"].startswith("2025-10-13T06:00")
    assert m["min_antall"] is None


def test_kontorer_lists_lokal_units_in_the_data_only(client):
    """The kontor list holds the LOKAL units with deltakelser, never a FYLKE unit."""
    body = get_json(client, "/api/v1/kontorer")
    assert body["standard"] == "0219"
    got = {k["enhetsnummer"]: k for k in body["kontorer"]}
    assert set(got) == {"0219", "0220"}
    assert got["0219"]["navn"] == "Nav Bærum"
    assert got["0219"]["antall_personer"] == len(
        {r.person_id for r in fx.ROWS if r.kontor == "0219"}
    )


def test_weekly_counts_per_avdeling_are_distinct_persons_per_cell(client):
    """Every (uke, avdeling) cell is the number of distinct persons in it."""
    body = get_json(client, "/api/v1/tiltak/uker?kontor=0219&gruppering=uke&gruppering=avdeling")
    assert set(body) >= {
        "gruppering",
        "gruppering_navn",
        "verdier",
        "rader",
        "totalt_per",
        "totalt",
        "kontor",
        "periode",
        "filter",
        "data",
        "min_antall",
    }
    assert body["gruppering"] == ["uke", "avdeling"]
    assert body["kontor"] == {"enhetsnummer": "0219", "navn": "Nav Bærum"}
    assert body["periode"]["fra"] == label(fx.FIRST_WEEK)
    assert body["periode"]["til"] == label(fx.LAST_WEEK)
    oracle = persons(kontor="0219", by=("uke", "avdeling"))
    for row in body["rader"]:
        assert set(row) == {"uke", "avdeling", "antall", "andel", "skjult"}
        assert row["antall"] == len(oracle.get((row["uke"], row["avdeling"]), set())), row
    per_week = persons(kontor="0219", by=("uke",))
    assert {t["uke"]: t["antall"] for t in body["totalt_per"]} == {
        k[0]: len(v) for k, v in per_week.items()
    }
    assert body["totalt"] == len({r.person_id for r in fx.ROWS if r.kontor == "0219"})


def test_rollup_over_tiltak_counts_a_person_once_not_the_sum_of_cells(client):
    """Avdeling Vest's total in the crafted week is distinct persons, less than its cell sum."""
    week = label(fx.LAST_WEEK)
    body = get_json(
        client,
        f"/api/v1/tiltak/uker?kontor=0219&fra={week}&til={week}"
        "&gruppering=avdeling&gruppering=tiltakskode",
    )
    cells = [r["antall"] for r in body["rader"] if r["avdeling"] == "Avdeling Vest"]
    total = next(t["antall"] for t in body["totalt_per"] if t["avdeling"] == "Avdeling Vest")
    expected = persons(
        kontor="0219", uke_start=fx.LAST_WEEK, avdeling="Avdeling Vest", by=("avdeling",)
    )
    assert total == len(expected[("Avdeling Vest",)])
    assert sum(cells) > total  # p-dobbel is on two tiltak that week
    # And grouping by avdeling alone gives the same distinct figure.
    only = get_json(
        client, f"/api/v1/tiltak/uker?kontor=0219&fra={week}&til={week}&gruppering=avdeling"
    )
    assert next(r["antall"] for r in only["rader"] if r["avdeling"] == "Avdeling Vest") == total


def test_zero_fill_returns_every_requested_week_and_group(client):
    """Every week × requested group is present, zero where nobody took part."""
    url = (
        "/api/v1/tiltak/uker?kontor=0220&gruppering=uke&gruppering=tiltakskode"
        "&tiltakskode=MIDLONTIL&tiltakskode=AMO&tiltakskode=FINNES_IKKE"
    )
    body = get_json(client, url)
    weeks = [label(w) for w in fx.WEEKS]
    got = {(r["uke"], r["tiltakskode"]): r["antall"] for r in body["rader"]}
    assert set(got) == {(w, k) for w in weeks for k in ("MIDLONTIL", "AMO", "FINNES_IKKE")}
    assert all(got[(w, "FINNES_IKKE")] == 0 for w in weeks)
    oracle = persons(kontor="0220", tiltakskode={"MIDLONTIL", "AMO"}, by=("uke", "tiltakskode"))
    for (w, k), n in got.items():
        assert n == len(oracle.get((w, k), set()))
    assert 0 in got.values()
    assert [v["verdi"] for v in body["verdier"]["uke"]] == weeks


def test_filters_narrow_the_counted_persons(client):
    """Avdeling and innsatsgruppe filters count only matching deltakelser."""
    url = (
        "/api/v1/tiltak/uker?kontor=0219&gruppering=uke&avdeling=Avdeling%20%C3%98st"
        "&innsatsgruppe=TRENGER_VEILEDNING&innsatsgruppe=GODE_MULIGHETER"
    )
    body = get_json(client, url)
    oracle = persons(
        kontor="0219",
        avdeling="Avdeling Øst",
        innsatsgruppe={"TRENGER_VEILEDNING", "GODE_MULIGHETER"},
        by=("uke",),
    )
    assert {r["uke"]: r["antall"] for r in body["rader"]} == {
        label(w): len(oracle.get((label(w),), set())) for w in fx.WEEKS
    }
    assert body["filter"]["avdeling"] == ["Avdeling Øst"]


def test_period_as_iso_week_or_aar_uke_gives_the_same_answer(client):
    """fra/til as 2025-W37 / 2025-U39 and as aar+uke select the same weeks."""
    a = get_json(client, "/api/v1/tiltak/uker?kontor=0219&fra=2025-W37&til=2025-U39")
    b = get_json(
        client, "/api/v1/tiltak/uker?kontor=0219&fra_aar=2025&fra_uke=37&til_aar=2025&til_uke=39"
    )
    assert a["rader"] == b["rader"]
    assert [r["uke"] for r in a["rader"]] == ["2025-U37", "2025-U38", "2025-U39"]
    assert a["periode"]["antall_uker"] == 3


def test_groups_are_sorted_by_size_by_default_and_by_name_on_request(client):
    """Avdelinger come largest first by default and alphabetically with sorter=navn."""
    body = get_json(client, "/api/v1/tiltak/uker?kontor=0219&gruppering=avdeling")
    sizes = [r["antall"] for r in body["rader"]]
    assert sizes == sorted(sizes, reverse=True)
    by_name = get_json(client, "/api/v1/tiltak/uker?kontor=0219&gruppering=avdeling&sorter=navn")
    names = [r["avdeling"] for r in by_name["rader"]]
    assert names == sorted(names, key=str.casefold)


def test_percent_shares_add_up_to_100_per_x_value(client):
    """The andel of the series within each week adds up to exactly 100."""
    body = get_json(
        client, "/api/v1/tiltak/uker?kontor=0219&gruppering=uke&gruppering=innsatsgruppe"
    )
    by_week: dict[str, list] = defaultdict(list)
    for r in body["rader"]:
        by_week[r["uke"]].append(r)
    for rows in by_week.values():
        assert round(sum(r["andel"] for r in rows), 6) == 100.0
        total = sum(r["antall"] for r in rows)
        for r in rows:
            assert abs(r["andel"] - 100 * r["antall"] / total) <= 0.1


def test_filter_options_for_a_kontor(client):
    """/tiltak/valg lists the avdelinger, innsatsgrupper and tiltak of the kontor."""
    body = get_json(client, "/api/v1/tiltak/valg?kontor=0220")
    assert body["kontor"]["navn"] == "Nav Asker"
    assert [o["verdi"] for o in body["valg"]["avdeling"]] == sorted(
        {r.avdeling for r in fx.ROWS if r.kontor == "0220"}
    )
    kodes = {o["verdi"]: o["navn"] for o in body["valg"]["tiltakskode"]}
    assert kodes == {
        r.tiltakskode: fx.TILTAK_NAVN[r.tiltakskode] for r in fx.ROWS if r.kontor == "0220"
    }


# --- Brum compatibility ---------------------------------------------------------------------


def test_uke_antall_has_brums_exact_shape_and_order(client):
    """/ukeAntall returns Brum's {aar, uke, headers, data, dataAvdeling}, sorted as Brum did."""
    body = get_json(client, "/ukeAntall?aar=2025&uke=41&kontor=0219")
    assert list(body) == ["aar", "uke", "headers", "data", "dataAvdeling"]
    assert (body["aar"], body["uke"]) == (2025, 41)
    week = [r for r in fx.ROWS if r.kontor == "0219" and r.uke_start == fx.LAST_WEEK]
    headers = sorted({fx.TILTAK_NAVN[r.tiltakskode] for r in week})
    assert body["headers"] == headers
    cells = defaultdict(set)
    avd = defaultdict(set)
    for r in week:
        cells[(r.avdeling, r.innsatsgruppe, fx.TILTAK_NAVN[r.tiltakskode])].add(r.person_id)
        avd[(r.avdeling, fx.TILTAK_NAVN[r.tiltakskode])].add(r.person_id)
    pairs = sorted({(a, i) for a, i, _ in cells})
    assert [(d["avdeling"], d["innsatsgruppe"]) for d in body["data"]] == pairs
    for d in body["data"]:
        assert list(d) == ["avdeling", "innsatsgruppe", "verdier"]
        assert d["verdier"] == [
            len(cells.get((d["avdeling"], d["innsatsgruppe"], h), ())) for h in headers
        ]
    assert [d["avdeling"] for d in body["dataAvdeling"]] == sorted({a for a, _ in avd})
    for d in body["dataAvdeling"]:
        assert list(d) == ["avdeling", "verdier"]
        assert d["verdier"] == [len(avd.get((d["avdeling"], h), ())) for h in headers]


def test_uke_antall_defaults_to_nav_baerum(client):
    """Without kontor, /ukeAntall serves Nav Bærum (0219) as Brum did."""
    assert (
        client.get("/ukeAntall?aar=2025&uke=41").json()
        == client.get("/ukeAntall?aar=2025&uke=41&kontor=0219").json()
    )


def test_uke_antall_for_a_week_without_data_is_empty_not_an_error(client):
    """A valid week with no rows gives empty headers and data."""
    body = get_json(client, "/ukeAntall?aar=2024&uke=10")
    assert body == {"aar": 2024, "uke": 10, "headers": [], "data": [], "dataAvdeling": []}


def test_brum_gjennomforinger_and_status(client):
    """/gjennomforinger answers in Ktor's shape: a list of {gjennomforingId, navn, startDato,
    sluttDato|null} of the kontor's gjennomføringer (no enkeltplass), sorted by name; and
    /status answers ok."""
    rows = get_json(client, "/gjennomforinger")  # the default kontor, 0219
    assert [list(r) for r in rows] == [["gjennomforingId", "navn", "startDato", "sluttDato"]] * 3
    assert rows == [
        {
            "gjennomforingId": "g-amo-1",
            "navn": "2025#100200 Arbeidsmarkedsopplæring (AMO)",
            "startDato": "2025-08-04",
            "sluttDato": "2025-12-19",
        },
        {
            "gjennomforingId": "g-amo-2",
            "navn": "AMO kurs Bærum høst 2025",
            "startDato": "2025-09-01",
            "sluttDato": "2025-09-26",
        },
        {
            "gjennomforingId": "g-arbforb-1",
            "navn": "Arbeidsforberedende trening - Frisk AS Bærum",
            "startDato": "2024-01-08",
            "sluttDato": None,
        },
    ]
    asker = get_json(client, "/gjennomforinger?kontor=0220")
    assert [r["gjennomforingId"] for r in asker] == ["g-amo-1", "g-oppf-1"]
    # aar + uke: only those running that week (g-amo-2 ended on 2025-09-26, in week 39).
    week40 = get_json(client, "/gjennomforinger?aar=2025&uke=40")
    assert [r["gjennomforingId"] for r in week40] == ["g-amo-1", "g-arbforb-1"]
    bad = client.get("/gjennomforinger?aar=2025")
    assert bad.status_code == 400 and "errorMelding" in bad.json()
    status = get_json(client, "/status")
    assert list(status) == ["status", "oppetid"] and status["status"] == "ok"
    assert re.fullmatch(r"\d{2,}:[0-5]\d:[0-5]\d", status["oppetid"]), status  # Ktor's HH:MM:SS


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "00:00:00"),
        (59.9, "00:00:59"),
        (61, "00:01:01"),
        (3 * 3600 + 7, "03:00:07"),
        (100 * 3600 + 61, "100:01:01"),
    ],
)
def test_status_oppetid_is_formatted_as_ktor_does(seconds, text):
    """Uptime is "%02d:%02d:%02d" of hours, minutes and seconds, as Brum's tilOppetid."""
    from metrikk.web.api import oppetid

    assert oppetid(seconds) == text


# --- bad input: 400 with a Norwegian message ------------------------------------------------


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/ukeAntall?aar=2025&uke=53", "uke 53 finnes ikke i 2025"),
        ("/ukeAntall?aar=2025", "«uke» mangler"),
        ("/ukeAntall?aar=tjue&uke=3", "«aar» må være et heltall"),
        ("/ukeAntall?aar=2025&uke=0", "«uke» må være minst 1"),
        ("/api/v1/tiltak/uker?fra=2025-U53", "uke 53 finnes ikke i 2025"),
        ("/api/v1/tiltak/uker?til=2025-U45", "etter siste uke med data (2025-U41)"),
        ("/api/v1/tiltak/uker?fra=2025-U40&til=2025-U38", "må være før eller lik til uke"),
        ("/api/v1/tiltak/uker?fra=forrige%20uke", "er ikke en uke"),
        ("/api/v1/tiltak/uker?fra_aar=2025", "oppgi både år og uke"),
        ("/api/v1/tiltak/uker?gruppering=kommune", "«gruppering.0» må være en av"),
        ("/api/v1/tiltak/uker?format=pdf", "«format» må være en av"),
        ("/api/v1/etterlevelse/ds_varslinger_tid?grense=0", "«grense» må være minst 1"),
    ],
)
def test_bad_parameters_give_400_with_a_norwegian_message(client, url, words):
    """Bad parameters are refused with 400 and a message in bokmål that names the problem;
    the Brum routes use Ktor's key `errorMelding`, the rest `feil`."""
    body = get_json(client, url, status=400)
    key = "errorMelding" if url.startswith("/ukeAntall") else "feil"
    assert list(body) == [key], body
    assert words.casefold() in body[key].casefold(), body


def test_unknown_kontor_and_dataset_give_404_in_norwegian(client):
    """An unknown kontor or etterlevelse dataset is a 404 with a Norwegian message."""
    assert "Fant ikke" not in get_json(client, "/api/v1/kontorer")
    assert "finnes ikke" in get_json(client, "/api/v1/tiltak/uker?kontor=0600", 404)["feil"]
    assert "Fant ikke datasettet" in get_json(client, "/api/v1/etterlevelse/ds_ukjent", 404)["feil"]


def test_week_53_is_accepted_in_a_53_week_year(client):
    """2026 has an ISO week 53, so it is refused only for lying after the data."""
    body = get_json(client, "/api/v1/tiltak/uker?til=2026-U53", 400)
    assert "etter siste uke med data" in body["feil"]


# --- export ---------------------------------------------------------------------------------


def test_csv_export_is_the_table_with_norwegian_headers(client):
    """CSV export has the pivot the dashboard shows: one row per week, a column per avdeling."""
    base = "/api/v1/tiltak/uker?kontor=0219&gruppering=uke&gruppering=avdeling"
    data = client.get(base).json()
    r = client.get(base + "&format=csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    preamble, rows = export_table.split(
        list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    )
    assert preamble[0] == ["Kontor", "Nav Bærum (0219)"]
    assert preamble[-1][0] == "Data" and preamble[-1][1].startswith("Syntetiske data")
    avd = [v["navn"] for v in data["verdier"]["avdeling"]]
    assert rows[0] == ["Uke", *avd, "Totalt (unike personer)"]
    assert [row[0] for row in rows[1:]] == [label(w) for w in fx.WEEKS]
    cell = {(x["uke"], x["avdeling"]): x["antall"] for x in data["rader"]}
    for row in rows[1:]:
        assert [int(v) for v in row[1:-1]] == [cell[(row[0], a)] for a in avd]


def test_excel_export_matches_the_json(client):
    """The .xlsx export holds the same numbers as the JSON, with percent shares on request."""
    base = "/api/v1/tiltak/uker?kontor=0219&gruppering=uke&gruppering=tiltakskategori"
    data = client.get(base).json()
    r = client.get(base + "&format=xlsx&visning=prosent")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    ws = load_workbook(io.BytesIO(r.content)).active
    preamble, rows = export_table.split([list(r) for r in ws.iter_rows(values_only=True)])
    assert ["Mål", "Andel (%) av unike personer"] in preamble
    kat = [v["navn"] for v in data["verdier"]["tiltakskategori"]]
    assert list(rows[0]) == ["Uke", *kat]
    for row in rows[1:]:
        assert round(sum(v for v in row[1:]), 6) == 100.0


def test_gjennomforing_belegg_per_week(client):
    """Weekly belegg is deltar over plasser, counting only gjennomføringer with plasser."""
    body = get_json(client, "/api/v1/gjennomforinger/uker?kontor=0219")
    for week in body["uker"]:
        rows = [r for r in body["rader"] if r["uke"] == week["uke"]]
        with_cap = [r for r in rows if r["plasser"]]
        assert week["deltar"] == sum(r["deltar"] for r in rows)
        assert week["plasser"] == sum(r["plasser"] for r in with_cap)
        if with_cap:
            assert week["belegg"] == pytest.approx(
                sum(r["deltar"] for r in with_cap) / week["plasser"], abs=1e-4
            )
    assert any(r["belegg"] is None for r in body["rader"])  # g-amo-2 has no plasser
    assert sum(w["gjennomforinger"] for w in body["uker"]) == len(body["rader"])


def test_gjennomforing_rows_for_the_last_week_only(client):
    """rader=siste keeps the weekly sums of the whole period but lists only the last week."""
    alle = get_json(client, "/api/v1/gjennomforinger/uker?kontor=0219")
    siste = get_json(client, "/api/v1/gjennomforinger/uker?kontor=0219&rader=siste")
    last = alle["periode"]["til"]
    assert siste["uker"] == alle["uker"]
    assert siste["rader"] == [r for r in alle["rader"] if r["uke"] == last]
    assert siste["rader"], "the fixture has gjennomføringer in the last week"
    r = client.get("/api/v1/gjennomforinger/uker?rader=noen")
    assert r.status_code == 400 and "feil" in r.json()


def test_datakvalitet_is_zero_filled_per_week(client):
    """The data quality series has one entry per week of the period with every measure."""
    body = get_json(client, "/api/v1/datakvalitet")
    assert [u["uke"] for u in body["uker"]] == [label(w) for w in fx.WEEKS]
    counted = defaultdict(int)
    for r in fx.ROWS:
        counted[label(r.uke_start)] += 1
    assert {u["uke"]: u["antall_telt"] for u in body["uker"]} == counted


def test_etterlevelse_datasets_are_read_generically(client):
    """Each etterlevelse.ds_* table is listed with its columns and served with its rows."""
    listing = get_json(client, "/api/v1/etterlevelse")
    names = [d["navn"] for d in listing["datasett"]]
    assert names == ["ds_bruk_uke", "ds_sist_oppdatert", "ds_varslinger_tid"]
    body = get_json(client, "/api/v1/etterlevelse/ds_bruk_uke")
    assert [{k: c[k] for k in ("navn", "type")} for c in body["kolonner"]] == [
        {"navn": "aar", "type": "BIGINT"},
        {"navn": "uke", "type": "BIGINT"},
        {"navn": "uke_start", "type": "DATE"},
        {"navn": "avdeling", "type": "VARCHAR"},
        {"navn": "antallAktiveDokumenter", "type": "BIGINT"},
    ]
    assert body["totalt"] == 20 and len(body["rader"]) == 20
    assert body["sortert_etter"] == "uke_start"  # first time column by default
    starts = [r["uke_start"] for r in body["rader"]]
    assert starts == sorted(starts)
    by_count = get_json(
        client, "/api/v1/etterlevelse/ds_bruk_uke?sorter=antallAktiveDokumenter&grense=3"
    )
    assert [r["antallAktiveDokumenter"] for r in by_count["rader"]] == [10, 13, 15]
    assert by_count["vist"] == 3 and by_count["totalt"] == 20
    bad = get_json(client, "/api/v1/etterlevelse/ds_bruk_uke?sorter=finnes_ikke", 400)
    assert "har ingen kolonne «finnes_ikke»" in bad["feil"]
    csv_r = client.get("/api/v1/etterlevelse/ds_sist_oppdatert?format=csv")
    lines = csv_r.content.decode("utf-8-sig").splitlines()
    blank = lines.index("")
    assert lines[:2] == ["Datasett;ds_sist_oppdatert", "Rader;alle 7, sortert etter sist_oppdatert"]
    assert lines[blank + 1] == "etterlevelseDokumentasjonId;sist_oppdatert;antall_besvarelser"
    assert len(lines) - blank - 2 == 7


def test_etterlevelse_exports_say_when_they_are_cut(client, monkeypatch):
    """A ds_* export holds the whole dataset or says it does not: with grense= its preamble names
    the rows left out, and without it a dataset over the export cap is refused, never cut."""
    cut = client.get("/api/v1/etterlevelse/ds_bruk_uke?format=csv&grense=3")
    lines = cut.content.decode("utf-8-sig").splitlines()
    assert "Rader;de første 3 av 20, sortert etter uke_start" in lines
    assert len(lines) - lines.index("") - 2 == 3
    monkeypatch.setattr(api, "MAX_ETTERLEVELSE_ROWS", 19)
    refused = get_json(client, "/api/v1/etterlevelse/ds_bruk_uke?format=xlsx", 400)
    assert "har 20 rader; en eksport har høyst 19" in refused["feil"]
    assert (
        get_json(client, "/api/v1/etterlevelse/ds_bruk_uke")["vist"] == 20
    )  # JSON: the first 5000


def test_the_app_never_holds_the_warehouse_open(client, fixture_db):
    """After a request a writer can open the warehouse read-write (DESIGN "one writer")."""
    client.get("/api/v1/tiltak/uker")
    con = duckdb.connect(str(fixture_db))  # raises if a reader still holds the file
    con.close()


def test_missing_tables_give_503_not_500(tmp_path):
    """An empty warehouse answers 503 with a Norwegian hint instead of crashing."""
    from fastapi.testclient import TestClient

    from metrikk.settings import Settings
    from metrikk.warehouse import ensure_warehouse
    from metrikk.web.app import create_app

    wh = tmp_path / "tom.duckdb"
    ensure_warehouse(wh)
    c = TestClient(create_app(Settings(warehouse=wh)))
    r = c.get("/api/v1/tiltak/uker")
    assert r.status_code == 503
    assert "metrikk run" in r.json()["feil"]
    brum = c.get("/ukeAntall?aar=2025&uke=3")
    assert brum.status_code == 503 and "metrikk run" in brum.json()["errorMelding"]
    assert c.get("/tiltak").status_code == 200
    missing = TestClient(create_app(Settings(warehouse=tmp_path / "finnes-ikke.duckdb")))
    assert missing.get("/api/v1/meta").status_code == 503


def test_reads_the_published_snapshot_when_there_is_one(tmp_path):
    """The app reads the snapshot that the publisher's `CURRENT` pointer names, per request."""
    from fastapi.testclient import TestClient

    from metrikk.publish import snapshot_dir
    from metrikk.settings import Settings
    from metrikk.web.app import create_app

    warehouse = fx.build(tmp_path / "metrikk.duckdb", syntetisk=True)
    folder = snapshot_dir(warehouse)
    folder.mkdir()
    fx.build(folder / "snapshot-1.duckdb", syntetisk=False)
    c = TestClient(create_app(Settings(warehouse=warehouse)))
    assert c.get("/api/v1/meta").json()["syntetisk"] is True  # no snapshot yet: the warehouse
    (folder / "CURRENT").write_text("snapshot-1.duckdb\n", encoding="utf-8")  # as publish() does
    assert c.get("/api/v1/meta").json()["syntetisk"] is False  # picked up without a restart
    con = duckdb.connect(str(warehouse))  # the warehouse itself is not held open
    con.close()


DIMS = ["uke", "avdeling", "innsatsgruppe", "tiltakskode", "tiltaksnavn", "tiltakskategori"]


@pytest.mark.parametrize("x", DIMS)
def test_every_grouping_pair_sort_and_export_answers(client, x):
    """Every x axis with every series (or none), both sort orders, JSON and CSV, answers 200."""
    for i, serie in enumerate([None, *DIMS]):
        url = f"/api/v1/tiltak/uker?kontor=0219&fra=2025-U40&gruppering={x}"
        if serie:
            url += f"&gruppering={serie}"
        url += "&sorter=" + ("navn" if i % 2 else "storrelse")
        body = get_json(client, url)
        dims = list(dict.fromkeys([x, serie] if serie else [x]))
        if "tiltakskode" in dims and "tiltaksnavn" in dims:
            dims.remove("tiltaksnavn")
        assert body["gruppering"] == dims
        n = 1
        for d in dims:
            n *= len(body["verdier"][d])
        assert len(body["rader"]) == n  # zero-filled cross product
        r = client.get(url + "&format=csv&visning=" + ("prosent" if i % 2 else "antall"))
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
