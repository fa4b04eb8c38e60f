"""ao-oppfolgingskontor: the kontorhistorikk, AO rows with ARENA and GEOGRAFISK_TILKNYTNING rows
beside them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrikk.generate.tiltak.identer import digit_strings
from metrikk.generate.tiltak.kilder.arrow import (
    LARGE_STRING,
    asof,
    codes,
    i64,
    keys,
    ms_after,
    take,
)
from metrikk.generate.tiltak.util import (
    US_DAY,
    US_MIN,
    categorical,
    hash_u,
    key,
    stamps,
)

if TYPE_CHECKING:
    from metrikk.generate.tiltak.kilder.writer import KilderWriter

ARENA_KONTOR_AVVIK = 0.12  # ARENA kontor rows naming another office than the AO row


def write_kontor(w: KilderWriter, k: dict[str, pa.Array], per) -> None:
    """oppfolgingskontor_historikk → kontorhistorikk: the AO rows, with ARENA and
    GEOGRAFISK_TILKNYTNING rows beside them."""
    units = w.units
    pk = keys(k["person_id"])
    t = i64(k["endret_tidspunkt"])
    n = len(t)
    if not n:
        return
    kc, klabels = codes(k["kontor_id"])
    office = np.array([units.index[x] for x in klabels], dtype=np.int64)[kc]
    tc, tlabels = codes(k["endringstype"])
    types = tlabels + ["GTKontorVedOppfolgingStart", "EndretIArena"]
    ti = {x: i for i, x in enumerate(types)}
    typ = np.array([ti[x] for x in tlabels], dtype=np.int64)[tc]
    start = np.isin(
        typ, [ti.get("ArenaKontorVedOppfolgingsStart", -9), ti.get("AutomatiskNorgRuting", -9)]
    )
    bosted = typ == ti.get("EndretBostedsadresse", -9)
    flyttet = typ == ti.get("FlyttetAvVeileder", -9)
    kk = key("kontorrad", pk, t)
    # GT: when oppfølging starts and when the address changes; written just before the AO row
    gi = np.flatnonzero(start | bosted)
    g_t = t[gi] - ms_after(kk[gi], "gt", 1000, 30_000)
    g_typ = np.where(start[gi], ti["GTKontorVedOppfolgingStart"], ti["EndretBostedsadresse"])
    # ARENA: Arena's own kontor, synced a while after; now and then another office
    ai = np.flatnonzero(start | bosted | flyttet)
    a_t = t[ai] + (US_MIN + hash_u(kk[ai], "arena") * 2 * US_DAY).astype(np.int64)
    a_off = office[ai]
    other = (hash_u(kk[ai], "arena_avvik") < ARENA_KONTOR_AVVIK) & (a_off < units.n_lokal)
    a_off = np.where(other, (a_off + 1) % units.n_lokal, a_off)
    ok = a_t < w.until_end
    ai, a_t, a_off = ai[ok], a_t[ok], a_off[ok]
    r_src = np.concatenate([np.arange(n), gi, ai])
    r_t = np.concatenate([t, g_t, a_t])
    r_off = np.concatenate([office, office[gi], a_off])
    r_typ = np.concatenate([typ, g_typ, np.full(len(ai), ti["EndretIArena"])])
    r_kind = np.concatenate(
        [np.zeros(n, np.int64), np.ones(len(gi), np.int64), np.full(len(ai), 2)]
    )
    r_pk = pk[r_src]
    o = np.lexsort((r_kind, r_pk, r_t))
    r_src, r_t, r_off, r_typ, r_kind, r_pk = (
        x[o] for x in (r_src, r_t, r_off, r_typ, r_kind, r_pk)
    )
    veil = units.idents
    vi = np.minimum((hash_u(kk[r_src], "endret_av") * len(veil)).astype(np.int64), len(veil) - 1)
    by_veileder = (r_kind == 0) & (r_typ == ti.get("FlyttetAvVeileder", -9))
    endret_av = pc.if_else(
        pa.array(by_veileder),
        pc.cast(categorical(vi, veil), LARGE_STRING),
        categorical(np.where(r_kind == 2, 1, 0), ["ao-oppfolgingskontor", "Arena"]).cast(
            LARGE_STRING
        ),
    )
    endret_av_type = categorical(
        np.where(by_veileder, 1, np.where(r_kind == 2, 2, 0)), ["SYSTEM", "VEILEDER", "ARENA"]
    )
    per_pk, per_start, per_uuid = per
    pi = asof(r_pk, r_t, per_pk, per_start)
    w.write(
        "ao_oppfolgingskontor",
        "kontorhistorikk",
        {
            "id": pa.array(1 + w.next_numbers("kontor", len(o))),
            "ident": digit_strings(w.ids.ident_at(r_pk, r_t), 11),
            "kontor_id": categorical(r_off, units.nr),
            "endret_av": endret_av,
            "endret_av_type": endret_av_type,
            "kontorendringstype": categorical(r_typ, types),
            "kontor_type": categorical(
                r_kind, ["ARBEIDSOPPFOLGING", "GEOGRAFISK_TILKNYTNING", "ARENA"]
            ),
            "oppfolgingsperiode_id": pc.if_else(
                pa.array(pi < 0), pa.nulls(len(pi), LARGE_STRING), take(per_uuid, np.maximum(pi, 0))
            ),
            "created_at": stamps(r_t),
        },
    )
