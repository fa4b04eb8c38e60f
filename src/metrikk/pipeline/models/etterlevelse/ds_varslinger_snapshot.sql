MODEL (
  name etterlevelse.ds_varslinger_snapshot,
  kind FULL,
  cron '@daily',
  grain type,
  audits (not_null(columns := (type, antall, antallDokumenter)), unique_values(columns := (type))),
  description 'Én rad per type varslingsadresse (EPOST, SLACK, SLACK_USER) med antall ikke-slettede dokumenter som har minst én slik adresse i gjeldende versjon.',
  column_descriptions (
    type = 'Varslingsadressens type.',
    antall = 'Antall ikke-slettede dokumenter med minst én adresse av typen i gjeldende versjon (navnet fra den opprinnelige jobben; den talte også slettede dokumenter).',
    antallDokumenter = 'Det samme tallet som antall, med et navn som sier hva som telles.'
  )
);

WITH per_type AS (
  SELECT t AS type, COUNT(DISTINCT d.etterlevelseDokumentasjonId) AS antall
  FROM etterlevelse.stage_dokument AS d
  CROSS JOIN UNNEST(d.varslingsadresseTyper) AS t
  WHERE d.aktivRad AND NOT d.slettet
  GROUP BY t
)

SELECT
  CAST(type AS STRING) AS type,
  CAST(antall AS INT64) AS antall,
  CAST(antall AS INT64) AS antallDokumenter
FROM per_type
