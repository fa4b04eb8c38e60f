"""`tiltaksgruppe`: offices' own grouping of tiltak, plus a national default for some codes.

An office file (CONTRACT §2, optional source): Nav Bærum's 14 labels of its own report, a
grouping by purpose and a short hand-kept list for the next two largest offices that keep
veiledergrupper (none of them at `small`, which has Bærum only), and national rows (no
enhetsnummer) for the education codes and the lønnstilskudd. Static: it does not depend on the
seed or on `until`.
"""

from __future__ import annotations

import pyarrow as pa

from metrikk.generate.tiltak import reference as ref
from metrikk.generate.tiltak.util import strs
from metrikk.generate.tiltak.veiledergrupper import group_offices


def tiltaksgruppe(units, sc) -> dict[str, pa.Array]:
    """One row per (enhetsnummer or national, tiltakskode) → tiltaksgruppe."""
    rows: list[tuple[str | None, str, str]] = []
    offices = group_offices(units, sc)[:3]
    maps = [
        list(ref.BAERUM_TILTAKSGRUPPER.items()),
        list(ref.FORMAAL_TILTAKSGRUPPER.items()),
        ref.HAANDLAGET_TILTAKSGRUPPER,
    ]
    for oi, pairs in zip(offices, maps, strict=False):
        rows.extend((units.nr[oi], code, gruppe) for code, gruppe in pairs)
    rows.extend((None, code, gruppe) for code, gruppe in ref.NASJONALE_TILTAKSGRUPPER.items())
    return {
        "enhetsnummer": strs([r[0] for r in rows]),
        "tiltakskode": strs([r[1] for r in rows]),
        "tiltaksgruppe": strs([r[2] for r in rows]),
    }
