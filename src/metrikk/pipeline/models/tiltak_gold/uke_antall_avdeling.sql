MODEL (
  name tiltak_gold.uke_antall_avdeling,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column uke_start,
    lookback 28
  ),
  cron '0 0 * * 1',
  start '2022-01-03',
  clustered_by kontor,
  grain (aar, uke, kontor, tiltaksnavn, avdeling),
  audits (
    unique_combination_of_columns(columns := (aar, uke, kontor, tiltaksnavn, avdeling)),
    not_null(columns := (aar, uke, uke_start, kontor, tiltaksnavn, avdeling, antall)),
    accepted_range(column := antall, min_v := 1)
  ),
  description 'Én rad per ISO-uke, kontor, tiltaksnavn og avdeling med minst én deltaker: antall ulike personer på tvers av innsatsgrupper (ikke en sum). Glissen: ingen rad for null.',
  column_descriptions (
    aar = 'ISO-år for uken.',
    uke = 'ISO-ukenummer.',
    uke_start = 'Mandagen i uken (tidskolonne for inkrementell oppdatering).',
    kontor = 'Enhetsnummeret til deltakerens kontor, eller UKJENT.',
    tiltaksnavn = 'Tiltakstypens navn.',
    avdeling = 'Avdeling, eller Uten avdeling.',
    antall = 'Antall ulike personer med minst én aktiv deltakelse i uken, uansett innsatsgruppe.'
  )
);

WITH deltakelse_uke AS (
  SELECT aar, uke, uke_start, kontor, tiltakstype_navn, avdeling, person_id
  FROM tiltak_silver.deltakelse_uke
  WHERE uke_start BETWEEN @start_date AND @end_date
),

per_celle AS (
  -- aar and uke are functions of uke_start (deltakelse_uke takes all three from one week row), so
  -- they are carried with MIN() instead of being grouped by: fewer keys, the same groups.
  SELECT
    MIN(aar) AS aar, MIN(uke) AS uke, uke_start, kontor, tiltakstype_navn AS tiltaksnavn, avdeling,
    COUNT(DISTINCT person_id) AS antall
  FROM deltakelse_uke
  GROUP BY uke_start, kontor, tiltakstype_navn, avdeling
)

SELECT
  CAST(aar AS INT64) AS aar,
  CAST(uke AS INT64) AS uke,
  CAST(uke_start AS DATE) AS uke_start,
  CAST(kontor AS STRING) AS kontor,
  CAST(tiltaksnavn AS STRING) AS tiltaksnavn,
  CAST(avdeling AS STRING) AS avdeling,
  CAST(antall AS INT64) AS antall
FROM per_celle
-- Stored in week order on DuckDB: readers pick weeks, and zone maps then skip the rest.
@ORDER_BY(@lagres_i_rekkefolge()) aar, uke, kontor
