"""Hand-made etterlevelse sources: audit rows in every era's shape, written as contract files."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

USER = "A123456 - Øystein Ærlig"


class Sources:
    """Collects landing rows per table and writes them as `<schema>.<table>.jsonl` files."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict]] = {}

    def add(self, table: str, **row) -> dict:
        self.tables.setdefault(table, []).append(row)
        return row

    def audit(
        self,
        table_name: str,
        table_id: str,
        time: str,
        data: dict,
        *,
        action: str = "UPDATE",
        version: int = 0,
        user: str = USER,
        audit_id: str | None = None,
    ) -> dict:
        payload = json.dumps(data)
        # Deterministic ids, so that building the same history twice gives the same audit rows.
        audit_id = audit_id or str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"{table_name}|{table_id}|{time}|{action}|{payload}")
        )
        return self.add(
            "landing_zone.etterlevelse_audit_version",
            audit_id=audit_id,
            action=action,
            table_name=table_name,
            table_id=table_id,
            time=time,
            user=user,
            version=version,
            data=payload,
        )

    # Etterlevelse (answers), per era -------------------------------------------------------
    def svar_gs(
        self,
        table_id: str,
        time: str,
        *,
        krav: int,
        versjon: int = 1,
        kriterier: list[dict],
        dok: str | None = None,
        behandling: str | None = None,
        status: str | None = None,
        **kw,
    ):
        """A generic-storage `Etterlevelse` row: everything under data.data (before Oct 2024)."""
        inner = {
            "id": table_id,
            "kravNummer": krav,
            "kravVersjon": versjon,
            "suksesskriterieBegrunnelser": kriterier,
            "status": status,
        }
        if behandling is not None:
            inner["behandlingId"] = behandling
        if dok is not None:
            inner["etterlevelseDokumentasjonId"] = dok
        return self.audit(
            "Etterlevelse",
            table_id,
            time,
            {
                "id": table_id,
                "type": "Etterlevelse",
                "data": inner,
                "version": kw.get("version", 0),
            },
            **kw,
        )

    def svar_own(
        self,
        table_id: str,
        time: str,
        *,
        krav: int,
        dok: str,
        versjon: int = 1,
        kriterier: list[dict],
        status: str | None = None,
        last_modified: str | None = None,
        **kw,
    ):
        """An own-table `ETTERLEVELSE` row: root keys plus payload etterlevelseData (Oct 2024+);
        `last_modified` is the root change stamp lastModifiedDate."""
        root = {
            "id": table_id,
            "behandlingId": None,
            "etterlevelseDokumentasjonId": dok,
            "kravNummer": krav,
            "kravVersjon": versjon,
            "etterlevelseData": {"status": status, "suksesskriterieBegrunnelser": kriterier},
        }
        if last_modified is not None:
            root["lastModifiedDate"] = last_modified
        return self.audit("ETTERLEVELSE", table_id, time, root, **kw)

    # EtterlevelseDokumentasjon, per era ------------------------------------------------------
    def dok_own(
        self,
        dok: str,
        time: str,
        *,
        created_by: str = USER,
        action: str = "UPDATE",
        version: int = 0,
        audit_id: str | None = None,
        last_modified: str | None = None,
        **fields,
    ):
        payload = {"title": "Tittel", "behandlingIds": [], "irrelevansFor": [], **fields}
        root = {
            "id": dok,
            "etterlevelseDokumentasjonData": payload,
            "createdBy": created_by,
            "version": version,
        }
        if last_modified is not None:
            root["lastModifiedDate"] = last_modified
        return self.audit(
            "ETTERLEVELSE_DOKUMENTASJON",
            dok,
            time,
            root,
            action=action,
            version=version,
            audit_id=audit_id,
        )

    def krav(
        self,
        krav_id: str,
        time: str,
        *,
        nummer: int,
        versjon: int = 1,
        status: str = "AKTIV",
        relevans: list[str] | None = None,
        own: bool = False,
        action: str = "UPDATE",
    ):
        payload = {
            "kravNummer": nummer,
            "kravVersjon": versjon,
            "status": status,
            "relevansFor": relevans or [],
            "suksesskriterier": [{"id": 1}],
            "regelverk": [{"lov": "PERSONOPPLYSNINGSLOVEN"}],
        }
        if own:
            data = {"id": krav_id, "kravNummer": nummer, "kravVersjon": versjon, "data": payload}
            return self.audit("KRAV", krav_id, time, data, action=action)
        return self.audit(
            "Krav", krav_id, time, {"id": krav_id, "type": "Krav", "data": payload}, action=action
        )

    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        for table, rows in self.tables.items():
            with (directory / f"{table}.jsonl").open("w", encoding="utf-8") as f:
                for r in rows:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
        return directory


def kriterium(sid: int, status: str | None = None, **legacy) -> dict:
    """One suksesskriterieBegrunnelser element: with a status, or legacy booleans."""
    element = {"suksesskriterieId": sid, "begrunnelse": "Fordi det er slik."}
    if status is not None:
        element["suksesskriterieStatus"] = status
    element.update(legacy)
    return element
