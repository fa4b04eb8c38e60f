"""What every `metrikk` command shares: the settings main_options made, the log format and the
JSON log lines for schedulers."""

from __future__ import annotations

import sys
from datetime import datetime
from enum import Enum
from typing import Annotated

import typer

from metrikk.settings import Settings
from metrikk.terminal import OSLO


def settings_of(ctx: typer.Context) -> Settings:
    return ctx.ensure_object(dict)["settings"]


class LogFormat(str, Enum):
    text = "text"
    json = "json"


# The --log-format option of `run` and `ingest kilder`.
LogFormatOption = Annotated[
    LogFormat,
    typer.Option(
        "--log-format",
        envvar="METRIKK_LOG_FORMAT",
        help="text for mennesker, json for planleggere (én JSON-linje per hendelse).",
    ),
]


def log_json(event: str, **fields: object) -> None:
    """One structured log line on stdout (for Naisjob/Airflow log collection)."""
    import json

    line = {
        "tidspunkt": datetime.now(OSLO).isoformat(timespec="seconds"),
        "hendelse": event,
        **fields,
    }
    sys.stdout.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()
