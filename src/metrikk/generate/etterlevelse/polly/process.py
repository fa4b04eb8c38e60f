"""PROCESS rows (behandlinger) in every historical JSON shape; each process draws its policies."""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime, timedelta

from metrikk.generate.etterlevelse.base import (
    P_AFFILIATION,
    P_AUDIT_START,
    P_AUTOMATIC,
    P_DATA_PROCESSING,
    P_DISCLOSURE_DISPATCHERS,
    P_DPIA_STATUS,
    P_NAME_IN_DATA,
    P_NOM_AI,
    P_NUMBER,
    P_PROCESSOR,
    P_PROCESSORS_DONE,
    P_SEKSJONER,
    P_SUB_DEPARTMENTS,
    Rng,
    entity_rng,
    sentences,
)
from metrikk.generate.etterlevelse.polly.codes import (
    DEPARTMENTS,
    NO_DPIA,
    PROCESS_WORDS,
    SUB_DEPARTMENTS,
    THIRD_PARTIES,
)
from metrikk.generate.etterlevelse.polly.common import PollyBase, Process, audit_user, stamp_root


class ProcessMixin(PollyBase):
    """PROCESS audit rows, in the shape of each era."""

    def processes(self, processors: list[tuple[datetime, str]], its: list[dict]) -> list[Process]:
        n = self.p["processes"]
        procs: list[Process] = []
        states = []
        for i in range(n):
            rng = entity_rng(self.seed, "process", i)
            if rng.chance(0.3):
                created = rng.moment(P_AUDIT_START, P_AUDIT_START + timedelta(days=90))
            else:
                span = (self.horizon - P_AUDIT_START).total_seconds()
                created = P_AUDIT_START + timedelta(seconds=span * (1 - (1 - rng.random()) ** 0.7))
                created = rng.moment(created, created + timedelta(days=2))
            procs.append(Process(id=rng.uuid(), index=i, created=created, deleted=None))
            states.append(rng)
        self.it_sorted = sorted(its, key=lambda it: it["exists"])
        self.it_exists = [it["exists"] for it in self.it_sorted]
        order = sorted(range(n), key=lambda k: procs[k].created)
        for nr, k in enumerate(order):
            procs[k].number = 101 + nr
        # Process numbers were assigned in Oct 2020 to every existing process, then by sequence.
        for proc, rng in zip(procs, states, strict=True):
            self._process(proc, rng, processors, its)
        self.write_information_types(its)
        return procs

    def _process(
        self, proc: Process, rng: Rng, processors: list[tuple[datetime, str]], its: list[dict]
    ) -> None:
        owners = rng.some(self.people, 1, 3)
        n_rows = rng.randint(5, 20)
        last = min(self.horizon, proc.created + timedelta(days=rng.uniform(60, 2200)))
        times = [proc.created]
        while len(times) < n_rows:
            if rng.chance(0.02):
                times.append(times[-1])  # two saves in the same instant: a timestamp tie
                continue
            t = rng.next_save(times[-1], last) if rng.chance(0.5) else rng.moment(times[-1], last)
            if t <= times[-1]:
                break
            times.append(t)
        if rng.chance(0.04):
            proc.deleted = rng.moment(
                times[-1] + timedelta(hours=1), times[-1] + timedelta(days=200)
            )
            if proc.deleted > self.horizon:
                proc.deleted = None
        # policies
        lo, hi = self.p["policies"]
        end = proc.deleted or self.horizon
        for j in range(rng.randint(lo, hi)):
            prng = entity_rng(self.seed, f"policy-{proc.index}", j)
            early = prng.chance(0.75)
            c = (
                proc.created + timedelta(seconds=prng.uniform(5, 3600))
                if early
                else prng.moment(proc.created, end)
            )
            n_avail = bisect_right(self.it_exists, c)
            if not n_avail or c >= end:
                continue
            it = self.it_sorted[int(prng.random() ** 0.8 * n_avail)]
            deleted = None
            if prng.chance(0.28):
                deleted = prng.moment(c + timedelta(minutes=2), end)
            if proc.deleted and (deleted is None or deleted > proc.deleted):
                deleted = (
                    proc.deleted
                )  # cascade: every policy goes with its process, same timestamp
            pid = prng.uuid()
            proc.policies.append((c, deleted, pid))
            it["policies"].append((c, deleted, pid))
            self._policy(prng, pid, proc, it, c, deleted, owners)
        # process rows
        purposes = self.codes_at("PURPOSE", proc.created)
        purpose = rng.pick(purposes)
        name = rng.pick(PROCESS_WORDS).format(purpose.lower().replace("_", " "))
        status_final = rng.pick(["COMPLETED", "IN_PROGRESS", "NEEDS_REVISION"], [60, 35, 5])
        switch = rng.moment(P_PROCESSOR, P_PROCESSORS_DONE)
        st = {
            "purposes": [purpose] + ([rng.pick(purposes)] if rng.chance(0.07) else []),
            "description": sentences(rng, 1, 2),
            "additionalDescription": None,
            "legalBases": self._legal_bases(rng, rng.randint(1, 2)),
            "department": rng.pick(DEPARTMENTS),
            "subDepartments": rng.some(SUB_DEPARTMENTS, 0, 2),
            "productTeams": [rng.uuid() for _ in range(rng.randint(0, 2))],
            "products": rng.some(self.codes_at("SYSTEM", proc.created), 0, 3),
            "disclosureDispatchers": [],
            "automaticProcessing": rng.chance(0.2),
            "profiling": rng.chance(0.08),
            "dataProcessor": rng.chance(0.4),
            "agreements": [f"Databehandleravtale {rng.randint(2010, 2020)}-{rng.randint(1, 99)}"],
            "outsideEU": rng.chance(0.1),
            "processors": [],
            "retention": None,
            "dpia": None,
            "status": "IN_PROGRESS",
            "usesAll": rng.chance(0.1),
            "revisionText": None,
            "common": rng.pick(THIRD_PARTIES) if rng.chance(0.1) else None,
        }
        created_by = audit_user(rng, proc.created, owners)
        events = [("CREATE", t) for t in times[:1]] + [("UPDATE", t) for t in times[1:]]
        if proc.deleted:
            events.append(("DELETE", proc.deleted))
        for k, (action, t) in enumerate(events):
            if k and action == "UPDATE":
                self._evolve(rng, st, t, k / len(events), status_final, processors)
            user = created_by if k == 0 else audit_user(rng, t, owners)
            root = self._process_root(proc, st, name, t, switch)
            self.emit(
                rng,
                action,
                "PROCESS",
                proc.id,
                t,
                user,
                stamp_root(root, proc.created, created_by, t, user),
            )

    def _evolve(
        self, rng: Rng, st: dict, t: datetime, progress: float, status_final: str, processors
    ) -> None:
        r = rng.random()
        if t >= P_DPIA_STATUS and (progress > 0.6 or r < 0.15):
            st["status"] = (
                status_final if t >= P_NUMBER or status_final != "NEEDS_REVISION" else "COMPLETED"
            )
            if st["status"] == "NEEDS_REVISION" and not st["revisionText"]:
                st["revisionText"] = "Behandlingen må gjennomgås etter endring i regelverket."
        if r < 0.25:
            st["legalBases"] = (
                st["legalBases"] + self._legal_bases(rng, 1)
                if len(st["legalBases"]) < 4
                else st["legalBases"][1:]
            )
        elif r < 0.45:
            st["products"] = rng.some(self.codes_at("SYSTEM", t), 0, 5)
        elif r < 0.6:
            st["description"] = sentences(rng, 1, 3)
            if rng.chance(0.3):
                st["additionalDescription"] = sentences(rng, 1, 1)
        elif r < 0.75 and t >= P_DATA_PROCESSING:
            st["retention"] = {
                "retentionPlan": rng.chance(0.7),
                "retentionMonths": rng.choice([12, 24, 36, 60, 120, None]),
                "retentionStart": rng.pick(
                    ["Etter vedtak", "Etter avsluttet sak", "Fra registrering"]
                ),
                "retentionDescription": sentences(rng, 0, 1) or None,
            }
        elif r < 0.87 and t >= P_DPIA_STATUS:
            need = rng.pick([True, False, None], [13, 60, 27])
            st["dpia"] = {
                "needForDpia": need,
                "refToDpia": f"https://navno.sharepoint.com/dpia/{rng.randrange(10**5)}"
                if need
                else None,
                "grounds": sentences(rng, 0, 1) if need is False else None,
                "noDpiaReasons": rng.some(NO_DPIA, 1, 2) if need is False else [],
                "processImplemented": rng.chance(0.6),
                "riskOwner": rng.pick(self.people).ident if need else None,
                "riskOwnerFunction": "Direktør" if need else None,
            }
        elif t >= P_PROCESSOR:
            avail = self.processor_ids[: bisect_right(self.processor_created, t)]
            if st["dataProcessor"] and avail:
                st["processors"] = rng.some(avail, 0, 3)
        if t >= P_DISCLOSURE_DISPATCHERS and rng.chance(0.05):
            st["disclosureDispatchers"] = rng.some(self.codes_at("SYSTEM", t), 1, 2)

    def _process_root(
        self, proc: Process, st: dict, name: str, t: datetime, switch: datetime
    ) -> dict:
        root: dict = {"id": proc.id}
        data: dict = {}
        if t < P_NAME_IN_DATA:
            root["name"] = name
            root["purposeCode"] = st["purposes"][0]
        else:
            data["name"] = name
            data["purposes"] = st["purposes"]
        if t >= P_NUMBER:
            data["number"] = proc.number
        data["description"] = st["description"]
        if t >= P_NUMBER:
            data["additionalDescription"] = st["additionalDescription"]
        data["start"] = "0001-01-01" if t < P_AUTOMATIC else proc.created.date().isoformat()
        data["end"] = "9999-12-31"
        data["legalBases"] = st["legalBases"]
        if t >= P_AUTOMATIC:
            data["automaticProcessing"] = st["automaticProcessing"]
            data["profiling"] = st["profiling"]
        aff: dict = {"department": st["department"]}
        if t < P_SUB_DEPARTMENTS:
            aff["subDepartment"] = (st["subDepartments"] or [None])[0]
            aff["productTeam"] = (st["productTeams"] or [None])[0]
        else:
            aff["subDepartments"] = st["subDepartments"]
            aff["productTeams"] = st["productTeams"]
        if t >= P_DPIA_STATUS:
            aff["products"] = st["products"]
        if t < P_AFFILIATION:
            data.update(aff)  # before 2020-09-18 the affiliation fields sat at the data root
        else:
            if t >= P_DISCLOSURE_DISPATCHERS:
                aff["disclosureDispatchers"] = st["disclosureDispatchers"]
            if t >= P_NOM_AI:
                aff["nomDepartmentId"] = f"nom-{st['department'].lower()}"
                aff["nomDepartmentName"] = f"Avdeling {st['department']}"
            if t >= P_SEKSJONER:
                aff["seksjoner"] = []
                aff["fylker"] = []
                aff["navKontorer"] = []
            data["affiliation"] = aff
            data["commonExternalProcessResponsible"] = st["common"]
        if t >= P_DATA_PROCESSING:
            if t < switch:
                data["dataProcessing"] = {
                    "dataProcessor": st["dataProcessor"],
                    "dataProcessorAgreements": st["agreements"] if st["dataProcessor"] else [],
                    "dataProcessorOutsideEU": st["outsideEU"] if st["dataProcessor"] else None,
                    "transferGroundsOutsideEU": "STANDARD_CONTRACT"
                    if st["outsideEU"] and st["dataProcessor"]
                    else None,
                    "transferGroundsOutsideEUOther": None,
                    "transferCountries": ["USA"] if st["outsideEU"] and st["dataProcessor"] else [],
                }
            else:
                data["dataProcessing"] = {
                    "dataProcessor": st["dataProcessor"],
                    "processors": st["processors"],
                }
            data["retention"] = st["retention"] or {
                "retentionPlan": None,
                "retentionMonths": None,
                "retentionStart": None,
                "retentionDescription": None,
            }
        if t >= P_DPIA_STATUS:
            data["usesAllInformationTypes"] = st["usesAll"]
            dpia = st["dpia"] or {
                "needForDpia": None,
                "refToDpia": None,
                "grounds": None,
                "noDpiaReasons": [],
                "processImplemented": False,
                "riskOwner": None,
                "riskOwnerFunction": None,
            }
            if t < P_NUMBER:
                dpia = {k: v for k, v in dpia.items() if k != "noDpiaReasons"}
            data["dpia"] = dpia
            data["status"] = st["status"]
        if t >= P_NUMBER:
            data["revisionText"] = st["revisionText"]
        if t >= P_NOM_AI:
            data["aiUsageDescription"] = {
                "aiUsage": False,
                "description": None,
                "reusingPersonalInformation": None,
                "startDate": None,
                "endDate": None,
                "registryNumber": None,
            }
        root["data"] = data
        root["policies"] = [
            {"id": pid} for c, dl, pid in proc.policies if c <= t and (dl is None or dl > t)
        ]
        return root
