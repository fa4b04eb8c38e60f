MODEL (
  name tiltak_silver.person_veileder,
  kind FULL,
  grain (person_id, gyldig_fra),
  audits (
    not_null(columns := (person_id, veileder_ident, tilordning_seq, gyldig_fra, gyldig_til)),
    unique_combination_of_columns(columns := (person_id, gyldig_fra))
  ),
  description 'Én rad per person og periode med samme veileder: tilordningen med høyest tilordning_seq blant dem som er gjort til og med dagen, fra og med gyldig_fra til og med gyldig_til (datoer i Europe/Oslo).',
  column_descriptions (
    person_id = 'Pseudonym personnøkkel.',
    veileder_ident = 'NAV-identen til veilederen.',
    tilordning_seq = 'Løpenummeret til tilordningen som gjelder.',
    gyldig_fra = 'Dagen tilordningen ble gjort (Europe/Oslo).',
    gyldig_til = 'Dagen før en tilordning med høyere løpenummer; 9999-12-31 når den er gjeldende.'
  )
);

WITH tilordninger AS (
  SELECT
    @uten_blanke(person_id) AS person_id,
    @uten_blanke(veileder_ident) AS veileder_ident,
    tilordning_seq,
    @oslo_dato(tilordnet_tidspunkt) AS tilordnet_dato
  FROM tiltak_bronze.veileder_tilordning
),

hoyeste_per_dag AS (
  SELECT *
  FROM tilordninger
  QUALIFY ROW_NUMBER() OVER (PARTITION BY person_id, tilordnet_dato ORDER BY tilordning_seq DESC, veileder_ident DESC) = 1
),

med_hoyeste_hittil AS (
  SELECT
    *,
    MAX(tilordning_seq) OVER (
      PARTITION BY person_id ORDER BY tilordnet_dato ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS hoyeste_for
  FROM hoyeste_per_dag
),

endringer AS (
  SELECT person_id, veileder_ident, tilordning_seq, tilordnet_dato
  FROM med_hoyeste_hittil
  WHERE hoyeste_for IS NULL OR tilordning_seq > hoyeste_for
),

perioder AS (
  SELECT
    person_id,
    veileder_ident,
    tilordning_seq,
    tilordnet_dato AS gyldig_fra,
    COALESCE(
      DATE_SUB(LEAD(tilordnet_dato) OVER (PARTITION BY person_id ORDER BY tilordnet_dato), INTERVAL 1 DAY),
      DATE '9999-12-31'
    ) AS gyldig_til
  FROM endringer
)

SELECT
  CAST(person_id AS STRING) AS person_id,
  CAST(veileder_ident AS STRING) AS veileder_ident,
  CAST(tilordning_seq AS INT64) AS tilordning_seq,
  CAST(gyldig_fra AS DATE) AS gyldig_fra,
  CAST(gyldig_til AS DATE) AS gyldig_til
FROM perioder
