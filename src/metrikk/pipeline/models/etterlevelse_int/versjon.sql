MODEL (
  name etterlevelse_int.versjon,
  kind FULL,
  cron '@daily',
  grain audit_id,
  audits (
    not_null(columns := (audit_id, tabell, table_id, action, time, aktivRad, sisteAction)),
    unique_values(columns := (audit_id)),
    etterlevelse_en_aktiv_rad(columns := (tabell, table_id), version_column := audit_id)
  ),
  description 'Én rad per revisjonsrad i Støtte til etterlevelse lagret før kjøringens tidspunkt, med gjeldende versjon per entitet (tabell, table_id) valgt én gang etter kontraktens rekkefølge. Uten JSON-en; de andre modellene kobler seg på med audit_id.',
  column_descriptions (
    audit_id = 'Revisjonsradens id.',
    tabell = 'Normalisert tabellnavn (som i etterlevelse_int.audit_version).',
    table_id = 'Entitetens id.',
    action = 'CREATE, UPDATE eller DELETE.',
    time = 'Når versjonen ble lagret (UTC).',
    version = 'Entitetens versjonsnummer i revisjonsloggen.',
    lastModifiedDate = 'Endringsstempelet lastModifiedDate i roten av den lagrede JSON-en (UTC).',
    aktivRad = 'Sann på nøyaktig én rad per entitet (tabell, table_id): siste etter time, så version, så lastModifiedDate, så DELETE etter annen handling, så audit_id.',
    sisteAction = 'Handlingen i entitetens gjeldende versjon; DELETE betyr at entiteten er slettet.'
  )
);

/* The version order of CONTRACT §6 (@nyeste_forst, macros/etterlevelse.py), applied once for
   every entity that is its own audited row: documents, krav, pvk, risikoscenario, tiltak,
   relations, metadata. The stage tables take aktivRad and the current action from here.
   Answers are the exception: their entity is (document, kravNummer), known only after mapping,
   and stage_besvarelser ranks them with the same macro. Narrow rows only (no JSON). */
SELECT
  CAST(audit_id AS STRING) AS audit_id,
  CAST(tabell AS STRING) AS tabell,
  CAST(table_id AS STRING) AS table_id,
  CAST(action AS STRING) AS action,
  CAST(time AS TIMESTAMP) AS time,
  CAST(version AS INT64) AS version,
  CAST(lastModifiedDate AS TIMESTAMP) AS lastModifiedDate,
  CAST(ROW_NUMBER() OVER entitet = 1 AS BOOL) AS aktivRad,
  CAST(FIRST_VALUE(action) OVER entitet AS STRING) AS sisteAction
FROM etterlevelse_int.audit_version
WHERE time < @execution_ts
WINDOW entitet AS (
  PARTITION BY tabell, table_id
  ORDER BY @nyeste_forst(time, version, lastModifiedDate, action, audit_id)
)
