"""Hand-made tiltak sources written as contract CSV files (`tiltak_bronze.<table>.csv`).

`Kilder` collects rows per landing table and writes one CSV per table with every declared
column (empty = null), so tests feed data in exactly as a user would: `metrikk load DIR`.
Timestamps are written as ISO 8601 with `Z` (UTC), as the contract says sources are.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from itertools import count
from pathlib import Path

from metrikk.catalog import landing_table

SCHEMA = "tiltak_bronze"
_ids = count(1)


def _utc(ts: str | None) -> str | None:
    if ts is None:
        return None
    ts = ts.removesuffix("Z")
    if len(ts) == 16:  # YYYY-MM-DDTHH:MM
        ts += ":00"
    return ts + "Z"


class Kilder:
    """Rows for the tiltak landing tables, with helpers named after what a row means."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = defaultdict(list)

    def add(self, table: str, **row: object) -> None:
        landing_table(f"{SCHEMA}.{table}")  # fails on an unknown table
        self.rows[table].append(row)

    # reference data -------------------------------------------------------------------------
    def enhet(self, nr: str, navn: str, type: str = "LOKAL", overordnet: str | None = None) -> None:
        self.add(
            "nav_enhet",
            enhetsnummer=nr,
            navn=navn,
            type=type,
            status="Aktiv",
            overordnet_enhet=overordnet,
        )

    def tiltakstype(self, id: str, tiltakskode: str, navn: str) -> None:
        self.add("tiltakstype", id=id, navn=navn, tiltakskode=tiltakskode)

    def gjennomforing(
        self,
        id: str,
        tiltakstype_id: str,
        enheter: tuple[str, ...] = (),
        plasser: int | None = None,
        oppstart: str = "LOPENDE",
    ) -> None:
        self.add(
            "gjennomforing",
            id=id,
            tiltakstype_id=tiltakstype_id,
            navn=f"Gjennomføring {id}",
            status="GJENNOMFORES",
            oppstart=oppstart,
            antall_plasser=plasser,
            start_dato="2021-01-01",
            opprettet_tidspunkt="2021-01-01T08:00:00Z",
            oppdatert_tidspunkt="2021-01-01T08:00:00Z",
        )
        for e in enheter:
            self.add("gjennomforing_nav_enhet", gjennomforing_id=id, enhetsnummer=e)

    # deltakelser ----------------------------------------------------------------------------
    def deltaker(
        self,
        id: str,
        person: str,
        gjennomforing: str,
        start: str | None,
        slutt: str | None = None,
        statuser: list[tuple[str, str, str | None]] | None = None,
        registrert: str | None = None,
    ) -> None:
        """A Komet deltaker; `statuser` = [(status, gyldig_fra, gyldig_til)], default DELTAR from start."""
        registrert = registrert or f"{start or '2022-01-03'}T08:00:00Z"
        self.add(
            "deltaker",
            id=id,
            person_id=person,
            gjennomforing_id=gjennomforing,
            start_dato=start,
            slutt_dato=slutt,
            registrert_tidspunkt=_utc(registrert),
            kilde="KOMET",
        )
        if statuser is None:
            statuser = [("DELTAR", f"{start}T08:00:00Z", None)]
        for status, fra, til in statuser:
            self.add(
                "deltaker_status",
                id=f"s{next(_ids)}",
                deltaker_id=id,
                status=status,
                gyldig_fra=_utc(fra),
                gyldig_til=_utc(til),
                opprettet=_utc(fra),
            )

    def avtale(
        self,
        avtale_id: str,
        person: str,
        tiltakstype: str,
        status: str,
        start: str | None,
        slutt: str | None = None,
        enhet_oppfolging: str | None = None,
        versjon: int = 1,
        tidspunkt: str | None = None,
    ) -> None:
        """One event of an arbeidsgiver avtale (call again with a higher versjon for later events)."""
        self.add(
            "arbeidsgiver_avtale_hendelse",
            hendelse_id=f"h{next(_ids)}",
            avtale_id=avtale_id,
            tidspunkt=_utc(tidspunkt or f"{start or '2022-01-03'}T09:00:00Z"),
            hendelse_type="ENDRET",
            versjon=versjon,
            person_id=person,
            tiltakstype=tiltakstype,
            avtale_status=status,
            start_dato=start,
            slutt_dato=slutt,
            enhet_oppfolging=enhet_oppfolging,
        )

    # person history -------------------------------------------------------------------------
    def vedtak(self, person: str, innsatsgruppe: str, fattet: str) -> None:
        self.add(
            "vedtak_14a",
            vedtak_id=f"v{next(_ids)}",
            person_id=person,
            innsatsgruppe=innsatsgruppe,
            fattet_tidspunkt=_utc(fattet),
        )

    def kontor(self, person: str, kontor: str, endret: str) -> None:
        self.add(
            "oppfolgingskontor_historikk",
            person_id=person,
            kontor_id=kontor,
            endret_tidspunkt=_utc(endret),
        )

    def tilordning(self, person: str, veileder: str, tidspunkt: str, seq: int) -> None:
        self.add(
            "veileder_tilordning",
            person_id=person,
            veileder_ident=veileder,
            tilordnet_tidspunkt=_utc(tidspunkt),
            tilordning_seq=seq,
        )

    def medlem(
        self, dager: list[str], enhet: str, gruppe_id: str, navn: str, veileder: str
    ) -> None:
        """`veileder` is a member of the group in the snapshot of each day in `dager`."""
        for d in dager:
            self.add(
                "veiledergruppe_snapshot",
                snapshot_dato=d,
                enhetsnummer=enhet,
                gruppe_id=gruppe_id,
                gruppe_navn=navn,
                veileder_ident=veileder,
            )

    def avdeling(self, enhet: str, gruppe_id: str, avdeling: str) -> None:
        self.add(
            "avdeling_veiledergruppe", enhetsnummer=enhet, gruppe_id=gruppe_id, avdeling=avdeling
        )

    def oppfolging(self, person: str, start: str, slutt: str | None = None) -> None:
        """An oppfølgingsperiode from `start` to `slutt` (UTC timestamps; None = open)."""
        self.add(
            "oppfolgingsperiode", person_id=person, startdato=_utc(start), sluttdato=_utc(slutt)
        )

    def tiltaksgruppe(self, enhet: str | None, tiltakskode: str, tiltaksgruppe: str) -> None:
        """An office's own tiltaksgruppe for a tiltakskode; `enhet` None = the national default."""
        self.add(
            "tiltaksgruppe",
            enhetsnummer=enhet,
            tiltakskode=tiltakskode,
            tiltaksgruppe=tiltaksgruppe,
        )

    # output ---------------------------------------------------------------------------------
    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        for table, rows in self.rows.items():
            columns = landing_table(f"{SCHEMA}.{table}").column_names
            with (directory / f"{SCHEMA}.{table}.csv").open("w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(columns)
                for row in rows:
                    unknown = set(row) - set(columns)
                    assert not unknown, f"{table}: unknown columns {unknown}"
                    w.writerow(["" if row.get(c) is None else row[c] for c in columns])
        return directory


def dager(fra: str, til: str) -> list[str]:
    """Every date from `fra` to `til` inclusive, as ISO strings."""
    from datetime import date, timedelta

    a, b = date.fromisoformat(fra), date.fromisoformat(til)
    return [(a + timedelta(days=i)).isoformat() for i in range((b - a).days + 1)]
