MODEL (
  name etterlevelse_int.besvarelse_versjon,
  kind INCREMENTAL_BY_TIME_RANGE (time_column time, lookback 3, batch_size 180),
  start '2020-01-01',
  cron '@daily',
  grain (audit_id, suksesskriterieId),
  audits (not_null(columns := (audit_id, table_id, time, action))),
  description 'Lagrede svar (Etterlevelse/ETTERLEVELSE i revisjonsloggen) lest fra alle epokers JSON-form. Én rad per revisjonsrad og suksesskriterium; et svar uten suksesskriterier gir én rad uten kriterium. Bare tilføyes: revisjonsloggen endres aldri bakover.',
  column_descriptions (
    audit_id = 'Revisjonsradens id.',
    table_id = 'Svarets (etterlevelsens) id.',
    action = 'CREATE, UPDATE eller DELETE.',
    time = 'Når versjonen ble lagret (UTC).',
    version = 'Entitetens versjonsnummer i revisjonsloggen.',
    lastModifiedDate = 'Endringsstempelet lastModifiedDate i roten av den lagrede JSON-en (UTC).',
    user = 'Nøkkelbasert pseudonym (HMAC-SHA256) for brukeren som lagret.',
    dokumentIdFraSvar = 'etterlevelseDokumentasjonId slik svaret selv oppgir den (rot eller data); tom før august 2023.',
    behandlingId = 'behandlingId slik svaret oppgir den (svar fra før august 2023).',
    kravNummer = 'Kravnummer.',
    kravVersjon = 'Kravversjon.',
    etterlevelseStatus = 'Svarets status på kravnivå; eldre IKKE_RELEVANT er lest som IKKE_RELEVANT_FERDIG_DOKUMENTERT (migrering V1.12).',
    suksesskriterieId = 'Suksesskriteriets id (eldste rader kalte feltet id).',
    suksesskriterieStatus = 'Status for suksesskriteriet; eldre boolske felt er oversatt med appens forrang (underArbeid, oppfylt, ikkeRelevant, ellers UNDER_ARBEID).',
    statusFraBoolske = 'Sann når suksesskriterieStatus er avledet fra de gamle boolske feltene.',
    begrunnelseAntallTegn = 'Antall tegn i begrunnelsen (teksten publiseres ikke).'
  )
);

WITH parsed AS (
  SELECT
    audit_id, action, table_id, time, version, lastModifiedDate,
    @pseudonym(user_ident) AS user_pseudonym,
    @ett_value(data, 'etterlevelseDokumentasjonId', '', 'data', 'etterlevelseData') AS dokumentIdFraSvar,
    @ett_value(data, 'behandlingId', '', 'data', 'etterlevelseData') AS behandlingId,
    @heltall(@ett_value(data, 'kravNummer', '', 'data', 'etterlevelseData')) AS kravNummer,
    @heltall(@ett_value(data, 'kravVersjon', '', 'data', 'etterlevelseData')) AS kravVersjon,
    @ett_value(data, 'status', 'etterlevelseData', 'data') AS status,
    @ett_objects(data, 'suksesskriterieBegrunnelser', 'etterlevelseData', 'data', '') AS kriterier
  FROM @nye_revisjonsrader('ETTERLEVELSE', @start_ts, @end_ts)
),

per_kriterium AS (
  SELECT
    parsed.*,
    kriterium
  FROM parsed
  LEFT JOIN UNNEST(parsed.kriterier) AS kriterium
)

SELECT
  @versjonskolonner(table_id),
  CAST(user_pseudonym AS STRING) AS `user`,
  CAST(NULLIF(dokumentIdFraSvar, '') AS STRING) AS dokumentIdFraSvar,
  CAST(NULLIF(behandlingId, '') AS STRING) AS behandlingId,
  CAST(kravNummer AS INT64) AS kravNummer,
  CAST(kravVersjon AS INT64) AS kravVersjon,
  CAST(CASE WHEN status = 'IKKE_RELEVANT' THEN 'IKKE_RELEVANT_FERDIG_DOKUMENTERT' ELSE status END AS STRING) AS etterlevelseStatus,
  CAST(@heltall(COALESCE(JSON_VALUE(kriterium, '$.suksesskriterieId'), JSON_VALUE(kriterium, '$.id'))) AS INT64) AS suksesskriterieId,
  CAST(
    CASE
      WHEN kriterium IS NULL THEN NULL
      WHEN COALESCE(JSON_VALUE(kriterium, '$.suksesskriterieStatus'), '') <> '' THEN JSON_VALUE(kriterium, '$.suksesskriterieStatus')
      WHEN JSON_VALUE(kriterium, '$.underArbeid') = 'true' THEN 'UNDER_ARBEID'
      WHEN JSON_VALUE(kriterium, '$.oppfylt') = 'true' THEN 'OPPFYLT'
      WHEN JSON_VALUE(kriterium, '$.ikkeRelevant') = 'true' THEN 'IKKE_RELEVANT'
      ELSE 'UNDER_ARBEID'
    END AS STRING
  ) AS suksesskriterieStatus,
  CAST(kriterium IS NOT NULL AND COALESCE(JSON_VALUE(kriterium, '$.suksesskriterieStatus'), '') = '' AS BOOL) AS statusFraBoolske,
  CAST(LENGTH(JSON_VALUE(kriterium, '$.begrunnelse')) AS INT64) AS begrunnelseAntallTegn
FROM per_kriterium
