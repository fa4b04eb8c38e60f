"""Static structure: Nav units and their veileder desks (`Units`), gjennomføring lines
(`Lines`), and the `nav_enhet` table read off them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from metrikk.generate.tiltak import reference as ref
from metrikk.generate.tiltak.codes import (
    CODE_FROM,
    CODE_KIND,
    DUR,
    EGEN_REGI,
    KIND_KURS,
    KIND_LOP,
    KURS,
    N_CODES,
    C,
    resolve_concepts,
)
from metrikk.generate.tiltak.params import HORIZON, RATE_PER_1000, STRUCTURE_FROM
from metrikk.generate.tiltak.util import day, rng, strs


class Units:
    """Nav units and their per-office parameters (index = position in `nr`)."""

    def __init__(self, seed: int, factor: float):
        offs = ref.offices()
        self.nr = [o[0] for o in offs] + [ref.NASJONAL_OPPFOLGINGSENHET[0]]
        self.navn = [o[1] for o in offs] + [ref.NASJONAL_OPPFOLGINGSENHET[1]]
        self.fylke = [o[2] for o in offs] + [None]
        self.pop = np.array([o[3] for o in offs] + [0], dtype=np.float64)
        self.n_lokal = len(offs)
        self.noe = len(offs)  # index of Nasjonal oppfølgingsenhet
        self.index = {n: i for i, n in enumerate(self.nr)}
        self.fylke_nr = list(ref.FYLKER)
        self.fylke_of = np.array([self.fylke_nr.index(f) for f in self.fylke[:-1]] + [-1])
        # Veileder slots per office: a slot is a desk held by a sequence of veiledere.
        slots = np.maximum(4, np.round(self.pop * 0.6 * np.sqrt(min(factor, 1.0)))).astype(np.int64)
        slots[self.noe] = max(6, round(40 * min(factor, 1.0)))
        self.slots = slots
        self.slot_start = np.concatenate([[0], np.cumsum(slots)[:-1]])
        n_slots = int(slots.sum())
        r = rng(seed, "veiledere")
        # Up to 4 holders per slot; change days from a random day before 2020, ~3.5 years apart.
        first = day(dt.date(2014, 1, 1)) + (r.random(n_slots) * 6 * 365).astype(np.int64)
        gaps = (r.exponential(3.5 * 365, (n_slots, 3)) + 120).astype(np.int64)
        self.holder_change = np.concatenate(
            [first[:, None], first[:, None] + np.cumsum(gaps, axis=1)], axis=1
        )
        letters = np.frombuffer(b"ABCDEFGHJKLMNPRSTUVW", dtype=np.uint8)
        num = np.arange(n_slots * 4, dtype=np.int64)
        off = int(r.integers(0, 1_000_000))
        digits = (num * 7919 + off) % 1_000_000
        self.idents = [
            chr(letters[(n * 7 + off) % 20]) + f"{d:06d}"
            for n, d in zip(num.tolist(), digits.tolist(), strict=True)
        ]

    def holder(self, slot: np.ndarray, t_day: np.ndarray) -> np.ndarray:
        """Index into `idents` of the veileder holding each slot on each day."""
        k = (self.holder_change[slot] <= t_day[:, None]).sum(axis=1) - 1
        return slot * 4 + np.clip(k, 0, 3)


class Lines:
    """Gjennomføringer, organised as 'lines': one contract or course series at a set of offices.

    A løpende line is a chain of contract periods (one gjennomføring each); a course line is
    a schedule of course instances (one gjennomføring each); egen regi is one line per office.
    """

    def __init__(self, seed: int, units: Units, factor: float):
        r = rng(seed, "lines")
        self.offices: list[list[int]] = []  # LOKAL office indices of the line
        self.fylke: list[int] = []
        self.code: list[int] = []
        self.arrangor: list[str] = []
        self.area: list[str] = []
        self.plasser: list[int] = []
        self.starts: list[list[int]] = []  # løpende: period start days
        self.kurs: list[
            tuple[int, int, int, int]
        ] = []  # courses: (offset day, period, length, lead)
        self.first_j: list[int] = []
        # demand per office and concept (deltakelser per month)
        cw = np.array([ref.CONCEPT_WEIGHTS[c] for c in range(5)], dtype=np.float64)
        cw = cw / cw.sum(axis=1, keepdims=True)
        concept_share = (np.array(ref.CLASS_SHARE)[:, None] * cw).sum(axis=0) * 1.7
        lam = units.pop * RATE_PER_1000 * factor
        code_of_concept = resolve_concepts(
            np.arange(len(ref.CONCEPTS)),
            np.full(len(ref.CONCEPTS), day(dt.date(2024, 1, 1))),
            np.full(len(ref.CONCEPTS), 0.99),
        )
        demand = np.zeros((units.n_lokal, N_CODES))
        for ci, code in enumerate(code_of_concept):
            demand[:, code] += lam[: units.n_lokal] * concept_share[ci]
        # new codes inherit the demand of what they replace
        demand[:, C["ARBEIDSMARKEDSOPPLAERING"]] = (
            demand[:, C["GRUPPE_ARBEIDSMARKEDSOPPLAERING"]] * 0.6
        )
        demand[:, C["NORSKOPPLAERING_GRUNNLEGGENDE_FERDIGHETER_FOV"]] = (
            demand[:, C["GRUPPE_ARBEIDSMARKEDSOPPLAERING"]] * 0.3
        )
        demand[:, C["STUDIESPESIALISERING"]] = demand[:, C["GRUPPE_ARBEIDSMARKEDSOPPLAERING"]] * 0.1
        demand[:, C["FAG_OG_YRKESOPPLAERING"]] = demand[:, C["GRUPPE_FAG_OG_YRKESOPPLAERING"]]
        demand[:, C["TILRETTELAGT_ARBEID_ORDINAER"]] = (
            demand[:, C["VARIG_TILRETTELAGT_ARBEID_SKJERMET"]] * 0.15
        )
        lop_codes = [
            i
            for i, t in enumerate(ref.TILTAKSTYPER)
            if CODE_KIND[i] == KIND_LOP and not EGEN_REGI[i]
        ]
        kurs_codes = [i for i in range(N_CODES) if CODE_KIND[i] == KIND_KURS]
        horizon = day(HORIZON)
        for f_i in range(len(units.fylke_nr)):
            members = [i for i in range(units.n_lokal) if units.fylke_of[i] == f_i]
            members.sort(key=lambda i: units.nr[i])
            clusters: list[list[int]] = []
            cur: list[int] = []
            for i in members:
                if units.pop[i] >= 60:
                    clusters.append([i])
                    continue
                cur.append(i)
                if units.pop[[*cur]].sum() >= 60 or len(cur) >= 4:
                    clusters.append(cur)
                    cur = []
            if cur:
                clusters.append(cur)
            for c_i, cl in enumerate(clusters):
                neighbour = clusters[(c_i + 1) % len(clusters)]
                area = units.navn[cl[0]].removeprefix("Nav ") + (" m.fl." if len(cl) > 1 else "")
                for code in lop_codes + kurs_codes:
                    d = demand[cl, code].sum()
                    if CODE_KIND[code] == KIND_LOP:
                        conc = d * DUR[code, 0] / 30.4 * 0.8
                        n = int(np.clip(round(conc / 60), 1, 4))
                        per_line = conc / n
                        lo, hi = 10, 100
                    else:
                        period = KURS[ref.CODES[code]][0]
                        per_inst = d * period / 30.4
                        n = int(np.clip(round(per_inst / 18), 1, 4))
                        per_line = per_inst / n
                        lo, hi = 5, 30
                    for _ in range(n):
                        offices = list(cl)
                        if len(clusters) > 1 and r.random() < 0.3:
                            offices += [o for o in neighbour if o not in offices]
                        self._add(
                            r,
                            offices,
                            f_i,
                            code,
                            area,
                            int(np.clip(round(per_line * r.uniform(0.9, 1.35)), lo, hi)),
                            horizon,
                        )
            # egen regi: one line per office and code
            for i in members:
                for code in (
                    C["INDIVIDUELL_JOBBSTOTTE"],
                    C["INDIVIDUELL_JOBBSTOTTE_UNG"],
                    C["ARBEID_MED_STOTTE"],
                ):
                    conc = demand[i, code] * DUR[code, 0] / 30.4
                    self._add(
                        r,
                        [i],
                        f_i,
                        code,
                        units.navn[i].removeprefix("Nav "),
                        int(np.clip(round(conc * 1.2), 10, 100)),
                        horizon,
                        egen=True,
                    )
        self.n = len(self.code)
        # lookup: lines serving (office, code)
        width = 12
        self.for_office = np.full((units.n_lokal, N_CODES, width), -1, dtype=np.int64)
        self.count = np.zeros((units.n_lokal, N_CODES), dtype=np.int64)
        for line, (offices, code) in enumerate(zip(self.offices, self.code, strict=True)):
            for o in offices:
                k = self.count[o, code]
                if k < width:
                    self.for_office[o, code, k] = line
                    self.count[o, code] = k + 1
        maxp = max(len(s) for s in self.starts)
        self.start_arr = np.full((self.n, maxp + 1), np.iinfo(np.int64).max // 4, dtype=np.int64)
        for line, s in enumerate(self.starts):
            self.start_arr[line, : len(s)] = s
        self.kurs_arr = np.array(self.kurs, dtype=np.int64)
        self.first_j_arr = np.array(self.first_j, dtype=np.int64)
        self.code_arr = np.array(self.code, dtype=np.int64)

    def _add(self, r, offices, f_i, code, area, plasser, horizon, egen=False):
        code_from = day(CODE_FROM.get(ref.CODES[code], STRUCTURE_FROM))
        self.offices.append(offices)
        self.fylke.append(f_i)
        self.code.append(code)
        self.arrangor.append(
            "Nav" if egen else f"{ref.ARRANGORER[int(r.integers(len(ref.ARRANGORER)))]} AS"
        )
        self.area.append(area)
        self.plasser.append(plasser)
        if CODE_KIND[code] == KIND_KURS:
            period, dmin, dmax, lead = KURS[ref.CODES[code]]
            offset = code_from + int(r.integers(0, period))
            length = int(r.integers(dmin, dmax + 1))
            self.kurs.append((offset, period, length, lead))
            self.first_j.append(0)
            self.starts.append([code_from])
        else:
            s = code_from - (int(r.integers(0, 4 * 365)) if code_from == day(STRUCTURE_FROM) else 0)
            chain = [s]
            span = (5 * 365, 10 * 365) if egen else (2 * 365, 5 * 365)
            while chain[-1] < horizon:
                chain.append(chain[-1] + int(r.integers(*span)))
            self.starts.append(chain)
            self.kurs.append((0, 1, 1, 0))
            self.first_j.append(0)


def nav_enhet(units: Units, only: str | None, referenced: set[int]) -> dict[str, pa.Array]:
    rows: list[tuple[str, str, str, str, str | None]] = []
    keep_lokal = (
        set(range(units.n_lokal))
        if only is None
        else {i for i in referenced if i < units.n_lokal} | {units.index[only]}
    )
    fylker = {units.fylke[i] for i in keep_lokal}
    for nr, navn in ref.FYLKER.items():
        if nr in fylker:
            rows.append((nr, navn, "FYLKE", "Aktiv", None))
    for i in sorted(keep_lokal, key=lambda i: units.nr[i]):
        rows.append((units.nr[i], units.navn[i], "LOKAL", "Aktiv", units.fylke[i]))
    for nr, navn, fylke in ref.NEDLAGTE:
        if fylke in fylker:
            rows.append((nr, navn, "LOKAL", "Nedlagt", fylke))
    nr, navn, typ = ref.NASJONAL_OPPFOLGINGSENHET
    rows.append((nr, navn, typ, "Aktiv", None))
    cols = list(zip(*rows, strict=True))
    return {
        name: strs(list(c))
        for name, c in zip(
            ["enhetsnummer", "navn", "type", "status", "overordnet_enhet"], cols, strict=True
        )
    }
