/* Every bridge row joins a current, non-deleted policy and a behandling that exists. */
AUDIT (
  name bridge_refers_to_policy_and_behandling,
  blocking true
);

SELECT br.policyId, br.behandlingId
FROM @this_model AS br
WHERE NOT EXISTS (
    SELECT 1 FROM behandlinger.stage_policy AS p
    WHERE p.policyId = br.policyId AND NOT p.slettet
  )
  OR NOT EXISTS (
    SELECT 1 FROM behandlinger.stage_behandlinger AS b
    WHERE b.behandlingId = br.behandlingId
  )
