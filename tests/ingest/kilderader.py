"""Hand-made raw NAV source rows for the source-layer tests, written into a real DuckDB warehouse
in the shape kilder.yaml declares (one schema per source, the real table and column names)."""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from pathlib import Path

import duckdb

from metrikk.kilder import Kilder, lag_kildetabeller, les_kilder
from metrikk.settings import DEVELOPMENT_PSEUDONYM_KEY, Settings
from metrikk.warehouse import ensure_warehouse, qualified


def hmac_of(ident: str, key: str = DEVELOPMENT_PSEUDONYM_KEY) -> str:
    """The person key metrikk must give: Python's HMAC-SHA256 of the ident with the run's key."""
    return hmac.new(key.encode(), ident.encode(), hashlib.sha256).hexdigest()


class Kilderader:
    """Rows per raw table (`kilde.tabell` of kilder.yaml); columns left out are NULL."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], list[dict]] = defaultdict(list)

    def add(self, _kilde: str, _tabell: str, /, **values: object) -> None:
        self.rows[(_kilde, _tabell)].append(values)

    def write(
        self, warehouse: Path, kilder: Kilder | None = None, *, skip: tuple[str, ...] = ()
    ) -> Kilder:
        """Create every declared raw table (except `skip`, as 'kilde.tabell') and insert the rows."""
        kilder = kilder or les_kilder(Settings(warehouse=warehouse))
        ensure_warehouse(warehouse)
        con = duckdb.connect(str(warehouse))
        try:
            con.execute("SET TimeZone = 'UTC'")
            present = type(kilder)(
                kilder.fil,
                {
                    k: type(src)(
                        src.navn,
                        src.eier,
                        src.prosjekt,
                        src.datasett,
                        {n: t for n, t in src.tabeller.items() if f"{k}.{n}" not in skip},
                    )
                    for k, src in kilder.kilder.items()
                },
            )
            lag_kildetabeller(con, present)
            for (kilde, tabell), rows in self.rows.items():
                if f"{kilde}.{tabell}" in skip:
                    continue
                t = kilder.tabell(kilde, tabell)
                cols = [c for c, _ in t.kolonner]
                unknown = {k for r in rows for k in r} - set(cols)
                assert not unknown, f"{kilde}.{tabell}: unknown columns {unknown}"
                con.executemany(
                    f"INSERT INTO {qualified(t.datasett, t.navn)} ({', '.join(cols)}) "
                    f"VALUES ({', '.join('?' for _ in cols)})",
                    [[r.get(c) for c in cols] for r in rows],
                )
        finally:
            con.close()
        return kilder
