"""People in arbeidsrettet oppfølging: monthly cohorts, each person's office and innsatsgruppe
history (`People`), and the chain of deltakelser they go through (`simulate`).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from metrikk.generate.tiltak import reference as ref
from metrikk.generate.tiltak.codes import (
    CODE_KIND,
    DUR,
    EGEN_REGI,
    KIND_AG,
    KIND_ENK,
    KIND_KURS,
    KIND_LOP,
    KOMET_FROM,
    KURS_FULL,
    O_AVBRUTT_UTKAST,
    O_DONE,
    O_EARLY,
    O_FEILREG,
    O_IKKE_AKTUELL,
    O_IKKE_MOTT_RETRO,
    WAIT,
    C,
    resolve_concepts,
)
from metrikk.generate.tiltak.params import KMAX, RATE_PER_1000, WARMUP
from metrikk.generate.tiltak.structure import Lines, Units
from metrikk.generate.tiltak.util import NULL, Streams, day, hash_u, key, rng


def cohorts(seed: int, units: Units, factor: float, only: str | None, until: dt.date):
    """Monthly cohorts of people entering oppfølging: (months, counts, office per person)."""
    months = np.arange(
        np.datetime64(WARMUP, "M").astype(np.int64), np.datetime64(until, "M").astype(np.int64) + 1
    )
    lam = units.pop[: units.n_lokal] * RATE_PER_1000 * factor
    if only is not None:
        mask = np.zeros(units.n_lokal, dtype=bool)
        mask[units.index[only]] = True
        lam = np.where(mask, lam, 0.0)
    season = np.array([1.15, 1.05, 1.05, 1.0, 0.95, 0.85, 0.6, 1.1, 1.15, 1.1, 1.0, 0.75])
    counts, office = [], []
    for m in months:
        year = 1970 + m // 12
        trend = {2020: 1.15, 2021: 1.05, 2022: 0.9, 2023: 0.95, 2024: 1.05, 2025: 1.1}.get(
            int(year), 1.1
        )
        n = rng(seed, "cohort", int(m)).poisson(lam * season[m % 12] * trend)
        counts.append(int(n.sum()))
        office.append(np.repeat(np.arange(units.n_lokal), n))
    return months, np.array(counts), np.concatenate(office)


def _lognormal(z: np.ndarray, code: np.ndarray) -> np.ndarray:
    med, sig, lo, hi = DUR[code, 0], DUR[code, 1], DUR[code, 2], DUR[code, 3]
    return np.clip(med * np.exp(sig * z), lo, hi).astype(np.int64)


class People:
    """One row per person: oppfølging, innsatsgruppe classes, office history."""

    def __init__(self, seed: int, units: Units, scale: dict, months, counts, office):
        st = Streams(seed, "person", months, counts)
        self.st = st
        n = st.n
        self.n = n
        month_of = np.repeat(months, counts)
        within = np.concatenate([np.arange(c) for c in counts]) if n else np.empty(0, np.int64)
        self.key = key("person", month_of, within)
        month_start = month_of.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
        month_len = (month_of + 1).astype("datetime64[M]").astype("datetime64[D]").astype(
            np.int64
        ) - month_start
        self.t0 = month_start + (st.u("t0") * month_len).astype(np.int64)
        self.home = office
        # innsatsgruppe class: first vedtak, maybe a revurdering later with a neighbouring class
        cs = np.cumsum(ref.CLASS_SHARE)
        self.class1 = np.searchsorted(cs, st.u("class1") * cs[-1], side="right")
        self.ukjent_first = st.u("ivurd") < 0.03
        self.tv1 = self.t0 + np.where(
            self.ukjent_first,
            40 + (st.u("tv1a") * 80),
            np.clip(20 * np.exp(0.6 * st.z("tv1")), 3, 120),
        ).astype(np.int64)
        self.t_ukjent = self.t0 + 2 + (st.u("tivurd") * 8).astype(np.int64)
        has2 = st.u("has2") < 0.25
        step = np.where(st.u("step") < 0.6, 1, -1)
        self.class2 = np.where(has2, np.clip(self.class1 + step, 0, 4), self.class1)
        self.class2 = np.where(
            has2 & (self.class2 == self.class1), np.clip(self.class1 - step, 0, 4), self.class2
        )
        self.tv2 = np.where(has2, self.tv1 + 150 + (st.u("tv2") * 750).astype(np.int64), NULL)
        # office moves (8 %): mostly within the fylke
        moves = st.u("move") < 0.08
        self.t_move = np.where(moves, self.t0 + 30 + (st.u("tmove") * 900).astype(np.int64), NULL)
        # small scale keeps its moves inside the fylke, so it references few other units
        same = (st.u("movesame") < 0.8) | (scale["only"] is not None)
        cdf = np.cumsum(units.pop[: units.n_lokal])
        national = np.searchsorted(cdf, st.u("moveto") * cdf[-1], side="right")
        fylke_members = [
            np.flatnonzero(units.fylke_of[: units.n_lokal] == f) for f in range(len(units.fylke_nr))
        ]
        first_member = np.array([mem[0] for mem in fylke_members])
        in_fylke = first_member[units.fylke_of[office]]
        uf = st.u("movefylke")
        for f, mem in enumerate(fylke_members):
            sel = units.fylke_of[office] == f
            if sel.any():
                w = np.cumsum(units.pop[mem])
                in_fylke[sel] = mem[
                    np.minimum(np.searchsorted(w, uf[sel] * w[-1], side="right"), len(mem) - 1)
                ]
        dest = np.where(same, in_fylke, national)
        dest = np.where(dest == office, (dest + 1) % units.n_lokal, dest)
        self.move_to = np.where(moves, dest, -1)
        # Nasjonal oppfølgingsenhet: some GODE_MULIGHETER people after the 2025 routing started.
        ukj_gm = (
            (~moves)
            & (self.class1 == 0)
            & (self.tv1 >= day(dt.date(2025, 3, 1)))
            & (st.u("noe") < 0.4)
        )
        self.t_noe = np.where(ukj_gm, self.tv1 + (st.u("tnoe") * 3).astype(np.int64), NULL)
        back = ukj_gm & (self.tv2 != NULL) & (self.class2 != 0)
        self.t_back = np.where(back, self.tv2 + 1, NULL)
        self.noe = units.noe

    def kontor_at(self, t: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Office (unit index) of person idx on day t."""
        k = self.home[idx].copy()
        tm = self.t_move[idx]
        k = np.where((tm != NULL) & (t >= tm), self.move_to[idx], k)
        tn = self.t_noe[idx]
        k = np.where((tn != NULL) & (t >= tn), self.noe, k)
        tb = self.t_back[idx]
        return np.where((tb != NULL) & (t >= tb), self.home[idx], k)

    def lokal_at(self, t: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """The LOKAL office whose gjennomføringer the person uses (home while at 4154)."""
        k = self.kontor_at(t, idx)
        return np.where(k == self.noe, self.home[idx], k)

    def class_at(self, t: np.ndarray, idx: np.ndarray) -> np.ndarray:
        tv2 = self.tv2[idx]
        return np.where((tv2 != NULL) & (t >= tv2), self.class2[idx], self.class1[idx])


def simulate(seed: int, units: Units, lines: Lines, people: People) -> dict[str, np.ndarray]:
    """The chain of deltakelser of every person: one entry per (person, k) that happened."""
    st = people.st
    n = people.n
    n_per = np.clip(1 + np.floor(np.log(1 - st.u("k")) / np.log(0.45)), 1, KMAX).astype(np.int64)
    req = people.tv1 + np.clip(25 * np.exp(0.8 * st.z("req0")), 1, 200).astype(np.int64)
    idx_all = np.arange(n)
    cw = np.array([ref.CONCEPT_WEIGHTS[c] for c in range(5)], dtype=np.float64)
    cw = np.cumsum(cw / cw.sum(axis=1, keepdims=True), axis=1)
    out: dict[str, list[np.ndarray]] = {}
    last_end = np.full(n, NULL)
    for k in range(KMAX):
        sel = n_per > k
        p = idx_all[sel]
        if not len(p):
            break
        g = lambda name, k=k, sel=sel: st.u(f"{name}{k}")[sel]  # noqa: E731
        r = req[sel]
        cls = people.class_at(r, p)
        concept = (g("concept")[:, None] > cw[cls]).sum(axis=1)
        concept = np.minimum(concept, len(ref.CONCEPTS) - 1)
        code = resolve_concepts(concept, r, g("resolve"))
        kind = CODE_KIND[code]
        office = people.lokal_at(r, p)
        # pick a line serving the office for Valp-managed kinds
        cnt = lines.count[office, code]
        pick = np.minimum((g("line") * cnt).astype(np.int64), np.maximum(cnt - 1, 0))
        line = np.where(cnt > 0, lines.for_office[office, code, pick], -1)
        missing = (kind != KIND_ENK) & (kind != KIND_AG) & (line < 0)
        code = np.where(missing, C["OPPFOLGING"], code)
        kind = CODE_KIND[code]
        cnt = lines.count[office, code]
        line = np.where(
            missing,
            lines.for_office[
                office, code, np.minimum((g("line") * cnt).astype(np.int64), np.maximum(cnt - 1, 0))
            ],
            line,
        )
        lsafe = np.maximum(line, 0)
        # waiting time and start: per tiltakstype (codes.WAIT; courses wait for an instance)
        med, sig, hi = WAIT[code, 0], WAIT[code, 1], WAIT[code, 2]
        wait = np.clip(med * np.exp(sig * st.z(f"wait{k}")[sel]), 0, hi).astype(np.int64)
        start = r + wait
        # courses: next instance at least `lead` days after the request
        off, period, length, lead = (lines.kurs_arr[lsafe, i] for i in range(4))
        j = np.maximum(
            np.ceil((r + lead - off) / period).astype(np.int64), lines.first_j_arr[lsafe]
        )
        gkey = key("kurs", lsafe, j)
        avlyst = hash_u(gkey, "avlyst") < 0.03
        is_kurs = kind == KIND_KURS
        # a course cancelled before the request is not offered: take the next one
        skip = is_kurs & avlyst & (off + j * period - 7 < r)
        j = np.where(skip, j + 1, j)
        gkey = key("kurs", lsafe, j)
        avlyst = is_kurs & (hash_u(gkey, "avlyst") < 0.03)
        # the instance is full: on the waiting list (VENTELISTE) until the next one
        kurs_full = is_kurs & ~avlyst & (g("full") < KURS_FULL)
        j = np.where(kurs_full, j + 1, j)
        gkey = np.where(kurs_full, key("kurs", lsafe, j), gkey)
        avlyst = np.where(kurs_full, hash_u(gkey, "avlyst") < 0.03, avlyst)
        kurs_start = off + j * period
        start = np.where(is_kurs, kurs_start, start)
        dur = _lognormal(st.z(f"dur{k}")[sel], code)
        end = np.where(is_kurs, kurs_start + length - 1, start + dur - 1)
        # løpende: the contract period in force at the start; the deltakelse ends with it
        period_i = (lines.start_arr[lsafe] <= start[:, None]).sum(axis=1) - 1
        period_i = np.maximum(period_i, 0)
        p_end = lines.start_arr[lsafe, period_i + 1] - 1
        is_lop = kind == KIND_LOP
        planned_end = end.copy()
        end = np.where(is_lop, np.minimum(end, p_end), end)
        gkey = np.where(is_kurs, gkey, key("lop", lsafe, period_i))
        # outcome
        uo = g("outcome")
        is_komet = kind != KIND_AG
        komet_master = (
            is_komet
            & ~EGEN_REGI[code]
            & (r >= np.array([KOMET_FROM.get(int(x), 10**9) for x in range(4)])[kind])
        )
        utkast = komet_master & (kind != KIND_KURS) & (g("utkast") < 0.3)
        outcome = np.full(len(p), O_DONE)
        outcome = np.where(uo < 0.30, O_EARLY, outcome)
        outcome = np.where(
            is_kurs & (uo < 0.18), O_EARLY, np.where(is_kurs & (uo < 0.30), O_DONE, outcome)
        )
        outcome = np.where(uo > 0.985, O_FEILREG, outcome)
        outcome = np.where((uo > 0.93) & (uo <= 0.985), O_IKKE_AKTUELL, outcome)
        outcome = np.where((uo > 0.92) & (uo <= 0.93), O_IKKE_MOTT_RETRO, outcome)
        outcome = np.where(utkast & (g("avbrutt_utkast") < 0.07), O_AVBRUTT_UTKAST, outcome)
        outcome = np.where(avlyst, O_IKKE_AKTUELL, outcome)
        is_vta = (code == C["VARIG_TILRETTELAGT_ARBEID_SKJERMET"]) | (
            code == C["TILRETTELAGT_ARBEID_ORDINAER"]
        )
        early_frac = 0.15 + 0.75 * g("early")
        end = np.where(
            outcome == O_EARLY,
            start + np.maximum((end - start) * early_frac, 1).astype(np.int64),
            end,
        )
        took_part = (outcome == O_DONE) | (outcome == O_EARLY)
        # parallel deltakelser happen (IPS beside oppfølging); else the next follows this one
        gap = np.clip(45 * np.exp(0.9 * st.z(f"gap{k}")[sel]), 3, 720).astype(np.int64)
        nxt = np.where(took_part, np.maximum(end, r) + gap, r + 7 + gap // 3)
        nxt = np.where(g("parallel") < 0.08, r + 10 + gap // 4, nxt)
        req[sel] = nxt
        last_end[sel] = np.maximum(last_end[sel], np.where(took_part, end, r))
        for name, arr in [
            ("person", p),
            ("k", np.full(len(p), k)),
            ("req", r),
            ("start", start),
            ("end", end),
            ("planned_end", np.maximum(planned_end, end)),
            ("code", code),
            ("kind", kind),
            ("line", line),
            ("gkey", gkey),
            ("outcome", outcome),
            ("utkast", utkast),
            ("kurs_full", kurs_full),
            ("komet_master", komet_master),
            ("is_vta", is_vta),
            ("office", office),
        ]:
            out.setdefault(name, []).append(arr)
    people.last_end = last_end
    # oppfølging lasts a while after the last deltakelse (some people stay much longer)
    pend = np.clip(120 * np.exp(0.8 * st.z("pend")), 7, 1500).astype(np.int64)
    people.t_end = last_end + pend + np.where(st.u("longperiod") < 0.15, 700, 0)
    return {k: np.concatenate(v) for k, v in out.items()}
