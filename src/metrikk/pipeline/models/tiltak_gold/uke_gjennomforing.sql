MODEL (
  name tiltak_gold.uke_gjennomforing,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column uke_start,
    lookback 28
  ),
  cron '0 0 * * 1',
  start '2022-01-03',
  clustered_by gjennomforing_id,
  grain (aar, uke, uke_start, gjennomforing_id, tiltakskode),
  audits (
    unique_combination_of_columns(columns := (aar, uke, uke_start, gjennomforing_id, tiltakskode)),
    not_null(columns := (
      aar, uke, uke_start, gjennomforing_id, tiltakskode, antall_deltar, antall_venter,
      antall_fra_lokale_kontor, antall_fra_andre_kontor
    )),
    forall(criteria := (
      antall_deltar + antall_venter > 0,
      antall_fra_lokale_kontor + antall_fra_andre_kontor = antall_deltar
    ))
  ),
  description 'Én rad per ISO-uke og gjennomføring med minst én deltaker som deltar eller venter: antall som deltar og venter, kapasitet og belegg, og hvor mange som kommer fra gjennomføringens egne lokale kontor. Glissen: ingen rad når begge er null.',
  column_descriptions (
    aar = 'ISO-år for uken.',
    uke = 'ISO-ukenummer.',
    uke_start = 'Mandagen i uken.',
    gjennomforing_id = 'Gjennomføringens id i Valp.',
    tiltakskode = 'Gjennomføringens tiltakskode.',
    antall_deltar = 'Antall deltakelser på gjennomføringen som telles i uken (minst én aktiv dag).',
    antall_venter = 'Antall deltakelser med status SOKT_INN, VURDERES, VENTELISTE eller VENTER_PA_OPPSTART ved slutten av ukens søndag (Europe/Oslo).',
    antall_plasser = 'Gjennomføringens antall plasser; tom når det ikke er oppgitt.',
    belegg = 'antall_deltar / antall_plasser; tom uten (positivt) antall plasser.',
    antall_fra_lokale_kontor = 'Antall som deltar og har et kontor som er blant gjennomføringens LOKAL enheter.',
    antall_fra_andre_kontor = 'Antall som deltar og har et annet kontor (eller UKJENT).'
  )
);

WITH uker AS (
  SELECT dag AS uke_start
  FROM UNNEST(GENERATE_DATE_ARRAY(@start_date, DATE_SUB(@end_date, INTERVAL 6 DAY), INTERVAL 1 DAY)) AS dag
  WHERE DATE_TRUNC(dag, WEEK(MONDAY)) = dag
),

deltar AS (
  SELECT
    du.uke_start,
    du.gjennomforing_id,
    COUNT(*) AS antall_deltar,
    COUNTIF(gle.enhetsnummer IS NOT NULL) AS antall_fra_lokale_kontor
  FROM tiltak_silver.deltakelse_uke AS du
  LEFT JOIN tiltak_silver.gjennomforing_lokal_enhet AS gle
    ON gle.gjennomforing_id = du.gjennomforing_id
    AND gle.enhetsnummer = du.kontor
  WHERE du.uke_start BETWEEN @start_date AND @end_date
    AND du.gjennomforing_id IS NOT NULL
  GROUP BY du.uke_start, du.gjennomforing_id
),

venter AS (
  SELECT
    u.uke_start,
    d.gjennomforing_id,
    COUNT(DISTINCT s.deltaker_id) AS antall_venter
  FROM uker AS u
  JOIN tiltak_silver.deltaker_status_dag AS s
    ON s.fra_dag <= DATE_ADD(u.uke_start, INTERVAL 6 DAY)
    AND s.til_dag > DATE_ADD(u.uke_start, INTERVAL 6 DAY)
  JOIN tiltak_silver.deltakelse AS d
    ON d.kilde = 'KOMET'
    AND d.deltakelse_id = s.deltaker_id
  WHERE s.status IN ('SOKT_INN', 'VURDERES', 'VENTELISTE', 'VENTER_PA_OPPSTART')
  GROUP BY u.uke_start, d.gjennomforing_id
),

per_gjennomforing AS (
  SELECT
    COALESCE(dt.uke_start, v.uke_start) AS uke_start,
    COALESCE(dt.gjennomforing_id, v.gjennomforing_id) AS gjennomforing_id,
    COALESCE(dt.antall_deltar, 0) AS antall_deltar,
    COALESCE(v.antall_venter, 0) AS antall_venter,
    COALESCE(dt.antall_fra_lokale_kontor, 0) AS antall_fra_lokale_kontor
  FROM deltar AS dt
  FULL OUTER JOIN venter AS v
    ON v.uke_start = dt.uke_start
    AND v.gjennomforing_id = dt.gjennomforing_id
)

SELECT
  CAST(EXTRACT(ISOYEAR FROM p.uke_start) AS INT64) AS aar,
  CAST(@iso_uke(p.uke_start) AS INT64) AS uke,
  CAST(p.uke_start AS DATE) AS uke_start,
  CAST(p.gjennomforing_id AS STRING) AS gjennomforing_id,
  CAST(g.tiltakskode AS STRING) AS tiltakskode,
  CAST(p.antall_deltar AS INT64) AS antall_deltar,
  CAST(p.antall_venter AS INT64) AS antall_venter,
  CAST(g.antall_plasser AS INT64) AS antall_plasser,
  CAST(CASE WHEN g.antall_plasser > 0 THEN p.antall_deltar / g.antall_plasser END AS FLOAT64) AS belegg,
  CAST(p.antall_fra_lokale_kontor AS INT64) AS antall_fra_lokale_kontor,
  CAST(p.antall_deltar - p.antall_fra_lokale_kontor AS INT64) AS antall_fra_andre_kontor
FROM per_gjennomforing AS p
JOIN tiltak_silver.gjennomforing AS g
  ON g.id = p.gjennomforing_id
-- Stored in week order on DuckDB: readers pick weeks, and zone maps then skip the rest.
@ORDER_BY(@lagres_i_rekkefolge()) uke_start
