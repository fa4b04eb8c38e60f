"""The apps' own tables, as their Flyway migrations create them, and realistic rows for them.

DDL after research/etterlevelse-behandlingskatalog.md §1.1, §1.5 and the etterlevelse migrations
V1.3 (audit_version), V1.5 (codelist), V1.33/V1.38/V1.39/V1.40 (own tables) and V1.56 (an extra
DELETE_REASON column the ingest must simply ignore); polly V1.12/V1.13/V1.16 (no VERSION).
Rows are built by seeded code, with JSON shapes of the real writers (generic-storage envelope
and own-table roots, change-stamp fields, explicit nulls, Norwegian text).
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

ETTERLEVELSE_DDL = """
CREATE TABLE IF NOT EXISTS AUDIT_VERSION
(
    AUDIT_ID   UUID PRIMARY KEY,
    ACTION     TEXT      NOT NULL,
    TABLE_NAME TEXT      NOT NULL,
    TABLE_ID   TEXT      NOT NULL,
    USER_ID    TEXT      NOT NULL,
    TIME       TIMESTAMP NOT NULL,
    VERSION    INTEGER   NOT NULL,
    DATA       JSONB     NOT NULL
);
CREATE INDEX IF NOT EXISTS AUDIT_VERSION_TIME ON AUDIT_VERSION (TIME DESC);
CREATE INDEX IF NOT EXISTS AUDIT_VERSION_TABLE_ID ON AUDIT_VERSION (TABLE_ID);
ALTER TABLE AUDIT_VERSION ADD COLUMN IF NOT EXISTS DELETE_REASON TEXT;

CREATE TABLE IF NOT EXISTS CODELIST
(
    LIST_NAME          TEXT      NOT NULL,
    CODE               TEXT      NOT NULL,
    SHORT_NAME         TEXT      NOT NULL,
    DESCRIPTION        TEXT      NOT NULL,
    DATA               JSONB     NULL,
    VERSION            INTEGER   NOT NULL,
    CREATED_BY         TEXT      NOT NULL,
    CREATED_DATE       TIMESTAMP NOT NULL,
    LAST_MODIFIED_BY   TEXT      NOT NULL,
    LAST_MODIFIED_DATE TIMESTAMP NOT NULL,
    UNIQUE (LIST_NAME, CODE)
);

create table if not exists etterlevelse_dokumentasjon
(
    id                 uuid primary key,
    data               jsonb     not null,
    version            integer   not null,
    created_by         text      not null,
    created_date       timestamp not null,
    last_modified_by   text      not null,
    last_modified_date timestamp not null
);

create table if not exists krav
(
    id                 uuid primary key,
    krav_nummer        integer   not null,
    krav_versjon       integer   not null,
    data               jsonb     not null,
    version            integer   not null,
    created_by         text      not null,
    created_date       timestamp not null,
    last_modified_by   text      not null,
    last_modified_date timestamp not null,
    unique (krav_nummer, krav_versjon)
);

create table if not exists tilbakemelding
(
    id                 uuid primary key,
    krav_nummer        integer   not null,
    krav_versjon       integer   not null,
    data               jsonb     not null,
    version            integer   not null,
    created_by         text      not null,
    created_date       timestamp not null,
    last_modified_by   text      not null,
    last_modified_date timestamp not null,
    foreign key (krav_nummer, krav_versjon) references krav (krav_nummer, krav_versjon)
);

create table if not exists etterlevelse_metadata
(
    id                         uuid primary key,
    krav_nummer                integer   not null,
    krav_versjon               integer   not null,
    etterlevelse_dokumentasjon uuid      not null references etterlevelse_dokumentasjon (id),
    data                       jsonb     not null,
    version                    integer   not null,
    created_by                 text      not null,
    created_date               timestamp not null,
    last_modified_by           text      not null,
    last_modified_date         timestamp not null,
    foreign key (krav_nummer, krav_versjon) references krav (krav_nummer, krav_versjon)
);
"""

POLLY_DDL = """
CREATE TABLE IF NOT EXISTS AUDIT_VERSION
(
    AUDIT_ID   UUID PRIMARY KEY,
    ACTION     TEXT NOT NULL,
    TABLE_NAME TEXT NOT NULL,
    TABLE_ID   TEXT NOT NULL,
    TIME       TIMESTAMP NOT NULL,
    DATA       JSONB NOT NULL,
    USER_ID    TEXT
);
CREATE INDEX IF NOT EXISTS IDX_AUDIT_TIME ON AUDIT_VERSION (TIME DESC);
CREATE INDEX IF NOT EXISTS IDX_AUDIT_TABLE_ID ON AUDIT_VERSION (TABLE_ID);
"""

USERS = [
    "A123456 - Kari Nordmann",
    "B234567 - Ola Nordmann",
    "C345678 - Per Hansen",
    "D456789 - Åse Ødegård",
    "no user set",
    "etterlevelse-app",
]


@dataclass
class AuditRow:
    audit_id: str
    action: str
    table_name: str
    table_id: str
    user: str
    time: datetime
    version: int | None
    data: dict

    def as_tuple(self, *, with_version: bool) -> tuple:
        base = (self.audit_id, self.action, self.table_name, self.table_id, self.user, self.time)
        return (
            (*base, self.version, json.dumps(self.data))
            if with_version
            else (*base, json.dumps(self.data))
        )


def _stamp(by: str, created: datetime, modified: datetime, version: int | None) -> dict:
    stamp = {
        "createdBy": by,
        "createdDate": created.isoformat(),
        "lastModifiedBy": by,
        "lastModifiedDate": modified.isoformat(),
    }
    if version is not None:
        stamp["version"] = version
    return stamp


def etterlevelse_audit_rows(
    rng: random.Random, n: int, start: datetime, step: timedelta = timedelta(minutes=7)
) -> list[AuditRow]:
    """n etterlevelse audit rows, `step` apart on average from `start`, in the writers' shapes."""
    docs = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in range(max(3, n // 20))]
    versions: dict[str, int] = {}
    rows = []
    t = start
    for _ in range(n):
        t += timedelta(
            seconds=rng.randint(1, int(step.total_seconds()) * 2),
            microseconds=rng.randint(0, 999_999),
        )
        user = rng.choice(USERS)
        kind = rng.random()
        if kind < 0.35:  # old generic-storage Etterlevelse answer
            entity_id = str(uuid.UUID(int=rng.getrandbits(128)))
            table_name = "Etterlevelse"
            inner = {
                "id": entity_id,
                "behandlingId": None,
                "etterlevelseDokumentasjonId": rng.choice(docs),
                "kravNummer": rng.randint(101, 300),
                "kravVersjon": rng.randint(1, 3),
                "status": rng.choice(
                    [
                        "UNDER_REDIGERING",
                        "FERDIG",
                        "FERDIG_DOKUMENTERT",
                        "IKKE_RELEVANT_FERDIG_DOKUMENTERT",
                    ]
                ),
                "suksesskriterieBegrunnelser": [
                    {
                        "suksesskriterieId": k,
                        "begrunnelse": "Vi har vurdert dette – se rutine «ROS».",
                        "suksesskriterieStatus": rng.choice(
                            ["UNDER_ARBEID", "OPPFYLT", "IKKE_RELEVANT"]
                        ),
                    }
                    for k in range(1, rng.randint(1, 4) + 1)
                ],
            }
            data = {
                "id": entity_id,
                "type": "Etterlevelse",
                "data": inner,
                **_stamp(user, start, t, versions.get(entity_id, 0)),
            }
        elif kind < 0.7:  # own-table ETTERLEVELSE
            entity_id = str(uuid.UUID(int=rng.getrandbits(128)))
            table_name = "ETTERLEVELSE"
            data = {
                "id": entity_id,
                "behandlingId": None,
                "etterlevelseDokumentasjonId": rng.choice(docs),
                "kravNummer": rng.randint(101, 300),
                "kravVersjon": rng.randint(1, 3),
                "etterlevelseData": {
                    "status": "FERDIG_DOKUMENTERT",
                    "fristForFerdigstillelse": None,
                    "suksesskriterieBegrunnelser": [],
                },
                **_stamp(user, start, t, 0),
            }
        else:  # own-table ETTERLEVELSE_DOKUMENTASJON, revisiting known documents
            entity_id = rng.choice(docs)
            table_name = rng.choice(["ETTERLEVELSE_DOKUMENTASJON", "EtterlevelseDokumentasjon"])
            payload = {
                "title": f"Dokument {entity_id[:4]} – «Sak» og ytelse",
                "etterlevelseNummer": 101 + docs.index(entity_id),
                "irrelevansFor": rng.sample(
                    ["SAK", "INNSYN", "ARKIV", "PERSONVERN"], rng.randint(0, 2)
                ),
                "behandlingIds": [],
                "teams": ["team-" + entity_id[:6]],
                "avdeling": None,
                "nomAvdelingId": "nom-" + entity_id[:3],
                "avdelingNavn": "Arbeid og ytelser",
            }
            if table_name == "ETTERLEVELSE_DOKUMENTASJON":
                data = {
                    "id": entity_id,
                    "etterlevelseDokumentasjonData": payload,
                    **_stamp(user, start, t, 0),
                }
            else:
                data = {
                    "id": entity_id,
                    "type": "EtterlevelseDokumentasjon",
                    "data": payload,
                    **_stamp(user, start, t, 0),
                }
        version = versions.get(entity_id, -1) + 1
        versions[entity_id] = version
        action = "CREATE" if version == 0 else rng.choice(["UPDATE"] * 9 + ["DELETE"])
        rows.append(
            AuditRow(
                str(uuid.UUID(int=rng.getrandbits(128))),
                action,
                table_name,
                entity_id,
                user,
                t,
                version,
                data,
            )
        )
    return rows


def polly_audit_rows(rng: random.Random, n: int, start: datetime) -> list[AuditRow]:
    """n behandlingskatalogen audit rows: PROCESS (old and new shapes), POLICY and CODELIST."""
    rows = []
    t = start
    for i in range(n):
        t += timedelta(seconds=rng.randint(1, 900), microseconds=rng.randint(0, 999_999))
        kind = rng.random()
        user = rng.choice(["A123456 - Kari Nordmann", "no-user-set", "n/a", "Datajegerne"])
        if kind < 0.5:
            pid = str(uuid.UUID(int=rng.getrandbits(128)))
            table, table_id = "PROCESS", pid
            if rng.random() < 0.3:  # before 2020-11-24: name and purposeCode at the root
                data = {
                    "id": pid,
                    "name": "Saksbehandling",
                    "purposeCode": "DAGPENGER",
                    "data": {"legalBases": [], "start": "2019-01-01", "end": None},
                    "policies": [{"id": str(uuid.uuid4())}],
                    **_stamp(user, start, t, None),
                }
            else:
                data = {
                    "id": pid,
                    "data": {
                        "name": "Utbetaling",
                        "number": 101 + i,
                        "purposes": ["SYKEPENGER"],
                        "affiliation": {
                            "department": "YTA",
                            "subDepartments": [],
                            "productTeams": ["team-a"],
                        },
                        "dataProcessing": {"processors": []},
                        "status": "IN_PROGRESS",
                    },
                    "policies": [],
                    **_stamp(user, start, t, None),
                }
        elif kind < 0.8:
            pid = str(uuid.UUID(int=rng.getrandbits(128)))
            table, table_id = "POLICY", pid
            data = {
                "id": pid,
                "data": {"legalBases": [{"gdpr": "ART61C", "nationalLaw": "FTRL"}]},
                "informationType": {"id": str(uuid.uuid4())},
                "informationTypeName": "Sivilstand",
                "process": {"id": str(uuid.uuid4())},
                **_stamp(user, start, t, None),
            }
        else:
            code = rng.choice(["PESYS", "ARENA", "GOSYS"])
            table, table_id = "CODELIST", f"SYSTEM-{code}"
            data = {
                "list": "SYSTEM",
                "code": code,
                "shortName": code.title(),
                "description": "Fagsystem",
                **_stamp(user, start, t, None),
            }
        rows.append(
            AuditRow(
                str(uuid.UUID(int=rng.getrandbits(128))),
                rng.choice(["CREATE", "UPDATE"]),
                table,
                table_id,
                user,
                t,
                None,
                data,
            )
        )
    return rows


def create_etterlevelse(con: psycopg.Connection) -> None:
    con.execute(ETTERLEVELSE_DDL)


def create_polly(con: psycopg.Connection) -> None:
    con.execute(POLLY_DDL)


def insert_audit(con: psycopg.Connection, rows: list[AuditRow], *, with_version: bool) -> None:
    """Insert audit rows with COPY FROM STDIN (fast enough for the 200k measurement)."""
    cols = "audit_id, action, table_name, table_id, user_id, time" + (
        ", version, data" if with_version else ", data"
    )
    with con.cursor() as cur, cur.copy(f"COPY audit_version ({cols}) FROM STDIN") as copy:
        for r in rows:
            copy.write_row(r.as_tuple(with_version=with_version))


@dataclass
class CurrentTables:
    """The rows of etterlevelse's current tables, as inserted (for comparison after ingest)."""

    krav: list[tuple]
    codelist: list[tuple]
    dokumentasjon: list[tuple]
    tilbakemelding: list[tuple]
    metadata: list[tuple]


def insert_current(
    con: psycopg.Connection, rng: random.Random, *, n_krav: int = 12
) -> CurrentTables:
    """Fill krav, codelist, etterlevelse_dokumentasjon, tilbakemelding and metadata."""
    now = datetime(2026, 11, 20, 12, 0, 0)
    stamp = ("A123456 - Kari Nordmann", now - timedelta(days=400), "A123456 - Kari Nordmann", now)
    krav = []
    for i in range(n_krav):
        nummer, versjon = 101 + i // 2, 1 + i % 2
        status = rng.choice(["AKTIV", "UTGAATT", "UTKAST"])
        data = {
            "navn": f"Krav om «{nummer}»",
            "status": status,
            "relevansFor": rng.sample(["SAK", "INNSYN"], rng.randint(0, 2)),
            "regelverk": [{"lov": "PERSONOPPLYSNINGSLOVEN", "spesifisering": "art. 5"}],
            "suksesskriterier": [
                {"id": 1, "navn": "Første", "beskrivelse": None, "behovForBegrunnelse": True}
            ],
            "aktivertDato": None,
            "tagger": [],
        }
        krav.append(
            (str(uuid.UUID(int=rng.getrandbits(128))), nummer, versjon, json.dumps(data), 0, *stamp)
        )
    codelist = [
        (
            "LOV",
            "PERSONOPPLYSNINGSLOVEN",
            "Personopplysningsloven",
            "Lov om behandling av personopplysninger",
            json.dumps({"tema": "PERSONVERN", "underavdeling": "JURIDISK"}),
            0,
            *stamp,
        ),
        (
            "TEMA",
            "PERSONVERN",
            "Personvern",
            "Personvern og informasjonssikkerhet",
            None,
            0,
            *stamp,
        ),
        ("RELEVANS", "SAK", "Saksbehandling", "", json.dumps({}), 0, *stamp),
        ("RELEVANS", "INNSYN", "Innsyn", "Innsyn i egen sak", None, 0, *stamp),
    ]
    docs = []
    for i in range(5):
        data = {
            "title": f"Dokument nr. {i}",
            "etterlevelseNummer": 101 + i,
            "irrelevansFor": ["SAK"] if i % 2 else [],
            "teams": [],
            "risikoeiere": None,
        }
        docs.append((str(uuid.UUID(int=rng.getrandbits(128))), json.dumps(data), 0, *stamp))
    tilbakemelding = []
    for i in range(4):
        k = krav[i]
        data = {
            "tittel": "Uklart krav",
            "type": "UKLAR",
            "status": rng.choice(["UBESVART", "BESVART", None]),
            "melder": {
                "ident": "B234567",
                "varslingsadresse": {"adresse": "#kanal", "type": "SLACK"},
            },
            "meldinger": [
                {
                    "meldingNr": 1,
                    "fraIdent": "B234567",
                    "rolle": "MELDER",
                    "tid": "2025-06-01T10:00:00",
                    "innhold": "Hva menes med «rutine»?",
                }
            ],
            "endretKrav": False,
        }
        created = now - timedelta(days=30 * i, microseconds=123456 * i)
        tilbakemelding.append(
            (
                str(uuid.UUID(int=rng.getrandbits(128))),
                k[1],
                k[2],
                json.dumps(data),
                0,
                stamp[0],
                created,
                stamp[2],
                now,
            )
        )
    metadata = []
    for i in range(3):
        k = krav[i]
        data = {
            "tildeltMed": ["Kari Nordmann"],
            "notater": "Må sjekkes\nmed juristene" if i == 0 else None,
        }
        metadata.append(
            (
                str(uuid.UUID(int=rng.getrandbits(128))),
                k[1],
                k[2],
                docs[i][0],
                json.dumps(data),
                0,
                *stamp,
            )
        )
    with con.cursor() as cur:
        cur.executemany("INSERT INTO krav VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)", krav)
        cur.executemany("INSERT INTO codelist VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", codelist)
        cur.executemany(
            "INSERT INTO etterlevelse_dokumentasjon VALUES (%s,%s,%s,%s,%s,%s,%s)", docs
        )
        cur.executemany(
            "INSERT INTO tilbakemelding VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)", tilbakemelding
        )
        cur.executemany(
            "INSERT INTO etterlevelse_metadata VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)", metadata
        )
    return CurrentTables(krav, codelist, docs, tilbakemelding, metadata)
