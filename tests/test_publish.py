"""Publishing reuses the previous snapshot and rewrites only the blocks (weeks) that changed;
the snapshot must still equal the warehouse's published schemas exactly, whatever changed."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrikk.publish import FINGERPRINTS, MAX_FREE_SHARE, PUBLISHED_SCHEMAS, publish, published_path
from tests.helpers.profiles import examples

WEEKS = [f"2024-01-{d:02d}" for d in (1, 8, 15, 22, 29)]


def _objects(con, catalog: str) -> dict[tuple[str, str], list[tuple[str, str]]]:
    rows = con.execute(
        f"""
        SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns
        WHERE table_catalog = '{catalog}' AND table_schema IN ({", ".join("?" for _ in PUBLISHED_SCHEMAS)})
        ORDER BY table_schema, table_name, ordinal_position
        """,
        list(PUBLISHED_SCHEMAS),
    ).fetchall()
    out: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for s, t, c, ty in rows:
        out.setdefault((s, t), []).append((c, ty))
    return out


def assert_snapshot_equals_warehouse(warehouse: Path) -> None:
    """Same tables, same columns and types, and the same rows as multisets (EXCEPT ALL both ways)."""
    snap = published_path(warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        con.execute(f"ATTACH '{snap}' AS snap (READ_ONLY)")
        (catalog,) = con.execute("SELECT current_database()").fetchone()
        want = {
            (s, t): [r[:2] for r in con.execute(f'DESCRIBE SELECT * FROM "{s}"."{t}"').fetchall()]
            for s, t in _objects(con, catalog)
        }  # a view's types as queried: information_schema keeps those of its creation
        have = _objects(con, "snap")
        assert have == want
        for schema, table in want:
            name = f'"{schema}"."{table}"'
            for a, b in ((name, f"snap.{name}"), (f"snap.{name}", name)):
                diff = con.execute(
                    f"SELECT count(*) FROM (FROM {a} EXCEPT ALL FROM {b})"
                ).fetchone()
                assert diff == (0,), f"{schema}.{table}: rows of {a} missing in {b}"
    finally:
        con.close()


def new_warehouse(path: Path, rows: int = 400, weeks: int = 5) -> Path:
    con = duckdb.connect(str(path))
    for s in ("tiltak_bronze", "tiltak_silver", "tiltak_gold", "metrikk_meta"):
        con.execute(f"CREATE SCHEMA {s}")
    con.execute(
        f"""
        CREATE TABLE tiltak_silver.deltakelse_uke AS
        SELECT 'p' || (i % 37) AS person_id,
               CAST(DATE '2024-01-01' + INTERVAL (7 * (i % {weeks})) DAY AS DATE) AS uke_start,
               ['0219', '0220'][1 + i % 2] AS kontor, i AS n
        FROM range({rows}) t(i) ORDER BY uke_start;
        CREATE TABLE tiltak_gold.uke_antall AS
        SELECT CAST(isoyear(uke_start) AS BIGINT) AS aar, CAST(week(uke_start) AS BIGINT) AS uke,
               kontor, count(DISTINCT person_id) AS antall
        FROM tiltak_silver.deltakelse_uke GROUP BY ALL;
        CREATE VIEW tiltak_gold.uke_sum AS
        SELECT uke_start, sum(n) AS n FROM tiltak_silver.deltakelse_uke GROUP BY 1;
        CREATE TABLE metrikk_meta.datasett AS SELECT 'tiltak_bronze' AS schema_name, 1 AS rader;
        CREATE TABLE tiltak_bronze.deltaker AS SELECT 1 AS id;
        """
    )
    con.close()
    return path


def change(warehouse: Path, sql: str) -> None:
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(sql)
    finally:
        con.close()
    time.sleep(0.002)  # snapshot names carry microseconds


CHANGES = {
    "one week changed": "UPDATE tiltak_silver.deltakelse_uke SET n = n + 1 WHERE uke_start = DATE '2024-01-15'",
    "a week added": (
        "INSERT INTO tiltak_silver.deltakelse_uke SELECT person_id, DATE '2024-02-05', kontor, n "
        "FROM tiltak_silver.deltakelse_uke WHERE uke_start = DATE '2024-01-29'"
    ),
    "a week removed": "DELETE FROM tiltak_silver.deltakelse_uke WHERE uke_start = DATE '2024-01-01'",
    "rows without a week": (
        "INSERT INTO tiltak_silver.deltakelse_uke VALUES ('p1', NULL, '0219', -1), ('p1', NULL, '0219', -1)"
    ),
    "a duplicate row": (
        "INSERT INTO tiltak_silver.deltakelse_uke SELECT * FROM tiltak_silver.deltakelse_uke LIMIT 1"
    ),
    "aar/uke table changed": "UPDATE tiltak_gold.uke_antall SET antall = antall * 2 WHERE uke = 3",
    "a table added": "CREATE TABLE tiltak_gold.ny AS SELECT 42 AS svar",
    "a table dropped": "DROP TABLE tiltak_gold.uke_antall",
    "a column's type changed": (
        "CREATE OR REPLACE TABLE tiltak_silver.deltakelse_uke AS "
        "SELECT person_id, uke_start, kontor, CAST(n AS DOUBLE) AS n FROM tiltak_silver.deltakelse_uke"
    ),
    "a column added": "ALTER TABLE metrikk_meta.datasett ADD COLUMN syntetisk BOOLEAN DEFAULT true",
    "everything changed": "UPDATE tiltak_silver.deltakelse_uke SET kontor = kontor || 'x'",
}


@pytest.mark.parametrize("what", list(CHANGES))
def test_snapshot_after_a_change_equals_the_warehouse(tmp_path: Path, what: str):
    """Publish, change the warehouse one way, publish again: the new snapshot is the warehouse."""
    wh = new_warehouse(tmp_path / "metrikk.duckdb")
    first = publish(wh)
    assert_snapshot_equals_warehouse(wh)
    change(wh, CHANGES[what])
    second = publish(wh)
    assert second != first
    assert_snapshot_equals_warehouse(wh)
    with duckdb.connect(str(second), read_only=True) as con:
        total, free = con.execute(
            "SELECT total_blocks, free_blocks FROM pragma_database_size()"
        ).fetchone()
    assert free <= total * MAX_FREE_SHARE, "a snapshot of mostly free space is written fresh"


def test_only_the_changed_week_is_rewritten(tmp_path: Path):
    """The changed week's rows are deleted and appended; the other weeks keep their place.

    (Big enough that the patched file is not mostly free space, which is written fresh.)"""
    wh = new_warehouse(tmp_path / "metrikk.duckdb", rows=500_000, weeks=50)
    first = publish(wh)
    change(wh, CHANGES["one week changed"])
    second = publish(wh)
    query = (
        "SELECT uke_start = DATE '2024-01-15' AS endret, min(rowid), max(rowid), count(*)"
        " FROM tiltak_silver.deltakelse_uke GROUP BY 1 ORDER BY 1"
    )
    with duckdb.connect(str(second), read_only=True) as con:
        (_, _, kept_max, _), (_, new_min, new_max, new) = con.execute(query).fetchall()
        schemas = {r[0] for r in con.execute("SELECT schema_name FROM duckdb_schemas()").fetchall()}
    assert new_min > kept_max and new_max - new_min + 1 == new  # rewritten rows come last
    assert "tiltak_bronze" not in schemas and FINGERPRINTS[0] in schemas
    assert first.exists()  # the snapshot a reader may still hold is kept


def test_a_snapshot_without_fingerprints_is_copied_whole(tmp_path: Path):
    """A snapshot from before fingerprints (or one edited by hand) is never trusted: all is copied."""
    wh = new_warehouse(tmp_path / "metrikk.duckdb")
    first = publish(wh)
    with duckdb.connect(str(first)) as con:
        con.execute(f"DROP SCHEMA {FINGERPRINTS[0]} CASCADE")
        con.execute("CREATE TABLE tiltak_gold.foreldet AS SELECT 1 AS x")
        con.execute("DELETE FROM tiltak_silver.deltakelse_uke WHERE n < 10")
    time.sleep(0.002)
    publish(wh)
    assert_snapshot_equals_warehouse(wh)


def test_full_and_incremental_publish_give_the_same_snapshot(tmp_path: Path):
    wh = new_warehouse(tmp_path / "metrikk.duckdb")
    publish(wh)
    for sql in (
        CHANGES["one week changed"],
        CHANGES["a week added"],
        CHANGES["rows without a week"],
    ):
        change(wh, sql)
        publish(wh)
    assert_snapshot_equals_warehouse(wh)
    publish(wh, incremental=False)
    assert_snapshot_equals_warehouse(wh)


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["update", "insert", "delete"]),
            st.sampled_from([None, *WEEKS, "2024-02-05"]),
            st.integers(min_value=0, max_value=9),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_sequence_of_weekly_changes_is_published_exactly(tmp_path_factory, steps):
    """Random updates, inserts and deletes in random weeks, publishing after each: the snapshot
    always equals the warehouse."""
    wh = new_warehouse(tmp_path_factory.mktemp("pub") / "metrikk.duckdb")
    publish(wh)
    for op, week, k in steps:
        day = "NULL" if week is None else f"DATE '{week}'"
        where = f"uke_start IS NOT DISTINCT FROM {day} AND n % 10 = {k}"
        sql = {
            "update": f"UPDATE tiltak_silver.deltakelse_uke SET n = n + 100 WHERE {where}",
            "insert": f"INSERT INTO tiltak_silver.deltakelse_uke VALUES ('p{k}', {day}, '0219', {k})",
            "delete": f"DELETE FROM tiltak_silver.deltakelse_uke WHERE {where}",
        }[op]
        change(wh, sql)
        publish(wh)
        assert_snapshot_equals_warehouse(wh)


# --- leftovers of a killed publish (docs/robustness.md, "Exports, the loader and messages")


def _leftovers(d: Path, current: str) -> tuple[list[str], list[str]]:
    """Files a publish killed half-way leaves (to go) and files that must stay."""
    stamp = current.split("-")[1]
    older = f"snapshot-{int(stamp[:8]) - 1:08d}{stamp[8:]}-1.duckdb"
    gone = [
        ".snapshot-20250101T000000000000-4242.duckdb.tmp",
        ".snapshot-20250101T000000000000-4242.duckdb.tmp.wal",
        ".CURRENT.tmp",
        "snapshot-29991231T235959999999-4243.duckdb",  # complete, but CURRENT never pointed at it
    ]
    kept = [current, older, "CURRENT", "notater.txt", ".snapshot-ikke-vaar.tmp"]
    for name in gone + kept:
        if not (d / name).exists():
            (d / name).write_bytes(b"x" * 100)
    return gone, kept


def _load_dir(tmp_path: Path, bad: bool = False) -> Path:
    d = tmp_path / ("feil" if bad else "inn")
    d.mkdir(exist_ok=True)
    (d / "tiltak_bronze.nav_enhet.csv").write_text(
        "enhetsnummer,navn,type,status\n" + ("0219,B,LOKAL\n" if bad else "0219,B,LOKAL,Aktiv\n"),
        encoding="utf-8",
    )
    return d


def test_the_next_writer_removes_what_a_killed_publish_left(tmp_path: Path, metrikk):
    """Temp snapshots, their WAL and a snapshot CURRENT never named go at the next writer's start;
    the current snapshot, older ones and files that are not publish's own stay."""
    wh = tmp_path / "metrikk.duckdb"
    metrikk("load", _load_dir(tmp_path))
    current = published_path(wh)
    d = current.parent
    gone, kept = _leftovers(d, current.name)
    metrikk("load", _load_dir(tmp_path, bad=True), expect=1)  # a writer that fails: no new publish
    assert [n for n in gone if (d / n).exists()] == []
    assert [n for n in kept if not (d / n).exists()] == []
    assert published_path(wh) == current

    gone, kept = _leftovers(d, current.name)
    metrikk("load", _load_dir(tmp_path))  # a writer that publishes
    assert [n for n in gone if (d / n).exists()] == []
    assert published_path(wh) != current and published_path(wh).exists()
    with duckdb.connect(str(published_path(wh)), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM metrikk_meta.datasett").fetchone()[0] > 0


def test_leftovers_stay_while_another_writer_holds_the_lock(tmp_path: Path, metrikk):
    """A writer refused because another holds the lock touches nothing: the files may be in use."""

    wh = tmp_path / "metrikk.duckdb"
    metrikk("load", _load_dir(tmp_path))
    d = published_path(wh).parent
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys
            from metrikk.warehouse import writer_lock
            with writer_lock({str(wh)!r}):
                print("klar", flush=True)
                sys.stdin.readline()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "klar"
        # Made while the holder has the lock: for all we know, they are its files in use.
        gone, _ = _leftovers(d, published_path(wh).name)
        assert (
            "brukes av en annen skrivende kjøring"
            in metrikk("load", _load_dir(tmp_path), expect=1).output
        )
        assert [n for n in gone if not (d / n).exists()] == []
    finally:
        holder.communicate("\n", timeout=30)


def test_fingerprints_are_those_of_each_block_of_rows():
    """Grouped by the block's columns and named afterwards, the fingerprints equal the plain
    per-row definition, also where several (aar, uke) pairs with a NULL share the block '-'."""
    from metrikk.publish import _block, _fingerprints

    con = duckdb.connect()
    con.execute("CREATE TABLE uker (uke_start DATE, x VARCHAR)")
    con.execute(
        "INSERT INTO uker VALUES ('2024-01-01', 'a'), ('2024-01-01', 'b'), (NULL, 'c'), "
        "('2024-01-08', NULL), (NULL, NULL)"
    )
    con.execute("CREATE TABLE aaruke (aar INTEGER, uke INTEGER, x VARCHAR)")
    con.execute(
        "INSERT INTO aaruke VALUES (2024, 1, 'a'), (2024, 1, 'b'), (NULL, 1, 'c'), (2024, NULL, 'd'), "
        "(NULL, NULL, 'e'), (2025, 2, NULL)"
    )
    con.execute("CREATE TABLE hel (x VARCHAR)")
    con.execute("INSERT INTO hel VALUES ('a'), ('b')")
    con.execute("CREATE TABLE tom (x VARCHAR)")
    for table in ("uker", "aaruke", "hel", "tom"):
        columns = [(r[0], r[1]) for r in con.execute(f"DESCRIBE {table}").fetchall()]
        block = _block(columns)
        plain = {
            b: (int(n), int(h))
            for b, n, h in con.execute(
                f"SELECT {block} AS b, count(*), sum(hash(t)::HUGEINT) FROM {table} AS t GROUP BY b"
            ).fetchall()
        }
        assert _fingerprints(con, table, columns) == plain, table
    assert len(_fingerprints(con, "aaruke", [("aar", ""), ("uke", ""), ("x", "")])) == 3
