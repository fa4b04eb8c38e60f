"""CODELIST rows and the current `etterlevelse_codelist` table."""

from __future__ import annotations

from datetime import timedelta

from metrikk.generate.etterlevelse import base as b
from metrikk.generate.etterlevelse.app.codes import (
    AVDELING,
    LOV,
    PVO_VURDERING,
    RELEVANS,
    TEMA,
    UNDERAVDELING,
    YTTERLIGERE,
)
from metrikk.generate.etterlevelse.app.common import AppBase, own
from metrikk.generate.etterlevelse.base import dumps, entity_rng


class CodelistMixin(AppBase):
    """CODELIST audit rows and the current code lists."""

    def codelists(self) -> None:
        rows = {"list": [], "code": [], "short_name": [], "description": [], "data": []}
        lists: dict[str, dict[str, tuple[str, str, dict | None]]] = {
            "RELEVANS": {
                c: (s, f"Gjelder løsninger med {s.lower()}", None) for c, s in RELEVANS.items()
            },
            "AVDELING": {c: (s, s, None) for c, s in AVDELING.items()},
            "UNDERAVDELING": {c: (s, s, None) for c, s in UNDERAVDELING.items()},
            "TEMA": {c: (s, f"Krav om {s.lower()}", None) for c, s in TEMA.items()},
            "LOV": {
                c: (
                    s,
                    s,
                    {"tema": tema, "underavdeling": f"UA_{list(AVDELING)[i % len(AVDELING)]}"},
                )
                for i, (c, (tema, s)) in enumerate(LOV.items())
            },
            "YTTERLIGERE_EGENSKAPER": {
                c: (c.replace("_", " ").capitalize(), c, None) for c in YTTERLIGERE
            },
            "PVO_VURDERING": {
                c: (c.replace("_", " ").capitalize(), c, None) for c in PVO_VURDERING
            },
        }
        self.lov = list(LOV)
        for lst, codes in lists.items():
            for i, (code, (short, desc, data)) in enumerate(codes.items()):
                rng = entity_rng(self.seed, f"e-code-{lst}", code)
                if lst in ("YTTERLIGERE_EGENSKAPER", "PVO_VURDERING"):
                    created = rng.moment(b.PVK_START, b.PVK_START + timedelta(days=60))
                elif i < 5 or lst in ("RELEVANS", "TEMA"):
                    created = rng.moment(b.E_AUDIT_START, b.E_AUDIT_START + timedelta(days=10))
                else:
                    created = rng.moment(b.E_AUDIT_START, b.d(2024, 12, 1))
                by = rng.pick(self.admins).user
                root = {
                    "list": lst,
                    "code": code,
                    "shortName": short,
                    "description": desc,
                    "data": data,
                }
                events = [("CREATE", created, by)]
                t = created
                for _ in range(rng.choice((0, 0, 1, 2))):
                    t = rng.moment(t + timedelta(days=5), t + timedelta(days=500))
                    events.append(("UPDATE", t, rng.pick(self.admins).user))
                v = 0
                current_desc = desc
                for action, t, u in events:
                    if action == "UPDATE":
                        root["description"] = f"{desc}."
                    if t <= self.until:
                        current_desc = root["description"]
                    self.emit(
                        rng,
                        action,
                        "CODELIST",
                        f"{lst}-{code}",
                        t,
                        u,
                        v,
                        own(dict(root), created, by, t, u, v),
                    )
                    v += 1
                if created <= self.until:
                    rows["list"].append(lst)
                    rows["code"].append(code)
                    rows["short_name"].append(root["shortName"])
                    rows["description"].append(current_desc)
                    rows["data"].append(dumps(data) if data is not None else None)
        self.current["etterlevelse_codelist"] = rows
