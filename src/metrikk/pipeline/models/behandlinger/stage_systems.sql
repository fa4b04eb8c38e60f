MODEL (
  name behandlinger.stage_systems,
  kind FULL,
  grain (behandlingId, code),
  audits (
    not_null(columns := (behandlingId, code, kjentKode, kodeSlettet)),
    unique_combination_of_columns(columns := (behandlingId, code))
  ),
  description 'Én rad per behandling og system (kodeverk SYSTEM), fra gjeldende versjon av behandlinger som ikke er slettet.',
  column_descriptions (
    behandlingId = 'Behandlingen som bruker systemet; kobles til stage_behandlinger.',
    code = 'Systemkoden (kodeverk SYSTEM), f.eks. PESYS.',
    shortName = 'Systemets kortnavn i kodeverket; null når koden ikke finnes der.',
    description = 'Systemets beskrivelse i kodeverket.',
    kjentKode = 'Sann når koden finnes i kodeverket SYSTEM og ikke er slettet der; usann for ukjente og slettede koder.',
    kodeSlettet = 'Sann når koden er slettet fra kodeverket SYSTEM (siste versjon i revisjonsloggen er en DELETE); shortName og description er da kodens siste.',
    time = 'Tidspunktet (UTC) gjeldende behandlingsversjon ble lagret.'
  )
);

/* Starts from the behandling (products lived at the data root before 2020-09-18; process_version
   reads both places), so a code missing from the codelist keeps its row instead of being dropped.
   A code deleted from the list (SYS_090 in 2022) is not a known code: kjentKode is false and
   kodeSlettet says why. Both are counted in behandlinger_int.referanseavvik. */
WITH current_behandlinger AS (
  SELECT behandlingId, time, products
  FROM behandlinger_int.process_version
  WHERE aktivObservasjon AND NOT slettet
),

systems AS (
  SELECT code, shortName, description, slettet
  FROM behandlinger_int.codelist
  WHERE list = 'SYSTEM'
),

behandling_systems AS (
  SELECT DISTINCT b.behandlingId, b.time, product AS code
  FROM current_behandlinger AS b
  CROSS JOIN UNNEST(b.products) AS product
)

SELECT
  CAST(bs.behandlingId AS STRING) AS behandlingId,
  CAST(bs.code AS STRING) AS code,
  CAST(s.shortName AS STRING) AS shortName,
  CAST(s.description AS STRING) AS description,
  CAST(s.code IS NOT NULL AND NOT s.slettet AS BOOL) AS kjentKode,
  CAST(COALESCE(s.slettet, FALSE) AS BOOL) AS kodeSlettet,
  CAST(bs.time AS TIMESTAMP) AS time
FROM behandling_systems AS bs
LEFT JOIN systems AS s
  ON s.code = bs.code
