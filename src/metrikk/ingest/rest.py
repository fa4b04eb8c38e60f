"""The source side of the REST ingests (`ingest veiledergrupper --fra-api`, `ingest norg2`):
one JSON GET with a timeout, bounded retries with backoff, and a bokmål message for every way
it can fail.

- Retried (a later attempt may succeed): HTTP 429, 500, 502, 503 and 504, a timeout, a refused
  or dropped connection. `HttpPolicy.attempts` attempts in all, pausing `backoff`, then twice
  that, and so on, between them.
- Not retried (the same request gets the same answer): every other HTTP status (400, 401, 403,
  404, …), a redirect (never followed, so a bearer token is never sent to another host), a body
  that is not JSON, or one larger than `MAX_BYTES`.

The caller decides what a status means for it (`RestError.status`), and adds the context (which
enhet, which option). No message shows a request header, so a token never reaches a log.
Standard library only: the production image has no HTTP client library beyond it.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from metrikk.ingest.errors import IngestError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_BYTES = 64 * 1024 * 1024  # far above Norg2's whole organisation (a few MB)
_CHUNK = 64 * 1024

_REASONS = {
    400: "ugyldig forespørsel",
    401: "ikke autentisert",
    403: "ingen tilgang",
    404: "finnes ikke",
    429: "for mange forespørsler",
    500: "intern feil i tjenesten",
    502: "feil i mellomleddet",
    503: "tjenesten er utilgjengelig",
    504: "tidsavbrudd i mellomleddet",
}


@dataclass(frozen=True)
class HttpPolicy:
    """How long one request may take and how often a failed one is tried again."""

    timeout: float = 30.0  # seconds per attempt, connecting and reading included
    attempts: int = 3  # attempts in all, for failures that a later attempt may not have
    backoff: float = 1.0  # seconds before the second attempt; doubled before each later one


DEFAULT_POLICY = HttpPolicy()


class RestError(IngestError):
    """A GET that failed; `status` is the HTTP status (None: no HTTP answer), `body` the start
    of the answer's body, `attempts` how many attempts were made."""

    def __init__(
        self, message: str, *, status: int | None = None, body: str = "", attempts: int = 1
    ):
        super().__init__(message)
        self.status = status
        self.body = body
        self.attempts = attempts


class _Retryable(Exception):
    def __init__(self, message: str, status: int | None = None, body: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003 - urllib's signature
        return None  # the 3xx then surfaces as an HTTPError


_OPENER = urllib.request.build_opener(_NoRedirect)


def _excerpt(raw: bytes) -> str:
    text = raw[:2000].decode("utf-8", "replace")
    return " ".join(text.split())[:200]


def _read(response, deadline: float, timeout: float, what: str) -> bytes:
    """The whole body, within the time left and MAX_BYTES."""
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise _Retryable(f"{what} svarte ikke ferdig innen {timeout:g} s")
        chunk = response.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BYTES:
            raise RestError(f"{what} svarte med mer enn {MAX_BYTES // (1024 * 1024)} MB; avbrutt.")
        chunks.append(chunk)


def _get_once(url: str, headers: Mapping[str, str], timeout: float, what: str) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json", **headers})
    deadline = time.monotonic() + timeout
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            raw = _read(response, deadline, timeout, what)
    except urllib.error.HTTPError as e:
        try:
            body = _excerpt(e.read())
        except Exception:  # noqa: BLE001 - the status alone is enough
            body = ""
        reason = _REASONS.get(
            e.code, "omdirigering, som ikke følges" if 300 <= e.code < 400 else ""
        )
        message = f"{what} svarte HTTP {e.code}" + (f" ({reason})" if reason else "")
        if body:
            message += f": «{body}»"
        if e.code in RETRY_STATUSES:
            raise _Retryable(message, e.code, body) from None
        raise RestError(message, status=e.code, body=body) from None
    except urllib.error.URLError as e:
        if isinstance(e.reason, TimeoutError | socket.timeout):
            raise _Retryable(f"{what} svarte ikke innen {timeout:g} s") from None
        raise _Retryable(f"får ikke kontakt med {what}: {e.reason}") from None
    except TimeoutError:
        raise _Retryable(f"{what} svarte ikke innen {timeout:g} s") from None
    except (http.client.HTTPException, ConnectionError) as e:
        raise _Retryable(f"forbindelsen til {what} ble brutt: {type(e).__name__}") from None
    except ValueError as e:  # an URL urllib cannot use
        raise RestError(f"Ugyldig adresse «{url}»: {e}") from None
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        where = (
            f" (linje {e.lineno}, kolonne {e.colno})" if isinstance(e, json.JSONDecodeError) else ""
        )
        raise RestError(
            f"{what} svarte med noe som ikke er gyldig JSON{where}: «{_excerpt(raw)}»"
        ) from None


def get_json(
    url: str,
    *,
    what: str,
    headers: Mapping[str, str] | None = None,
    policy: HttpPolicy = DEFAULT_POLICY,
    sleep: Callable[[float], None] = time.sleep,
) -> Any:
    """GET `url` and return its parsed JSON body; RestError (bokmål, naming `what`) otherwise.

    `what` names the service and URL in messages (e.g. "veilarbfilter (https://…)"); `headers`
    are sent but never shown.
    """
    headers = dict(headers or {})
    last: _Retryable | None = None
    for attempt in range(1, policy.attempts + 1):
        try:
            return _get_once(url, headers, policy.timeout, what)
        except _Retryable as e:
            last = e
            if attempt < policy.attempts:
                sleep(policy.backoff * 2 ** (attempt - 1))
        except RestError as e:
            e.attempts = attempt
            raise
    assert last is not None
    tries = "ett forsøk" if policy.attempts == 1 else f"{policy.attempts} forsøk"
    raise RestError(
        f"{last.message} (ga opp etter {tries})",
        status=last.status,
        body=last.body,
        attempts=policy.attempts,
    )


def json_kind(value: Any) -> str:
    """What a JSON value is, for a message (bokmål): «null», «tallet 3», «teksten «…»», …"""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "en sannhetsverdi"
    if isinstance(value, int | float):
        return f"tallet {value}"
    if isinstance(value, str):
        return f"teksten «{value[:40]}»"
    return "en liste" if isinstance(value, list) else "et JSON-objekt"
