MODEL (
  name tiltak_gold.uke_antall,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column uke_start,
    lookback 28
  ),
  cron '0 0 * * 1',
  start '2022-01-03',
  clustered_by kontor,
  grain (aar, uke, kontor, tiltaksnavn, innsatsgruppe, avdeling),
  audits (
    unique_combination_of_columns(columns := (aar, uke, kontor, tiltaksnavn, innsatsgruppe, avdeling)),
    not_null(columns := (aar, uke, uke_start, kontor, tiltaksnavn, innsatsgruppe, avdeling, antall)),
    accepted_values(
      column := innsatsgruppe,
      is_in := ('GODE_MULIGHETER', 'TRENGER_VEILEDNING', 'TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE', 'JOBBE_DELVIS', 'LITEN_MULIGHET_TIL_A_JOBBE', 'UKJENT')
    ),
    accepted_range(column := antall, min_v := 1)
  ),
  description 'Én rad per ISO-uke, kontor, tiltaksnavn, innsatsgruppe og avdeling med minst én deltaker: antall ulike personer, i formen Brum-API-et leverer. Glissen: ingen rad for null.',
  column_descriptions (
    aar = 'ISO-år for uken.',
    uke = 'ISO-ukenummer.',
    uke_start = 'Mandagen i uken (tidskolonne for inkrementell oppdatering).',
    kontor = 'Enhetsnummeret til deltakerens kontor, eller UKJENT.',
    tiltaksnavn = 'Tiltakstypens navn.',
    innsatsgruppe = 'Innsatsgruppe (ny kode), eller UKJENT.',
    avdeling = 'Avdeling, eller Uten avdeling.',
    antall = 'Antall ulike personer med minst én aktiv deltakelse i uken.'
  )
);

WITH deltakelse_uke AS (
  SELECT aar, uke, uke_start, kontor, tiltakstype_navn, innsatsgruppe, avdeling, person_id
  FROM tiltak_silver.deltakelse_uke
  WHERE uke_start BETWEEN @start_date AND @end_date
),

per_celle AS (
  -- aar and uke are functions of uke_start (deltakelse_uke takes all three from one week row), so
  -- they are carried with MIN() instead of being grouped by: fewer keys, the same groups.
  SELECT
    MIN(aar) AS aar, MIN(uke) AS uke, uke_start, kontor, tiltakstype_navn AS tiltaksnavn, innsatsgruppe, avdeling,
    COUNT(DISTINCT person_id) AS antall
  FROM deltakelse_uke
  GROUP BY uke_start, kontor, tiltakstype_navn, innsatsgruppe, avdeling
)

SELECT
  CAST(aar AS INT64) AS aar,
  CAST(uke AS INT64) AS uke,
  CAST(uke_start AS DATE) AS uke_start,
  CAST(kontor AS STRING) AS kontor,
  CAST(tiltaksnavn AS STRING) AS tiltaksnavn,
  CAST(innsatsgruppe AS STRING) AS innsatsgruppe,
  CAST(avdeling AS STRING) AS avdeling,
  CAST(antall AS INT64) AS antall
FROM per_celle
-- Stored in week order on DuckDB: readers pick weeks, and zone maps then skip the rest.
@ORDER_BY(@lagres_i_rekkefolge()) aar, uke, kontor
