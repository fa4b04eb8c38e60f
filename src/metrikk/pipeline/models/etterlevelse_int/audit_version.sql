MODEL (
  name etterlevelse_int.audit_version,
  kind FULL,
  cron '@daily',
  grain audit_id,
  audits (
    not_null(columns := (audit_id, tabell, table_id, action, time, aktivRad, sisteAction)),
    unique_values(columns := (audit_id)),
    etterlevelse_en_aktiv_rad(columns := (tabell, table_id), version_column := audit_id)
  ),
  description 'Én rad per revisjonsrad i Støtte til etterlevelse lagret før kjøringens tidspunkt. Den eneste modellen som leser landing_zone.etterlevelse_audit_version: tabellnavn normalisert, brukeren pseudonymisert, endringsstempelet lastModifiedDate lest, og gjeldende versjon per entitet valgt én gang etter kontraktens rekkefølge.',
  column_descriptions (
    audit_id = 'Revisjonsradens id.',
    tabell = 'Tabellnavnet uten understrek og med store bokstaver, så begge epokers skrivemåte (Etterlevelse/ETTERLEVELSE, EtterlevelseDokumentasjon/ETTERLEVELSE_DOKUMENTASJON) blir én verdi.',
    table_name = 'Tabellnavnet slik kilden skrev det (trimmet); skrivemåten viser epoken.',
    table_id = 'Entitetens id.',
    action = 'CREATE, UPDATE eller DELETE (store bokstaver).',
    time = 'Når versjonen ble lagret (UTC).',
    version = 'Entitetens versjonsnummer i revisjonsloggen.',
    lastModifiedDate = 'Endringsstempelet lastModifiedDate i roten av den lagrede JSON-en (UTC); skiller lagringer med samme time og version.',
    user = 'Nøkkelbasert pseudonym (HMAC-SHA256) for brukeren som lagret.',
    aktivRad = 'Sann på nøyaktig én rad per entitet (tabell, table_id): siste etter time, så version, så lastModifiedDate, så DELETE etter annen handling, så audit_id.',
    sisteAction = 'Handlingen i entitetens gjeldende versjon; DELETE betyr at entiteten er slettet.',
    data = 'Den lagrede JSON-en (tekst).'
  )
);

/* Every etterlevelse model reads the audit log through this one model (as behandlinger does
   through behandlinger_int.audit_version), so the version order of CONTRACT §6 is applied once
   for entities identified by their own id: @nyeste_forst (macros/etterlevelse.py). Answers are
   the exception: their entity is (document, kravNummer), known only after mapping, and
   stage_besvarelser ranks them with the same macro.
   Memory: the window runs on narrow rows (`rangert` reads no `data` but the stamp), and the
   wide rows are joined to it once, so the window sort never carries the JSON documents. */
WITH smale_rader AS (
  SELECT
    audit_id,
    UPPER(REPLACE(TRIM(table_name), '_', '')) AS tabell,
    table_id,
    UPPER(TRIM(action)) AS action,
    time,
    version,
    SAFE_CAST(JSON_VALUE(data, '$.lastModifiedDate') AS TIMESTAMP) AS lastModifiedDate
  FROM landing_zone.etterlevelse_audit_version
  WHERE time < @execution_ts
),

rangert AS (
  SELECT
    audit_id,
    lastModifiedDate,
    ROW_NUMBER() OVER entitet = 1 AS aktivRad,
    FIRST_VALUE(action) OVER entitet AS sisteAction
  FROM smale_rader
  WINDOW entitet AS (
    PARTITION BY tabell, table_id
    ORDER BY @nyeste_forst(time, version, lastModifiedDate, action, audit_id)
  )
)

SELECT
  CAST(a.audit_id AS STRING) AS audit_id,
  CAST(UPPER(REPLACE(TRIM(a.table_name), '_', '')) AS STRING) AS tabell,
  CAST(TRIM(a.table_name) AS STRING) AS table_name,
  CAST(a.table_id AS STRING) AS table_id,
  CAST(UPPER(TRIM(a.action)) AS STRING) AS action,
  CAST(a.time AS TIMESTAMP) AS time,
  CAST(a.version AS INT64) AS version,
  CAST(r.lastModifiedDate AS TIMESTAMP) AS lastModifiedDate,
  CAST(@pseudonym(a.`user`) AS STRING) AS `user`,
  CAST(r.aktivRad AS BOOL) AS aktivRad,
  CAST(r.sisteAction AS STRING) AS sisteAction,
  a.data AS data
FROM landing_zone.etterlevelse_audit_version AS a
INNER JOIN rangert AS r
  ON r.audit_id = a.audit_id
WHERE a.time < @execution_ts
