"""Hand-made polly audit logs for the Behandlingskatalogen pipeline tests (see conftest.py).

`Polly` collects audit_version rows as the polly app writes them (root entity fields, the entity
payload under `data`), writes them as `landing_zone.behandlingskatalogen_audit_version.jsonl`,
loads that file with the real `metrikk load` and runs the real `metrikk run --domain etterlevelse`.

A run costs tens of seconds on the shared machine, so most tests are *scenarios*: each test module
registers a function that adds its own entities (with ids unique to that scenario) with
`@scenario`, the session fixture `stage` loads every scenario's rows into one warehouse and runs
once, and each test then reads its own entities. Tests that need a run of their own (a run that
must fail) use the function-scoped `polly` fixture.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from metrikk.cli import app

AS_OF = "2026-06-30"
SCENARIOS: list[Callable[[Polly], None]] = []


def scenario(fn: Callable[[Polly], None]) -> Callable[[Polly], None]:
    """Register a function that adds audit rows to the shared session warehouse."""
    SCENARIOS.append(fn)
    return fn


def uid(label: str) -> str:
    """A stable UUID for a readable label, so tests can name entities."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"metrikk-test/{label}"))


def process_data(name: str = "Behandling", number: int = 101, **overrides) -> dict:
    """A ProcessData document in the 2021+ shape with every sub-object filled."""
    data = {
        "name": name,
        "number": number,
        "purposes": ["AAP"],
        "description": "Beskrivelse",
        "additionalDescription": None,
        "start": "2020-01-01",
        "end": "9999-12-31",
        "affiliation": {
            "department": "YTA",
            "subDepartments": ["NAY"],
            "productTeams": ["team-1"],
            "products": ["PESYS"],
            "disclosureDispatchers": [],
        },
        "legalBases": [{"gdpr": "ART61C", "nationalLaw": "FTRL", "description": "§ 11-5"}],
        "usesAllInformationTypes": False,
        "automaticProcessing": True,
        "profiling": False,
        "dataProcessing": {"dataProcessor": False, "processors": []},
        "retention": {
            "retentionPlan": True,
            "retentionMonths": 120,
            "retentionStart": "Vedtak",
            "retentionDescription": None,
        },
        "dpia": {"needForDpia": False, "riskOwner": "A123456"},
        "status": "COMPLETED",
    }
    data.update(overrides)
    return data


@dataclass
class Polly:
    """A hand-made polly audit log."""

    rows: list[dict] = field(default_factory=list)

    def audit(
        self,
        table_name: str,
        table_id: str,
        time: str,
        doc: dict | None,
        action: str = "UPDATE",
        audit_id: str | None = None,
        user: str = "A123456 - Navn Navnesen",
    ) -> str:
        """Add one audit_version row; `doc` is the whole JSON document (root fields included)."""
        audit_id = audit_id or str(uuid.uuid4())
        self.rows.append(
            {
                "audit_id": audit_id,
                "action": action,
                "table_name": table_name,
                "table_id": table_id,
                "time": time,
                "user": user,
                "data": doc,
            }
        )
        return audit_id

    def process(
        self,
        pid: str,
        time: str,
        data: dict | None,
        action: str = "UPDATE",
        audit_id: str | None = None,
        **root,
    ) -> str:
        """A PROCESS row: root id and policies (ids), `data` = ProcessData, plus any old root
        fields.
        """
        doc = {
            "id": pid,
            "policies": [{"id": p} for p in root.pop("policies", [])],
            **root,
            "data": data,
        }
        return self.audit("PROCESS", pid, time, doc, action, audit_id)

    def policy(
        self,
        pol_id: str,
        time: str,
        process_id: str,
        it_id: str,
        data: dict | None = None,
        action: str = "UPDATE",
        audit_id: str | None = None,
        **root,
    ) -> str:
        """A POLICY row in the 2020-01+ shape (root process/informationType, payload under data),
        plus any root fields (e.g. the change stamp lastModifiedDate)."""
        doc = {
            "id": pol_id,
            "informationTypeId": it_id,
            "informationTypeName": "Navn",
            "informationType": {"id": it_id},
            "process": {"id": process_id},
            **root,
            "data": data
            if data is not None
            else {"purposes": ["AAP"], "subjectCategories": ["BRUKER"]},
        }
        return self.audit("POLICY", pol_id, time, doc, action, audit_id)

    def information_type(
        self,
        it_id: str,
        time: str = "2020-01-10T00:00:00",
        name: str = "Personalia",
        action: str = "CREATE",
        **data,
    ) -> str:
        doc = {"id": it_id, "termId": None, "data": {"name": name, "sensitivity": "POL", **data}}
        return self.audit("INFORMATION_TYPE", it_id, time, doc, action, user="system")

    def codelist(
        self,
        list_: str,
        code: str,
        short_name: str,
        time: str = "2020-01-01T00:00:00",
        action: str = "CREATE",
    ) -> str:
        doc = {"list": list_, "code": code, "shortName": short_name, "description": f"Om {code}"}
        return self.audit("CODELIST", f"{list_}-{code}", time, doc, action, user="Datajegerne")

    def processor(
        self, proc_id: str, time: str = "2021-02-01T00:00:00", action: str = "CREATE", **data
    ) -> str:
        doc = {
            "id": proc_id,
            "data": {
                "name": "Leverandør AS",
                "outsideEU": False,
                "countries": [],
                "contractOwner": "A123456",
                **data,
            },
        }
        return self.audit("PROCESSOR", proc_id, time, doc, action)

    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "landing_zone.behandlingskatalogen_audit_version.jsonl"
        path.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.rows), encoding="utf-8"
        )
        return directory


def invoke(warehouse: Path, *args: str):
    """Run the real `metrikk` CLI (typer's CliRunner) against `warehouse`."""
    return CliRunner().invoke(app, ["--warehouse", str(warehouse), *args], catch_exceptions=False)


def read(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Plain DuckDB query. Not read_only: `metrikk run` in this process leaves SQLMesh's
    read-write connection open, and DuckDB refuses a second one with another configuration."""
    with duckdb.connect(str(warehouse)) as con:
        return con.execute(sql, params or []).fetchall()


@dataclass
class Stage:
    """The warehouse of the shared scenario run."""

    warehouse: Path
    run_output: str

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        return read(self.warehouse, sql, params)
