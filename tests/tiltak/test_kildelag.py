"""The source layer on hand-made raw NAV rows: one test per source quirk (KILDER_SPEC, research
tiltak.md §1–6), the person key, and a scan that no fnr, aktør-id or NAV ident passes beyond it.

One warehouse is built once for the module: raw rows in kilder.yaml's shape → `metrikk ingest
kilder` → `metrikk run --domain tiltak`; each test reads what landed.
"""

from __future__ import annotations

from datetime import date

import pytest
from tests.ingest.kilderader import hmac_of
from tests.ingest.lager import Lager
from tests.ingest.skann import ident_leaks
from tests.ingest.verden import (
    ALLE_IDENTER,
    AS_OF,
    F1,
    F9,
    KEY,
    N3,
    X,
    ts,
    world,
)


@pytest.fixture(scope="module", name="lager")
def _lager(tmp_path_factory) -> Lager:
    lager = Lager(
        tmp_path_factory.mktemp("kildelag") / "metrikk.duckdb", env={"METRIKK_PSEUDONYM_KEY": KEY}
    )
    world().write(lager.path)
    lager.ingest = lager.metrikk("ingest", "kilder")
    lager.run = lager.metrikk("run", "--domain", "tiltak", "--as-of", AS_OF)
    return lager


def person(ident: str) -> str:
    return hmac_of(ident, KEY)


# ----------------------------------------------------------------------------- person key


def test_person_id_is_the_hmac_of_the_current_fnr_with_the_runs_key(lager):
    """person_id is Python's HMAC-SHA256 of the person's current fødselsnummer with METRIKK_PSEUDONYM_KEY."""
    assert lager.one(
        "SELECT person_id FROM tiltak_bronze.oppfolgingskontor_historikk WHERE kontor_id = '0219' "
        "AND endret_tidspunkt = '2024-02-01 09:00'"
    ) == person(F1)


def test_a_person_whose_fnr_changed_is_one_person(lager):
    """Rows under the old fnr (Komet), the new fnr (ao-kontor), the aktør-id (oppfølging) and a
    historic aktør-id (§14a) all carry one person_id."""
    ids = {
        lager.one("SELECT person_id FROM tiltak_bronze.deltaker WHERE id = 'd-1'"),
        lager.one(
            "SELECT person_id FROM tiltak_bronze.oppfolgingskontor_historikk WHERE kontor_id = '0600'"
        ),
        lager.one(
            "SELECT person_id FROM tiltak_bronze.oppfolgingsperiode WHERE oppfolgingsperiode_id = 'op-1'"
        ),
        lager.one(
            "SELECT person_id FROM tiltak_bronze.oppfolgingsperiode WHERE oppfolgingsperiode_id = 'op-3'"
        ),
        lager.one("SELECT person_id FROM tiltak_bronze.vedtak_14a WHERE vedtak_id = '103'"),
        lager.one(
            "SELECT person_id FROM tiltak_bronze.veileder_tilordning WHERE tilordning_seq = 1"
        ),
    }
    assert ids == {person(F1)}


def test_a_person_with_only_an_npid_is_keyed_by_it(lager):
    """Without a fødselsnummer the key is the current npid."""
    assert lager.one(
        "SELECT person_id FROM tiltak_bronze.vedtak_14a WHERE vedtak_id = '105'"
    ) == person(N3)


def test_an_ident_in_two_persons_goes_to_the_one_where_it_is_current_and_is_counted(lager):
    """An ident listed under two aktør-ids belongs to the person where it is current, and is reported."""
    assert lager.one(
        "SELECT person_id FROM tiltak_bronze.oppfolgingskontor_historikk WHERE kontor_id = '0220'"
    ) == person(X)
    assert "pdl.identer: identer som står hos mer enn én aktør-id" in lager.ingest.output


def test_an_ident_without_identity_row_is_kept_and_counted(lager):
    """An ident PDL does not know keeps its rows (HMAC of the ident itself) and is counted per source."""
    assert lager.one(
        "SELECT person_id FROM tiltak_bronze.oppfolgingskontor_historikk "
        "WHERE endret_tidspunkt = '2024-03-01 09:00'"
    ) == person(F9)
    assert lager.one(
        "SELECT person_id FROM tiltak_bronze.arbeidsgiver_avtale_hendelse WHERE avtale_id = 'a-3'"
    ) == person(F9)
    out = lager.ingest.output
    assert (
        "ao_oppfolgingskontor.kontorhistorikk: identer uten identitetsoppslag i PDL (beholdt med HMAC av identen selv): 1"
        in out
    )
    assert (
        "team_tiltak.tiltak_avtale_hendelse: identer uten identitetsoppslag i PDL (beholdt med HMAC av identen selv): 1"
        in out
    )


# -------------------------------------------------------------------------------------- Komet


def test_amt_deltaker_wins_over_amt_tiltak_with_its_whole_status_history(lager):
    """A deltaker in both generations comes from amt-deltaker, row and status history; amt-tiltak's stale copy is gone."""
    assert lager.one(
        "SELECT gjennomforing_id, start_dato, registrert_tidspunkt, kilde, kildesystem FROM tiltak_bronze.deltaker "
        "WHERE id = 'd-1'"
    ) == ("g-1", date(2024, 2, 5), ts("2024-01-10T09:00"), "KOMET", "AMT_DELTAKER")
    assert lager.query(
        "SELECT id, status, gyldig_til FROM tiltak_bronze.deltaker_status WHERE deltaker_id = 'd-1' ORDER BY id"
    ) == [
        ("s-d1-1", "VENTER_PA_OPPSTART", ts("2024-02-05T08:00")),
        ("s-d1-2", "DELTAR", None),
    ]
    assert "deltakere i begge Komet-generasjoner (amt-deltaker er brukt): 1" in lager.ingest.output


def test_amt_tiltak_aktiv_flags_become_gyldig_til(lager):
    """amt-tiltak: gyldig_til is the next row's gyldig_fra, empty for the aktive row; a later row
    superseded by the aktive row ends where it starts; without an aktive row the last is open;
    ties on gyldig_fra are ordered by created_at."""
    rows = dict(
        lager.query(
            "SELECT id, gyldig_til FROM tiltak_bronze.deltaker_status WHERE kildesystem = 'AMT_TILTAK'"
        )
    )
    assert rows == {
        "s-t2-1": ts("2024-03-11T08:00"),
        "s-t2-2": None,
        "s-t2-3": ts("2024-03-12T08:00"),
        "s-t3-1": ts("2024-03-20T10:00"),
        "s-t3-2": ts("2024-03-25T10:00"),
        "s-t3-3": None,
    }


def test_amt_tiltak_registrert_falls_back_to_created_at(lager):
    """amt-tiltak's registrert_dato is the registration time; without it, created_at."""
    assert lager.one(
        "SELECT registrert_tidspunkt FROM tiltak_bronze.deltaker WHERE id = 'd-3'"
    ) == ts("2024-03-20T10:00")
    assert lager.one(
        "SELECT registrert_tidspunkt FROM tiltak_bronze.deltaker WHERE id = 'd-2'"
    ) == ts("2024-03-01T10:00")


def test_status_rows_without_a_deltaker_are_left_out_and_counted(lager):
    """A status row whose deltaker no generation holds is not loaded, and is reported."""
    assert (
        lager.query("SELECT * FROM tiltak_bronze.deltaker_status WHERE deltaker_id = 'd-x'") == []
    )
    assert (
        "amt_tiltak.deltaker_status: statusrader uten deltaker i noen Komet-generasjon (ikke lastet): 1"
        in lager.ingest.output
    )


# ------------------------------------------------------------------------------------- §14a


def test_14a_resends_count_once_and_only_fattede_vedtak(lager):
    """A resend (same behandling_id and endret_tid) and a later FATTET row of the same behandling
    give one vedtak; an AVBRUTT behandling gives none."""
    assert lager.query(
        "SELECT vedtak_id, fattet_tidspunkt FROM tiltak_bronze.vedtak_14a ORDER BY vedtak_id"
    ) == [
        ("101", ts("2024-01-08T12:00")),
        ("103", ts("2024-06-03T09:00")),
        ("104", ts("2024-02-01T10:00")),
        ("105", ts("2024-03-01T12:00")),
    ]


def test_14a_kode6_enhet_becomes_null(lager):
    """ansvarlig_enhet '-5' (kode 6 masking) lands as NULL; a real enhet passes through."""
    assert lager.query(
        "SELECT vedtak_id, ansvarlig_enhet FROM tiltak_bronze.vedtak_14a WHERE vedtak_id IN ('101', '103') "
        "ORDER BY 1"
    ) == [("101", "0219"), ("103", None)]


def test_14a_v1_names_pass_through_and_map_to_the_new_code_in_silver(lager):
    """A V1 innsatsgruppe name lands as given in bronze and silver maps it to the new code."""
    assert (
        lager.one("SELECT innsatsgruppe FROM tiltak_bronze.vedtak_14a WHERE vedtak_id = '101'")
        == "STANDARD_INNSATS"
    )
    assert lager.one(
        "SELECT innsatsgruppe, innsatsgruppe_kilde FROM tiltak_silver.person_innsatsgruppe "
        "WHERE vedtak_id = '101'"
    ) == ("GODE_MULIGHETER", "STANDARD_INNSATS")


def test_14a_innsatsgruppe_falls_back_to_behandling_resultat(lager):
    """Without innsatsgruppe, behandling_resultat is used; without ferdigbehandlet_tid, endret_tid."""
    assert (
        lager.one("SELECT innsatsgruppe FROM tiltak_bronze.vedtak_14a WHERE vedtak_id = '105'")
        == "GODE_MULIGHETER"
    )


# ------------------------------------------------------------------------ veilarboppfolging


@pytest.mark.parametrize(
    ("uuid", "start", "slutt"),
    [
        (
            "op-1",
            "2024-06-01T21:30",
            "2024-10-27T00:30",
        ),  # 23:30 CEST; 02:30 repeated: first (summer) occurrence
        ("op-2", "2024-03-31T01:30", None),  # 02:30 does not exist: read as winter time
        ("op-3", "2023-12-31T22:30", "2023-12-31T23:30"),  # 23:30 and 00:30 CET around new year
    ],
)
def test_oslo_wall_clock_datetimes_become_utc(lager, uuid, start, slutt):
    """veilarboppfolging's DATETIMEs are Oslo wall-clock time: UTC by Norway's DST rule, so the Oslo date is kept."""
    assert lager.one(
        "SELECT startdato, sluttdato FROM tiltak_bronze.oppfolgingsperiode WHERE oppfolgingsperiode_id = ?",
        [uuid],
    ) == (ts(start), ts(slutt) if slutt else None)


def test_oppfolgingsperiode_keeps_its_oslo_date_at_2330(lager):
    """A period starting 23:30 Oslo time starts that Oslo date (not the next, as reading it as UTC would)."""
    assert lager.one(
        "SELECT CAST(timezone('Europe/Oslo', CAST(startdato AS TIMESTAMPTZ)) AS DATE) "
        "FROM tiltak_bronze.oppfolgingsperiode WHERE oppfolgingsperiode_id = 'op-1'"
    ) == date(2024, 6, 1)


def test_veileder_tilordning_wall_clock_and_pseudonym(lager):
    """sist_tilordnet (Oslo 00:30) is UTC the evening before; the NAV ident is pseudonymised, trimmed and upper-cased."""
    assert lager.one(
        "SELECT tilordnet_tidspunkt, veileder_ident FROM tiltak_bronze.veileder_tilordning "
        "WHERE tilordning_seq = 1"
    ) == (ts("2024-06-01T22:30"), hmac_of("Z123456", KEY))


def test_veileder_idents_join_across_both_veileder_tables(lager):
    """The snapshot's veileder ident gets the same pseudonym as the tilordning's, so silver finds the group."""
    assert lager.one("SELECT veileder_ident FROM tiltak_bronze.veiledergruppe_snapshot") == hmac_of(
        "Z123456", KEY
    )
    assert lager.one(
        "SELECT veileder_ident FROM tiltak_silver.person_veileder WHERE person_id = ?", [person(F1)]
    ) == hmac_of("Z123456", KEY)


# ------------------------------------------------------------------------------ ao-kontor


def test_only_arbeidsoppfolging_rows_are_the_oppfolgingskontor(lager):
    """ARENA and GEOGRAFISK_TILKNYTNING rows (and rows without kontor_type) are not the
    oppfølgingskontor; ARBEIDSOPPFOLGING rows are, a FYLKE kontor included."""
    assert lager.query(
        "SELECT kontor_id, endringstype FROM tiltak_bronze.oppfolgingskontor_historikk WHERE person_id = ? "
        "ORDER BY endret_tidspunkt",
        [person(F1)],
    ) == [
        ("0219", "AutomatiskNorgRuting"),
        ("0600", "AutomatiskNorgRuting"),
    ]
    assert (
        lager.query(
            "SELECT * FROM tiltak_bronze.oppfolgingskontor_historikk WHERE kontor_id IN ('0221')"
        )
        == []
    )
    assert "rader med ukjent eller manglende kontor_type (ikke lastet): 1" in lager.ingest.output


def test_a_fylke_kontor_in_ao_history_is_never_a_kontor_in_silver(lager):
    """The FYLKE unit 0600 passes the source layer and silver marks it, so it is never a kontor."""
    assert (
        lager.one(
            "SELECT er_fylke FROM tiltak_silver.person_kontor WHERE person_id = ? AND kontor_id = '0600'",
            [person(F1)],
        )
        is True
    )


# -------------------------------------------------------------------------------- Team Tiltak


def test_team_tiltak_duplicates_collapse_and_json_is_parsed(lager):
    """At-least-once duplicates (same avtale, versjon, hendelseType, sistEndret) land once, with
    hendelse_id partition-offset; sistEndret (nanoseconds, Z) is the tidspunkt; invalid JSON is left out and counted."""
    assert lager.query(
        "SELECT hendelse_id, versjon, tidspunkt, avtale_status, start_dato, slutt_dato, enhet_oppfolging, tiltakstype "
        "FROM tiltak_bronze.arbeidsgiver_avtale_hendelse WHERE avtale_id = 'a-1' ORDER BY versjon"
    ) == [
        (
            "0-5",
            1,
            ts("2024-05-01T08:00:00.123456"),
            "PÅBEGYNT",
            date(2024, 5, 6),
            date(2024, 11, 6),
            "0219",
            "MIDLERTIDIG_LONNSTILSKUDD",
        ),
        (
            "0-10",
            2,
            ts("2024-05-06T06:00"),
            "GJENNOMFØRES",
            date(2024, 5, 6),
            date(2024, 11, 6),
            "0219",
            "MIDLERTIDIG_LONNSTILSKUDD",
        ),
    ]
    assert "meldinger som ikke er gyldig JSON (ikke lastet): 1" in lager.ingest.output
    assert (
        "duplikate hendelser (Kafka leverer minst én gang; telt én gang): 1" in lager.ingest.output
    )


def test_team_tiltak_opprettet_is_oslo_local_date_time(lager):
    """opprettetTidspunkt is a LocalDateTime (Oslo, no offset, no seconds): 00:30 on 1 May is 22:30 UTC the day before."""
    assert lager.one(
        "SELECT DISTINCT opprettet_tidspunkt FROM tiltak_bronze.arbeidsgiver_avtale_hendelse "
        "WHERE avtale_id = 'a-1'"
    ) == ts("2024-04-30T22:30")


# ------------------------------------------------------------------------------- Valp, Norg2


def test_gjennomforing_without_public_row_has_null_navn_and_plasser(lager):
    """navn, antall_plasser and oppstart come from public_gjennomforing where it has the row; else null."""
    assert lager.query(
        "SELECT id, navn, antall_plasser, oppstart FROM tiltak_bronze.gjennomforing ORDER BY id"
    ) == [
        ("g-1", "AFT Bærum", 20, "LOPENDE"),
        ("g-2", None, None, None),
    ]


def test_valp_text_is_trimmed_of_unicode_whitespace(lager):
    """A no-break space and trailing blanks around Valp text are gone (the same rule on both engines)."""
    assert lager.one("SELECT navn FROM tiltak_bronze.tiltakstype") == "Arbeidsforberedende trening"
    assert lager.query(
        "SELECT DISTINCT enhetsnummer FROM tiltak_bronze.gjennomforing_nav_enhet ORDER BY 1"
    ) == [("0219",), ("0600",)]


def test_norg2_latest_fetch_wins(lager):
    """nav_enhet holds each enhet once, from the latest Norg2 fetch, with type and overordnet enhet."""
    assert lager.query(
        "SELECT enhetsnummer, navn, type, overordnet_enhet FROM tiltak_bronze.nav_enhet ORDER BY 1"
    ) == [
        ("0219", "Nav Bærum", "LOKAL", "0600"),
        ("0220", "Nav Asker", "LOKAL", "0600"),
        ("0600", "Nav Vest-Viken", "FYLKE", None),
    ]


# ------------------------------------------------------------------------- the whole ingest


def test_ingest_records_datasett_rows_as_real_data(lager):
    """Every mapped bronze table has a metrikk_meta.datasett row with its row count, not synthetic here."""
    rows = dict(
        (t, (s, n))
        for t, s, n in lager.query(
            "SELECT table_name, syntetisk, rader FROM metrikk_meta.datasett WHERE schema_name = 'tiltak_bronze'"
        )
    )
    assert rows["vedtak_14a"] == (False, 4)
    assert rows["deltaker"] == (False, 3)
    assert all(not s for s, _ in rows.values())


def test_no_fnr_aktor_id_or_nav_ident_passes_beyond_the_source_layer(lager):
    """No string column of any tiltak_bronze, tiltak_silver or tiltak_gold table holds an 11-digit
    fnr, a 13-digit aktør-id or a NAV ident (letter + 6 digits), nor any ident of the raw rows."""
    scanned, leaks = ident_leaks(lager, ALLE_IDENTER)
    assert scanned > 100
    assert not leaks, leaks
