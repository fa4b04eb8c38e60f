MODEL (
  name behandlinger_int.processor,
  kind FULL,
  grain dataprocessorId,
  audits (
    not_null(columns := (dataprocessorId, slettet)),
    unique_values(columns := (dataprocessorId))
  ),
  description 'Én rad per databehandler (PROCESSOR, fra 2021) i Behandlingskatalogen, slik siste versjon i revisjonsloggen viser den.'
);

/* countries: the scalars of the JSON array, in order, without JSON nulls, objects and nested
   arrays (@ett_array, docs/decisions.md "One rule on both engines"); [] when there is none. */
WITH processor_rows AS (
  SELECT entitetId, time, slettet, data
  FROM behandlinger_int.audit_version
  WHERE tableName = 'PROCESSOR' AND aktivObservasjon
)

SELECT
  CAST(entitetId AS STRING) AS dataprocessorId,
  CAST(JSON_VALUE(data, '$.data.name') AS STRING) AS name,
  @sannhet(JSON_VALUE(data, '$.data.outsideEU')) AS outsideEU,
  CAST(JSON_VALUE(data, '$.data.transferGroundsOutsideEU') AS STRING) AS transferGroundsOutsideEU,
  CAST(COALESCE(@ett_array(data, 'countries', 'data'), []) AS ARRAY<STRING>) AS countries,
  LENGTH(JSON_VALUE(data, '$.data.note')) AS noteLengde,
  CAST(time AS TIMESTAMP) AS time,
  CAST(slettet AS BOOL) AS slettet
FROM processor_rows
