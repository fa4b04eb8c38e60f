MODEL (
  name etterlevelse_int.krav_versjon,
  kind INCREMENTAL_BY_TIME_RANGE (time_column time, lookback 3, batch_size 180),
  start '2020-01-01',
  cron '@daily',
  grain audit_id,
  audits (not_null(columns := (audit_id, kravId, time, action)), unique_values(columns := (audit_id))),
  description 'Lagrede versjoner av krav (Krav/KRAV i revisjonsloggen), lest fra begge epokers JSON-form. Én rad per revisjonsrad.',
  column_descriptions (
    audit_id = 'Revisjonsradens id.',
    kravId = 'Kravversjonens id (én id per kravnummer og kravversjon).',
    action = 'CREATE, UPDATE eller DELETE.',
    time = 'Når versjonen ble lagret (UTC).',
    version = 'Versjonsnummer i revisjonsloggen.',
    lastModifiedDate = 'Endringsstempelet lastModifiedDate i roten av den lagrede JSON-en (UTC).',
    kravNummer = 'Kravnummer.',
    kravVersjon = 'Kravversjon.',
    kravStatus = 'Kravets status (UTKAST, AKTIV, UTGAATT; eldre UNDER_ARBEID er lest som UTKAST).',
    relevansFor = 'RELEVANS-koder kravet gjelder for; tom liste betyr alle dokumenter.'
  )
);

WITH parsed AS (
  SELECT
    audit_id, action, table_id, time, version, lastModifiedDate,
    @heltall(@ett_value(data, 'kravNummer', '', 'data')) AS kravNummer,
    @heltall(@ett_value(data, 'kravVersjon', '', 'data')) AS kravVersjon,
    @ett_value(data, 'status', 'data', '') AS status,
    @ett_array(data, 'relevansFor', 'data') AS relevansFor
  FROM @nye_revisjonsrader('KRAV', @start_ts, @end_ts)
)

SELECT
  @versjonskolonner(kravId),
  CAST(kravNummer AS INT64) AS kravNummer,
  CAST(kravVersjon AS INT64) AS kravVersjon,
  CAST(CASE WHEN status = 'UNDER_ARBEID' THEN 'UTKAST' ELSE status END AS STRING) AS kravStatus,
  CAST(COALESCE(relevansFor, []) AS ARRAY<STRING>) AS relevansFor
FROM parsed
