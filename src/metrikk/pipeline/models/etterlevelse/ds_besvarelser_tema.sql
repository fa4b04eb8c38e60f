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
    kravOppfylt = 'Sann når alle suksesskriteriene i svarversjonen er OPPFYLT eller IKKE_RELEVANT; tom uten suksesskriterier. Annen betydning enn i den opprinnelige jobben, der kravOppfylt krevde at alle var OPPFYLT (IKKE_RELEVANT ga usann) – den regelen het der kravFerdigUtfylt. Se «Forskjeller fra den opprinnelige jobben» i docs/etterlevelse.md.',
    kravFerdigUtfylt = 'Appens regel for ferdig: sann når svarets status er FERDIG_DOKUMENTERT eller IKKE_RELEVANT_FERDIG_DOKUMENTERT. Annen betydning enn i den opprinnelige jobben, som regnet kravet som ferdig utfylt når alle suksesskriteriene var OPPFYLT eller IKKE_RELEVANT (det er kravOppfylt her).',
    begrunnelseAntallTegn = 'Antall tegn i begrunnelsen (teksten publiseres ikke).',
    etterlevelseDokumentasjonId = 'Dokumentets id.',
    suksesskriterieStatus = 'UNDER_ARBEID, OPPFYLT, IKKE_RELEVANT, IKKE_OPPFYLT eller IKKE_PAABEGYNT; gamle boolske felt er oversatt med appens forrang (underArbeid, så oppfylt, så ikkeRelevant, ellers UNDER_ARBEID). Den opprinnelige jobben lot oppfylt vinne over underArbeid.',
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
