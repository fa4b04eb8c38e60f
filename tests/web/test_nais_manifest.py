"""deploy/nais/app-serve.yaml agrees with the app: its command parses, its probes exist and are
open with login on, the paths it lets past the login proxy are real routes that still demand a
token from the app, and every environment variable it sets is one settings.py reads."""

from __future__ import annotations

from pathlib import Path

import yaml
from fastapi.testclient import TestClient
from typer.main import get_command

from metrikk.cli import app as cli
from metrikk.settings import Settings
from metrikk.web.app import create_app

MANIFEST = Path(__file__).resolve().parents[2] / "deploy" / "nais" / "app-serve.yaml"


def spec() -> dict:
    text = MANIFEST.read_text(encoding="utf-8").replace("{{ image }}", "image")
    return yaml.safe_load(text)["spec"]


def test_the_command_is_metrikk_serve_with_login_required():
    """The container runs `metrikk serve … --auth entra`, and the CLI accepts every option."""
    command = spec()["command"]
    assert command[:2] == ["metrikk", "serve"]
    assert command[command.index("--auth") + 1] == "entra"
    serve = get_command(cli).commands["serve"]
    ctx = serve.make_context("serve", command[2:])
    assert ctx.params["port"] == spec()["port"] and ctx.params["auth"].value == "entra"


def test_probes_and_login_bypass_paths_match_the_app(fixture_db):
    """Liveness/readiness are the app's open probes; autoLoginIgnorePaths are routes the app
    itself still guards with the token check."""
    s = spec()
    assert s["azure"]["application"]["enabled"] and s["azure"]["sidecar"]["enabled"]
    assert s["azure"]["sidecar"]["autoLogin"] is True
    settings = Settings(
        warehouse=fixture_db, auth="entra", introspection_endpoint="http://127.0.0.1:9/x"
    )
    app = create_app(settings)
    routes = set(app.openapi()["paths"])
    with TestClient(app) as c:
        for probe in (s["liveness"]["path"], s["readiness"]["path"]):
            assert c.get(probe).status_code == 200, probe
        for path in s["azure"]["sidecar"]["autoLoginIgnorePaths"]:
            assert path in routes, path
            assert c.get(path).status_code == 401, path  # no token: the app refuses


def test_every_environment_variable_is_a_setting(tmp_path):
    """The env entries are read by Settings.from_env and give the values written there."""
    env = {e["name"]: e["value"] for e in spec()["env"]}
    s = Settings.from_env(env)
    assert s.problems == ()
    assert str(s.warehouse) == env["METRIKK_WAREHOUSE"]
    assert s.tidsgrense == float(env["METRIKK_TIDSGRENSE"])
    assert s.maks_rader == int(env["METRIKK_MAKS_RADER"])
    assert s.maks_eksporter == int(env["METRIKK_MAKS_EKSPORTER"])
    mount = spec()["filesFrom"][0]["mountPath"]
    assert env["METRIKK_WAREHOUSE"].startswith(mount + "/")
