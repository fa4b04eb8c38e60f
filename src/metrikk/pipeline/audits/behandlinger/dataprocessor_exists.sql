/* Every processor a behandling points at exists as a PROCESSOR in the audit log. */
AUDIT (
  name dataprocessor_exists,
  blocking true
);

SELECT d.behandlingId, d.dataprocessorId
FROM @this_model AS d
WHERE NOT EXISTS (
  SELECT 1 FROM behandlinger_int.processor AS p
  WHERE p.dataprocessorId = d.dataprocessorId
)
