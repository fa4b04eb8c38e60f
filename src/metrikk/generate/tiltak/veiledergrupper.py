"""`veiledergruppe_snapshot` (one row per member per day) and `avdeling_veiledergruppe`."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from metrikk.generate.tiltak import reference as ref
from metrikk.generate.tiltak.params import DATA_START, HORIZON
from metrikk.generate.tiltak.util import categorical, dates, day, rng, strs


def group_offices(units, sc) -> list[int]:
    """The offices (unit indexes) that keep veiledergrupper: Bærum, then the largest others."""
    order = np.argsort(-units.pop[: units.n_lokal], kind="stable")
    chosen = [units.index[ref.BAERUM]] + [int(i) for i in order if units.nr[i] != ref.BAERUM]
    return chosen[: sc["group_offices"]]


def veiledergrupper(seed, units, sc, until_d):
    """Daily veiledergruppe snapshots (one row per member per day) and the avdeling map."""
    first = day(DATA_START)
    chosen = group_offices(units, sc)
    horizon = day(HORIZON)
    iv_gid, iv_ident, iv_from, iv_to = [], [], [], []  # membership intervals [from, to)
    nm_gid, nm_name, nm_from, nm_to = [], [], [], []  # group name periods [from, to)
    avd_rows: list[tuple[str, str, str]] = []
    next_id = 1000 + int(rng(seed, "gruppe_id").integers(0, 5000))
    for rank, oi in enumerate(chosen):
        r = rng(seed, "grupper", units.nr[oi])
        is_baerum = units.nr[oi] == ref.BAERUM
        n_slots = int(units.slots[oi])
        if is_baerum:
            base = list(ref.BAERUM_GROUPS)
        else:
            base = [ref.GENERIC_GROUPS[i] for i in r.permutation(len(ref.GENERIC_GROUPS))]
            base = base[: int(np.clip(round(n_slots / 8), 5, 15))]
        mapped = is_baerum or rank % 3 == 1
        groups = []  # dict(id, name periods, start, end)
        t_begin = day(dt.date(2021, 6, 1))
        for name, avd in base:
            gid = str(next_id)
            next_id += 1
            groups.append(
                {
                    "id": gid,
                    "start": t_begin,
                    "end": horizon,
                    "names": [(name, t_begin)],
                    "avd": avd,
                }
            )
        # removals (with a replacement group), and renames
        for g in list(groups):
            x = r.random()
            if is_baerum and g["names"][0][0] == "Ung 18-24 B":
                continue  # its story is told below
            if x < 0.15:
                t = first + int(r.integers(60, max(61, day(dt.date(2026, 6, 1)) - first)))
                g["end"] = t
                gid = str(next_id)
                next_id += 1
                new_name = g["names"][0][0] + (" ny" if r.random() < 0.5 else " (omorganisert)")
                groups.append(
                    {
                        "id": gid,
                        "start": t,
                        "end": horizon,
                        "names": [(new_name, t)],
                        "avd": g["avd"],
                    }
                )
            elif x < 0.40:
                t = first + int(r.integers(60, max(61, day(dt.date(2026, 6, 1)) - first)))
                old = g["names"][0][0]
                new = (
                    ("Team " + old)
                    if r.random() < 0.5
                    else (old + " " + ["Sentrum", "Nord", "Sør", "Øst", "Vest"][int(r.integers(5))])
                )
                g["names"].append((new, t))
        if is_baerum:
            # a known story for Bærum: "Ung 18-24 B" became "Ung Sandvika" in August 2024
            for g in groups:
                if g["names"][0][0] == "Ung 18-24 B":
                    g["names"] = [
                        ("Ung 18-24 B", g["start"]),
                        ("Ung Sandvika", day(dt.date(2024, 8, 19))),
                    ]
        for g in groups:
            for i, (nm, t) in enumerate(g["names"]):
                t_next = g["names"][i + 1][1] if i + 1 < len(g["names"]) else g["end"]
                nm_gid.append(g["id"])
                nm_name.append(nm)
                nm_from.append(t)
                nm_to.append(t_next)
            if mapped:
                avd_rows.append((units.nr[oi], g["id"], g["avd"]))

        def alive(t, groups=groups):
            return [g for g in groups if g["start"] <= t < g["end"]]

        for s in range(n_slots):
            slot = int(units.slot_start[oi]) + s
            hc = units.holder_change[slot]
            for h in range(4):
                a = int(hc[h]) if h else -(10**9)
                b = int(hc[h + 1]) if h < 3 else horizon
                a, b = max(a, t_begin), min(b, horizon)
                if a >= b:
                    continue
                ident = slot * 4 + h
                if r.random() < 0.04:
                    continue  # not in any group (leader, specialist)
                cands = alive(a)
                g = (
                    cands[(s + h) % len(cands)]
                    if r.random() < 0.7
                    else cands[int(r.integers(len(cands)))]
                )
                t = a
                while t < b:
                    # stay until a move (about every 2.5 years) or the group ends
                    stay = int(r.exponential(2.5 * 365)) + 30
                    t_end = min(t + stay, g["end"], b)
                    iv_gid.append(g["id"])
                    iv_ident.append(ident)
                    iv_from.append(t)
                    iv_to.append(t_end)
                    if t_end >= b:
                        break
                    cands = [c for c in alive(t_end) if c is not g] or alive(t_end)
                    g = cands[int(r.integers(len(cands)))]
                    t = t_end
                if r.random() < 0.08:  # also in a second group for a while
                    t2 = a + int(r.integers(0, max(1, b - a)))
                    cands = alive(t2)
                    g2 = cands[int(r.integers(len(cands)))]
                    iv_gid.append(g2["id"])
                    iv_ident.append(ident)
                    iv_from.append(t2)
                    iv_to.append(min(t2 + 30 + int(r.integers(0, 240)), b, g2["end"]))
    # intersect memberships with name periods, clip to the snapshot window, expand to days
    gids = sorted(set(nm_gid))
    gi = {g: i for i, g in enumerate(gids)}
    office_of_gid = {}
    for enh, gid, _ in avd_rows:
        office_of_gid[gid] = enh
    iv_g = np.array([gi[g] for g in iv_gid], dtype=np.int64)
    iv_i = np.array(iv_ident, dtype=np.int64)
    iv_f = np.maximum(np.array(iv_from, dtype=np.int64), first)
    iv_t = np.minimum(np.array(iv_to, dtype=np.int64), until_d + 1)
    nm_g = np.array([gi[g] for g in nm_gid], dtype=np.int64)
    nm_f = np.array(nm_from, dtype=np.int64)
    nm_t = np.array(nm_to, dtype=np.int64)
    # pair each membership with the name periods of its group
    by_group = {}
    for j, g in enumerate(nm_g.tolist()):
        by_group.setdefault(g, []).append(j)
    pi, pj = [], []
    for i, g in enumerate(iv_g.tolist()):
        for j in by_group[g]:
            pi.append(i)
            pj.append(j)
    pi = np.array(pi, dtype=np.int64)
    pj = np.array(pj, dtype=np.int64)
    f = np.maximum(iv_f[pi], nm_f[pj])
    t = np.minimum(iv_t[pi], nm_t[pj])
    ok = t > f
    pi, pj, f, t = pi[ok], pj[ok], f[ok], t[ok]
    lens = t - f
    total = int(lens.sum())
    rep = np.repeat(np.arange(len(lens)), lens)
    offs = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
    snap_day = f[rep] + offs
    # office of each group: from the slot index of its first member
    slot_office = np.repeat(np.arange(len(units.slots)), units.slots)
    g_office = np.full(len(gids), -1, dtype=np.int64)
    g_office[iv_g] = slot_office[iv_i // 4]
    names = sorted(set(nm_name))
    ni = {x: i for i, x in enumerate(names)}
    nm_code = np.array([ni[x] for x in nm_name], dtype=np.int64)
    ident_rows = iv_i[pi][rep]
    uniq, inv = np.unique(ident_rows, return_inverse=True)
    gid_rows = iv_g[pi][rep]
    o = np.lexsort((ident_rows, gid_rows, snap_day))
    # a second membership may overlap the first in the same group: one row per member per day
    dup = np.r_[
        False,
        (snap_day[o][1:] == snap_day[o][:-1])
        & (gid_rows[o][1:] == gid_rows[o][:-1])
        & (ident_rows[o][1:] == ident_rows[o][:-1]),
    ]
    o = o[~dup]
    snap = {
        "snapshot_dato": dates(snap_day[o]),
        "enhetsnummer": categorical(g_office[iv_g[pi]][rep][o], units.nr),
        "gruppe_id": categorical(iv_g[pi][rep][o], gids),
        "gruppe_navn": categorical(nm_code[pj][rep][o], names),
        "veileder_ident": pa.DictionaryArray.from_arrays(
            pa.array(inv[o].astype(np.int32)), pa.array([units.idents[i] for i in uniq.tolist()])
        ),
    }
    # only groups that ever appear in a snapshot are mapped
    seen = set(np.unique(iv_g[pi]).tolist())
    avd = [(e, g, a) for e, g, a in avd_rows if gi[g] in seen]
    avd_tbl = {
        "enhetsnummer": strs([x[0] for x in avd]),
        "gruppe_id": strs([x[1] for x in avd]),
        "avdeling": strs([x[2] for x in avd]),
    }
    return snap, avd_tbl
