"""Synthetic Støtte til etterlevelse: the audit log in every era's shape and the current tables
(research §1.1-1.4, §2.1-2.9)."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from metrikk.generate import _etterlevelse_base as b
from metrikk.generate._etterlevelse_base import (
    MIGRATION,
    MIGRATION_USER,
    NO_USER_E,
    Person,
    Rng,
    Sink,
    dumps,
    entity_rng,
    iso,
    sentences,
)
from metrikk.generate._etterlevelse_polly import Process

SYSTEM_USER_E = "etterlevelse-backend"

RELEVANS = {
    "PERSONOPPLYSNINGER": "Behandler personopplysninger",
    "SAK": "Saksbehandling",
    "INNSYN": "Innsyn",
    "ARKIV": "Arkivering",
    "PROFILERING": "Profilering og automatisering",
    "BRUKERFLATE": "Brukerflate",
    "KI": "Kunstig intelligens",
    "ANSKAFFELSE": "Anskaffelse",
}
AVDELING = {
    "AVD_YTELSE": "Ytelseslinjen",
    "AVD_ARBEID": "Arbeids- og tjenestelinjen",
    "AVD_IT": "IT-avdelingen",
    "AVD_OKONOMI": "Økonomi- og styringsavdelingen",
    "AVD_KOMM": "Kommunikasjonsavdelingen",
    "AVD_HR": "HR-avdelingen",
    "AVD_KONTROLL": "Kontroll og innkreving",
    "AVD_DATA": "Data og analyse",
}
UNDERAVDELING = {f"UA_{k}": f"{v} – seksjon {i}" for k, v in AVDELING.items() for i in (1, 2)}
TEMA = {
    "PERSONVERN": "Personvern",
    "SIKKERHET": "Informasjonssikkerhet",
    "ARKIV": "Arkiv og dokumentasjon",
    "UU": "Universell utforming",
    "FORVALTNING": "Forvaltning og saksbehandling",
    "ANSKAFFELSE": "Anskaffelser",
    "KI": "Kunstig intelligens",
    "SPRAAK": "Språk",
    "OKONOMI": "Økonomistyring",
    "STATISTIKK": "Statistikk",
}
LOV = {
    "PERSONOPPLYSNINGSLOVEN": ("PERSONVERN", "Personopplysningsloven"),
    "GDPR": ("PERSONVERN", "Personvernforordningen"),
    "FORVALTNINGSLOVEN": ("FORVALTNING", "Forvaltningsloven"),
    "ARKIVLOVA": ("ARKIV", "Arkivlova"),
    "ARKIVFORSKRIFTEN": ("ARKIV", "Arkivforskriften"),
    "SIKKERHETSLOVEN": ("SIKKERHET", "Sikkerhetsloven"),
    "EFORVALTNINGSFORSKRIFTEN": ("SIKKERHET", "eForvaltningsforskriften"),
    "LIKESTILLINGSLOVEN": ("UU", "Likestillings- og diskrimineringsloven"),
    "UU_FORSKRIFTEN": ("UU", "Forskrift om universell utforming av IKT"),
    "ANSKAFFELSESLOVEN": ("ANSKAFFELSE", "Anskaffelsesloven"),
    "KI_FORORDNINGEN": ("KI", "KI-forordningen"),
    "SPRAAKLOVA": ("SPRAAK", "Språklova"),
    "OKONOMIREGLEMENTET": ("OKONOMI", "Økonomireglementet"),
    "STATISTIKKLOVEN": ("STATISTIKK", "Statistikkloven"),
    "NAV_LOVEN": ("FORVALTNING", "NAV-loven"),
    "FOLKETRYGDLOVEN": ("FORVALTNING", "Folketrygdloven"),
}
YTTERLIGERE = (
    "PROFILERING",
    "NY_TEKNOLOGI",
    "SAMMENSTILLING",
    "SAARBARE_GRUPPER",
    "STOR_SKALA",
    "OVERVAAKING",
)
PVO_VURDERING = ("GODKJENT", "GODKJENT_MED_MERKNAD", "IKKE_GODKJENT", "TRENGER_MER_ARBEID")

KRAV_EMNER = (
    "tilgangskontroll",
    "logging",
    "sletting",
    "informasjon til brukeren",
    "arkivering",
    "universell utforming",
    "risikovurdering",
    "dataminimering",
)
RISIKOER = (
    "uautorisert tilgang",
    "feil vedtak",
    "tap av data",
    "manglende sletting",
    "feilutbetaling",
)
TILTAK_NAVN = (
    "innfør tilgangsstyring",
    "slett gamle data",
    "logg oppslag",
    "opplæring",
    "kodegjennomgang",
)
SK_FINAL = ("OPPFYLT", "UNDER_ARBEID", "IKKE_RELEVANT", "IKKE_OPPFYLT")


@dataclass
class KravVersion:
    id: str
    nummer: int
    versjon: int
    created: datetime
    activated: datetime | None
    ended: datetime | None  # UTGAATT from this moment
    payload: dict
    sk_ids: list[int]
    relevans: list[str]
    owners: list[Person]

    def active_at(self, t: datetime) -> bool:
        return (
            self.activated is not None
            and self.activated <= t
            and (self.ended is None or t < self.ended)
        )


@dataclass
class Doc:
    id: str
    index: int
    migrated: bool
    behandling: str | None
    created: datetime
    team: list[Person]
    irrelevans: list[str]
    rng: Rng
    nummer: int = 0
    edits: list[datetime] = field(default_factory=list)
    deleted: datetime | None = None
    last_activity: datetime | None = None
    state: dict = field(default_factory=dict)
    pre_answers: list = field(default_factory=list)
    targets: dict = field(default_factory=dict)
    state_until: dict = field(default_factory=dict)
    showcase: bool = False


def _stamps(created: datetime | str, created_by: str, t: datetime, by: str) -> dict:
    c = created if isinstance(created, str) else iso(created)
    return {
        "createdBy": created_by,
        "createdDate": c,
        "lastModifiedBy": by,
        "lastModifiedDate": iso(t),
    }


def _envelope(
    eid: str,
    typ: str,
    dom: dict,
    created: datetime | str,
    created_by: str,
    t: datetime,
    by: str,
    v: int,
) -> dict:
    """Generic-storage row: {id, type, data:{…}, createdBy, …, version}."""
    st = _stamps(created, created_by, t, by)
    dom["changeStamp"] = st
    dom["version"] = v
    return {"id": eid, "type": typ, "data": dom, **st, "version": v}


def _own(
    root: dict, created: datetime | str, created_by: str, t: datetime, by: str, v: int
) -> dict:
    root.update(_stamps(created, created_by, t, by))
    root["version"] = v
    return root


class AppGenerator:
    def __init__(
        self,
        seed: int,
        params: dict,
        people: list[Person],
        processes: list[Process],
        horizon: datetime,
        until: datetime,
        sink: Sink,
        progress=None,
    ):
        self.seed = seed
        self.p = params
        self.people = people
        self.processes = processes
        self.horizon = horizon
        self.until = until
        self.sink = sink
        self.progress = progress
        self.current: dict[str, dict[str, list]] = {}
        self.kraveiere = people[-max(6, len(people) // 40) :]
        self.admins = self.kraveiere[:3]
        self.showcase_left = 3
        self.proc_sorted = sorted(processes, key=lambda p: p.created)
        self.proc_created = [p.created for p in self.proc_sorted]

    # --- emitting ---
    def emit(
        self,
        rng: Rng,
        action: str,
        table: str,
        table_id: str,
        t: datetime,
        user: str,
        version: int,
        data: dict,
    ) -> None:
        # The audit id is drawn even for rows after `until`, so the draws never depend on it.
        audit_id = rng.uuid()
        if t <= self.until:
            self.sink.add(audit_id, action, table, table_id, t, user, version, dumps(data))

    def user(self, rng: Rng, team: list[Person]) -> str:
        r = rng.random()
        if r < 0.003:
            return NO_USER_E
        if r < 0.005:
            return SYSTEM_USER_E
        return rng.pick(team).user

    def save_times(self, rng: Rng, start: datetime, n: int, limit: datetime) -> list[datetime]:
        """n save moments from start, bursty, with an occasional exact repeat (a timestamp tie)."""
        times = [start]
        while len(times) < n:
            if rng.chance(0.012):
                times.append(times[-1])
                continue
            t = rng.next_save(times[-1], limit)
            if t <= times[-1]:
                break
            times.append(t)
        return times

    def run(self) -> dict[str, dict[str, list]]:
        self.codelists()
        self.krav()
        self.docs()
        self.relations()
        self.pvk()
        self.noise()
        self.tilbakemeldinger()
        return self.current

    # --- CODELIST ---
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
                        _own(dict(root), created, by, t, u, v),
                    )
                    v += 1
                if created <= self.until:
                    rows["list"].append(lst)
                    rows["code"].append(code)
                    rows["short_name"].append(root["shortName"])
                    rows["description"].append(current_desc)
                    rows["data"].append(dumps(data) if data is not None else None)
        self.current["etterlevelse_codelist"] = rows

    # --- KRAV ---
    def krav(self) -> None:
        n = self.p["krav"]
        self.kravs: dict[int, list[KravVersion]] = {}
        rows = {"id": [], "krav_nummer": [], "krav_versjon": [], "status": [], "data": []}
        start, end = b.E_AUDIT_START, self.horizon
        for i in range(n):
            nummer = 101 + i
            rng = entity_rng(self.seed, "krav", nummer)
            # Numbers come from a sequence: creation order follows the number.
            frac = i / n
            lo = start + (end - start) * (frac**1.6) * 0.92
            created = rng.moment(lo, lo + timedelta(days=20))
            n_versions = rng.choices([1, 2, 3, 4, 5, 6], weights=[34, 32, 16, 9, 6, 3])[0]
            owners = rng.some(self.kraveiere, 1, 2)
            relevans = [] if rng.chance(0.5) else rng.some(list(RELEVANS), 1, 2)
            regelverk = [
                {"lov": lov, "spesifisering": f"§ {rng.randint(1, 40)}"}
                for lov in rng.some(self.lov, 1, 3)
            ]
            n_sk = max(1, min(8, int(rng.triangular(1, 8, 3))))
            sk_ids = list(range(1, n_sk + 1))
            never_active = rng.chance(0.1)
            retired = rng.chance(0.15)
            versions: list[KravVersion] = []
            t = created
            for v in range(1, n_versions + 1):
                if t > end:
                    break
                activated = (
                    None
                    if (never_active and v == n_versions)
                    else rng.moment(t + timedelta(days=3), t + timedelta(days=60))
                )
                if v > 1 and rng.chance(0.4):
                    sk_ids = sk_ids + [sk_ids[-1] + 1]
                payload = self._krav_payload(rng, nummer, v, relevans, regelverk, sk_ids)
                kv = KravVersion(
                    rng.uuid(),
                    nummer,
                    v,
                    t,
                    activated,
                    None,
                    payload,
                    list(sk_ids),
                    relevans,
                    owners,
                )
                if versions and versions[-1].activated and activated:
                    versions[-1].ended = activated
                versions.append(kv)
                if activated is None:
                    break
                t = rng.moment(activated + timedelta(days=90), activated + timedelta(days=600))
            last = versions[-1]
            if retired and last.activated:
                last.ended = rng.moment(
                    last.activated + timedelta(days=120), last.activated + timedelta(days=900)
                )
            self.kravs[nummer] = versions
            for kv in versions:
                status = self._krav_events(rng, kv)
                if kv.created <= self.until:
                    rows["id"].append(kv.id)
                    rows["krav_nummer"].append(nummer)
                    rows["krav_versjon"].append(kv.versjon)
                    rows["status"].append(status)
                    payload = dict(kv.payload, status=status)
                    payload.pop("virkemiddelIder", None)
                    rows["data"].append(dumps(payload))
        self.current["etterlevelse_krav"] = rows

    def _krav_payload(self, rng: Rng, nummer: int, v: int, relevans, regelverk, sk_ids) -> dict:
        navn = " ".join(
            (
                rng.pick(["Behandlingen skal", "Løsningen skal", "Teamet skal", "Det skal"]),
                rng.pick(["ha", "sikre", "dokumentere", "vurdere"]),
                rng.pick(KRAV_EMNER),
            )
        )
        return {
            "navn": navn,
            "beskrivelse": sentences(rng, 1, 2),
            "hensikt": sentences(rng, 1, 2),
            "utdypendeBeskrivelse": sentences(rng, 0, 3),
            "versjonEndringer": None if v == 1 else f"Versjon {v}: {sentences(rng, 1, 1)}",
            "notat": None,
            "varselMelding": None,
            "implementasjoner": sentences(rng, 0, 2) or None,
            "dokumentasjon": [f"https://lovdata.no/lov/{rng.randrange(10**4)}"]
            if rng.chance(0.5)
            else [],
            "begrepIder": [],
            "rettskilder": [],
            "tagger": rng.some(["personvern", "sikkerhet", "arkiv", "uu", "ki"], 0, 2),
            "varslingsadresser": [{"adresse": f"#krav-{nummer}", "type": "SLACK"}],
            "regelverk": regelverk,
            "suksesskriterier": [
                {
                    "id": sid,
                    "navn": f"Suksesskriterium {sid}",
                    "beskrivelse": sentences(rng, 1, 1),
                    "behovForBegrunnelse": rng.chance(0.85),
                }
                for sid in sk_ids
            ],
            "avdeling": rng.pick(list(AVDELING)),
            "underavdeling": rng.pick(list(UNDERAVDELING)),
            "relevansFor": relevans,
            "kravIdRelasjoner": [],
            "aktivertDato": None,
            "status": "UTKAST",
            "virkemiddelIder": [],
        }

    def _krav_events(self, rng: Rng, kv: KravVersion) -> str:
        """Write the audit rows of one krav version; return its status at `until`."""
        events = [("CREATE", kv.created, "UTKAST")]
        t = kv.created
        stop = kv.activated or min(self.horizon, kv.created + timedelta(days=300))
        for _ in range(rng.randint(0, 4)):
            t = rng.next_save(t, stop)
            if t >= stop:
                break
            events.append(("UPDATE", t, "UTKAST"))
        if kv.activated:
            events.append(("UPDATE", kv.activated, "AKTIV"))
            t = kv.activated
            for _ in range(rng.choice((0, 0, 1, 2))):
                t = rng.moment(t + timedelta(days=10), t + timedelta(days=400))
                if kv.ended and t >= kv.ended:
                    break
                events.append(("UPDATE", t, "AKTIV"))
        if kv.ended:
            events.append(("UPDATE", kv.ended, "UTGAATT"))
        status = "UTKAST"
        created_by = rng.pick(kv.owners).user
        for k, (action, t, st) in enumerate(events):
            if t > self.horizon:
                break
            if t <= self.until:
                status = st
            by = created_by if k == 0 else rng.pick(kv.owners).user
            payload = dict(kv.payload)
            payload["status"] = "UNDER_ARBEID" if st == "UTKAST" and t < b.KRAV_UTKAST else st
            payload["aktivertDato"] = iso(kv.activated) if st != "UTKAST" else None
            if t >= b.KRAV_TAGGER_EMPTIED:
                payload["tagger"] = []
            if t < b.KRAV_OWN_TABLE:
                dom = {"id": kv.id, "kravNummer": kv.nummer, "kravVersjon": kv.versjon, **payload}
                row = _envelope(kv.id, "Krav", dom, kv.created, created_by, t, by, k)
                self.emit(rng, action, "Krav", kv.id, t, by, k, row)
            else:
                payload.pop("virkemiddelIder", None)
                root = {
                    "id": kv.id,
                    "kravNummer": kv.nummer,
                    "kravVersjon": kv.versjon,
                    "data": payload,
                }
                self.emit(
                    rng,
                    action,
                    "KRAV",
                    kv.id,
                    t,
                    by,
                    k,
                    _own(root, kv.created, created_by, t, by, k),
                )
        return status

    def krav_at(self, nummer: int, t: datetime) -> KravVersion | None:
        for kv in self.kravs[nummer]:
            if kv.active_at(t):
                return kv
        return None

    def relevant(self, kv_relevans: list[str], irrelevans: list[str]) -> bool:
        return not kv_relevans or not all(r in irrelevans for r in kv_relevans)

    # --- documents, answers, metadata ---
    def docs(self) -> None:
        n_docs = self.p["docs"]
        procs_before = [
            p
            for p in self.processes
            if p.created < MIGRATION - timedelta(days=60)
            and (p.deleted is None or p.deleted > MIGRATION)
        ]
        n_beh = min(len(procs_before), int(n_docs * 0.37))
        brng = entity_rng(self.seed, "behandlinger", n_beh)
        behandlinger = brng.sample(procs_before, n_beh)
        docs: list[Doc] = []
        unmapped = 0
        # Pre-migration: answers keyed only by behandlingId (one 'behandling' per process).
        for j, proc in enumerate(behandlinger):
            rng = entity_rng(self.seed, "behandling", proc.id)
            team = rng.some(self.people, 1, 4)
            irrelevans = self._irrelevans(rng)
            gone = (
                j % 17 == 5
            )  # every answer deleted before the migration: no document, never mappable
            first = max(proc.created, b.E_AUDIT_START) + timedelta(days=rng.uniform(1, 60))
            if j == 0:
                first = b.d(2021, 6, 14)  # one long-lived behandling spans every legacy-boolean era
            start = rng.moment(first, MIGRATION - timedelta(days=20)) if j else first
            doc = Doc(rng.uuid(), len(docs), True, proc.id, MIGRATION, team, irrelevans, rng)
            self._behandling_data(rng, proc.id, irrelevans, start, team)
            answers = self._pre_answers(doc, start, long=(j == 0), delete_all=gone)
            if gone:
                unmapped += 1
                continue
            doc.pre_answers = answers
            docs.append(doc)
        # V1.16 numbers the migrated documents first.
        for k, doc in enumerate(docs):
            doc.nummer = 101 + k
        n_new = max(0, n_docs - len(docs))
        new_docs = []
        for i in range(n_new):
            rng = entity_rng(self.seed, "doc", i)
            lo = MIGRATION + timedelta(days=7)
            span = self.horizon - lo
            created = rng.moment(
                lo + span * (i / max(n_new, 1)) * 0.98, lo + span * ((i + 1) / max(n_new, 1))
            )
            team = rng.some(self.people, 1, 4)
            new_docs.append(
                Doc(
                    rng.uuid(),
                    len(docs) + i,
                    False,
                    None,
                    created,
                    team,
                    self._irrelevans(rng),
                    rng,
                )
            )
        new_docs.sort(key=lambda dd: dd.created)
        for k, doc in enumerate(new_docs):
            doc.nummer = 101 + len(docs) + k
        docs.extend(new_docs)
        self.docs_list = docs
        self.unmapped_behandlinger = unmapped
        cur_docs = {"id": [], "data": []}
        meta = {
            "id": [],
            "krav_nummer": [],
            "krav_versjon": [],
            "etterlevelse_dokumentasjon": [],
            "data": [],
        }
        self.current["etterlevelse_etterlevelse_metadata"] = meta
        for k, doc in enumerate(docs):
            self._doc(doc)
            if doc.created <= self.until and (doc.deleted is None or doc.deleted > self.until):
                cur_docs["id"].append(doc.id)
                cur_docs["data"].append(dumps(self._doc_payload(doc, self.until, doc.state_until)))
            if self.progress and k % 50 == 49:
                self.progress(
                    "etterlevelse_audit_version",
                    len(self.sink),
                    len(self.sink) * len(docs) // (k + 1),
                )
        self.current["etterlevelse_etterlevelse_dokumentasjon"] = cur_docs

    def _irrelevans(self, rng: Rng) -> list[str]:
        codes = list(RELEVANS)
        out = rng.some(codes[1:], 0, 3)
        if rng.chance(0.15):
            out.insert(0, "PERSONOPPLYSNINGER")
        return out

    def _behandling_data(
        self, rng: Rng, behandling_id: str, irrelevans: list[str], start: datetime, team
    ) -> None:
        """Historic GS type BehandlingData: per-behandling properties before documents existed."""
        if not rng.chance(0.5):
            return
        bid = rng.uuid()
        t = rng.moment(start, MIGRATION - timedelta(days=1))
        created, by = t, self.user(rng, team)
        for v in range(rng.randint(1, 3)):
            if t >= MIGRATION:
                break
            u = by if v == 0 else self.user(rng, team)
            dom = {
                "id": bid,
                "behandlingId": behandling_id,
                "irrelevansFor": irrelevans if v else irrelevans[:1],
            }
            self.emit(
                rng,
                "CREATE" if v == 0 else "UPDATE",
                "BehandlingData",
                bid,
                t,
                u,
                v,
                _envelope(bid, "BehandlingData", dom, created, by, t, u, v),
            )
            t = rng.next_save(t, MIGRATION - timedelta(hours=1))

    def _pre_answers(self, doc: Doc, start: datetime, *, long: bool, delete_all: bool) -> list:
        """Answers saved before the migration (behandlingId only); returns the live entities."""
        rng = doc.rng
        end = MIGRATION - timedelta(hours=2)
        numbers = [
            nr
            for nr, vs in self.kravs.items()
            if any(v.activated and v.activated < end for v in vs)
        ]
        numbers = [
            nr for nr in numbers if self.relevant(self.kravs[nr][0].relevans, doc.irrelevans)
        ]
        k = max(1, int(len(numbers) * rng.uniform(0.15, 0.45)))
        live = []
        for nr in rng.sample(numbers, min(k, len(numbers))):
            lo = start
            first_active = next((v.activated for v in self.kravs[nr] if v.activated), None)
            if first_active and first_active > lo:
                lo = first_active
            if lo >= end:
                continue
            t0 = (
                rng.moment(lo, end)
                if not long
                else rng.moment(lo, min(end, lo + timedelta(days=300)))
            )
            kv = self.krav_at(nr, t0)
            if kv is None:
                continue
            ans = self._answer(doc, kv, t0, end, pre=True, delete=delete_all)
            if ans is not None:
                live.append(ans)
        if long:
            # Guarantee each legacy era is exercised by this behandling.
            for when in (
                b.d(2021, 6, 7),
                b.d(2021, 8, 16),
                b.d(2021, 12, 6),
                b.d(2022, 5, 16),
                b.d(2023, 1, 9),
            ):
                nrs = [nr for nr in numbers if self.krav_at(nr, when)]
                if nrs:
                    kv = self.krav_at(rng.pick(nrs), when)
                    ans = self._answer(
                        doc,
                        kv,
                        rng.moment(when, when + timedelta(days=3)),
                        end,
                        pre=True,
                        delete=False,
                        quirk=True,
                    )
                    if ans is not None:
                        live.append(ans)
        return live

    def _answer(
        self,
        doc: Doc,
        kv: KravVersion,
        t0: datetime,
        limit: datetime,
        *,
        pre: bool,
        delete: bool = False,
        quirk: bool = False,
        entity: dict | None = None,
    ):
        """Write one answer entity's saves from t0 up to `limit`; returns it for continuation."""
        rng = doc.rng
        if entity is None:
            n_sk = len(kv.sk_ids)
            empty = rng.chance(0.05)
            profile = rng.pick(SK_FINAL, [50, 22, 22, 6])
            finals = [
                profile if rng.chance(0.7) else rng.pick(SK_FINAL, [50, 22, 22, 6])
                for _ in range(n_sk)
            ]
            entity = {
                "id": rng.uuid(),
                "kv": kv,
                "created": t0,
                "created_iso": iso(t0),
                "created_by": self.user(rng, doc.team),
                "v": 0,
                "sk": []
                if empty
                else [
                    [sid, f, "", rng.chance(0.25)] for sid, f in zip(kv.sk_ids, finals, strict=True)
                ],
                "frist": (t0 + timedelta(days=rng.randint(30, 200))).date().isoformat()
                if rng.chance(0.2)
                else None,
                "dok": [f"https://confluence.adeo.no/x/{rng.randrange(10**6)}"]
                if rng.chance(0.3)
                else [],
                "quirk": quirk,
            }
        n = min(15, 1 + int(rng.expovariate(1 / 2.3))) if not quirk else 3
        times = self.save_times(rng, t0, n, limit)
        if delete or rng.chance(0.015):
            times.append(rng.next_save(times[-1], limit))
            deleting = True
        else:
            deleting = False
        total = len(times)
        for j, t in enumerate(times):
            action = (
                "CREATE"
                if entity["v"] == 0 and j == 0
                else ("DELETE" if deleting and j == total - 1 else "UPDATE")
            )
            progress = (j + 1) / total
            for el in entity["sk"]:
                # The free-text begrunnelse is written along the way; some stay empty.
                if (
                    not el[2]
                    and (progress >= 0.999 or rng.chance(progress * 0.6))
                    and rng.chance(0.9)
                ):
                    el[2] = sentences(rng, 1, 2)
            by = entity["created_by"] if entity["v"] == 0 else self.user(rng, doc.team)
            if entity["v"] > 0 and j > 0 and t == times[j - 1] and rng.chance(0.15):
                entity["v"] -= 1  # a double write: same timestamp and same version
            self._emit_answer(doc, entity, t, by, action, progress)
            entity["v"] += 1
        return None if deleting else entity

    def _emit_answer(
        self, doc: Doc, e: dict, t: datetime, by: str, action: str, progress: float
    ) -> None:
        rng = doc.rng
        kv: KravVersion = e["kv"]
        done = progress >= 0.999
        elements = None
        if t >= b.SK_BEGRUNNELSER:
            elements = []
            for sid, final, text, shown_early in e["sk"]:
                status = final if (done or shown_early) else "UNDER_ARBEID"
                el = {"suksesskriterieId": sid, "begrunnelse": text}
                if t < b.SK_OPPFYLT:
                    pass  # the first week: only id and text
                elif t < b.SK_STATUS_ENUM:
                    el["oppfylt"] = status == "OPPFYLT"
                    if t >= b.SK_IKKE_RELEVANT:
                        el["ikkeRelevant"] = status == "IKKE_RELEVANT"
                    if t >= b.SK_UNDER_ARBEID:
                        el["underArbeid"] = status in ("UNDER_ARBEID", "IKKE_OPPFYLT") or (
                            status == "OPPFYLT" and (e["quirk"] or rng.chance(0.2))
                        )
                else:
                    if status == "IKKE_OPPFYLT" and t < b.SK_IKKE_OPPFYLT:
                        status = "UNDER_ARBEID"
                    if status == "UNDER_ARBEID" and t >= b.SK_IKKE_PAABEGYNT and not text:
                        status = "IKKE_PAABEGYNT"
                    el["suksesskriterieStatus"] = status
                if t >= b.SK_VEILEDNING:
                    el["veiledning"] = False
                    el["veiledningsTekst"] = None
                    el["veiledningsTekst2"] = None
                elements.append(el)
        finals = [f for _, f, _, _ in e["sk"]]
        if done and finals and all(f == "IKKE_RELEVANT" for f in finals):
            status = (
                "IKKE_RELEVANT_FERDIG_DOKUMENTERT"
                if t >= b.E_STATUS_IKKE_RELEVANT_FD
                else "IKKE_RELEVANT"
            )
        elif done and finals and rng.chance(0.8):
            status = "FERDIG_DOKUMENTERT"
        else:
            status = rng.pick(
                ["UNDER_REDIGERING", "OPPFYLLES_SENERE", "IKKE_PAABEGYNT"], [85, 7, 8]
            )
        payload = {
            "etterleves": bool(finals) and all(f in ("OPPFYLT", "IKKE_RELEVANT") for f in finals),
            "statusBegrunnelse": sentences(rng, 1, 1) if status == "OPPFYLLES_SENERE" else None,
            "dokumentasjon": e["dok"],
            "fristForFerdigstillelse": e["frist"],
            "status": status,
        }
        if elements is not None:
            payload["suksesskriterieBegrunnelser"] = elements
        v = e["v"]
        doc_id = doc.id if t >= MIGRATION else None
        if t < b.ETTERLEVELSE_OWN_TABLE:
            dom = {"id": e["id"], "behandlingId": doc.behandling}
            if t >= MIGRATION:
                dom["etterlevelseDokumentasjonId"] = doc_id
            dom.update(kravNummer=kv.nummer, kravVersjon=kv.versjon, **payload)
            row = _envelope(
                e["id"], "Etterlevelse", dom, e["created_iso"], e["created_by"], t, by, v
            )
            self.emit(rng, action, "Etterlevelse", e["id"], t, by, v, row)
        else:
            root = {
                "id": e["id"],
                "behandlingId": doc.behandling,
                "etterlevelseDokumentasjonId": doc_id,
                "kravNummer": kv.nummer,
                "kravVersjon": kv.versjon,
                "etterlevelseData": payload,
            }
            self.emit(
                rng,
                action,
                "ETTERLEVELSE",
                e["id"],
                t,
                by,
                v,
                _own(root, e["created_iso"], e["created_by"], t, by, v),
            )

    def _doc(self, doc: Doc) -> None:
        rng = doc.rng
        if doc.migrated:
            # Document 1 is never edited and document 0 always is: both cases exist at every scale.
            never = (rng.chance(0.25) or doc.index == 1) and doc.index != 0
            first = (
                None
                if never
                else rng.moment(
                    MIGRATION + timedelta(days=2),
                    min(self.horizon, MIGRATION + timedelta(days=rng.uniform(10, 900))),
                )
            )
            if doc.index == 0 and first is not None and first > b.DOK_OWN_TABLE:
                first = rng.moment(MIGRATION + timedelta(days=5), b.d(2024, 3, 1))
        else:
            first = doc.created
        st = doc.state
        st.update(
            title="" if doc.migrated else b.title(rng),
            behandlingIds=[doc.behandling]
            if doc.migrated
            else self._behandling_ids(rng, doc.created),
            irrelevansFor=list(doc.irrelevans),
            teams=[],
            behandlerPersonopplysninger=True,
            avdeling=None,
            beskrivelse=None,
            gjenbrukBeskrivelse=None,
            forGjenbruk=False,
            tilgjengeligForGjenbruk=False,
            prioritertKravNummer=[],
            varslingsadresser=[],
            resources=[],
            risikoeiere=[],
            Risikovurderinger=[],
            P360Recno=None,
            P360CaseNumber=None,
            seksjoner=[],
            status="UNDER_ARBEID",
            versjon=1,
            historikk=[],
        )
        doc.targets = {
            "beskrivelse": rng.chance(0.6),
            "prioritert": rng.chance(0.15),
            "varsling": rng.chance(0.75),
            "gjenbruk": rng.chance(0.045),
            "resources": rng.chance(0.5),
            "risikoeiere": rng.chance(0.4),
            "avdeling": rng.chance(0.8),
            "teams": rng.chance(0.85),
            "p360": rng.chance(0.05),
        }
        doc.state_until = {k: (list(v) if isinstance(v, list) else v) for k, v in st.items()}
        created_by = MIGRATION_USER if doc.migrated else doc.team[0].user
        created = MIGRATION if doc.migrated else doc.created
        if first is None:
            doc.last_activity = None
            return
        life_end = min(self.horizon, first + timedelta(days=rng.expovariate(1 / 500) + 30))
        n_edits = rng.randint(2, 12)
        times = self.save_times(rng, first, n_edits, life_end)
        window = [t for t in times if b.DOC_RISIKOEIERE <= t < b.DOC_NOM_AVDELING]
        if self.showcase_left and len(window) >= 3:
            # A few documents take up every optional field at the first chance, so each field
            # shows up even at the smallest scale and with any seed.
            doc.showcase = True
            doc.targets = dict.fromkeys(doc.targets, True)
            self.showcase_left -= 1
        if rng.chance(0.07):
            doc.deleted = rng.moment(
                times[-1] + timedelta(hours=1), times[-1] + timedelta(days=120)
            )
        doc.edits = times
        doc.last_activity = times[-1]
        version = 1 if doc.migrated else 0
        events = [("UPDATE" if doc.migrated else "CREATE", t) for t in times[:1]] + [
            ("UPDATE", t) for t in times[1:]
        ]
        if doc.deleted:
            events.append(("DELETE", doc.deleted))
        for action, t in events:
            if action == "UPDATE" or action == "CREATE":
                self._evolve_doc(doc, t)
            if t <= self.until:
                doc.state_until = {
                    k: (list(v) if isinstance(v, list) else v) for k, v in doc.state.items()
                }
            by = doc.team[0].user if action == "CREATE" else self.user(rng, doc.team)
            payload = self._doc_payload(doc, t)
            if t < b.DOK_OWN_TABLE:
                dom = {"id": doc.id, **payload}
                row = _envelope(
                    doc.id, "EtterlevelseDokumentasjon", dom, created, created_by, t, by, version
                )
                self.emit(rng, action, "EtterlevelseDokumentasjon", doc.id, t, by, version, row)
            else:
                root = {"id": doc.id, "etterlevelseDokumentasjonData": payload}
                self.emit(
                    rng,
                    action,
                    "ETTERLEVELSE_DOKUMENTASJON",
                    doc.id,
                    t,
                    by,
                    version,
                    _own(root, created, created_by, t, by, version),
                )
            version += 1
        self._doc_answers(doc, first, life_end)

    def _behandling_ids(self, rng: Rng, t: datetime) -> list[str]:
        if t >= b.d(2024, 1, 1) and rng.chance(0.15):
            return []
        n = bisect_left(self.proc_created, t)  # processes created before t
        if not n:
            return []
        want, out = rng.upto(1, 2), []
        for _ in range(6):
            p = self.proc_sorted[int(rng.random() * n)]
            if (p.deleted is None or p.deleted > t) and p.id not in out:
                out.append(p.id)
            if len(out) == want:
                break
        return out

    def _evolve_doc(self, doc: Doc, t: datetime) -> None:
        rng, st, tg = doc.rng, doc.state, doc.targets

        def go(p: float) -> bool:
            return doc.showcase or rng.chance(p)

        if not st["title"] and rng.chance(0.9):
            st["title"] = b.title(rng)
        if t >= b.DOC_TEAMS and tg["teams"] and not st["teams"] and go(0.6):
            st["teams"] = [
                entity_rng(self.seed, "team", rng.randrange(self.p["teams"])).uuid()
                for _ in range(rng.randint(1, 2))
            ]
        if t >= b.DOC_AVDELING and tg["avdeling"] and st["avdeling"] is None and go(0.6):
            st["avdeling"] = rng.pick(list(AVDELING))
        if (
            t >= b.DOC_BESKRIVELSE
            and tg["beskrivelse"]
            and (not st["beskrivelse"] or rng.chance(0.1))
            and go(0.7)
        ):
            st["beskrivelse"] = sentences(rng, 1, 4)
        if (
            t >= b.DOC_PRIORITERT
            and tg["prioritert"]
            and not st["prioritertKravNummer"]
            and go(0.5)
        ):
            st["prioritertKravNummer"] = [
                str(nr)
                for nr in sorted(
                    rng.sample(list(self.kravs), min(len(self.kravs), rng.randint(1, 8)))
                )
            ]
        if t >= b.DOC_VARSLING and tg["varsling"] and not st["varslingsadresser"] and go(0.8):
            adr = []
            n = 3 if doc.showcase else rng.randint(1, 3)
            for k in range(n):
                typ = rng.pick(["SLACK", "EPOST", "SLACK_USER"], [55, 35, 10])
                if doc.showcase:
                    typ = ("SLACK", "EPOST", "SLACK_USER")[k % 3]
                if typ == "EPOST":
                    adr.append({"adresse": f"team{rng.randrange(500)}@nav.no", "type": typ})
                elif typ == "SLACK":
                    adr.append({"adresse": f"C0{rng.randrange(10**8):08d}", "type": typ})
                else:
                    adr.append({"adresse": f"U0{rng.randrange(10**8):08d}", "type": typ})
            st["varslingsadresser"] = adr
        elif st["varslingsadresser"] and rng.chance(0.03):
            st["varslingsadresser"] = []
        if t >= b.DOC_GJENBRUK and tg["gjenbruk"] and go(0.5):
            if not st["forGjenbruk"]:
                st["forGjenbruk"] = True
                st["gjenbrukBeskrivelse"] = sentences(rng, 1, 2)
            elif go(0.6):
                st["tilgjengeligForGjenbruk"] = True
        if t >= b.DOC_RESOURCES and tg["resources"] and not st["resources"] and go(0.5):
            st["resources"] = [p.ident for p in rng.some(doc.team, 1, 2)]
        if t >= b.DOC_RISIKOEIERE and tg["risikoeiere"] and not st["risikoeiere"] and go(0.5):
            st["risikoeiere"] = [rng.pick(self.people).ident]
        if t >= b.DOC_P360 and tg["p360"] and st["P360Recno"] is None:
            st["P360Recno"] = rng.randrange(10**6, 10**7)
            st["P360CaseNumber"] = f"{t.year % 100}/{rng.randrange(10**5):05d}"
        if t >= b.DOC_SEKSJONER and not st["seksjoner"] and rng.chance(0.3):
            st["seksjoner"] = [
                {
                    "nomSeksjonId": f"nom-s{rng.randrange(900)}",
                    "nomSeksjonName": f"Seksjon {rng.randrange(900)}",
                }
            ]
        if t >= b.DOC_STATUS and rng.chance(0.1):
            st["status"] = {"UNDER_ARBEID": "SENDT_TIL_GODKJENNING_TIL_RISIKOEIER"}.get(
                st["status"], "GODKJENT_AV_RISIKOEIER"
            )
        if t >= b.DOC_VERSJON and st["status"] == "GODKJENT_AV_RISIKOEIER" and rng.chance(0.3):
            st["historikk"].append(
                {
                    "versjon": st["versjon"],
                    "godkjentAvRisikoeier": st["risikoeiere"][0] if st["risikoeiere"] else None,
                    "godkjentAvRisikoierDato": iso(t),
                    "nyVersjonOpprettetDato": iso(t),
                    "kravTilstandHistorikk": [],
                }
            )
            st["versjon"] += 1
            st["status"] = "UNDER_ARBEID"
        if rng.chance(0.05):
            st["irrelevansFor"] = self._irrelevans(rng)

    def _doc_payload(self, doc: Doc, t: datetime, state: dict | None = None) -> dict:
        """The document's fields as the app's Java class had them at time t (nulls explicit)."""
        st = doc.state if state is None else state
        p: dict = {
            "etterlevelseNummer": doc.nummer,
            "title": st["title"],
            "behandlingIds": st["behandlingIds"],
        }
        if t >= b.DOC_BEHANDLER_PO:
            p["behandlerPersonopplysninger"] = st["behandlerPersonopplysninger"]
        if t < b.DOC_VIRKEMIDDEL_REMOVED:
            p["virkemiddelId"] = None
            p["knyttetTilVirkemiddel"] = False
            p["knytteTilTeam"] = bool(st["teams"])
        if t >= b.DOC_TEAMS:
            p["teams"] = st["teams"]
        p["irrelevansFor"] = st["irrelevansFor"]
        if b.DOC_AVDELING <= t < b.DOC_NOM_AVDELING:
            p["avdeling"] = st["avdeling"]
        if t >= b.DOC_NOM_AVDELING:
            a = st["avdeling"]
            p["nomAvdelingId"] = f"nom-{a.lower()}" if a else None
            p["avdelingNavn"] = AVDELING[a] if a else None
        if t >= b.DOC_BESKRIVELSE:
            p["beskrivelse"] = st["beskrivelse"]
        if t >= b.DOC_PRIORITERT:
            p["prioritertKravNummer"] = st["prioritertKravNummer"]
        if t >= b.DOC_VARSLING:
            p["varslingsadresser"] = st["varslingsadresser"]
        if t >= b.DOC_GJENBRUK:
            p["gjenbrukBeskrivelse"] = st["gjenbrukBeskrivelse"]
            p["forGjenbruk"] = st["forGjenbruk"]
            p["tilgjengeligForGjenbruk"] = st["tilgjengeligForGjenbruk"]
        if t >= b.DOC_RESOURCES:
            p["resources"] = st["resources"]
        if t >= b.DOC_RISIKOEIERE:
            p["risikoeiere"] = st["risikoeiere"]
            p["Risikovurderinger"] = st["Risikovurderinger"]
        if t >= b.DOC_P360:
            p["P360Recno"] = st["P360Recno"]
            p["P360CaseNumber"] = st["P360CaseNumber"]
        if t >= b.DOC_SEKSJONER:
            p["seksjoner"] = st["seksjoner"]
        if t >= b.DOC_STATUS:
            p["status"] = st["status"]
            p["meldingEtterlevelerTilRisikoeier"] = None
            p["meldingRisikoeierTilEtterleveler"] = None
        if t >= b.DOC_VERSJON:
            p["etterlevelseDokumentVersjon"] = st["versjon"]
            p["versjonHistorikk"] = st["historikk"]
        if t >= b.DOC_DP_BEHANDLING:
            p["dpBehandlingIds"] = []
        if t >= b.DOC_ARDOQ:
            p["ardoqSystemIds"] = []
        if t >= b.DOC_ENHETER:
            p["enheter"] = []
        return p

    def _doc_answers(self, doc: Doc, first: datetime, life_end: datetime) -> None:
        rng = doc.rng
        end = min(life_end, doc.deleted or life_end)
        # Pre-migration answers of a migrated document that is edited again continue with a doc id.
        for e in doc.pre_answers:
            if rng.chance(0.3):
                t0 = rng.moment(first, end)
                if e["kv"].active_at(t0):
                    self._answer(doc, e["kv"], t0, end, pre=False, entity=e)
        activity = rng.pick([0.05, 0.2, 0.4, 0.65], [15, 30, 35, 20])
        mid = first + (end - first) / 2
        numbers = [
            nr for nr, vs in self.kravs.items() if self.relevant(vs[0].relevans, doc.irrelevans)
        ]
        numbers = [
            nr
            for nr in numbers
            if any(
                v.activated and v.activated <= end and (v.ended is None or v.ended > first)
                for v in self.kravs[nr]
            )
        ]
        answered = {e["kv"].nummer for e in doc.pre_answers}
        pool = [nr for nr in numbers if nr not in answered]
        k = int(len(pool) * activity)
        metas = []
        for nr in rng.sample(pool, min(k, len(pool))):
            t0 = rng.moment(first, end) if rng.chance(0.5) else rng.moment(first, mid)
            kv = self.krav_at(nr, t0)
            if kv is None:
                continue
            e = self._answer(doc, kv, t0, end, pre=False)
            # A newer krav version: the document answers it as a new entity.
            newer = [
                v
                for v in self.kravs[nr]
                if v.versjon > kv.versjon and v.activated and v.activated < end
            ]
            if newer and rng.chance(0.5):
                nv = newer[0]
                t1 = rng.moment(nv.activated, end)
                if nv.active_at(t1):
                    self._answer(doc, nv, t1, end, pre=False)
            if e is not None and rng.chance(0.06):
                metas.append((kv, t0))
        for e in doc.pre_answers:
            if rng.chance(0.1) and e["created"] >= b.METADATA_START:
                metas.append((e["kv"], e["created"]))
        for kv, t0 in metas:
            self._metadata(doc, kv, t0, end)

    def _metadata(self, doc: Doc, kv: KravVersion, t0: datetime, end: datetime) -> None:
        rng = doc.rng
        mid = rng.uuid()
        t0 = max(t0, b.METADATA_START)
        created_by = self.user(rng, doc.team)
        tildelt = [p.user for p in rng.some(doc.team, 0, 2)]
        notater = sentences(rng, 1, 2) if rng.chance(0.3) else None
        times = self.save_times(rng, t0, rng.randint(1, 4), max(end, t0))
        deleted = rng.chance(0.05)
        alive = True
        current = None
        for v, t in enumerate(times):
            action = (
                "CREATE"
                if v == 0
                else ("DELETE" if deleted and v == len(times) - 1 and v > 0 else "UPDATE")
            )
            if action == "DELETE":
                alive = alive and t > self.until
            elif v:
                if rng.chance(0.5):
                    tildelt = [p.user for p in rng.some(doc.team, 0, 2)]
                else:
                    notater = sentences(rng, 1, 3)
            by = created_by if v == 0 else self.user(rng, doc.team)
            if t < b.METADATA_OWN_TABLE:
                dom = {"id": mid, "behandlingId": doc.behandling}
                if t >= MIGRATION:
                    dom["etterlevelseDokumentasjonId"] = doc.id
                dom.update(
                    kravNummer=kv.nummer,
                    kravVersjon=kv.versjon,
                    tildeltMed=tildelt,
                    notater=notater,
                )
                self.emit(
                    rng,
                    action,
                    "EtterlevelseMetadata",
                    mid,
                    t,
                    by,
                    v,
                    _envelope(mid, "EtterlevelseMetadata", dom, t0, created_by, t, by, v),
                )
            else:
                root = {
                    "id": mid,
                    "kravNummer": kv.nummer,
                    "kravVersjon": kv.versjon,
                    "etterlevelseDokumentasjonId": doc.id,
                    "data": {"tildeltMed": tildelt, "notater": notater},
                }
                self.emit(
                    rng,
                    action,
                    "ETTERLEVELSE_METADATA",
                    mid,
                    t,
                    by,
                    v,
                    _own(root, t0, created_by, t, by, v),
                )
            if t <= self.until:
                current = {"tildeltMed": list(tildelt), "notater": notater}
        doc_alive = doc.deleted is None or doc.deleted > self.until
        if current is not None and alive and doc_alive:
            m = self.current["etterlevelse_etterlevelse_metadata"]
            m["id"].append(mid)
            m["krav_nummer"].append(kv.nummer)
            m["krav_versjon"].append(kv.versjon)
            m["etterlevelse_dokumentasjon"].append(doc.id)
            m["data"].append(dumps(current))

    # --- DOCUMENT_RELATION ---
    def relations(self) -> None:
        rng = entity_rng(self.seed, "relations", 0)
        children = [
            dd
            for dd in self.docs_list
            if not dd.migrated and dd.created >= b.DOCUMENT_RELATION and dd.edits
        ]
        mothers = [dd for dd in self.docs_list if dd.edits]
        seen = set()
        for child in children[: self.p["relations"] * 3]:
            if len(seen) >= self.p["relations"]:
                break
            cands = [
                m
                for m in mothers
                if m.edits[0] < child.created
                and m is not child
                and (m.deleted is None or m.deleted > child.created)
            ]
            if not cands or not rng.chance(0.5):
                continue
            mother = rng.pick(cands)
            if (mother.id, child.id) in seen:
                continue
            seen.add((mother.id, child.id))
            t = child.created + timedelta(seconds=rng.uniform(1, 30))
            rtype = rng.pick(["ARVER", "ENGANGSKOPI", "BYGGER"], [80, 14, 6])
            if b.RELATION_KOPI[0] <= t <= b.RELATION_KOPI[1]:
                rtype = "KOPI"
            rid = rng.uuid()
            by = child.team[0].user
            events = [("CREATE", t)]
            if rng.chance(0.1):
                events.append(("UPDATE", rng.moment(t, self.horizon)))
            if rng.chance(0.1) or (child.deleted and rng.chance(0.5)):
                events.append(("DELETE", rng.moment(events[-1][1], self.horizon)))
            for v, (action, te) in enumerate(events):
                u = by if v == 0 else self.user(rng, child.team)
                data = None if v == 0 or rng.chance(0.5) else {}
                root = {
                    "id": rid,
                    "relationType": rtype,
                    "fromDocument": mother.id,
                    "toDocument": child.id,
                    "data": data,
                }
                self.emit(
                    rng, action, "DOCUMENT_RELATION", rid, te, u, v, _own(root, t, by, te, u, v)
                )

    # --- PVK_DOKUMENT, RISIKOSCENARIO, TILTAK ---
    def pvk(self) -> None:
        rng = entity_rng(self.seed, "pvk-docs", 0)
        cands = [
            dd
            for dd in self.docs_list
            if dd.edits
            and dd.edits[-1] > b.PVK_START
            and (dd.deleted is None or dd.deleted > b.PVK_START + timedelta(days=30))
        ]
        chosen = rng.sample(cands, min(self.p["pvk"], len(cands)))
        for i, doc in enumerate(chosen):
            self._pvk(entity_rng(self.seed, "pvk", i), doc)

    def _pvk_status_next(self, rng: Rng, s: str, t: datetime) -> str:
        new = t >= b.PVK_NEW_STATUSES
        if not new:
            return (
                "INAKTIV"
                if s == "AKTIV" and rng.chance(0.15)
                else ("AKTIV" if s == "INAKTIV" and rng.chance(0.5) else s)
            )
        r = rng.random()
        if s in ("AKTIV", "INAKTIV"):
            if t < b.PVK_AKTIV_REMOVED and s == "AKTIV" and r < 0.3:
                return "AKTIV"
            return "UNDERARBEID"
        if r < 0.55:
            return s  # edits without a status change
        pvo_ua = t >= b.PVK_PVO_UNDERARBEID
        trenger = t >= b.PVK_TRENGER_GODKJENNING
        revurd = t >= b.PVK_REVURDERING
        nxt = {
            "UNDERARBEID": "SENDT_TIL_PVO",
            "SENDT_TIL_PVO": "PVO_UNDERARBEID" if pvo_ua else "VURDERT_AV_PVO",
            "PVO_UNDERARBEID": "VURDERT_AV_PVO_TRENGER_MER_ARBEID"
            if revurd and rng.chance(0.3)
            else "VURDERT_AV_PVO",
            "VURDERT_AV_PVO_TRENGER_MER_ARBEID": "SENDT_TIL_PVO_FOR_REVURDERING",
            "SENDT_TIL_PVO_FOR_REVURDERING": "PVO_UNDERARBEID" if pvo_ua else "VURDERT_AV_PVO",
            "VURDERT_AV_PVO": "TRENGER_GODKJENNING" if trenger else "GODKJENT_AV_RISIKOEIER",
            "TRENGER_GODKJENNING": "GODKJENT_AV_RISIKOEIER",
            "GODKJENT_AV_RISIKOEIER": "GODKJENT_AV_RISIKOEIER"
            if t >= b.PVK_AKTIV_REMOVED or rng.chance(0.7)
            else "AKTIV",
        }
        return nxt.get(s, s)

    def _pvk(self, rng: Rng, doc: Doc) -> None:
        pid = rng.uuid()
        lo = max(b.PVK_START, doc.edits[0])
        end = min(self.horizon, doc.deleted or self.horizon)
        created = rng.moment(lo, min(end, lo + timedelta(days=200)))
        n = rng.randint(3, 25)
        times = self.save_times(rng, created, n, end)
        created_by = self.user(rng, doc.team)
        status = "AKTIV" if created < b.PVK_NEW_STATUSES else "UNDERARBEID"
        st = {
            "ytterligereEgenskaper": rng.some(YTTERLIGERE, 0, 3),
            "skalUtforePvk": rng.pick([True, False, None], [50, 30, 20]),
            "innsendinger": 0,
            "meldinger": [],
        }
        for v, t in enumerate(times):
            if v:
                before = status
                status = self._pvk_status_next(rng, status, t)
                if (
                    status in ("SENDT_TIL_PVO", "SENDT_TIL_PVO_FOR_REVURDERING")
                    and status != before
                ):
                    st["innsendinger"] += 1
                    st["meldinger"].append(
                        {
                            "innsendingId": st["innsendinger"],
                            "merknadTilPvo": sentences(rng, 0, 1) or None,
                            "endringsNotat": None,
                            "sendtTilPvoDato": iso(t),
                            "sendtTilPvoAv": self.user(rng, doc.team),
                            "etterlevelseDokumentVersjon": 1,
                        }
                    )
            by = created_by if v == 0 else self.user(rng, doc.team)
            data = self._pvk_payload(rng, st, status, t)
            root = {
                "id": pid,
                "etterlevelseDokumentId": doc.id,
                "status": status,
                "pvkDokumentData": data,
            }
            self.emit(
                rng,
                "CREATE" if v == 0 else "UPDATE",
                "PVK_DOKUMENT",
                pid,
                t,
                by,
                v,
                _own(root, created, created_by, t, by, v),
            )
        for j in range(int(rng.triangular(0, 15, 3))):
            self._risikoscenario(entity_rng(self.seed, f"risiko-{pid}", j), pid, doc, created, end)
        for j in range(int(rng.triangular(0, 20, 3))):
            self._tiltak(entity_rng(self.seed, f"tiltak-{pid}", j), pid, doc, created, end)

    def _pvk_payload(self, rng: Rng, st: dict, status: str, t: datetime) -> dict:
        d: dict = {"ytterligereEgenskaper": st["ytterligereEgenskaper"]}
        if t < b.PVK_VURDERING:
            d["skalUtforePvk"] = st["skalUtforePvk"]
        else:
            d["pvkVurdering"] = {True: "SKAL_UTFORE", False: "SKAL_IKKE_UTFORE", None: "UNDEFINED"}[
                st["skalUtforePvk"]
            ]
            d["pvkVurderingsBegrunnelse"] = None
        if t < b.PVK_VURDERING:
            d["stemmerPersonkategorier"] = None
            d["personkategoriAntallBeskrivelse"] = None
            d["tilgangsBeskrivelsePersonopplysningene"] = None
            d["lagringsBeskrivelsePersonopplysningene"] = None
        d["harInvolvertRepresentant"] = None
        d["representantInvolveringsBeskrivelse"] = None
        d["harDatabehandlerRepresentantInvolvering"] = None
        d["dataBehandlerRepresentantInvolveringBeskrivelse"] = None
        if t >= b.PVK_NEW_STATUSES:
            d["antallInnsendingTilPvo"] = st["innsendinger"]
            d["berOmNyVurderingFraPvo"] = None
            d["merknadTilRisikoeier"] = None
            d["merknadFraRisikoeier"] = None
            d["godkjentAvRisikoeier"] = None
            d["godkjentAvRisikoeierDato"] = None
            if status == "GODKJENT_AV_RISIKOEIER":
                d["godkjentAvRisikoeier"] = "risikoeier"
                d["godkjentAvRisikoeierDato"] = iso(t)
        if t < b.PVK_MELDINGER_TIL_PVO:
            if t >= b.PVK_NEW_STATUSES:
                last = st["meldinger"][-1] if st["meldinger"] else None
                d["merknadTilPvoEllerRisikoeier"] = last["merknadTilPvo"] if last else None
            if t >= b.PVK_SENDT_TIL_PVO_DATO:
                last = st["meldinger"][-1] if st["meldinger"] else None
                d["sendtTilPvoDato"] = last["sendtTilPvoDato"] if last else None
                d["sendtTilPvoAv"] = last["sendtTilPvoAv"] if last else None
        else:
            d["meldingerTilPvo"] = st["meldinger"]
        return d

    def _risikoscenario(
        self, rng: Rng, pid: str, doc: Doc, pvk_created: datetime, end: datetime
    ) -> None:
        lo = max(pvk_created, b.RISIKOSCENARIO_START)
        if lo >= end:
            return
        rid = rng.uuid()
        created = rng.moment(lo, end)
        times = self.save_times(rng, created, rng.randint(1, 6), end)
        deleted = rng.chance(0.08) and len(times) > 1
        created_by = self.user(rng, doc.team)
        general = rng.chance(0.4)
        s, k = rng.randint(1, 5), rng.randint(1, 5)
        data = {
            "navn": f"Risiko for {rng.pick(RISIKOER)}",
            "beskrivelse": sentences(rng, 1, 2),
            "sannsynlighetsNivaa": s,
            "sannsynlighetsNivaaBegrunnelse": sentences(rng, 1, 1),
            "konsekvensNivaa": k,
            "konsekvensNivaaBegrunnelse": sentences(rng, 1, 1),
            "generelScenario": general,
            "relevanteKravNummer": [] if general else [rng.pick(list(self.kravs))],
            "tiltakOppdatert": False,
            "ingenTiltak": None,
            "sannsynlighetsNivaaEtterTiltak": None,
            "konsekvensNivaaEtterTiltak": None,
            "nivaaBegrunnelseEtterTiltak": None,
        }
        for v, t in enumerate(times):
            if v:
                data = dict(
                    data,
                    sannsynlighetsNivaaEtterTiltak=max(1, s - 1),
                    konsekvensNivaaEtterTiltak=k,
                    tiltakOppdatert=True,
                )
            action = (
                "CREATE" if v == 0 else ("DELETE" if deleted and v == len(times) - 1 else "UPDATE")
            )
            by = created_by if v == 0 else self.user(rng, doc.team)
            root = {"id": rid, "pvkDokumentId": pid, "risikoscenarioData": data}
            self.emit(
                rng,
                action,
                "RISIKOSCENARIO",
                rid,
                t,
                by,
                v,
                _own(root, created, created_by, t, by, v),
            )

    def _tiltak(self, rng: Rng, pid: str, doc: Doc, pvk_created: datetime, end: datetime) -> None:
        lo = max(pvk_created, b.TILTAK_START)
        if lo >= end:
            return
        tid = rng.uuid()
        created = rng.moment(lo, end)
        times = self.save_times(rng, created, rng.randint(1, 5), end)
        deleted = rng.chance(0.05) and len(times) > 1
        created_by = self.user(rng, doc.team)
        data = {
            "navn": f"Tiltak: {rng.pick(TILTAK_NAVN)}",
            "beskrivelse": sentences(rng, 1, 2),
            "ansvarlig": rng.pick(doc.team).ident,
            "frist": (created + timedelta(days=rng.randint(30, 365))).date().isoformat(),
            "ansvarligTeam": None,
            "iverksatt": False,
            "iverksattDato": None,
            "iverksettingsKommentar": None,
        }
        for v, t in enumerate(times):
            if v and rng.chance(0.4):
                data = dict(data, iverksatt=True, iverksattDato=t.date().isoformat())
            action = (
                "CREATE" if v == 0 else ("DELETE" if deleted and v == len(times) - 1 else "UPDATE")
            )
            by = created_by if v == 0 else self.user(rng, doc.team)
            root = {"id": tid, "pvkDokumentId": pid, "tiltakData": data}
            self.emit(
                rng, action, "TILTAK", tid, t, by, v, _own(root, created, created_by, t, by, v)
            )

    # --- Melding (system and front-page messages, still generic storage) ---
    def noise(self) -> None:
        for i in range(self.p["meldinger"]):
            rng = entity_rng(self.seed, "melding", i)
            mid = rng.uuid()
            created = rng.moment(b.d(2021, 3, 1), self.horizon)
            by = rng.pick(self.admins).user if rng.chance(0.7) else SYSTEM_USER_E
            t = created
            for v in range(rng.randint(1, 4)):
                dom = {
                    "id": mid,
                    "melding": sentences(rng, 1, 2),
                    "secondaryTittel": None,
                    "secondaryMelding": None,
                    "meldingType": rng.pick(["SYSTEM", "FORSIDE", "OM_STOTTE_TIL_ETTERLEVELSE"]),
                    "meldingStatus": "ACTIVE" if v < 2 else "DEACTIVE",
                    "alertType": rng.pick(["INFO", "WARNING"]),
                }
                self.emit(
                    rng,
                    "CREATE" if v == 0 else "UPDATE",
                    "Melding",
                    mid,
                    t,
                    by,
                    v,
                    _envelope(mid, "Melding", dom, created, by, t, by, v),
                )
                t = rng.moment(t + timedelta(days=1), t + timedelta(days=90))

    # --- Tilbakemelding (current table only; never audited) ---
    def tilbakemeldinger(self) -> None:
        rows = {"id": [], "krav_nummer": [], "krav_versjon": [], "created_date": [], "data": []}
        for i in range(self.p["tilbakemeldinger"]):
            rng = entity_rng(self.seed, "tilbakemelding", i)
            created = rng.moment(b.SK_BEGRUNNELSER, self.horizon)
            if created > self.until:
                continue
            nrs = [nr for nr in self.kravs if self.krav_at(nr, created)]
            if not nrs:
                continue
            kv = self.krav_at(rng.pick(nrs), created)
            melder = rng.pick(self.people)
            eier = rng.pick(kv.owners)
            n = rng.choices([1, 2, 3, 4, 5, 6], weights=[20, 40, 18, 10, 7, 5])[0]
            msgs = []
            t = created
            for m in range(1, n + 1):
                if t > self.until:
                    break
                frm = melder if m % 2 else eier
                edited = rng.chance(0.05)
                msgs.append(
                    {
                        "meldingNr": m,
                        "fraIdent": frm.ident,
                        "rolle": "MELDER" if m % 2 else "KRAVEIER",
                        "tid": iso(t),
                        "innhold": sentences(rng, 1, 3),
                        "endretTid": iso(t + timedelta(minutes=7)) if edited else None,
                        "endretAvIdent": frm.ident if edited else None,
                    }
                )
                t = rng.moment(
                    t + timedelta(hours=2), t + timedelta(days=rng.expovariate(1 / 8) + 1)
                )
            if created < b.TILBAKEMELDING_STATUS and rng.chance(0.85):
                status = None
            elif len(msgs) == 1:
                status = "UBESVART"
            else:
                status = rng.pick(["BESVART", "MIDLERTIDLIG_SVAR"], [88, 12])
            data = {
                "tittel": f"Spørsmål om {kv.payload['navn'].lower()[:40]}",
                "type": rng.pick(["UKLAR", "ANNET", "GOD"], [60, 30, 10]),
                "melder": {
                    "ident": melder.ident,
                    "varslingsadresse": {
                        "adresse": f"{melder.ident.lower()}@nav.no",
                        "type": "EPOST",
                    }
                    if rng.chance(0.5)
                    else {"adresse": f"U0{rng.randrange(10**8):08d}", "type": "SLACK_USER"},
                },
                "meldinger": msgs,
                "status": status,
                "endretKrav": rng.chance(0.05),
            }
            rows["id"].append(rng.uuid())
            rows["krav_nummer"].append(kv.nummer)
            rows["krav_versjon"].append(kv.versjon)
            rows["created_date"].append(created)
            rows["data"].append(dumps(data))
        self.current["etterlevelse_tilbakemelding"] = rows
