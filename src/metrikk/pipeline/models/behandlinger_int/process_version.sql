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

/* Arrays follow the one rule of @ett_array (docs/decisions.md, "One rule on both engines"): a
   place counts only when it holds a JSON array (@ett_objects gives its elements, NULL
   otherwise, so COALESCE falls through to the older place); the elements kept are its scalars
   as text, in the array's order; JSON nulls, objects and nested arrays are dropped. (It replaced
   JSON_VALUE_ARRAY, which makes an array holding an object NULL on BigQuery and text on DuckDB.)
   A single code of the oldest shape becomes a one-element array. */
@DEF(single_code, p -> IF(JSON_VALUE(data, p) IS NULL, NULL, [JSON_QUERY(data, p)]));

/* Memory: the array columns are not cleaned with correlated subqueries (ARRAY(SELECT … FROM
   UNNEST(…))): DuckDB runs each as a join that buffers its whole input, and nine of them over
   the PROCESS rows took 1.5 GB at `default` scale and ran out of memory under a 1 GB cap.
   Instead `raw_arrays` pulls the raw arrays out of the JSON (one narrow row per version),
   `array_elements` explodes them with their position, and `clean_arrays` aggregates the
   non-null elements back in order, one row per (auditId, felt); the result is joined back to
   the wide rows by auditId. A version without elements gets []. */
WITH process_rows AS (
  SELECT auditId, entitetId, action, time, created, aktivObservasjon, slettet, data
  FROM behandlinger_int.audit_version
  WHERE tableName = 'PROCESS'
),

raw_arrays AS (
  SELECT
    auditId,
    COALESCE(@ett_objects(data, 'purposes', 'data'), @single_code('$.purposeCode')) AS purposes,
    @ett_objects(data, 'seksjoner', 'data.affiliation') AS seksjoner,
    @ett_objects(data, 'fylker', 'data.affiliation') AS fylker,
    @ett_objects(data, 'navKontorer', 'data.affiliation') AS navKontorer,
    COALESCE(
      @ett_objects(data, 'subDepartments', 'data.affiliation', 'data'),
      @single_code('$.data.subDepartment')
    ) AS subDepartments,
    COALESCE(
      @ett_objects(data, 'productTeams', 'data.affiliation', 'data'),
      @single_code('$.data.productTeam')
    ) AS productTeams,
    @ett_objects(data, 'products', 'data.affiliation', 'data') AS products,
    @ett_objects(data, 'disclosureDispatchers', 'data.affiliation') AS disclosureDispatchers,
    @ett_objects(data, 'processors', 'data.dataProcessing') AS processorIds,
    @ett_objects(data, 'dataProcessorAgreements', 'data.dataProcessing') AS dataProcessorAgreements
  FROM process_rows
),

array_elements AS (
  SELECT r.auditId, 'purposes' AS felt, o, JSON_VALUE(e) AS verdi
  FROM raw_arrays AS r
  CROSS JOIN UNNEST(r.purposes) AS e WITH OFFSET AS o
  UNION ALL
  SELECT r.auditId, 'seksjoner' AS felt, o, JSON_VALUE(e, '$.nomSeksjonId') AS verdi
  FROM raw_arrays AS r
  CROSS JOIN UNNEST(r.seksjoner) AS e WITH OFFSET AS o
  UNION ALL
  SELECT r.auditId, 'fylker' AS felt, o, JSON_VALUE(e, '$.nomId') AS verdi
  FROM raw_arrays AS r
  CROSS JOIN UNNEST(r.fylker) AS e WITH OFFSET AS o
  UNION ALL
  SELECT r.auditId, 'navKontorer' AS felt, o, JSON_VALUE(e, '$.nomId') AS verdi
  FROM raw_arrays AS r
  CROSS JOIN UNNEST(r.navKontorer) AS e WITH OFFSET AS o
  UNION ALL
  SELECT r.auditId, 'subDepartments' AS felt, o, JSON_VALUE(e) AS verdi
  FROM raw_arrays AS r
  CROSS JOIN UNNEST(r.subDepartments) AS e WITH OFFSET AS o
  UNION ALL
  SELECT r.auditId, 'productTeams' AS felt, o, JSON_VALUE(e) AS verdi
  FROM raw_arrays AS r
  CROSS JOIN UNNEST(r.productTeams) AS e WITH OFFSET AS o
  UNION ALL
  SELECT r.auditId, 'products' AS felt, o, JSON_VALUE(e) AS verdi
  FROM raw_arrays AS r
  CROSS JOIN UNNEST(r.products) AS e WITH OFFSET AS o
  UNION ALL
  SELECT r.auditId, 'disclosureDispatchers' AS felt, o, JSON_VALUE(e) AS verdi
  FROM raw_arrays AS r
  CROSS JOIN UNNEST(r.disclosureDispatchers) AS e WITH OFFSET AS o
  UNION ALL
  SELECT r.auditId, 'processorIds' AS felt, o, JSON_VALUE(e) AS verdi
  FROM raw_arrays AS r
  CROSS JOIN UNNEST(r.processorIds) AS e WITH OFFSET AS o
  UNION ALL
  SELECT r.auditId, 'dataProcessorAgreements' AS felt, o, JSON_VALUE(e) AS verdi
  FROM raw_arrays AS r
  CROSS JOIN UNNEST(r.dataProcessorAgreements) AS e WITH OFFSET AS o
),

clean_arrays AS (
  SELECT auditId, felt, ARRAY_AGG(verdi ORDER BY o) AS verdier
  FROM array_elements
  WHERE verdi IS NOT NULL
  GROUP BY auditId, felt
)

SELECT
  CAST(p.auditId AS STRING) AS auditId,
  CAST(p.entitetId AS STRING) AS behandlingId,
  CAST(COALESCE(JSON_VALUE(p.data, '$.data.name'), JSON_VALUE(p.data, '$.name')) AS STRING) AS name,
  @heltall(JSON_VALUE(p.data, '$.data.number')) AS number,
  @iso_dato(JSON_VALUE(p.data, '$.data.start')) AS start,
  @iso_dato(JSON_VALUE(p.data, '$.data.end')) AS `end`,
  CAST(JSON_VALUE(p.data, '$.data.status') AS STRING) AS status,
  CAST(COALESCE(a_purposes.verdier, []) AS ARRAY<STRING>) AS purposes,
  @sannhet(JSON_VALUE(p.data, '$.data.profiling')) AS profiling,
  @sannhet(JSON_VALUE(p.data, '$.data.automaticProcessing')) AS automaticProcessing,
  CAST(JSON_VALUE(p.data, '$.data.description') AS STRING) AS description,
  CAST(JSON_VALUE(p.data, '$.data.additionalDescription') AS STRING) AS additionalDescription,
  @sannhet(JSON_VALUE(p.data, '$.data.usesAllInformationTypes')) AS usesAllInformationTypes,
  CAST(COALESCE(
    JSON_VALUE(p.data, '$.data.affiliation.department'), JSON_VALUE(p.data, '$.data.department')
  ) AS STRING) AS department,
  CAST(JSON_VALUE(p.data, '$.data.affiliation.nomDepartmentId') AS STRING) AS nomDepartmentId,
  CAST(JSON_VALUE(p.data, '$.data.affiliation.nomDepartmentName') AS STRING) AS nomDepartmentName,
  CAST(COALESCE(a_seksjoner.verdier, []) AS ARRAY<STRING>) AS seksjoner,
  CAST(COALESCE(a_fylker.verdier, []) AS ARRAY<STRING>) AS fylker,
  CAST(COALESCE(a_navKontorer.verdier, []) AS ARRAY<STRING>) AS navKontorer,
  CAST(COALESCE(a_subDepartments.verdier, []) AS ARRAY<STRING>) AS subDepartments,
  CAST(COALESCE(a_productTeams.verdier, []) AS ARRAY<STRING>) AS productTeams,
  CAST(COALESCE(a_products.verdier, []) AS ARRAY<STRING>) AS products,
  CAST(COALESCE(a_disclosureDispatchers.verdier, []) AS ARRAY<STRING>) AS disclosureDispatchers,
  @sannhet(JSON_VALUE(p.data, '$.data.retention.retentionPlan')) AS retentionPlan,
  @heltall(JSON_VALUE(p.data, '$.data.retention.retentionMonths')) AS retentionMonths,
  CAST(JSON_VALUE(p.data, '$.data.retention.retentionStart') AS STRING) AS retentionStart,
  CAST(JSON_VALUE(p.data, '$.data.retention.retentionDescription') AS STRING) AS retentionDescription,
  @sannhet(JSON_VALUE(p.data, '$.data.dpia.needForDpia')) AS needForDpia,
  @sannhet(JSON_VALUE(p.data, '$.data.dataProcessing.dataProcessor')) AS dataProcessor,
  CAST(COALESCE(a_processorIds.verdier, []) AS ARRAY<STRING>) AS processorIds,
  @sannhet(
    JSON_VALUE(p.data, '$.data.dataProcessing.dataProcessorOutsideEU')) AS legacyDataProcessorOutsideEU,
  /* the number of scalar agreements; NULL when the version has no such array */
  CAST(IF(
    @ett_objects(p.data, 'dataProcessorAgreements', 'data.dataProcessing') IS NULL,
    NULL,
    COALESCE(ARRAY_LENGTH(a_dataProcessorAgreements.verdier), 0)
  ) AS INT64) AS legacyDataProcessorAgreements,
  CAST(p.action AS STRING) AS action,
  CAST(p.created AS TIMESTAMP) AS created,
  CAST(p.time AS TIMESTAMP) AS time,
  CAST(p.aktivObservasjon AS BOOL) AS aktivObservasjon,
  CAST(p.slettet AS BOOL) AS slettet,
  p.data AS data
FROM process_rows AS p
LEFT JOIN clean_arrays AS a_purposes
  ON a_purposes.auditId = p.auditId AND a_purposes.felt = 'purposes'
LEFT JOIN clean_arrays AS a_seksjoner
  ON a_seksjoner.auditId = p.auditId AND a_seksjoner.felt = 'seksjoner'
LEFT JOIN clean_arrays AS a_fylker
  ON a_fylker.auditId = p.auditId AND a_fylker.felt = 'fylker'
LEFT JOIN clean_arrays AS a_navKontorer
  ON a_navKontorer.auditId = p.auditId AND a_navKontorer.felt = 'navKontorer'
LEFT JOIN clean_arrays AS a_subDepartments
  ON a_subDepartments.auditId = p.auditId AND a_subDepartments.felt = 'subDepartments'
LEFT JOIN clean_arrays AS a_productTeams
  ON a_productTeams.auditId = p.auditId AND a_productTeams.felt = 'productTeams'
LEFT JOIN clean_arrays AS a_products
  ON a_products.auditId = p.auditId AND a_products.felt = 'products'
LEFT JOIN clean_arrays AS a_disclosureDispatchers
  ON a_disclosureDispatchers.auditId = p.auditId AND a_disclosureDispatchers.felt = 'disclosureDispatchers'
LEFT JOIN clean_arrays AS a_processorIds
  ON a_processorIds.auditId = p.auditId AND a_processorIds.felt = 'processorIds'
LEFT JOIN clean_arrays AS a_dataProcessorAgreements
  ON a_dataProcessorAgreements.auditId = p.auditId
  AND a_dataProcessorAgreements.felt = 'dataProcessorAgreements'
