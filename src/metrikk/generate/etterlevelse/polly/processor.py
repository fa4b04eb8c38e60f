"""PROCESSOR rows: the data processors (databehandlere)."""

from __future__ import annotations

from datetime import datetime, timedelta

from metrikk.generate.etterlevelse.base import P_PROCESSOR, entity_rng, sentences
from metrikk.generate.etterlevelse.polly.codes import COUNTRIES, TRANSFER_GROUNDS
from metrikk.generate.etterlevelse.polly.common import PollyBase, stamp_root


class ProcessorMixin(PollyBase):
    """PROCESSOR audit rows."""

    def processors(self) -> list[tuple[datetime, str]]:
        out = []
        for i in range(self.p["processors"]):
            rng = entity_rng(self.seed, "processor", i)
            pid = rng.uuid()
            created = (
                rng.moment(P_PROCESSOR, P_PROCESSOR + timedelta(days=30))
                if rng.chance(0.5)
                else rng.moment(P_PROCESSOR, self.horizon)
            )
            outside = rng.chance(0.2)
            data = {
                "name": "{}{} {}".format(
                    rng.pick(["Acme", "Nordic", "Data", "Sky", "Print", "Scan", "Cloud", "Arkiv"]),
                    rng.pick(["Tech", "Partner", "Service", "Drift", "Solutions"]),
                    rng.pick(["AS", "AB", "Ltd", "Inc", "ASA"]),
                ),
                "contract": f"{rng.randint(2015, 2024)}/{rng.randint(100, 9999)}",
                "contractOwner": rng.pick(self.people).ident,
                "operationalContractManagers": [p.ident for p in rng.some(self.people, 0, 2)],
                "note": sentences(rng, 0, 1) or None,
                "outsideEU": outside,
                "transferGroundsOutsideEU": rng.pick(TRANSFER_GROUNDS) if outside else None,
                "transferGroundsOutsideEUOther": "Særskilt avtale"
                if outside and rng.chance(0.2)
                else None,
                "countries": rng.some(COUNTRIES, 1, 3) if outside else [],
            }
            by = rng.pick(self.admins).user
            t = created
            self.emit(
                rng,
                "CREATE",
                "PROCESSOR",
                pid,
                t,
                by,
                stamp_root({"id": pid, "data": dict(data)}, created, by, t, by),
            )
            for _ in range(rng.randint(0, 3)):
                t = rng.moment(t + timedelta(days=5), t + timedelta(days=500))
                if t > self.horizon:
                    break
                u = rng.pick(self.admins).user
                if rng.chance(0.5):
                    data["note"] = sentences(rng, 1, 2)
                else:
                    data["countries"] = rng.some(COUNTRIES, 0, 3) if data["outsideEU"] else []
                self.emit(
                    rng,
                    "UPDATE",
                    "PROCESSOR",
                    pid,
                    t,
                    u,
                    stamp_root({"id": pid, "data": dict(data)}, created, by, t, u),
                )
            out.append((created, pid))
        return out
