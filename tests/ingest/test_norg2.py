"""`metrikk ingest norg2` (`ingest/norg2.py`): Norg2's organisering answer, from a real local HTTP
server speaking its documented JSON (errors included), replaces `kilde_norg2.enhet` in a real
DuckDB warehouse or the BigQuery stand-in, all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from bq_standin import DuckDBStandIn
from rest_server import Answer, RestServer

from metrikk.ingest import IngestError
from metrikk.ingest.norg2 import ingest_norg2
from metrikk.ingest.rest import HttpPolicy
from metrikk.settings import Settings

PATH = "/norg2/api/v1/enhet/kontaktinformasjon/organisering/all"
FAST = HttpPolicy(timeout=0.5, attempts=3, backoff=0.01)


def enhet(enhet_id, nr: str, navn: str, type_: str, over: str | None, status="Aktiv") -> dict:
    """One element of the answer, as Norg2 gives it (more fields than metrikk reads)."""
    return {
        "enhet": {
            "enhetId": enhet_id,
            "navn": navn,
            "enhetNr": nr,
            "antallRessurser": 0,
            "status": status,
            "orgNivaa": "EN",
            "type": type_,
            "organisasjonsnummer": None,
            "underEtableringDato": "1970-01-01",
            "aktiveringsdato": "1970-01-01",
            "versjon": 3,
        },
        "overordnetEnhet": over,
    }


ORGANISERING = [
    enhet(100000090, "0219", "Nav Bærum", "LOKAL", "0600"),
    enhet(100000091, "0220", "Nav Asker", "LOKAL", "0600"),
    enhet(100000600, "0600", "Nav Vest-Viken", "FYLKE", None),
    enhet(100004154, "4154", "Nasjonal oppfølgingsenhet", "OPPFUTLAND", None, "Under avvikling"),
    enhet(100000091, "0220", "Nav Asker", "LOKAL", "0600"),  # listed twice, the same
]
EXPECTED = [
    (100000090, "Nav Bærum", "0219", "Aktiv", "LOKAL", "0600"),
    (100000091, "Nav Asker", "0220", "Aktiv", "LOKAL", "0600"),
    (100000600, "Nav Vest-Viken", "0600", "Aktiv", "FYLKE", None),
    (100004154, "Nasjonal oppfølgingsenhet", "4154", "Under avvikling", "OPPFUTLAND", None),
]


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


def run(settings: Settings, server: RestServer, **kwargs):
    kwargs.setdefault("policy", FAST)
    kwargs.setdefault("sleep", Sleeps())
    return ingest_norg2(settings, f"{server.url}/norg2/", **kwargs)


def enheter(path: Path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            "SELECT enhet_id, navn, enhet_nr, status, type, overordnet_enhet "
            "FROM kilde_norg2.enhet ORDER BY enhet_nr"
        ).fetchall()


def test_organisering_replaces_the_raw_table(server, settings):
    """Every enhet lands once, with its overordnet enhet and the time it was fetched; the header
    consumerId is sent; a second fetch replaces the table; datasett says real data."""
    server.route(PATH, Answer(200, ORGANISERING))
    before = datetime.now(UTC).replace(tzinfo=None)
    result = run(settings, server)
    assert enheter(settings.warehouse) == EXPECTED and result.rows == 4
    assert server.requests[0].headers.get("consumerid") == "metrikk"
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        (hentet,) = con.execute(
            "SELECT DISTINCT hentet_tidspunkt FROM kilde_norg2.enhet"
        ).fetchone()
        meta = con.execute(
            "SELECT syntetisk, rader FROM metrikk_meta.datasett "
            "WHERE schema_name = 'kilde_norg2' AND table_name = 'enhet'"
        ).fetchone()
    assert before <= hentet <= datetime.now(UTC).replace(tzinfo=None)
    assert meta == (False, 4)
    server.route(PATH, Answer(200, ORGANISERING[:1]))
    run(settings, server)
    assert enheter(settings.warehouse) == EXPECTED[:1]


def test_500_then_success_is_retried(server, settings):
    """A 503 is retried after a backoff pause and the next answer lands."""
    sleeps = Sleeps()
    server.route(PATH, Answer(503, b""), Answer(200, ORGANISERING))
    run(settings, server, sleep=sleeps)
    assert server.count(PATH) == 2 and sleeps == [0.01]
    assert enheter(settings.warehouse) == EXPECTED


def landed(server: RestServer, settings: Settings) -> list[tuple]:
    server.route(PATH, Answer(200, ORGANISERING))
    run(settings, server)
    return enheter(settings.warehouse)


@pytest.mark.parametrize(
    "answer,expected,requests",
    [
        (Answer(500, {"message": "feil"}), r"Norg2 \(http://.*\) svarte HTTP 500.*ga opp etter 3", 3),
        (Answer(404, b"Not Found"), r"Norg2 \(http://.*/norg2/api/v1/.*\) svarte HTTP 404", 1),
        (Answer(401, b""), "svarte HTTP 401 \\(ikke autentisert\\)", 1),
        (Answer(200, ORGANISERING, delay=1.0), "svarte ikke innen 0.2 s.*ga opp etter 2", 2),
        (Answer(200, b"<html>Feil</html>"), "ikke er gyldig JSON.*<html>", 1),
        (Answer(200, {"enhet": {}}), "er ikke en liste av enheter", 1),
        (Answer(200, []), "tom liste; enhet beholdes", 1),
        (Answer(200, [{"overordnetEnhet": "0600"}]), "element nr. 1: mangler objektet «enhet»", 1),
        (
            Answer(200, [enhet("100000090", "0219", "Nav Bærum", "LOKAL", "0600")]),
            r"element nr. 1 \(enhetNr 0219\): enhet.enhetId er ikke et heltall",
            1,
        ),
        (
            Answer(200, [enhet(1, "0219", "", "LOKAL", "0600")]),
            r"\(enhetNr 0219\): enhet.navn mangler eller er tom",
            1,
        ),
        (
            Answer(200, [enhet(1, "0219", "Nav Bærum", "LOKAL", None),
                         enhet(1, "0219", "Nav Bærum", "LOKAL", "0600")]),
            "element nr. 2 \\(enhetNr 0219\\): enhetNr 0219 står to ganger",
            1,
        ),
    ],
)  # fmt: skip
def test_failure_changes_nothing(server, settings, answer, expected, requests):
    """Errors (HTTP, timeout, malformed JSON, the wrong shape) give a bokmål message naming
    what was wrong, after retries only where a retry can help, and the table stays as it was."""
    before = landed(server, settings)
    server.route(PATH, answer)
    policy = HttpPolicy(timeout=0.2, attempts=2, backoff=0.01) if answer.delay else FAST
    with pytest.raises(IngestError, match=expected):
        run(settings, server, policy=policy)
    assert server.count(PATH) == 1 + requests
    assert enheter(settings.warehouse) == before


def test_bigquery_gets_the_same_rows(server, tmp_path):
    """Through the BigQuery statements (run transpiled on the stand-in) the same rows land, and
    a second fetch replaces them."""
    standin = DuckDBStandIn(tmp_path / "bq.duckdb")
    with duckdb.connect(str(standin.path)) as con:
        con.execute("CREATE SCHEMA kilde_norg2")
    bigquery = Settings(warehouse=tmp_path / "cache.duckdb", target="bigquery", project="p")
    server.route(PATH, Answer(200, ORGANISERING))
    run(bigquery, server, target=standin)
    run(bigquery, server, target=standin)
    assert enheter(standin.path) == EXPECTED
    with duckdb.connect(str(standin.path), read_only=True) as con:
        assert con.execute(
            "SELECT syntetisk, rader FROM metrikk_meta.datasett WHERE schema_name = 'kilde_norg2'"
        ).fetchone() == (False, 4)


def test_cli_fetches_into_the_warehouse(server, metrikk, warehouse):
    """`metrikk ingest norg2 --url URL` writes the table and says how many enheter it got."""
    server.route(PATH, Answer(200, ORGANISERING))
    result = metrikk("ingest", "norg2", "--url", f"{server.url}/norg2")
    assert "Hentet 4 enheter fra Norg2" in " ".join(result.output.split())
    assert enheter(warehouse) == EXPECTED


def test_cli_failure_exits_1_and_says_nothing_changed(server, metrikk):
    """A failing Norg2 is exit 1 with the reason and «Ingenting ble endret»."""
    server.route(PATH, Answer(404, b""))
    result = metrikk("ingest", "norg2", "--url", f"{server.url}/norg2", expect=1)
    assert "HTTP 404" in result.output and "Ingenting ble endret" in result.output


def test_cli_without_url_is_a_usage_error(metrikk, monkeypatch):
    """Without --url or METRIKK_NORG2_URL the command says what to give (exit 2)."""
    monkeypatch.delenv("METRIKK_NORG2_URL", raising=False)
    result = metrikk("ingest", "norg2", expect=2)
    assert "METRIKK_NORG2_URL" in result.output
