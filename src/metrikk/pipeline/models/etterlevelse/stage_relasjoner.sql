MODEL (
  name etterlevelse.stage_relasjoner,
  kind FULL,
  cron '@daily',
  grain audit_id,
  audits (
    not_null(columns := (audit_id, id, time, aktivRad, slettet)),
    unique_values(columns := (audit_id)),
    etterlevelse_en_aktiv_rad(columns := (id), version_column := audit_id),
    etterlevelse_finnes_i(column := etterlevelseDokumentasjonIdFra, target_table := etterlevelse.stage_dokument, target_column := etterlevelseDokumentasjonId),
    etterlevelse_finnes_i(column := etterlevelseDokumentasjonIdTil, target_table := etterlevelse.stage_dokument, target_column := etterlevelseDokumentasjonId)
  ),
  description 'Én rad per lagret versjon av en relasjon mellom to dokumenter (DOCUMENT_RELATION i revisjonsloggen), med tid, aktivRad og slettet, så endrede og slettede relasjoner ikke telles som gjeldende.',
  column_descriptions (
    id = 'Relasjonens id.',
    audit_id = 'Revisjonsradens id.',
    etterlevelseDokumentasjonIdFra = 'Dokumentet relasjonen går fra (morsdokumentet ved ARVER).',
    etterlevelseDokumentasjonIdTil = 'Dokumentet relasjonen går til.',
    relationType = 'ARVER, BYGGER, ENGANGSKOPI (kortvarig også KOPI).',
    time = 'Når versjonen ble lagret (UTC).',
    action = 'CREATE, UPDATE eller DELETE.',
    version = 'Versjonsnummer i revisjonsloggen.',
    lastModifiedDate = 'Endringsstempelet lastModifiedDate i roten av den lagrede JSON-en (UTC); skiller lagringer med samme time og version.',
    user = 'Nøkkelbasert pseudonym (HMAC-SHA256) for brukeren som lagret.',
    aktivRad = 'Sann på nøyaktig én rad per relasjon: siste versjon etter time, så version, så lastModifiedDate, så DELETE etter annen handling, så audit_id.',
    slettet = 'Sann for alle rader av en relasjon når siste versjon er en DELETE.'
  )
);

-- aktivRad and sisteAction come from etterlevelse_int.versjon (@revisjonsrader: the version
-- order of CONTRACT §6, applied once).
WITH relasjoner AS (
  SELECT
    audit_id, table_id AS id, action, time, version, lastModifiedDate,
    @pseudonym(user_ident) AS user_pseudonym, aktivRad, sisteAction,
    @ett_value(data, 'fromDocument', '', 'data') AS fra,
    @ett_value(data, 'toDocument', '', 'data') AS til,
    @ett_value(data, 'relationType', '', 'data') AS relationType
  FROM @revisjonsrader('DOCUMENTRELATION')
),

kjente_dokumenter AS (
  SELECT DISTINCT etterlevelseDokumentasjonId FROM etterlevelse.stage_dokument
)

SELECT
  CAST(h.id AS STRING) AS id,
  CAST(h.audit_id AS STRING) AS audit_id,
  CAST(fra.etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonIdFra,
  CAST(til.etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonIdTil,
  CAST(h.relationType AS STRING) AS relationType,
  @lagringskolonner(h),
  @aktiv_og_slettet(h)
FROM relasjoner AS h
LEFT JOIN kjente_dokumenter AS fra
  ON fra.etterlevelseDokumentasjonId = h.fra
LEFT JOIN kjente_dokumenter AS til
  ON til.etterlevelseDokumentasjonId = h.til
