/* Every bridge row is a current, non-deleted policy of stage_policy (the bridge is built from
   them, so a failure is a fault in metrikk's own logic). A behandling the log never shows is a
   problem in the source: it is kept, counted in behandlinger_int.referanseavvik and reported as
   «Kildeendringer», never a reason to stop the run (CONTRACT §6). */
AUDIT (
  name bridge_refers_to_current_policy,
  blocking true
);

SELECT br.policyId, br.behandlingId
FROM @this_model AS br
WHERE NOT EXISTS (
  SELECT 1 FROM behandlinger.stage_policy AS p
  WHERE p.policyId = br.policyId AND NOT p.slettet AND p.behandlingId = br.behandlingId
)
