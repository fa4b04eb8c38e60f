MODEL (
  name tiltak_silver.veileder_avdeling,
  kind FULL,
  grain (enhetsnummer, veileder_ident, gyldig_fra),
  audits (
    not_null(columns := (enhetsnummer, veileder_ident, gyldig_fra, gyldig_til, gruppe_id, avdeling)),
    unique_combination_of_columns(columns := (enhetsnummer, veileder_ident, gyldig_fra))
  ),
  description 'Én rad per kontor, veileder og periode med samme valgte veiledergruppe: blant gruppene på kontoret som har veilederen som medlem, den med tidligst start på nåværende medlemskap, så lavest gruppe_id.',
  column_descriptions (
    enhetsnummer = 'Enhetsnummeret til kontoret.',
    veileder_ident = 'NAV-identen til veilederen.',
    gyldig_fra = 'Første dag i perioden.',
    gyldig_til = 'Siste dag i perioden; 9999-12-31 når den er åpen.',
    gruppe_id = 'Valgt veiledergruppe.',
    avdeling = 'Avdelingen til valgt gruppe (koblet avdeling, ellers gruppenavnet).'
  )
);

WITH medlemskap AS (
  SELECT enhetsnummer, veileder_ident, gruppe_id, medlemskap_start, gyldig_fra, gyldig_til, avdeling
  FROM tiltak_silver.veiledergruppe_medlemskap
),

skiller AS (
  SELECT enhetsnummer, veileder_ident, gyldig_fra AS dag
  FROM medlemskap
  UNION DISTINCT
  SELECT enhetsnummer, veileder_ident, DATE_ADD(gyldig_til, INTERVAL 1 DAY) AS dag
  FROM medlemskap
  WHERE gyldig_til < DATE '9999-12-31'
),

delperioder AS (
  SELECT
    enhetsnummer,
    veileder_ident,
    dag AS gyldig_fra,
    COALESCE(
      DATE_SUB(LEAD(dag) OVER (PARTITION BY enhetsnummer, veileder_ident ORDER BY dag), INTERVAL 1 DAY),
      DATE '9999-12-31'
    ) AS gyldig_til
  FROM skiller
),

valgt_gruppe AS (
  SELECT
    d.enhetsnummer,
    d.veileder_ident,
    d.gyldig_fra,
    d.gyldig_til,
    m.gruppe_id,
    m.avdeling
  FROM delperioder AS d
  JOIN medlemskap AS m
    ON m.enhetsnummer = d.enhetsnummer
    AND m.veileder_ident = d.veileder_ident
    AND d.gyldig_fra BETWEEN m.gyldig_fra AND m.gyldig_til
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY d.enhetsnummer, d.veileder_ident, d.gyldig_fra
    ORDER BY m.medlemskap_start, @heltall(m.gruppe_id) NULLS LAST, m.gruppe_id
  ) = 1
)

SELECT
  CAST(enhetsnummer AS STRING) AS enhetsnummer,
  CAST(veileder_ident AS STRING) AS veileder_ident,
  CAST(gyldig_fra AS DATE) AS gyldig_fra,
  CAST(gyldig_til AS DATE) AS gyldig_til,
  CAST(gruppe_id AS STRING) AS gruppe_id,
  CAST(avdeling AS STRING) AS avdeling
FROM valgt_gruppe
