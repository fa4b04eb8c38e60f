MODEL (
  name behandlinger.stage_bridge_policy_behandling,
  kind FULL,
  grain policyId,
  audits (
    not_null(columns := (policyId, behandlingId)),
    unique_values(columns := (policyId)),
    bridge_refers_to_current_policy
  ),
  description 'Én rad per gjeldende, ikke slettet policy som hører til en behandling. Koblingen bygges fra policyene (process.id i gjeldende policyversjon), ikke fra behandlingens policyliste.',
  column_descriptions (
    policyId = 'Policyens id; kobles til stage_policy.',
    behandlingId = 'Behandlingen policyen hører til; kobles til stage_behandlinger. En behandling revisjonsloggen aldri viser beholdes (behandlingSlettet er da tom) og telles i kjøringens «Kildeendringer».',
    informationTypeId = 'Opplysningstypen policyen gjelder; kobles til stage_informationType.',
    time = 'Tidspunktet (UTC) gjeldende policyversjon ble lagret.',
    behandlingSlettet = 'Sann når behandlingen policyen peker på er slettet; tom når behandlingen ikke finnes i revisjonsloggen.'
  )
);

/* Built from the POLICY side: polly's PROCESS.policies is the inverse side of the relation, and
   adding or removing a policy writes only a POLICY audit row, so the list on the last PROCESS
   row can be stale (fault 8 of the old job). */
WITH current_policies AS (
  SELECT policyId, behandlingId, informationTypeId, time
  FROM behandlinger.stage_policy
  WHERE NOT slettet AND behandlingId IS NOT NULL
),

current_behandlinger AS (
  SELECT behandlingId, slettet
  FROM behandlinger.stage_behandlinger
  WHERE aktivObservasjon
)

SELECT
  CAST(p.policyId AS STRING) AS policyId,
  CAST(p.behandlingId AS STRING) AS behandlingId,
  CAST(p.informationTypeId AS STRING) AS informationTypeId,
  CAST(p.time AS TIMESTAMP) AS time,
  CAST(b.slettet AS BOOL) AS behandlingSlettet
FROM current_policies AS p
LEFT JOIN current_behandlinger AS b
  ON b.behandlingId = p.behandlingId
