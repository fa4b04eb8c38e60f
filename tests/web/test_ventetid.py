"""«Ventetid» (/api/v1/tiltak/ventetid, web/ventetid.py) against an oracle computed in plain
Python from the fixture's list of oppstarter (fixture_warehouse.oppstarter_of), not from the
warehouse's tables."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import export_table
import fixture_warehouse as fx

from metrikk.web import perioder
from metrikk.web.suppression import protect

KONTOR = "0219"
OPPSTARTER = fx.oppstarter_of(fx.ROWS)
URL = "/api/v1/tiltak/ventetid"


def get(client, url: str) -> dict:
    r = client.get(url)
    assert r.status_code == 200, r.text
    return r.json()


def oracle(key, kontor: str = KONTOR, **filters: str) -> dict:
    """{key(oppstart): [ventedager, …]} for the kontor's oppstarter matching the filters."""
    out: dict = defaultdict(list)
    for o in OPPSTARTER:
        if o.kontor == kontor and all(getattr(o, f) == v for f, v in filters.items()):
            out[key(o)].append(o.ventedager)
    return out


def expect(days: list[int]) -> dict:
    n = len(days)
    out = {
        "antall_oppstart": n,
        "snitt_ventedager": round(sum(days) / n, 1) if n else None,
    }
    for limit in (14, 30, 90):
        over = sum(1 for d in days if d > limit)  # more than: 30 days is not over 30
        out[f"ventet_over_{limit}"] = over
        out[f"andel_over_{limit}"] = round(100 * over / n, 1) if n else None
    return out


def test_per_tiltak_and_month_mean_and_shares_over_14_30_90(client):
    """Per tiltak over the period, per month and in all: oppstarter, mean ventedager
    (sum / oppstarter), and the number and share that waited more than 14, 30 and 90 days."""
    assert {30, 31, 90, 91} <= {o.ventedager for o in OPPSTARTER if o.kontor == KONTOR}
    body = get(client, f"{URL}?kontor={KONTOR}&periode=maned&fra=2025-09&til=2025-10")
    per_code = oracle(lambda o: o.tiltakskode)
    assert {s["verdi"] for s in body["sammendrag"]} == set(per_code)
    for s in body["sammendrag"]:
        got = {k: s[k] for k in expect([])}
        assert got == expect(per_code[s["verdi"]]), s["verdi"]
        assert s["navn"] == fx.TILTAK_NAVN[s["verdi"]]
    sizes = [s["antall_oppstart"] for s in body["sammendrag"]]
    assert sizes == sorted(sizes, reverse=True)
    per_month = oracle(lambda o: perioder.key("maned", o.uke_start))
    assert [r["periode"] for r in body["utvikling"]] == ["2025-09", "2025-10"]
    for r in body["utvikling"]:
        assert {k: r[k] for k in expect([])} == expect(per_month[r["periode"]])
    everything = [d for days in per_code.values() for d in days]
    assert {k: body["totalt"][k] for k in expect([])} == expect(everything)


def test_by_tiltaksgruppe_with_a_filter_reads_the_kontor_own_groups(client):
    """Bærum's own group «Opplæring» holds AMO and Enkel AMO: grouped by tiltaksgruppe and
    filtered to it, one row with both codes' oppstarter; per week as well."""
    body = get(
        client,
        f"{URL}?kontor={KONTOR}&periode=uke&gruppering=tiltaksgruppe&tiltaksgruppe=Opplæring",
    )
    assert [s["verdi"] for s in body["sammendrag"]] == ["Opplæring"]
    days = oracle(lambda o: o.tiltaksgruppe, tiltaksgruppe="Opplæring")["Opplæring"]
    assert len(days) == len(
        [o for o in OPPSTARTER if o.kontor == KONTOR and o.tiltakskode in ("AMO", "ENKELAMO")]
    )
    assert {k: body["sammendrag"][0][k] for k in expect([])} == expect(days)
    weekly = oracle(lambda o: o.uke_start, tiltaksgruppe="Opplæring")
    for r, week in zip(body["utvikling"], fx.WEEKS, strict=True):
        assert {k: r[k] for k in expect([])} == expect(weekly.get(week, []))
    # all groups of the kontor, by the contract's fallback for codes without a row
    body = get(client, f"{URL}?kontor={KONTOR}&gruppering=tiltaksgruppe")
    assert {s["verdi"] for s in body["sammendrag"]} == {
        fx.tiltaksgruppe(KONTOR, o.tiltakskode) for o in OPPSTARTER if o.kontor == KONTOR
    }


def test_the_export_states_its_filters_and_equals_the_json(client):
    url = f"{URL}?kontor={KONTOR}&tiltakskode=AMO"
    body = get(client, url)
    r = client.get(url + "&format=csv&tabell=utvikling")
    assert r.status_code == 200 and "ventetid_0219" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    preamble, table = export_table.split(rows)
    pre = dict(preamble)
    assert pre["Filtre"] == "Tiltak: Arbeidsmarkedsopplæring (AMO)"
    assert pre["Kontor"] == "Nav Bærum (0219)" and "Syntetiske data" in pre["Data"]
    assert table[0] == [
        "Periode",
        "Oppstarter",
        "Snitt ventetid (dager)",
        "Ventet over 30 dager",
        "Andel over 30 dager (%)",
    ]
    assert [row[0] for row in table[1:]] == [u["navn"] for u in body["utvikling"]] + ["Totalt"]
    assert [row[1] for row in table[1:]] == [
        str(u["antall_oppstart"]) for u in body["utvikling"]
    ] + [str(body["totalt"]["antall_oppstart"])]


def test_under_min_antall_counts_are_protected_shares_of_shown_numbers_mean_hidden_with_n(
    client_k5,
):
    """K = 5: oppstarter and those over 14/30/90 are protected counts; a share is of the shown
    numbers; the mean is in whole days, and absent when the number of oppstarter is hidden."""
    body = get(client_k5, f"{URL}?kontor={KONTOR}&periode=uke")
    per_code = oracle(lambda o: o.tiltakskode)
    weekly = oracle(lambda o: o.uke_start)
    rows = [(s, per_code[s["verdi"]]) for s in body["sammendrag"]] + [
        (r, weekly.get(w, [])) for r, w in zip(body["utvikling"], fx.WEEKS, strict=True)
    ]
    hidden = 0
    for got, days in rows:
        n = protect(len(days), 5)
        assert got["antall_oppstart"] == ("<5" if n is None else n)
        if n is None or not days:
            assert got["snitt_ventedager"] is None
            hidden += n is None
        else:
            assert got["snitt_ventedager"] == round(sum(days) / len(days))
        for limit in (14, 30, 90):
            over = protect(sum(1 for d in days if d > limit), 5)
            assert got[f"ventet_over_{limit}"] == ("<5" if over is None else over)
            assert got[f"andel_over_{limit}"] == (
                None if over is None or not n else round(100 * over / n, 1)
            )
    assert hidden > 0
    r = client_k5.get(f"{URL}?kontor={KONTOR}&tiltakskode=AMO&tiltakskode=ARBFORB")
    assert r.status_code == 400 and "én verdi eller alle" in r.json()["feil"]
