"""Norg2: the Nav units as Norg2's enhet table."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from metrikk.generate.tiltak.kilder.arrow import (
    plain,
)
from metrikk.generate.tiltak.util import (
    US_DAY,
    US_HOUR,
    stamps,
)

if TYPE_CHECKING:
    from metrikk.generate.tiltak.kilder.writer import KilderWriter


def write_norg2(w: KilderWriter, e: dict[str, pa.Array]) -> None:
    nr = plain(e["enhetsnummer"])
    n = len(nr)
    w.write(
        "norg2",
        "enhet",
        {
            # Norg2's own numeric id (enhetId), e.g. 100000219
            "enhet_id": pa.array(
                100_000_000 + np.array([int(x) for x in nr.to_pylist()], dtype=np.int64)
            ),
            "navn": e["navn"],
            "enhet_nr": nr,
            "status": e["status"],
            "type": e["type"],
            "overordnet_enhet": e["overordnet_enhet"],
            "hentet_tidspunkt": stamps(
                np.full(n, w.until_d * US_DAY + 4 * US_HOUR, dtype=np.int64)
            ),
        },
    )
