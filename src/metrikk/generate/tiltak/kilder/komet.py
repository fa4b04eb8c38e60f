"""Komet: deltakere in amt-deltaker and amt-tiltak, with the move between them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrikk.generate.tiltak.identer import digit_strings
from metrikk.generate.tiltak.kilder.arrow import (
    codes,
    first_per_key,
    i64,
    keys,
    plain,
    take,
)
from metrikk.generate.tiltak.util import (
    NULL,
    dates,
    hash_u,
    key,
    stamps,
    uuids,
)

if TYPE_CHECKING:
    from metrikk.generate.tiltak.kilder.writer import KilderWriter

# Komet moved its deltakere from amt-tiltak to amt-deltaker at this instant (synthetic choice):
# registered before it, Komet-mastered deltakere (and a quarter of the Arena ones still changing
# after it) are in both generations, the amt-tiltak copy frozen at the move.
KOMET_FLYTT = dt.datetime(2024, 6, 3, 5, 0)  # UTC
KOMET_FLYTT_US = (KOMET_FLYTT - dt.datetime(1970, 1, 1)) // dt.timedelta(microseconds=1)
ARENA_IMPORT_SHARE = 0.25


def write_komet(w: KilderWriter, d: dict[str, pa.Array], s: dict[str, pa.Array]) -> None:
    """deltaker + deltaker_status → amt-deltaker and amt-tiltak, with the move between them."""
    seed = w.seed
    ids = plain(d["id"])
    n = len(ids)
    if not n:
        return
    pk = keys(d["person_id"])
    dkey = keys(ids)
    reg = i64(d["registrert_tidspunkt"])
    kode, klabels = codes(d["kilde"])
    komet = kode == (klabels.index("KOMET") if "KOMET" in klabels else -2)
    s_pos = i64(pc.index_in(plain(s["deltaker_id"]), value_set=ids))
    opp = i64(s["opprettet"])
    gfra = i64(s["gyldig_fra"])
    gtil = i64(s["gyldig_til"])
    last_opp = np.full(n, NULL)
    np.maximum.at(last_opp, s_pos, opp)
    # which generation holds which deltaker
    moved = w.until_end > KOMET_FLYTT_US
    before = reg < KOMET_FLYTT_US
    imported = ~komet & (hash_u(dkey, "arena_import") < ARENA_IMPORT_SHARE)
    imported &= last_opp >= KOMET_FLYTT_US
    both = moved & before & (komet | imported)
    in_ad = both | (moved & ~before & komet)
    in_at = both | ~in_ad
    # amt-deltaker: the master, full and current
    di = np.flatnonzero(in_ad)
    si = np.flatnonzero(in_ad[s_pos])
    o = np.lexsort((gfra, s_pos))
    nxt = np.full(len(o), -1)
    same = s_pos[o][1:] == s_pos[o][:-1]
    nxt[o[:-1][same]] = o[1:][same]
    modified = np.where(nxt >= 0, np.maximum(opp, opp[np.maximum(nxt, 0)]), opp)
    nav_bruker = uuids(key("nav_bruker", pk), seed)
    w.write(
        "amt_deltaker",
        "deltaker",
        {
            "id": take(ids, di),
            "person_id": take(nav_bruker, di),
            "deltakerliste_id": take(d["gjennomforing_id"], di),
            "startdato": take(d["start_dato"], di),
            "sluttdato": take(d["slutt_dato"], di),
            "dager_per_uke": take(d["dager_per_uke"], di),
            "deltakelsesprosent": take(d["prosent_stilling"], di),
            "kilde": take(d["kilde"], di),
            "created_at": take(d["registrert_tidspunkt"], di),
            "modified_at": stamps(last_opp[di]),
        },
    )
    w.write(
        "amt_deltaker",
        "deltaker_status",
        {
            "id": take(s["id"], si),
            "deltaker_id": take(s["deltaker_id"], si),
            "type": take(s["status"], si),
            "aarsak": take(s["aarsak"], si),
            "gyldig_fra": take(s["gyldig_fra"], si),
            "gyldig_til": take(s["gyldig_til"], si),
            "created_at": take(s["opprettet"], si),
            "modified_at": stamps(modified[si]),
        },
    )
    first = first_per_key(pk[di])
    w.write(
        "amt_deltaker",
        "nav_bruker",
        {
            "person_id": take(nav_bruker, di[first]),
            "personident": digit_strings(w.ids.current_ident(pk[di[first]]), 11),
        },
    )
    # amt-tiltak: Arena-mastered deltakere, and a copy of the moved ones frozen at the move
    stale = both[s_pos]
    keep = in_at[s_pos] & (~stale | (opp < KOMET_FLYTT_US))
    last_g = np.full(n, NULL)
    np.maximum.at(last_g, s_pos, np.where(keep, gfra, NULL))
    aktiv = keep & (gfra == last_g[s_pos])
    st_code, _ = codes(s["status"])
    cur_status = np.full(n, -1)
    cur = gtil == NULL
    cur_status[s_pos[cur]] = st_code[cur]
    frozen_status = np.full(n, -1)
    frozen_status[s_pos[aktiv]] = st_code[aktiv]
    frozen_opp = np.full(n, NULL)
    np.maximum.at(frozen_opp, s_pos, np.where(keep, opp, NULL))
    ti = np.flatnonzero(in_at)
    slutt = i64(d["slutt_dato"])
    slutt = np.where(both & (frozen_status != cur_status), NULL, slutt)
    lag = np.where(komet, 0, (60 + hash_u(dkey, "amt_tiltak_lag") * 1740) * 1_000_000)
    bruker = uuids(key("amt_tiltak_bruker", pk), seed)
    w.write(
        "amt_tiltak",
        "deltaker",
        {
            "id": take(ids, ti),
            "bruker_id": take(bruker, ti),
            "gjennomforing_id": take(d["gjennomforing_id"], ti),
            "start_dato": take(d["start_dato"], ti),
            "slutt_dato": dates(slutt[ti]),
            "dager_per_uke": take(d["dager_per_uke"], ti),
            "prosent_stilling": take(d["prosent_stilling"], ti),
            "registrert_dato": take(d["registrert_tidspunkt"], ti),
            "kilde": take(d["kilde"], ti),
            "created_at": stamps(reg[ti] + lag[ti].astype(np.int64)),
            "modified_at": stamps(np.where(both, frozen_opp, last_opp)[ti]),
        },
    )
    ki = np.flatnonzero(keep)
    stale_ids = uuids(key("amt_tiltak_status", keys(s["id"])), seed)
    status_id = pc.if_else(pa.array(stale), stale_ids, plain(s["id"]))
    w.write(
        "amt_tiltak",
        "deltaker_status",
        {
            "id": take(status_id, ki),
            "deltaker_id": take(s["deltaker_id"], ki),
            "status": take(s["status"], ki),
            "aarsak": take(s["aarsak"], ki),
            "aktiv": pa.array(aktiv[ki]),
            "gyldig_fra": take(s["gyldig_fra"], ki),
            "created_at": take(s["opprettet"], ki),
        },
    )
    # amt-tiltak stopped following ident changes after the move: its bruker keeps the old one
    first = first_per_key(pk[ti])
    bp = pk[ti[first]]
    ident = np.where(
        w.ids.changed_after(bp, KOMET_FLYTT_US),
        w.ids.ident_at(bp, np.full(len(bp), KOMET_FLYTT_US)),
        w.ids.current_ident(bp),
    )
    w.write(
        "amt_tiltak",
        "bruker",
        {"id": take(bruker, ti[first]), "person_ident": digit_strings(ident, 11)},
    )
