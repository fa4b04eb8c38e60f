"""CONTRACT §3 rules, one test each, on the hand-made sources of `scenario.py`.

The sources are loaded with `metrikk load` and computed with one `metrikk run --as-of
2027-01-06 --domain tiltak`; every test reads the published tables with plain SQL.
"""

from __future__ import annotations

from datetime import date

import pytest
import tiltak_scenario as scenario

W10, W11, W12, W13 = date(2025, 3, 3), date(2025, 3, 10), date(2025, 3, 17), date(2025, 3, 24)
W06, W07, W08, W09 = date(2025, 2, 3), date(2025, 2, 10), date(2025, 2, 17), date(2025, 2, 24)


@pytest.fixture(scope="module", name="lager")
def _lager(lager_for, tmp_path_factory):
    lager = lager_for("regler")
    kilder = scenario.build().write(tmp_path_factory.mktemp("kilder"))
    lager.metrikk("load", kilder)
    lager.metrikk("run", "--as-of", scenario.AS_OF, "--domain", "tiltak")
    return lager


def rad(lager, deltakelse_id: str, uke_start: date, *columns: str):
    cols = ", ".join(columns)
    return lager.one(
        f"SELECT {cols} FROM tiltak_silver.deltakelse_uke WHERE deltakelse_id = ? AND uke_start = ?",
        [deltakelse_id, uke_start],
    )


def uker(lager, deltakelse_id: str) -> list[date]:
    rows = lager.query(
        "SELECT uke_start FROM tiltak_silver.deltakelse_uke WHERE deltakelse_id = ? ORDER BY uke_start",
        [deltakelse_id],
    )
    return [r[0] for r in rows]


def test_fylke_enhet_is_never_kontor(lager):
    """A deltaker on a gjennomføring tied to 0600 (FYLKE) and 0219 (LOKAL) is counted once, at 0219."""
    assert uker(lager, "D01") == [W11]
    assert rad(lager, "D01", W11, "kontor", "kontor_navn", "fylke", "kontor_kilde") == (
        "0219",
        "Nav Bærum",
        "0600",
        "GJENNOMFORING",
    )
    assert lager.query(
        "SELECT count(*) FROM tiltak_gold.uke_deltakere WHERE kontor IN ('0600', '0300')"
    ) == [(0,)]
    assert lager.query(
        "SELECT count(*) FROM tiltak_silver.deltakelse_uke WHERE kontor IN ('0600', '0300')"
    ) == [(0,)]


def test_fylke_oppfolgingskontor_falls_back(lager):
    """An oppfølgingskontor that is a FYLKE unit is skipped; the next fallback step gives the kontor."""
    assert rad(lager, "D19", W11, "kontor", "kontor_kilde") == ("0219", "GJENNOMFORING")


def test_innsatsgruppe_change_mid_week_reference_day_wins(lager):
    """A new vedtak on Wednesday applies to a week whose reference day (Sunday) is after it."""
    assert rad(lager, "D02", W10, "innsatsgruppe") == "GODE_MULIGHETER"
    assert rad(lager, "D02", W11, "innsatsgruppe", "referansedag") == (
        "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE",
        date(2025, 3, 16),
    )


def test_reference_day_is_last_active_day(lager):
    """A deltakelse ending Wednesday is read on Wednesday: a vedtak on Thursday does not apply."""
    assert rad(lager, "D03", W11, "referansedag", "innsatsgruppe", "sluttet") == (
        date(2025, 3, 12),
        "GODE_MULIGHETER",
        True,
    )


def test_vedtak_at_2330_utc_is_next_day_in_oslo(lager):
    """A vedtak fattet Sunday 23:30 UTC is Monday in Oslo: not valid on Sunday, valid on Monday."""
    assert rad(lager, "D04", W11, "innsatsgruppe") == "UKJENT"
    assert rad(lager, "D04B", W12, "innsatsgruppe") == "TRENGER_VEILEDNING"
    assert lager.one(
        "SELECT gyldig_fra FROM tiltak_silver.person_innsatsgruppe WHERE person_id = 'P04'"
    ) == date(2025, 3, 17)


def test_veileder_leaves_one_group_and_joins_another(lager):
    """The group held on the reference day decides avdeling; a mapped group gives its avdeling."""
    assert rad(lager, "D06", W10, "avdeling", "veiledergruppe_id") == ("Team Øst", "1")
    assert rad(lager, "D06", W11, "avdeling", "veiledergruppe_id") == ("Avdeling Vest", "2")
    assert rad(lager, "D06", W13, "avdeling") == "Avdeling Vest"
    medlemskap = lager.query(
        "SELECT gruppe_id, gyldig_fra, gyldig_til FROM tiltak_silver.veiledergruppe_medlemskap "
        "WHERE veileder_ident = 'V1' ORDER BY gyldig_fra"
    )
    assert medlemskap == [
        ("1", date(2025, 3, 1), date(2025, 3, 12)),
        ("2", date(2025, 3, 13), date(9999, 12, 31)),
    ]


def test_veileder_in_two_groups_earliest_current_membership_wins(lager):
    """Of two groups, the one whose current membership started first wins (not an older, ended one)."""
    assert rad(lager, "D07", W11, "avdeling", "veiledergruppe_id") == ("Alfa", "10")


def test_veileder_in_two_groups_same_start_lowest_gruppe_id(lager):
    """Two memberships that start the same day: the lowest gruppe_id wins; the veileder is the latest seq."""
    assert rad(lager, "D08", W11, "avdeling", "veiledergruppe_id") == ("Gamma", "11")


def test_parallel_deltakelser_count_one_person(lager):
    """Two parallel deltakelser of one person in one cell: antall_personer 1, antall_deltakelser 2."""
    assert lager.one(
        "SELECT antall_personer, antall_deltakelser, antall_startet, antall_sluttet FROM tiltak_gold.uke_deltakere "
        "WHERE uke_start = ? AND kontor = '0220' AND tiltakskode = 'OPPFOLGING'",
        [W11],
    ) == (1, 2, 2, 2)
    assert (
        lager.one(
            "SELECT antall FROM tiltak_gold.uke_antall WHERE aar = 2025 AND uke = 11 AND kontor = '0220' "
            "AND tiltaksnavn = 'Oppfølging'"
        )
        == 1
    )


def test_antall_avdeling_counts_distinct_persons_over_innsatsgrupper(lager):
    """A person in two innsatsgrupper in one week is 1 in each uke_antall row and 1 in uke_antall_avdeling."""
    assert lager.query(
        "SELECT innsatsgruppe, antall FROM tiltak_gold.uke_antall WHERE aar = 2025 AND uke = 11 "
        "AND kontor = '0301' AND tiltaksnavn = 'Oppfølging' ORDER BY innsatsgruppe"
    ) == [("GODE_MULIGHETER", 1), ("TRENGER_VEILEDNING", 1)]
    assert (
        lager.one(
            "SELECT antall FROM tiltak_gold.uke_antall_avdeling WHERE aar = 2025 AND uke = 11 "
            "AND kontor = '0301' AND tiltaksnavn = 'Oppfølging'"
        )
        == 1
    )


def test_open_ended_deltakelse_cut_at_as_of_and_iso_week_53(lager):
    """An open deltakelse counts in every week up to the last one ended by as_of, including 2026-W53."""
    weeks = uker(lager, "D10")
    assert weeks[0] == date(2026, 11, 30) and weeks[-1] == date(2026, 12, 28) and len(weeks) == 5
    assert rad(lager, "D10", date(2026, 12, 28), "aar", "uke", "referansedag", "sluttet") == (
        2026,
        53,
        date(2027, 1, 3),
        False,
    )
    assert (
        lager.one(
            "SELECT antall_personer FROM tiltak_gold.uke_deltakere WHERE aar = 2026 AND uke = 53"
        )
        == 1
    )


def test_weeks_after_as_of_not_published(lager):
    """No table holds a week that had not ended on as_of (2027-01-06)."""
    for table in (
        "tiltak_silver.deltakelse_uke",
        "tiltak_gold.uke_deltakere",
        "tiltak_gold.uke_antall",
        "tiltak_gold.uke_antall_avdeling",
        "tiltak_gold.uke_gjennomforing",
        "tiltak_gold.uke_datakvalitet",
        "tiltak_silver.oppfolging_uke",
        "tiltak_gold.uke_oppfolging",
        "tiltak_silver.oppstart",
        "tiltak_gold.uke_ventetid",
    ):
        assert lager.one(f"SELECT max(uke_start) FROM {table}") <= date(2026, 12, 28), table


def test_iso_weeks_are_mondays_with_iso_year_and_number(lager):
    """Every published week starts on a Monday and carries its ISO year and week number."""
    rows = lager.query(
        "SELECT DISTINCT aar, uke, uke_start FROM tiltak_gold.uke_gjennomforing "
        "UNION SELECT DISTINCT aar, uke, uke_start FROM tiltak_gold.uke_datakvalitet"
    )
    assert len(rows) > 50
    for aar, uke, uke_start in rows:
        assert uke_start.isoweekday() == 1
        assert (aar, uke) == uke_start.isocalendar()[:2]


def test_not_taking_part_statuses_never_count(lager):
    """FEILREGISTRERT, IKKE_AKTUELL and waiting statuses never count; AVBRUTT and FULLFORT do."""
    assert uker(lager, "D11") == [] and uker(lager, "D12") == [] and uker(lager, "D13B") == []
    assert uker(lager, "D13") == [W11] and uker(lager, "D13C") == [W11]
    assert lager.one(
        "SELECT telles, ikke_telt_aarsak FROM tiltak_silver.deltakelse WHERE deltakelse_id = 'D11'"
    ) == (False, None)


def test_kontor_fallback_order(lager):
    """oppfølgingskontor, then avtale enhet_oppfolging (not FYLKE), then the only LOKAL enhet, else UKJENT."""
    assert rad(lager, "D14", W11, "kontor", "kontor_kilde") == ("0312", "OPPFOLGINGSKONTOR")
    assert rad(lager, "A15", W11, "kontor", "kontor_kilde", "kilde", "gjennomforing_id") == (
        "0220",
        "AVTALE",
        "ARBEIDSGIVER",
        None,
    )
    assert rad(lager, "A16", W11, "kontor", "kontor_navn", "fylke", "kontor_kilde") == (
        "UKJENT",
        "Ukjent kontor",
        "UKJENT",
        "UKJENT",
    )
    assert rad(lager, "D17", W11, "kontor", "kontor_kilde") == ("0219", "GJENNOMFORING")
    assert rad(lager, "D18", W11, "kontor", "kontor_kilde") == ("UKJENT", "UKJENT")


def test_arbeidsgiver_latest_event_by_versjon(lager):
    """An avtale is read from its highest versjon: ANNULLERT there means it never counts."""
    assert uker(lager, "A20") == []
    assert rad(lager, "A15", W11, "tiltakskode", "tiltakstype_navn", "tiltakskategori") == (
        "ARBEIDSTRENING",
        "Arbeidstrening",
        "ARBEIDSGIVER",
    )
    assert rad(lager, "A16", W11, "tiltakstype_navn") == "Midlertidig lønnstilskudd"


def test_innsatsgruppe_codes(lager):
    """IVURD is UKJENT even after an earlier IKVAL; old and Arena codes map to the new codes."""
    assert rad(lager, "D21", W11, "innsatsgruppe") == "UKJENT"
    assert rad(lager, "D22", W11, "innsatsgruppe") == "JOBBE_DELVIS"
    assert rad(lager, "D23", W11, "innsatsgruppe") == "LITEN_MULIGHET_TIL_A_JOBBE"
    assert rad(lager, "D26", W11, "innsatsgruppe") == "LITEN_MULIGHET_TIL_A_JOBBE"


def test_tiltakskategori(lager):
    """Gruppe, egen regi and enkeltplass tiltak get their category."""
    assert rad(lager, "D01", W11, "tiltakskategori") == "GRUPPE"
    assert rad(lager, "D37", W11, "tiltakskategori") == "EGEN_REGI"
    assert rad(lager, "D38", W11, "tiltakskategori") == "ENKELTPLASS"


def gjennomforing(lager, gid: str, uke_start: date):
    rows = lager.query(
        "SELECT antall_deltar, antall_venter, antall_plasser, belegg, antall_fra_lokale_kontor, "
        "antall_fra_andre_kontor FROM tiltak_gold.uke_gjennomforing WHERE gjennomforing_id = ? AND uke_start = ?",
        [gid, uke_start],
    )
    return rows[0] if rows else None


def test_waiting_is_status_at_end_of_sunday_oslo(lager):
    """Venter counts the status valid at the end of Sunday in Oslo; weeks with only waiting have a row."""
    assert gjennomforing(lager, "G5", date(2025, 2, 24)) is None
    assert gjennomforing(lager, "G5", W10)[:2] == (0, 1)
    assert gjennomforing(lager, "G5", W11)[:2] == (0, 2)  # VENTELISTE until Monday 00:30 Oslo
    assert gjennomforing(lager, "G5", W12) == (1, 0, 20, pytest.approx(0.05), 1, 0)
    assert gjennomforing(lager, "G5", date(2025, 3, 31)) is None


def test_belegg_and_local_kontor(lager):
    """belegg = deltar / plasser (null without plasser); local = kontor among the LOKAL enheter."""
    assert gjennomforing(lager, "G1", W11) == (6, 0, 10, pytest.approx(0.6), 4, 2)
    assert gjennomforing(lager, "G7", W11) == (3, 0, None, None, 1, 2)


def test_data_quality_by_reason_in_week_of_registration(lager):
    """Not-counted deltakelser that took part are reported by reason in their Oslo registration week."""
    row = lager.one(
        "SELECT antall_telt, uten_innsatsgruppe, uten_avdeling, uten_kontor, kontor_fra_fallback, "
        "ikke_telt_mangler_start, ikke_telt_ugyldig_periode, ikke_telt_ukjent_gjennomforing "
        "FROM tiltak_gold.uke_datakvalitet WHERE aar = 2024 AND uke = 20"
    )
    assert row == (2, 2, 2, 1, 1, 2, 1, 1)
    assert (
        lager.query("SELECT * FROM tiltak_gold.uke_datakvalitet WHERE aar = 2024 AND uke = 19")
        == []
    )


def test_conservation_every_week(lager):
    """Per week: rows of deltakelse_uke = Σ antall_deltakelser of uke_deltakere = antall_telt."""
    rows = lager.query(
        """
        WITH a AS (SELECT uke_start, count(*) n FROM tiltak_silver.deltakelse_uke GROUP BY 1),
             b AS (SELECT uke_start, sum(antall_deltakelser) n FROM tiltak_gold.uke_deltakere GROUP BY 1),
             c AS (SELECT uke_start, antall_telt n FROM tiltak_gold.uke_datakvalitet WHERE antall_telt > 0)
        SELECT coalesce(a.uke_start, b.uke_start, c.uke_start), a.n, b.n, c.n
        FROM a FULL JOIN b USING (uke_start) FULL JOIN c USING (uke_start)
        """
    )
    assert len(rows) >= 10
    assert all(a == b == c for _, a, b, c in rows), rows
    total = lager.one("SELECT count(*) FROM tiltak_silver.deltakelse WHERE telles")
    assert total == lager.one(
        "SELECT count(DISTINCT deltakelse_id) FROM tiltak_silver.deltakelse_uke"
    )


def test_gold_tables_are_sparse(lager):
    """No gold row has all measures zero."""
    assert (
        lager.one("SELECT count(*) FROM tiltak_gold.uke_deltakere WHERE antall_deltakelser = 0")
        == 0
    )
    assert lager.one("SELECT count(*) FROM tiltak_gold.uke_antall WHERE antall = 0") == 0
    assert (
        lager.one(
            "SELECT count(*) FROM tiltak_gold.uke_gjennomforing WHERE antall_deltar = 0 AND antall_venter = 0"
        )
        == 0
    )


# ---- Under oppfølging (CONTRACT §3) ------------------------------------------------------------


def oppfolging(lager, person_id: str, *columns: str) -> dict[date, tuple]:
    """The person's oppfolging_uke rows by week: uke_start -> (columns...)."""
    cols = ", ".join(("uke_start", *columns))
    rows = lager.query(
        f"SELECT {cols} FROM tiltak_silver.oppfolging_uke WHERE person_id = ? ORDER BY uke_start",
        [person_id],
    )
    return {r[0]: r[1:] for r in rows}


def oppfolging_celle(lager, uke_start: date, kontor: str, avdeling: str, innsatsgruppe: str):
    rows = lager.query(
        "SELECT antall_under_oppfolging, antall_paa_tiltak FROM tiltak_gold.uke_oppfolging "
        "WHERE uke_start = ? AND kontor = ? AND avdeling = ? AND innsatsgruppe = ?",
        [uke_start, kontor, avdeling, innsatsgruppe],
    )
    return rows[0] if rows else None


def test_period_ending_on_sunday_ends_that_day(lager):
    """A period whose sluttdato is on Sunday counts that Sunday (the kontor set then applies) and no later week."""
    assert oppfolging(lager, "P40", "referansedag", "kontor") == {
        W06: (date(2025, 2, 9), "0219"),
        W07: (date(2025, 2, 16), "0220"),
    }
    assert oppfolging_celle(lager, W07, "0220", "Uten avdeling", "UKJENT") == (1, 0)


def test_two_periods_in_one_week_one_row_last_day(lager):
    """Two periods in one week give one row, read on the last day of the later one; a week with no day has none."""
    got = oppfolging(lager, "P41", "referansedag", "innsatsgruppe")
    assert got == {
        W06: (date(2025, 2, 9), "GODE_MULIGHETER"),
        # the first period ends Tuesday, the new vedtak is fattet Wednesday (a gap day), the
        # second period runs to Sunday: the reference day is Sunday, with the new vedtak
        W07: (date(2025, 2, 16), "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE"),
        W08: (date(2025, 2, 23), "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE"),
        W09: (date(2025, 3, 2), "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE"),
        W10: (date(2025, 3, 5), "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE"),
        W12: (date(2025, 3, 23), "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE"),
        W13: (date(2025, 3, 28), "TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE"),
    }
    assert lager.one(
        "SELECT gyldig_fra, gyldig_til, neste_fra, antall_perioder FROM tiltak_silver.person_oppfolging "
        "WHERE person_id = 'P41' AND gyldig_fra = DATE '2025-02-13'"
    ) == (date(2025, 2, 13), date(2025, 3, 5), date(2025, 3, 17), 2)


def test_period_starting_2330_utc_starts_next_oslo_day(lager):
    """A period starting Sunday 23:30 UTC starts Monday in Oslo: the Sunday's week is not under oppfølging."""
    assert oppfolging(lager, "P42", "referansedag") == {
        W07: (date(2025, 2, 16),),
        W08: (date(2025, 2, 20),),
    }


def test_fylke_kontor_is_ukjent_under_oppfolging_but_deltakelse_falls_back(lager):
    """A FYLKE unit as latest kontor gives UKJENT under oppfølging (no fallback, no older row); the
    person's deltakelse still gets the gjennomføring's LOKAL enhet, and the person counts as på tiltak."""
    assert oppfolging(lager, "P43", "kontor", "paa_tiltak") == {
        W06: ("UKJENT", False),
        W07: ("UKJENT", True),
        W08: ("UKJENT", False),
        W09: ("UKJENT", False),
    }
    assert rad(lager, "D43", W07, "kontor", "kontor_kilde") == ("0219", "GJENNOMFORING")
    assert oppfolging_celle(lager, W07, "UKJENT", "Uten avdeling", "GODE_MULIGHETER") == (1, 1)
    assert (
        lager.one(
            "SELECT count(*) FROM tiltak_gold.uke_oppfolging WHERE kontor IN ('0600', '0300')"
        )
        == 0
    )


def test_on_tiltak_without_oppfolging_counts_only_in_uke_deltakere(lager):
    """A deltaker with no oppfølgingsperiode is counted on tiltak but is in no oppfølging row."""
    assert uker(lager, "D44") == [W07]
    assert oppfolging(lager, "P44") == {}


def test_under_oppfolging_without_deltakelse_is_not_paa_tiltak(lager):
    """A person under oppfølging with no deltakelse counts in antall_under_oppfolging only."""
    assert oppfolging(lager, "P45", "kontor", "paa_tiltak") == {
        W06: ("0312", False),
        W07: ("0312", False),
    }
    assert oppfolging_celle(lager, W07, "0312", "Uten avdeling", "UKJENT") == (1, 0)


def test_oppfolging_avdeling_as_of_reference_day(lager):
    """Avdeling under oppfølging is the veileder's group at the oppfølgingskontor on the reference day."""
    assert oppfolging(
        lager, "P46", "referansedag", "avdeling", "veiledergruppe_id", "paa_tiltak"
    ) == {
        W10: (date(2025, 3, 9), "Team Øst", "1", False),
        W11: (date(2025, 3, 16), "Avdeling Vest", "2", False),
        W12: (date(2025, 3, 21), "Avdeling Vest", "2", True),
    }


def test_oppfolging_conservation_every_week(lager):
    """Per week: distinct persons of deltakelse_uke under oppfølging = Σ antall_paa_tiltak, and
    rows of oppfolging_uke = Σ antall_under_oppfolging."""
    rows = lager.query(
        """
        WITH d AS (SELECT DISTINCT person_id, uke_start FROM tiltak_silver.deltakelse_uke),
             a AS (SELECT o.uke_start, count(d.person_id) AS paa, count(*) AS under_oppf
                   FROM tiltak_silver.oppfolging_uke AS o LEFT JOIN d USING (person_id, uke_start) GROUP BY 1),
             b AS (SELECT uke_start, sum(antall_paa_tiltak) AS paa, sum(antall_under_oppfolging) AS under_oppf
                   FROM tiltak_gold.uke_oppfolging GROUP BY 1)
        SELECT uke_start, a.paa, b.paa, a.under_oppf, b.under_oppf FROM a FULL JOIN b USING (uke_start)
        """
    )
    assert len(rows) >= 7
    assert all(a == b and c == d for _, a, b, c, d in rows), rows
    assert (
        lager.one(
            "SELECT sum(antall_paa_tiltak) FROM tiltak_gold.uke_oppfolging WHERE uke_start = ?",
            [W07],
        )
        == 1
    )


# ---- Ventetid (CONTRACT §3) ---------------------------------------------------------------------


def oppstart(lager, deltakelse_id: str, *columns: str):
    return lager.one(
        f"SELECT {', '.join(columns)} FROM tiltak_silver.oppstart WHERE deltakelse_id = ?",
        [deltakelse_id],
    )


def ventetid_celle(lager, uke_start: date, kontor: str, tiltakskode: str):
    return lager.one(
        "SELECT antall_oppstart, sum_ventedager, antall_ventet_over_14, antall_ventet_over_30, antall_ventet_over_90 "
        "FROM tiltak_gold.uke_ventetid WHERE uke_start = ? AND kontor = ? AND tiltakskode = ?",
        [uke_start, kontor, tiltakskode],
    )


def test_wait_starting_after_start_dato_is_zero(lager):
    """A waiting status after start_dato, or from the start day itself, gives 0 ventedager."""
    assert oppstart(lager, "D50A", "forste_venter_dato", "ventedager") == (date(2025, 2, 13), 0)
    assert oppstart(lager, "D50B", "forste_venter_dato", "ventedager") == (date(2025, 2, 12), 0)


def test_never_waited_is_zero(lager):
    """A deltakelse without any waiting status has 0 ventedager."""
    assert oppstart(lager, "D51", "forste_venter_dato", "ventedager") == (None, 0)


def test_earliest_of_several_waiting_statuses_in_oslo(lager):
    """The earliest waiting status counts (SOKT_INN at 23:30 UTC on 1 January = 2 January in Oslo): 41 days."""
    assert oppstart(lager, "D52", "forste_venter_dato", "ventedager") == (date(2025, 1, 2), 41)
    assert ventetid_celle(lager, W07, "0219", "AVKLARING") == (4, 41, 1, 1, 0)


def test_ventetid_thresholds_are_strictly_greater(lager):
    """Exactly 14, 30 and 90 days are not over 14, 30 and 90; 15, 31 and 91 are."""
    for did, days in scenario.VENTEDAGER.items():
        assert oppstart(lager, did, "ventedager", "kontor", "kontor_kilde") == (
            days,
            "0312",
            "GJENNOMFORING",
        ), did
    assert ventetid_celle(lager, W07, "0312", "OPPFOLGING") == (
        6,
        14 + 15 + 30 + 31 + 90 + 91,
        5,
        3,
        1,
    )


def test_ventetid_kontor_as_of_start_dato(lager):
    """The kontor is read on start_dato (the week's deltakelse row is read on Sunday), with the
    deltakelse fallbacks when the oppfølgingskontor is a FYLKE unit."""
    assert oppstart(lager, "D59", "kontor", "kontor_kilde") == ("0219", "OPPFOLGINGSKONTOR")
    assert rad(lager, "D59", W07, "kontor") == "0220"
    assert oppstart(lager, "D43", "kontor", "kontor_kilde") == ("0219", "GJENNOMFORING")
    # D43 (G1), D44 (G6, only LOKAL enhet 0219) and D59 start in W07 at 0219 without waiting
    assert ventetid_celle(lager, W07, "0219", "OPPFOLGING") == (3, 0, 0, 0, 0)


def test_ventetid_conservation_every_week(lager):
    """Per week: Komet deltakelser starting (deltakelse_uke) = rows of oppstart = Σ antall_oppstart."""
    rows = lager.query(
        """
        WITH a AS (SELECT uke_start, count(*) n FROM tiltak_silver.deltakelse_uke WHERE kilde = 'KOMET' AND startet GROUP BY 1),
             b AS (SELECT uke_start, count(*) n FROM tiltak_silver.oppstart GROUP BY 1),
             c AS (SELECT uke_start, sum(antall_oppstart) n FROM tiltak_gold.uke_ventetid GROUP BY 1)
        SELECT uke_start, a.n, b.n, c.n FROM a FULL JOIN b USING (uke_start) FULL JOIN c USING (uke_start)
        """
    )
    assert len(rows) >= 5
    assert all(a == b == c for _, a, b, c in rows), rows


# ---- tiltaksgruppe (CONTRACT §3) ----------------------------------------------------------------


def test_tiltaksgruppe_office_beats_national_beats_tiltakstype_navn(lager):
    """The office's row for (kontor, tiltakskode), else the national row, else tiltakstype_navn."""
    assert rad(lager, "D01", W11, "kontor", "tiltaksgruppe") == ("0219", "Oppfølging Bærum")
    assert rad(lager, "D14", W11, "kontor", "tiltaksgruppe") == ("0312", "Oppfølging nasjonal")
    assert rad(lager, "D02", W11, "tiltaksgruppe") == "Avklaring og kartlegging"
    assert rad(lager, "D18", W11, "kontor", "tiltaksgruppe") == (
        "UKJENT",
        "Avklaring og kartlegging",
    )
    assert rad(lager, "D37", W11, "tiltaksgruppe") == "Individuell jobbstøtte (IPS)"
    assert rad(lager, "A15", W11, "tiltaksgruppe") == "Arbeidstrening"
    # two rows for 0220 and OPPFOLGING: the alphabetically first
    assert rad(lager, "D09A", W11, "kontor", "tiltaksgruppe") == ("0220", "Team A")
    # the same deltakelse in ventetid is read at its kontor on start_dato (0219), in the week at 0220
    assert oppstart(lager, "D59", "tiltaksgruppe") == "Oppfølging Bærum"
    assert rad(lager, "D59", W07, "tiltaksgruppe") == "Team A"
