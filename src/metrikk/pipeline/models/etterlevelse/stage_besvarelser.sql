MODEL (
  name etterlevelse.stage_besvarelser,
  kind FULL,
  cron '@daily',
  grain (audit_id, suksesskriterieId),
  audits (
    not_null(columns := (audit_id, etterlevelseId, time, aktivRad, slettet, kobling)),
    etterlevelse_en_aktiv_rad(
      columns := (COALESCE(etterlevelseDokumentasjonId, CONCAT('svar:', etterlevelseId)), kravNummer),
      version_column := audit_id
    ),
    unique_combination_of_columns(
      columns := (etterlevelseDokumentasjonId, etterlevelseId, kravNummer, suksesskriterieId),
      condition := aktivRad AND suksesskriterieId IS NOT NULL
    ),
    etterlevelse_finnes_i(
      column := etterlevelseDokumentasjonId,
      target_table := etterlevelse.stage_dokument,
      target_column := etterlevelseDokumentasjonId
    )
  ),
  description 'Én rad per lagret svarversjon (revisjonsrad) og suksesskriterium, fra alle epoker av revisjonsloggen (Etterlevelse/ETTERLEVELSE, data/etterlevelseData, boolske felt før juni 2022). Svar lagret før migreringen i august 2023 kobles til dokumentet via det migrerte dokumentets behandlingId; svar som ikke kan kobles beholdes med tom etterlevelseDokumentasjonId. Begrunnelser publiseres som antall tegn.',
  column_descriptions (
    etterlevelseDokumentasjonId = 'Dokumentet svaret hører til; tom når svaret ikke kan kobles til et kjent dokument.',
    kravNummer = 'Kravnummer.',
    kravVersjon = 'Kravversjonen svaret gjelder.',
    time = 'Når svarversjonen ble lagret (UTC).',
    suksesskriterieId = 'Suksesskriteriets id; tom når svaret ikke har suksesskriterier.',
    suksesskriterieStatus = 'UNDER_ARBEID, OPPFYLT, IKKE_RELEVANT, IKKE_OPPFYLT eller IKKE_PAABEGYNT; gamle boolske felt er oversatt med appens forrang (underArbeid, så oppfylt, så ikkeRelevant, ellers UNDER_ARBEID). Den opprinnelige jobben lot oppfylt vinne over underArbeid.',
    user = 'Nøkkelbasert pseudonym (HMAC-SHA256) for brukeren som lagret; stabilt mellom kjøringer og tabeller.',
    aktivRad = 'Sann på radene til nøyaktig én svarversjon per dokument og kravnummer (siste etter time, så version, så lastModifiedDate, så DELETE etter annen handling, så audit_id), så et svar på en nyere kravversjon erstatter det gamle. Et svar som ikke kan kobles er sin egen entitet.',
    slettet = 'Sann for alle rader av en entitet når dens siste versjon er en DELETE.',
    audit_id = 'Revisjonsradens id.',
    etterlevelseId = 'Svarets (etterlevelsens) id.',
    action = 'CREATE, UPDATE eller DELETE.',
    version = 'Versjonsnummer i revisjonsloggen.',
    lastModifiedDate = 'Endringsstempelet lastModifiedDate i roten av den lagrede JSON-en (UTC); skiller lagringer med samme time og version.',
    behandlingId = 'behandlingId svaret selv oppgir (svar fra før august 2023).',
    kobling = 'Hvordan dokumentet ble funnet: SVAR (svaret oppgir dokumentet), BEHANDLING (via det migrerte dokumentets behandlingId), UKJENT_DOKUMENT (svaret oppgir et dokument som ikke finnes) eller IKKE_KOBLET.',
    etterlevelseStatus = 'Svarets status på kravnivå (eldre IKKE_RELEVANT lest som IKKE_RELEVANT_FERDIG_DOKUMENTERT).',
    statusFraBoolske = 'Sann når suksesskriterieStatus er avledet fra gamle boolske felt.',
    begrunnelseAntallTegn = 'Antall tegn i begrunnelsen (teksten publiseres ikke).',
    kravOppfylt = 'Sann når alle suksesskriteriene i svarversjonen er OPPFYLT eller IKKE_RELEVANT; tom uten suksesskriterier. Annen betydning enn i den opprinnelige jobben, der kravOppfylt krevde at alle var OPPFYLT (IKKE_RELEVANT ga usann) – den regelen het der kravFerdigUtfylt. Se «Forskjeller fra den opprinnelige jobben» i docs/etterlevelse.md.',
    kravFerdigUtfylt = 'Appens regel for ferdig: sann når svarets status er FERDIG_DOKUMENTERT eller IKKE_RELEVANT_FERDIG_DOKUMENTERT. Annen betydning enn i den opprinnelige jobben, som regnet kravet som ferdig utfylt når alle suksesskriteriene var OPPFYLT eller IKKE_RELEVANT (det er kravOppfylt her).'
  )
);

WITH svar AS (
  SELECT
    audit_id, table_id, action, time, version, lastModifiedDate, `user`, dokumentIdFraSvar, behandlingId,
    kravNummer, kravVersjon, etterlevelseStatus, suksesskriterieId, suksesskriterieStatus,
    statusFraBoolske, begrunnelseAntallTegn
  FROM etterlevelse_int.besvarelse_versjon
),

behandling_dokument AS (
  SELECT behandlingId, etterlevelseDokumentasjonId FROM etterlevelse_int.behandling_dokument
),

kjente_dokumenter AS (
  SELECT DISTINCT etterlevelseDokumentasjonId FROM etterlevelse.stage_dokument
),

versjoner AS (
  -- One row per saved answer version: mapping and ranking run on these, not on the exploded rows.
  SELECT
    audit_id, table_id, action, time, version, lastModifiedDate, dokumentIdFraSvar, behandlingId, kravNummer,
    LOGICAL_AND(suksesskriterieStatus IN ('OPPFYLT', 'IKKE_RELEVANT')) AS alleOppfylt
  FROM svar
  GROUP BY audit_id, table_id, action, time, version, lastModifiedDate, dokumentIdFraSvar, behandlingId, kravNummer
),

koblet AS (
  SELECT
    v.*,
    COALESCE(v.dokumentIdFraSvar, bd.etterlevelseDokumentasjonId) AS kandidat,
    CASE
      WHEN v.dokumentIdFraSvar IS NOT NULL THEN 'SVAR'
      WHEN bd.etterlevelseDokumentasjonId IS NOT NULL THEN 'BEHANDLING'
      ELSE 'IKKE_KOBLET'
    END AS kandidatKobling
  FROM versjoner AS v
  LEFT JOIN behandling_dokument AS bd
    ON v.dokumentIdFraSvar IS NULL AND bd.behandlingId = v.behandlingId
),

med_dokument AS (
  SELECT
    k.audit_id,
    k.table_id,
    k.action,
    k.time,
    k.version,
    k.lastModifiedDate,
    k.kravNummer,
    k.alleOppfylt,
    kd.etterlevelseDokumentasjonId,
    CASE
      WHEN k.kandidat IS NOT NULL AND kd.etterlevelseDokumentasjonId IS NULL THEN 'UKJENT_DOKUMENT'
      ELSE k.kandidatKobling
    END AS kobling
  FROM koblet AS k
  LEFT JOIN kjente_dokumenter AS kd
    ON kd.etterlevelseDokumentasjonId = k.kandidat
),

historisert AS (
  -- The entity is (document, kravNummer), known only after mapping, so answers are ranked here
  -- rather than in etterlevelse_int.versjon, with the same order (@nyeste_forst).
  SELECT
    m.audit_id,
    m.etterlevelseDokumentasjonId,
    m.kobling,
    m.alleOppfylt,
    FIRST_VALUE(m.audit_id) OVER entitet AS aktivAuditId,
    FIRST_VALUE(m.action) OVER entitet AS sisteAction
  FROM med_dokument AS m
  WINDOW entitet AS (
    PARTITION BY COALESCE(m.etterlevelseDokumentasjonId, CONCAT('svar:', m.table_id)), m.kravNummer
    ORDER BY @nyeste_forst(m.time, m.version, m.lastModifiedDate, m.action, m.audit_id)
  )
)

SELECT
  CAST(h.etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonId,
  CAST(s.kravNummer AS INT64) AS kravNummer,
  CAST(s.kravVersjon AS INT64) AS kravVersjon,
  CAST(s.time AS TIMESTAMP) AS time,
  CAST(s.suksesskriterieId AS INT64) AS suksesskriterieId,
  CAST(s.suksesskriterieStatus AS STRING) AS suksesskriterieStatus,
  CAST(s.`user` AS STRING) AS `user`,
  CAST(s.audit_id = h.aktivAuditId AS BOOL) AS aktivRad,
  CAST(h.sisteAction = 'DELETE' AS BOOL) AS slettet,
  CAST(s.audit_id AS STRING) AS audit_id,
  CAST(s.table_id AS STRING) AS etterlevelseId,
  CAST(s.action AS STRING) AS action,
  CAST(s.version AS INT64) AS version,
  CAST(s.lastModifiedDate AS TIMESTAMP) AS lastModifiedDate,
  CAST(s.behandlingId AS STRING) AS behandlingId,
  CAST(h.kobling AS STRING) AS kobling,
  CAST(s.etterlevelseStatus AS STRING) AS etterlevelseStatus,
  CAST(s.statusFraBoolske AS BOOL) AS statusFraBoolske,
  CAST(s.begrunnelseAntallTegn AS INT64) AS begrunnelseAntallTegn,
  CAST(CASE WHEN s.suksesskriterieId IS NOT NULL OR s.suksesskriterieStatus IS NOT NULL THEN h.alleOppfylt END AS BOOL) AS kravOppfylt,
  CAST(COALESCE(s.etterlevelseStatus IN ('FERDIG_DOKUMENTERT', 'IKKE_RELEVANT_FERDIG_DOKUMENTERT'), FALSE) AS BOOL) AS kravFerdigUtfylt
FROM svar AS s
INNER JOIN historisert AS h
  ON h.audit_id = s.audit_id
