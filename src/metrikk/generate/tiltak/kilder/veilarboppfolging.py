"""veilarboppfolging: oppfølgingsperioder and veileder assignments, persons as aktør-id."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metrikk.generate.tiltak.identer import digit_strings
from metrikk.generate.tiltak.kilder.arrow import (
    LARGE_STRING,
    i64,
    keys,
    pick,
    wall,
)
from metrikk.generate.tiltak.util import (
    NULL,
    categorical,
    hash_u,
    key,
    uuids,
)

if TYPE_CHECKING:
    from metrikk.generate.tiltak.kilder.writer import KilderWriter

START_BEGRUNNELSE = [
    "ARBEIDSSOKER_REGISTRERING",
    "MANUELL_REGISTRERING_VEILEDER",
    "SYKEMELDT_MER_OPPFOLGING",
    "ARENA_SYNC_ARBS",
    "REAKTIVERT_OPPFOLGING",
]


def write_perioder(
    w: KilderWriter, p: dict[str, pa.Array]
) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    pk = keys(p["person_id"])
    start = i64(p["startdato"])
    slutt = i64(p["sluttdato"])
    uuid = uuids(key("oppfolgingsperiode", pk, start), w.seed)
    w.write(
        "veilarboppfolging",
        "oppfolgingsperiode",
        {
            "aktor_id": digit_strings(w.ids.aktor_at(pk, start), 13),
            "uuid": uuid,
            "startdato": wall(start),
            "sluttdato": wall(slutt),
            "oppdatert": wall(np.where(slutt != NULL, slutt, start)),
            "start_begrunnelse": pick(START_BEGRUNNELSE, hash_u(key("periode", pk, start), "b")),
        },
    )
    return pk, start, uuid


def write_tilordninger(w: KilderWriter, t: dict[str, pa.Array]) -> None:
    pk = keys(t["person_id"])
    ts = i64(t["tilordnet_tidspunkt"])
    tk = key("tilordning", pk, ts)
    idents = w.units.idents
    by = np.minimum((hash_u(tk, "av") * len(idents)).astype(np.int64), len(idents) - 1)
    by_ident = pc.cast(categorical(by, idents), LARGE_STRING)
    w.write(
        "veilarboppfolging",
        "veileder_tilordninger",
        {
            "aktor_id": digit_strings(w.ids.aktor_at(pk, ts), 13),
            "veileder": t["veileder_ident"],
            "sist_tilordnet": wall(ts),
            "tilordning_seq": t["tilordning_seq"],
            # who made the assignment (a NAV ident; null when automatic); never read
            "tilordnet_av_veileder": pc.if_else(
                pa.array(hash_u(tk, "auto") < 0.3), pa.nulls(len(ts), LARGE_STRING), by_ident
            ),
        },
    )
