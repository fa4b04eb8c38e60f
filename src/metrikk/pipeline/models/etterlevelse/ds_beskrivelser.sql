MODEL (
  name etterlevelse.ds_beskrivelser,
  kind FULL,
  cron '@daily',
  grain etterlevelseDokumentasjonId,
  audits (not_null(columns := (etterlevelseDokumentasjonId, minTid)), unique_values(columns := (etterlevelseDokumentasjonId))),
  description 'Én rad per dokument som noen gang har hatt en beskrivelse, med første tidspunkt og adopsjonskurve; dokumenter som senere fjernet beskrivelsen er med og merket. Selve teksten publiseres ikke.',
  column_descriptions (
    etterlevelseDokumentasjonId = 'Dokumentets id.',
    harBeskrivelse = 'Gjeldende versjon har beskrivelse.',
    minTid = 'Første gang dokumentet hadde en beskrivelse (UTC).',
    antallDokumenterMedBeskrivelse = 'Antall dokumenter som hadde fått en beskrivelse til og med minTid.',
    antallTegnBeskrivelse = 'Antall tegn i gjeldende beskrivelse.',
    slettet = 'Dokumentet er slettet.'
  )
);

WITH forste AS (
  SELECT etterlevelseDokumentasjonId, MIN(time) AS minTid
  FROM etterlevelse.stage_dokument
  WHERE beskrivelseAntallTegn > 0
  GROUP BY etterlevelseDokumentasjonId
),

gjeldende AS (
  SELECT etterlevelseDokumentasjonId, beskrivelseAntallTegn, slettet
  FROM etterlevelse.stage_dokument
  WHERE aktivRad
)

SELECT
  CAST(f.etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonId,
  CAST(g.beskrivelseAntallTegn > 0 AS BOOL) AS harBeskrivelse,
  CAST(f.minTid AS TIMESTAMP) AS minTid,
  CAST(ROW_NUMBER() OVER (ORDER BY f.minTid, f.etterlevelseDokumentasjonId) AS INT64) AS antallDokumenterMedBeskrivelse,
  CAST(g.beskrivelseAntallTegn AS INT64) AS antallTegnBeskrivelse,
  CAST(g.slettet AS BOOL) AS slettet
FROM forste AS f
INNER JOIN gjeldende AS g
  ON g.etterlevelseDokumentasjonId = f.etterlevelseDokumentasjonId
