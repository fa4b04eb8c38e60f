"""`metrikk load DIR`: every landing table loads; bad input is refused precisely and atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from metrikk.catalog import Column, LandingTable, landing_tables

SAMPLE = {
    "STRING": "abc",
    "INT64": "7",
    "FLOAT64": "2.5",
    "BOOL": "true",
    "DATE": "2024-03-01",
    "TIMESTAMP": "2024-03-01T08:15:00",
    "JSON": '{"a": [1, 2], "b": "x"}',
}


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    def cell(v: str) -> str:
        return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n') else v

    return "\n".join(",".join(cell(v) for v in row) for row in [header, *rows]) + "\n"


def sample_row(table: LandingTable) -> list[str]:
    return [SAMPLE[c.type] for c in table.columns]


def write_csv(directory: Path, table: str, header: list[str], rows: list[list[str]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{table}.csv"
    path.write_text(csv_text(header, rows), encoding="utf-8")
    return path


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every landing table's rows and the datasett metadata, to compare before/after."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        out = {
            name: sorted(map(repr, con.execute(f"SELECT * FROM {name}").fetchall()))
            for name in landing_tables()
        }
        out["metrikk_meta.datasett"] = sorted(
            map(repr, con.execute("SELECT * FROM metrikk_meta.datasett").fetchall())
        )
    return out


@pytest.mark.parametrize("name", list(landing_tables()))
def test_every_landing_table_loads_from_csv(name, tmp_path, metrikk, query):
    """A contract CSV for each landing table loads with its declared types and is recorded as not synthetic."""
    table = landing_tables()[name]
    write_csv(tmp_path / "in", name, table.column_names, [sample_row(table), sample_row(table)])
    metrikk("load", tmp_path / "in")
    rows = query(f"SELECT * FROM {name}")
    assert len(rows) == 2
    types = dict(
        query(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
            [table.schema, table.table],
        )
    )
    for col in table.columns:
        assert (
            types[col.name]
            == {
                "VARCHAR": "VARCHAR",
                "BIGINT": "BIGINT",
                "DOUBLE": "DOUBLE",
                "BOOLEAN": "BOOLEAN",
                "DATE": "DATE",
                "TIMESTAMP": "TIMESTAMP",
            }[col.duckdb_type]
        )
    assert query(
        "SELECT syntetisk, rader FROM metrikk_meta.datasett WHERE schema_name = ? AND table_name = ?",
        [table.schema, table.table],
    ) == [(False, 2)]


def test_every_landing_table_exists_from_the_first_command(tmp_path, metrikk, query):
    """The first writing command creates every landing table (empty) and its datasett row."""
    write_csv(
        tmp_path / "in",
        "tiltak_bronze.nav_enhet",
        ["enhetsnummer", "navn", "type", "status"],
        [["0219", "Nav Bærum", "LOKAL", "Aktiv"]],
    )
    metrikk("load", tmp_path / "in")
    tables = {
        f"{s}.{t}"
        for s, t in query("SELECT table_schema, table_name FROM information_schema.tables")
    }
    assert set(landing_tables()) <= tables
    assert query("SELECT count(*) FROM metrikk_meta.datasett WHERE rader = 0") == [
        (len(landing_tables()) - 1,)
    ]


def test_values_are_parsed_with_the_declared_types(tmp_path, metrikk, query):
    """Dates, timestamps with offsets (to UTC), numbers, booleans, JSON and empty fields (null) parse correctly."""
    write_csv(
        tmp_path / "in",
        "tiltak_bronze.deltaker",
        [
            "id",
            "person_id",
            "gjennomforing_id",
            "start_dato",
            "slutt_dato",
            "registrert_tidspunkt",
            "kilde",
            "dager_per_uke",
        ],
        [
            ["d1", "p1", "g1", "2024-01-31", "", "2024-01-31T23:30:00+01:00", "KOMET", "2.5"],
            ["d2", "p2", "g1", "", "2024-02-01", "2024-02-01 10:00:00Z", "", "-1e1"],
        ],
    )
    metrikk("load", tmp_path / "in")
    rows = query(
        "SELECT id, start_dato::VARCHAR, slutt_dato::VARCHAR, registrert_tidspunkt::VARCHAR, kilde, dager_per_uke "
        "FROM tiltak_bronze.deltaker ORDER BY id"
    )
    assert rows == [
        ("d1", "2024-01-31", None, "2024-01-31 22:30:00", "KOMET", 2.5),
        ("d2", None, "2024-02-01", "2024-02-01 10:00:00", None, -10.0),
    ]


def test_extra_columns_are_kept(tmp_path, metrikk, query):
    """An unknown extra column is added to the landing table and filled."""
    write_csv(
        tmp_path / "in",
        "tiltak_bronze.nav_enhet",
        ["enhetsnummer", "navn", "type", "status", "kommunenummer"],
        [["0219", "Nav Bærum", "LOKAL", "Aktiv", "3201"]],
    )
    result = metrikk("load", tmp_path / "in")
    assert "kommunenummer" in result.output
    assert query(
        "SELECT enhetsnummer, overordnet_enhet, kommunenummer FROM tiltak_bronze.nav_enhet"
    ) == [("0219", None, "3201")]


def test_load_replaces_and_append_appends(tmp_path, metrikk, query):
    """A second load replaces a table's rows; --append adds to them; datasett follows."""
    header = ["enhetsnummer", "navn", "type", "status"]
    write_csv(
        tmp_path / "a", "tiltak_bronze.nav_enhet", header, [["0219", "Nav Bærum", "LOKAL", "Aktiv"]]
    )
    write_csv(
        tmp_path / "b", "tiltak_bronze.nav_enhet", header, [["0220", "Nav Asker", "LOKAL", "Aktiv"]]
    )
    metrikk("load", tmp_path / "a")
    metrikk("load", tmp_path / "b")
    assert query("SELECT enhetsnummer FROM tiltak_bronze.nav_enhet") == [("0220",)]
    metrikk("load", tmp_path / "a", "--append")
    assert sorted(query("SELECT enhetsnummer FROM tiltak_bronze.nav_enhet")) == [
        ("0219",),
        ("0220",),
    ]
    assert query("SELECT rader FROM metrikk_meta.datasett WHERE table_name = 'nav_enhet'") == [(2,)]


def test_jsonl_and_parquet_load(tmp_path, metrikk, query):
    """JSON lines (with JSON objects as values) and Parquet files load like CSV."""
    d = tmp_path / "in"
    d.mkdir()
    rows = [
        {
            "audit_id": "a1",
            "action": "CREATE",
            "table_name": "KRAV",
            "table_id": "k1",
            "time": "2025-05-01T10:00:00",
            "user": "A123456 - Navn Navnesen",
            "version": 0,
            "data": {"kravNummer": 101, "data": {"navn": "Krav"}},
        },
        {
            "audit_id": "a2",
            "action": "UPDATE",
            "table_name": "KRAV",
            "table_id": "k1",
            "time": "2025-05-02T10:00:00",
            "user": "no user set",
            "version": 1,
            "data": json.dumps({"kravNummer": 101}),
        },
    ]
    (d / "landing_zone.etterlevelse_audit_version.jsonl").write_text(
        "\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8"
    )
    pq.write_table(
        pa.table({"gjennomforing_id": ["g1", "g1"], "enhetsnummer": ["0600", "0219"]}),
        d / "tiltak_bronze.gjennomforing_nav_enhet.parquet",
    )
    metrikk("load", d)
    got = query(
        "SELECT audit_id, version, data FROM landing_zone.etterlevelse_audit_version ORDER BY audit_id"
    )
    assert [(a, v) for a, v, _ in got] == [("a1", 0), ("a2", 1)]
    assert json.loads(got[0][2]) == rows[0]["data"]
    assert json.loads(got[1][2]) == {"kravNummer": 101}
    assert query("SELECT count(*) FROM tiltak_bronze.gjennomforing_nav_enhet") == [(2,)]


BAD_INPUTS = [
    # (file name, header, rows, expected fragments of the message)
    ("tiltak_bronze.ukjent.csv", ["a"], [["1"]], ["tiltak_bronze.ukjent.csv", "ukjent tabell"]),
    ("deltaker.csv", ["a"], [["1"]], ["deltaker.csv", "ukjent filnavn"]),
    (
        "tiltak_bronze.nav_enhet.csv",
        ["enhetsnummer", "navn", "type"],
        [["0219", "Nav Bærum", "LOKAL"]],
        ["tiltak_bronze.nav_enhet.csv", "mangler påkrevd kolonne", "status"],
    ),
    (
        "tiltak_bronze.gjennomforing.csv",
        [
            "id",
            "tiltakstype_id",
            "status",
            "antall_plasser",
            "opprettet_tidspunkt",
            "oppdatert_tidspunkt",
        ],
        [
            ["g1", "t1", "GJENNOMFORES", "12", "2024-01-01", "2024-01-01"],
            ["g2", "t1", "GJENNOMFORES", "1.5", "2024-01-01", "2024-01-01"],
        ],
        [
            "tiltak_bronze.gjennomforing.csv",
            "linje 3",
            "kolonne antall_plasser",
            "«1.5»",
            "heltall",
        ],
    ),
    (
        "tiltak_bronze.deltaker.csv",
        ["id", "person_id", "gjennomforing_id", "start_dato", "registrert_tidspunkt"],
        [["d1", "p1", "g1", "01.02.2024", "2024-01-01T00:00:00"]],
        ["linje 2", "kolonne start_dato", "«01.02.2024»", "dato"],
    ),
    (
        "tiltak_bronze.vedtak_14a.csv",
        ["vedtak_id", "person_id", "innsatsgruppe", "fattet_tidspunkt"],
        [["v1", "p1", "IKVAL", "i går"]],
        ["linje 2", "kolonne fattet_tidspunkt", "tidspunkt"],
    ),
    (
        "tiltak_bronze.vedtak_14a.csv",
        ["vedtak_id", "person_id", "innsatsgruppe", "fattet_tidspunkt"],
        [["v1", "", "IKVAL", "2024-01-01T00:00:00"]],
        ["linje 2", "kolonne person_id", "verdi mangler"],
    ),
    (
        "landing_zone.etterlevelse_krav.csv",
        ["id", "krav_nummer", "krav_versjon", "status", "data"],
        [["k1", "101", "1", "AKTIV", "{ikke json"]],
        ["linje 2", "kolonne data", "gyldig JSON"],
    ),
    (
        "tiltak_bronze.gjennomforing.csv",
        [
            "id",
            "tiltakstype_id",
            "status",
            "opprettet_tidspunkt",
            "oppdatert_tidspunkt",
            "publisert",
        ],
        [["g1", "t1", "GJENNOMFORES", "2024-01-01", "2024-01-01", "ja"]],
        [],
    ),  # extra columns are text: fine
]


@pytest.mark.parametrize("file_name,header,rows,fragments", BAD_INPUTS)
def test_bad_input_is_refused_with_file_line_and_column(
    tmp_path, metrikk, file_name, header, rows, fragments
):
    """Unknown files, missing columns and unparseable values exit 1 naming file, line and column."""
    d = tmp_path / "in"
    d.mkdir()
    (d / file_name).write_text(csv_text(header, rows), encoding="utf-8")
    if not fragments:
        metrikk("load", d)
        return
    result = metrikk("load", d, expect=1)
    for fragment in fragments:
        assert fragment in result.output.replace("\n", " ")


def test_line_numbers_count_physical_lines_of_quoted_newlines(tmp_path, metrikk):
    """A CSV record spanning two lines shifts the reported line number of the bad record after it."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "tiltak_bronze.tiltakstype.csv").write_text(
        'id,navn,tiltakskode\nt1,"Navn over\nto linjer",AVKLARING\nt2,,OPPFOLGING\n',
        encoding="utf-8",
    )
    result = metrikk("load", d, expect=1)
    assert "linje 4, kolonne navn" in result.output.replace("\n", " ")


def test_failed_load_leaves_the_warehouse_exactly_as_before(tmp_path, warehouse, metrikk):
    """One bad file among good ones: nothing of the directory is written, earlier data stays."""
    header = ["enhetsnummer", "navn", "type", "status"]
    write_csv(
        tmp_path / "first",
        "tiltak_bronze.nav_enhet",
        header,
        [["0219", "Nav Bærum", "LOKAL", "Aktiv"]],
    )
    metrikk("load", tmp_path / "first")
    before = snapshot(warehouse)
    second = tmp_path / "second"
    write_csv(second, "tiltak_bronze.nav_enhet", header, [["0220", "Nav Asker", "LOKAL", "Aktiv"]])
    write_csv(
        second,
        "tiltak_bronze.tiltakstype",
        ["id", "navn", "tiltakskode", "ekstra"],
        [["t1", "Avklaring", "AVKLARING", "x"]],
    )
    write_csv(
        second,
        "tiltak_bronze.vedtak_14a",
        ["vedtak_id", "person_id", "innsatsgruppe", "fattet_tidspunkt"],
        [["v1", "p1", "IKVAL", "2024-02-30T00:00:00"]],
    )
    result = metrikk("load", second, expect=1)
    assert "uendret" in result.output
    assert snapshot(warehouse) == before
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cols = [r[0] for r in con.execute("DESCRIBE tiltak_bronze.tiltakstype").fetchall()]
    assert "ekstra" not in cols


def test_empty_or_missing_directory_is_an_error(tmp_path, metrikk):
    """A directory with no files, or no directory at all, exits 1 with a message."""
    (tmp_path / "tom").mkdir()
    assert "Fant ingen filer" in metrikk("load", tmp_path / "tom", expect=1).output
    assert "Fant ikke katalogen" in metrikk("load", tmp_path / "finnes-ikke", expect=1).output


def test_column_declarations_match_the_contract_types():
    """Every declared type is one of the contract's types (as BigQuery types)."""
    allowed = {"STRING", "INT64", "FLOAT64", "BOOL", "DATE", "TIMESTAMP", "JSON"}
    for table in landing_tables().values():
        for col in table.columns:
            assert isinstance(col, Column) and col.type in allowed, (table.name, col)


# --- loader gaps found by probing (docs/robustness.md, "Exports, the loader and messages")

NAV_ENHET = ["enhetsnummer", "navn", "type", "status"]


@pytest.fixture(name="baseline")
def _baseline(tmp_path, warehouse, metrikk) -> dict:
    """A warehouse with one earlier load; returns its landing tables to compare with afterwards."""
    write_csv(
        tmp_path / "forrige",
        "tiltak_bronze.nav_enhet",
        NAV_ENHET,
        [["0219", "Nav Bærum", "LOKAL", "Aktiv"]],
    )
    metrikk("load", tmp_path / "forrige")
    return snapshot(warehouse)


def refused(metrikk, warehouse, baseline, directory, *fragments) -> str:
    """Load `directory`: exit 1, every fragment in the message, the warehouse as it was."""
    text = metrikk("load", directory, expect=1).output.replace("\n", " ")
    for fragment in fragments:
        assert fragment in text, (fragment, text)
    assert "datavarehuset er uendret" in text
    assert snapshot(warehouse) == baseline
    return text


@pytest.mark.parametrize("pattern", ["in*", "in?", "[i]n1"])
def test_a_directory_named_like_a_glob_is_read_literally(pattern, tmp_path, metrikk, query):
    """DIR with glob characters loads only its own files, never those of matching sibling folders."""
    write_csv(
        tmp_path / "in1",
        "tiltak_bronze.nav_enhet",
        NAV_ENHET,
        [["0219", "Nav Bærum", "LOKAL", "Aktiv"]],
    )
    write_csv(
        tmp_path / "in2",
        "tiltak_bronze.nav_enhet",
        NAV_ENHET,
        [["0220", "Nav Asker", "LOKAL", "Aktiv"]],
    )
    write_csv(
        tmp_path / pattern,
        "tiltak_bronze.nav_enhet",
        NAV_ENHET,
        [["0301", "Nav Oslo", "LOKAL", "Aktiv"]],
    )
    metrikk("load", tmp_path / pattern)
    assert query("SELECT enhetsnummer FROM tiltak_bronze.nav_enhet") == [("0301",)]


def test_a_symlink_to_a_file_outside_dir_is_refused(tmp_path, warehouse, metrikk, baseline, query):
    """A link in DIR pointing outside it is not followed; a link to a file inside DIR is fine."""
    outside = write_csv(
        tmp_path / "annet",
        "tiltak_bronze.nav_enhet",
        NAV_ENHET,
        [["0999", "Hemmelig", "LOKAL", "Aktiv"]],
    )
    d = tmp_path / "in"
    d.mkdir()
    (d / "tiltak_bronze.nav_enhet.csv").symlink_to(outside)
    refused(
        metrikk, warehouse, baseline, d, "tiltak_bronze.nav_enhet.csv", "symbolsk lenke", "utenfor"
    )

    # A hidden folder inside DIR (reported as skipped) may hold the file a link points at.
    inside = write_csv(
        d / ".kilde",
        "tiltak_bronze.nav_enhet",
        NAV_ENHET,
        [["0220", "Nav Asker", "LOKAL", "Aktiv"]],
    )
    (d / "tiltak_bronze.nav_enhet.csv").unlink()
    (d / "tiltak_bronze.nav_enhet.csv").symlink_to(inside)
    assert "Hoppet over .kilde" in metrikk("load", d).output
    assert query("SELECT enhetsnummer FROM tiltak_bronze.nav_enhet") == [("0220",)]


@pytest.mark.parametrize(
    "fmt,columns,fragments",
    [
        ("csv", ["enhetsnummer", "navn", "type", "status", "navn"], ["«navn» finnes to ganger"]),
        ("csv", ["enhetsnummer", "navn", "type", "status", "NAVN"], ["«navn» og «NAVN»"]),
        (
            "jsonl",
            ["enhetsnummer", "navn", "type", "status", "Navn"],
            ["linje 1", "«navn» og «Navn»"],
        ),
        ("parquet", ["enhetsnummer", "navn", "type", "status", "NAVN"], ["«navn» og «NAVN»"]),
        ("csv", ["enhetsnummer", "navn", "type", "STATUS"], ["«STATUS» heter «status»"]),
        ("csv", ["enhetsnummer", "navn", "type", "status", "_RAD"], ["«_RAD» er reservert"]),
        ("csv", ["enhetsnummer", "navn", "type", "status", ""], ["kolonne 5 har ikke noe navn"]),
    ],
)
def test_duplicate_column_names_are_an_error(
    fmt, columns, fragments, tmp_path, warehouse, metrikk, baseline
):
    """Two columns with the same name, also differing only in case, name the file and both columns."""
    d = tmp_path / "in"
    d.mkdir()
    path = d / f"tiltak_bronze.nav_enhet.{fmt}"
    values = ["0220", "Nav Asker", "LOKAL", "Aktiv", "x"][: len(columns)]
    if fmt == "csv":
        path.write_text(csv_text(columns, [values]), encoding="utf-8")
    elif fmt == "jsonl":
        path.write_text(
            "{" + ", ".join(f'"{c}": "{v}"' for c, v in zip(columns, values, strict=True)) + "}\n",
            encoding="utf-8",
        )
    else:
        pq.write_table(pa.Table.from_arrays([pa.array([v]) for v in values], names=columns), path)
    refused(metrikk, warehouse, baseline, d, path.name, *fragments)


def test_directories_fifos_and_other_entries_are_errors(tmp_path, warehouse, metrikk, baseline):
    """A directory named like a table or a FIFO in DIR stops the load, naming it."""
    d = tmp_path / "in"
    write_csv(d, "tiltak_bronze.nav_enhet", NAV_ENHET, [["0220", "Nav Asker", "LOKAL", "Aktiv"]])
    (d / "tiltak_bronze.deltaker.parquet").mkdir()
    refused(metrikk, warehouse, baseline, d, "tiltak_bronze.deltaker.parquet", "er en katalog")
    (d / "tiltak_bronze.deltaker.parquet").rmdir()
    os.mkfifo(d / "tiltak_bronze.tiltakstype.csv")
    refused(metrikk, warehouse, baseline, d, "tiltak_bronze.tiltakstype.csv", "FIFO")


def test_hidden_entries_are_reported_as_skipped(tmp_path, metrikk, query):
    """Hidden files and folders are not loaded, and the output says so by name."""
    d = tmp_path / "in"
    write_csv(d, "tiltak_bronze.nav_enhet", NAV_ENHET, [["0220", "Nav Asker", "LOKAL", "Aktiv"]])
    (d / ".DS_Store").write_bytes(b"\x00\x01")
    write_csv(d, ".tiltak_bronze.tiltakstype", ["id", "navn", "tiltakskode"], [["t1", "A", "A"]])
    (d / ".git").mkdir()
    os.mkfifo(d / ".fifo")
    out = metrikk("load", d).output
    for name in (".DS_Store", ".tiltak_bronze.tiltakstype.csv", ".git", ".fifo"):
        assert f"Hoppet over {name}" in out
    assert query("SELECT count(*) FROM tiltak_bronze.tiltakstype") == [(0,)]


def test_a_field_up_to_16_mb_loads(tmp_path, metrikk, query):
    """A 10 MB field loads whole (a line may hold up to 16 MB, as a JSON lines object may)."""
    big = "x" * 10_000_000
    write_csv(
        tmp_path / "in", "tiltak_bronze.nav_enhet", NAV_ENHET, [["0220", big, "LOKAL", "Aktiv"]]
    )
    metrikk("load", tmp_path / "in")
    assert query("SELECT length(navn) FROM tiltak_bronze.nav_enhet") == [(10_000_000,)]


@pytest.mark.parametrize(
    "name,content,fragments",
    [
        (
            "tiltak_bronze.nav_enhet.csv",
            "enhetsnummer,navn,type,status\n0220,Nav Asker,LOKAL,Aktiv\n0221,"
            + "x" * 17_000_000
            + ",LOKAL,Aktiv\n",
            ["linje 3, kolonne navn", "høyst 16 MB"],
        ),
        (
            "tiltak_bronze.nav_enhet.csv",
            "enhetsnummer,navn,type,status\n0220,Nav Asker,LOKAL,Aktiv\n0219,Nav Bærum,LOKAL,Aktiv\n".encode(
                "latin-1"
            ),
            ["linje 3, kolonne navn", "ikke UTF-8", "0xE6", "Latin-1"],
        ),
        (
            "tiltak_bronze.nav_enhet.csv",
            "enhetsnummer,navn,type,status\n0220,Nav Asker,LOKAL,Aktiv\n0219,Nav Bærum,LOKAL,Aktiv,x\n0221,a,LOKAL,Aktiv\n",
            ["linje 3: for mange felt (5; overskriften har 4)"],
        ),
        (
            "tiltak_bronze.nav_enhet.csv",
            "enhetsnummer,navn,type,status\n0219,Nav Bærum,LOKAL,Aktiv,x\n0221,a,LOKAL,Aktiv,y\n",
            ["linje 2: for mange felt"],
        ),
        (
            "tiltak_bronze.nav_enhet.csv",
            "enhetsnummer,navn,type,status\r\n0220,Nav Asker,LOKAL,Aktiv\r\n0219,Nav Bærum,LOKAL\r\n",
            ["linje 3: for få felt (3; overskriften har 4)"],
        ),
        (
            "tiltak_bronze.nav_enhet.csv",
            'enhetsnummer,navn,type,status\n0220,"Nav\nAsker",LOKAL,Aktiv\n0219,"Nav Bærum,LOKAL,Aktiv\n',
            ["linje 4", "anførselstegn"],
        ),
        (
            "tiltak_bronze.nav_enhet.csv",
            "enhetsnummer,navn,type,status\r\n0220,Nav Asker,LOKAL,Aktiv\n0219,Nav Bærum,LOKAL,Aktiv\r\n",
            ["linje 2", "blander CRLF og LF"],
        ),
        ("tiltak_bronze.nav_enhet.csv", "", ["filen er tom"]),
        (
            "tiltak_bronze.nav_enhet.parquet",
            b"",
            ["tiltak_bronze.nav_enhet.parquet", "filen er tom (0 byte)"],
        ),
        ("tiltak_bronze.nav_enhet.parquet", b"PAR1\x00\x00\x00\x00", ["Parquet-signaturen"]),
        (
            "tiltak_bronze.nav_enhet.jsonl",
            '{"enhetsnummer": "0220", "navn": "a", "type": "LOKAL", "status": "Aktiv"}\n'
            '{"enhetsnummer": "0221", "navn": "b", "type": "LOKAL", "status": "Aktiv"}\n'
            '{"enhetsnummer": "0222", "navn": "c", "type": "LOKAL"\n'
            '{"enhetsnummer": "0223", "navn": "d", "type": "LOKAL", "status": "Aktiv"}\n',
            ["linje 3: ugyldig JSON"],
        ),
        (
            "tiltak_bronze.nav_enhet.jsonl",
            '{"enhetsnummer": "0220", "navn": "a", "type": "LOKAL", "status": "Aktiv"}\n\n'
            '{"enhetsnummer": "0221", "navn": "B\xe6rum", "type": "LOKAL", "status": "Aktiv"}\n'.encode(
                "latin-1"
            ),
            ["linje 3", "ikke UTF-8"],
        ),
        (
            "tiltak_bronze.nav_enhet.jsonl",
            '{"enhetsnummer": "0220", "navn": "a", "type": "LOKAL", "status": "Aktiv"}\n   \n\n["0221"]\n',
            ["linje 4: er ikke et JSON-objekt"],
        ),
        (
            "tiltak_bronze.gjennomforing.jsonl",
            '{"id": "g1", "tiltakstype_id": "t", "status": "GJENNOMFORES", "opprettet_tidspunkt": "2024-01-01", '
            '"oppdatert_tidspunkt": "2024-01-01"}\n\n\n'
            '{"id": "g2", "tiltakstype_id": "t", "status": "GJENNOMFORES", "opprettet_tidspunkt": "2024-01-01", '
            '"oppdatert_tidspunkt": "2024-01-01", "antall_plasser": "mange"}\n',
            ["linje 4, kolonne antall_plasser", "«mange»"],
        ),
        (
            "tiltak_bronze.gjennomforing.csv",
            "id,tiltakstype_id,status,antall_plasser,opprettet_tidspunkt,oppdatert_tidspunkt,navn\n"
            "g1,t1,GJENNOMFORES,1,2024-01-01,2024-01-01," + "x" * 300_000 + "\n"
            "g2,t1,GJENNOMFORES,mange,2024-01-01,2024-01-01,kort\n",
            ["linje 3, kolonne antall_plasser", "«mange»"],
        ),
    ],
    ids=[
        "17MB-field",
        "latin1",
        "extra-field",
        "extra-field-every-row",
        "too-few-fields",
        "open-quote",
        "mixed-newlines",
        "empty-csv",
        "empty-parquet",
        "truncated-parquet",
        "broken-jsonl-line",
        "latin1-jsonl",
        "jsonl-not-object",
        "jsonl-value-after-blank-lines",
        "value-after-a-big-field",
    ],
)
def test_unreadable_files_get_norwegian_messages_with_line_and_column(
    name, content, fragments, tmp_path, warehouse, metrikk, baseline
):
    """What DuckDB refuses is explained in Norwegian with file, line and column; nothing is written."""
    d = tmp_path / "in"
    d.mkdir()
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    (d / name).write_bytes(data)
    text = refused(metrikk, warehouse, baseline, d, name, *fragments)
    assert "mangler påkrevd kolonne" not in text
    for english in (
        "Invalid Input Error",
        "CSV Error",
        "Malformed JSON",
        "sniffing",
        "Parquet file",
    ):
        assert english not in text
