MODEL (
  name behandlinger_int.process_version,
  kind FULL,
  grain auditId,
  audits (
    not_null(columns := (auditId, behandlingId, time, aktivObservasjon, slettet)),
    unique_values(columns := (auditId))
  ),
  description 'Én rad per lagret versjon (audit_id) av en behandling (PROCESS), lest fra alle polly-formater.'
);

/* One place that knows every shape of a PROCESS audit row (research §1.5, §2.10):
   - before 2020-11-24 `name` and `purposeCode` are root columns, later `data.name`, `data.purposes`;
   - before 2020-05 `subDepartment` / `productTeam` are single codes, later arrays;
   - before 2020-09-18 department, subDepartments, productTeams and products sit at the `data`
     root, later under `data.affiliation`;
   - before 2021-04 `dataProcessing` holds dataProcessorAgreements / dataProcessorOutsideEU,
     later the PROCESSOR ids in `dataProcessing.processors`.
   Each field reads the newest location first and falls back to the older one, so a row is read
   by what it contains, not by its date. Missing or null sub-objects give null fields.
   `CAST(JSON_VALUE(...) AS STRING) IS NOT NULL`: without the CAST sqlglot renders DuckDB SQL
   `NOT JSON_VALUE(...) ->> '$' IS NULL`, where NOT binds before ->> and the query fails. */

@DEF(json_codes, a -> ARRAY(SELECT c FROM UNNEST(a) AS c WITH OFFSET AS o WHERE c IS NOT NULL ORDER BY o));
@DEF(nom_ids, (p, k) -> ARRAY(
  SELECT JSON_VALUE(e, k) FROM UNNEST(JSON_QUERY_ARRAY(data, p)) AS e WITH OFFSET AS o
  WHERE CAST(JSON_VALUE(e, k) AS STRING) IS NOT NULL ORDER BY o
));
@DEF(single_code, p -> IF(JSON_VALUE(data, p) IS NULL, NULL, [JSON_VALUE(data, p)]));

WITH process_rows AS (
  SELECT auditId, entitetId, action, time, created, aktivObservasjon, slettet, data
  FROM behandlinger_int.audit_version
  WHERE tableName = 'PROCESS'
)

SELECT
  CAST(auditId AS STRING) AS auditId,
  CAST(entitetId AS STRING) AS behandlingId,
  CAST(COALESCE(JSON_VALUE(data, '$.data.name'), JSON_VALUE(data, '$.name')) AS STRING) AS name,
  SAFE_CAST(JSON_VALUE(data, '$.data.number') AS INT64) AS number,
  SAFE_CAST(JSON_VALUE(data, '$.data.start') AS DATE) AS start,
  SAFE_CAST(JSON_VALUE(data, '$.data.end') AS DATE) AS `end`,
  CAST(JSON_VALUE(data, '$.data.status') AS STRING) AS status,
  @json_codes(COALESCE(
    JSON_VALUE_ARRAY(data, '$.data.purposes'), @single_code('$.purposeCode')
  )) AS purposes,
  SAFE_CAST(JSON_VALUE(data, '$.data.profiling') AS BOOL) AS profiling,
  SAFE_CAST(JSON_VALUE(data, '$.data.automaticProcessing') AS BOOL) AS automaticProcessing,
  CAST(JSON_VALUE(data, '$.data.description') AS STRING) AS description,
  CAST(JSON_VALUE(data, '$.data.additionalDescription') AS STRING) AS additionalDescription,
  SAFE_CAST(JSON_VALUE(data, '$.data.usesAllInformationTypes') AS BOOL) AS usesAllInformationTypes,
  CAST(COALESCE(
    JSON_VALUE(data, '$.data.affiliation.department'), JSON_VALUE(data, '$.data.department')
  ) AS STRING) AS department,
  CAST(JSON_VALUE(data, '$.data.affiliation.nomDepartmentId') AS STRING) AS nomDepartmentId,
  CAST(JSON_VALUE(data, '$.data.affiliation.nomDepartmentName') AS STRING) AS nomDepartmentName,
  @nom_ids('$.data.affiliation.seksjoner', '$.nomSeksjonId') AS seksjoner,
  @nom_ids('$.data.affiliation.fylker', '$.nomId') AS fylker,
  @nom_ids('$.data.affiliation.navKontorer', '$.nomId') AS navKontorer,
  @json_codes(COALESCE(
    JSON_VALUE_ARRAY(data, '$.data.affiliation.subDepartments'),
    JSON_VALUE_ARRAY(data, '$.data.subDepartments'),
    @single_code('$.data.subDepartment')
  )) AS subDepartments,
  @json_codes(COALESCE(
    JSON_VALUE_ARRAY(data, '$.data.affiliation.productTeams'),
    JSON_VALUE_ARRAY(data, '$.data.productTeams'),
    @single_code('$.data.productTeam')
  )) AS productTeams,
  @json_codes(COALESCE(
    JSON_VALUE_ARRAY(data, '$.data.affiliation.products'), JSON_VALUE_ARRAY(data, '$.data.products')
  )) AS products,
  @json_codes(JSON_VALUE_ARRAY(data, '$.data.affiliation.disclosureDispatchers')) AS disclosureDispatchers,
  SAFE_CAST(JSON_VALUE(data, '$.data.retention.retentionPlan') AS BOOL) AS retentionPlan,
  SAFE_CAST(JSON_VALUE(data, '$.data.retention.retentionMonths') AS INT64) AS retentionMonths,
  CAST(JSON_VALUE(data, '$.data.retention.retentionStart') AS STRING) AS retentionStart,
  CAST(JSON_VALUE(data, '$.data.retention.retentionDescription') AS STRING) AS retentionDescription,
  SAFE_CAST(JSON_VALUE(data, '$.data.dpia.needForDpia') AS BOOL) AS needForDpia,
  SAFE_CAST(JSON_VALUE(data, '$.data.dataProcessing.dataProcessor') AS BOOL) AS dataProcessor,
  @json_codes(JSON_VALUE_ARRAY(data, '$.data.dataProcessing.processors')) AS processorIds,
  SAFE_CAST(
    JSON_VALUE(data, '$.data.dataProcessing.dataProcessorOutsideEU') AS BOOL
  ) AS legacyDataProcessorOutsideEU,
  ARRAY_LENGTH(
    JSON_VALUE_ARRAY(data, '$.data.dataProcessing.dataProcessorAgreements')
  ) AS legacyDataProcessorAgreements,
  CAST(action AS STRING) AS action,
  CAST(created AS TIMESTAMP) AS created,
  CAST(time AS TIMESTAMP) AS time,
  CAST(aktivObservasjon AS BOOL) AS aktivObservasjon,
  CAST(slettet AS BOOL) AS slettet,
  data
FROM process_rows
