MODEL (
  name tiltak_silver.person_innsatsgruppe,
  kind FULL,
  grain (person_id, gyldig_fra),
  audits (
    not_null(columns := (person_id, innsatsgruppe, innsatsgruppe_kilde, gyldig_fra, gyldig_til, vedtak_id)),
    unique_combination_of_columns(columns := (person_id, gyldig_fra)),
    accepted_values(
      column := innsatsgruppe,
      is_in := ('GODE_MULIGHETER', 'TRENGER_VEILEDNING', 'TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE', 'JOBBE_DELVIS', 'LITEN_MULIGHET_TIL_A_JOBBE', 'UKJENT')
    )
  ),
  description 'Én rad per person og periode der personens siste §14a-vedtak gir samme vedtak: innsatsgruppen (ny kode) som gjelder fra og med gyldig_fra til og med gyldig_til (datoer i Europe/Oslo).',
  column_descriptions (
    person_id = 'Pseudonym personnøkkel.',
    vedtak_id = 'Vedtaket som gjelder i perioden (det siste fattet den dagen).',
    innsatsgruppe = 'Innsatsgruppe med ny kode; gamle koder og Arena-koder er oversatt, alt annet (f.eks. IVURD) er UKJENT.',
    innsatsgruppe_kilde = 'Koden slik den kom fra kilden.',
    gyldig_fra = 'Dagen vedtaket ble fattet (Europe/Oslo).',
    gyldig_til = 'Dagen før personens neste vedtak; 9999-12-31 når det er gjeldende.'
  )
);

WITH vedtak AS (
  SELECT
    @uten_blanke(person_id) AS person_id,
    @uten_blanke(vedtak_id) AS vedtak_id,
    UPPER(@uten_blanke(innsatsgruppe)) AS innsatsgruppe_kilde,
    fattet_tidspunkt,
    @oslo_dato(fattet_tidspunkt) AS fattet_dato
  FROM tiltak_bronze.vedtak_14a
),

siste_vedtak_per_dag AS (
  SELECT *
  FROM vedtak
  QUALIFY ROW_NUMBER() OVER (PARTITION BY person_id, fattet_dato ORDER BY fattet_tidspunkt DESC, vedtak_id DESC) = 1
),

perioder AS (
  SELECT
    person_id,
    vedtak_id,
    innsatsgruppe_kilde,
    fattet_dato AS gyldig_fra,
    COALESCE(
      DATE_SUB(LEAD(fattet_dato) OVER (PARTITION BY person_id ORDER BY fattet_dato), INTERVAL 1 DAY),
      DATE '9999-12-31'
    ) AS gyldig_til
  FROM siste_vedtak_per_dag
)

SELECT
  CAST(person_id AS STRING) AS person_id,
  CAST(vedtak_id AS STRING) AS vedtak_id,
  CAST(@innsatsgruppe_ny(innsatsgruppe_kilde) AS STRING) AS innsatsgruppe,
  CAST(innsatsgruppe_kilde AS STRING) AS innsatsgruppe_kilde,
  CAST(gyldig_fra AS DATE) AS gyldig_fra,
  CAST(gyldig_til AS DATE) AS gyldig_til
FROM perioder
