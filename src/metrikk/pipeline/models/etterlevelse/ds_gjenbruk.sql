MODEL (
  name etterlevelse.ds_gjenbruk,
  kind FULL,
  cron '@daily',
  grain etterlevelseDokumentasjonId,
  audits (not_null(columns := (etterlevelseDokumentasjonId, forGjenbrukMinTid)), unique_values(columns := (etterlevelseDokumentasjonId))),
  description 'Én rad per dokument som noen gang har vært ment for gjenbruk, med når det ble det og når det ble tilgjengelig for gjenbruk, og kumulative antall. Gjenbruksbeskrivelsen publiseres som antall tegn.',
  column_descriptions (
    etterlevelseDokumentasjonId = 'Dokumentets id.',
    forGjenbruk = 'Gjeldende versjon er ment for gjenbruk.',
    tilgjengeligForGjenbruk = 'Gjeldende versjon er tilgjengelig for gjenbruk.',
    forGjenbrukMinTid = 'Første gang dokumentet var ment for gjenbruk (UTC).',
    tilgjengeligForGjenbrukMinTid = 'Første gang dokumentet var tilgjengelig for gjenbruk (UTC); tom om aldri.',
    antallDokumenterforGjenbruk = 'Antall dokumenter som var blitt ment for gjenbruk til og med forGjenbrukMinTid.',
    antallDokumentertilgjengeligForGjenbruk = 'Antall dokumenter som var blitt tilgjengelige for gjenbruk til og med tilgjengeligForGjenbrukMinTid; tom om aldri.',
    antallTegnGjenbrukBeskrivelse = 'Antall tegn i gjeldende gjenbruksbeskrivelse.',
    slettet = 'Dokumentet er slettet.'
  )
);

WITH forste AS (
  SELECT
    etterlevelseDokumentasjonId,
    MIN(CASE WHEN forGjenbruk THEN time END) AS forGjenbrukMinTid,
    MIN(CASE WHEN tilgjengeligForGjenbruk THEN time END) AS tilgjengeligForGjenbrukMinTid
  FROM etterlevelse.stage_dokument
  GROUP BY etterlevelseDokumentasjonId
  HAVING MIN(CASE WHEN forGjenbruk THEN time END) IS NOT NULL
),

rangert AS (
  SELECT
    f.*,
    ROW_NUMBER() OVER (ORDER BY f.forGjenbrukMinTid, f.etterlevelseDokumentasjonId) AS antallFor,
    CASE WHEN f.tilgjengeligForGjenbrukMinTid IS NOT NULL THEN
      COUNT(f.tilgjengeligForGjenbrukMinTid) OVER (
        ORDER BY f.tilgjengeligForGjenbrukMinTid, f.etterlevelseDokumentasjonId
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      )
    END AS antallTilgjengelig
  FROM forste AS f
),

gjeldende AS (
  SELECT etterlevelseDokumentasjonId, forGjenbruk, tilgjengeligForGjenbruk, gjenbrukBeskrivelseAntallTegn, slettet
  FROM etterlevelse.stage_dokument
  WHERE aktivRad
)

SELECT
  CAST(r.etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonId,
  CAST(g.forGjenbruk AS BOOL) AS forGjenbruk,
  CAST(g.tilgjengeligForGjenbruk AS BOOL) AS tilgjengeligForGjenbruk,
  CAST(r.forGjenbrukMinTid AS TIMESTAMP) AS forGjenbrukMinTid,
  CAST(r.tilgjengeligForGjenbrukMinTid AS TIMESTAMP) AS tilgjengeligForGjenbrukMinTid,
  CAST(r.antallFor AS INT64) AS antallDokumenterforGjenbruk,
  CAST(r.antallTilgjengelig AS INT64) AS antallDokumentertilgjengeligForGjenbruk,
  CAST(g.gjenbrukBeskrivelseAntallTegn AS INT64) AS antallTegnGjenbrukBeskrivelse,
  CAST(g.slettet AS BOOL) AS slettet
FROM rangert AS r
INNER JOIN gjeldende AS g
  ON g.etterlevelseDokumentasjonId = r.etterlevelseDokumentasjonId
