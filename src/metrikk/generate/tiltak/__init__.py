"""Synthetic tiltak sources (CONTRACT §2): every `tiltak_bronze` table, realistic and seeded.

The generator simulates people, not rows. People enter arbeidsrettet oppfølging at a Nav
office month by month (a rate per 1 000 inhabitants); each gets §14a vedtak, a veileder and a
chain of deltakelser on tiltak that fit their innsatsgruppe, on the gjennomføringer that serve
their office at that time. Every source table is then read off that history as it looked at
the end of `until`. See docs/generate-tiltak.md for the choices and their sources.

All randomness flows from `seed`: static structure (offices' veiledere, gjennomføringer,
veiledergrupper) from generators seeded by (seed, entity), people from per-month streams
seeded by (seed, entity, name, month). Same seed gives identical rows; a later `until` keeps
every row that was visible at the earlier one (except derived "as of" columns such as a
gjennomføring's status, see the docs).

The package, one module per step or source table: `params` (scales, dates, fault rates),
`reference` (Nav units, tiltakstyper, names), `util` (seeded streams, ids, Arrow columns),
`codes` (tiltak codes and statuses), `structure` (units, veiledere, gjennomføring lines,
nav_enhet), `people` (cohorts and their deltakelser), then the tables: `komet` (deltaker,
deltaker_status), `gjennomforing`, `avtaler` (arbeidsgiver_avtale_hendelse), `oppfolging`
(vedtak_14a, oppfolgingsperiode, oppfolgingskontor_historikk, veileder_tilordning),
`veiledergrupper` and `tiltaksgruppe` (an office file). `generate` below drives them in a
fixed order.

`--form kilder` builds the same tables and hands them to `kilder.KilderWriter`, which writes
NAV's raw source tables (kilder.yaml) instead of `tiltak_bronze`; `identer` gives its persons
fødselsnummer and aktør-id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pyarrow as pa

from metrikk import catalog, warehouse
from metrikk.generate.tiltak import reference as ref
from metrikk.generate.tiltak.avtaler import avtaler
from metrikk.generate.tiltak.codes import KIND_ENK, N_CODES
from metrikk.generate.tiltak.gjennomforing import gjennomforinger
from metrikk.generate.tiltak.kilder import KilderWriter
from metrikk.generate.tiltak.komet import komet
from metrikk.generate.tiltak.oppfolging import oppfolging_tables, tilordning_table
from metrikk.generate.tiltak.params import DATA_START, KEEP_FROM, SCALES
from metrikk.generate.tiltak.people import People, cohorts, simulate
from metrikk.generate.tiltak.structure import Lines, Units, nav_enhet
from metrikk.generate.tiltak.tiltaksgruppe import tiltaksgruppe
from metrikk.generate.tiltak.util import US_DAY, day, key, strs, uuids
from metrikk.generate.tiltak.veiledergrupper import veiledergrupper

TABLES = [
    "tiltakstype",
    "nav_enhet",
    "gjennomforing",
    "gjennomforing_nav_enhet",
    "deltaker",
    "deltaker_status",
    "arbeidsgiver_avtale_hendelse",
    "vedtak_14a",
    "oppfolgingsperiode",
    "oppfolgingskontor_historikk",
    "veileder_tilordning",
    "veiledergruppe_snapshot",
    "avdeling_veiledergruppe",
    "tiltaksgruppe",
]
FORMS = ("kontrakt", "kilder")


class _Writer:
    def __init__(self, con, progress):
        self.con = con
        self.progress = progress
        self.rows: dict[str, int] = {}

        self.done = 0
        self.total = len(TABLES)

    def __call__(self, table: str, columns: dict[str, pa.Array]) -> None:
        """Write one table; a table written before in this run gets the new rows appended."""
        name = f"tiltak_bronze.{table}"
        data = pa.table(columns)
        self.rows[name] = warehouse.write_landing(
            self.con, catalog.landing_table(name), data, syntetisk=True, append=name in self.rows
        )
        self.done += 1
        del data
        pa.default_memory_pool().release_unused()
        if self.progress is not None:
            self.progress(name, self.done, self.total)

    def end_chunk(self) -> None:
        """Nothing to do: the kontrakt form writes each table as it comes."""

    def finish(self) -> dict[str, int]:
        return {f"tiltak_bronze.{t}": self.rows[f"tiltak_bronze.{t}"] for t in TABLES}


def generate(
    con,
    *,
    scale: str,
    seed: int,
    until: dt.date,
    progress: Callable[[str, int, int], None] | None = None,
    form: str = "kontrakt",
) -> dict[str, int]:
    """Fill every tiltak_bronze table with synthetic rows as they looked at the end of `until`;
    with `form="kilder"`, the same world as NAV's raw source tables (kilder.yaml) instead."""
    if form not in FORMS:
        raise ValueError(f"Ukjent form «{form}»; velg en av {', '.join(FORMS)}.")
    if scale not in SCALES:
        raise ValueError(f"Ukjent skala «{scale}»; velg en av {', '.join(SCALES)}.")
    if until < DATA_START:
        raise ValueError(f"--until må være {DATA_START} eller senere.")
    sc = SCALES[scale]
    until_d = day(until)
    until_end = (until_d + 1) * US_DAY  # rows created before this instant are visible

    units = Units(seed, sc["factor"])
    if form == "kilder":
        write = KilderWriter(
            con, progress, seed=seed, units=units, until_d=until_d, until_end=until_end
        )
    else:
        write = _Writer(con, progress)
    lines = Lines(seed, units, sc["factor"])
    tt_ids = uuids(key("tiltakstype", np.arange(N_CODES)), seed)
    referenced_units: set[int] = set()
    used_parts: list[np.ndarray] = []
    tilordning_parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    # People are generated and written one cohort year at a time (people are independent of
    # each other and their draws are seeded per month), so memory stays near one year's worth.
    months, counts, office = cohorts(seed, units, sc["factor"], sc["only"], until)
    years = 1970 + months // 12
    if sc["only"] is not None:  # one office: a single chunk is small enough and faster
        years = np.zeros_like(years)
    chunks = [np.flatnonzero(years == y) for y in np.unique(years)]
    write.total = 8 * len(chunks) + 8
    starts = np.concatenate([[0], np.cumsum(counts)])
    for ch in chunks:
        sl = slice(int(starts[ch[0]]), int(starts[ch[-1] + 1]))
        people = People(seed, units, sc, months[ch], counts[ch], office[sl])
        dl = simulate(seed, units, lines, people)
        # everyone whose oppfølging reaches into the data window (vedtak exist without tiltak)
        persons_kept = people.t_end >= KEEP_FROM
        kom = komet(seed, units, lines, people, dl, until_d, until_end)
        persons_kept[kom.pop("person_idx")] = True
        write("deltaker", kom.pop("deltaker"))
        write("deltaker_status", kom.pop("status"))
        if sc["only"] is not None:
            used_parts.append(np.unique(kom["d"]["gkey"][kom["d"]["kind"] != KIND_ENK]))
        gj = gjennomforinger(seed, units, lines, kom, until_d, until_end, tt_ids, sc["only"], None)
        del kom
        referenced_units.update(gj["units"])
        write("gjennomforing", gj["gjennomforing"])
        write("gjennomforing_nav_enhet", gj["enheter"])
        del gj
        ag = avtaler(seed, units, people, dl, until_d, until_end)
        persons_kept[ag["person_idx"]] = True
        referenced_units.update(ag["_units"])
        write("arbeidsgiver_avtale_hendelse", ag["hendelse"])
        del ag
        person_tables = oppfolging_tables(seed, units, people, persons_kept, dl, until_d, until_end)
        del dl
        referenced_units.update(person_tables.pop("_units"))
        tilordning_parts.append(person_tables.pop("_tilordning"))
        for name in ("vedtak_14a", "oppfolgingsperiode", "oppfolgingskontor_historikk"):
            write(name, person_tables.pop(name))
        del people, person_tables
        write.end_chunk()
    # the Valp gjennomføringer of the lines (courses, contract periods, egen regi)
    used = np.unique(np.concatenate(used_parts)) if used_parts else None
    gj = gjennomforinger(seed, units, lines, None, until_d, until_end, tt_ids, sc["only"], used)
    referenced_units.update(gj["units"])
    write("gjennomforing", gj["gjennomforing"])
    write("gjennomforing_nav_enhet", gj["enheter"])
    del gj
    write("veileder_tilordning", tilordning_table(seed, units, tilordning_parts))
    del tilordning_parts
    snap, avd = veiledergrupper(seed, units, sc, until_d)
    write("veiledergruppe_snapshot", snap)
    write("avdeling_veiledergruppe", avd)
    write("tiltaksgruppe", tiltaksgruppe(units, sc))
    del snap
    write(
        "tiltakstype",
        {
            "id": tt_ids,
            "navn": strs([t[2] for t in ref.TILTAKSTYPER]),
            "tiltakskode": strs(ref.CODES),
            "arena_tiltakskode": strs([t[1] for t in ref.TILTAKSTYPER]),
        },
    )
    write("nav_enhet", nav_enhet(units, sc["only"], referenced_units))
    return write.finish()
