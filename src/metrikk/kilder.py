"""Where NAV's real source tables are: `pipeline/kilder.yaml`, a deployment's file and env overrides.

`pipeline/kilder.yaml` is the single declaration of the raw tables behind `tiltak_bronze`: per
source system its owner, its location (`prosjekt`, `datasett`) and the raw tables metrikk reads,
with their real column names and BigQuery types. The tiltak_kilde models read these tables only
through `@kilde('<kilde>', '<tabell>')` (`pipeline/macros/kilde.py`), which renders the location
handed to SQLMesh as the variable `kilder` (`variables()` below, set in `pipeline/config.py`).

A deployment points at its own locations (docs/kilder.md, docs/production.md):

- `METRIKK_KILDER=/path/kilder.yaml` replaces the packaged file. It has the same shape and must
  name every source; a table it leaves out keeps the packaged declaration, a table it lists
  must have at least the packaged columns with the same types, may be renamed with the key
  `tabell: <real name>`, and may be `null`: not available to this deployment (its kilde model
  then reads no rows and `metrikk ingest kilder` says so).
- `METRIKK_KILDE_<KILDE>_PROSJEKT` / `METRIKK_KILDE_<KILDE>_DATASETT` override one source's
  project or dataset (read in `metrikk.settings`, like every environment variable).

Locally (DuckDB) `datasett` is the schema and `prosjekt` is ignored; on BigQuery a table is
`prosjekt.datasett.tabell` (or `datasett.tabell` in the job's project when `prosjekt` is null).
Every problem is a `KildeFeil` with a bokmål message naming the file, source, table and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from metrikk.catalog import PIPELINE_DIR

if TYPE_CHECKING:
    import duckdb

    from metrikk.settings import Settings

DEKLARASJON = PIPELINE_DIR / "kilder.yaml"

# BigQuery type in kilder.yaml -> DuckDB type of the local raw column. DATETIME is BigQuery's
# zone-less civil time (Datastream's landing of a Postgres `timestamp without time zone`); locally
# it is a TIMESTAMP holding the same wall-clock time, never shifted.
DUCKDB_TYPER = {
    "STRING": "VARCHAR",
    "INT64": "BIGINT",
    "FLOAT64": "DOUBLE",
    "BOOL": "BOOLEAN",
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP",
    "DATETIME": "TIMESTAMP",
}

_NAVN = re.compile(r"[a-z][a-z0-9_]*")  # a source's key in kilder.yaml
_DATASETT = re.compile(r"[A-Za-z0-9_]{1,1024}")  # BigQuery dataset names (may start with a digit)
_PROSJEKT = re.compile(r"[a-z][a-z0-9-]{4,61}[a-z0-9]")  # BigQuery project ids
_TABELL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,1023}")
_KOLONNE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KILDE_NOKLER = {"eier", "prosjekt", "datasett", "tabeller"}


class KildeFeil(Exception):
    """A kilder.yaml or an override that cannot be used; the message is bokmål."""


@dataclass(frozen=True)
class KildeTabell:
    """One raw table as metrikk reads it: `tabell` is metrikk's name for it (the key in
    kilder.yaml), `navn` the real table or view name, None when not available here."""

    kilde: str
    tabell: str
    navn: str | None
    prosjekt: str | None
    datasett: str
    kolonner: tuple[tuple[str, str], ...]  # (column, BigQuery type) as declared

    @property
    def tilgjengelig(self) -> bool:
        return self.navn is not None

    @property
    def navn_i_kilder(self) -> str:
        """'kilde.tabell', as a person finds it in kilder.yaml."""
        return f"{self.kilde}.{self.tabell}"

    def sted(self, motor: str) -> str:
        """Where the table is, for a message: 'datasett.navn' (DuckDB) or with the project (BigQuery)."""
        navn = self.navn or self.tabell
        if motor == "bigquery" and self.prosjekt:
            return f"{self.prosjekt}.{self.datasett}.{navn}"
        return f"{self.datasett}.{navn}"

    def duckdb_kolonner(self) -> list[tuple[str, str]]:
        return [(c, DUCKDB_TYPER[t]) for c, t in self.kolonner]


@dataclass(frozen=True)
class Kilde:
    navn: str
    eier: str
    prosjekt: str | None
    datasett: str
    tabeller: dict[str, KildeTabell] = field(default_factory=dict)


@dataclass(frozen=True)
class Kilder:
    fil: Path
    kilder: dict[str, Kilde]

    def tabell(self, kilde: str, tabell: str) -> KildeTabell:
        try:
            return self.kilder[kilde].tabeller[tabell]
        except KeyError:
            raise KildeFeil(f"{self.fil}: kilden {kilde}.{tabell} er ikke deklarert.") from None

    def tabeller(self) -> list[KildeTabell]:
        return [t for k in self.kilder.values() for t in k.tabeller.values()]

    def ved_sted(self, datasett: str, navn: str) -> KildeTabell | None:
        """The declared table at `datasett.navn` (case-insensitive), if any."""
        for t in self.tabeller():
            if t.navn and t.datasett.lower() == datasett.lower() and t.navn.lower() == navn.lower():
                return t
        return None

    def variabler(self) -> dict[str, Any]:
        """The SQLMesh variable `kilder`: {kilde: {prosjekt, datasett, tabeller: {tabell: {navn,
        kolonner}}}}, what `@kilde` renders from."""
        return {
            k.navn: {
                "prosjekt": k.prosjekt,
                "datasett": k.datasett,
                "tabeller": {
                    t.tabell: {"navn": t.navn, "kolonner": dict(t.kolonner)}
                    for t in k.tabeller.values()
                },
            }
            for k in self.kilder.values()
        }


def _les_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KildeFeil(f"Fant ikke kildefilen {path} (METRIKK_KILDER).") from None
    except OSError as e:
        raise KildeFeil(f"Kunne ikke lese kildefilen {path}: {e.strerror}.") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        where = getattr(e, "problem_mark", None)
        line = f", linje {where.line + 1}" if where is not None else ""
        raise KildeFeil(f"{path}{line}: er ikke gyldig YAML.") from None
    if not isinstance(data, dict) or not data:
        raise KildeFeil(f"{path}: forventet én oppføring per kilde (f.eks. valp:, amt_deltaker:).")
    return data


def _kolonner(path: Path, kilde: str, tabell: str, spec: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(spec, dict) or not spec:
        raise KildeFeil(f"{path}: {kilde}.{tabell} må ha kolonner med typer (kolonne: TYPE).")
    cols = []
    for col, typ in spec.items():
        if col == "tabell":
            continue
        if not isinstance(col, str) or not _KOLONNE.fullmatch(col):
            raise KildeFeil(f"{path}: {kilde}.{tabell} har et ugyldig kolonnenavn «{col}».")
        t = str(typ).upper() if typ is not None else ""
        if t not in DUCKDB_TYPER:
            raise KildeFeil(
                f"{path}: {kilde}.{tabell}, kolonne {col}: ukjent type «{typ}». "
                f"Gyldige typer: {', '.join(DUCKDB_TYPER)}."
            )
        cols.append((col, t))
    if not cols:
        raise KildeFeil(f"{path}: {kilde}.{tabell} må ha kolonner med typer (kolonne: TYPE).")
    return tuple(cols)


def _valgfritt(
    path: Path, kilde: str, key: str, value: Any, pattern: re.Pattern, what: str
) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise KildeFeil(f"{path}: {kilde}.{key} «{value}» er ikke et gyldig {what}.")
    return value


def les_deklarasjon(path: Path = DEKLARASJON) -> dict[str, Kilde]:
    """The packaged declaration (or a file in its shape): every source, table and column."""
    data = _les_yaml(path)
    kilder: dict[str, Kilde] = {}
    for navn, spec in data.items():
        kilder[navn] = _les_kilde(path, navn, spec, None)
    return kilder


def _les_kilde(path: Path, navn: Any, spec: Any, pakket: Kilde | None) -> Kilde:
    if not isinstance(navn, str) or not _NAVN.fullmatch(navn):
        raise KildeFeil(f"{path}: «{navn}» er ikke et gyldig kildenavn (små bokstaver, tall og _).")
    if not isinstance(spec, dict):
        raise KildeFeil(f"{path}: kilden {navn} må ha prosjekt, datasett og tabeller.")
    ukjent = set(spec) - _KILDE_NOKLER
    if ukjent:
        raise KildeFeil(
            f"{path}: kilden {navn} har ukjente nøkler {', '.join(sorted(map(str, ukjent)))} "
            f"(gyldige: {', '.join(sorted(_KILDE_NOKLER))})."
        )
    prosjekt = _valgfritt(
        path, navn, "prosjekt", spec.get("prosjekt"), _PROSJEKT, "BigQuery-prosjekt"
    )
    datasett = _valgfritt(path, navn, "datasett", spec.get("datasett"), _DATASETT, "datasettnavn")
    if datasett is None:
        raise KildeFeil(f"{path}: kilden {navn} mangler datasett.")
    eier = str(spec.get("eier") or (pakket.eier if pakket else ""))
    tabeller_spec = spec.get("tabeller")
    if pakket is None:
        if not isinstance(tabeller_spec, dict) or not tabeller_spec:
            raise KildeFeil(f"{path}: kilden {navn} mangler tabeller.")
    elif tabeller_spec is None:
        tabeller_spec = {}
    elif not isinstance(tabeller_spec, dict):
        raise KildeFeil(
            f"{path}: tabeller under kilden {navn} må være en liste av tabell: kolonner."
        )

    tabeller: dict[str, KildeTabell] = {}
    if pakket is None:
        for tabell, cols in tabeller_spec.items():
            _sjekk_tabellnavn(path, navn, tabell)
            tabeller[tabell] = KildeTabell(
                navn,
                tabell,
                _omdopt(path, navn, tabell, cols) or tabell,
                prosjekt,
                datasett,
                _kolonner(path, navn, tabell, cols),
            )
        return Kilde(navn, eier, prosjekt, datasett, tabeller)

    ukjente = set(tabeller_spec) - set(pakket.tabeller)
    if ukjente:
        raise KildeFeil(
            f"{path}: kilden {navn} har tabeller metrikk ikke leser: {', '.join(sorted(map(str, ukjente)))} "
            f"(kjente: {', '.join(pakket.tabeller)})."
        )
    for tabell, pk in pakket.tabeller.items():
        if tabell not in tabeller_spec:
            tabeller[tabell] = KildeTabell(navn, tabell, tabell, prosjekt, datasett, pk.kolonner)
            continue
        cols = tabeller_spec[tabell]
        if cols is None:
            tabeller[tabell] = KildeTabell(navn, tabell, None, prosjekt, datasett, pk.kolonner)
            continue
        if isinstance(cols, str) or (isinstance(cols, dict) and set(cols) == {"tabell"}):
            real = (
                cols if isinstance(cols, str) else cols["tabell"]
            )  # a rename, columns as packaged
            _sjekk_real(path, navn, tabell, real)
            tabeller[tabell] = KildeTabell(navn, tabell, real, prosjekt, datasett, pk.kolonner)
            continue
        declared = dict(_kolonner(path, navn, tabell, cols))
        for col, typ in pk.kolonner:
            if col not in declared:
                raise KildeFeil(
                    f"{path}: {navn}.{tabell} mangler kolonnen {col} ({typ}), som metrikk leser."
                )
            if declared[col] != typ:
                raise KildeFeil(
                    f"{path}: {navn}.{tabell}, kolonne {col}: typen er {declared[col]}, "
                    f"men metrikk leser den som {typ}."
                )
        tabeller[tabell] = KildeTabell(
            navn,
            tabell,
            _omdopt(path, navn, tabell, cols) or tabell,
            prosjekt,
            datasett,
            pk.kolonner,
        )
    return Kilde(navn, eier, prosjekt, datasett, tabeller)


def _sjekk_tabellnavn(path: Path, kilde: str, tabell: Any) -> None:
    if not isinstance(tabell, str) or not _KOLONNE.fullmatch(tabell):
        raise KildeFeil(f"{path}: kilden {kilde} har et ugyldig tabellnavn «{tabell}».")


def _sjekk_real(path: Path, kilde: str, tabell: str, real: Any) -> None:
    if not isinstance(real, str) or not _TABELL.fullmatch(real):
        raise KildeFeil(f"{path}: {kilde}.{tabell}: «{real}» er ikke et gyldig tabellnavn.")


def _omdopt(path: Path, kilde: str, tabell: str, cols: Any) -> str | None:
    if isinstance(cols, dict) and "tabell" in cols:
        _sjekk_real(path, kilde, tabell, cols["tabell"])
        return cols["tabell"]
    return None


def les_kilder(settings: Settings) -> Kilder:
    """The source locations for these settings: the packaged declaration, replaced by the file
    METRIKK_KILDER names (if any), then the METRIKK_KILDE_<KILDE>_* overrides."""
    pakket = les_deklarasjon(DEKLARASJON)
    fil = DEKLARASJON
    kilder = pakket
    if settings.kilder_fil is not None:
        fil = Path(settings.kilder_fil)
        data = _les_yaml(fil)
        kilder = {}
        for navn, spec in data.items():
            if navn not in pakket:
                raise KildeFeil(
                    f"{fil}: ukjent kilde «{navn}». Kjente kilder: {', '.join(pakket)}."
                )
            kilder[navn] = _les_kilde(fil, navn, spec, pakket[navn])
        mangler = [k for k in pakket if k not in kilder]
        if mangler:
            raise KildeFeil(
                f"{fil}: mangler kildene {', '.join(mangler)}. Hver kilde må stå i filen "
                f"(sett en tabell til null hvis den ikke er tilgjengelig)."
            )
    for variabel, kilde, felt, verdi in settings.kilde_steder:
        if kilde not in kilder:
            raise KildeFeil(
                f"Miljøvariabelen {variabel} nevner en ukjent kilde «{kilde}». "
                f"Kjente kilder: {', '.join(k.upper() for k in kilder)}."
            )
        k = kilder[kilde]
        pattern, what = (
            (_PROSJEKT, "BigQuery-prosjekt") if felt == "prosjekt" else (_DATASETT, "datasettnavn")
        )
        if not pattern.fullmatch(verdi):
            raise KildeFeil(f"Miljøvariabelen {variabel}: «{verdi}» er ikke et gyldig {what}.")
        prosjekt = verdi if felt == "prosjekt" else k.prosjekt
        datasett = verdi if felt == "datasett" else k.datasett
        kilder[kilde] = Kilde(
            k.navn,
            k.eier,
            prosjekt,
            datasett,
            {
                n: KildeTabell(t.kilde, t.tabell, t.navn, prosjekt, datasett, t.kolonner)
                for n, t in k.tabeller.items()
            },
        )
    return Kilder(fil, kilder)


def lag_kildetabeller(con: duckdb.DuckDBPyConnection, kilder: Kilder) -> None:
    """Create every available raw table (and its schema) in a DuckDB warehouse, empty, if missing.

    For tests and the synthetic generator: locally the raw sources are DuckDB schemas named by
    `datasett`, with the declared columns (DATETIME as a TIMESTAMP holding wall-clock time).
    """
    # lazy: keep this module light (no DuckDB)
    from metrikk.warehouse import qualified, quote

    for t in kilder.tabeller():
        if not t.tilgjengelig:
            continue
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote(t.datasett)}")
        cols = ", ".join(f"{quote(c)} {typ}" for c, typ in t.duckdb_kolonner())
        con.execute(f"CREATE TABLE IF NOT EXISTS {qualified(t.datasett, t.navn)} ({cols})")
