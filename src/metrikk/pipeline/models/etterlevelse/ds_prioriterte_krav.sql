MODEL (
  name etterlevelse.ds_prioriterte_krav,
  kind FULL,
  cron '@daily',
  grain etterlevelseDokumentasjonId,
  audits (not_null(columns := (etterlevelseDokumentasjonId, minTid)), unique_values(columns := (etterlevelseDokumentasjonId))),
  description 'Én rad per dokument som noen gang har prioritert krav, med første tidspunkt, adopsjonskurve og antall prioriterte krav i gjeldende versjon.',
  column_descriptions (
    etterlevelseDokumentasjonId = 'Dokumentets id.',
    harPrioritertKravNummer = 'Gjeldende versjon har minst ett prioritert krav.',
    minTid = 'Første gang dokumentet hadde prioriterte krav (UTC).',
    antallDokumenterMedPrioritertKravliste = 'Antall dokumenter som hadde prioritert krav til og med minTid.',
    antallPrioriterteKrav = 'Antall prioriterte krav i gjeldende versjon.',
    slettet = 'Dokumentet er slettet.'
  )
);

WITH forste AS (
  SELECT etterlevelseDokumentasjonId, MIN(time) AS minTid
  FROM etterlevelse.stage_dokument
  WHERE ARRAY_LENGTH(prioritertKravNummer) > 0
  GROUP BY etterlevelseDokumentasjonId
),

gjeldende AS (
  SELECT etterlevelseDokumentasjonId, ARRAY_LENGTH(prioritertKravNummer) AS antall, slettet
  FROM etterlevelse.stage_dokument
  WHERE aktivRad
)

SELECT
  CAST(f.etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonId,
  CAST(g.antall > 0 AS BOOL) AS harPrioritertKravNummer,
  CAST(f.minTid AS TIMESTAMP) AS minTid,
  CAST(ROW_NUMBER() OVER (ORDER BY f.minTid, f.etterlevelseDokumentasjonId) AS INT64) AS antallDokumenterMedPrioritertKravliste,
  CAST(g.antall AS INT64) AS antallPrioriterteKrav,
  CAST(g.slettet AS BOOL) AS slettet
FROM forste AS f
INNER JOIN gjeldende AS g
  ON g.etterlevelseDokumentasjonId = f.etterlevelseDokumentasjonId
