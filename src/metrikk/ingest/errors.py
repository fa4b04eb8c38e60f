"""The error of `metrikk ingest` and the rule that keeps a DSN's password out of every message.

`IngestError` carries a bokmål message that is safe to show. Only `redact(dsn)` is ever shown of
a DSN, and `scrub` removes the DSN and its password from a driver's message.
"""

from __future__ import annotations


class IngestError(Exception):
    """An ingest that cannot be done; the message is bokmål and safe to show (no password)."""


def redact(dsn: str) -> str:
    """The DSN as it may be shown: user, host, port and database, never the password."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(dsn)
    except Exception:  # noqa: BLE001 - an unparsable DSN is shown as nothing at all
        return "(ugyldig tilkoblingsstreng)"
    user = parts.get("user")
    host = parts.get("host") or "localhost"
    port = parts.get("port") or "5432"
    dbname = parts.get("dbname") or user or ""
    return f"postgresql://{user + '@' if user else ''}{host}:{port}/{dbname}"


def scrub(message: str, dsn: str) -> str:
    """Remove the DSN and its password (plain or percent-encoded) from a driver message."""
    from urllib.parse import quote as urlquote

    from psycopg.conninfo import conninfo_to_dict

    try:
        password = conninfo_to_dict(dsn).get("password")
    except Exception:  # noqa: BLE001
        password = None
    message = message.replace(dsn, redact(dsn))
    if password:
        for form in {str(password), urlquote(str(password), safe="")}:
            message = message.replace(form, "***")
    return message
