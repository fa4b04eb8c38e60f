"""veilarbfilter, read: the veiledergrupper of each enhet, by its REST API or its database, and
the shape a group must have. `metrikk ingest veiledergrupper` (ingest/veiledergrupper.py) writes
what these read.

- `ApiSource`: veilarbfilter's REST API, `GET {base}/api/enhet/{enhetId}` with a bearer token.
  veilarbfilter checks the token's `oid` against poao-tilgang for that enhet, so only a person's
  token (on-behalf-of) with access to the enhet works: a machine token gets 403, or 400 «Id is
  missing from subject» without an `oid`. Suited to a run a person starts.
- `DatabaseSource`: veilarbfilter's PostgreSQL tables `filter` and `veiledergrupperfilter`, read
  in one read-only transaction. The production path for the daily job, where veilarbfilter
  grants read access.

Members are `filterValg.veiledere` (`valgte_filter->'veiledere'`), trimmed and upper-cased; a
group or a veileder listed twice gives one row. A missing or null `veiledere` is an empty list,
as veilarbfilter reads its own filters (`PortefoljeFilter`: `Nulls.AS_EMPTY`); any other
non-list, or a member that is not a non-blank string, fails the enhet.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from metrikk.ingest.errors import IngestError, redact, scrub
from metrikk.ingest.rest import DEFAULT_POLICY, HttpPolicy, RestError, get_json, json_kind

if TYPE_CHECKING:
    pass


# --------------------------------------------------------------------------------------------
# The groups of one enhet, and the shape they must have


@dataclass(frozen=True)
class Group:
    gruppe_id: str
    gruppe_navn: str
    veiledere: tuple[str, ...]


class ShapeError(ValueError):
    """The answer for one enhet does not have the documented shape (bokmål message)."""


def _sentence(e: Exception) -> str:
    text = str(e)
    return text[:1].upper() + text[1:]


def members(valg: Any, where: str, key: str) -> tuple[str, ...]:
    """The veileder idents of one filter's selections (`filterValg` / `valgte_filter`)."""
    if not isinstance(valg, dict):
        raise ShapeError(f"{where}: {key} er ikke et JSON-objekt (fikk {json_kind(valg)}).")
    veiledere = valg.get("veiledere")
    if veiledere is None:
        return ()  # as veilarbfilter reads it: Nulls.AS_EMPTY, default emptyList()
    if not isinstance(veiledere, list):
        raise ShapeError(
            f"{where}: {key}.veiledere er ikke en liste (fikk {json_kind(veiledere)})."
        )
    out: list[str] = []
    for i, ident in enumerate(veiledere):
        if not isinstance(ident, str) or not ident.strip():
            raise ShapeError(
                f"{where}: {key}.veiledere[{i}] er ikke en NAV-ident (fikk {json_kind(ident)})."
            )
        out.append(ident.strip().upper())
    return tuple(out)


def _group_id(value: Any, where: str, key: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip():
        raise ShapeError(f"{where}: {key} mangler eller er ugyldig (fikk {json_kind(value)}).")
    return str(value).strip()


def _group_name(value: Any, where: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ShapeError(f"{where}: {key} mangler eller er tomt (fikk {json_kind(value)}).")
    return value.strip()


def merged(groups: Iterable[Group]) -> list[Group]:
    """One group per gruppe_id (a group listed twice: the first name, every member once), and
    every member once per group, in the order first seen."""
    by_id: dict[str, Group] = {}
    for g in groups:
        seen = by_id.get(g.gruppe_id)
        veiledere = (seen.veiledere if seen else ()) + g.veiledere
        by_id[g.gruppe_id] = Group(
            g.gruppe_id,
            seen.gruppe_navn if seen else g.gruppe_navn,
            tuple(dict.fromkeys(veiledere)),
        )
    return list(by_id.values())


def parse_api_groups(payload: Any, enhet: str) -> list[Group]:
    """The groups in veilarbfilter's answer to `GET /api/enhet/{enhet}` (documented shape:
    `[{"filterId", "filterNavn", "filterValg": {"veiledere": [...]}, "enhetId", …}]`)."""
    where = f"svaret fra veilarbfilter for enhet {enhet}"
    if not isinstance(payload, list):
        raise ShapeError(
            f"{where} er ikke en liste av veiledergrupper (fikk {json_kind(payload)})."
        )
    groups = []
    for i, item in enumerate(payload, start=1):
        at = f"{where}, gruppe nr. {i}"
        if not isinstance(item, dict):
            raise ShapeError(f"{at} er ikke et JSON-objekt (fikk {json_kind(item)}).")
        gruppe_id = _group_id(item.get("filterId"), at, "filterId")
        at = f"{where}, gruppe {gruppe_id}"
        navn = _group_name(item.get("filterNavn"), at, "filterNavn")
        at = f"{at} («{navn}»)"
        if (
            "enhetId" in item
            and item["enhetId"] is not None
            and str(item["enhetId"]).strip() != enhet
        ):
            raise ShapeError(f"{at} tilhører enhet {item['enhetId']}, ikke {enhet}.")
        if "filterValg" not in item:
            raise ShapeError(f"{at} mangler filterValg.")
        groups.append(Group(gruppe_id, navn, members(item["filterValg"], at, "filterValg")))
    return merged(groups)


# --------------------------------------------------------------------------------------------
# Sources


@dataclass
class Fetched:
    """What a source got for each enhet: its groups, or why it failed (bokmål)."""

    groups: dict[str, list[Group]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


Progress = Callable[[str, int, int], None]  # (enhet, done, total)


class ApiSource:
    """veilarbfilter's REST API with a person's (OBO) token; one GET per enhet."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        policy: HttpPolicy = DEFAULT_POLICY,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not token or not token.strip():
            raise IngestError(
                "Henting fra veilarbfilter-API-et krever et token: sett METRIKK_VEILARBFILTER_TOKEN "
                "til et personlig (OBO-)token for veilarbfilter, utstedt til en som har tilgang "
                "til enhetene."
            )
        token = token.strip()
        self._token = token[7:].strip() if token.lower().startswith("bearer ") else token
        self.base_url = base_url.rstrip("/")
        self.policy = policy
        self.sleep = sleep

    @property
    def description(self) -> str:
        return f"veilarbfilter-API-et {self.base_url}"

    def read(self, enheter: list[str], progress: Progress | None = None) -> Fetched:
        fetched = Fetched()
        for done, enhet in enumerate(enheter, start=1):
            url = f"{self.base_url}/api/enhet/{enhet}"
            try:
                payload = get_json(
                    url,
                    what=f"veilarbfilter ({url})",
                    headers={"Authorization": f"Bearer {self._token}"},
                    policy=self.policy,
                    sleep=self.sleep,
                )
                fetched.groups[enhet] = parse_api_groups(payload, enhet)
            except RestError as e:
                self._job_wide(e)
                fetched.errors[enhet] = f"Enhet {enhet}: {e}{_hint(e.status, enhet)}."
            except ShapeError as e:
                fetched.errors[enhet] = _sentence(e)
            if progress is not None:
                progress(enhet, done, len(enheter))
        return fetched

    def _job_wide(self, e: RestError) -> None:
        """A token problem fails every enhet the same way: stop at once, write nothing."""
        if e.status == 401:
            raise IngestError(
                f"{e}. veilarbfilter godtar ikke tokenet i METRIKK_VEILARBFILTER_TOKEN: det "
                f"mangler, er utløpt eller er utstedt for en annen mottaker enn veilarbfilter."
            )
        if e.status == 400 and "missing from subject" in e.body:
            raise IngestError(
                f"{e}. Tokenet har ingen innlogget person (claim «oid»): veilarbfilter-API-et "
                f"godtar bare et personlig (OBO-)token, ikke et maskintoken. Bruk en person som "
                f"har tilgang til enhetene, eller hent fra veilarbfilters database (--dsn)."
            )


def _hint(status: int | None, enhet: str) -> str:
    if status == 403:
        return (
            f". veilarbfilter sjekker at den innloggede har tilgang til enhet {enhet} "
            f"(poao-tilgang); tokenet må være et personlig (OBO-)token for en med tilgang"
        )
    if status == 404:
        return ". Sjekk adressen i --fra-api (f.eks. https://veilarbfilter.intern.nav.no/veilarbfilter)"
    return ""


_DB_TABLES = {
    "filter": ("filter_id", "filter_navn", "valgte_filter"),
    "veiledergrupperfilter": ("veiledergruppe_filter_id", "enhet_id"),
}

_DB_QUERY = """
    SELECT trim(v.enhet_id), f.filter_id, f.filter_navn, f.valgte_filter::text
    FROM veiledergrupperfilter AS v
    JOIN filter AS f ON f.filter_id = v.veiledergruppe_filter_id
    WHERE trim(v.enhet_id) = ANY(%s)
    ORDER BY 1, 2
"""


class DatabaseSource:
    """veilarbfilter's own PostgreSQL tables, read in one read-only REPEATABLE READ transaction."""

    def __init__(
        self,
        dsn: str,
        *,
        policy: HttpPolicy = DEFAULT_POLICY,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.dsn = dsn
        self.policy = policy
        self.sleep = sleep

    @property
    def description(self) -> str:
        return f"veilarbfilter-databasen {redact(self.dsn)}"

    def _connect(self):
        """A read-only session, connecting again (bounded, with backoff) while it cannot."""
        from metrikk.ingest.postgres import connect_source

        for attempt in range(1, self.policy.attempts + 1):
            try:
                return connect_source(self.dsn)
            except IngestError as e:
                if attempt == self.policy.attempts:
                    raise IngestError(f"{e} (ga opp etter {attempt} forsøk)") from None
                self.sleep(self.policy.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    def read(self, enheter: list[str], progress: Progress | None = None) -> Fetched:
        import psycopg

        con = self._connect()
        try:
            with con.transaction():
                self._check_tables(con)
                rows = con.execute(_DB_QUERY, [list(enheter)]).fetchall()
        except psycopg.Error as e:
            raise IngestError(
                f"Lesing fra veilarbfilter-databasen {redact(self.dsn)} feilet: "
                f"{scrub(str(e).strip(), self.dsn)}"
            ) from None
        finally:
            con.close()
        fetched = Fetched(groups={enhet: [] for enhet in enheter})
        for enhet, filter_id, navn, valgte_filter in rows:
            if enhet in fetched.errors:
                continue
            where = f"enhet {enhet}, filter {filter_id} i tabellen filter"
            try:
                navn = _group_name(navn, where, "filter_navn")
                where = f"{where} («{navn}»)"
                if valgte_filter is None:
                    raise ShapeError(f"{where}: valgte_filter mangler.")
                try:
                    valg = json.loads(valgte_filter)
                except json.JSONDecodeError:
                    raise ShapeError(f"{where}: valgte_filter er ikke gyldig JSON.") from None
                group = Group(str(filter_id), navn, members(valg, where, "valgte_filter"))
            except ShapeError as e:
                fetched.errors[enhet] = _sentence(e)
                del fetched.groups[enhet]
                continue
            fetched.groups[enhet].append(group)
        fetched.groups = {e: merged(g) for e, g in fetched.groups.items()}
        if progress is not None:
            progress("", len(enheter), len(enheter))
        return fetched

    def _check_tables(self, con) -> None:
        for table, needed in _DB_TABLES.items():
            rows = con.execute(
                "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = to_regclass(%s) "
                "AND a.attnum > 0 AND NOT a.attisdropped",
                [table],
            ).fetchall()
            if not rows:
                raise IngestError(
                    f"Tabellen «{table}» finnes ikke i databasen {redact(self.dsn)}. Er dette "
                    f"databasen til veilarbfilter?"
                )
            missing = sorted(set(needed) - {r[0] for r in rows})
            if missing:
                raise IngestError(
                    f"Tabellen «{table}» i databasen {redact(self.dsn)} mangler kolonnene "
                    f"{', '.join(missing)}."
                )
