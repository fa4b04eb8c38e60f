"""`metrikk ingest veiledergrupper` (`ingest/veiledergrupper.py`): daily snapshots of
veilarbfilter's veiledergrupper, from its REST API (a real local HTTP server speaking the
documented JSON, errors included) or its PostgreSQL tables (a real PostgreSQL), into
`kilde_veilarbfilter.veiledergruppe_snapshot` in a real DuckDB warehouse or the BigQuery stand-in;
and three days of them through the existing membership rule."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import psycopg
import pytest
from bq_standin import DuckDBStandIn
from rest_server import Answer, RestServer

from metrikk.ingest import IngestError
from metrikk.ingest.norg2 import ingest_norg2
from metrikk.ingest.rest import HttpPolicy
from metrikk.ingest.veiledergrupper import (
    ApiSource,
    DatabaseSource,
    ingest_veiledergrupper,
)
from metrikk.settings import Settings

RAW = "kilde_veilarbfilter.veiledergruppe_snapshot"
D1, D2, D3 = date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)
TOKEN = "eyJ.person-obo-token.sig"
FAST = HttpPolicy(timeout=0.5, attempts=3, backoff=0.01)


def gruppe(filter_id, navn: str, veiledere, enhet: str = "0219", **valg) -> dict:
    """One element of `GET /api/enhet/{enhetId}`, as veilarbfilter's FilterModel serialises it."""
    return {
        "filterId": filter_id,
        "filterNavn": navn,
        "filterValg": {"veiledere": veiledere, "alder": [], "kjonn": "", **valg},
        "aktiveFilterValg": None,
        "opprettetDato": "2024-03-01T10:00:00",
        "filterCleanup": 0,
        "enhetId": enhet,
    }


GRUPPER_0219 = [
    gruppe(12, "Team Ung", ["Z123456", " z654321 ", "Z123456"]),  # a veileder listed twice
    gruppe(13, "Team Voksen", ["Z111111"]),
    gruppe(12, "Team Ung", ["Z222222"]),  # the group listed twice
]
GRUPPER_0220 = [gruppe(40, "Asker oppfølging", ["Z333333"], enhet="0220")]


@pytest.fixture(name="server")
def _server():
    with RestServer() as server:
        yield server


@pytest.fixture(name="settings")
def _settings(tmp_path: Path) -> Settings:
    return Settings(warehouse=tmp_path / "metrikk.duckdb")


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture(name="sleeps")
def _sleeps() -> Sleeps:
    """Records the backoff pauses instead of sleeping (the retries themselves are real)."""
    return Sleeps()


def api(server: RestServer, sleeps: Sleeps, *, policy: HttpPolicy = FAST) -> ApiSource:
    return ApiSource(server.url, TOKEN, policy=policy, sleep=sleeps)


def serve(server: RestServer, **answers) -> None:
    """Route /api/enhet/<nr> for each `_<nr>=Answer(...)` or list of answers."""
    for key, value in answers.items():
        route = value if isinstance(value, list) else [value]
        server.route(f"/api/enhet/{key.lstrip('_')}", *route)


def rows(settings: Settings, day: date | None = None) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        where = "" if day is None else f"WHERE snapshot_dato = DATE '{day.isoformat()}'"
        return con.execute(
            f"SELECT snapshot_dato, enhetsnummer, gruppe_id, gruppe_navn, veileder_ident "
            f"FROM {RAW} {where} ORDER BY ALL"
        ).fetchall()


def datasett(settings: Settings) -> tuple:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(
            "SELECT syntetisk, rader FROM metrikk_meta.datasett "
            "WHERE schema_name = 'kilde_veilarbfilter' AND table_name = 'veiledergruppe_snapshot'"
        ).fetchone()


def expected_day(day: date, *, with_0220: bool = True) -> list[tuple]:
    out = [
        (day, "0219", "12", "Team Ung", "Z123456"),
        (day, "0219", "12", "Team Ung", "Z222222"),
        (day, "0219", "12", "Team Ung", "Z654321"),
        (day, "0219", "13", "Team Voksen", "Z111111"),
    ]
    if with_0220:
        out.append((day, "0220", "40", "Asker oppfølging", "Z333333"))
    return sorted(out)


# --------------------------------------------------------------------------------------------
# REST: the documented shape


def test_api_snapshot_lands_one_row_per_member(server, settings, sleeps):
    """Each enhet's groups land as one row per member: idents trimmed and upper-cased, a group
    or veileder listed twice once; the person's token is sent; datasett says real data."""
    serve(server, _0219=Answer(200, GRUPPER_0219), _0220=Answer(200, GRUPPER_0220))
    result = ingest_veiledergrupper(
        settings, api(server, sleeps), dato=D1, enheter=["0220", "0219", "0219"]
    )
    assert rows(settings) == expected_day(D1)
    assert [(r.enhet, r.groups, r.rows, r.error) for r in result.enheter] == [
        ("0219", 2, 4, None),
        ("0220", 1, 1, None),
    ]
    assert result.total_rows == 5 and not result.failed
    assert {r.headers.get("authorization") for r in server.requests} == {f"Bearer {TOKEN}"}
    assert datasett(settings) == (False, 5)


def test_same_day_twice_gives_the_same_rows_and_a_new_day_appends(server, settings, sleeps):
    """Re-running a day replaces that day's rows of the fetched enheter; the next day appends."""
    serve(server, _0219=Answer(200, GRUPPER_0219), _0220=Answer(200, GRUPPER_0220))
    source = api(server, sleeps)
    ingest_veiledergrupper(settings, source, dato=D1, enheter=["0219", "0220"])
    ingest_veiledergrupper(settings, source, dato=D1, enheter=["0219", "0220"])
    assert rows(settings) == expected_day(D1)
    ingest_veiledergrupper(settings, source, dato=D2, enheter=["0219", "0220"])
    assert rows(settings) == sorted(expected_day(D1) + expected_day(D2))
    assert datasett(settings) == (False, 10)


def test_rerun_of_one_enhet_replaces_only_that_enhet(server, settings, sleeps):
    """A second run the same day for one enhet replaces its rows and leaves the others alone."""
    serve(server, _0219=Answer(200, GRUPPER_0219), _0220=Answer(200, GRUPPER_0220))
    ingest_veiledergrupper(settings, api(server, sleeps), dato=D1, enheter=["0219", "0220"])
    serve(server, _0219=Answer(200, [gruppe(13, "Team Voksen", ["Z111111", "Z999999"])]))
    ingest_veiledergrupper(settings, api(server, sleeps), dato=D1, enheter=["0219"])
    assert rows(settings) == [
        (D1, "0219", "13", "Team Voksen", "Z111111"),
        (D1, "0219", "13", "Team Voksen", "Z999999"),
        (D1, "0220", "40", "Asker oppfølging", "Z333333"),
    ]


def test_enhet_with_zero_groups_is_a_valid_snapshot(server, settings, sleeps):
    """An enhet answering [] has no rows that day (its memberships end), and is not a failure."""
    serve(server, _0219=Answer(200, GRUPPER_0219), _0220=Answer(200, GRUPPER_0220))
    ingest_veiledergrupper(settings, api(server, sleeps), dato=D1, enheter=["0219", "0220"])
    serve(server, _0220=Answer(200, []))
    result = ingest_veiledergrupper(
        settings, api(server, sleeps), dato=D2, enheter=["0219", "0220"]
    )
    assert not result.failed
    assert rows(settings, D2) == expected_day(D2, with_0220=False)


def test_null_or_missing_veiledere_is_an_empty_group(server, settings, sleeps):
    """`veiledere: null` or no `veiledere` key is no members, as veilarbfilter reads its filters."""
    empty = gruppe(14, "Tom", None)
    del (missing := gruppe(15, "Uten nøkkel", []))["filterValg"]["veiledere"]
    serve(server, _0219=Answer(200, [empty, missing, gruppe(16, "Med", ["Z100000"])]))
    result = ingest_veiledergrupper(settings, api(server, sleeps), dato=D1, enheter=["0219"])
    assert rows(settings) == [(D1, "0219", "16", "Med", "Z100000")]
    assert result.enheter[0].groups == 3


# --------------------------------------------------------------------------------------------
# REST: errors


def test_500_then_success_is_retried(server, settings, sleeps):
    """A 500 is retried after a backoff pause, and the second answer's rows land."""
    serve(server, _0219=[Answer(500, {"message": "feil"}), Answer(200, GRUPPER_0219)])
    result = ingest_veiledergrupper(settings, api(server, sleeps), dato=D1, enheter=["0219"])
    assert not result.failed
    assert server.count("/api/enhet/0219") == 2 and sleeps == [FAST.backoff]
    assert rows(settings) == expected_day(D1, with_0220=False)


def test_persistent_500_names_the_enhet_and_keeps_the_others(server, settings, sleeps):
    """An enhet failing every attempt is named with the reason; the other enhet's rows land."""
    serve(
        server,
        _0219=Answer(200, GRUPPER_0219),
        _0220=Answer(500, "An internal error occurred during routing"),
    )
    result = ingest_veiledergrupper(
        settings, api(server, sleeps), dato=D1, enheter=["0219", "0220"]
    )
    assert [r.enhet for r in result.failed] == ["0220"]
    message = result.failed[0].error
    assert message.startswith("Enhet 0220: ") and "HTTP 500" in message
    assert "ga opp etter 3 forsøk" in message and "An internal error occurred" in message
    assert server.count("/api/enhet/0220") == 3 and sleeps == [0.01, 0.02]
    assert rows(settings) == expected_day(D1, with_0220=False)


def test_timeout_is_retried_then_named(server, settings, sleeps):
    """A server slower than the client's timeout fails the enhet after every attempt timed out."""
    policy = HttpPolicy(timeout=0.2, attempts=2, backoff=0.01)
    serve(server, _0219=Answer(200, GRUPPER_0219), _0220=Answer(200, GRUPPER_0220, delay=1.0))
    result = ingest_veiledergrupper(
        settings, api(server, sleeps, policy=policy), dato=D1, enheter=["0219", "0220"]
    )
    assert [r.enhet for r in result.failed] == ["0220"]
    assert "svarte ikke innen 0.2 s" in result.failed[0].error
    assert server.count("/api/enhet/0220") == 2
    assert rows(settings) == expected_day(D1, with_0220=False)


def test_403_is_not_retried_and_explains_the_obo_token(server, settings, sleeps):
    """403 (no access to that enhet) fails that enhet at once and says a person's token is needed."""
    serve(server, _0219=Answer(200, GRUPPER_0219), _0220=Answer(403, b""))
    result = ingest_veiledergrupper(
        settings, api(server, sleeps), dato=D1, enheter=["0219", "0220"]
    )
    (failed,) = result.failed
    assert "HTTP 403" in failed.error and "tilgang til enhet 0220" in failed.error
    assert "personlig (OBO-)token" in failed.error
    assert server.count("/api/enhet/0220") == 1 and sleeps == []


def test_401_stops_the_whole_job_and_writes_nothing(server, settings, sleeps):
    """401 (the token itself) fails every enhet the same way: stop, write nothing at all."""
    serve(server, _0219=Answer(200, GRUPPER_0219), _0220=Answer(200, GRUPPER_0220))
    ingest_veiledergrupper(settings, api(server, sleeps), dato=D1, enheter=["0219", "0220"])
    before = rows(settings)
    serve(server, _0219=Answer(200, GRUPPER_0219), _0220=Answer(401, b""))
    with pytest.raises(IngestError, match="HTTP 401.*METRIKK_VEILARBFILTER_TOKEN"):
        ingest_veiledergrupper(settings, api(server, sleeps), dato=D2, enheter=["0219", "0220"])
    assert rows(settings) == before
    assert TOKEN not in str(server.requests[-1].path)


def test_machine_token_400_says_a_person_token_is_needed(server, settings, sleeps):
    """400 «Id is missing from subject» (a token without oid) stops the job and says why."""
    body = {"status": 400, "error": "Bad Request", "message": "Id is missing from subject"}
    serve(server, _0219=Answer(400, body))
    with pytest.raises(IngestError, match="maskintoken") as e:
        ingest_veiledergrupper(settings, api(server, sleeps), dato=D1, enheter=["0219"])
    assert "HTTP 400" in str(e.value) and TOKEN not in str(e.value)
    assert not settings.warehouse.exists() or rows(settings) == []


def test_every_enhet_failing_writes_nothing(server, settings, sleeps):
    """When no enhet could be fetched (404: wrong address), the job fails and writes nothing."""
    serve(server, _0219=Answer(200, GRUPPER_0219))
    ingest_veiledergrupper(settings, api(server, sleeps), dato=D1, enheter=["0219"])
    server.route("/api/enhet/0219", Answer(404, {"message": "Not Found"}))
    with pytest.raises(
        IngestError, match=r"(?s)Ingen av enhetene \(1\).*Enhet 0219: .*HTTP 404.*--fra-api"
    ):
        ingest_veiledergrupper(settings, api(server, sleeps), dato=D2, enheter=["0219"])
    assert rows(settings) == expected_day(D1, with_0220=False)
    assert server.count("/api/enhet/0219") == 2  # one per run: a 404 is not retried


def test_malformed_json_fails_the_enhet_without_retry(server, settings, sleeps):
    """A body that is not JSON fails that enhet (named, with where it broke), not retried."""
    serve(server, _0219=Answer(200, GRUPPER_0219), _0220=Answer(200, b'[{"filterId": 40,'))
    result = ingest_veiledergrupper(
        settings, api(server, sleeps), dato=D1, enheter=["0219", "0220"]
    )
    (failed,) = result.failed
    assert failed.enhet == "0220" and "ikke er gyldig JSON (linje 1, kolonne 18)" in failed.error
    assert server.count("/api/enhet/0220") == 1


@pytest.mark.parametrize(
    "payload,expected",
    [
        ({"filterId": 40}, "Svaret fra veilarbfilter for enhet 0220 er ikke en liste"),
        (
            [{k: v for k, v in GRUPPER_0220[0].items() if k != "filterValg"}],
            "gruppe 40 («Asker oppfølging») mangler filterValg",
        ),
        (
            [gruppe(40, "Asker oppfølging", "Z333333", enhet="0220")],
            "filterValg.veiledere er ikke en liste (fikk teksten «Z333333»)",
        ),
        (
            [gruppe(40, "Asker oppfølging", ["Z333333", 123], enhet="0220")],
            "filterValg.veiledere[1] er ikke en NAV-ident (fikk tallet 123)",
        ),
        ([gruppe(None, "Uten id", [], enhet="0220")], "gruppe nr. 1: filterId mangler"),
        ([gruppe(41, "Feil enhet", [], enhet="0219")], "tilhører enhet 0219, ikke 0220"),
    ],
)
def test_wrong_shape_fails_the_enhet_naming_what_is_wrong(
    server, settings, sleeps, payload, expected
):
    """JSON of the wrong shape fails that enhet with a message naming it and what was wrong."""
    serve(server, _0219=Answer(200, GRUPPER_0219), _0220=Answer(200, payload))
    result = ingest_veiledergrupper(
        settings, api(server, sleeps), dato=D1, enheter=["0219", "0220"]
    )
    (failed,) = result.failed
    assert failed.enhet == "0220" and expected in failed.error, failed.error
    assert rows(settings) == expected_day(D1, with_0220=False)


def test_missing_token_fails_before_any_request(server, settings, sleeps):
    """Without METRIKK_VEILARBFILTER_TOKEN nothing is requested and the message says what to set."""
    with pytest.raises(IngestError, match="METRIKK_VEILARBFILTER_TOKEN"):
        ApiSource(server.url, None, policy=FAST, sleep=sleeps)
    assert server.requests == []


# --------------------------------------------------------------------------------------------
# Every day describes every enhet


def test_failed_enhet_keeps_its_previous_snapshot(server, settings, sleeps):
    """An enhet that fails on a new day gets the previous day's rows carried to it unchanged, so
    the membership rule does not end its memberships; a later success that day replaces them."""
    serve(server, _0219=Answer(200, GRUPPER_0219), _0220=Answer(200, GRUPPER_0220))
    ingest_veiledergrupper(settings, api(server, sleeps), dato=D1, enheter=["0219", "0220"])
    serve(server, _0220=Answer(503, b""))
    result = ingest_veiledergrupper(
        settings, api(server, sleeps), dato=D2, enheter=["0219", "0220"]
    )
    (failed,) = result.failed
    assert failed.enhet == "0220" and failed.carried_from == D1
    assert rows(settings, D2) == expected_day(D2)
    serve(server, _0220=Answer(200, [gruppe(40, "Asker oppfølging", ["Z444444"], enhet="0220")]))
    ingest_veiledergrupper(settings, api(server, sleeps), dato=D2, enheter=["0220"])
    assert [r for r in rows(settings, D2) if r[1] == "0220"] == [
        (D2, "0220", "40", "Asker oppfølging", "Z444444")
    ]


def test_limited_first_run_of_a_day_carries_the_other_enheter(server, settings, sleeps):
    """A run limited with --enheter that opens a new day carries every other enhet of the
    previous day; a failed enhet of a day that already has rows keeps that day's rows."""
    serve(server, _0219=Answer(200, GRUPPER_0219), _0220=Answer(200, GRUPPER_0220))
    ingest_veiledergrupper(settings, api(server, sleeps), dato=D1, enheter=["0219", "0220"])
    result = ingest_veiledergrupper(settings, api(server, sleeps), dato=D2, enheter=["0219"])
    assert result.carried_other == 1 and result.carried_from == D1
    assert rows(settings, D2) == expected_day(D2)
    serve(server, _0220=Answer(500, b""))
    again = ingest_veiledergrupper(settings, api(server, sleeps), dato=D2, enheter=["0219", "0220"])
    assert again.failed[0].carried_from is None  # the day exists: nothing carried twice
    assert rows(settings, D2) == expected_day(D2)


def test_run_over_all_lokale_enheter_reads_norg2_and_ends_an_enhet_no_longer_lokal(
    server, settings, sleeps
):
    """--alle-lokale fetches the LOKAL enheter that are not nedlagt in kilde_norg2.enhet (as
    `ingest norg2` wrote it), and does not carry an enhet no longer among them."""
    serve(server, _0219=Answer(200, GRUPPER_0219), _0220=Answer(200, GRUPPER_0220))
    ingest_veiledergrupper(settings, api(server, sleeps), dato=D1, enheter=["0219", "0220"])
    server.route("/norg2/api/v1/enhet/kontaktinformasjon/organisering/all", Answer(200, [
        {"enhet": {"enhetId": 1, "navn": "Nav Bærum", "enhetNr": "0219", "status": "Aktiv",
                   "type": "LOKAL"}, "overordnetEnhet": "0600"},
        {"enhet": {"enhetId": 2, "navn": "Nav Asker", "enhetNr": "0220", "status": "Nedlagt",
                   "type": "LOKAL"}, "overordnetEnhet": "0600"},
        {"enhet": {"enhetId": 3, "navn": "Nav Vest-Viken", "enhetNr": "0600", "status": "Aktiv",
                   "type": "FYLKE"}, "overordnetEnhet": None},
    ]))  # fmt: skip
    ingest_norg2(settings, f"{server.url}/norg2", policy=FAST, sleep=sleeps)
    result = ingest_veiledergrupper(settings, api(server, sleeps), dato=D2, enheter=None)
    assert [r.enhet for r in result.enheter] == ["0219"] and result.carried_other == 0
    assert rows(settings, D2) == expected_day(D2, with_0220=False)


def test_all_lokale_without_norg2_uses_the_landed_nav_enhet(server, settings, sleeps):
    """Without kilde_norg2.enhet, --alle-lokale takes the LOKAL enheter of tiltak_bronze.nav_enhet."""
    from metrikk.warehouse import ensure_warehouse

    ensure_warehouse(settings.warehouse)
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute(
            "INSERT INTO tiltak_bronze.nav_enhet (enhetsnummer, navn, type, status, overordnet_enhet) "
            "VALUES ('0219', 'Nav Bærum', 'LOKAL', 'Aktiv', '0600'), "
            "('0600', 'Nav Vest-Viken', 'FYLKE', 'Aktiv', NULL), "
            "('0299', 'Nav Gammel', 'LOKAL', 'Nedlagt', '0600')"
        )
    serve(server, _0219=Answer(200, GRUPPER_0219))
    result = ingest_veiledergrupper(settings, api(server, sleeps), dato=D1, enheter=None)
    assert [r.enhet for r in result.enheter] == ["0219"]
    assert rows(settings) == expected_day(D1, with_0220=False)


def test_all_lokale_without_any_enhet_list_says_what_to_do(settings, sleeps, server):
    """--alle-lokale with neither kilde_norg2.enhet nor tiltak_bronze.nav_enhet filled fails."""
    with pytest.raises(IngestError, match="ingest norg2"):
        ingest_veiledergrupper(settings, api(server, sleeps), dato=D1, enheter=None)
    assert server.requests == []


def test_real_snapshots_are_not_added_to_synthetic_ones(server, settings, sleeps):
    """A raw table recorded as synthetic (metrikk generate) is not mixed with real rows."""
    serve(server, _0219=Answer(200, GRUPPER_0219))
    ingest_veiledergrupper(settings, api(server, sleeps), dato=D1, enheter=["0219"])
    with duckdb.connect(str(settings.warehouse)) as con:
        con.execute(
            "UPDATE metrikk_meta.datasett SET syntetisk = true "
            "WHERE schema_name = 'kilde_veilarbfilter'"
        )
    with pytest.raises(IngestError, match="syntetiske rader"):
        ingest_veiledergrupper(settings, api(server, sleeps), dato=D2, enheter=["0219"])
    assert rows(settings) == expected_day(D1, with_0220=False)


# --------------------------------------------------------------------------------------------
# Database


FILTER_DDL = """
CREATE TABLE Filter (
    FILTER_ID SERIAL PRIMARY KEY,
    FILTER_NAVN VARCHAR(255),
    VALGTE_FILTER JSONB,
    OPPRETTET TIMESTAMP,
    FILTER_CLEANUP INT DEFAULT 0,
    AKTIVE_VALGTE_FILTER JSONB
);
CREATE TABLE VeilederGrupperFilter (
    VEILEDERGRUPPE_FILTER_ID INT REFERENCES Filter (FILTER_ID),
    ENHET_ID VARCHAR(32)
);
"""


def fill_veilarbfilter(dsn: str, groups: list[tuple[int, str, str, str | None]]) -> None:
    """veilarbfilter's own tables (migrations V3, V8, V13) with (id, enhet, navn, valgte_filter)."""
    with psycopg.connect(dsn, autocommit=True) as con:
        con.execute(FILTER_DDL)
        for filter_id, enhet, navn, valgte in groups:
            con.execute(
                "INSERT INTO filter (filter_id, filter_navn, valgte_filter, opprettet) "
                "VALUES (%s, %s, %s::jsonb, now())",
                [filter_id, navn, valgte],
            )
            con.execute("INSERT INTO veiledergrupperfilter VALUES (%s, %s)", [filter_id, enhet])


def valg(veiledere) -> str:
    import json

    return json.dumps({"veiledere": veiledere, "alder": [], "kjonn": None})


@pytest.mark.postgres
def test_database_snapshot_equals_the_api_snapshot(pg_dsn, server, settings, tmp_path, sleeps):
    """Read from veilarbfilter's tables, the same groups give the same rows as from its API."""
    fill_veilarbfilter(
        pg_dsn,
        [
            (12, "0219", "Team Ung", valg(["Z123456", " z654321 ", "Z123456", "Z222222"])),
            (13, "0219", "Team Voksen", valg(["Z111111"])),
            (14, "0219", "Tom", valg(None)),
            (40, "0220 ", "Asker oppfølging", valg(["Z333333"])),
            (50, "0221", "Ikke bedt om", valg(["Z555555"])),
        ],
    )
    result = ingest_veiledergrupper(
        settings, DatabaseSource(pg_dsn, policy=FAST, sleep=sleeps), dato=D1,
        enheter=["0219", "0220", "0230"],
    )  # fmt: skip
    assert rows(settings) == expected_day(D1)
    assert [(r.enhet, r.groups, r.error) for r in result.enheter] == [
        ("0219", 3, None),
        ("0220", 1, None),
        ("0230", 0, None),  # no groups in veilarbfilter: a valid, empty snapshot
    ]
    assert datasett(settings) == (False, 5)


@pytest.mark.postgres
def test_database_row_of_the_wrong_shape_fails_only_its_enhet(pg_dsn, settings, sleeps):
    """A filter whose valgte_filter.veiledere is not a list fails its enhet, named; others land."""
    fill_veilarbfilter(
        pg_dsn,
        [
            (13, "0219", "Team Voksen", valg(["Z111111"])),
            (40, "0220", "Asker oppfølging", valg("Z333333")),
        ],
    )
    result = ingest_veiledergrupper(
        settings, DatabaseSource(pg_dsn, policy=FAST, sleep=sleeps), dato=D1,
        enheter=["0219", "0220"],
    )  # fmt: skip
    (failed,) = result.failed
    assert failed.enhet == "0220"
    assert failed.error.startswith("Enhet 0220, filter 40 i tabellen filter («Asker oppfølging»)")
    assert "valgte_filter.veiledere er ikke en liste" in failed.error
    assert rows(settings) == [(D1, "0219", "13", "Team Voksen", "Z111111")]


@pytest.mark.postgres
def test_unreachable_database_is_retried_and_shows_no_password(pg, settings, sleeps):
    """A database that refuses the login is tried again (bounded), then the job fails without
    showing the password, and the warehouse is not touched."""
    dsn = pg.dsn(password="feil-passord-123")
    with pytest.raises(IngestError) as e:
        ingest_veiledergrupper(
            settings, DatabaseSource(dsn, policy=FAST, sleep=sleeps), dato=D1, enheter=["0219"]
        )
    assert "feil-passord-123" not in str(e.value) and "ga opp etter 3 forsøk" in str(e.value)
    assert sleeps == [0.01, 0.02]
    assert not settings.warehouse.exists()


@pytest.mark.postgres
def test_database_without_veilarbfilters_tables_says_so(pg_dsn, settings, sleeps):
    """A database without `filter` is named as probably not veilarbfilter's."""
    with pytest.raises(IngestError, match="«filter» finnes ikke.*veilarbfilter"):
        ingest_veiledergrupper(
            settings, DatabaseSource(pg_dsn, policy=FAST, sleep=sleeps), dato=D1, enheter=["0219"]
        )


# --------------------------------------------------------------------------------------------
# BigQuery (the stand-in runs the exact BigQuery SQL, transpiled, on a real DuckDB)


def test_bigquery_gets_the_same_rows_as_duckdb(server, tmp_path, sleeps):
    """Three days (a failed enhet carried, a zero-group enhet) land the same in BigQuery."""
    standin = DuckDBStandIn(tmp_path / "bq.duckdb")
    with duckdb.connect(str(standin.path)) as con:
        con.execute("CREATE SCHEMA kilde_veilarbfilter")
    local = Settings(warehouse=tmp_path / "metrikk.duckdb")
    bigquery = Settings(warehouse=tmp_path / "cache.duckdb", target="bigquery", project="p")

    def day(d: date, **answers) -> None:
        serve(server, **answers)
        for s in (local, bigquery):
            ingest_veiledergrupper(
                s, api(server, sleeps), dato=d, enheter=["0219", "0220"], target=standin
            )

    day(D1, _0219=Answer(200, GRUPPER_0219), _0220=Answer(200, GRUPPER_0220))
    day(D2, _0220=Answer(500, b""))
    day(D2, _0219=Answer(200, [GRUPPER_0219[1]]))  # the same day again, 0220 still failing
    day(D3, _0220=Answer(200, []))
    assert rows(Settings(warehouse=standin.path)) == rows(local)
    assert len(rows(local, D2)) == 2  # 0219's Team Voksen, 0220 carried from D1
    with duckdb.connect(str(standin.path), read_only=True) as con:
        assert con.execute(
            "SELECT syntetisk, rader FROM metrikk_meta.datasett "
            "WHERE schema_name = 'kilde_veilarbfilter'"
        ).fetchone() == (False, len(rows(local)))
        staging = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '_staging_%'"
        ).fetchone()[0]
    assert staging == 0


def test_bigquery_all_lokale_reads_norg2_there(server, tmp_path, sleeps):
    """With the BigQuery target, --alle-lokale reads the LOKAL enheter from BigQuery's
    kilde_norg2.enhet (as `ingest norg2 --target bigquery` wrote it)."""
    standin = DuckDBStandIn(tmp_path / "bq.duckdb")
    with duckdb.connect(str(standin.path)) as con:
        con.execute("CREATE SCHEMA kilde_veilarbfilter; CREATE SCHEMA kilde_norg2")
    bigquery = Settings(warehouse=tmp_path / "cache.duckdb", target="bigquery", project="p")
    server.route("/norg2/api/v1/enhet/kontaktinformasjon/organisering/all", Answer(200, [
        {"enhet": {"enhetId": 2, "navn": "Nav Asker", "enhetNr": "0220", "status": "Aktiv",
                   "type": "LOKAL"}, "overordnetEnhet": "0600"},
    ]))  # fmt: skip
    ingest_norg2(bigquery, f"{server.url}/norg2", policy=FAST, sleep=sleeps, target=standin)
    serve(server, _0220=Answer(200, GRUPPER_0220))
    result = ingest_veiledergrupper(
        bigquery, api(server, sleeps), dato=D1, enheter=None, target=standin
    )
    assert [r.enhet for r in result.enheter] == ["0220"]
    assert rows(Settings(warehouse=standin.path)) == [
        (D1, "0220", "40", "Asker oppfølging", "Z333333")
    ]


# --------------------------------------------------------------------------------------------
# Three days through the membership rule


def _render(model: str) -> str:
    """The SQL of a tiltak_silver model as SQLMesh renders it, in DuckDB's dialect."""
    from sqlmesh.core.dialect import parse
    from sqlmesh.core.model import load_sql_based_model

    from metrikk.catalog import PIPELINE_DIR
    from metrikk.pipeline.config import DIALECT
    from metrikk.pipeline.macros import kilde, regler, tiltak  # registers the models' macros

    assert kilde and regler and tiltak
    path = PIPELINE_DIR / "models" / "tiltak_silver" / f"{model}.sql"
    loaded = load_sql_based_model(
        parse(path.read_text(encoding="utf-8"), default_dialect=DIALECT), dialect=DIALECT, path=path
    )
    return loaded.render_query().sql(dialect="duckdb")


def test_three_days_of_snapshots_give_the_expected_avdeling(server, settings, sleeps):
    """Three daily snapshots, landed by the ingest and fed through the existing membership rule
    (tiltak_silver.veiledergruppe_medlemskap → veileder_avdeling), give each veileder the right
    avdeling each day: a move between groups, a failed enhet whose memberships go on, and a
    zero-group enhet whose memberships end."""
    ung = gruppe(12, "Team Ung", ["Z100001", "Z100002"])
    voksen = gruppe(13, "Team Voksen", ["Z100003"])
    asker = gruppe(40, "Asker oppfølging", ["Z200001"], enhet="0220")
    days = [
        (D1, Answer(200, [ung, voksen]), Answer(200, [asker])),
        (D2, Answer(200, [gruppe(12, "Team Ung", ["Z100001"]),
                          gruppe(13, "Team Voksen", ["Z100003", "Z100002"])]), Answer(500, b"")),
        (D3, Answer(200, [gruppe(12, "Team Ung", ["Z100001"]),
                          gruppe(13, "Team Voksen", ["Z100003", "Z100002"])]), Answer(200, [])),
    ]  # fmt: skip
    for d, svar_0219, svar_0220 in days:
        serve(server, _0219=svar_0219, _0220=svar_0220)
        ingest_veiledergrupper(settings, api(server, sleeps), dato=d, enheter=["0219", "0220"])

    with duckdb.connect(str(settings.warehouse)) as con:
        # Until the source layer (tiltak_kilde) is on main: the raw rows as bronze, plain SQL.
        con.execute(f"INSERT INTO tiltak_bronze.veiledergruppe_snapshot SELECT * FROM {RAW}")
        con.execute(
            "INSERT INTO tiltak_bronze.avdeling_veiledergruppe VALUES ('0219', '13', 'Avdeling voksne')"
        )
        con.execute("CREATE SCHEMA IF NOT EXISTS tiltak_silver")
        for model in ("veiledergruppe_medlemskap", "veileder_avdeling"):
            con.execute(f"CREATE TABLE tiltak_silver.{model} AS {_render(model)}")

        def avdeling(enhet: str, ident: str, day: date) -> str:
            found = con.execute(
                "SELECT avdeling FROM tiltak_silver.veileder_avdeling WHERE enhetsnummer = ? "
                "AND veileder_ident = ? AND ? BETWEEN gyldig_fra AND gyldig_til",
                [enhet, ident, day],
            ).fetchall()
            return found[0][0] if found else "Uten avdeling"

        later = D3 + timedelta(days=30)
        assert [avdeling("0219", "Z100002", d) for d in (D1, D2, D3, later)] == [
            "Team Ung", "Avdeling voksne", "Avdeling voksne", "Avdeling voksne",
        ]  # fmt: skip
        assert [avdeling("0219", "Z100001", d) for d in (D1, D2, D3)] == ["Team Ung"] * 3
        # 0220 failed on D2: its membership goes on through D2, and ends with D3's empty answer.
        assert [avdeling("0220", "Z200001", d) for d in (D1, D2, D3)] == [
            "Asker oppfølging", "Asker oppfølging", "Uten avdeling",
        ]  # fmt: skip
        assert con.execute(
            "SELECT medlemskap_start, gyldig_til FROM tiltak_silver.veiledergruppe_medlemskap "
            "WHERE veileder_ident = 'Z200001'"
        ).fetchall() == [(D1, D2)]


# --------------------------------------------------------------------------------------------
# The command


def test_cli_names_the_failed_enhet_and_exits_1(server, metrikk, warehouse, monkeypatch):
    """`metrikk ingest veiledergrupper --fra-api` exits 1 naming the failed enhet, after the
    other enhet's rows landed."""
    monkeypatch.setenv("METRIKK_VEILARBFILTER_TOKEN", TOKEN)
    serve(server, _0219=Answer(200, GRUPPER_0219), _0220=Answer(403, b""))
    result = metrikk(
        "ingest", "veiledergrupper", "--enheter", "0219,0220", "--fra-api", server.url,
        "--dato", D1.isoformat(), expect=1,
    )  # fmt: skip
    assert "Henting feilet for 1 av 2 enheter: 0220" in result.output
    assert "--enheter 0220" in result.output and TOKEN not in result.output
    assert rows(Settings(warehouse=warehouse)) == expected_day(D1, with_0220=False)


@pytest.mark.parametrize(
    "args,message",
    [
        (["--fra-api", "http://x"], "--enheter 0219,0220 eller --alle-lokale"),
        (["--enheter", "0219", "--alle-lokale", "--dsn", "x"], "--enheter 0219,0220 eller"),
        (["--enheter", "0219"], "Oppgi kilden"),
        (["--enheter", "0219", "--fra-api", "http://x", "--dsn", "y"], "ikke begge"),
        (["--enheter", "0219", "--fra-api", "ftp://x"], "ikke en http(s)-adresse"),
        (["--enheter", "0219", "--dsn", "x", "--dato", "2999-01-01"], "fram i tid"),
    ],
)
def test_cli_usage_errors_exit_2(metrikk, monkeypatch, args, message):
    """Missing or conflicting choices are usage errors (exit 2) with a message saying which."""
    monkeypatch.delenv("METRIKK_VEILARBFILTER_DSN", raising=False)
    monkeypatch.delenv("METRIKK_VEILARBFILTER_URL", raising=False)
    result = metrikk("ingest", "veiledergrupper", *args, expect=2)
    assert message in " ".join(result.output.split())


def test_cli_bad_enhetsnummer_is_named(metrikk, server, monkeypatch):
    """An enhetsnummer that is not four digits is a usage error naming it; nothing is requested."""
    monkeypatch.setenv("METRIKK_VEILARBFILTER_TOKEN", TOKEN)
    result = metrikk(
        "ingest", "veiledergrupper", "--enheter", "0219,219", "--fra-api", server.url, expect=2
    )
    assert "«219» er ikke et enhetsnummer" in result.output and server.requests == []


# --------------------------------------------------------------------------------------------
# The schedules in deploy/


ROOT = Path(__file__).resolve().parents[2]


def parse_cli(args: list[str]) -> None:
    """Parse `metrikk <args>` as the real CLI would, without running it: an unknown command,
    option or value raises click's UsageError. (Typer bundles its own click, so groups are
    recognised by their `commands`, not by class.)"""
    import typer

    from metrikk.cli import app

    command = typer.main.get_command(app)
    name, rest = "metrikk", list(args)
    while hasattr(command, "commands"):
        assert rest and rest[0] in command.commands, f"unknown command in {args}"
        name, command, rest = rest[0], command.commands[rest[0]], rest[1:]
    command.make_context(name, rest, resilient_parsing=False)


def test_naisjob_runs_real_commands_with_real_settings():
    """The Naisjob's commands parse as metrikk commands and its environment variables are
    settings that Settings.from_env reads (including the secret's DSN key)."""
    import shlex

    import yaml

    spec = yaml.safe_load(
        (ROOT / "deploy" / "nais" / "naisjob-veiledergrupper.yaml").read_text(encoding="utf-8")
    )["spec"]
    script = spec["command"][-1]
    commands = [
        shlex.split(line.split("||")[0])
        for line in script.splitlines()
        if line.strip().startswith("metrikk ")
    ]
    assert [c[:3] for c in commands] == [
        ["metrikk", "ingest", "norg2"],
        ["metrikk", "ingest", "veiledergrupper"],
    ]
    for command in commands:
        parse_cli(command[1:])
    env = {e["name"]: e["value"] for e in spec["env"]}
    s = Settings.from_env({**env, "METRIKK_VEILARBFILTER_DSN": "postgresql://x@h/veilarbfilter"})
    assert (s.target, s.project, str(s.warehouse)) == (
        env["METRIKK_TARGET"], env["METRIKK_PROJECT"], env["METRIKK_WAREHOUSE"],
    )  # fmt: skip
    assert s.norg2_url == env["METRIKK_NORG2_URL"]
    assert s.veilarbfilter_dsn == "postgresql://x@h/veilarbfilter"


def test_airflow_tasks_run_real_commands():
    """Every `metrikk_task` in the Airflow DAG file runs a command the CLI parses (the file
    itself needs Airflow, so its calls are read from its syntax tree)."""
    import ast

    tree = ast.parse((ROOT / "deploy" / "airflow" / "metrikk_dag.py").read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "metrikk_task"
    ]
    commands = [ast.literal_eval(call.args[2]) for call in calls]
    assert ["ingest", "veiledergrupper", "--alle-lokale"] in commands
    assert ["ingest", "norg2"] in commands
    for command in commands:
        parse_cli(command)
