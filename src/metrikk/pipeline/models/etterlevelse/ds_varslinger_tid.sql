MODEL (
  name etterlevelse.ds_varslinger_tid,
  kind FULL,
  cron '@daily',
  grain etterlevelseDokumentasjonId,
  audits (not_null(columns := (etterlevelseDokumentasjonId, time, antallDokumenter)), unique_values(columns := (etterlevelseDokumentasjonId))),
  description 'Én rad per dokument som noen gang har hatt minst én varslingsadresse, med tidspunktet det første gang fikk en og hvor mange dokumenter som hadde fått en til da (adopsjonskurve). Adressene publiseres ikke.',
  column_descriptions (
    etterlevelseDokumentasjonId = 'Dokumentets id.',
    harVarslingsadresse = 'Alltid sann (raden gjelder første versjon med varslingsadresse).',
    time = 'Første gang dokumentet hadde minst én varslingsadresse (UTC).',
    dato = 'Datoen for time i Europe/Oslo.',
    antallDokumenter = 'Antall dokumenter som hadde fått en varslingsadresse til og med dette tidspunktet.',
    harVarslingsadresseNaa = 'Dokumentets gjeldende versjon har varslingsadresse.',
    slettet = 'Dokumentet er slettet.'
  )
);

WITH forste AS (
  SELECT etterlevelseDokumentasjonId, MIN(time) AS time
  FROM etterlevelse.stage_dokument
  WHERE harVarslingsadresse
  GROUP BY etterlevelseDokumentasjonId
),

gjeldende AS (
  SELECT etterlevelseDokumentasjonId, harVarslingsadresse, slettet
  FROM etterlevelse.stage_dokument
  WHERE aktivRad
)

SELECT
  CAST(f.etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonId,
  CAST(TRUE AS BOOL) AS harVarslingsadresse,
  CAST(f.time AS TIMESTAMP) AS time,
  CAST(DATE(f.time, 'Europe/Oslo') AS DATE) AS dato,
  CAST(ROW_NUMBER() OVER (ORDER BY f.time, f.etterlevelseDokumentasjonId) AS INT64) AS antallDokumenter,
  CAST(g.harVarslingsadresse AS BOOL) AS harVarslingsadresseNaa,
  CAST(g.slettet AS BOOL) AS slettet
FROM forste AS f
INNER JOIN gjeldende AS g
  ON g.etterlevelseDokumentasjonId = f.etterlevelseDokumentasjonId
