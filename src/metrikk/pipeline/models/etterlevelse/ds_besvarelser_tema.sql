MODEL (
  name etterlevelse.ds_besvarelser_tema,
  kind FULL,
  cron '@daily',
  grain (etterlevelseDokumentasjonId, kravNummer, suksesskriterieId, tema),
  audits (not_null(columns := (etterlevelseDokumentasjonId, kravNummer, aktivRad))),
  description 'Én rad per gjeldende svar på et suksesskriterium i et ikke-slettet dokument og per tema kravet hører til (krav uten tema får én rad uten tema). Begrunnelser publiseres som antall tegn.',
  column_descriptions (
    tema = 'TEMA-koden kravets lov hører til.',
    temaNavn = 'Temaets navn.',
    kravNummer = 'Kravnummer.',
    kravVersjon = 'Kravversjonen svaret gjelder.',
    kravOppfylt = 'Alle suksesskriteriene i svaret er OPPFYLT eller IKKE_RELEVANT.',
    kravFerdigUtfylt = 'Appens regel: svarets status er FERDIG_DOKUMENTERT eller IKKE_RELEVANT_FERDIG_DOKUMENTERT.',
    begrunnelseAntallTegn = 'Antall tegn i begrunnelsen (teksten publiseres ikke).',
    etterlevelseDokumentasjonId = 'Dokumentets id.',
    suksesskriterieStatus = 'Suksesskriteriets status.',
    suksesskriterieId = 'Suksesskriteriets id.',
    aktivRad = 'Alltid sann: tabellen har bare gjeldende svar (kolonnen beholdes for eksisterende spørringer).',
    time = 'Når svaret sist ble lagret (UTC).'
  )
);

WITH svar AS (
  SELECT etterlevelseDokumentasjonId, kravNummer, kravVersjon, suksesskriterieId, suksesskriterieStatus,
    begrunnelseAntallTegn, kravOppfylt, kravFerdigUtfylt, aktivRad, time
  FROM etterlevelse.stage_besvarelser
  WHERE aktivRad AND NOT slettet AND etterlevelseDokumentasjonId IS NOT NULL
),

tema AS (
  SELECT DISTINCT kravNummer, tema, temaNavn
  FROM etterlevelse.stage_krav
  WHERE aktivRad
)

SELECT
  CAST(t.tema AS STRING) AS tema,
  CAST(t.temaNavn AS STRING) AS temaNavn,
  CAST(s.kravNummer AS INT64) AS kravNummer,
  CAST(s.kravVersjon AS INT64) AS kravVersjon,
  CAST(s.kravOppfylt AS BOOL) AS kravOppfylt,
  CAST(s.kravFerdigUtfylt AS BOOL) AS kravFerdigUtfylt,
  CAST(s.begrunnelseAntallTegn AS INT64) AS begrunnelseAntallTegn,
  CAST(s.etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonId,
  CAST(s.suksesskriterieStatus AS STRING) AS suksesskriterieStatus,
  CAST(s.suksesskriterieId AS INT64) AS suksesskriterieId,
  CAST(s.aktivRad AS BOOL) AS aktivRad,
  CAST(s.time AS TIMESTAMP) AS time
FROM svar AS s
LEFT JOIN tema AS t
  ON t.kravNummer = s.kravNummer
