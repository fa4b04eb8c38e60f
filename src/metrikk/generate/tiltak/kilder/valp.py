"""Valp (mulighetsrommet): gjennomføringer as Valp's views and its own table."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

if TYPE_CHECKING:
    from metrikk.generate.tiltak.kilder.writer import KilderWriter


def write_gjennomforing(w: KilderWriter, g: dict[str, pa.Array]) -> None:
    view = (
        "id",
        "tiltakstype_id",
        "avtale_id",
        "tiltaksnummer",
        "start_dato",
        "slutt_dato",
        "status",
        "opprettet_tidspunkt",
        "oppdatert_tidspunkt",
        "avsluttet_tidspunkt",
    )
    w.write("valp", "gjennomforing_view", {c: g[c] for c in view})
    w.write(
        "valp",
        "public_gjennomforing",
        {c: g[c] for c in ("id", "navn", "antall_plasser", "oppstart")},
    )
