MODEL (
  name etterlevelse.ds_varslinger_snapshot,
  kind FULL,
  cron '@daily',
  grain type,
  audits (not_null(columns := (type, antallDokumenter)), unique_values(columns := (type))),
  description 'Én rad per type varslingsadresse (EPOST, SLACK, SLACK_USER) med antall ikke-slettede dokumenter som har minst én slik adresse i gjeldende versjon.',
  column_descriptions (
    type = 'Varslingsadressens type.',
    antallDokumenter = 'Antall ikke-slettede dokumenter med minst én adresse av typen i gjeldende versjon.'
  )
);

SELECT
  CAST(t AS STRING) AS type,
  CAST(COUNT(DISTINCT d.etterlevelseDokumentasjonId) AS INT64) AS antallDokumenter
FROM etterlevelse.stage_dokument AS d
CROSS JOIN UNNEST(d.varslingsadresseTyper) AS t
WHERE d.aktivRad AND NOT d.slettet
GROUP BY t
