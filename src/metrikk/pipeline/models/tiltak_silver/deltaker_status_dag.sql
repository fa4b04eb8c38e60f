MODEL (
  name tiltak_silver.deltaker_status_dag,
  kind FULL,
  grain (deltaker_id, fra_dag),
  audits (
    not_null(columns := (deltaker_id, fra_dag, til_dag, status, status_id)),
    unique_combination_of_columns(columns := (deltaker_id, fra_dag))
  ),
  description 'Én rad per deltaker og periode (Europe/Oslo-dager) med samme status ved dagens slutt: blant statusene som gjelder ved slutten av dagen, den med senest gyldig_fra.',
  column_descriptions (
    deltaker_id = 'Deltakerens id i Komet.',
    fra_dag = 'Første dag i perioden.',
    til_dag = 'Dagen etter siste dag i perioden; 9999-12-31 når den er åpen.',
    status = 'Statusen ved slutten av hver dag i perioden.',
    status_id = 'Id-en til statusraden.'
  )
);

WITH statuser AS (
  SELECT id, deltaker_id, status, gyldig_fra, opprettet, gjelder_fra_dag, gjelder_til_dag
  FROM tiltak_silver.deltaker_status
  WHERE gjelder_fra_dag < gjelder_til_dag
),

skiller AS (
  SELECT deltaker_id, gjelder_fra_dag AS dag FROM statuser
  UNION DISTINCT
  SELECT deltaker_id, gjelder_til_dag AS dag FROM statuser WHERE gjelder_til_dag < DATE '9999-12-31'
),

delperioder AS (
  SELECT
    deltaker_id,
    dag AS fra_dag,
    COALESCE(LEAD(dag) OVER (PARTITION BY deltaker_id ORDER BY dag), DATE '9999-12-31') AS til_dag
  FROM skiller
),

gjeldende AS (
  SELECT
    d.deltaker_id,
    d.fra_dag,
    d.til_dag,
    s.status,
    s.id AS status_id
  FROM delperioder AS d
  JOIN statuser AS s
    ON s.deltaker_id = d.deltaker_id
    AND s.gjelder_fra_dag <= d.fra_dag
    AND s.gjelder_til_dag > d.fra_dag
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY d.deltaker_id, d.fra_dag ORDER BY s.gyldig_fra DESC, s.opprettet DESC, s.id DESC
  ) = 1
)

SELECT
  CAST(deltaker_id AS STRING) AS deltaker_id,
  CAST(fra_dag AS DATE) AS fra_dag,
  CAST(til_dag AS DATE) AS til_dag,
  CAST(status AS STRING) AS status,
  CAST(status_id AS STRING) AS status_id
FROM gjeldende
