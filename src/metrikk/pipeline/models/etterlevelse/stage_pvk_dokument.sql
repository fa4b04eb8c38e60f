MODEL (
  name etterlevelse.stage_pvk_dokument,
  kind FULL,
  cron '@daily',
  grain audit_id,
  audits (
    not_null(columns := (audit_id, pvkDokumentId, time, aktivRad, slettet)),
    unique_values(columns := (audit_id)),
    etterlevelse_en_aktiv_rad(columns := (pvkDokumentId), version_column := audit_id),
    etterlevelse_finnes_i(column := etterlevelseDokumentasjonId, target_table := etterlevelse.stage_dokument, target_column := etterlevelseDokumentasjonId)
  ),
  description 'Én rad per lagret versjon av et PVK-dokument (personvernkonsekvensvurdering, PVK_DOKUMENT i revisjonsloggen), med et fast skjema: felt som mangler i en epoke er tomme. Fritekst og identer publiseres ikke.',
  column_descriptions (
    pvkDokumentId = 'PVK-dokumentets id.',
    etterlevelseDokumentasjonId = 'Etterlevelsesdokumentet PVK-en hører til (rotfeltet etterlevelseDokumentId).',
    audit_id = 'Revisjonsradens id.',
    time = 'Når versjonen ble lagret (UTC).',
    action = 'CREATE, UPDATE eller DELETE.',
    version = 'Versjonsnummer i revisjonsloggen.',
    lastModifiedDate = 'Endringsstempelet lastModifiedDate i roten av den lagrede JSON-en (UTC); skiller lagringer med samme time og version.',
    user = 'Nøkkelbasert pseudonym (HMAC-SHA256) for brukeren som lagret.',
    status = 'PVK-status (UNDERARBEID, SENDT_TIL_PVO, PVO_UNDERARBEID, VURDERT_AV_PVO, …); tallkoder 0–8 er oversatt til navn.',
    pvkVurdering = 'SKAL_UTFORE, SKAL_IKKE_UTFORE, ALLEREDE_UTFORT eller UNDEFINED; før desember 2025 avledet fra skalUtforePvk.',
    antallInnsendingTilPvo = 'Antall innsendinger til personvernombudet.',
    antallMeldingerTilPvo = 'Antall meldinger til personvernombudet (fra november 2025).',
    sendtTilPvoDato = 'Siste gang dokumentet ble sendt til personvernombudet (eldre felt, ellers siste melding).',
    ytterligereEgenskaper = 'YTTERLIGERE_EGENSKAPER-koder.',
    berOmNyVurderingFraPvo = 'Ber om ny vurdering fra personvernombudet.',
    harInvolvertRepresentant = 'Representant for de registrerte er involvert.',
    harDatabehandlerRepresentantInvolvering = 'Databehandlers representant er involvert.',
    dpProcessProfilering = 'Behandlingen innebærer profilering.',
    dpProcessHelautomatiskBehandling = 'Behandlingen er helautomatisk.',
    godkjentAvRisikoeierDato = 'Når risikoeier godkjente.',
    aktivRad = 'Sann på nøyaktig én rad per PVK-dokument: siste versjon etter time, så version, så lastModifiedDate, så DELETE etter annen handling, så audit_id.',
    slettet = 'Sann for alle rader av et PVK-dokument når siste versjon er en DELETE.'
  )
);

-- aktivRad and sisteAction come from etterlevelse_int.versjon (@revisjonsrader: the version
-- order of CONTRACT §6, applied once).
WITH pvk AS (
  SELECT
    audit_id, table_id AS pvkDokumentId, action, time, version, lastModifiedDate,
    @pseudonym(user_ident) AS user_pseudonym, aktivRad, sisteAction,
    @ett_value(data, 'etterlevelseDokumentId', '', 'data') AS dokumentId,
    @ett_value(data, 'status', '', 'pvkDokumentData') AS status,
    @ett_value(data, 'pvkVurdering', 'pvkDokumentData') AS pvkVurdering,
    @ett_value(data, 'skalUtforePvk', 'pvkDokumentData') AS skalUtforePvk,
    @ett_value(data, 'antallInnsendingTilPvo', 'pvkDokumentData') AS antallInnsendingTilPvo,
    @ett_objects(data, 'meldingerTilPvo', 'pvkDokumentData') AS meldingerTilPvo,
    @ett_value(data, 'sendtTilPvoDato', 'pvkDokumentData') AS sendtTilPvoDato,
    @ett_array(data, 'ytterligereEgenskaper', 'pvkDokumentData') AS ytterligereEgenskaper,
    @ett_value(data, 'berOmNyVurderingFraPvo', 'pvkDokumentData') AS berOmNyVurderingFraPvo,
    @ett_value(data, 'harInvolvertRepresentant', 'pvkDokumentData') AS harInvolvertRepresentant,
    @ett_value(data, 'harDatabehandlerRepresentantInvolvering', 'pvkDokumentData') AS harDatabehandlerRepresentantInvolvering,
    @ett_value(data, 'dpProcessProfilering', 'pvkDokumentData') AS dpProcessProfilering,
    @ett_value(data, 'dpProcessHelautomatiskBehandling', 'pvkDokumentData') AS dpProcessHelautomatiskBehandling,
    @ett_value(data, 'godkjentAvRisikoeierDato', 'pvkDokumentData') AS godkjentAvRisikoeierDato
  FROM @revisjonsrader('PVKDOKUMENT')
),

kjente_dokumenter AS (
  SELECT DISTINCT etterlevelseDokumentasjonId FROM etterlevelse.stage_dokument
)

SELECT
  CAST(h.pvkDokumentId AS STRING) AS pvkDokumentId,
  CAST(kd.etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonId,
  CAST(h.audit_id AS STRING) AS audit_id,
  @lagringskolonner(h),
  CAST(
    CASE h.status
      WHEN '0' THEN 'UNDERARBEID' WHEN '1' THEN 'SENDT_TIL_PVO' WHEN '2' THEN 'PVO_UNDERARBEID'
      WHEN '3' THEN 'VURDERT_AV_PVO' WHEN '4' THEN 'VURDERT_AV_PVO_TRENGER_MER_ARBEID'
      WHEN '5' THEN 'SENDT_TIL_PVO_FOR_REVURDERING' WHEN '6' THEN 'TRENGER_GODKJENNING'
      WHEN '7' THEN 'GODKJENT_AV_RISIKOEIER' WHEN '8' THEN 'AKTIV'
      ELSE h.status
    END AS STRING
  ) AS status,
  CAST(
    COALESCE(
      h.pvkVurdering,
      CASE h.skalUtforePvk WHEN 'true' THEN 'SKAL_UTFORE' WHEN 'false' THEN 'SKAL_IKKE_UTFORE' END
    ) AS STRING
  ) AS pvkVurdering,
  CAST(@heltall(h.antallInnsendingTilPvo) AS INT64) AS antallInnsendingTilPvo,
  CAST(COALESCE(ARRAY_LENGTH(h.meldingerTilPvo), 0) AS INT64) AS antallMeldingerTilPvo,
  CAST(
    COALESCE(
      @tidspunkt(h.sendtTilPvoDato),
      (SELECT MAX(@tidspunkt(JSON_VALUE(m, '$.sendtTilPvoDato'))) FROM UNNEST(h.meldingerTilPvo) AS m)
    ) AS TIMESTAMP
  ) AS sendtTilPvoDato,
  CAST(COALESCE(h.ytterligereEgenskaper, []) AS ARRAY<STRING>) AS ytterligereEgenskaper,
  CAST(h.berOmNyVurderingFraPvo = 'true' AS BOOL) AS berOmNyVurderingFraPvo,
  CAST(h.harInvolvertRepresentant = 'true' AS BOOL) AS harInvolvertRepresentant,
  CAST(h.harDatabehandlerRepresentantInvolvering = 'true' AS BOOL) AS harDatabehandlerRepresentantInvolvering,
  CAST(h.dpProcessProfilering = 'true' AS BOOL) AS dpProcessProfilering,
  CAST(h.dpProcessHelautomatiskBehandling = 'true' AS BOOL) AS dpProcessHelautomatiskBehandling,
  CAST(@tidspunkt(h.godkjentAvRisikoeierDato) AS TIMESTAMP) AS godkjentAvRisikoeierDato,
  @aktiv_og_slettet(h)
FROM pvk AS h
LEFT JOIN kjente_dokumenter AS kd
  ON kd.etterlevelseDokumentasjonId = h.dokumentId
