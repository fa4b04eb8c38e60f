"""§14a vedtak: the behandling events of the DVH table (statistikk_dvh_fellestabell)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrikk import koder
from metrikk.generate.tiltak import reference as ref
from metrikk.generate.tiltak.identer import digit_strings
from metrikk.generate.tiltak.kilder.arrow import (
    LARGE_STRING,
    asof,
    codes,
    i64,
    keys,
    lit,
    ms_after,
    plain,
    take,
)
from metrikk.generate.tiltak.util import (
    NULL,
    US_DAY,
    US_HOUR,
    categorical,
    day,
    hash_u,
    key,
    stamps,
)

if TYPE_CHECKING:
    from metrikk.generate.tiltak.kilder.writer import KilderWriter

VEDTAK_RESEND_RATE = 0.03  # FATTET rows sent twice to the DVH table
VEDTAK_UB_RESEND_RATE = 0.01
VEDTAK_UTEN_FERDIGBEHANDLET = 0.02  # FATTET rows without ferdigbehandlet_tid (fallback endret_tid)
AVBRUTT_RATE = 0.02  # an aborted revurdering after this share of vedtak
KODE6_RATE = 0.005  # persons with strengt fortrolig adresse: ansvarlig_enhet '-5'
ERA_V2 = day(ref.ERA_NEW_NAMES) * US_DAY
V2_TO_V1 = dict(zip(ref.INNSATS_NEW, ref.INNSATS_OLD, strict=True))
V1_TO_V2 = dict(zip(ref.INNSATS_OLD, ref.INNSATS_NEW, strict=True))
INNSATS_CLASS = {
    **{x: i for i, x in enumerate(ref.INNSATS_NEW)},
    **{x: i for i, x in enumerate(ref.INNSATS_OLD)},
    **{x: ref.INNSATS_NEW.index(koder.INNSATSGRUPPE[x]) for x in koder.INNSATSGRUPPE_ARENA},
}
# Vedtak in the two least able classes (JOBBE_DELVIS, LITEN_MULIGHET_TIL_A_JOBBE), by any code.
KVALITETSSIKRES = {k for k, ny in koder.INNSATSGRUPPE.items() if ny in ref.INNSATS_NEW[3:]}


def write_vedtak(w: KilderWriter, v: dict[str, pa.Array], per) -> None:
    """vedtak_14a → statistikk_dvh_fellestabell: one row per behandling event."""
    n = len(v["vedtak_id"])
    if not n:
        return
    pk = keys(v["person_id"])
    vk = keys(v["vedtak_id"])
    fattet = i64(v["fattet_tidspunkt"])
    ig, ig_labels = codes(v["innsatsgruppe"])
    labels = list(dict.fromkeys(ref.INNSATS_NEW + ref.INNSATS_OLD + ig_labels))
    li = {x: i for i, x in enumerate(labels)}
    ig = np.array([li[x] for x in ig_labels], dtype=np.int64)[ig]
    o = np.lexsort((fattet, pk))
    first = np.zeros(n, dtype=bool)
    first[o] = np.r_[True, pk[o][1:] != pk[o][:-1]]
    u = lambda salt: hash_u(vk, salt)  # noqa: E731
    # aborted revurderinger: opened some weeks after a vedtak, then AVBRUTT
    par = np.flatnonzero(u("avbrutt") < AVBRUTT_RATE)
    nb = n + len(par)
    bsrc = np.concatenate([np.arange(n), par])  # the bronze vedtak behind each behandling
    b_first = np.r_[first, np.zeros(len(par), dtype=bool)]
    b_end = np.concatenate(
        [fattet, fattet[par] + ((20 + u("ab_start")[par] * 180) * US_DAY).astype(np.int64)]
    )
    bk = np.concatenate([vk, key("avbrutt", vk[par])])
    ub = lambda salt: hash_u(bk, salt)  # noqa: E731
    # behandlingstid: the utkast was made in office hours, the same day to a month before
    # (most are quick); an aborted revurdering was opened at b_end
    reg_day = b_end // US_DAY - (ub("behandlingstid") ** 2 * 30).astype(np.int64)
    reg = reg_day * US_DAY + 6 * US_HOUR + (ub("utkast_tid") * 9 * US_HOUR).astype(np.int64)
    reg = np.where(np.arange(nb) < n, np.minimum(reg, b_end - US_HOUR), b_end)
    b_end = np.where(
        np.arange(nb) < n,
        b_end,
        b_end + ((1 + ub("ab_varighet") * 20) * US_DAY).astype(np.int64),
    )
    # innsatsgruppe per behandling: the vedtak's; an aborted one proposed a neighbouring class
    cls = np.array([INNSATS_CLASS.get(x, 1) for x in labels], dtype=np.int64)
    b_ig = ig[bsrc]
    step = np.where(ub("ab_klasse") < 0.5, -1, 1)
    ab_cls = np.clip(cls[b_ig] + step, 0, 4)
    ab_cls = np.where(ab_cls == cls[b_ig], np.clip(cls[b_ig] - step, 0, 4), ab_cls)
    b_ig = np.where(np.arange(nb) < n, b_ig, li[ref.INNSATS_NEW[0]] + ab_cls)
    kval = np.isin(b_ig, [li[x] for x in KVALITETSSIKRES if x in li])
    status_labels = [
        "UNDER_BEHANDLING",
        "SENDT_TIL_KVALITETSSIKRING",
        "KVALITETSSIKRING_GODKJENT",
        "FATTET",
        "AVBRUTT",
    ]
    base = np.arange(nb) < n
    rows_b, rows_s, rows_t, rows_resend = [], [], [], []

    def add(mask, status, t, resend=False):
        i = np.flatnonzero(mask)
        rows_b.append(i)
        rows_s.append(np.full(len(i), status))
        rows_t.append(t[i])
        rows_resend.append(np.full(len(i), resend))

    everyone = np.ones(nb, dtype=bool)
    add(everyone, 0, reg)
    add(base & kval, 1, reg + (b_end - reg) // 2)
    add(base & kval, 2, reg + (b_end - reg) * 4 // 5)
    add(base, 3, b_end)
    add(~base, 4, b_end)
    add(base & (ub("resend") < VEDTAK_RESEND_RATE), 3, b_end, True)
    add(base & (ub("resend_ub") < VEDTAK_UB_RESEND_RATE), 0, reg, True)
    rb, rs, endret, resend = (np.concatenate(x) for x in (rows_b, rows_s, rows_t, rows_resend))
    rk = key("dvh_rad", bk[rb], rs, resend)
    teknisk = endret + ms_after(rk, "teknisk", 200, 5000)
    teknisk = np.where(
        resend,
        endret + (US_HOUR + hash_u(rk, "resend_tid") * 10 * US_DAY).astype(np.int64),
        teknisk,
    )
    # rows of a counted vedtak are all visible (fattet before the end of --until); the
    # extra rows (resends, aborted behandlinger) only when they happened by then
    counted_row = base[rb] & ~resend
    teknisk = np.where(counted_row, np.minimum(teknisk, w.until_end - 1), teknisk)
    vis = counted_row | ((teknisk < w.until_end) & (endret < w.until_end))
    rb, rs, endret, teknisk, resend = (x[vis] for x in (rb, rs, endret, teknisk, resend))
    # V1 names before InnsatsgruppeV2: the events of a behandling written before 2025-02-24
    # carry them (a vedtak fattet later is written with V2 names on its FATTET row)
    r_ig = b_ig[rb]
    v1 = np.array([li[V2_TO_V1[x]] if x in V2_TO_V1 else li[x] for x in labels])
    r_ig = np.where((endret < ERA_V2) & (rs != 3), v1[r_ig], r_ig)
    ferdig = np.where(
        (rs == 3) & (ub("uten_ferdig")[rb] >= VEDTAK_UTEN_FERDIGBEHANDLET), endret, NULL
    )
    ferdig = np.where(rs == 4, endret, ferdig)
    bid = np.empty(nb, dtype=np.int64)
    bid[np.lexsort((bk, b_end))] = 100_000 + w.next_numbers("behandling", nb)
    o = np.lexsort((rs, bid[rb], teknisk))
    rb, rs, endret, teknisk, r_ig, ferdig = (x[o] for x in (rb, rs, endret, teknisk, r_ig, ferdig))
    seq = 1 + w.next_numbers("sekvens", len(o))
    rpk = pk[bsrc[rb]]
    kode6 = hash_u(rpk, "kode6") < KODE6_RATE
    enhet = pc.if_else(pa.array(kode6), lit("-5"), take(plain(v["ansvarlig_enhet"]), bsrc[rb]))
    per_pk, per_start, per_uuid = per
    pi = asof(rpk, endret, per_pk, per_start)
    periode = pc.if_else(
        pa.array(pi < 0), pa.nulls(len(pi), LARGE_STRING), take(per_uuid, np.maximum(pi, 0))
    )
    w.write(
        "vedtak_14a",
        "statistikk_dvh_fellestabell",
        {
            "sekvensnummer": pa.array(seq),
            "behandling_id": pa.array(bid[rb]),
            "aktor_id": digit_strings(w.ids.aktor_at(rpk, endret), 13),
            "mottatt_tid": stamps(reg[rb]),
            "registrert_tid": stamps(reg[rb]),
            "ferdigbehandlet_tid": stamps(ferdig),
            "endret_tid": stamps(endret),
            "teknisk_tid": stamps(teknisk),
            "behandling_type": categorical(
                np.where(b_first[rb], 0, 1), ["FORSTEGANGSBEHANDLING", "REVURDERING"]
            ),
            "behandling_status": categorical(rs, status_labels),
            "behandling_resultat": categorical(np.where(rs == 3, r_ig, -1), labels),
            "ansvarlig_enhet": enhet,
            "oppfolging_periode_uuid": periode,
            "innsatsgruppe": categorical(r_ig, labels),
            "hovedmal": take(v["hovedmal"], bsrc[rb]),
        },
    )
