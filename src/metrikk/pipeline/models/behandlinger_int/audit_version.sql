MODEL (
  name behandlinger_int.audit_version,
  kind FULL,
  grain auditId,
  audits (
    not_null(columns := (auditId, tableName, entitetId, action, time, aktivObservasjon, slettet)),
    unique_values(columns := (auditId))
  ),
  description 'Én rad per revisjonsrad (audit_id) i Behandlingskatalogen (polly) lagret på eller før as-of-datoen (Europe/Oslo). Tabellnavn og entitets-id er normalisert, og radene er rangert per entitet.'
);

/* Every stage_* model of behandlinger reads polly's audit log through this one model, so the
   version rule is written once: per entity (table_name, table_id) the current version is the
   latest by CONTRACT §6's order (@nyeste_forst, macros/etterlevelse.py): time, then the
   payload's root lastModifiedDate (polly has no version column), then a DELETE after any
   other action, then audit_id. Ties are real: PM:V1.13 gave every older row one time, where
   only lastModifiedDate still orders the saves, and a cascade writes a policy's DELETE with the
   time of its last save. An entity whose current action is DELETE is deleted.
   Memory: the window runs on narrow rows; the JSON documents are joined to it once. */
WITH source_rows AS (
  SELECT
    audit_id,
    UPPER(@uten_blanke(action)) AS action,
    UPPER(@uten_blanke(table_name)) AS table_name,
    /* PM:V1.17 renamed codelist SOURCE to THIRD_PARTY and rewrote the table_ids; a copy taken
       before that keeps the old prefix, which is the same code. */
    CASE
      WHEN UPPER(@uten_blanke(table_name)) = 'CODELIST' AND STARTS_WITH(@uten_blanke(table_id), 'SOURCE-')
        THEN CONCAT('THIRD_PARTY-', SUBSTR(@uten_blanke(table_id), 8))
      ELSE @uten_blanke(table_id)
    END AS table_id,
    time,
    @tidspunkt(JSON_VALUE(data, '$.lastModifiedDate')) AS lastModifiedDate
  FROM landing_zone.behandlingskatalogen_audit_version
  /* as-of: the run reads rows whose Europe/Oslo date is on or before --as-of (the execution
     time is the start of the following day). */
  WHERE time < TIMESTAMP(CAST(@execution_ds AS DATE), 'Europe/Oslo')
),

ranked AS (
  SELECT
    audit_id,
    action,
    table_name,
    table_id,
    time,
    lastModifiedDate,
    ROW_NUMBER() OVER entity = 1 AS aktiv,
    FIRST_VALUE(action) OVER entity AS latest_action,
    MIN(time) OVER (PARTITION BY table_name, table_id) AS created
  FROM source_rows
  WINDOW entity AS (
    PARTITION BY table_name, table_id ORDER BY @nyeste_forst(time, NULL, lastModifiedDate, action, audit_id)
  )
)

SELECT
  CAST(ranked.audit_id AS STRING) AS auditId,
  CAST(ranked.table_name AS STRING) AS tableName,
  CAST(ranked.table_id AS STRING) AS entitetId,
  CAST(ranked.action AS STRING) AS action,
  CAST(ranked.time AS TIMESTAMP) AS time,
  CAST(ranked.lastModifiedDate AS TIMESTAMP) AS lastModifiedDate,
  CAST(ranked.created AS TIMESTAMP) AS created,
  CAST(ranked.aktiv AS BOOL) AS aktivObservasjon,
  CAST(ranked.latest_action = 'DELETE' AS BOOL) AS slettet,
  source.data AS data
FROM ranked
INNER JOIN landing_zone.behandlingskatalogen_audit_version AS source
  ON source.audit_id = ranked.audit_id
WHERE source.time < TIMESTAMP(CAST(@execution_ds AS DATE), 'Europe/Oslo')
