"""The pseudonym key: the SQL HMAC equals Python's, and the key never leaves the process.

Fast tests run the macro's SQL on a real DuckDB with the keys set the way SQLMesh's cursors get
them. The slow test runs the etterlevelse domain through the real CLI three times on one small
warehouse (the development key, then two secret keys) and then searches the key, in every form it
could take, in SQLMesh's state and cache, every table, every file beside the warehouse, the
published snapshot, the CLI's output (runs and `--dry-run` for both targets) and every log
record (docs/robustness.md, "Pseudonym key").
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import pickle
import secrets
import threading
from datetime import date
from pathlib import Path

import duckdb
import pytest
import sqlglot
from etterlevelse_scenario import AS_OF, build_scenario
from etterlevelse_sources import USER
from leak_search import files_under, leaks, tables_as_text
from sqlmesh.core.config.connection import BaseDuckDBConnectionConfig
from typer.testing import CliRunner

from metrikk.catalog import PIPELINE_DIR
from metrikk.cli import app
from metrikk.pipeline.config import PseudonymDuckDBConnectionConfig, make_config
from metrikk.pipeline.macros.pseudonym import pseudonym_sql
from metrikk.pseudonym import BLOCK, PseudonymKey, block_key, key_id, padded_keys, variable_names
from metrikk.run import RunError, built_with_key_id, run_pipeline
from metrikk.settings import DEVELOPMENT_PSEUDONYM_KEY, Settings

DIALECT = "bigquery,normalization_strategy=case_sensitive"
DEV_WARNING = "METRIKK_PSEUDONYM_KEY er ikke satt"

# Distinctive random keys: ASCII; and longer than a block (so hashed first) with Norwegian
# letters, its character count (60) under 64 but its UTF-8 length (72) over.
KEY_A = "metrikk-nokkel-A-" + secrets.token_urlsafe(30)
KEY_B = "ÆØÅæøå-" + secrets.token_hex(26) + "-ÆØÅ"
KEYS = [
    DEVELOPMENT_PSEUDONYM_KEY,
    "k",
    "x" * BLOCK,  # exactly one block: not hashed
    "y" * (BLOCK + 1),  # one byte over: hashed
    "ø" * 32,  # 32 characters, 64 bytes
    "ø" * 33,  # 33 characters, 66 bytes: hashed
    "6666\\\\å" * 3,  # backslashes must not be read as escapes
    KEY_A,
    KEY_B,
]
USERS = [
    "A123456 - Ola Nordmann",
    "B234567 - Øystein Ærlig",
    "C345678 - Åse Bråten",
    "back\\x41slash",
    "",
]


def expected(key: str, user: str) -> str:
    return hmac.new(key.encode("utf-8"), user.encode("utf-8"), hashlib.sha256).hexdigest()


def duckdb_sql(engine: str | None, kid: str, key_table: str | None = None) -> str:
    """`SELECT @pseudonym(u) FROM t` as the macro renders it, transpiled to DuckDB."""
    sql = f"SELECT {pseudonym_sql('u', engine, kid, key_table)} AS p FROM t"
    return sqlglot.transpile(sql, read=DIALECT, write="duckdb")[0]


def hmac_of(con: duckdb.DuckDBPyConnection, sql: str, user: str | None) -> str | None:
    return con.execute(
        sql.replace("FROM t", "FROM (SELECT ?::VARCHAR AS u) AS t"), [user]
    ).fetchone()[0]


@pytest.mark.parametrize("key", KEYS, ids=range(len(KEYS)))
def test_sql_hmac_equals_python_hmac(key):
    """With the padded keys set as session variables, the macro's SQL equals Python's hmac for ASCII, ø/æ/å, backslashes, empty and NULL users."""
    pk = PseudonymKey(key)
    con = duckdb.connect()
    pk.set_on(con)
    sql = duckdb_sql("duckdb", pk.key_id)
    for user in USERS:
        assert hmac_of(con, sql, user) == expected(key, user), (key, user)
    assert hmac_of(con, sql, None) is None


def test_padded_keys_follow_rfc_2104():
    """K' is the key's UTF-8 bytes padded to 64, or its SHA-256 when longer than 64 bytes (not characters)."""
    assert block_key("x" * BLOCK) == b"x" * BLOCK
    assert block_key("ø" * 33) == hashlib.sha256(("ø" * 33).encode()).digest().ljust(BLOCK, b"\0")
    inner, outer = padded_keys("k")
    assert inner == bytes([ord("k") ^ 0x36]) + bytes([0x36]) * 63
    assert outer == bytes([ord("k") ^ 0x5C]) + bytes([0x5C]) * 63


def test_sql_contains_key_id_and_no_key_material():
    """The rendered SQL names the key by its id only; the key, its hex and the padded keys are absent."""
    for engine in ("duckdb", None, "bigquery"):
        sql = pseudonym_sql("`user`", engine, key_id(KEY_A), "metrikk_hemmelig.pseudonym_nokkel")
        assert key_id(KEY_A) in sql
        assert leaks(KEY_A, {"sql": sql}) == []
        sqlglot.parse_one(sql, read=DIALECT)
    assert key_id(KEY_A) != key_id(KEY_B)


def test_session_with_another_key_or_none_fails_loudly():
    """A model built for one key refuses to run in a session without it (or with another key) instead of writing NULL pseudonyms."""
    sql = duckdb_sql("duckdb", key_id(KEY_A))
    con = duckdb.connect()
    with pytest.raises(
        duckdb.InvalidInputException, match=f"Pseudonymnøkkel {key_id(KEY_A)} er ikke satt"
    ):
        hmac_of(con, sql, "A123456")
    PseudonymKey(KEY_B).set_on(con)
    with pytest.raises(duckdb.InvalidInputException, match="er ikke satt i DuckDB-økten"):
        hmac_of(con, sql, "A123456")


def test_every_cursor_sqlmesh_opens_gets_the_keys(tmp_path):
    """The warehouse connection sets the padded keys on the cursor of every thread, and so does the YAML unit tests' connection."""
    pk = PseudonymKey(KEY_A)
    inner_name, outer_name = variable_names(pk.key_id)
    inner, outer = padded_keys(KEY_A)
    config = make_config(Settings(warehouse=tmp_path / "w.duckdb", pseudonym_key=KEY_A))
    sql = f"SELECT getvariable('{inner_name}'), getvariable('{outer_name}')"
    adapter = config.get_connection("local").create_engine_adapter(concurrent_tasks=2)
    BaseDuckDBConnectionConfig._data_file_to_adapter.pop(str((tmp_path / "w.duckdb").resolve()))
    try:
        got: dict[str, tuple] = {"main": adapter.fetchone(sql)}
        worker = threading.Thread(target=lambda: got.setdefault("thread", adapter.fetchone(sql)))
        worker.start()
        worker.join()
        assert got == {"main": (inner, outer), "thread": (inner, outer)}
    finally:
        adapter.close()
    test_adapter = config.get_test_connection("local", "w", "duckdb").create_engine_adapter()
    assert test_adapter.fetchone(sql) == (inner, outer)
    assert test_adapter.fetchone("SELECT current_database()") == (
        "w",
    )  # the catalog SQLMesh expects


def test_config_and_settings_hold_no_key(tmp_path):
    """The key is in no SQLMesh config field, variable, repr or JSON, nor in the settings' repr; pickling it is refused."""
    settings = Settings(warehouse=tmp_path / "w.duckdb", pseudonym_key=KEY_B, target="duckdb")
    config = make_config(settings)
    assert config.variables["pseudonym_key_id"] == key_id(KEY_B)
    assert config.variables["pseudonym_key_table"] == "metrikk_hemmelig.pseudonym_nokkel"
    # The only other variable is the declaration of the raw sources (no secrets in it).
    assert set(config.variables) == {"pseudonym_key_id", "pseudonym_key_table", "kilder"}
    assert KEY_B not in json.dumps(config.variables["kilder"])
    connection = config.get_connection("local")
    assert isinstance(connection, PseudonymDuckDBConnectionConfig)
    texts = {
        "config.dict": json.dumps(config.dict(), default=str),
        "config.repr": repr(config),
        "connection.dict": json.dumps(connection.dict(), default=str),
        "connection.repr": repr(connection),
        "settings.repr": repr(settings),
        "fingerprint": config.fingerprint,
    }
    assert leaks(KEY_B, texts) == []
    with pytest.raises(TypeError, match="skal ikke serialiseres"):
        pickle.dumps(connection)


def test_key_a_model_was_built_with_comes_from_its_variables():
    """The key id a model version used is its `pseudonym_key_id`; a version from before key ids kept the key itself, whose id is computed (so an upgrade with the same key rebuilds nothing)."""
    assert built_with_key_id(
        {"pseudonym_key_id": key_id(KEY_B), "pseudonym_key_table": "a.b"}
    ) == key_id(KEY_B)
    assert built_with_key_id({"pseudonym_key": KEY_A}) == key_id(KEY_A)
    assert built_with_key_id({"annen": "x"}) is None


# --------------------------------------------------------------------------- the real runs


class LogRecords(logging.Handler):
    """Every log record of every logger, formatted with its arguments and exception."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logging.Formatter().format(record))


def source_users(sources) -> dict[str, str]:
    """Give the audit rows a mix of users (ASCII, ø, æ, å); audit_id -> user."""
    users = [USER, "B234567 - Åse Bråten", "C345678 - Ola Nordmann", "D456789 - Bjørn Ærø"]
    out = {}
    for i, row in enumerate(sources.tables["landing_zone.etterlevelse_audit_version"]):
        row["user"] = users[i % len(users)]
        out[row["audit_id"]] = row["user"]
    return out


def pseudonym_columns(path: Path) -> dict[str, list[tuple]]:
    """(audit_id, user) of every etterlevelse table that has both, and stage_meldinger.fraBruker."""
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.columns "
            "WHERE table_schema LIKE 'etterlevelse%' AND column_name IN ('audit_id', 'user') "
            "GROUP BY ALL HAVING count(*) = 2 ORDER BY 1"
        ).fetchall()
        out = {t: con.execute(f"SELECT audit_id, user FROM {t}").fetchall() for (t,) in tables}
        out["meldinger"] = con.execute(
            "SELECT fraBruker FROM etterlevelse.stage_meldinger"
        ).fetchall()
    return out


class Crash(Exception):
    """Stands for the process dying in the middle of a run."""


@pytest.fixture(scope="module", name="runs")
def _runs(tmp_path_factory):
    """One small etterlevelse warehouse, the same sources and --as-of throughout: run with the
    development key; then KEY_B, in a run that dies after two intervals and the run after it;
    then KEY_A with --full-refresh; `run --dry-run` for both targets. Every log record of the
    process is collected meanwhile."""
    base = tmp_path_factory.mktemp("pseudonym_key")
    sources = build_scenario()
    users = source_users(sources)
    sources.write(base / "kilder")
    warehouse = base / "lager" / "metrikk.duckdb"
    warehouse.parent.mkdir()
    runner = CliRunner()
    records = LogRecords()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(records)
    root.setLevel(logging.DEBUG)

    def metrikk(*args: str, key: str | None = None):
        env = {"METRIKK_PSEUDONYM_KEY": key}  # None unsets it
        result = runner.invoke(
            app, ["--warehouse", str(warehouse), *args], env=env, catch_exceptions=False
        )
        assert result.exit_code == 0, result.output
        return result

    def dies_after_two_intervals(name: str, done: int, total: int) -> None:
        if done >= 2:
            raise Crash("the run dies here")

    run = ["run", "--as-of", AS_OF, "--domain", "etterlevelse"]
    out: dict = {"users": users, "warehouse": warehouse}
    # SQLMesh's cache where a user's run keeps it, beside the warehouse, so it is searched too
    # (not the tests' shared cache, tests/conftest.py).
    cache_env = pytest.MonkeyPatch()
    cache_env.delenv("METRIKK_SQLMESH_CACHE", raising=False)
    try:
        metrikk("load", str(base / "kilder"))
        result = metrikk(*run)
        out["dev"] = {
            "stdout": result.stdout,
            "stderr": result.stderr,
            "tables": pseudonym_columns(warehouse),
        }
        with pytest.raises(RunError) as crash:
            run_pipeline(
                Settings(warehouse=warehouse, pseudonym_key=KEY_B),
                date.fromisoformat(AS_OF),
                domain="etterlevelse",
                on_progress=dies_after_two_intervals,
            )
        out["B crashed"] = {"error": str(crash.value), "tables": pseudonym_columns(warehouse)}
        result = metrikk(*run, key=KEY_B)
        out["B"] = {
            "stdout": result.stdout,
            "stderr": result.stderr,
            "tables": pseudonym_columns(warehouse),
        }
        result = metrikk(*run, "--full-refresh", key=KEY_A)
        out["A"] = {
            "stdout": result.stdout,
            "stderr": result.stderr,
            "tables": pseudonym_columns(warehouse),
        }
        out["dry-run duckdb"] = metrikk(*run, "--dry-run", key=KEY_A)
        out["dry-run bigquery"] = metrikk(
            "--target", "bigquery", "--project", "metrikk-proj", *run, "--dry-run", key=KEY_B
        )
    finally:
        cache_env.undo()
        root.removeHandler(records)
        root.setLevel(old_level)
    out["logs"] = "\n".join(records.lines)
    return out


@pytest.mark.slow
def test_run_without_key_warns_and_uses_development_key(runs):
    """A run without METRIKK_PSEUDONYM_KEY says (on stderr) that it used the development key; a run with a key does not."""
    assert DEV_WARNING in runs["dev"]["stderr"]
    assert DEV_WARNING not in runs["A"]["stderr"] + runs["A"]["stdout"]
    assert DEV_WARNING not in runs["B"]["stderr"] + runs["B"]["stdout"]


def all_match(runs, tables: dict[str, list[tuple]], key: str) -> bool:
    users = runs["users"]
    return all(
        u == expected(key, users[a])
        for t, rows in tables.items()
        if t != "meldinger"
        for a, u in rows
        if a in users
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("run", "key"),
    [("dev", DEVELOPMENT_PSEUDONYM_KEY), ("B", KEY_B), ("A", KEY_A)],
    ids=["dev", "B", "A"],  # the keys are random: ids must not differ between xdist workers
)
def test_every_pseudonym_is_the_hmac_of_the_runs_key(runs, run, key):
    """After each run every user pseudonym in every etterlevelse table (incremental helpers and the stage tables built from them) is Python's HMAC of the source user with that run's key: a new key rebuilt everything (B after a run that died half-way, A with --full-refresh)."""
    tables = runs[run]["tables"]
    assert len(tables) >= 9, sorted(tables)
    users = runs["users"]
    for table, rows in tables.items():
        if table == "meldinger":
            assert (expected(key, "C111111"),) in rows
            continue
        checked = [(a, u) for a, u in rows if a in users]
        assert checked, table
        assert all(u == expected(key, users[a]) for a, u in checked), table
    pairs = [row for table, rows in tables.items() if table != "meldinger" for row in rows]
    assert {users[a] for a, _ in pairs if a in users} >= {
        USER,
        "B234567 - Åse Bråten",
    }


@pytest.mark.slow
def test_a_run_that_dies_during_a_key_change_leaves_work_for_the_next(runs):
    """The run that dies half-way through the change to KEY_B leaves other pseudonyms behind (so the next run had work to do); test_every_pseudonym_… checks that the next run finished it."""
    assert "the run dies here" in runs["B crashed"]["error"]
    assert not all_match(runs, runs["B crashed"]["tables"], KEY_B)


@pytest.mark.slow
def test_key_is_nowhere_after_the_runs(runs):
    """Neither secret key, in any form, is in any table (SQLMesh state included), any file beside the warehouse (cache gunzipped, snapshot, WAL), the CLI output or the log records."""
    warehouse: Path = runs["warehouse"]
    places: dict[str, str | bytes] = {}
    places.update(tables_as_text(warehouse))
    snapshots = sorted(warehouse.parent.glob("*.publisert/snapshot-*.duckdb"))
    assert snapshots
    places.update(tables_as_text(snapshots[-1]))
    files = files_under(warehouse.parent)
    places.update(files)
    places.update({f"pipeline/{p}": data for p, data in files_under(PIPELINE_DIR).items()})
    places["crashed run error"] = runs["B crashed"]["error"]
    for name in ("B", "A"):
        places[f"run {name} stdout"] = runs[name]["stdout"]
        places[f"run {name} stderr"] = runs[name]["stderr"]
    for name in ("dry-run duckdb", "dry-run bigquery"):
        places[f"{name} output"] = runs[name].output
    places["log records"] = runs["logs"]
    # The search sees what it must: SQLMesh's state, its cache, the key id in both.
    assert any(":sqlmesh._snapshots" in p for p in places)
    cache = [p for p in files if p.startswith(".metrikk.duckdb.sqlmesh-cache/")]
    assert len(cache) >= 10, sorted(files)
    state = next(v for p, v in places.items() if p.endswith(":sqlmesh._snapshots"))
    assert key_id(KEY_B) in state and key_id(KEY_A) in state
    assert len(runs["logs"]) > 10_000
    assert leaks(KEY_A, places) == []
    assert leaks(KEY_B, places) == []


@pytest.mark.slow
def test_dry_run_renders_key_references_not_keys(runs):
    """`run --dry-run` shows, per target, where the padded keys come from: DuckDB session variables, or the BigQuery key table qualified with the project."""
    local = runs["dry-run duckdb"].output
    assert f"GETVARIABLE('metrikk_pseudonym_indre_{key_id(KEY_A)}')" in local
    assert "pseudonym_nokkel" not in local
    bq = runs["dry-run bigquery"].output
    assert "`metrikk-proj`.`metrikk_hemmelig`.`pseudonym_nokkel`" in bq
    assert f"`nokkel_id` = '{key_id(KEY_B)}'" in bq
    assert "GETVARIABLE" not in bq and "FROM_HEX" not in bq.upper()
    assert "AS BYTES)" in bq and "ENCODE(" not in bq
    # Every printed model parses as BigQuery (one statement per model header; a comment in a
    # model may hold a semicolon, so the output is parsed whole, not split on ";").
    sql = runs["dry-run bigquery"].stdout  # stderr: the estimate of what BigQuery would read
    statements = [s for s in sqlglot.parse(sql, read="bigquery") if s is not None]
    assert len(statements) == sql.count("(bigquery, per ") > 0
