"""Every column of the original job's ds_* datasets keeps its name and a compatible type
(CONTRACT §6), read from the SQLMesh models (no run needed).

The frozen list is the original metrics-datajegerne job as research/etterlevelse-behandlingskatalog.md
describes it: §3.9 (ds_varslinger_tid, ds_varslinger_snapshot), §3.10 (ds_beskrivelser), §3.11
(ds_prioriterte_krav), §3.12 (ds_gjenbruk), §3.13 (ds_sist_oppdatert) and §3.15 (the console views
ds_dokument and ds_besvarelser_tema, as far as their downstream readers show them); each of these
tables also kept the stage_dokument columns it read (etterlevelseDokumentasjonId, time, aktivRad, the
feature column). Types are BigQuery's. Where the original's pandas type was looser, the type here
is the compatible one we publish: ds_sist_oppdatert.date was a pandas datetime (a DATE here) and
.updated a float 1/NaN (INT64 1/null here). ds_pvk_flyt is not listed: the original job has not
written it since June 2025, and its columns were one per status seen (docs/etterlevelse.md).
"""

from __future__ import annotations

import pytest

from metrikk.run import open_context
from metrikk.settings import Settings

STR, BOOL, INT, FLOAT, TS, DATE = "STRING", "BOOL", "INT64", "FLOAT64", "TIMESTAMP", "DATE"

ORIGINAL_DS_COLUMNS: dict[str, dict[str, str]] = {
    "ds_varslinger_tid": {
        "etterlevelseDokumentasjonId": STR,
        "harVarslingsadresse": BOOL,
        "time": TS,
    },
    "ds_varslinger_snapshot": {"type": STR, "antall": INT},
    "ds_beskrivelser": {
        "etterlevelseDokumentasjonId": STR,
        "time": TS,
        "aktivRad": BOOL,
        "harBeskrivelse": BOOL,
        "minTid": TS,
        "antallDokumenterMedBeskrivelset": FLOAT,
        "antallTegnBeskrivelse": INT,
    },
    "ds_prioriterte_krav": {
        "etterlevelseDokumentasjonId": STR,
        "prioritertKravNummer": "ARRAY<STRING>",
        "time": TS,
        "aktivRad": BOOL,
        "harPrioritertKravNummer": BOOL,
        "minTid": TS,
        "antallDokumenterMedPrioritertKravlist": FLOAT,
        "antallPrioriterteKrav": INT,
    },
    "ds_gjenbruk": {
        "etterlevelseDokumentasjonId": STR,
        "forGjenbruk": BOOL,
        "tilgjengeligForGjenbruk": BOOL,
        "aktivRad": BOOL,
        "time": TS,
        "forGjenbrukMinTid": TS,
        "tilgjengeligForGjenbrukMinTid": TS,
        "antallDokumenterforGjenbruk": INT,
        "antallDokumentertilgjengeligForGjenbruk": INT,
        "antallTegnGjenbrukBeskrivelse": INT,
    },
    "ds_sist_oppdatert": {
        "etterlevelseDokumentasjonId": STR,
        "date": DATE,
        "updated": INT,
        "sistOppdatert": DATE,
        "dagerSidenOppdatering": INT,
        "aktivRad": BOOL,
    },
    "ds_dokument": {
        "etterlevelseDokumentasjonId": STR,
        "etterlevelseNummer": INT,
        "avdeling": STR,
        "teams": "ARRAY<STRING>",
        "aktivRad": BOOL,
    },
    "ds_besvarelser_tema": {
        "tema": STR,
        "kravNummer": INT,
        "kravOppfylt": BOOL,
        "kravFerdigUtfylt": BOOL,
        "etterlevelseDokumentasjonId": STR,
        "suksesskriterieStatus": STR,
        "suksesskriterieId": INT,
        "aktivRad": BOOL,
    },
}

# Free text of the original, replaced by its length (CONTRACT §6): original column -> the length.
FREE_TEXT: dict[str, dict[str, str]] = {
    "ds_beskrivelser": {"beskrivelse": "antallTegnBeskrivelse"},
    "ds_gjenbruk": {"gjenbrukBeskrivelse": "antallTegnGjenbrukBeskrivelse"},
    "ds_dokument": {"title": "tittelAntallTegn"},
    "ds_besvarelser_tema": {"begrunnelse": "begrunnelseAntallTegn"},
}


@pytest.fixture(scope="module", name="types")
def _types(tmp_path_factory) -> dict[str, dict[str, str]]:
    """Column name -> BigQuery type of every etterlevelse.ds_* model."""
    ctx = open_context(Settings(warehouse=tmp_path_factory.mktemp("ds") / "metrikk.duckdb"))
    try:
        return {
            table: {
                name: dtype.sql("bigquery")
                for name, dtype in ctx.get_model(f"etterlevelse.{table}").columns_to_types.items()
            }
            for table in ORIGINAL_DS_COLUMNS
        }
    finally:
        ctx.close()


@pytest.mark.parametrize("table", sorted(ORIGINAL_DS_COLUMNS))
def test_every_original_ds_column_keeps_its_name_and_type(table, types):
    """Each column the original job published in the table is there, with a compatible type."""
    got = types[table]
    wrong = {
        name: (want, got.get(name))
        for name, want in ORIGINAL_DS_COLUMNS[table].items()
        if got.get(name) != want
    }
    assert not wrong, f"etterlevelse.{table}: (wanted, published) {wrong}"


@pytest.mark.parametrize("table", sorted(FREE_TEXT))
def test_original_free_text_is_replaced_by_its_length(table, types):
    """The original's free-text columns are not published; their lengths are, as INT64."""
    for text, length in FREE_TEXT[table].items():
        assert text not in types[table], f"etterlevelse.{table}.{text} is free text"
        assert types[table].get(length) == "INT64", f"etterlevelse.{table}.{length}"
