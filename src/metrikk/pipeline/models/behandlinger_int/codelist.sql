MODEL (
  name behandlinger_int.codelist,
  kind FULL,
  grain (list, code),
  audits (
    not_null(columns := (list, code, slettet)),
    unique_combination_of_columns(columns := (list, code))
  ),
  description 'Én rad per liste og kode i kodeverket til Behandlingskatalogen (polly), slik siste versjon i revisjonsloggen viser koden.'
);

/* JSON_VALUE(...) IS NOT NULL is wrapped in CAST: sqlglot renders it for DuckDB as
   `NOT JSON_VALUE(...) ->> '$' IS NULL`, where NOT binds before ->>.
   CODELIST audit rows have table_id "<LIST>-<CODE>" and the fields list, code, shortName and
   description at the root. The list is taken from the row and else from the table_id prefix up to
   the first hyphen (list names have no hyphen; codes may). SOURCE was renamed THIRD_PARTY.
   An id without a hyphen gives the empty prefix on both engines: the length is clamped at 0,
   since BigQuery's SUBSTR fails on a negative length where DuckDB's returns ''.
   Two entities can name one (list, code); the later by the version order wins. A code whose
   current version is a DELETE keeps its row with slettet = true (stage_systems says so). */
WITH codelist_rows AS (
  SELECT auditId, entitetId, action, time, lastModifiedDate, slettet, data
  FROM behandlinger_int.audit_version
  WHERE tableName = 'CODELIST' AND aktivObservasjon
),

parsed AS (
  SELECT
    UPPER(COALESCE(
      JSON_VALUE(data, '$.list'), SUBSTR(entitetId, 1, GREATEST(STRPOS(entitetId, '-') - 1, 0))
    )) AS raw_list,
    COALESCE(JSON_VALUE(data, '$.code'), SUBSTR(entitetId, STRPOS(entitetId, '-') + 1)) AS code,
    JSON_VALUE(data, '$.shortName') AS short_name,
    JSON_VALUE(data, '$.description') AS description,
    auditId,
    action,
    time,
    lastModifiedDate,
    slettet
  FROM codelist_rows
  WHERE STRPOS(entitetId, '-') > 0 OR CAST(JSON_VALUE(data, '$.code') AS STRING) IS NOT NULL
)

SELECT
  CAST(IF(raw_list = 'SOURCE', 'THIRD_PARTY', raw_list) AS STRING) AS list,
  CAST(code AS STRING) AS code,
  CAST(short_name AS STRING) AS shortName,
  CAST(description AS STRING) AS description,
  CAST(time AS TIMESTAMP) AS time,
  CAST(slettet AS BOOL) AS slettet
FROM parsed
WHERE raw_list IS NOT NULL AND raw_list <> ''
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY IF(raw_list = 'SOURCE', 'THIRD_PARTY', raw_list), code
  ORDER BY @nyeste_forst(time, NULL, lastModifiedDate, action, auditId)
) = 1
