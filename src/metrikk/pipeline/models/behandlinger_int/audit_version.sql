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
   version rule is written once: per entity (table_name, table_id) the latest row by time, then
   audit_id, is the current version (polly has no version column, and V1.13 gave every old row
   the same time, so ties are real). An entity whose latest action is DELETE is deleted. */
WITH source_rows AS (
  SELECT
    audit_id,
    UPPER(TRIM(action)) AS action,
    UPPER(TRIM(table_name)) AS table_name,
    TRIM(table_id) AS table_id,
    time,
    data
  FROM landing_zone.behandlingskatalogen_audit_version
  /* as-of: the run reads rows whose Europe/Oslo date is on or before --as-of (the execution
     time is the start of the following day). */
  WHERE time < TIMESTAMP(CAST(@execution_ds AS DATE), 'Europe/Oslo')
),

normalised_ids AS (
  SELECT
    audit_id,
    action,
    table_name,
    /* PM:V1.17 renamed codelist SOURCE to THIRD_PARTY and rewrote the table_ids; a copy taken
       before that keeps the old prefix, which is the same code. */
    CASE
      WHEN table_name = 'CODELIST' AND STARTS_WITH(table_id, 'SOURCE-')
        THEN CONCAT('THIRD_PARTY-', SUBSTR(table_id, 8))
      ELSE table_id
    END AS table_id,
    time,
    data
  FROM source_rows
),

ranked AS (
  SELECT
    audit_id,
    action,
    table_name,
    table_id,
    time,
    data,
    ROW_NUMBER() OVER (
      PARTITION BY table_name, table_id ORDER BY time DESC, audit_id DESC
    ) AS rank_desc,
    MIN(time) OVER (PARTITION BY table_name, table_id) AS created
  FROM normalised_ids
),

latest_action AS (
  SELECT table_name, table_id, action AS latest_action
  FROM ranked
  WHERE rank_desc = 1
)

SELECT
  CAST(ranked.audit_id AS STRING) AS auditId,
  CAST(ranked.table_name AS STRING) AS tableName,
  CAST(ranked.table_id AS STRING) AS entitetId,
  CAST(ranked.action AS STRING) AS action,
  CAST(ranked.time AS TIMESTAMP) AS time,
  CAST(ranked.created AS TIMESTAMP) AS created,
  CAST(ranked.rank_desc = 1 AS BOOL) AS aktivObservasjon,
  CAST(latest_action.latest_action = 'DELETE' AS BOOL) AS slettet,
  ranked.data AS data
FROM ranked
INNER JOIN latest_action
  ON ranked.table_name = latest_action.table_name AND ranked.table_id = latest_action.table_id
