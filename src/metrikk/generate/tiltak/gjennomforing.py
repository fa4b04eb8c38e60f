"""Valp's `gjennomforing` and `gjennomforing_nav_enhet` tables: løpende contract periods,
course instances, egen regi and enkeltplasser.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from metrikk import koder
from metrikk.generate.tiltak import reference as ref
from metrikk.generate.tiltak.codes import (
    CODE_KIND,
    EGEN_REGI,
    KIND_KURS,
    N_CODES,
    O_AVBRUTT_UTKAST,
    O_FEILREG,
    O_IKKE_AKTUELL,
    O_IKKE_MOTT_RETRO,
)
from metrikk.generate.tiltak.util import (
    NULL,
    US_DAY,
    US_HOUR,
    categorical,
    dates,
    day,
    hash_u,
    key,
    stamps,
    strs,
    uuids,
)

NO_DELTAKERE = {
    "d": {
        k: np.empty(0, np.int64)
        for k in ("start", "end", "planned_end", "outcome", "req", "code", "office")
    },
    "dk": np.empty(0, np.uint64),
    "ended_vis": np.empty(0, bool),
    "registrert": np.empty(0, np.int64),
    "unknown_g": np.empty(0, bool),
    "enk_rows": np.empty(0, np.int64),
}


def gjennomforinger(seed, units, lines, kom, until_d, until_end, tt_ids, only, used):
    """Valp gjennomføringer: with `kom`, the enkeltplasser of those deltakere only; without, the
    lines' løpende periods, course instances and egen regi (at small scale: those at the office
    and those in `used`)."""
    keys, line_of, start_of, slutt_of, opp_of, status_of, oppstart_of, avsl_of = (
        [] for _ in range(8)
    )
    for line in range(lines.n):
        code = lines.code[line]
        if CODE_KIND[code] == KIND_KURS:
            off, period, length, _lead = lines.kurs[line]
            j0 = max(0, int(np.ceil((day(dt.date(2019, 9, 1)) - off) / period)))
            j1 = int((until_d + 60 - off) // period)
            if j1 < j0:
                continue
            js = np.arange(j0, j1 + 1)
            gk = key("kurs", np.full(len(js), line), js)
            s = off + js * period
            e = s + length - 1
            opp = s - 30 - (hash_u(gk, "opp") * 30).astype(np.int64)
            avl = hash_u(gk, "avlyst") < 0.03
            avl_day = s - 7
            st = np.where(avl & (avl_day <= until_d), 2, np.where(e < until_d, 1, 0))
            avsl = np.select([st == 2, st == 1], [avl_day, e + 1], NULL)
            oppstart = 1
        else:
            starts = np.array(lines.starts[line])
            ps = np.arange(len(starts) - 1)
            gk = key("lop", np.full(len(ps), line), ps)
            s = starts[:-1]
            e = starts[1:] - 1
            opp = s - 30 - (hash_u(gk, "opp") * 60).astype(np.int64)
            avb = hash_u(gk, "avbrutt") < 0.05
            st = np.where(e < until_d, np.where(avb, 3, 1), 0)
            avsl = np.where(st > 0, e + 1, NULL)
            oppstart = 0
        keys.append(gk)
        line_of.append(np.full(len(gk), line))
        start_of.append(s)
        slutt_of.append(e)
        opp_of.append(opp)
        status_of.append(st)
        avsl_of.append(avsl)
        oppstart_of.append(np.full(len(gk), oppstart))
    keys_a, line_a, start_a, slutt_a, opp_a, status_a, avsl_a, oppstart_a = (
        np.concatenate(x)
        for x in (keys, line_of, start_of, slutt_of, opp_of, status_of, avsl_of, oppstart_of)
    )
    keep = (opp_a <= until_d) & (slutt_a >= day(dt.date(2019, 1, 1))) & (kom is None)
    if only is not None and kom is None:
        # small scale: the gjennomføringer at the office, and those its deltakere used
        only_i = units.index[only]
        at_office = np.array([only_i in o for o in lines.offices])
        keep &= at_office[line_a] | (np.isin(keys_a, used) if used is not None else False)
    keys_a, line_a, start_a, slutt_a, opp_a, status_a, avsl_a, oppstart_a = (
        x[keep] for x in (keys_a, line_a, start_a, slutt_a, opp_a, status_a, avsl_a, oppstart_a)
    )
    n_lines_rows = len(keys_a)
    navn_of = []
    for line, s, op in zip(
        line_a.tolist(), start_a.astype("datetime64[D]").tolist(), oppstart_a.tolist(), strict=True
    ):
        typenavn = ref.TILTAKSTYPER[lines.code[line]][2]
        arr = lines.arrangor[line]
        if op == 1:
            navn_of.append(
                f"{typenavn} {arr} {lines.area[line]} {s.day:02d}.{s.month:02d}.{s.year}"
            )
        elif arr == "Nav":
            navn_of.append(f"{typenavn} - {lines.area[line]}")
        else:
            navn_of.append(f"{typenavn} - {arr} {lines.area[line]}")
    code_a = lines.code_arr[line_a]
    plasser_a = np.array(lines.plasser)[line_a]
    # enkeltplasser: one gjennomføring per visible enkeltplass deltaker
    if kom is None:
        kom = NO_DELTAKERE
    d = kom["d"]
    er = kom["enk_rows"]
    er = er[~kom["unknown_g"][er]]
    ek = key("enk", kom["dk"][er])
    e_start = d["start"][er]
    e_end = np.where(kom["ended_vis"][er], d["end"][er], d["planned_end"][er])
    e_opp = (kom["registrert"][er] // US_DAY).astype(np.int64)
    e_status = np.where(kom["ended_vis"][er] & (d["end"][er] < until_d), 1, 0)
    e_status = np.where(
        np.isin(d["outcome"][er], [O_IKKE_AKTUELL, O_FEILREG, O_AVBRUTT_UTKAST, O_IKKE_MOTT_RETRO])
        & (d["req"][er] + 30 < until_d),
        2,
        e_status,
    )
    all_keys = np.concatenate([keys_a, ek])
    n_all = len(all_keys)
    code_all = np.concatenate([code_a, d["code"][er]])
    start_all = np.concatenate([start_a, e_start])
    slutt_all = np.concatenate([slutt_a, e_end])
    opp_all = np.concatenate([opp_a, e_opp])
    status_all = np.concatenate([status_a, e_status])
    avsl_all = np.concatenate([avsl_a, np.where(e_status > 0, np.maximum(e_end + 1, e_opp), NULL)])
    oppstart_all = np.concatenate([oppstart_a, np.full(len(er), 2)])
    plasser_all = np.concatenate([plasser_a, np.full(len(er), NULL)])
    navn_all = navn_of + [f"{ref.TILTAKSTYPER[c][2]} - enkeltplass" for c in d["code"][er].tolist()]
    hu = hash_u(all_keys, "tidspunkt")
    opprettet = opp_all * US_DAY + 7 * US_HOUR + (hu * 8 * US_HOUR).astype(np.int64)
    avsluttet = np.where(
        avsl_all != NULL,
        np.minimum(avsl_all, until_d) * US_DAY + 2 * US_HOUR + (hu * US_HOUR).astype(np.int64),
        NULL,
    )
    oppdatert = np.where(
        avsluttet != NULL,
        avsluttet,
        np.minimum(opprettet + ((hu * 200) * US_DAY).astype(np.int64), until_end - US_HOUR),
    )
    oppdatert = np.maximum(oppdatert, opprettet)
    arena_nr = (opp_all < day(dt.date(2023, 6, 1))) & (
        np.array([ref.TILTAKSTYPER[c][1] is not None for c in range(N_CODES)])[code_all]
    )
    years = start_all.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    lopenr = (all_keys % np.uint64(900000)).astype(np.int64) + 100000
    tiltaksnummer = [
        f"{y}#{n}" if a else None
        for y, n, a in zip(years.tolist(), lopenr.tolist(), arena_nr.tolist(), strict=True)
    ]
    egen = EGEN_REGI[code_all]
    avtale_key = np.where(
        (oppstart_all == 2) | egen,
        np.uint64(0),
        key("avtale", np.concatenate([line_a, np.zeros(len(er), np.int64)]), code_all),
    )
    gid = uuids(all_keys, seed)
    tt = tt_ids.take(pa.array(code_all))
    gjennomforing = {
        "id": gid,
        "tiltakstype_id": tt,
        "avtale_id": pa.compute.if_else(
            pa.array(avtale_key == 0), pa.nulls(n_all, pa.large_string()), uuids(avtale_key, seed)
        ),
        "tiltaksnummer": strs(tiltaksnummer),
        "navn": strs(navn_all),
        "start_dato": dates(start_all),
        "slutt_dato": dates(slutt_all),
        "status": categorical(status_all, ["GJENNOMFORES", "AVSLUTTET", "AVLYST", "AVBRUTT"]),
        "oppstart": categorical(oppstart_all, list(koder.GJENNOMFORING_OPPSTART)),
        "antall_plasser": pa.array(plasser_all, mask=plasser_all == NULL, type=pa.int64()),
        "opprettet_tidspunkt": stamps(opprettet),
        "oppdatert_tidspunkt": stamps(oppdatert),
        "avsluttet_tidspunkt": stamps(avsluttet),
    }
    # enheter: fylke + LOKAL offices of the line; enkeltplass: fylke + the deltaker's office
    g_idx, enh = [], []
    line_offices = [np.array(o) for o in lines.offices]
    lens = np.array([len(o) for o in lines.offices])
    rep = np.repeat(np.arange(n_lines_rows), lens[line_a])
    flat = (
        np.concatenate([line_offices[lo] for lo in line_a.tolist()])
        if n_lines_rows
        else np.empty(0, np.int64)
    )
    g_idx.append(rep)
    enh.append(flat)
    fy = np.array(lines.fylke)[line_a]
    g_idx.append(np.arange(n_lines_rows))
    enh.append(-1 - fy)  # negative: fylke index
    e_off = d["office"][er]
    g_idx.append(n_lines_rows + np.arange(len(er)))
    enh.append(e_off)
    g_idx.append(n_lines_rows + np.arange(len(er)))
    enh.append(-1 - units.fylke_of[e_off])
    g_idx = np.concatenate(g_idx)
    enh = np.concatenate(enh)
    order = np.lexsort((enh, g_idx))
    g_idx, enh = g_idx[order], enh[order]
    labels = units.nr[: units.n_lokal] + units.fylke_nr
    lab = np.where(enh >= 0, enh, units.n_lokal + (-1 - enh))
    enheter = {
        "gjennomforing_id": gid.take(pa.array(g_idx)),
        "enhetsnummer": categorical(lab, labels),
    }
    used_units = set(np.unique(enh[enh >= 0]).tolist())
    return {"gjennomforing": gjennomforing, "enheter": enheter, "units": used_units}
