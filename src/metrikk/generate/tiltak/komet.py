"""Komet's `deltaker` and `deltaker_status` tables: the deltakelser of Komet-managed tiltak
and their status histories, as visible at the end of `until`.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from metrikk.generate.tiltak.codes import (
    AARSAKER,
    KIND_AG,
    KIND_ENK,
    KIND_KURS,
    KIND_LOP,
    O_AVBRUTT_UTKAST,
    O_DONE,
    O_EARLY,
    O_FEILREG,
    O_IKKE_AKTUELL,
    O_IKKE_MOTT_RETRO,
    STATUSES,
    A,
    C,
    S,
)
from metrikk.generate.tiltak.params import (
    FAULT_LATE_REGISTRATION,
    FAULT_NO_START,
    FAULT_RETRO_STATUS,
    FAULT_SLUTT_BEFORE_START,
    FAULT_UNKNOWN_GJENNOMFORING,
    KEEP_FROM,
    NIGHT_RATE,
)
from metrikk.generate.tiltak.util import (
    NULL,
    US_DAY,
    US_HOUR,
    US_MIN,
    categorical,
    dates,
    hash_u,
    key,
    person_ids,
    stamp_at,
    stamps,
    uuids,
)


def komet(seed, units, lines, people, dl, until_d, until_end):
    """Komet deltakere and their status histories, as visible at the end of `until`."""
    sel = np.flatnonzero(dl["kind"] != KIND_AG)
    d = {k: v[sel] for k, v in dl.items()}
    n = len(sel)
    dk = key("deltaker", people.key[d["person"]], d["k"])
    u = lambda salt: hash_u(dk, salt)  # noqa: E731
    kind, code, outcome = d["kind"], d["code"], d["outcome"]
    start, end, req = d["start"], d["end"], d["req"]
    took = (outcome == O_DONE) | (outcome == O_EARLY)
    late = took & (u("late") < FAULT_LATE_REGISTRATION)
    reg_day = np.where(late, start + 14 + (u("lated") * 42).astype(np.int64), req)
    reg = stamp_at(reg_day, u("regt"), u("regn"), NIGHT_RATE)
    is_kurs = kind == KIND_KURS
    arena = ~d["komet_master"]
    # candidate statuses, in order: UTKAST, SOKT_INN, VURDERES, VENTELISTE, VENTER, DELTAR, terminal
    ncol = 7
    present = np.zeros((n, ncol), dtype=bool)
    gfra = np.zeros((n, ncol), dtype=np.int64)
    opp = np.zeros((n, ncol), dtype=np.int64)
    status = np.zeros((n, ncol), dtype=np.int8)
    aarsak = np.full((n, ncol), -1, dtype=np.int8)
    span = np.maximum(start - req, 0)

    def at(frac, salt):
        dd = req + (span * frac).astype(np.int64)
        return stamp_at(dd, u(salt + "t"), u(salt + "n"), NIGHT_RATE)

    present[:, 0] = d["utkast"] & ~late
    gfra[:, 0] = reg
    status[:, 0] = S["UTKAST_TIL_PAMELDING"]
    sokt = is_kurs & ~late & (u("sokt") < 0.8)
    present[:, 1] = sokt
    gfra[:, 1] = reg
    status[:, 1] = S["SOKT_INN"]
    vurd = sokt & (u("vurd") < 0.45) & (span > 2)
    present[:, 2] = vurd
    gfra[:, 2] = at(0.2, "vurd")
    status[:, 2] = S["VURDERES"]
    # the waiting list: those whose course instance was full and who start on a later one
    vl = sokt & d["kurs_full"] & (span > 6)
    present[:, 3] = vl
    gfra[:, 3] = at(0.45, "vl")
    status[:, 3] = S["VENTELISTE"]
    venter = (
        ~late
        & (span > 0)
        & (outcome != O_AVBRUTT_UTKAST)
        & ((outcome != O_FEILREG) | (u("fv") < 0.5))
    )
    present[:, 4] = venter
    # After an application (SOKT_INN …) the place is confirmed late in the wait. An utkast is
    # approved by the person within days, then the deltakelse waits for its start: the wait is
    # counted from VENTER_PA_OPPSTART, so the utkast must not eat most of it.
    approved = req + np.minimum(1 + (u("utkd") * 10).astype(np.int64), span // 2)
    gfra[:, 4] = np.where(
        present[:, 1:4].any(axis=1),
        at(0.75, "venter"),
        np.where(present[:, 0], stamp_at(approved, u("venterst"), u("ventern"), NIGHT_RATE), reg),
    )
    status[:, 4] = S["VENTER_PA_OPPSTART"]
    deltar = took | (outcome == O_IKKE_MOTT_RETRO)
    present[:, 5] = deltar
    gfra[:, 5] = stamp_at(start, u("dt"), u("dn"), NIGHT_RATE)
    status[:, 5] = S["DELTAR"]
    # nothing at all present (e.g. FEILREGISTRERT straight away): the terminal is the first row
    present[:, 6] = True
    term_day = np.select(
        [took, outcome == O_IKKE_MOTT_RETRO, outcome == O_AVBRUTT_UTKAST],
        [end + 1, start, req + 1 + (u("au") * 20).astype(np.int64)],
        np.maximum(req + (span * u("ia")).astype(np.int64), req),
    )
    gfra[:, 6] = stamp_at(term_day, u("tt"), u("tn"), NIGHT_RATE)
    gfra[:, 6] = np.where(outcome == O_IKKE_MOTT_RETRO, gfra[:, 5] + US_HOUR, gfra[:, 6])
    fellesish = is_kurs
    term = np.select(
        [
            took & fellesish & (outcome == O_EARLY),
            took & fellesish,
            took,
            outcome == O_FEILREG,
            outcome == O_AVBRUTT_UTKAST,
        ],
        [S["AVBRUTT"], S["FULLFORT"], S["HAR_SLUTTET"], S["FEILREGISTRERT"], S["AVBRUTT_UTKAST"]],
        S["IKKE_AKTUELL"],
    )
    status[:, 6] = term
    ua = u("aarsak")
    early_aarsak = np.select(
        [ua < 0.4, ua < 0.55, ua < 0.7, ua < 0.8, ua < 0.9],
        [A["FATT_JOBB"], A["SYK"], A["TRENGER_ANNEN_STOTTE"], A["IKKE_MOTT"], A["UTDANNING"]],
        A["ANNET"],
    )
    ia_aarsak = np.where(
        is_kurs,
        np.select([ua < 0.3, ua < 0.5], [A["FIKK_IKKE_PLASS"], A["KURS_FULLT"]], A["ANNET"]),
        np.select([ua < 0.4, ua < 0.6], [A["IKKE_MOTT"], A["FATT_JOBB"]], A["ANNET"]),
    )
    aarsak[:, 6] = np.select(
        [
            outcome == O_EARLY,
            outcome == O_IKKE_AKTUELL,
            outcome == O_IKKE_MOTT_RETRO,
            (outcome == O_DONE) & ~fellesish,
        ],
        [early_aarsak, ia_aarsak, A["IKKE_MOTT"], np.where(ua < 0.3, A["FATT_JOBB"], -1)],
        -1,
    )
    # VTA and other open-ended deltakelser have no terminal status within reach
    open_ended = d["is_vta"] & took & (end > until_d + 3650)
    present[:, 6] &= ~open_ended
    # opprettet: when the row was written; late registrations and retroactive corrections
    opp[:] = gfra
    opp[:, :6] = np.where(late[:, None], np.maximum(gfra[:, :6], reg[:, None]), gfra[:, :6])
    retro = took & (u("retro") < FAULT_RETRO_STATUS)
    opp[:, 6] = np.where(
        retro, gfra[:, 6] + ((7 + u("retrod") * 21) * US_DAY).astype(np.int64), gfra[:, 6]
    )
    opp[:, 6] = np.where(
        outcome == O_IKKE_MOTT_RETRO,
        gfra[:, 5] + ((5 + u("imr") * 15) * US_DAY).astype(np.int64),
        opp[:, 6],
    )
    opp[:, 6] = np.where(
        late & (outcome != O_IKKE_MOTT_RETRO), np.maximum(opp[:, 6], reg), opp[:, 6]
    )
    # chains are ordered: gyldig_fra strictly increasing, opprettet non-decreasing
    last_g = np.full(n, NULL)
    last_o = np.full(n, NULL)
    first_opp = np.full(n, NULL)
    for c in range(ncol):
        pc = present[:, c]
        g_c = np.where(pc & (last_g != NULL), np.maximum(gfra[:, c], last_g + US_MIN), gfra[:, c])
        o_c = np.maximum(np.maximum(opp[:, c], g_c), np.where(last_o == NULL, g_c, last_o))
        gfra[:, c] = g_c
        opp[:, c] = o_c
        first_opp = np.where(pc & (first_opp == NULL), o_c, first_opp)
        last_g = np.where(pc, g_c, last_g)
        last_o = np.where(pc, o_c, last_o)
    registrert = first_opp
    visible = present & (opp < until_end)
    gtil = np.full((n, ncol), NULL)
    nxt = np.full(n, NULL)
    for c in range(ncol - 1, -1, -1):
        gtil[:, c] = nxt
        nxt = np.where(visible[:, c], gfra[:, c], nxt)
    # which deltakere exist at `until`, and are recent enough to keep
    dvis = (registrert < until_end) & ~((end < KEEP_FROM) & (req < KEEP_FROM))
    visible &= dvis[:, None]
    # current state at until
    last_col = np.where(visible, np.arange(ncol)[None, :], -1).max(axis=1)
    cur = status[np.arange(n), np.maximum(last_col, 0)]
    deltar_vis = visible[:, 5]
    ended_vis = deltar_vis & visible[:, 6] & took
    planned = np.where(
        d["is_vta"] | (kind == KIND_LOP) & (u("open") < 0.3) & ~is_kurs, NULL, d["planned_end"]
    )
    start_dato = np.where(deltar_vis | visible[:, 4] | (u("startknown") < 0.3), start, NULL)
    slutt_dato = np.where(ended_vis, end, np.where(start_dato != NULL, planned, NULL))
    slutt_dato = np.where(
        np.isin(cur, [S["IKKE_AKTUELL"], S["FEILREGISTRERT"], S["AVBRUTT_UTKAST"]]),
        NULL,
        slutt_dato,
    )
    # faults
    no_start = deltar_vis & (u("f_nostart") < FAULT_NO_START)
    start_dato = np.where(no_start, NULL, start_dato)
    bad_period = ended_vis & ~no_start & (u("f_period") < FAULT_SLUTT_BEFORE_START)
    slutt_dato = np.where(bad_period, start - 1 - (u("f_pd") * 60).astype(np.int64), slutt_dato)
    unknown_g = u("f_gj") < FAULT_UNKNOWN_GJENNOMFORING
    # dager_per_uke / prosent_stilling: AFT and VTA (and some Arena rows)
    aft_vta = d["is_vta"] | (code == C["ARBEIDSFORBEREDENDE_TRENING"])
    up = u("pst")
    pst = np.select(
        [up < 0.4, up < 0.6, up < 0.75, up < 0.88, up < 0.95], [100.0, 80.0, 60.0, 50.0, 40.0], 20.0
    )
    arena_dec = arena & (u("dec") < 0.1)
    pst = np.where(arena_dec, np.round(pst * (0.8 + 0.4 * u("decp")), 1), pst)
    dager = np.where(arena_dec, np.round(pst / 20 * 2) / 2, np.round(pst / 20))
    some_arena = arena & ~aft_vta & (u("arena100") < 0.05)
    has_mengde = (aft_vta & (u("mengde") < 0.9)) | some_arena
    pst = np.where(some_arena, 100.0, pst)
    dager = np.where(some_arena, 5.0, dager)
    rows = np.flatnonzero(dvis)
    gj_id_key = np.where(kind == KIND_ENK, key("enk", dk), d["gkey"])
    gj_id_key = np.where(unknown_g, key("ukjent", dk), gj_id_key)
    deltaker = {
        "id": uuids(dk[rows], seed),
        "person_id": person_ids(people.key[d["person"][rows]], seed),
        "gjennomforing_id": uuids(gj_id_key[rows], seed),
        "start_dato": dates(start_dato[rows]),
        "slutt_dato": dates(slutt_dato[rows]),
        "registrert_tidspunkt": stamps(registrert[rows]),
        "kilde": categorical(np.where(arena[rows], 0, 1), ["ARENA", "KOMET"]),
        "dager_per_uke": pa.array(dager[rows], mask=~has_mengde[rows]),
        "prosent_stilling": pa.array(pst[rows], mask=~has_mengde[rows]),
    }
    ri, ci = np.nonzero(visible)
    pos = np.cumsum(dvis) - 1  # position of each deltaker among the written rows
    status_tbl = {
        "id": uuids(key("status", dk[ri], ci), seed),
        "deltaker_id": deltaker["id"].take(pa.array(pos[ri])),
        "status": categorical(status[ri, ci], STATUSES),
        "aarsak": categorical(aarsak[ri, ci], AARSAKER),
        "gyldig_fra": stamps(gfra[ri, ci]),
        "gyldig_til": stamps(gtil[ri, ci]),
        "opprettet": stamps(opp[ri, ci]),
    }
    # gjennomføringer that were used (enkeltplass ones exist only through their deltaker)
    return {
        "deltaker": deltaker,
        "status": status_tbl,
        "person_idx": d["person"][rows],
        "enk_rows": rows[kind[rows] == KIND_ENK],
        "d": d,
        "dk": dk,
        "ended_vis": ended_vis,
        "registrert": registrert,
        "unknown_g": unknown_g,
    }
