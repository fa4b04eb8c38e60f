MODEL (
  name tiltak_gold.uke_datakvalitet,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column uke_start,
    lookback 28
  ),
  cron '0 0 * * 1',
  start '2022-01-03',
  grain (aar, uke, uke_start),
  depends_on (tiltak_gold.uke_deltakere),
  audits (
    unique_combination_of_columns(columns := (aar, uke, uke_start)),
    not_null(columns := (
      aar, uke, uke_start, antall_telt, uten_innsatsgruppe, uten_avdeling, uten_kontor, kontor_fra_fallback,
      ikke_telt_mangler_start, ikke_telt_ugyldig_periode, ikke_telt_ukjent_gjennomforing
    )),
    tiltak_bevaring
  ),
  description 'Én rad per ISO-uke med noe å melde: hvor mange deltakelser som telles, hvor mange av dem som mangler innsatsgruppe, avdeling eller kontor eller fikk kontor fra reserveregelen, og hvor mange deltakelser som tok del men ikke telles, etter årsak, i uken de ble registrert (Europe/Oslo).',
  column_descriptions (
    aar = 'ISO-år for uken.',
    uke = 'ISO-ukenummer.',
    uke_start = 'Mandagen i uken.',
    antall_telt = 'Antall deltakelser som telles i uken (= summen av antall_deltakelser i uke_deltakere).',
    uten_innsatsgruppe = 'Antall talte deltakelser med innsatsgruppe UKJENT.',
    uten_avdeling = 'Antall talte deltakelser med avdeling Uten avdeling.',
    uten_kontor = 'Antall talte deltakelser med kontor UKJENT.',
    kontor_fra_fallback = 'Antall talte deltakelser der kontoret kom fra avtalens oppfølgingsenhet eller gjennomføringens eneste lokale enhet.',
    ikke_telt_mangler_start = 'Deltakelser registrert i uken som tok del, men ikke telles fordi startdato mangler.',
    ikke_telt_ugyldig_periode = 'Deltakelser registrert i uken som tok del, men ikke telles fordi sluttdato er før startdato.',
    ikke_telt_ukjent_gjennomforing = 'Deltakelser registrert i uken som tok del, men ikke telles fordi gjennomføringen ikke finnes.'
  )
);

WITH uker AS (
  SELECT dag AS uke_start
  FROM UNNEST(GENERATE_DATE_ARRAY(@start_date, DATE_SUB(@end_date, INTERVAL 6 DAY), INTERVAL 1 DAY)) AS dag
  WHERE DATE_TRUNC(dag, WEEK(MONDAY)) = dag
),

telt AS (
  SELECT
    uke_start,
    COUNT(*) AS antall_telt,
    COUNTIF(innsatsgruppe = 'UKJENT') AS uten_innsatsgruppe,
    COUNTIF(avdeling = 'Uten avdeling') AS uten_avdeling,
    COUNTIF(kontor = 'UKJENT') AS uten_kontor,
    COUNTIF(kontor_kilde IN ('AVTALE', 'GJENNOMFORING')) AS kontor_fra_fallback
  FROM tiltak_silver.deltakelse_uke
  WHERE uke_start BETWEEN @start_date AND @end_date
  GROUP BY uke_start
),

ikke_telt AS (
  SELECT
    u.uke_start,
    COUNTIF(d.ikke_telt_aarsak = 'MANGLER_START') AS ikke_telt_mangler_start,
    COUNTIF(d.ikke_telt_aarsak = 'UGYLDIG_PERIODE') AS ikke_telt_ugyldig_periode,
    COUNTIF(d.ikke_telt_aarsak = 'UKJENT_GJENNOMFORING') AS ikke_telt_ukjent_gjennomforing
  FROM tiltak_silver.deltakelse AS d
  JOIN uker AS u
    ON d.registrert_dato BETWEEN u.uke_start AND DATE_ADD(u.uke_start, INTERVAL 6 DAY)
  WHERE d.ikke_telt_aarsak IS NOT NULL
  GROUP BY u.uke_start
),

per_uke AS (
  SELECT
    COALESCE(t.uke_start, i.uke_start) AS uke_start,
    COALESCE(t.antall_telt, 0) AS antall_telt,
    COALESCE(t.uten_innsatsgruppe, 0) AS uten_innsatsgruppe,
    COALESCE(t.uten_avdeling, 0) AS uten_avdeling,
    COALESCE(t.uten_kontor, 0) AS uten_kontor,
    COALESCE(t.kontor_fra_fallback, 0) AS kontor_fra_fallback,
    COALESCE(i.ikke_telt_mangler_start, 0) AS ikke_telt_mangler_start,
    COALESCE(i.ikke_telt_ugyldig_periode, 0) AS ikke_telt_ugyldig_periode,
    COALESCE(i.ikke_telt_ukjent_gjennomforing, 0) AS ikke_telt_ukjent_gjennomforing
  FROM telt AS t
  FULL OUTER JOIN ikke_telt AS i
    ON i.uke_start = t.uke_start
)

SELECT
  CAST(EXTRACT(ISOYEAR FROM uke_start) AS INT64) AS aar,
  CAST(@iso_uke(uke_start) AS INT64) AS uke,
  CAST(uke_start AS DATE) AS uke_start,
  CAST(antall_telt AS INT64) AS antall_telt,
  CAST(uten_innsatsgruppe AS INT64) AS uten_innsatsgruppe,
  CAST(uten_avdeling AS INT64) AS uten_avdeling,
  CAST(uten_kontor AS INT64) AS uten_kontor,
  CAST(kontor_fra_fallback AS INT64) AS kontor_fra_fallback,
  CAST(ikke_telt_mangler_start AS INT64) AS ikke_telt_mangler_start,
  CAST(ikke_telt_ugyldig_periode AS INT64) AS ikke_telt_ugyldig_periode,
  CAST(ikke_telt_ukjent_gjennomforing AS INT64) AS ikke_telt_ukjent_gjennomforing
FROM per_uke
