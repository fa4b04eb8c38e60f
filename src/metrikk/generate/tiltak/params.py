"""Scales, dates and fault rates of the synthetic tiltak sources (docs/generate-tiltak.md)."""

from __future__ import annotations

import datetime as dt

from metrikk.generate.tiltak import reference as ref
from metrikk.generate.tiltak.util import day

SCALES = {
    # factor: people per office relative to the national rate; group_offices: how many
    # offices (largest first) keep veiledergrupper and get daily snapshots.
    "small": {"factor": 0.3, "group_offices": 1, "only": ref.BAERUM},
    "default": {"factor": 1.0, "group_offices": 20, "only": None},
    "large": {"factor": 5.0, "group_offices": 40, "only": None},
}

RATE_PER_1000 = 1.65  # people starting a tiltak career per 1 000 inhabitants per month
WARMUP = dt.date(2020, 1, 1)  # people cohorts start here so 2022 opens with a realistic stock
DATA_START = dt.date(2022, 1, 1)  # first day of veiledergruppe snapshots
KEEP_FROM = day(dt.date(2021, 7, 1))  # deltakelser that ended before this are not exported
STRUCTURE_FROM = dt.date(2016, 1, 1)
HORIZON = dt.date(2036, 12, 31)  # static structure is planned to here, independent of until
KMAX = 5  # at most this many deltakelser per person
NIGHT_RATE = 0.015  # share of timestamps at 22:30–23:59 UTC
FAULT_NO_START = 0.005
FAULT_SLUTT_BEFORE_START = 0.003
FAULT_UNKNOWN_GJENNOMFORING = 0.003
FAULT_LATE_REGISTRATION = 0.03
FAULT_RETRO_STATUS = 0.03
