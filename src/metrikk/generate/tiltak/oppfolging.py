"""The person tables: `vedtak_14a`, `oppfolgingsperiode`, `oppfolgingskontor_historikk` and
`veileder_tilordning`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from metrikk import koder
from metrikk.generate.tiltak import reference as ref
from metrikk.generate.tiltak.codes import O_DONE, O_EARLY
from metrikk.generate.tiltak.params import HORIZON, NIGHT_RATE
from metrikk.generate.tiltak.util import (
    NULL,
    US_MIN,
    categorical,
    day,
    hash_u,
    key,
    person_ids,
    stamp_at,
    stamps,
    uuids,
)

GAP_MIN = 150  # days between two deltakelser from which oppfølging may end and start again
NO_PERIOD = 0.02  # persons with no oppfølgingsperiode at all
END_EARLY = 0.03  # persons whose oppfølging ends while their last deltakelse still runs


def perioder(people, p, pk, dl) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The oppfølgingsperioder of the persons `p`: (person position in p, start, end) as UTC
    microseconds, the end of an open period in the far future (the caller cuts at `until`).

    A person's oppfølging runs from entry (t0) to a while after the last deltakelse (t_end),
    and around it:
    - 10 % had an earlier period that ended at least a month before this one started;
    - a long pause between two deltakelser (GAP_MIN days or more) ends the period in half of
      the cases: it ends 1–7 weeks after the earlier deltakelse, and a new one starts 1–7
      weeks before the next request (the person came back), so there is a gap without
      oppfølging between deltakelser;
    - NO_PERIOD of the persons have no period at all (on tiltak without being under
      oppfølging), and END_EARLY end their oppfølging while their last deltakelse still runs
      (it ends between 2 weeks after its start and 2 weeks before its end).
    """
    n = len(p)
    u = lambda salt: hash_u(pk, salt)  # noqa: E731
    t0 = people.t0[p]
    t_end = people.t_end[p].copy()
    # the deltakelser of these persons, in order of k, with the day each stops keeping the
    # person busy (its end when it took part, else the request)
    pos = np.full(people.n, -1, dtype=np.int64)
    pos[p] = np.arange(n)
    dp = pos[dl["person"]]
    mine = np.flatnonzero(dp >= 0)
    o = mine[np.lexsort((dl["k"][mine], dp[mine]))]
    dp, req, start = dp[o], dl["req"][o], dl["start"][o]
    took = (dl["outcome"][o] == O_DONE) | (dl["outcome"][o] == O_EARLY)
    busy = np.where(took, dl["end"][o], req)
    shift = dp.astype(np.int64) << 32
    running = np.maximum.accumulate(shift + busy) - shift  # busy until, per person so far
    same = np.r_[False, dp[1:] == dp[:-1]]
    prev = np.r_[NULL, running[:-1]]
    gk = key("oppfolgingsbrudd", pk[dp], dl["k"][o])
    brudd = same & (req - prev >= GAP_MIN) & (hash_u(gk, "brudd") < 0.5)
    b_person = dp[brudd]
    b_end = prev[brudd] + 7 + (hash_u(gk[brudd], "slutt") * 42).astype(np.int64)
    b_start = req[brudd] - 7 - (hash_u(gk[brudd], "start") * 42).astype(np.int64)
    # the last deltakelse (by the day it ends) and its start, for END_EARLY
    last = np.lexsort((busy, dp))
    is_last = np.r_[dp[last][1:] != dp[last][:-1], True]
    last_row = last[is_last]
    last_start = np.full(n, NULL)
    last_busy = np.full(n, NULL)
    last_took = np.zeros(n, dtype=bool)
    last_start[dp[last_row]] = start[last_row]
    last_busy[dp[last_row]] = busy[last_row]
    last_took[dp[last_row]] = took[last_row]
    long_enough = last_took & (last_busy - last_start >= 42)
    early = long_enough & (u("slutt_tidlig") < END_EARLY)
    early_end = (
        last_start + 14 + (u("slutt_tidlig_d") * (last_busy - last_start - 28)).astype(np.int64)
    )
    t_end = np.where(early, early_end, t_end)
    # periods: starts t0 and every comeback, ends every break and t_end; per person the i-th
    # start pairs with the i-th end (end of break i < start of comeback i < end of break i+1)
    s_person = np.concatenate([np.arange(n), b_person])
    s_day = np.concatenate([t0, b_start])
    e_person = np.concatenate([b_person, np.arange(n)])
    e_day = np.concatenate([b_end, t_end])
    so = np.lexsort((s_day, s_person))
    eo = np.lexsort((e_day, e_person))
    s_person, s_day, e_day = s_person[so], s_day[so], e_day[eo]
    # a comeback after an END_EARLY end never happens (the end is in the last deltakelse)
    keep = e_day >= s_day
    s_person, s_day, e_day = s_person[keep], s_day[keep], e_day[keep]
    pkey = key("oppfolgingsperiode", pk[s_person], s_day)
    start_ts = stamp_at(s_day, hash_u(pkey, "t0"), hash_u(pkey, "n0"), NIGHT_RATE)
    end_ts = stamp_at(e_day, hash_u(pkey, "t1"), hash_u(pkey, "n1"), NIGHT_RATE)
    end_ts = np.maximum(end_ts, start_ts + US_MIN)
    # some had an earlier period, ended at least a month before this oppfølging began
    earlier = u("earlier") < 0.10
    e_start = t0 - 400 - (u("es") * 1500).astype(np.int64)
    e_end = np.minimum(e_start + 90 + (u("ee") * 450).astype(np.int64), t0 - 30)
    person = np.concatenate([np.flatnonzero(earlier), s_person])
    starts = np.concatenate(
        [stamp_at(e_start[earlier], u("e0")[earlier], u("e1")[earlier], 0), start_ts]
    )
    ends = np.concatenate([stamp_at(e_end[earlier], u("e2")[earlier], u("e3")[earlier], 0), end_ts])
    # persons on tiltak without any oppfølgingsperiode
    has = ~(u("uten_periode") < NO_PERIOD)[person]
    return person[has], starts[has], ends[has]


def oppfolging_tables(seed, units, people, kept, dl, until_d, until_end):
    """vedtak_14a, oppfolgingsperiode, oppfolgingskontor_historikk, veileder_tilordning."""
    p = np.flatnonzero(kept)
    pk = people.key[p]
    u = lambda salt: hash_u(pk, salt)  # noqa: E731
    pid = person_ids(pk, seed)
    out: dict = {}
    used_units: set[int] = set()
    # oppfølgingsperiode (docs/generate-tiltak.md, "Oppfølgingsperioder")
    t0 = people.t0[p]
    t_end = people.t_end[p]
    per_person, per_start, per_end = perioder(people, p, pk, dl)
    ok = per_start < until_end  # a period that starts after `until` does not exist yet
    per_person, per_start, per_end = per_person[ok], per_start[ok], per_end[ok]
    per_end = np.where(per_end < until_end, per_end, NULL)
    o = np.lexsort((per_start, per_person))
    out["oppfolgingsperiode"] = {
        "person_id": pid.take(pa.array(per_person[o])),
        "startdato": stamps(per_start[o]),
        "sluttdato": stamps(per_end[o]),
    }
    # vedtak: (person, day, class or -1 for IVURD/BKART)
    v_p = [np.arange(len(p))]
    v_day = [people.tv1[p]]
    v_cls = [people.class1[p]]
    uk = people.ukjent_first[p]
    v_p.append(np.flatnonzero(uk))
    v_day.append(people.t_ukjent[p][uk])
    v_cls.append(np.full(uk.sum(), -1))
    has2 = people.tv2[p] != NULL
    v_p.append(np.flatnonzero(has2))
    v_day.append(people.tv2[p][has2])
    v_cls.append(people.class2[p][has2])
    v_p, v_day, v_cls = (np.concatenate(x) for x in (v_p, v_day, v_cls))
    vk = key("vedtak", pk[v_p], v_day)
    vu = lambda salt: hash_u(vk, salt)  # noqa: E731
    v_ts = stamp_at(v_day, vu("t"), vu("n"), NIGHT_RATE)
    ok = v_ts < until_end
    v_p, v_day, v_cls, vk, v_ts = v_p[ok], v_day[ok], v_cls[ok], vk[ok], v_ts[ok]
    labels = ref.INNSATS_NEW + ref.INNSATS_OLD + list(koder.INNSATSGRUPPE_ARENA) + ref.INNSATS_NONE
    arena_idx = np.array([10, 11, 12, 13, 13])
    era_arena = (v_day < day(ref.ERA_OLD_NAMES)) & (vu("arena") < 0.85)
    era_new = v_day >= day(ref.ERA_NEW_NAMES)
    code = np.where(era_new, v_cls, np.where(era_arena, arena_idx[np.maximum(v_cls, 0)], 5 + v_cls))
    code = np.where(v_cls < 0, 14 + (vu("none") < 0.5), code)
    uh = vu("hovedmal")
    hm = np.select([uh < 0.7, uh < 0.85], [0, 1], 2)
    hm_labels = ref.HOVEDMAL_NEW + ref.HOVEDMAL_ARENA
    hm = np.where(era_arena, hm + 3, hm)
    hm = np.where((v_cls < 0) | (vu("nohm") < 0.03), -1, hm)
    ansvarlig = people.kontor_at(v_day, p[v_p])
    o = np.lexsort((v_ts, v_p))
    out["vedtak_14a"] = {
        "vedtak_id": uuids(vk[o], seed),
        "person_id": pid.take(pa.array(v_p[o])),
        "innsatsgruppe": categorical(code[o], labels),
        "hovedmal": categorical(hm[o], hm_labels),
        "fattet_tidspunkt": stamps(v_ts[o]),
        "ansvarlig_enhet": categorical(ansvarlig[o], units.nr),
    }
    used_units.update(np.unique(ansvarlig).tolist())
    # kontor history
    k_p = [np.arange(len(p))]
    k_day = [t0]
    k_off = [people.home[p]]
    k_typ = [np.where(t0 < day(dt.date(2025, 1, 1)), 0, 1)]
    for t_arr, dest, typ in (
        (people.t_move[p], people.move_to[p], np.where(u("mv") < 0.6, 2, 3)),
        (people.t_noe[p], np.full(len(p), people.noe), np.full(len(p), 4)),
        (people.t_back[p], people.home[p], np.full(len(p), 1)),
    ):
        m = t_arr != NULL
        k_p.append(np.flatnonzero(m))
        k_day.append(t_arr[m])
        k_off.append(dest[m])
        k_typ.append(typ[m])
    k_p, k_day, k_off, k_typ = (np.concatenate(x) for x in (k_p, k_day, k_off, k_typ))
    kk = key("kontor", pk[k_p], k_day)
    k_ts = stamp_at(k_day, hash_u(kk, "t"), hash_u(kk, "n"), NIGHT_RATE)
    ok = k_ts < until_end
    k_p, k_off, k_typ, k_ts = k_p[ok], k_off[ok], k_typ[ok], k_ts[ok]
    o = np.lexsort((k_ts, k_p))
    out["oppfolgingskontor_historikk"] = {
        "person_id": pid.take(pa.array(k_p[o])),
        "kontor_id": categorical(k_off[o], units.nr),
        "endret_tidspunkt": stamps(k_ts[o]),
        "endringstype": categorical(
            k_typ[o],
            [
                "ArenaKontorVedOppfolgingsStart",
                "AutomatiskNorgRuting",
                "FlyttetAvVeileder",
                "EndretBostedsadresse",
                "AutomatiskRutetTilNOE",
            ],
        ),
    }
    used_units.update(np.unique(k_off).tolist())
    # veileder tilordninger: at start, at office changes, now and then, and when a veileder leaves
    a_p = [np.arange(len(p))]
    a_day = [t0 + (u("a0") * 14).astype(np.int64)]
    for t_arr in (people.t_move[p], people.t_noe[p], people.t_back[p]):
        m = t_arr != NULL
        a_p.append(np.flatnonzero(m))
        a_day.append(t_arr[m] + (u("ad") * 7).astype(np.int64)[m])
    span_days = np.maximum(np.minimum(t_end, day(HORIZON)) - t0, 1)
    n_re = np.minimum(np.floor(span_days / 365 * 0.5 + u("nre")).astype(np.int64), 4)
    for j in range(4):
        m = n_re > j
        a_p.append(np.flatnonzero(m))
        a_day.append((t0 + (hash_u(pk, f"re{j}") * span_days).astype(np.int64))[m])
    a_p, a_day = (np.concatenate(x) for x in (a_p, a_day))
    ak = key("tilordning", pk[a_p], a_day)
    off = people.kontor_at(a_day, p[a_p])
    slot = units.slot_start[off] + np.minimum(
        (hash_u(ak, "slot") * units.slots[off]).astype(np.int64), units.slots[off] - 1
    )
    # when the slot's veileder leaves before the next assignment, the portfolio is handed over
    o = np.lexsort((a_day, a_p))
    a_p, a_day, slot, ak = a_p[o], a_day[o], slot[o], ak[o]
    next_day = np.where(
        np.r_[a_p[1:] == a_p[:-1], False], np.r_[a_day[1:], 0], np.iinfo(np.int64).max // 4
    )
    hc = units.holder_change[slot]
    later = np.where(hc > a_day[:, None], hc, np.iinfo(np.int64).max // 4).min(axis=1)
    handover = (later < next_day) & (later < t_end[a_p])
    h_day = later[handover] + 1 + (hash_u(ak[handover], "ho") * 10).astype(np.int64)
    a_p = np.concatenate([a_p, a_p[handover]])
    slot = np.concatenate([slot, slot[handover]])
    a_day = np.concatenate([a_day, h_day])
    ak = np.concatenate([ak, key("handover", ak[handover])])
    a_ts = stamp_at(a_day, hash_u(ak, "t"), hash_u(ak, "n"), NIGHT_RATE)
    # one person's tilordninger never share a timestamp
    o = np.lexsort((a_ts, a_p))
    a_p, a_day, slot, a_ts = a_p[o], a_day[o], slot[o], a_ts[o]
    same = np.r_[False, a_p[1:] == a_p[:-1]]
    for _ in range(3):
        bump = same & (a_ts <= np.r_[NULL, a_ts[:-1]])
        if not bump.any():
            break
        a_ts = np.where(bump, np.r_[NULL, a_ts[:-1]] + US_MIN, a_ts)
    ok = a_ts < until_end
    a_p, a_day, slot, a_ts = a_p[ok], a_day[ok], slot[ok], a_ts[ok]
    ident = units.holder(slot, a_day)
    out["_tilordning"] = (pk[a_p], ident, a_ts)
    out["_units"] = used_units
    return out


def tilordning_table(seed, units, parts) -> dict[str, pa.Array]:
    """veileder_tilordning from every cohort's (person key, veileder, time) rows."""
    pk, ident, ts = (np.concatenate(x) for x in zip(*parts, strict=True))
    # insert-only log: tilordning_seq is a global sequence in time order
    o = np.lexsort((pk, ts))
    seq = np.empty(len(o), dtype=np.int64)
    seq[o] = np.arange(1, len(o) + 1)
    o2 = np.lexsort((ts, pk))
    uniq, inv = np.unique(ident[o2], return_inverse=True)
    return {
        "person_id": person_ids(pk[o2], seed),
        "veileder_ident": pa.DictionaryArray.from_arrays(
            pa.array(inv.astype(np.int32)), pa.array([units.idents[i] for i in uniq.tolist()])
        ),
        "tilordnet_tidspunkt": stamps(ts[o2]),
        "tilordning_seq": pa.array(seq[o2], type=pa.int64()),
    }
