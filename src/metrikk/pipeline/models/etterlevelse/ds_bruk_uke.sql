MODEL (
  name etterlevelse.ds_bruk_uke,
  kind FULL,
  cron '@daily',
  grain (uke_start, avdeling),
  audits (
    not_null(columns := (aar, uke, uke_start, avdeling)),
    unique_combination_of_columns(columns := (uke_start, avdeling))
  ),
  description 'Én rad per ISO-uke og avdeling med bruk av Støtte til etterlevelse: aktive dokumenter, lagrede svar, nye og fullførte dokumenter. Bare uker som er slutt på referansedatoen, og bare rader der minst ett tall er større enn null.',
  column_descriptions (
    aar = 'ISO-år.',
    uke = 'ISO-uke.',
    uke_start = 'Mandagen i uken (Europe/Oslo).',
    avdeling = 'Dokumentets avdeling i gjeldende versjon: NOM-avdelingens navn, ellers id, ellers den eldre AVDELING-koden, ellers «Uten avdeling»; svar som ikke kan kobles til et dokument står under «Uten dokument».',
    antallAktiveDokumenter = 'Dokumenter der noe ble lagret i uken (dokumentet selv eller et svar).',
    antallLagredeSvar = 'Lagrede svarversjoner (revisjonsrader) i uken.',
    antallNyeDokumenter = 'Dokumenter som fikk sin første versjon i uken.',
    antallFullforteDokumenter = 'Dokumenter som ble fullført i uken: første tidspunkt da alle krav som er relevante for dokumentets gjeldende versjon hadde et gjeldende svar med status FERDIG_DOKUMENTERT eller IKKE_RELEVANT_FERDIG_DOKUMENTERT (appens regel for ferdig).'
  )
);

WITH referanse AS (
  SELECT DATE_SUB(CAST(@execution_ds AS DATE), INTERVAL 1 DAY) AS as_of
),

dokumenter AS (
  SELECT
    etterlevelseDokumentasjonId,
    COALESCE(avdelingNavn, nomAvdelingId, avdeling, 'Uten avdeling') AS avdeling,
    relevanteKrav,
    antallKrav
  FROM etterlevelse.stage_dokument
  WHERE aktivRad
),

svar AS (
  SELECT DISTINCT audit_id, etterlevelseDokumentasjonId, kravNummer, time, version, lastModifiedDate, action, kravFerdigUtfylt
  FROM etterlevelse.stage_besvarelser
),

dokument_hendelser AS (
  SELECT etterlevelseDokumentasjonId, time FROM etterlevelse.stage_dokument WHERE kilde = 'REVISJONSLOGG'
  UNION ALL
  SELECT etterlevelseDokumentasjonId, time FROM svar WHERE etterlevelseDokumentasjonId IS NOT NULL
),

relevant_krav AS (
  SELECT d.etterlevelseDokumentasjonId, k AS kravNummer
  FROM dokumenter AS d
  CROSS JOIN UNNEST(d.relevanteKrav) AS k
),

ferdig_endringer AS (
  SELECT
    s.etterlevelseDokumentasjonId,
    s.time,
    CAST(s.kravFerdigUtfylt AND s.action <> 'DELETE' AS INT64) - COALESCE(
      LAG(CAST(s.kravFerdigUtfylt AND s.action <> 'DELETE' AS INT64)) OVER (
        PARTITION BY s.etterlevelseDokumentasjonId, s.kravNummer
        ORDER BY @eldste_forst(s.time, s.version, s.lastModifiedDate, s.action, s.audit_id)
      ),
      0
    ) AS endring
  FROM svar AS s
  INNER JOIN relevant_krav AS r
    ON r.etterlevelseDokumentasjonId = s.etterlevelseDokumentasjonId AND r.kravNummer = s.kravNummer
),

per_tidspunkt AS (
  -- The changes of one instant are applied together: rows tied on time (an UPDATE and a DELETE
  -- of one save) would otherwise show a state between them that never existed.
  SELECT etterlevelseDokumentasjonId, time, SUM(endring) AS endring
  FROM ferdig_endringer
  GROUP BY etterlevelseDokumentasjonId, time
),

lopende AS (
  SELECT
    etterlevelseDokumentasjonId,
    time,
    SUM(endring) OVER (
      PARTITION BY etterlevelseDokumentasjonId ORDER BY time ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS antallFerdig
  FROM per_tidspunkt
),

fullfort AS (
  SELECT l.etterlevelseDokumentasjonId, MIN(l.time) AS time
  FROM lopende AS l
  INNER JOIN dokumenter AS d
    ON d.etterlevelseDokumentasjonId = l.etterlevelseDokumentasjonId
  WHERE d.antallKrav > 0 AND l.antallFerdig >= d.antallKrav
  GROUP BY l.etterlevelseDokumentasjonId
),

nye AS (
  SELECT etterlevelseDokumentasjonId, MIN(time) AS time
  FROM etterlevelse.stage_dokument
  WHERE kilde = 'REVISJONSLOGG'
  GROUP BY etterlevelseDokumentasjonId
),

per_uke AS (
  SELECT DATE_TRUNC(DATE(h.time, 'Europe/Oslo'), WEEK(MONDAY)) AS uke_start, COALESCE(d.avdeling, 'Uten avdeling') AS avdeling,
    h.etterlevelseDokumentasjonId AS aktivtDokument, CAST(NULL AS STRING) AS svar, CAST(NULL AS STRING) AS nytt, CAST(NULL AS STRING) AS fullfort
  FROM dokument_hendelser AS h
  LEFT JOIN dokumenter AS d ON d.etterlevelseDokumentasjonId = h.etterlevelseDokumentasjonId
  UNION ALL
  SELECT DATE_TRUNC(DATE(s.time, 'Europe/Oslo'), WEEK(MONDAY)),
    CASE WHEN s.etterlevelseDokumentasjonId IS NULL THEN 'Uten dokument' ELSE COALESCE(d.avdeling, 'Uten avdeling') END,
    NULL, s.audit_id, NULL, NULL
  FROM svar AS s
  LEFT JOIN dokumenter AS d ON d.etterlevelseDokumentasjonId = s.etterlevelseDokumentasjonId
  UNION ALL
  SELECT DATE_TRUNC(DATE(n.time, 'Europe/Oslo'), WEEK(MONDAY)), COALESCE(d.avdeling, 'Uten avdeling'),
    NULL, NULL, n.etterlevelseDokumentasjonId, NULL
  FROM nye AS n
  LEFT JOIN dokumenter AS d ON d.etterlevelseDokumentasjonId = n.etterlevelseDokumentasjonId
  UNION ALL
  SELECT DATE_TRUNC(DATE(f.time, 'Europe/Oslo'), WEEK(MONDAY)), COALESCE(d.avdeling, 'Uten avdeling'),
    NULL, NULL, NULL, f.etterlevelseDokumentasjonId
  FROM fullfort AS f
  LEFT JOIN dokumenter AS d ON d.etterlevelseDokumentasjonId = f.etterlevelseDokumentasjonId
)

SELECT
  -- ISO year and week from the week's Thursday (DuckDB has no EXTRACT(ISOWEEK ...)).
  CAST(EXTRACT(YEAR FROM DATE_ADD(p.uke_start, INTERVAL 3 DAY)) AS INT64) AS aar,
  CAST(FLOOR((EXTRACT(DAYOFYEAR FROM DATE_ADD(p.uke_start, INTERVAL 3 DAY)) - 1) / 7) + 1 AS INT64) AS uke,
  CAST(p.uke_start AS DATE) AS uke_start,
  CAST(p.avdeling AS STRING) AS avdeling,
  CAST(COUNT(DISTINCT p.aktivtDokument) AS INT64) AS antallAktiveDokumenter,
  CAST(COUNT(DISTINCT p.svar) AS INT64) AS antallLagredeSvar,
  CAST(COUNT(DISTINCT p.nytt) AS INT64) AS antallNyeDokumenter,
  CAST(COUNT(DISTINCT p.fullfort) AS INT64) AS antallFullforteDokumenter
FROM per_uke AS p
CROSS JOIN referanse AS r
WHERE DATE_ADD(p.uke_start, INTERVAL 6 DAY) <= r.as_of
GROUP BY p.uke_start, p.avdeling
