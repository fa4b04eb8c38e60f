MODEL (
  name etterlevelse.ds_gjenbruk,
  kind FULL,
  cron '@daily',
  grain etterlevelseDokumentasjonId,
  audits (not_null(columns := (etterlevelseDokumentasjonId, forGjenbrukMinTid, time, aktivRad)), unique_values(columns := (etterlevelseDokumentasjonId))),
  description 'Én rad per dokument som noen gang har vært ment for gjenbruk, med når det ble det og når det ble tilgjengelig for gjenbruk, og kumulative antall. Både den opprinnelige jobbens tall (dokumenter som er ment for gjenbruk nå, i kolonnene med de opprinnelige navnene) og tall for alle som noen gang var det (antallDokumenterNoenGang…). En leser som vil ha den opprinnelige jobbens rader velger forGjenbruk og ikke slettet. Gjenbruksbeskrivelsen publiseres som antall tegn.',
  column_descriptions (
    etterlevelseDokumentasjonId = 'Dokumentets id.',
    time = 'Når dokumentets gjeldende versjon ble lagret (UTC).',
    aktivRad = 'Alltid sann: raden beskriver dokumentets gjeldende versjon (kolonnen beholdes fra den opprinnelige jobben).',
    forGjenbruk = 'Gjeldende versjon er ment for gjenbruk.',
    tilgjengeligForGjenbruk = 'Gjeldende versjon er tilgjengelig for gjenbruk.',
    forGjenbrukMinTid = 'Første gang dokumentet var ment for gjenbruk (UTC).',
    tilgjengeligForGjenbrukMinTid = 'Første gang dokumentet var tilgjengelig for gjenbruk (UTC); tom om aldri.',
    antallDokumenterforGjenbruk = 'Den opprinnelige jobbens kurve: blant ikke-slettede dokumenter som er ment for gjenbruk i gjeldende versjon, antall som var blitt det til og med forGjenbrukMinTid; tom for andre rader.',
    antallDokumentertilgjengeligForGjenbruk = 'Den opprinnelige jobbens kurve: blant de samme dokumentene, ordnet etter tilgjengeligForGjenbrukMinTid, antall som er tilgjengelige for gjenbruk til og med denne raden; tom for andre rader.',
    antallDokumenterNoenGangForGjenbruk = 'Antall dokumenter som noen gang var ment for gjenbruk til og med forGjenbrukMinTid, også de som ikke er det lenger eller er slettet.',
    antallDokumenterNoenGangTilgjengeligForGjenbruk = 'Antall dokumenter som noen gang var tilgjengelige for gjenbruk til og med tilgjengeligForGjenbrukMinTid; tom om dokumentet aldri var det.',
    antallTegnGjenbrukBeskrivelse = 'Antall tegn i gjeldende gjenbruksbeskrivelse.',
    slettet = 'Dokumentet er slettet.'
  )
);

WITH rader AS (
  SELECT
    b.etterlevelseDokumentasjonId,
    b.minTid AS forGjenbrukMinTid,
    t.minTid AS tilgjengeligForGjenbrukMinTid,
    b.time,
    b.oppfylt AS forGjenbruk,
    b.tilgjengeligForGjenbruk,
    b.gjenbrukBeskrivelseAntallTegn,
    b.slettet,
    b.antallNoenGang AS noenGangFor,
    CASE WHEN t.minTid IS NOT NULL THEN
      COUNT(t.minTid) OVER (
        ORDER BY t.minTid, b.etterlevelseDokumentasjonId
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
      )
    END AS noenGangTilgjengelig
  FROM @tatt_i_bruk(forGjenbruk, tilgjengeligForGjenbruk, gjenbrukBeskrivelseAntallTegn) AS b
  LEFT JOIN @forste_gang(tilgjengeligForGjenbruk) AS t
    ON t.etterlevelseDokumentasjonId = b.etterlevelseDokumentasjonId
),

opprinnelig AS (
  -- The original job's rows: documents meant for reuse now (and, fixing its fault 4, not
  -- deleted). Its two curves are running counts over those rows, ordered by each MinTid.
  SELECT
    etterlevelseDokumentasjonId,
    ROW_NUMBER() OVER (ORDER BY forGjenbrukMinTid, etterlevelseDokumentasjonId) AS antallFor,
    SUM(IF(tilgjengeligForGjenbruk, 1, 0)) OVER (
      ORDER BY tilgjengeligForGjenbrukMinTid IS NULL, tilgjengeligForGjenbrukMinTid, etterlevelseDokumentasjonId
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS antallTilgjengelig
  FROM rader
  WHERE forGjenbruk AND NOT slettet
)

SELECT
  CAST(r.etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonId,
  CAST(r.time AS TIMESTAMP) AS time,
  CAST(TRUE AS BOOL) AS aktivRad,
  CAST(r.forGjenbruk AS BOOL) AS forGjenbruk,
  CAST(r.tilgjengeligForGjenbruk AS BOOL) AS tilgjengeligForGjenbruk,
  CAST(r.forGjenbrukMinTid AS TIMESTAMP) AS forGjenbrukMinTid,
  CAST(r.tilgjengeligForGjenbrukMinTid AS TIMESTAMP) AS tilgjengeligForGjenbrukMinTid,
  CAST(o.antallFor AS INT64) AS antallDokumenterforGjenbruk,
  CAST(o.antallTilgjengelig AS INT64) AS antallDokumentertilgjengeligForGjenbruk,
  CAST(r.noenGangFor AS INT64) AS antallDokumenterNoenGangForGjenbruk,
  CAST(r.noenGangTilgjengelig AS INT64) AS antallDokumenterNoenGangTilgjengeligForGjenbruk,
  CAST(r.gjenbrukBeskrivelseAntallTegn AS INT64) AS antallTegnGjenbrukBeskrivelse,
  CAST(r.slettet AS BOOL) AS slettet
FROM rader AS r
LEFT JOIN opprinnelig AS o
  ON o.etterlevelseDokumentasjonId = r.etterlevelseDokumentasjonId
