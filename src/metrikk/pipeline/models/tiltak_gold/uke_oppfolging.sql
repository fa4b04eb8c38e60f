MODEL (
  name tiltak_gold.uke_oppfolging,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column uke_start,
    lookback 28
  ),
  cron '0 0 * * 1',
  start '2022-01-03',
  clustered_by kontor,
  grain (aar, uke, uke_start, kontor, avdeling, innsatsgruppe),
  audits (
    unique_combination_of_columns(columns := (aar, uke, uke_start, kontor, avdeling, innsatsgruppe)),
    not_null(columns := (
      aar, uke, uke_start, kontor, avdeling, innsatsgruppe, antall_under_oppfolging, antall_paa_tiltak
    )),
    accepted_values(
      column := innsatsgruppe,
      is_in := ('GODE_MULIGHETER', 'TRENGER_VEILEDNING', 'TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE', 'JOBBE_DELVIS', 'LITEN_MULIGHET_TIL_A_JOBBE', 'UKJENT')
    ),
    forall(criteria := (
      antall_under_oppfolging >= 1,
      antall_paa_tiltak >= 0,
      antall_paa_tiltak <= antall_under_oppfolging
    )),
    tiltak_oppfolging_bevaring
  ),
  description 'Én rad per ISO-uke, kontor, avdeling og innsatsgruppe med minst én person under arbeidsrettet oppfølging: antall ulike personer under oppfølging og hvor mange av dem som var på tiltak i uken. Attributtene gjelder personens siste dag under oppfølging i uken. Glissen: ingen rad for null.',
  column_descriptions (
    aar = 'ISO-år for uken.',
    uke = 'ISO-ukenummer.',
    uke_start = 'Mandagen i uken.',
    kontor = 'Enhetsnummeret til personens oppfølgingskontor, eller UKJENT når det mangler eller er en FYLKE-enhet. Aldri en reserveregel.',
    avdeling = 'Avdelingen til veilederens veiledergruppe på kontoret, ellers Uten avdeling.',
    innsatsgruppe = 'Innsatsgruppe (ny kode) fra siste §14a-vedtak, eller UKJENT.',
    antall_under_oppfolging = 'Antall ulike personer med minst én dag under arbeidsrettet oppfølging i uken.',
    antall_paa_tiltak = 'Antall av dem som hadde minst én deltakelse som telles i uken (uansett hvilket kontor deltakelsen telles på).'
  )
);

WITH oppfolging_uke AS (
  SELECT aar, uke, uke_start, kontor, avdeling, innsatsgruppe, paa_tiltak
  FROM tiltak_silver.oppfolging_uke
  WHERE uke_start BETWEEN @start_date AND @end_date
),

per_celle AS (
  -- oppfolging_uke has one row per person and week (audited), so a row count is a count of
  -- distinct persons.
  SELECT
    aar, uke, uke_start, kontor, avdeling, innsatsgruppe,
    COUNT(*) AS antall_under_oppfolging,
    COUNTIF(paa_tiltak) AS antall_paa_tiltak
  FROM oppfolging_uke
  GROUP BY aar, uke, uke_start, kontor, avdeling, innsatsgruppe
)

SELECT
  CAST(aar AS INT64) AS aar,
  CAST(uke AS INT64) AS uke,
  CAST(uke_start AS DATE) AS uke_start,
  CAST(kontor AS STRING) AS kontor,
  CAST(avdeling AS STRING) AS avdeling,
  CAST(innsatsgruppe AS STRING) AS innsatsgruppe,
  CAST(antall_under_oppfolging AS INT64) AS antall_under_oppfolging,
  CAST(antall_paa_tiltak AS INT64) AS antall_paa_tiltak
FROM per_celle
-- Stored in week order on DuckDB: readers pick weeks, and zone maps then skip the rest.
@ORDER_BY(@lagres_i_rekkefolge()) uke_start, kontor
