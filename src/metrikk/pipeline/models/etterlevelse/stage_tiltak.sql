MODEL (
  name etterlevelse.stage_tiltak,
  kind FULL,
  cron '@daily',
  grain audit_id,
  audits (
    not_null(columns := (audit_id, tiltakId, time, aktivRad, slettet)),
    unique_values(columns := (audit_id)),
    etterlevelse_en_aktiv_rad(columns := (tiltakId), version_column := audit_id),
    etterlevelse_finnes_i(column := pvkDokumentId, target_table := etterlevelse.stage_pvk_dokument, target_column := pvkDokumentId)
  ),
  description 'Én rad per lagret versjon av et tiltak i en PVK (TILTAK i revisjonsloggen), med et fast skjema. Navn og beskrivelser publiseres som antall tegn, ansvarlig som et flagg.',
  column_descriptions (
    tiltakId = 'Tiltakets id.',
    pvkDokumentId = 'PVK-dokumentet tiltaket hører til; tom når PVK-dokumentet ikke finnes i revisjonsloggen.',
    audit_id = 'Revisjonsradens id.',
    time = 'Når versjonen ble lagret (UTC).',
    action = 'CREATE, UPDATE eller DELETE.',
    version = 'Versjonsnummer i revisjonsloggen.',
    lastModifiedDate = 'Endringsstempelet lastModifiedDate i roten av den lagrede JSON-en (UTC); skiller lagringer med samme time og version.',
    user = 'Nøkkelbasert pseudonym (HMAC-SHA256) for brukeren som lagret.',
    frist = 'Tiltakets frist.',
    harAnsvarlig = 'Tiltaket har en ansvarlig person.',
    ansvarligTeam = 'Teamkatalog-teamet som er ansvarlig.',
    iverksatt = 'Tiltaket er iverksatt.',
    iverksattDato = 'Når tiltaket ble iverksatt.',
    navnAntallTegn = 'Antall tegn i navnet.',
    beskrivelseAntallTegn = 'Antall tegn i beskrivelsen.',
    aktivRad = 'Sann på nøyaktig én rad per tiltak: siste versjon etter time, så version, så lastModifiedDate, så DELETE etter annen handling, så audit_id.',
    slettet = 'Sann for alle rader av et tiltak når siste versjon er en DELETE.'
  )
);

-- aktivRad and sisteAction come from etterlevelse_int.versjon (@revisjonsrader: the version
-- order of CONTRACT §6, applied once).
WITH tiltak AS (
  SELECT
    audit_id, table_id AS tiltakId, action, time, version, lastModifiedDate,
    @pseudonym(user_ident) AS user_pseudonym, aktivRad, sisteAction,
    @ett_value(data, 'pvkDokumentId', '', 'data') AS pvkDokumentId,
    @ett_value(data, 'frist', 'tiltakData') AS frist,
    @ett_value(data, 'ansvarlig', 'tiltakData') AS ansvarlig,
    @ett_value(data, 'ansvarligTeam', 'tiltakData') AS ansvarligTeam,
    @ett_value(data, 'iverksatt', 'tiltakData') AS iverksatt,
    @ett_value(data, 'iverksattDato', 'tiltakData') AS iverksattDato,
    @ett_value(data, 'navn', 'tiltakData') AS navn,
    @ett_value(data, 'beskrivelse', 'tiltakData') AS beskrivelse
  FROM @revisjonsrader('TILTAK')
),

kjente_pvk AS (
  SELECT DISTINCT pvkDokumentId FROM etterlevelse.stage_pvk_dokument
)

SELECT
  CAST(h.tiltakId AS STRING) AS tiltakId,
  CAST(kp.pvkDokumentId AS STRING) AS pvkDokumentId,
  CAST(h.audit_id AS STRING) AS audit_id,
  @lagringskolonner(h),
  CAST(@iso_dato(SUBSTR(h.frist, 1, 10)) AS DATE) AS frist,
  CAST(COALESCE(h.ansvarlig, '') <> '' AS BOOL) AS harAnsvarlig,
  CAST(h.ansvarligTeam AS STRING) AS ansvarligTeam,
  CAST(h.iverksatt = 'true' AS BOOL) AS iverksatt,
  CAST(@iso_dato(SUBSTR(h.iverksattDato, 1, 10)) AS DATE) AS iverksattDato,
  CAST(COALESCE(LENGTH(h.navn), 0) AS INT64) AS navnAntallTegn,
  CAST(COALESCE(LENGTH(h.beskrivelse), 0) AS INT64) AS beskrivelseAntallTegn,
  @aktiv_og_slettet(h)
FROM tiltak AS h
LEFT JOIN kjente_pvk AS kp
  ON kp.pvkDokumentId = h.pvkDokumentId
