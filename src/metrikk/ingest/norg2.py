"""`metrikk ingest norg2`: every NAV enhet with its type, status and overordnet enhet, from Norg2,
into the raw table `kilde_norg2.enhet` (location in pipeline/kilder.yaml), replaced as a whole.

Valp does not replicate its `nav_enhet` table, so metrikk reads Norg2 itself, as Valp does
(research/tiltak.md §4.2): `GET {url}/api/v1/enhet/kontaktinformasjon/organisering/all` with the
header `consumerId: metrikk` (no token inside NAV's network) answers a list of
`{"enhet": {"enhetId", "navn", "enhetNr", "status", "type", …}, "overordnetEnhet": "0600"|null}`.
Every enhet becomes one row `(enhet_id, navn, enhet_nr, status, type, overordnet_enhet,
hentet_tidspunkt)`; the source layer (`tiltak_kilde.nav_enhet`) maps it to tiltak_bronze.

All or nothing: an answer that fails after the retries (`ingest.rest`), is not the documented
shape, is empty, or lists one enhetNr twice with different content changes nothing.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from metrikk.ingest import raw
from metrikk.ingest.errors import IngestError
from metrikk.ingest.rest import DEFAULT_POLICY, HttpPolicy, RestError, get_json, json_kind

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from metrikk.catalog import LandingTable
    from metrikk.ingest.to_bigquery import Target
    from metrikk.settings import Settings

KILDE = "norg2"
TABELL = "enhet"
PATH = "/api/v1/enhet/kontaktinformasjon/organisering/all"
CONSUMER_ID = "metrikk"
COLUMNS = ("enhet_id", "navn", "enhet_nr", "status", "type", "overordnet_enhet", "hentet_tidspunkt")


@dataclass(frozen=True)
class Enhet:
    enhet_id: int
    navn: str
    enhet_nr: str
    status: str
    type: str
    overordnet_enhet: str | None


@dataclass
class Norg2Result:
    url: str
    table: str
    rows: int
    seconds: float


def _text(enhet: dict, key: str, at: str) -> str:
    value = enhet.get(key)
    if not isinstance(value, str) or not value.strip():
        raise IngestError(f"{at}: enhet.{key} mangler eller er tom (fikk {json_kind(value)}).")
    return value.strip()


def parse(payload: Any, where: str) -> list[Enhet]:
    """The enheter of Norg2's organisering answer, one per enhetNr; IngestError naming the
    element and field that does not have the documented shape."""
    if not isinstance(payload, list):
        raise IngestError(f"{where} er ikke en liste av enheter (fikk {json_kind(payload)}).")
    if not payload:
        raise IngestError(f"{where} er en tom liste; {TABELL} beholdes som den er.")
    by_nr: dict[str, Enhet] = {}
    for i, item in enumerate(payload, start=1):
        at = f"{where}, element nr. {i}"
        if not isinstance(item, dict) or not isinstance(item.get("enhet"), dict):
            got = item.get("enhet") if isinstance(item, dict) else item
            raise IngestError(f"{at}: mangler objektet «enhet» (fikk {json_kind(got)}).")
        e = item["enhet"]
        nr = _text(e, "enhetNr", at)
        at = f"{at} (enhetNr {nr})"
        enhet_id = e.get("enhetId")
        if isinstance(enhet_id, bool) or not isinstance(enhet_id, int):
            raise IngestError(
                f"{at}: enhet.enhetId er ikke et heltall (fikk {json_kind(enhet_id)})."
            )
        over = item.get("overordnetEnhet")
        if over is not None and not isinstance(over, str):
            raise IngestError(
                f"{at}: overordnetEnhet er ikke tekst eller null (fikk {json_kind(over)})."
            )
        parsed = Enhet(
            enhet_id,
            _text(e, "navn", at),
            nr,
            _text(e, "status", at),
            _text(e, "type", at),
            (over or "").strip() or None,
        )
        seen = by_nr.get(nr)
        if seen is not None and seen != parsed:
            raise IngestError(f"{at}: enhetNr {nr} står to ganger i svaret, med ulikt innhold.")
        by_nr[nr] = parsed
    return [by_nr[nr] for nr in sorted(by_nr)]


def fetch(
    url: str, *, policy: HttpPolicy = DEFAULT_POLICY, sleep=time.sleep
) -> tuple[list[Enhet], str]:
    """Every enhet from Norg2 at `url` (its base, e.g. https://norg2.intern.nav.no/norg2)."""
    full = url.rstrip("/") + PATH
    try:
        payload = get_json(
            full,
            what=f"Norg2 ({full})",
            headers={"consumerId": CONSUMER_ID},
            policy=policy,
            sleep=sleep,
        )
    except RestError as e:
        message = str(e)
        raise IngestError(message[:1].upper() + message[1:]) from None
    return parse(payload, f"Svaret fra Norg2 ({full})"), full


def _arrow(enheter: list[Enhet], hentet: datetime) -> pa.Table:
    import pyarrow as pa

    return pa.table(
        {
            "enhet_id": pa.array([e.enhet_id for e in enheter], pa.int64()),
            "navn": pa.array([e.navn for e in enheter], pa.string()),
            "enhet_nr": pa.array([e.enhet_nr for e in enheter], pa.string()),
            "status": pa.array([e.status for e in enheter], pa.string()),
            "type": pa.array([e.type for e in enheter], pa.string()),
            "overordnet_enhet": pa.array([e.overordnet_enhet for e in enheter], pa.string()),
            "hentet_tidspunkt": pa.array([hentet] * len(enheter), pa.timestamp("us")),
        }
    )


def _replace_sql(table: LandingTable, incoming: str) -> list[str]:
    cols = ", ".join(raw.ident(c) for c in COLUMNS)
    return [
        raw.checked(f"DELETE FROM {raw.ref(table)} WHERE TRUE"),
        raw.checked(f"INSERT INTO {raw.ref(table)} ({cols}) SELECT {cols} FROM {incoming}"),
    ]


def ingest_norg2(
    settings: Settings,
    url: str,
    *,
    policy: HttpPolicy = DEFAULT_POLICY,
    sleep=time.sleep,
    target: Target | None = None,
) -> Norg2Result:
    """Replace the raw Norg2 table with every enhet Norg2 lists now (DuckDB or BigQuery).

    Raises IngestError (bokmål) and changes nothing when Norg2 cannot be read, answers something
    else than the documented list, or the write fails.
    """
    started = time.perf_counter()
    table = raw.raw_table(settings, KILDE, TABELL)
    enheter, full = fetch(url, policy=policy, sleep=sleep)
    hentet = datetime.now(UTC).replace(tzinfo=None)
    data = _arrow(enheter, hentet)
    if settings.target == "bigquery":
        rows = _write_bigquery(settings, table, data, target)
    elif settings.target == "duckdb":
        rows = _write_duckdb(settings, table, data)
    else:
        raise IngestError(f"Ukjent mål «{settings.target}». Velg duckdb eller bigquery.")
    return Norg2Result(full, table.name, rows, time.perf_counter() - started)


def _write_duckdb(settings: Settings, table: LandingTable, data: pa.Table) -> int:
    from metrikk.warehouse import record_datasett

    def work(con: duckdb.DuckDBPyConnection) -> int:
        con.register("_norg2_incoming", data)
        try:
            for statement in _replace_sql(table, raw.ident("_norg2_incoming")):
                raw.run_on_duckdb(con, statement)
        finally:
            con.unregister("_norg2_incoming")
        return record_datasett(con, table, syntetisk=False)

    return raw.write_duckdb(settings, table, work)


def _write_bigquery(
    settings: Settings, table: LandingTable, data: pa.Table, target: Target | None
) -> int:
    from metrikk.ingest import bigquery_sql as bq

    target = raw.bigquery_target(settings, target)
    raw.prepare_bigquery(target, table)
    staging = None
    try:
        staging = raw.stage(target, table, data, uuid.uuid4().hex[:12])
        statements = [
            "BEGIN TRANSACTION",
            *_replace_sql(table, raw.ref(table, staging)),
            bq.merge_datasett([table]),
            "COMMIT TRANSACTION",
        ]
        target.execute(bq.script(statements))
        (total,) = target.query(bq.row_count(table))[0]
    finally:
        raw.drop_staging(target, table, staging)
    return int(total)
