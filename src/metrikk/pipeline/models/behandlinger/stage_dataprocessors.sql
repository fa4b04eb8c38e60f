MODEL (
  name behandlinger.stage_dataprocessors,
  kind FULL,
  grain (behandlingId, dataprocessorId),
  audits (
    not_null(columns := (behandlingId, dataprocessorId, processorSlettet)),
    unique_combination_of_columns(columns := (behandlingId, dataprocessorId))
  ),
  description 'Én rad per behandling og databehandler (PROCESSOR), fra gjeldende versjon av behandlinger som ikke er slettet.',
  column_descriptions (
    dataprocessorId = 'Databehandlerens id (UUID) i Behandlingskatalogen. En id revisjonsloggen aldri viser som PROCESSOR beholdes (navn og egenskaper er da tomme) og telles i kjøringens «Kildeendringer».',
    behandlingId = 'Behandlingen som bruker databehandleren; kobles til stage_behandlinger.',
    name = 'Databehandlerens navn (virksomhet).',
    outsideEU = 'Sann når databehandleren behandler opplysninger utenfor EU/EØS.',
    transferGroundsOutsideEU = 'Overføringsgrunnlag utenfor EU/EØS (kodeverk TRANSFER_GROUNDS_OUTSIDE_EU).',
    shortNameTransferGroundsOutsideEU = 'Kortnavnet til overføringsgrunnlaget i kodeverket.',
    countries = 'Landkoder der databehandleren behandler opplysninger.',
    noteLengde = 'Antall tegn i databehandlerens merknad (selve fritekstnoten publiseres ikke).',
    processorSlettet = 'Sann når databehandleren er slettet i Behandlingskatalogen.',
    time = 'Tidspunktet (UTC) gjeldende behandlingsversjon ble lagret.'
  )
);

/* Only the processors[] shape (2021-04+) names PROCESSOR ids. Versions in the older shape
   (dataProcessorAgreements / dataProcessorOutsideEU) have no ids to list here; their
   outside-EU answer is in stage_behandlinger.dataProcessorOutsideEU. */
WITH current_behandlinger AS (
  SELECT behandlingId, time, processorIds
  FROM behandlinger_int.process_version
  WHERE aktivObservasjon AND NOT slettet
),

processors AS (
  SELECT dataprocessorId, name, outsideEU, transferGroundsOutsideEU, countries, noteLengde, slettet
  FROM behandlinger_int.processor
),

transfer_grounds AS (
  SELECT code, shortName
  FROM behandlinger_int.codelist
  WHERE list = 'TRANSFER_GROUNDS_OUTSIDE_EU'
),

behandling_processors AS (
  SELECT DISTINCT b.behandlingId, b.time, processor_id AS dataprocessorId
  FROM current_behandlinger AS b
  CROSS JOIN UNNEST(b.processorIds) AS processor_id
)

SELECT
  CAST(bp.dataprocessorId AS STRING) AS dataprocessorId,
  CAST(bp.behandlingId AS STRING) AS behandlingId,
  CAST(p.name AS STRING) AS name,
  CAST(p.outsideEU AS BOOL) AS outsideEU,
  CAST(p.transferGroundsOutsideEU AS STRING) AS transferGroundsOutsideEU,
  CAST(tg.shortName AS STRING) AS shortNameTransferGroundsOutsideEU,
  CAST(COALESCE(p.countries, []) AS ARRAY<STRING>) AS countries,
  CAST(p.noteLengde AS INT64) AS noteLengde,
  CAST(COALESCE(p.slettet, FALSE) AS BOOL) AS processorSlettet,
  CAST(bp.time AS TIMESTAMP) AS time
FROM behandling_processors AS bp
LEFT JOIN processors AS p
  ON p.dataprocessorId = bp.dataprocessorId
LEFT JOIN transfer_grounds AS tg
  ON tg.code = p.transferGroundsOutsideEU
