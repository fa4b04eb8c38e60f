"""Search a pseudonym key, in every form it could take, in tables, files, output and logs.

Independent of the code under test: the padded keys are computed here from RFC 2104, and
nothing of metrikk is imported (so the search also runs against an older metrikk).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from pathlib import Path

import duckdb

BLOCK = 64


def padded(key: str) -> tuple[bytes, bytes, bytes]:
    """(K' without its zero padding, K' XOR ipad, K' XOR opad) for a text key (RFC 2104)."""
    raw = key.encode("utf-8")
    k = hashlib.sha256(raw).digest() if len(raw) > BLOCK else raw
    block = k.ljust(BLOCK, b"\0")
    return k, bytes(b ^ 0x36 for b in block), bytes(b ^ 0x5C for b in block)


def needles(key: str) -> dict[str, bytes]:
    """Every form of the key: raw, JSON/repr/unicode escapes, and raw bytes, hex, base64,
    base64url and `\\x` escapes of the key, K' and both padded keys."""
    raw = key.encode("utf-8")
    k, inner, outer = padded(key)
    forms: dict[str, bytes] = {
        "key json": json.dumps(key)[1:-1].encode(),
        "key repr": repr(key)[1:-1].encode(),
        "key unicode escapes": key.encode("unicode_escape"),
    }
    for name, value in (("key", raw), ("K'", k), ("K' xor ipad", inner), ("K' xor opad", outer)):
        forms[f"{name} bytes"] = value
        forms[f"{name} hex"] = value.hex().encode()
        forms[f"{name} base64"] = base64.b64encode(value).rstrip(b"=")
        forms[f"{name} base64url"] = base64.urlsafe_b64encode(value).rstrip(b"=")
        forms[f"{name} \\x"] = "".join(f"\\x{b:02x}" for b in value).encode()
    return {name: form for name, form in forms.items() if len(form) >= 8}


def leaks(key: str, places: dict[str, str | bytes]) -> list[str]:
    """'<place>: <form>' for every form of the key found in a place (case-insensitive)."""
    found = []
    forms = needles(key)
    for place, content in places.items():
        data = (content.encode("utf-8") if isinstance(content, str) else content).lower()
        found += [f"{place}: {name}" for name, form in forms.items() if form.lower() in data]
    return found


def tables_as_text(path: Path) -> dict[str, str]:
    """Every row of every table in a DuckDB file as text (BLOBs as hex), one entry per table."""
    out = {}
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        ).fetchall()
        for schema, table in tables:
            columns = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = ? AND table_name = ?",
                [schema, table],
            ).fetchall()
            parts = [
                f'hex("{c}")' if t == "BLOB" else f'CAST("{c}" AS VARCHAR)' for c, t in columns
            ]
            rows = con.execute(f'SELECT {", ".join(parts)} FROM "{schema}"."{table}"').fetchall()
            out[f"{path.name}:{schema}.{table}"] = "\n".join("\t".join(map(str, r)) for r in rows)
    return out


def files_under(folder: Path) -> dict[str, bytes]:
    """The bytes of every file under `folder` (gzipped files also unzipped)."""
    out = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        out[str(path.relative_to(folder))] = data
        if data[:2] == b"\x1f\x8b":
            out[f"{path.relative_to(folder)} (gunzip)"] = gzip.decompress(data)
    return out
