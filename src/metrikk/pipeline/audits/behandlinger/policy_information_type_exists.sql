/* Every policy points at an information type that exists in the audit log (stage_policy →
   stage_informationType on informationTypeId). */
AUDIT (
  name policy_information_type_exists,
  blocking true
);

SELECT p.policyId, p.informationTypeId
FROM @this_model AS p
WHERE p.informationTypeId IS NOT NULL
  AND NOT EXISTS (
    SELECT 1
    FROM behandlinger_int.audit_version AS a
    WHERE a.tableName = 'INFORMATION_TYPE' AND a.entitetId = p.informationTypeId
  )
