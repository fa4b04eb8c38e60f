"""`ingest/errors.py`: a DSN shows in messages without its password (no PostgreSQL needed)."""

from __future__ import annotations

import pytest

from metrikk.ingest.errors import redact, scrub


@pytest.mark.parametrize(
    ("dsn", "shown"),
    [
        (
            "postgresql://les:s3cr%40t@db.intern:6543/etterlevelse",
            "postgresql://les@db.intern:6543/etterlevelse",
        ),
        (
            "host=10.0.0.5 port=5432 dbname=polly user=les password=s3cr3t",
            "postgresql://les@10.0.0.5:5432/polly",
        ),
        ("postgresql:///etterlevelse", "postgresql://localhost:5432/etterlevelse"),
        ("ikke en dsn = = =", "(ugyldig tilkoblingsstreng)"),
    ],
)
def test_redact_drops_the_password(dsn, shown):
    """redact() keeps user, host, port and database of any DSN form, never the password."""
    assert redact(dsn) == shown


def test_scrub_removes_password_and_dsn_from_driver_messages():
    """scrub() replaces the password and the full DSN anywhere in a message."""
    dsn = "postgresql://les:hemmelig@db:5432/x"
    message = f"connection to {dsn} failed; password 'hemmelig' rejected"
    scrubbed = scrub(message, dsn)
    assert "hemmelig" not in scrubbed
    assert "postgresql://les@db:5432/x" in scrubbed


def test_scrub_removes_url_encoded_password():
    """A password written percent-encoded in the DSN is scrubbed in both spellings."""
    dsn = "postgresql://les:s3cr%40t@db:5432/x"
    scrubbed = scrub("auth failed for s3cr@t (s3cr%40t)", dsn)
    assert "s3cr" not in scrubbed
