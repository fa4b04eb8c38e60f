MODEL (
  name etterlevelse.stage_tildelt_og_notater,
  kind FULL,
  cron '@daily',
  grain (audit_id, tildelt),
  audits (
    not_null(columns := (audit_id, id, time, aktivRad, slettet)),
    etterlevelse_en_aktiv_rad(columns := (id), version_column := audit_id),
    etterlevelse_finnes_i(column := etterlevelseDokumentasjonId, target_table := etterlevelse.stage_dokument, target_column := etterlevelseDokumentasjonId)
  ),
  description 'Én rad per lagret versjon av tildeling og notater for et dokument og krav (EtterlevelseMetadata/ETTERLEVELSE_METADATA i revisjonsloggen) og per tildelt person; en versjon uten tildelte gir én rad uten person. Personer er pseudonymisert, notater publiseres som antall tegn.',
  column_descriptions (
    id = 'Metadataradens id.',
    audit_id = 'Revisjonsradens id.',
    etterlevelseDokumentasjonId = 'Dokumentet; eldre rader uten dokument kobles via det migrerte dokumentets behandlingId, ellers tom.',
    kravNummer = 'Kravnummer.',
    kravVersjon = 'Kravversjon.',
    time = 'Når versjonen ble lagret (UTC).',
    action = 'CREATE, UPDATE eller DELETE.',
    version = 'Versjonsnummer i revisjonsloggen.',
    lastModifiedDate = 'Endringsstempelet lastModifiedDate i roten av den lagrede JSON-en (UTC); skiller lagringer med samme time og version.',
    user = 'Nøkkelbasert pseudonym (HMAC-SHA256) for brukeren som lagret.',
    tildelt = 'Nøkkelbasert pseudonym (HMAC-SHA256) for en person kravet er tildelt; tom når ingen er tildelt.',
    antallTildelt = 'Antall personer kravet er tildelt i versjonen.',
    harNotater = 'Versjonen har notater.',
    notaterAntallTegn = 'Antall tegn i notatene (teksten publiseres ikke).',
    aktivRad = 'Sann på radene til nøyaktig én versjon per metadatarad: siste etter time, så version, så lastModifiedDate, så DELETE etter annen handling, så audit_id.',
    slettet = 'Sann når siste versjon er en DELETE, eller raden mangler i gjeldende metadatatabell (når den er lastet).'
  )
);

-- aktivRad and sisteAction come from etterlevelse_int.versjon (@revisjonsrader: the version
-- order of CONTRACT §6, applied once).
WITH metadata AS (
  SELECT
    audit_id, table_id AS id, action, time, version, lastModifiedDate,
    @pseudonym(user_ident) AS user_pseudonym, aktivRad, sisteAction,
    @ett_value(data, 'etterlevelseDokumentasjonId', '', 'data') AS dokumentId,
    @ett_value(data, 'behandlingId', '', 'data') AS behandlingId,
    @heltall(@ett_value(data, 'kravNummer', '', 'data')) AS kravNummer,
    @heltall(@ett_value(data, 'kravVersjon', '', 'data')) AS kravVersjon,
    @ett_array(data, 'tildeltMed', 'data', '') AS tildeltMed,
    @ett_value(data, 'notater', 'data', '') AS notater
  FROM @revisjonsrader('ETTERLEVELSEMETADATA')
),

gjeldende AS (
  SELECT id FROM landing_zone.etterlevelse_etterlevelse_metadata
),

kjente_dokumenter AS (
  SELECT DISTINCT etterlevelseDokumentasjonId FROM etterlevelse.stage_dokument
),

koblet AS (
  SELECT
    m.*,
    kd.etterlevelseDokumentasjonId
  FROM metadata AS m
  LEFT JOIN etterlevelse_int.behandling_dokument AS bd
    ON m.dokumentId IS NULL AND bd.behandlingId = m.behandlingId
  LEFT JOIN kjente_dokumenter AS kd
    ON kd.etterlevelseDokumentasjonId = COALESCE(m.dokumentId, bd.etterlevelseDokumentasjonId)
),

per_person AS (
  SELECT h.*, t AS tildeltMedEn
  FROM koblet AS h
  LEFT JOIN UNNEST(h.tildeltMed) AS t
)

SELECT
  CAST(p.id AS STRING) AS id,
  CAST(p.audit_id AS STRING) AS audit_id,
  CAST(p.etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonId,
  CAST(p.kravNummer AS INT64) AS kravNummer,
  CAST(p.kravVersjon AS INT64) AS kravVersjon,
  @lagringskolonner(p),
  CAST(@pseudonym(p.tildeltMedEn) AS STRING) AS tildelt,
  CAST(COALESCE(ARRAY_LENGTH(p.tildeltMed), 0) AS INT64) AS antallTildelt,
  CAST(COALESCE(LENGTH(p.notater), 0) > 0 AS BOOL) AS harNotater,
  CAST(COALESCE(LENGTH(p.notater), 0) AS INT64) AS notaterAntallTegn,
  CAST(p.aktivRad AS BOOL) AS aktivRad,
  CAST(
    p.sisteAction = 'DELETE'
    OR ((SELECT COUNT(*) FROM gjeldende) > 0 AND p.id NOT IN (SELECT id FROM gjeldende))
    AS BOOL
  ) AS slettet
FROM per_person AS p
