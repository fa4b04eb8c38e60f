"""CODELIST rows: every code list, seeded codes backfilled at app start, later edits."""

from __future__ import annotations

from datetime import datetime, timedelta

from metrikk.generate.etterlevelse.base import (
    P_AUDIT_START,
    P_CODELIST_BACKFILL,
    P_IKKE_POL,
    P_USER_COLUMN,
    entity_rng,
)
from metrikk.generate.etterlevelse.polly.codes import (
    BASE_PURPOSES,
    BASE_SYSTEMS,
    CATEGORIES,
    DATA_ACCESS,
    DEPARTMENTS,
    GDPR,
    NATIONAL_LAW,
    SENSITIVITY,
    SUB_DEPARTMENTS,
    SUBJECT_CATEGORIES,
    THIRD_PARTIES,
    TRANSFER_GROUNDS,
)
from metrikk.generate.etterlevelse.polly.common import PollyBase, stamp_root


class CodelistMixin(PollyBase):
    """CODELIST audit rows and the code lists as they were at any time."""

    def codelists(self) -> None:
        f = self.p["codes"]
        systems = BASE_SYSTEMS + [f"SYS_{i:03d}" for i in range(int(120 * f))]
        purposes = BASE_PURPOSES + [f"FORMAAL_{i:03d}" for i in range(int(50 * f))]
        lists = {
            "GDPR_ARTICLE": {c: (s, s) for c, s in GDPR.items()},
            "NATIONAL_LAW": {c: (c, s) for c, s in NATIONAL_LAW.items()},
            "SENSITIVITY": {c: (s, s) for c, s in SENSITIVITY.items()},
            "SYSTEM": {c: (c.replace("_", "-").title(), f"Fagsystemet {c}") for c in systems},
            "PURPOSE": {
                c: (c.replace("_", " ").capitalize(), f"Formål: {c.lower()}") for c in purposes
            },
            "CATEGORY": {c: (c.capitalize(), f"Opplysninger om {c.lower()}") for c in CATEGORIES},
            "THIRD_PARTY": {c: (c.capitalize(), c.capitalize()) for c in THIRD_PARTIES},
            "SUBJECT_CATEGORY": {c: (c.capitalize(), c.capitalize()) for c in SUBJECT_CATEGORIES},
            "DEPARTMENT": {c: (c, f"Avdeling {c}") for c in DEPARTMENTS},
            "SUB_DEPARTMENT": {
                c: (c.capitalize(), f"Linjeenhet {c.lower()}") for c in SUB_DEPARTMENTS
            },
            "TRANSFER_GROUNDS_OUTSIDE_EU": {c: (c.capitalize(), c) for c in TRANSFER_GROUNDS},
            "DATA_ACCESS_CLASS": {c: (c.capitalize(), c) for c in DATA_ACCESS},
        }
        self.code_times: dict[str, list[tuple[datetime, str]]] = {}
        self.deleted_codes: dict[tuple[str, str], datetime] = {}
        for lst, codes in lists.items():
            self.codes[lst] = [c for c in codes if c != "IKKE_POL"]
            self.code_times[lst] = []
            for i, (code, (short, desc)) in enumerate(codes.items()):
                crng = entity_rng(self.seed, f"polly-code-{lst}", code)
                seeded = lst in ("GDPR_ARTICLE", "SENSITIVITY") or i < len(codes) * 0.6
                if code == "IKKE_POL":
                    created, by = (
                        crng.moment(P_IKKE_POL, P_IKKE_POL + timedelta(days=1)),
                        "Datajegerne",
                    )
                elif seeded:
                    # auditMissingEntities: codes from SQL seeds get a CREATE with user Datajegerne
                    created, by = P_CODELIST_BACKFILL, "Datajegerne"
                else:
                    created = crng.moment(P_USER_COLUMN, self.horizon)
                    by = crng.pick(self.admins).user
                # seeded codes existed before the audit log did
                self.code_times[lst].append(
                    (P_AUDIT_START - timedelta(days=3650) if seeded else created, code)
                )
                root = {"list": lst, "code": code, "shortName": short, "description": desc}
                self.emit(
                    crng,
                    "CREATE",
                    "CODELIST",
                    f"{lst}-{code}",
                    created,
                    by,
                    stamp_root(dict(root), created, by, created, by),
                )
                t = created
                for _ in range(crng.choice((0, 0, 0, 1, 1, 2))):
                    t = crng.moment(t + timedelta(days=10), t + timedelta(days=700))
                    if t > self.horizon:
                        break
                    u = crng.pick(self.admins).user
                    root["description"] = (
                        f"{desc} ({crng.pick(['oppdatert', 'presisert', 'ny tekst'])})"
                    )
                    self.emit(
                        crng,
                        "UPDATE",
                        "CODELIST",
                        f"{lst}-{code}",
                        t,
                        u,
                        stamp_root(dict(root), created, by, t, u),
                    )
                if lst in ("SYSTEM", "PURPOSE", "THIRD_PARTY") and not seeded and crng.chance(0.04):
                    t = crng.moment(t + timedelta(days=30), t + timedelta(days=400))
                    if t <= self.horizon:
                        u = crng.pick(self.admins).user
                        self.emit(
                            crng,
                            "DELETE",
                            "CODELIST",
                            f"{lst}-{code}",
                            t,
                            u,
                            stamp_root(dict(root), created, by, t, u),
                        )
                        self.codes[lst] = [c for c in self.codes[lst] if c != code]
                        self.deleted_codes[(lst, code)] = t

    def codes_at(self, lst: str, t: datetime) -> list[str]:
        """The codes of a list that existed at time t."""
        gone = self.deleted_codes
        return [
            c
            for ct, c in self.code_times[lst]
            if ct <= t and not ((lst, c) in gone and gone[(lst, c)] <= t)
        ]
