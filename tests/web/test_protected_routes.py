"""Every route that shows counts of people, under `--min-antall 5`, on the pipeline warehouse.

The JSON of each route is walked: every integer sits under a key known to count people (then
it is 0 or a multiple of 10, never 1 … 9) or under a key known not to (plasser, aar, …); an
integer under a key in neither list fails, so a new count cannot slip past the protection. The
CSV and Excel exports are read back the same way; the Brum routes keep numbers (null for a
hidden count) and list the hidden cells.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import export_table
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from metrikk.settings import Settings
from metrikk.web import queries as q
from metrikk.web.app import create_app
from metrikk.web.suppression import protect

pytestmark = pytest.mark.slow

K = 5
HIDDEN = f"<{K}"
PEOPLE = {
    "antall",
    "totalt",
    "antall_personer",
    "deltar",
    "venter",
    "fra_lokale_kontor",
    "fra_andre_kontor",
    "forrige_uke",  # Denne uken: the same count last week
    "i_fjor",  # ... and in the same week last year
    "a",  # /tiltak/sammenligning: period A
    "b",  # ... and period B
    "under_oppfolging",  # /tiltak/oppfolging: persons under oppfølging
    "paa_tiltak",  # ... and of them på tiltak
    "antall_oppstart",  # /tiltak/ventetid: deltakelser starting (records of persons)
    "ventet_over_14",  # ... and those that waited longer
    "ventet_over_30",
    "ventet_over_90",
    *q.DATAKVALITET_KOLONNER,
}
CHANGES = {"endring", "endring_uke", "endring_aar"}  # differences of two shown counts
NOT_PEOPLE = {
    "plasser",  # places, not persons
    "gjennomforinger",  # gjennomføringer
    "aar",
    "uke",
    "antall_uker",
    "uker_i_kalenderen",
    "min_antall",
    "minAntall",
    "rader",  # /meta: rows of each loaded table (load metadata, not a statistic)
    "snitt_ventedager",  # /tiltak/ventetid: a mean number of days, from a protected count
}


@pytest.fixture(scope="module", name="k5")
def _k5(pipeline_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(warehouse=pipeline_db), min_antall=K)) as c:
        yield c


def get(client: TestClient, url: str):
    r = client.get(url)
    assert r.status_code == 200, (url, r.text[:300])
    return r.json()


def protected(v) -> bool:
    return v == HIDDEN or v == 0 or (isinstance(v, int) and v >= 2 * K and v % (2 * K) == 0)


def plain(v):
    """A cell of the CSV or the Excel file as a number when it is one (decimal comma in CSV)."""
    text = "" if v is None else str(v)
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def walk(
    node, key: str | None = None, parent: str | None = None
) -> Iterator[tuple[str | None, object, str | None]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk(v, k, key)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v, key, parent)
    else:
        yield key, node, parent


def check_json(body, url: str) -> int:
    """Every integer is classified; the people counts are protected; a change is the
    difference of two shown counts (a multiple of 2K, or none). Returns how many."""
    counted = 0
    for key, v, parent in walk(body):
        if parent in CHANGES:
            assert v is None or isinstance(v, float) or (isinstance(v, int) and v % (2 * K) == 0), (
                url,
                parent,
                key,
                v,
            )
        elif key in PEOPLE and (isinstance(v, int) and not isinstance(v, bool) or v == HIDDEN):
            assert protected(v), (url, key, v)
            counted += 1
        elif isinstance(v, int) and not isinstance(v, bool):
            assert key in NOT_PEOPLE, (url, key, v)
    return counted


@pytest.fixture(scope="module", name="small_kontor")
def _small_kontor(sql) -> str:
    """A kontor with one person over the whole history."""
    rows = sql(
        "SELECT kontor FROM tiltak_silver.deltakelse_uke d JOIN tiltak_silver.nav_enhet n"
        " ON n.enhetsnummer = d.kontor AND upper(n.type) = 'LOKAL'"
        " GROUP BY 1 HAVING count(DISTINCT person_id) = 1 ORDER BY 1"
    )
    assert rows, "the pipeline warehouse has a kontor with one person"
    return rows[0][0]


def urls(k5: TestClient, small: str) -> list[str]:
    meta = get(k5, "/api/v1/meta")
    last = meta["uker"]["siste"]
    default = get(k5, "/api/v1/kontorer")["standard"]
    out = ["/api/v1/meta", "/api/v1/kontorer", "/api/v1/datakvalitet"]
    for kontor in (default, small):
        base = f"/api/v1/tiltak/uker?kontor={kontor}"
        out += [
            base,
            base + "&gruppering=uke&gruppering=tiltakskode",
            base + "&gruppering=avdeling&gruppering=innsatsgruppe",
            base + "&gruppering=tiltakskategori&gruppering=uke&visning=prosent",
            base + f"&fra={last}&til={last}&gruppering=innsatsgruppe&gruppering=avdeling",
            base + "&gruppering=tiltakskode&innsatsgruppe=TRENGER_VEILEDNING",
            f"/api/v1/gjennomforinger/uker?kontor={kontor}",
            f"/api/v1/gjennomforinger/liste?kontor={kontor}",
            f"/api/v1/tiltak/denne-uken?kontor={kontor}",
            f"/api/v1/tiltak/denne-uken?kontor={kontor}&rader=tiltakskategori&kolonner=innsatsgruppe",
            f"/api/v1/tiltak/perioder?kontor={kontor}&periode=maned&gruppering=periode"
            "&gruppering=tiltakskode",
            f"/api/v1/tiltak/perioder?kontor={kontor}&periode=aar&maal=snitt"
            "&gruppering=avdeling&gruppering=periode",
            f"/api/v1/tiltak/sammenligning?kontor={kontor}&periode=aar&fra=2025&til=2025"
            "&fra2=2024&til2=2024&gruppering=avdeling",
            f"/api/v1/datakvalitet?kontor={kontor}",
            f"/api/v1/tiltak/oppfolging?kontor={kontor}",
            f"/api/v1/tiltak/oppfolging?kontor={kontor}&periode=uke&gruppering=avdeling"
            "&innsatsgruppe=TRENGER_VEILEDNING&tabell=utvikling&celler=paa_tiltak",
            f"/api/v1/tiltak/oppfolging?kontor={kontor}&periode=aar&maal=snitt&gruppering=ingen",
            f"/api/v1/tiltak/ventetid?kontor={kontor}",
            f"/api/v1/tiltak/ventetid?kontor={kontor}&periode=uke&gruppering=tiltaksgruppe"
            "&tabell=utvikling",
        ]
    return [*out, "/api/v1/gjennomforinger/uker"]


def test_every_count_of_people_in_json_and_exports_is_protected(k5, small_kontor):
    """No shown count is 1 … 9, every other is a multiple of 10: JSON, CSV and Excel."""
    total = 0
    for url in urls(k5, small_kontor):
        body = get(k5, url)
        total += check_json(body, url)
        if "/meta" in url or "/kontorer" in url:
            continue
        sep = "&" if "?" in url else "?"
        text = k5.get(url + sep + "format=csv").content.decode("utf-8-sig")
        table = export_table.split(list(csv.reader(io.StringIO(text), delimiter=";")))[1]
        book = load_workbook(io.BytesIO(k5.get(url + sep + "format=xlsx").content))
        sheet = export_table.split([list(r) for r in book.active.iter_rows(values_only=True)])[1]
        assert [[plain(v) for v in r] for r in sheet] == [[plain(c) for c in r] for r in table]
        header = table[0]
        count_columns = [
            i
            for i, h in enumerate(header)
            if i > 0
            and h not in ("Plasser", "Gjennomføring", "Gjennomføring-id", "Tiltaksnummer")
            and h not in ("Tiltak", "Uke", "Merknad")
            and not h.endswith("(%)")  # shares and belegg, from the shown numbers
            and not h.startswith("Endring fra")  # differences of shown numbers
            and h != "Forskjell"
            and h != "Snitt ventetid (dager)"  # days, from the shown oppstarter
        ]
        percent = "visning=prosent" in url
        for row in table[1:]:
            for i in count_columns:
                cell = row[i]
                if percent and cell != HIDDEN:
                    continue  # shares, from the shown numbers (test_suppression.py)
                if cell == "":
                    continue  # no figure (a sum row's empty cells, a week without data)
                assert protected(int(cell) if cell.isdigit() else cell), (url, header[i], cell)
    assert total > 1000


def test_belegg_is_the_shown_deltar_over_plasser(k5):
    """Belegg is derived from the protected deltar, and absent when deltar is hidden."""
    kontor = get(k5, "/api/v1/kontorer")["standard"]
    body = get(k5, f"/api/v1/gjennomforinger/uker?kontor={kontor}")
    assert any(r["deltar"] == HIDDEN for r in body["rader"])
    for r in body["rader"]:
        if r["deltar"] == HIDDEN or not r["plasser"]:
            assert r["belegg"] is None
        else:
            assert r["belegg"] == round(r["deltar"] / r["plasser"], 4)


def test_brum_routes_stay_numeric_and_list_the_hidden_cells(k5, pipeline_db, small_kontor):
    """/ukeAntall: every value an integer or null, `skjulteVerdier` exactly the nulls, and each
    value the protected unprotected one; /gjennomforinger: names and dates only, no counts."""
    with TestClient(create_app(Settings(warehouse=pipeline_db))) as plain:
        last = get(k5, "/api/v1/meta")["uker"]["siste"]
        aar, uke = int(last[:4]), int(last[6:])
        for kontor in ("", f"&kontor={small_kontor}"):
            url = f"/ukeAntall?aar={aar}&uke={uke}{kontor}"
            body, exact = get(k5, url), get(plain, url)
            assert body["minAntall"] == K
            nulls = {"data": [], "dataAvdeling": []}
            for name in nulls:
                for i, (row, e) in enumerate(zip(body[name], exact[name], strict=True)):
                    for j, (v, x) in enumerate(zip(row["verdier"], e["verdier"], strict=True)):
                        assert v is None or (type(v) is int and protected(v)), (url, v)
                        assert v == protect(x, K)
                        if v is None:
                            nulls[name].append([i, j])
            assert body["skjulteVerdier"] == nulls
        # Brum's /gjennomforinger lists names and dates (Ktor's shape): it counts nobody.
        rows = get(k5, f"/gjennomforinger?aar={aar}&uke={uke}")
        assert rows and all(
            list(r) == ["gjennomforingId", "navn", "startDato", "sluttDato"] for r in rows
        )


def test_a_one_person_kontor_is_not_revealed_by_kontorer_or_valg(k5, sql, small_kontor):
    """/kontorer shows «<5» for it; /tiltak/valg lists the code lists and the kontor's
    avdelinger from the organisation data, the same tiltak and innsatsgrupper for every kontor."""
    kontorer = {r["enhetsnummer"]: r for r in get(k5, "/api/v1/kontorer")["kontorer"]}
    assert kontorer[small_kontor]["antall_personer"] == HIDDEN
    valg = get(k5, f"/api/v1/tiltak/valg?kontor={small_kontor}")["valg"]
    default = get(k5, "/api/v1/tiltak/valg")["valg"]
    for dim in ("innsatsgruppe", "tiltakskode", "tiltakskategori"):
        assert valg[dim] == default[dim]
    assert [o["verdi"] for o in valg["innsatsgruppe"]] == list(q.INNSATSGRUPPE_NAVN)
    tiltakstyper = {r[0] for r in sql("SELECT tiltakskode FROM tiltak_silver.tiltakstype")}
    assert tiltakstyper <= {o["verdi"] for o in valg["tiltakskode"]}
    org = {
        r[0]
        for r in sql(
            "SELECT DISTINCT avdeling FROM tiltak_silver.veiledergruppe_medlemskap"
            " WHERE enhetsnummer = ?",
            [small_kontor],
        )
    }
    assert [o["verdi"] for o in valg["avdeling"]] == sorted(org | {"Uten avdeling"})


def test_pages_with_counts_of_people_say_how_they_are_protected(k5):
    """The tiltak, gjennomføring and data quality pages carry the note; etterlevelse does not
    (documents are not people)."""
    note = "Tall under 5 vises ikke; andre tall er avrundet til nærmeste 10."
    for page in (
        "/tiltak",
        "/tiltak/gjennomforinger",
        "/tiltak/datakvalitet",
        "/tiltak/oppfolging",
        "/tiltak/ventetid",
    ):
        assert note in k5.get(page).text, page
    assert note not in k5.get("/etterlevelse").text
