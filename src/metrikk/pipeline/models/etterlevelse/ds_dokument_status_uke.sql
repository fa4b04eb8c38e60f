MODEL (
  name etterlevelse.ds_dokument_status_uke,
  kind FULL,
  cron '@daily',
  grain (uke_start, avdeling, seksjon, team, status),
  audits (
    not_null(columns := (aar, uke, uke_start, avdeling, seksjon, team, status, nivaa, antallDokumenter)),
    unique_combination_of_columns(columns := (uke_start, avdeling, seksjon, team, status))
  ),
  description 'Én rad per ISO-uke, avdeling, seksjon, team og dokumentstatus med antall etterlevelsesdokumenter som fantes (ikke slettet) ved ukens slutt, i sin siste versjon ved ukens slutt. Statusen avledes slik appen gjør i hver epoke (se etterlevelse.stage_dokument_status_uke). Et dokument har én avdeling, men kan ha flere seksjoner og team: radene med seksjon = ALLE og team = ALLE (nivaa AVDELING) teller hvert dokument én gang og summerer til totalen; på de andre nivåene telles et dokument under hver av sine seksjoner og team. Bare uker som er slutt på referansedatoen, og bare rader med minst ett dokument.',
  column_descriptions (
    aar = 'ISO-år.',
    uke = 'ISO-uke.',
    uke_start = 'Mandagen i uken (Europe/Oslo).',
    avdeling = 'Avdelingens navn (ett navn per avdeling: NOM-navnet, ellers AVDELING-kodens navn i kodeverket); «Uten avdeling» er sin egen gruppe og telles med i totalene.',
    seksjon = 'NOM-seksjonens id; ALLE på rader som gjelder alle seksjoner, UTEN_SEKSJON for dokumenter uten seksjon.',
    seksjonNavn = 'Seksjonens navn (det siste navnet id-en har hatt), «Alle seksjoner» eller «Uten seksjon».',
    team = 'Teamkatalog-teamets id; ALLE på rader som gjelder alle team, UTEN_TEAM for dokumenter uten team.',
    nivaa = 'Hvilke dimensjoner raden deler på: AVDELING (seksjon og team = ALLE; hvert dokument én gang), SEKSJON, TEAM eller SEKSJON_TEAM. Summer bare rader på samme nivå.',
    status = 'Dokumentstatus: IKKE_PAABEGYNT, UNDER_ARBEID, SENDT_TIL_GODKJENNING eller GODKJENT_AV_RISIKOEIER.',
    statusNavn = 'Statusens navn på norsk: Ikke påbegynt, Under arbeid, Sendt til godkjenning, Godkjent av risikoeier.',
    statusRekkefolge = 'Statusens plass i trakten (1 = ikke påbegynt, 4 = godkjent av risikoeier).',
    antallDokumenter = 'Antall dokumenter med denne statusen ved ukens slutt.'
  )
);

WITH dok AS (
  SELECT uke_start, etterlevelseDokumentasjonId, avdeling, seksjonIder, seksjonNavn, teams, status
  FROM etterlevelse.stage_dokument_status_uke
),

seksjoner AS (
  -- One row per (document-week, seksjon); a document without seksjon gets UTEN_SEKSJON.
  SELECT d.uke_start, d.etterlevelseDokumentasjonId, s AS seksjon, d.seksjonNavn[SAFE_OFFSET(o)] AS navn
  FROM dok AS d
  CROSS JOIN UNNEST(d.seksjonIder) AS s WITH OFFSET AS o
  UNION ALL
  SELECT d.uke_start, d.etterlevelseDokumentasjonId, 'UTEN_SEKSJON', 'Uten seksjon'
  FROM dok AS d
  WHERE ARRAY_LENGTH(d.seksjonIder) = 0
),

seksjon_navn AS (
  -- One name per seksjon id: the name it had in the latest week it was seen with one.
  SELECT seksjon, navn
  FROM seksjoner
  WHERE COALESCE(navn, '') <> ''
  QUALIFY ROW_NUMBER() OVER (PARTITION BY seksjon ORDER BY uke_start DESC, navn) = 1
),

team AS (
  SELECT d.uke_start, d.etterlevelseDokumentasjonId, t AS team
  FROM dok AS d
  CROSS JOIN UNNEST(d.teams) AS t
  UNION ALL
  SELECT d.uke_start, d.etterlevelseDokumentasjonId, 'UTEN_TEAM'
  FROM dok AS d
  WHERE ARRAY_LENGTH(d.teams) = 0
),

grunnlag AS (
  SELECT DISTINCT d.uke_start, d.etterlevelseDokumentasjonId, d.avdeling, d.status, s.seksjon, t.team
  FROM dok AS d
  INNER JOIN seksjoner AS s
    ON s.uke_start = d.uke_start AND s.etterlevelseDokumentasjonId = d.etterlevelseDokumentasjonId
  INNER JOIN team AS t
    ON t.uke_start = d.uke_start AND t.etterlevelseDokumentasjonId = d.etterlevelseDokumentasjonId
),

telling AS (
  SELECT uke_start, avdeling, 'ALLE' AS seksjon, 'ALLE' AS team, 'AVDELING' AS nivaa, status,
    COUNT(DISTINCT etterlevelseDokumentasjonId) AS antallDokumenter
  FROM grunnlag GROUP BY uke_start, avdeling, status
  UNION ALL
  SELECT uke_start, avdeling, seksjon, 'ALLE', 'SEKSJON', status, COUNT(DISTINCT etterlevelseDokumentasjonId)
  FROM grunnlag GROUP BY uke_start, avdeling, seksjon, status
  UNION ALL
  SELECT uke_start, avdeling, 'ALLE', team, 'TEAM', status, COUNT(DISTINCT etterlevelseDokumentasjonId)
  FROM grunnlag GROUP BY uke_start, avdeling, team, status
  UNION ALL
  SELECT uke_start, avdeling, seksjon, team, 'SEKSJON_TEAM', status, COUNT(DISTINCT etterlevelseDokumentasjonId)
  FROM grunnlag GROUP BY uke_start, avdeling, seksjon, team, status
)

SELECT
  -- ISO year and week from the week's Thursday (DuckDB has no EXTRACT(ISOWEEK ...)).
  CAST(EXTRACT(YEAR FROM DATE_ADD(t.uke_start, INTERVAL 3 DAY)) AS INT64) AS aar,
  CAST(FLOOR((EXTRACT(DAYOFYEAR FROM DATE_ADD(t.uke_start, INTERVAL 3 DAY)) - 1) / 7) + 1 AS INT64) AS uke,
  CAST(t.uke_start AS DATE) AS uke_start,
  CAST(t.avdeling AS STRING) AS avdeling,
  CAST(t.seksjon AS STRING) AS seksjon,
  CAST(
    CASE t.seksjon
      WHEN 'ALLE' THEN 'Alle seksjoner'
      WHEN 'UTEN_SEKSJON' THEN 'Uten seksjon'
      ELSE COALESCE(n.navn, t.seksjon)
    END AS STRING
  ) AS seksjonNavn,
  CAST(t.team AS STRING) AS team,
  CAST(t.nivaa AS STRING) AS nivaa,
  CAST(t.status AS STRING) AS status,
  CAST(
    CASE t.status
      WHEN 'IKKE_PAABEGYNT' THEN 'Ikke påbegynt'
      WHEN 'UNDER_ARBEID' THEN 'Under arbeid'
      WHEN 'SENDT_TIL_GODKJENNING' THEN 'Sendt til godkjenning'
      WHEN 'GODKJENT_AV_RISIKOEIER' THEN 'Godkjent av risikoeier'
    END AS STRING
  ) AS statusNavn,
  CAST(
    CASE t.status
      WHEN 'IKKE_PAABEGYNT' THEN 1
      WHEN 'UNDER_ARBEID' THEN 2
      WHEN 'SENDT_TIL_GODKJENNING' THEN 3
      WHEN 'GODKJENT_AV_RISIKOEIER' THEN 4
    END AS INT64
  ) AS statusRekkefolge,
  CAST(t.antallDokumenter AS INT64) AS antallDokumenter
FROM telling AS t
LEFT JOIN seksjon_navn AS n
  ON n.seksjon = t.seksjon
