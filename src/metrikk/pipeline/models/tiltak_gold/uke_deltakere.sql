MODEL (
  name tiltak_gold.uke_deltakere,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column uke_start,
    lookback 28
  ),
  cron '0 0 * * 1',
  start '2022-01-03',
  clustered_by kontor,
  grain (aar, uke, uke_start, kontor, kontor_navn, fylke, avdeling, innsatsgruppe, tiltakskode, tiltakstype_navn, tiltakskategori),
  audits (
    unique_combination_of_columns(columns := (
      aar, uke, uke_start, kontor, kontor_navn, fylke, avdeling, innsatsgruppe, tiltakskode, tiltakstype_navn, tiltakskategori
    )),
    not_null(columns := (
      aar, uke, uke_start, kontor, kontor_navn, fylke, avdeling, innsatsgruppe, tiltakskode, tiltakstype_navn, tiltakskategori,
      antall_personer, antall_deltakelser, antall_startet, antall_sluttet
    )),
    accepted_values(
      column := innsatsgruppe,
      is_in := ('GODE_MULIGHETER', 'TRENGER_VEILEDNING', 'TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE', 'JOBBE_DELVIS', 'LITEN_MULIGHET_TIL_A_JOBBE', 'UKJENT')
    ),
    accepted_values(column := tiltakskategori, is_in := ('GRUPPE', 'ENKELTPLASS', 'ARBEIDSGIVER', 'EGEN_REGI')),
    accepted_range(column := antall_deltakelser, min_v := 1)
  ),
  description 'Én rad per ISO-uke, kontor, avdeling, innsatsgruppe og tiltakstype der minst én deltakelse telles. Tallene gjelder deltakelser med minst én aktiv dag i uken, med attributter slik de var på deltakelsens siste aktive dag i uken. Tabellen er glissen: kombinasjoner uten deltakelser har ingen rad.',
  column_descriptions (
    aar = 'ISO-år for uken.',
    uke = 'ISO-ukenummer.',
    uke_start = 'Mandagen i uken.',
    kontor = 'Enhetsnummeret til deltakerens kontor (oppfølgingskontor, ellers avtalens oppfølgingsenhet, ellers gjennomføringens eneste lokale enhet), eller UKJENT. Aldri en FYLKE-enhet.',
    kontor_navn = 'Kontorets navn, eller Ukjent kontor.',
    fylke = 'Overordnet fylkesenhet for kontoret, eller UKJENT.',
    avdeling = 'Avdelingen til veilederens veiledergruppe på kontoret, ellers Uten avdeling.',
    innsatsgruppe = 'Innsatsgruppe (ny kode) fra siste §14a-vedtak, eller UKJENT.',
    tiltakskode = 'Tiltakskode (Valp; arbeidsgiver: avtalens tiltakstype).',
    tiltakstype_navn = 'Tiltakstypens navn.',
    tiltakskategori = 'GRUPPE, ENKELTPLASS, ARBEIDSGIVER eller EGEN_REGI.',
    antall_personer = 'Antall ulike personer.',
    antall_deltakelser = 'Antall deltakelser (en person kan ha flere samtidig).',
    antall_startet = 'Antall deltakelser med startdato i uken.',
    antall_sluttet = 'Antall deltakelser som sluttet i uken (sluttdato satt og i uken).'
  )
);

WITH deltakelse_uke AS (
  SELECT
    aar, uke, uke_start, kontor, kontor_navn, fylke, avdeling, innsatsgruppe, tiltakskode, tiltakstype_navn,
    tiltakskategori, person_id, startet, sluttet
  FROM tiltak_silver.deltakelse_uke
  WHERE uke_start BETWEEN @start_date AND @end_date
),

per_celle AS (
  -- aar and uke are functions of uke_start (deltakelse_uke takes all three from one week row), so
  -- they are carried with MIN() instead of being grouped by: fewer keys, the same groups.
  SELECT
    MIN(aar) AS aar, MIN(uke) AS uke, uke_start, kontor, kontor_navn, fylke, avdeling, innsatsgruppe, tiltakskode, tiltakstype_navn,
    tiltakskategori,
    COUNT(DISTINCT person_id) AS antall_personer,
    COUNT(*) AS antall_deltakelser,
    COUNTIF(startet) AS antall_startet,
    COUNTIF(sluttet) AS antall_sluttet
  FROM deltakelse_uke
  GROUP BY uke_start, kontor, kontor_navn, fylke, avdeling, innsatsgruppe, tiltakskode, tiltakstype_navn, tiltakskategori
)

SELECT
  CAST(aar AS INT64) AS aar,
  CAST(uke AS INT64) AS uke,
  CAST(uke_start AS DATE) AS uke_start,
  CAST(kontor AS STRING) AS kontor,
  CAST(kontor_navn AS STRING) AS kontor_navn,
  CAST(fylke AS STRING) AS fylke,
  CAST(avdeling AS STRING) AS avdeling,
  CAST(innsatsgruppe AS STRING) AS innsatsgruppe,
  CAST(tiltakskode AS STRING) AS tiltakskode,
  CAST(tiltakstype_navn AS STRING) AS tiltakstype_navn,
  CAST(tiltakskategori AS STRING) AS tiltakskategori,
  CAST(antall_personer AS INT64) AS antall_personer,
  CAST(antall_deltakelser AS INT64) AS antall_deltakelser,
  CAST(antall_startet AS INT64) AS antall_startet,
  CAST(antall_sluttet AS INT64) AS antall_sluttet
FROM per_celle
-- Stored in week order on DuckDB: readers pick weeks, and zone maps then skip the rest.
@ORDER_BY(@lagres_i_rekkefolge()) uke_start, kontor
