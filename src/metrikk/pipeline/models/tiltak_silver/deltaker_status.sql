MODEL (
  name tiltak_silver.deltaker_status,
  kind FULL,
  grain id,
  audits (
    not_null(columns := (id, deltaker_id, status, gyldig_fra, gjelder_fra_dag, gjelder_til_dag, er_siste)),
    unique_values(columns := (id))
  ),
  description 'Én rad per status i Komets statushistorikk for en deltaker, med dagene (Europe/Oslo) der statusen gjaldt ved dagens slutt, og om den er deltakerens siste status.',
  column_descriptions (
    id = 'Statusradens id.',
    deltaker_id = 'Deltakerens id i Komet.',
    status = 'Statustype, f.eks. DELTAR, VENTELISTE eller FEILREGISTRERT.',
    aarsak = 'Årsak til statusen, om oppgitt.',
    gyldig_fra = 'Når statusen begynte å gjelde (UTC).',
    gyldig_til = 'Når statusen sluttet å gjelde (UTC); tom betyr gjeldende.',
    opprettet = 'Når statusraden ble opprettet (UTC).',
    gjelder_fra_dag = 'Første dag (Europe/Oslo) statusen gjaldt ved dagens slutt.',
    gjelder_til_dag = 'Dagen etter siste dag (Europe/Oslo) statusen gjaldt ved dagens slutt (Oslo-datoen til gyldig_til); 9999-12-31 når den er åpen.',
    er_siste = 'Sann for deltakerens siste status: raden med tom gyldig_til, ellers den med senest gyldig_fra.'
  )
);

WITH renset AS (
  SELECT
    @uten_blanke(id) AS id,
    @uten_blanke(deltaker_id) AS deltaker_id,
    UPPER(@uten_blanke(status)) AS status,
    aarsak,
    gyldig_fra,
    gyldig_til,
    opprettet
  FROM tiltak_bronze.deltaker_status
),

statuser AS (
  -- One row per (trimmed) id, deduplicated on the column renset made: a QUALIFY beside the
  -- SELECT that trims would see the alias and trim it again inside the window key.
  SELECT *
  FROM renset
  QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY opprettet DESC, gyldig_fra DESC) = 1
),

med_dager AS (
  SELECT
    *,
    @oslo_dato(gyldig_fra) AS gjelder_fra_dag,
    COALESCE(@oslo_dato(gyldig_til), DATE '9999-12-31') AS gjelder_til_dag,
    ROW_NUMBER() OVER (
      PARTITION BY deltaker_id
      ORDER BY CASE WHEN gyldig_til IS NULL THEN 0 ELSE 1 END, gyldig_fra DESC, opprettet DESC, id DESC
    ) = 1 AS er_siste
  FROM statuser
)

SELECT
  CAST(id AS STRING) AS id,
  CAST(deltaker_id AS STRING) AS deltaker_id,
  CAST(status AS STRING) AS status,
  CAST(aarsak AS STRING) AS aarsak,
  CAST(gyldig_fra AS TIMESTAMP) AS gyldig_fra,
  CAST(gyldig_til AS TIMESTAMP) AS gyldig_til,
  CAST(opprettet AS TIMESTAMP) AS opprettet,
  CAST(gjelder_fra_dag AS DATE) AS gjelder_fra_dag,
  CAST(gjelder_til_dag AS DATE) AS gjelder_til_dag,
  CAST(er_siste AS BOOL) AS er_siste
FROM med_dager
