"""Synthetic Behandlingskatalogen (polly) audit log: PROCESS, POLICY, INFORMATION_TYPE,
PROCESSOR and CODELIST rows in every historical JSON shape (research §1.5, §2.10-2.14)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from metrikk.generate._etterlevelse_base import (
    NO_USER_P,
    P_AFFILIATION,
    P_AUDIT_START,
    P_AUTOMATIC,
    P_CODELIST_BACKFILL,
    P_DATA_PROCESSING,
    P_DISCLOSURE_DISPATCHERS,
    P_DOCUMENT_IDS,
    P_DPIA_STATUS,
    P_IKKE_POL,
    P_IT_BACKFILL,
    P_NAME_IN_DATA,
    P_NOM_AI,
    P_NUMBER,
    P_ORG_MASTER,
    P_POLICY_DATA,
    P_PROCESSOR,
    P_PROCESSORS_DONE,
    P_SEKSJONER,
    P_SUB_DEPARTMENTS,
    P_SUBJECT_CATEGORIES,
    P_TIME_FIX,
    P_USER_COLUMN,
    Person,
    Rng,
    Sink,
    dumps,
    entity_rng,
    iso,
    sentences,
)

GDPR = {
    "ART61A": "Art. 6(1)a - Samtykke",
    "ART61B": "Art. 6(1)b - Avtale",
    "ART61C": "Art. 6(1)c - Rettslig forpliktelse",
    "ART61D": "Art. 6(1)d - Vitale interesser",
    "ART61E": "Art. 6(1)e - Allmennhetens interesse/offentlig myndighet",
    "ART61F": "Art. 6(1)f - Berettiget interesse",
    "ART92A": "Art. 9(2)a - Uttrykkelig samtykke",
    "ART92B": "Art. 9(2)b - Arbeidsrett, trygderett og sosialrett",
    "ART92C": "Art. 9(2)c - Vitale interesser",
    "ART92D": "Art. 9(2)d - Ideelle organisasjoner",
    "ART92E": "Art. 9(2)e - Offentliggjort av den registrerte",
    "ART92F": "Art. 9(2)f - Rettskrav",
    "ART92G": "Art. 9(2)g - Viktige allmenne interesser",
    "ART92H": "Art. 9(2)h - Helse- og sosialtjenester",
    "ART92I": "Art. 9(2)i - Folkehelse",
    "ART92J": "Art. 9(2)j - Arkiv, forskning og statistikk",
}
NATIONAL_LAW = {
    "FTRL": "Folketrygdloven",
    "FVL": "Forvaltningsloven",
    "NAVL": "NAV-loven",
    "SAMTYKKE": "Samtykke",
    "NY_ALDERSPENSJON": "Ny alderspensjon",
    "SOSTL": "Sosialtjenesteloven",
    "ARKIVL": "Arkivlova",
    "POL": "Personopplysningsloven",
    "BTRL": "Barnetrygdloven",
    "KSL": "Kontantstøtteloven",
    "ARBML": "Arbeidsmarkedsloven",
    "SKATTEFORVL": "Skatteforvaltningsloven",
    "STATISTIKKL": "Statistikkloven",
    "EOS_883": "Trygdeforordningen 883/2004",
    "SUPPLERENDE_STONAD": "Lov om supplerende stønad",
    "BIDRAGSL": "Barnelova (bidrag)",
}
BASE_SYSTEMS = (
    "TPS PESYS AA_REG ARENA GOSYS JOARK INFOTRYGD MODIA FPSAK K9SAK BISYS MELOSYS SPEIL SYFO "
    "DOKDIST PDL A_INNTEKT DIGDIR_KRR NAV_NO SOKNAD KELVIN TILTAKSPENGER SAF OPPGAVE SKANNING"
).split()
BASE_PURPOSES = (
    "AAP DAGPENGER SYKEPENGER FORELDREPENGER BARNETRYGD KONTANTSTOTTE ALDERSPENSJON UFORETRYGD "
    "KONTROLL STATISTIKK ARBEIDSRETTET_OPPFOLGING TILTAK BIDRAG ENSLIG_FORSORGER GRUNNSTONAD "
    "HJELPEMIDLER PLEIEPENGER OMSORGSPENGER TILTAKSPENGER SOSIALHJELP KLAGE INNKREVING "
    "REGNSKAP PERSONAL REKRUTTERING"
).split()
CATEGORIES = (
    "PERSONALIA ARBEIDSFORHOLD UTDANNING INNTEKT HELSE FAMILIE BOSTED KONTAKTINFORMASJON "
    "YTELSER STRAFF OKONOMI TILTAK BIOMETRI ETNISITET"
).split()
THIRD_PARTIES = (
    "SKATTEETATEN ARBEIDSGIVER BRUKER FOLKEREGISTERET HELSEDIREKTORATET LEGE UDI KARTVERKET "
    "LANEKASSEN KOMMUNE BRREG SSB POLITIET KRIMINALOMSORGEN HELFO TRYGDEMYNDIGHET_EOS"
).split()
SUBJECT_CATEGORIES = ("BRUKER ANDRE PARTNER BARN ARBEIDSGIVER SAMBOER ANSATT VERGE LEGE").split()
DEPARTMENTS = ("YTA AOT OESA PO_HR ITA KOMM JURIDISK ARBEIDSLIVSSENTER").split()
SUB_DEPARTMENTS = (
    "PENSJON FAMILIE HELSE ARBEID_OG_YTELSER OKONOMI NAV_KONTAKTSENTER KONTROLL KLAGEINSTANS "
    "HJELPEMIDDELSENTRAL FORVALTNING"
).split()
TRANSFER_GROUNDS = (
    "APPROVED_THIRD_COUNTRY",
    "STANDARD_CONTRACT",
    "BINDING_CORPORATE_RULES",
    "OTHER",
)
DATA_ACCESS = ("INTERN", "SKJERMET", "FORTROLIG", "STRENGT_FORTROLIG")
COUNTRIES = ("USA", "GBR", "IND", "CHE", "SWE", "DNK", "IRL", "DEU", "NLD", "CAN")
SENSITIVITY = {
    "POL": "Personopplysning",
    "SAERLIGE": "Særlige kategorier",
    "STRAFF": "Straffedommer",
    "IKKE_POL": "Ikke personopplysning",
}
NO_DPIA = (
    "NO_SPECIAL_CATEGORY_PI",
    "SMALL_SCALE",
    "NO_DATASET_CONSOLIDATION",
    "NO_NEW_TECH",
    "NO_PROFILING_OR_AUTOMATION",
    "OTHER",
)
IT_WORDS = ("opplysninger", "historikk", "vedtak", "meldinger", "saksdokumenter", "beregning")
PROCESS_WORDS = (
    "Behandling av søknad om {}|Kontroll av {}|Utbetaling av {}|Statistikk om {}|"
    "Oppfølging av mottakere av {}|Klagebehandling for {}|Innkreving av feilutbetalt {}|"
    "Journalføring av dokumenter om {}|Veiledning om {}|Registrering av {}"
).split("|")


@dataclass
class Process:
    """A PROCESS with the facts the etterlevelse side needs (behandlingIds)."""

    id: str
    index: int
    created: datetime
    deleted: datetime | None
    number: int = 0
    policies: list[tuple[datetime, datetime | None, str]] = field(default_factory=list)


def _user(rng: Rng, t: datetime, owners: list[Person]) -> str:
    if t < P_USER_COLUMN:
        return "n/a"
    if rng.chance(0.008):
        return NO_USER_P
    return rng.pick(owners).user


def _stamp_root(root: dict, created: datetime, created_by: str, t: datetime, by: str) -> dict:
    root["createdBy"] = created_by
    root["createdDate"] = iso(created)
    root["lastModifiedBy"] = by
    root["lastModifiedDate"] = iso(t)
    return root


def _audit_time(t: datetime) -> datetime:
    # V1.13 turned TIME from DATE into TIMESTAMP and set every existing row to the migration time.
    return P_TIME_FIX if t < P_TIME_FIX else t


class PollyGenerator:
    def __init__(
        self,
        seed: int,
        params: dict,
        people: list[Person],
        horizon: datetime,
        until: datetime,
        sink: Sink,
    ):
        self.seed = seed
        self.p = params
        self.people = people
        self.horizon = horizon
        self.until = until
        self.sink = sink
        self.admins = people[: max(4, len(people) // 60)]
        self.codes: dict[str, list[str]] = {}

    # --- helpers ---
    def emit(
        self, rng: Rng, action: str, table: str, table_id: str, t: datetime, user: str, data: dict
    ) -> None:
        at = _audit_time(t)
        audit_id = rng.uuid()  # drawn even after `until`, so the draws never depend on it
        if at <= self.until:
            self.sink.add(audit_id, action, table, table_id, at, user, dumps(data))

    def run(self) -> list[Process]:
        self.codelists()
        processors = self.processors()
        ordered = sorted(processors)
        self.processor_created = [c for c, _ in ordered]
        self.processor_ids = [pid for _, pid in ordered]
        its = self.information_types()
        processes = self.processes(processors, its)
        return processes

    # --- CODELIST ---
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
                    _stamp_root(dict(root), created, by, created, by),
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
                        _stamp_root(dict(root), created, by, t, u),
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
                            _stamp_root(dict(root), created, by, t, u),
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

    # --- PROCESSOR ---
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
                _stamp_root({"id": pid, "data": dict(data)}, created, by, t, by),
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
                    _stamp_root({"id": pid, "data": dict(data)}, created, by, t, u),
                )
            out.append((created, pid))
        return out

    # --- INFORMATION_TYPE (timeline only; rows are written after the policies are known) ---
    def information_types(self) -> list[dict]:
        its = []
        for i in range(self.p["information_types"]):
            rng = entity_rng(self.seed, "information-type", i)
            pre = rng.chance(0.55)
            created = P_IT_BACKFILL if pre else rng.moment(P_AUDIT_START, self.horizon)
            sens = rng.pick(["POL", "SAERLIGE", "STRAFF", "IKKE_POL"], [70, 20, 3, 7])
            if sens == "IKKE_POL" and created < P_IKKE_POL:
                sens = "POL"
            times = [created]
            for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 5))):
                t = rng.moment(times[-1] + timedelta(days=3), times[-1] + timedelta(days=600))
                if t > self.horizon:
                    break
                times.append(t)
            its.append(
                {
                    "id": rng.uuid(),
                    "rng": rng,
                    "pre": pre,
                    "created": created,
                    # types from before the audit log existed long before their backfilled CREATE
                    "exists": P_AUDIT_START - timedelta(days=30) if pre else created,
                    "times": times,
                    "name": f"{rng.pick(CATEGORIES).capitalize()} – {rng.pick(IT_WORDS)} {i}",
                    "sensitivity": sens,
                    "policies": [],
                }
            )
        return its

    def write_information_types(self, its: list[dict]) -> None:
        for it in its:
            rng: Rng = it["rng"]
            systems = self.codes_at("SYSTEM", it["exists"])
            iid = it["id"]
            owners = rng.some(self.people, 1, 2)
            data = {
                "name": it["name"],
                "description": sentences(rng, 1, 2),
                "sensitivity": it["sensitivity"],
                "orgMaster": rng.pick(systems),
                "productTeams": [rng.uuid() for _ in range(rng.randint(0, 2))],
                "categories": rng.some(CATEGORIES, 1, 3),
                "sources": rng.some(THIRD_PARTIES, 0, 3),
                "keywords": rng.some(
                    ["sak", "vedtak", "inntekt", "helse", "adresse", "konto"], 0, 3
                ),
                "suggest": None,
            }
            created = it["created"]
            created_by = "system" if it["pre"] else rng.pick(owners).user
            deleted = None
            if (
                not it["policies"]
                and rng.chance(0.25)
                and it["times"][-1] < self.horizon - timedelta(days=30)
            ):
                deleted = rng.moment(it["times"][-1] + timedelta(days=1), self.horizon)
            events = [("CREATE", t) if k == 0 else ("UPDATE", t) for k, t in enumerate(it["times"])]
            if deleted:
                events.append(("DELETE", deleted))
            term = f"term-{rng.randrange(10**6):06d}"
            for k, (action, t) in enumerate(events):
                if k and action == "UPDATE":
                    if rng.chance(0.5):
                        data["description"] = sentences(rng, 1, 3)
                    else:
                        data["categories"] = rng.some(CATEGORIES, 1, 3)
                user = created_by if k == 0 else _user(rng, t, owners)
                shown = dict(data)
                if t < P_ORG_MASTER:
                    shown["navMaster"] = shown.pop("orgMaster")
                root = {
                    "id": iid,
                    "termId": term,
                    "data": shown,
                    "policies": [
                        {"id": pid}
                        for c, dl, pid in it["policies"]
                        if c <= t and (dl is None or dl > t)
                    ],
                }
                self.emit(
                    rng,
                    action,
                    "INFORMATION_TYPE",
                    iid,
                    t,
                    user,
                    _stamp_root(root, created, created_by, t, user),
                )

    # --- PROCESS and POLICY ---
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
        created_by = _user(rng, proc.created, owners)
        events = [("CREATE", t) for t in times[:1]] + [("UPDATE", t) for t in times[1:]]
        if proc.deleted:
            events.append(("DELETE", proc.deleted))
        for k, (action, t) in enumerate(events):
            if k and action == "UPDATE":
                self._evolve(rng, st, t, k / len(events), status_final, processors)
            user = created_by if k == 0 else _user(rng, t, owners)
            root = self._process_root(proc, st, name, t, switch)
            self.emit(
                rng,
                action,
                "PROCESS",
                proc.id,
                t,
                user,
                _stamp_root(root, proc.created, created_by, t, user),
            )

    def _legal_bases(self, rng: Rng, n: int) -> list[dict]:
        out = []
        for _ in range(n):
            gdpr = rng.pick(list(GDPR), [2, 2, 30, 1, 30, 3, 2, 10, 1, 1, 1, 1, 6, 5, 1, 2])
            law = rng.pick(list(NATIONAL_LAW), [30, 10, 8, 3, 2, 5, 4, 6, 5, 3, 4, 2, 3, 3, 2, 2])
            out.append(
                {
                    "gdpr": gdpr,
                    "nationalLaw": law,
                    "description": f"§ {rng.randint(1, 25)}-{rng.randint(1, 15)}",
                }
            )
        return out

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

    def _policy(
        self,
        rng: Rng,
        pid: str,
        proc: Process,
        it: dict,
        created: datetime,
        deleted: datetime | None,
        owners: list[Person],
    ) -> None:
        purposes = [rng.pick(self.codes_at("PURPOSE", created))]
        cats = [rng.pick(SUBJECT_CATEGORIES, [60, 10, 5, 8, 6, 4, 3, 2, 2])]
        if rng.chance(0.25):
            cats += [c for c in rng.some(SUBJECT_CATEGORIES, 1, 2) if c not in cats]
        inherited = rng.chance(0.8)
        legal = [] if inherited else self._legal_bases(rng, 1)
        use = (
            "INHERITED_FROM_PROCESS"
            if inherited
            else rng.pick(["DEDICATED_LEGAL_BASES", "EXCESS_INFO", "UNRESOLVED"], [6, 2, 2])
        )
        docs = [rng.uuid()] if rng.chance(0.08) else []
        times = [created]
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
            t = rng.moment(times[-1] + timedelta(minutes=1), deleted or self.horizon)
            if t <= times[-1]:
                break
            times.append(t)
        events = [("CREATE", times[0])] + [("UPDATE", t) for t in times[1:]]
        if deleted:
            events.append(("DELETE", deleted))
        created_by = _user(rng, created, owners)
        for k, (action, t) in enumerate(events):
            if action == "UPDATE" and rng.chance(0.5):
                cats = rng.some(SUBJECT_CATEGORIES, 1, 3)
            user = created_by if k == 0 else _user(rng, t, owners)
            root: dict = {
                "id": pid,
                "informationTypeId": it["id"],
                "informationTypeName": it["name"],
                "informationType": {"id": it["id"]},
                "process": {"id": proc.id},
            }
            if t < P_POLICY_DATA:
                # Before V1.20 the policy had no data column: its fields were root columns.
                root["purposeCode"] = purposes[0]
                if t < P_SUBJECT_CATEGORIES:
                    root["subjectCategory"] = cats[0]
                else:
                    root["subjectCategories"] = cats
                root["legalBasesInherited"] = inherited
                root["legalBases"] = legal
                root["start"] = "0001-01-01"
                root["end"] = "9999-12-31"
            else:
                data = {
                    "purposes": purposes,
                    "subjectCategories": cats,
                    "legalBasesInherited": inherited,
                    "legalBases": legal,
                }
                if t >= P_SUB_DEPARTMENTS:
                    data["legalBasesUse"] = use
                if t >= P_DOCUMENT_IDS:
                    data["documentIds"] = docs
                root["data"] = data
            self.emit(
                rng, action, "POLICY", pid, t, user, _stamp_root(root, created, created_by, t, user)
            )
