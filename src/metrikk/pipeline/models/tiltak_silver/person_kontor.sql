MODEL (
  name tiltak_silver.person_kontor,
  kind FULL,
  grain (person_id, gyldig_fra),
  audits (
    not_null(columns := (person_id, kontor_id, er_fylke, gyldig_fra, gyldig_til)),
    unique_combination_of_columns(columns := (person_id, gyldig_fra))
  ),
  description 'Én rad per person og periode med samme oppfølgingskontor: kontoret fra personens siste rad i kontorhistorikken, fra og med gyldig_fra til og med gyldig_til (datoer i Europe/Oslo).',
  column_descriptions (
    person_id = 'Pseudonym personnøkkel.',
    kontor_id = 'Enhetsnummeret til oppfølgingskontoret.',
    er_fylke = 'Sann når enheten er en FYLKE-enhet; da brukes den aldri som kontor, og neste kilde i rekkefølgen brukes.',
    gyldig_fra = 'Dagen kontoret ble satt (Europe/Oslo).',
    gyldig_til = 'Dagen før neste kontorendring; 9999-12-31 når den er gjeldende.'
  )
);

WITH endringer AS (
  SELECT
    @uten_blanke(person_id) AS person_id,
    @uten_blanke(kontor_id) AS kontor_id,
    endret_tidspunkt,
    @oslo_dato(endret_tidspunkt) AS endret_dato
  FROM tiltak_bronze.oppfolgingskontor_historikk
),

siste_per_dag AS (
  SELECT *
  FROM endringer
  QUALIFY ROW_NUMBER() OVER (PARTITION BY person_id, endret_dato ORDER BY endret_tidspunkt DESC, kontor_id DESC) = 1
),

perioder AS (
  SELECT
    person_id,
    kontor_id,
    endret_dato AS gyldig_fra,
    COALESCE(
      DATE_SUB(LEAD(endret_dato) OVER (PARTITION BY person_id ORDER BY endret_dato), INTERVAL 1 DAY),
      DATE '9999-12-31'
    ) AS gyldig_til
  FROM siste_per_dag
)

SELECT
  CAST(p.person_id AS STRING) AS person_id,
  CAST(p.kontor_id AS STRING) AS kontor_id,
  CAST(COALESCE(ne.er_fylke, FALSE) AS BOOL) AS er_fylke,
  CAST(p.gyldig_fra AS DATE) AS gyldig_fra,
  CAST(p.gyldig_til AS DATE) AS gyldig_til
FROM perioder AS p
LEFT JOIN tiltak_silver.nav_enhet AS ne
  ON ne.enhetsnummer = p.kontor_id
