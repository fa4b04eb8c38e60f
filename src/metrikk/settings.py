"""Where metrikk reads its settings from: command-line options first, then the environment.

Every environment variable metrikk uses is read (and, for `serve`'s worker processes, written) here
and nowhere else."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from metrikk.pseudonym import DEFAULT_KEY_TABLE

DEFAULT_WAREHOUSE = Path("metrikk.duckdb")
DEVELOPMENT_PSEUDONYM_KEY = "metrikk-utvikling-ikke-hemmelig"

# `metrikk serve`: limits per request and the login check (docs/web.md, docs/production.md).
DEFAULT_TIDSGRENSE = 30.0  # seconds one request may take before its queries are interrupted
DEFAULT_MAKS_RADER = 100_000  # rows (or zero-filled combinations) per response and per export
DEFAULT_MAKS_EKSPORTER = 2  # CSV/Excel exports built at the same time, per server process
AUTH_MODES = ("auto", "entra", "av")


class SettingsError(ValueError):
    """A setting that cannot be used; the message is for a person (bokmål)."""


def _positive(env: Mapping[str, str], name: str, default, kind, problems: list[str]):
    """A number > 0 from `env[name]`, or `default`; a bad value is noted in `problems`."""
    text = env.get(name)
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        problems.append(f"{name}: «{text}» er ikke et tall.")
        return default
    if not value > 0 or value != value or value == float("inf"):
        problems.append(f"{name} må være et tall større enn 0 (er «{text}»).")
        return default
    return value


@dataclass(frozen=True)
class Settings:
    """Settings for one invocation. Build with `Settings.from_env()` and override with `replace`."""

    warehouse: Path = DEFAULT_WAREHOUSE
    target: str = "duckdb"  # duckdb | bigquery
    project: str | None = None  # BigQuery project when target is bigquery
    state_dsn: str | None = (
        None  # PostgreSQL DSN for SQLMesh state (any target); None = in the warehouse
    )
    # The secret HMAC key; never shown in a repr (tracebacks, logs). See metrikk.pseudonym.
    pseudonym_key: str | None = field(default=None, repr=False)
    pseudonym_key_table: str = DEFAULT_KEY_TABLE  # BigQuery: dataset.table holding the padded keys
    duckdb_memory_limit: str | None = None  # e.g. "2GB"; default per domain (see run.py)
    # Where the real NAV sources are (docs/kilder.md): a kilder.yaml replacing the packaged one
    # (METRIKK_KILDER), and per-source overrides METRIKK_KILDE_<KILDE>_PROSJEKT / _DATASETT as
    # (env variable, kilde, "prosjekt" | "datasett", value), validated by `metrikk.kilder`.
    kilder_fil: Path | None = None
    kilde_steder: tuple[tuple[str, str, str, str], ...] = ()
    # `metrikk serve` (docs/web.md "Limits", docs/production.md "Authentication")
    tidsgrense: float = DEFAULT_TIDSGRENSE
    maks_rader: int = DEFAULT_MAKS_RADER
    maks_eksporter: int = DEFAULT_MAKS_EKSPORTER
    auth: str = "auto"  # auto: on when the introspection endpoint is set | entra | av
    introspection_endpoint: str | None = None  # NAIS_TOKEN_INTROSPECTION_ENDPOINT (Texas)
    # `metrikk ingest veiledergrupper` / `ingest norg2` (docs/production.md «Veiledergrupper og
    # Norg2»): where veilarbfilter and Norg2 are, and the person's token for veilarbfilter's API.
    veilarbfilter_url: str | None = None  # METRIKK_VEILARBFILTER_URL, for --fra-api
    veilarbfilter_dsn: str | None = field(default=None, repr=False)  # METRIKK_VEILARBFILTER_DSN
    veilarbfilter_token: str | None = field(default=None, repr=False)  # METRIKK_VEILARBFILTER_TOKEN
    norg2_url: str | None = None  # METRIKK_NORG2_URL
    # Environment values that could not be read; `serve` refuses to start with them (the other
    # commands do not use these settings, so a bad value must not stop them).
    problems: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        problems: list[str] = []
        return cls(
            warehouse=Path(env.get("METRIKK_WAREHOUSE") or DEFAULT_WAREHOUSE),
            target=env.get("METRIKK_TARGET") or "duckdb",
            project=env.get("METRIKK_PROJECT") or None,
            state_dsn=env.get("METRIKK_STATE_DSN") or None,
            pseudonym_key=env.get("METRIKK_PSEUDONYM_KEY") or None,
            pseudonym_key_table=env.get("METRIKK_PSEUDONYM_KEY_TABLE") or DEFAULT_KEY_TABLE,
            duckdb_memory_limit=env.get("METRIKK_DUCKDB_MEMORY_LIMIT") or None,
            kilder_fil=Path(env["METRIKK_KILDER"]) if env.get("METRIKK_KILDER") else None,
            kilde_steder=kilde_steder_from_env(env),
            tidsgrense=_positive(env, "METRIKK_TIDSGRENSE", DEFAULT_TIDSGRENSE, float, problems),
            maks_rader=_positive(env, "METRIKK_MAKS_RADER", DEFAULT_MAKS_RADER, int, problems),
            maks_eksporter=_positive(
                env, "METRIKK_MAKS_EKSPORTER", DEFAULT_MAKS_EKSPORTER, int, problems
            ),
            auth=(env.get("METRIKK_AUTH") or "auto").strip().lower(),
            introspection_endpoint=env.get("NAIS_TOKEN_INTROSPECTION_ENDPOINT") or None,
            veilarbfilter_url=env.get("METRIKK_VEILARBFILTER_URL") or None,
            veilarbfilter_dsn=env.get("METRIKK_VEILARBFILTER_DSN") or None,
            veilarbfilter_token=env.get("METRIKK_VEILARBFILTER_TOKEN") or None,
            norg2_url=env.get("METRIKK_NORG2_URL") or None,
            problems=tuple(problems),
        )

    def with_overrides(self, **overrides: object) -> Settings:
        """Return a copy with every override that is not None applied (a bad environment value
        that an option replaces is no longer a problem)."""
        given = {k: v for k, v in overrides.items() if v is not None}
        replaced = tuple(f"METRIKK_{k.upper()}" for k in given)
        problems = tuple(p for p in self.problems if not p.startswith(replaced))
        return replace(self, **given, problems=problems)

    def check_serve(self) -> None:
        """Raise SettingsError if the settings `serve` uses cannot be used as they are."""
        if self.problems:
            raise SettingsError(" ".join(self.problems))
        self.auth_enabled  # noqa: B018 - validates the login settings

    @property
    def auth_enabled(self) -> bool:
        """Whether `serve` demands a token checked by the platform's introspection endpoint.

        `auto` turns it on exactly when NAIS has set the endpoint (docs/production.md).
        """
        if self.auth not in AUTH_MODES:
            raise SettingsError(
                f"Ukjent innloggingsvalg «{self.auth}» (METRIKK_AUTH / --auth): bruk "
                f"{', '.join(AUTH_MODES)}."
            )
        if self.auth == "entra" and not self.introspection_endpoint:
            raise SettingsError(
                "Innlogging med Entra ID (--auth entra) krever NAIS_TOKEN_INTROSPECTION_ENDPOINT, "
                "adressen til plattformens token-introspeksjon (Texas)."
            )
        return self.auth == "entra" or (self.auth == "auto" and bool(self.introspection_endpoint))

    @property
    def uses_development_key(self) -> bool:
        return self.pseudonym_key is None

    @property
    def effective_pseudonym_key(self) -> str:
        return self.pseudonym_key or DEVELOPMENT_PSEUDONYM_KEY


def min_antall_env() -> str | None:
    """METRIKK_MIN_ANTALL as written: the K of `serve`'s suppression when --min-antall is not
    given (`metrikk.web.suppression.parse_k` reads it)."""
    return os.environ.get("METRIKK_MIN_ANTALL")


def sqlmesh_cache_env() -> Path | None:
    """METRIKK_SQLMESH_CACHE: one folder for SQLMesh's cache, shared by every warehouse (the tests
    set it, so a fresh warehouse does not parse the whole project again). Unset, each warehouse
    keeps its cache beside it (metrikk.pipeline.config.cache_dir_for)."""
    value = os.environ.get("METRIKK_SQLMESH_CACHE")
    return Path(value) if value else None


def web_indeks_enabled() -> bool:
    """METRIKK_WEB_INDEKS=0 turns the web app's in-memory indexes off (read on every call)."""
    return os.environ.get("METRIKK_WEB_INDEKS", "1") != "0"


def hand_to_workers(settings: Settings, min_antall: int | None) -> None:
    """Put the settings `serve` uses into the environment, where uvicorn's worker processes
    (which import the app by name) read them back with `Settings.from_env()`."""
    os.environ["METRIKK_WAREHOUSE"] = str(settings.warehouse)
    os.environ["METRIKK_TIDSGRENSE"] = repr(settings.tidsgrense)
    os.environ["METRIKK_MAKS_RADER"] = str(settings.maks_rader)
    os.environ["METRIKK_MAKS_EKSPORTER"] = str(settings.maks_eksporter)
    os.environ["METRIKK_AUTH"] = settings.auth
    if settings.introspection_endpoint:
        os.environ["NAIS_TOKEN_INTROSPECTION_ENDPOINT"] = settings.introspection_endpoint
    if min_antall:
        os.environ["METRIKK_MIN_ANTALL"] = str(min_antall)
    else:
        os.environ.pop("METRIKK_MIN_ANTALL", None)


_KILDE_STED = re.compile(r"METRIKK_KILDE_([A-Z0-9_]+)_(PROSJEKT|DATASETT)")


def kilde_steder_from_env(env) -> tuple[tuple[str, str, str, str], ...]:
    """Every METRIKK_KILDE_<KILDE>_PROSJEKT / _DATASETT that is set, sorted by variable name:
    (variable, kilde in lower case, "prosjekt" | "datasett", value)."""
    found = []
    for name in sorted(env):
        match = _KILDE_STED.fullmatch(name)
        if match and env[name]:
            found.append((name, match.group(1).lower(), match.group(2).lower(), env[name]))
    return tuple(found)
