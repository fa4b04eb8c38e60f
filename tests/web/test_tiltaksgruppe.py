"""tiltaksgruppe as a dimension and a filter of the tiltak views, against an oracle from the
fixture's rows (fixture_warehouse.ROWS and its `tiltaksgruppe` rule), not from the warehouse."""

from __future__ import annotations

from collections import defaultdict

import fixture_warehouse as fx

from metrikk.web import perioder

KONTOR = "0219"


def get(client, url: str) -> dict:
    r = client.get(url)
    assert r.status_code == 200, r.text
    return r.json()


def persons(key, **filters) -> dict:
    out: dict = defaultdict(set)
    for r in fx.ROWS:
        g = fx.tiltaksgruppe(r.kontor, r.tiltakskode)
        if r.kontor == KONTOR and all(v == {"tiltaksgruppe": g}.get(f) for f, v in filters.items()):
            out[key(r, g)].add(r.person_id)
    return {k: len(v) for k, v in out.items()}


def test_months_by_tiltaksgruppe_are_distinct_persons(client):
    """/tiltak/perioder by month × tiltaksgruppe: the kontor's own groups («AFT», «Opplæring»
    for AMO and Enkel AMO), the national one («Oppfølging og avklaring») and the name."""
    body = get(
        client,
        f"/api/v1/tiltak/perioder?kontor={KONTOR}&periode=maned"
        "&gruppering=periode&gruppering=tiltaksgruppe",
    )
    want = persons(lambda r, g: (perioder.key("maned", r.uke_start), g))
    got = {(c["periode"], c["tiltaksgruppe"]): c["antall"] for c in body["rader"] if c["antall"]}
    assert got == want
    assert {"AFT", "Opplæring", "Oppfølging og avklaring", "Midlertidig lønnstilskudd"} == {
        g for _, g in want
    }


def test_filter_on_one_tiltaksgruppe_and_its_options(client):
    """A filter on «Opplæring» counts the persons on AMO or Enkel AMO once; the options list the
    kontor's groups."""
    body = get(
        client,
        f"/api/v1/tiltak/perioder?kontor={KONTOR}&periode=uke&gruppering=periode"
        "&tiltaksgruppe=Opplæring",
    )
    want = persons(lambda r, g: perioder.code("uke", r.uke_start), tiltaksgruppe="Opplæring")
    got = {c["periode"]: c["antall"] for c in body["rader"] if c["antall"]}
    assert got == want
    valg = get(client, f"/api/v1/tiltak/valg?kontor={KONTOR}")["valg"]["tiltaksgruppe"]
    assert [o["verdi"] for o in valg] == sorted(
        {fx.tiltaksgruppe(r.kontor, r.tiltakskode) for r in fx.ROWS if r.kontor == KONTOR}
    )
