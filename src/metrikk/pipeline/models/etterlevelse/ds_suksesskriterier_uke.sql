MODEL (
  name etterlevelse.ds_suksesskriterier_uke,
  kind FULL,
  cron '@daily',
  grain (uke_start, avdeling, tema),
  audits (
    not_null(columns := (aar, uke, uke_start, avdeling, tema, antallSuksesskriterier)),
    unique_combination_of_columns(columns := (uke_start, avdeling, tema))
  ),
  description 'Én rad per ISO-uke, avdeling og tema med suksesskriteriene i de gjeldende svarene ved ukens slutt, fordelt på status: oppfylt, under arbeid, ikke relevant, ikke oppfylt og ikke påbegynt. Bare dokumenter som fantes (ikke slettet) ved ukens slutt, med avdelingen de hadde da, og bare svar som ikke var slettet. Suksesskriterier i krav uten svar telles ikke. Et krav med flere tema telles under hvert av dem. Bare uker som er slutt på referansedatoen.',
  column_descriptions (
    aar = 'ISO-år.',
    uke = 'ISO-uke.',
    uke_start = 'Mandagen i uken (Europe/Oslo).',
    avdeling = 'Dokumentets avdeling ved ukens slutt, navngitt som i ds_dokument_status_uke; «Uten avdeling» er sin egen gruppe.',
    tema = 'TEMA-koden til kravets lov (LOV-kodeverket); UTEN_TEMA når kravversjonen ikke har noe tema.',
    temaNavn = 'Temaets navn fra TEMA-kodeverket, ellers koden; «Uten tema».',
    antallDokumenter = 'Antall dokumenter med minst ett besvart suksesskriterium i temaet.',
    antallSuksesskriterier = 'Besvarte suksesskriterier i alt (summen av de fem statusene).',
    antallOppfylt = 'Suksesskriterier med status OPPFYLT.',
    antallUnderArbeid = 'Suksesskriterier med status UNDER_ARBEID (gamle boolske felt oversatt med appens forrang).',
    antallIkkeRelevant = 'Suksesskriterier med status IKKE_RELEVANT.',
    antallIkkeOppfylt = 'Suksesskriterier med status IKKE_OPPFYLT (fra juni 2023).',
    antallIkkePaabegynt = 'Suksesskriterier med status IKKE_PAABEGYNT (fra mai 2026) eller uten status.',
    andelOppfylt = 'antallOppfylt delt på suksesskriteriene som er relevante (alle unntatt IKKE_RELEVANT); tom når ingen er relevante.'
  )
);

/* The current answer of each (document, kravNummer) at a week's end is the last version saved
   up to then (CONTRACT §6 order); a DELETE ends it. Each state contributes +n from its week and
   -n from the entity's next change week, so the weekly totals come from running sums over
   change weeks rather than a documents x krav x weeks spine. */
WITH svar AS (
  SELECT
    audit_id, etterlevelseDokumentasjonId, kravNummer, kravVersjon, time, version, lastModifiedDate, action,
    suksesskriterieId, suksesskriterieStatus,
    DATE_TRUNC(DATE(time, 'Europe/Oslo'), WEEK(MONDAY)) AS uke_start
  FROM etterlevelse.stage_besvarelser
  WHERE etterlevelseDokumentasjonId IS NOT NULL
),

versjon_per_uke AS (
  -- The next change week is taken after each week is reduced to its last version: over all
  -- versions, LEAD would see a second version of the same week (a tie on uke_start, in an order
  -- neither engine defines) and end the state in the week it began.
  SELECT
    audit_id, etterlevelseDokumentasjonId, kravNummer, uke_start, action,
    LEAD(uke_start) OVER (PARTITION BY etterlevelseDokumentasjonId, kravNummer ORDER BY uke_start) AS neste_uke
  FROM (
    SELECT audit_id, etterlevelseDokumentasjonId, kravNummer, uke_start, action
    FROM (
      SELECT DISTINCT audit_id, etterlevelseDokumentasjonId, kravNummer, uke_start, action, time, version, lastModifiedDate
      FROM svar
    ) AS v
    WHERE TRUE
    QUALIFY ROW_NUMBER() OVER (
      PARTITION BY etterlevelseDokumentasjonId, kravNummer, uke_start
      ORDER BY @nyeste_forst(time, version, lastModifiedDate, action, audit_id)
    ) = 1
  ) AS siste_i_uka
),

krav_tema AS (
  SELECT DISTINCT kravNummer, kravVersjon, COALESCE(tema, 'UTEN_TEMA') AS tema, COALESCE(temaNavn, tema, 'Uten tema') AS temaNavn
  FROM etterlevelse.stage_krav
),

aktiv_tema AS (
  SELECT DISTINCT kravNummer, COALESCE(tema, 'UTEN_TEMA') AS tema, COALESCE(temaNavn, tema, 'Uten tema') AS temaNavn
  FROM etterlevelse.stage_krav
  WHERE aktivRad
),

kriterier AS (
  -- The suksesskriterier of each week-last version, with the krav version's tema (a krav version
  -- unknown to the krav table, e.g. renumbered krav 147/196, takes the current version's tema).
  SELECT
    v.etterlevelseDokumentasjonId,
    v.kravNummer,
    v.uke_start,
    v.neste_uke,
    CASE WHEN e.kravNummer IS NOT NULL THEN e.tema ELSE COALESCE(a.tema, 'UTEN_TEMA') END AS tema,
    CASE WHEN e.kravNummer IS NOT NULL THEN e.temaNavn ELSE COALESCE(a.temaNavn, 'Uten tema') END AS temaNavn,
    COALESCE(s.suksesskriterieStatus, 'IKKE_PAABEGYNT') AS status
  FROM versjon_per_uke AS v
  INNER JOIN svar AS s
    ON s.audit_id = v.audit_id
  LEFT JOIN krav_tema AS e
    ON e.kravNummer = s.kravNummer AND e.kravVersjon = s.kravVersjon
  LEFT JOIN aktiv_tema AS a
    ON e.kravNummer IS NULL AND a.kravNummer = s.kravNummer
  WHERE v.action <> 'DELETE' AND s.suksesskriterieId IS NOT NULL
),

endringer AS (
  SELECT etterlevelseDokumentasjonId, tema, status, uke_start, 1 AS endring, kravNummer FROM kriterier
  UNION ALL
  SELECT etterlevelseDokumentasjonId, tema, status, neste_uke, -1, kravNummer FROM kriterier WHERE neste_uke IS NOT NULL
),

per_uke AS (
  SELECT etterlevelseDokumentasjonId, tema, status, uke_start, SUM(endring) AS endring
  FROM endringer
  GROUP BY etterlevelseDokumentasjonId, tema, status, uke_start
),

lopende AS (
  -- Count per (document, tema, status), valid from uke_start until the next change week.
  SELECT
    etterlevelseDokumentasjonId, tema, status, uke_start AS fra_uke,
    LEAD(uke_start) OVER (PARTITION BY etterlevelseDokumentasjonId, tema, status ORDER BY uke_start) AS til_uke,
    SUM(endring) OVER (
      PARTITION BY etterlevelseDokumentasjonId, tema, status ORDER BY uke_start ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS antall
  FROM per_uke
),

tema_navn AS (
  SELECT tema, MIN(temaNavn) AS temaNavn FROM kriterier GROUP BY tema
),

per_dokument_uke AS (
  SELECT d.uke_start, d.avdeling, d.etterlevelseDokumentasjonId, l.tema, l.status, l.antall
  FROM etterlevelse.stage_dokument_status_uke AS d
  INNER JOIN lopende AS l
    ON l.etterlevelseDokumentasjonId = d.etterlevelseDokumentasjonId
    AND l.fra_uke <= d.uke_start
    AND (l.til_uke IS NULL OR d.uke_start < l.til_uke)
  WHERE l.antall > 0
),

telling AS (
  SELECT
    uke_start, avdeling, tema,
    COUNT(DISTINCT etterlevelseDokumentasjonId) AS antallDokumenter,
    SUM(antall) AS antallSuksesskriterier,
    SUM(CASE WHEN status = 'OPPFYLT' THEN antall ELSE 0 END) AS antallOppfylt,
    SUM(CASE WHEN status = 'UNDER_ARBEID' THEN antall ELSE 0 END) AS antallUnderArbeid,
    SUM(CASE WHEN status = 'IKKE_RELEVANT' THEN antall ELSE 0 END) AS antallIkkeRelevant,
    SUM(CASE WHEN status = 'IKKE_OPPFYLT' THEN antall ELSE 0 END) AS antallIkkeOppfylt,
    SUM(CASE WHEN status NOT IN ('OPPFYLT', 'UNDER_ARBEID', 'IKKE_RELEVANT', 'IKKE_OPPFYLT') THEN antall ELSE 0 END) AS antallIkkePaabegynt
  FROM per_dokument_uke
  GROUP BY uke_start, avdeling, tema
)

SELECT
  CAST(EXTRACT(YEAR FROM DATE_ADD(t.uke_start, INTERVAL 3 DAY)) AS INT64) AS aar,
  CAST(FLOOR((EXTRACT(DAYOFYEAR FROM DATE_ADD(t.uke_start, INTERVAL 3 DAY)) - 1) / 7) + 1 AS INT64) AS uke,
  CAST(t.uke_start AS DATE) AS uke_start,
  CAST(t.avdeling AS STRING) AS avdeling,
  CAST(t.tema AS STRING) AS tema,
  CAST(COALESCE(n.temaNavn, t.tema) AS STRING) AS temaNavn,
  CAST(t.antallDokumenter AS INT64) AS antallDokumenter,
  CAST(t.antallSuksesskriterier AS INT64) AS antallSuksesskriterier,
  CAST(t.antallOppfylt AS INT64) AS antallOppfylt,
  CAST(t.antallUnderArbeid AS INT64) AS antallUnderArbeid,
  CAST(t.antallIkkeRelevant AS INT64) AS antallIkkeRelevant,
  CAST(t.antallIkkeOppfylt AS INT64) AS antallIkkeOppfylt,
  CAST(t.antallIkkePaabegynt AS INT64) AS antallIkkePaabegynt,
  CAST(
    CASE WHEN t.antallSuksesskriterier - t.antallIkkeRelevant > 0
      THEN t.antallOppfylt / (t.antallSuksesskriterier - t.antallIkkeRelevant) END AS FLOAT64
  ) AS andelOppfylt
FROM telling AS t
LEFT JOIN tema_navn AS n
  ON n.tema = t.tema
