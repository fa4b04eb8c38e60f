MODEL (
  name tiltak_gold.uke_ventetid,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column uke_start,
    lookback 28
  ),
  cron '0 0 * * 1',
  start '2022-01-03',
  clustered_by kontor,
  grain (aar, uke, uke_start, kontor, tiltakskode),
  -- The conservation audit reads deltakelse_uke's weeks of the batch, so they are computed first.
  depends_on (tiltak_silver.deltakelse_uke),
  audits (
    unique_combination_of_columns(columns := (aar, uke, uke_start, kontor, tiltakskode)),
    not_null(columns := (
      aar, uke, uke_start, kontor, tiltakskode, antall_oppstart, sum_ventedager, antall_ventet_over_14,
      antall_ventet_over_30, antall_ventet_over_90
    )),
    forall(criteria := (
      antall_oppstart >= 1,
      sum_ventedager >= 0,
      antall_ventet_over_90 >= 0,
      antall_ventet_over_90 <= antall_ventet_over_30,
      antall_ventet_over_30 <= antall_ventet_over_14,
      antall_ventet_over_14 <= antall_oppstart
    )),
    tiltak_ventetid_bevaring
  ),
  description 'Én rad per ISO-uke, kontor og tiltakskode der minst én Komet-deltakelse som telles startet: antall oppstarter, summen av ventedager fra første ventestatus til start, og hvor mange som ventet mer enn 14, 30 og 90 dager. Målene kan summeres over uker og kontor; snitt og andeler regnes av summene. Glissen: ingen rad for null.',
  column_descriptions (
    aar = 'ISO-år for uken.',
    uke = 'ISO-ukenummer.',
    uke_start = 'Mandagen i uken deltakelsene startet.',
    kontor = 'Enhetsnummeret til deltakerens kontor per startdatoen (oppfølgingskontor, ellers gjennomføringens eneste lokale enhet), eller UKJENT. Aldri en FYLKE-enhet.',
    tiltakskode = 'Tiltakskode fra gjennomføringens tiltakstype.',
    antall_oppstart = 'Antall Komet-deltakelser som telles og har startdato i uken.',
    sum_ventedager = 'Summen av ventedagene deres: startdato minus dagen for første ventestatus (SOKT_INN, VURDERES, VENTELISTE, VENTER_PA_OPPSTART); 0 for dem som ikke ventet før start.',
    antall_ventet_over_14 = 'Antall av dem med mer enn 14 ventedager.',
    antall_ventet_over_30 = 'Antall av dem med mer enn 30 ventedager.',
    antall_ventet_over_90 = 'Antall av dem med mer enn 90 ventedager.'
  )
);

WITH oppstart AS (
  SELECT aar, uke, uke_start, kontor, tiltakskode, ventedager
  FROM tiltak_silver.oppstart
  WHERE uke_start BETWEEN @start_date AND @end_date
),

per_celle AS (
  SELECT
    aar, uke, uke_start, kontor, tiltakskode,
    COUNT(*) AS antall_oppstart,
    SUM(ventedager) AS sum_ventedager,
    COUNTIF(ventedager > 14) AS antall_ventet_over_14,
    COUNTIF(ventedager > 30) AS antall_ventet_over_30,
    COUNTIF(ventedager > 90) AS antall_ventet_over_90
  FROM oppstart
  GROUP BY aar, uke, uke_start, kontor, tiltakskode
)

SELECT
  CAST(aar AS INT64) AS aar,
  CAST(uke AS INT64) AS uke,
  CAST(uke_start AS DATE) AS uke_start,
  CAST(kontor AS STRING) AS kontor,
  CAST(tiltakskode AS STRING) AS tiltakskode,
  CAST(antall_oppstart AS INT64) AS antall_oppstart,
  CAST(sum_ventedager AS INT64) AS sum_ventedager,
  CAST(antall_ventet_over_14 AS INT64) AS antall_ventet_over_14,
  CAST(antall_ventet_over_30 AS INT64) AS antall_ventet_over_30,
  CAST(antall_ventet_over_90 AS INT64) AS antall_ventet_over_90
FROM per_celle
-- Stored in week order on DuckDB: readers pick weeks, and zone maps then skip the rest.
@ORDER_BY(@lagres_i_rekkefolge()) uke_start, kontor
