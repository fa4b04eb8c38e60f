MODEL (
  name etterlevelse.stage_risikoscenario,
  kind FULL,
  cron '@daily',
  grain audit_id,
  audits (
    not_null(columns := (audit_id, risikoscenarioId, time, aktivRad, slettet)),
    unique_values(columns := (audit_id)),
    etterlevelse_en_aktiv_rad(columns := (risikoscenarioId), version_column := audit_id),
    etterlevelse_finnes_i(column := pvkDokumentId, target_table := etterlevelse.stage_pvk_dokument, target_column := pvkDokumentId)
  ),
  description 'Én rad per lagret versjon av et risikoscenario i en PVK (RISIKOSCENARIO i revisjonsloggen), med et fast skjema. Navn og beskrivelser publiseres som antall tegn.',
  column_descriptions (
    risikoscenarioId = 'Risikoscenarioets id.',
    pvkDokumentId = 'PVK-dokumentet scenarioet hører til; tom når PVK-dokumentet ikke finnes i revisjonsloggen.',
    audit_id = 'Revisjonsradens id.',
    time = 'Når versjonen ble lagret (UTC).',
    action = 'CREATE, UPDATE eller DELETE.',
    version = 'Versjonsnummer i revisjonsloggen.',
    lastModifiedDate = 'Endringsstempelet lastModifiedDate i roten av den lagrede JSON-en (UTC); skiller lagringer med samme time og version.',
    user = 'Nøkkelbasert pseudonym (HMAC-SHA256) for brukeren som lagret.',
    sannsynlighetsNivaa = 'Sannsynlighetsnivå før tiltak.',
    konsekvensNivaa = 'Konsekvensnivå før tiltak.',
    sannsynlighetsNivaaEtterTiltak = 'Sannsynlighetsnivå etter tiltak.',
    konsekvensNivaaEtterTiltak = 'Konsekvensnivå etter tiltak.',
    generelScenario = 'Generelt scenario (ikke knyttet til et krav).',
    relevanteKravNummer = 'Kravnummer scenarioet er knyttet til.',
    ingenTiltak = 'Scenarioet er markert som uten behov for tiltak.',
    tiltakOppdatert = 'Tiltakene er oppdatert.',
    navnAntallTegn = 'Antall tegn i navnet.',
    beskrivelseAntallTegn = 'Antall tegn i beskrivelsen.',
    aktivRad = 'Sann på nøyaktig én rad per risikoscenario: siste versjon etter time, så version, så lastModifiedDate, så DELETE etter annen handling, så audit_id.',
    slettet = 'Sann for alle rader av et risikoscenario når siste versjon er en DELETE.'
  )
);

-- aktivRad and sisteAction come from etterlevelse_int.versjon (@revisjonsrader: the version
-- order of CONTRACT §6, applied once).
WITH scenario AS (
  SELECT
    audit_id, table_id AS risikoscenarioId, action, time, version, lastModifiedDate,
    @pseudonym(user_ident) AS user_pseudonym, aktivRad, sisteAction,
    @ett_value(data, 'pvkDokumentId', '', 'data') AS pvkDokumentId,
    @ett_value(data, 'sannsynlighetsNivaa', 'risikoscenarioData') AS sannsynlighetsNivaa,
    @ett_value(data, 'konsekvensNivaa', 'risikoscenarioData') AS konsekvensNivaa,
    @ett_value(data, 'sannsynlighetsNivaaEtterTiltak', 'risikoscenarioData') AS sannsynlighetsNivaaEtterTiltak,
    @ett_value(data, 'konsekvensNivaaEtterTiltak', 'risikoscenarioData') AS konsekvensNivaaEtterTiltak,
    @ett_value(data, 'generelScenario', 'risikoscenarioData') AS generelScenario,
    @ett_array(data, 'relevanteKravNummer', 'risikoscenarioData') AS relevanteKravNummer,
    @ett_value(data, 'ingenTiltak', 'risikoscenarioData') AS ingenTiltak,
    @ett_value(data, 'tiltakOppdatert', 'risikoscenarioData') AS tiltakOppdatert,
    @ett_value(data, 'navn', 'risikoscenarioData') AS navn,
    @ett_value(data, 'beskrivelse', 'risikoscenarioData') AS beskrivelse
  FROM @revisjonsrader('RISIKOSCENARIO')
),

kjente_pvk AS (
  SELECT DISTINCT pvkDokumentId FROM etterlevelse.stage_pvk_dokument
)

SELECT
  CAST(h.risikoscenarioId AS STRING) AS risikoscenarioId,
  CAST(kp.pvkDokumentId AS STRING) AS pvkDokumentId,
  CAST(h.audit_id AS STRING) AS audit_id,
  @lagringskolonner(h),
  CAST(@heltall(h.sannsynlighetsNivaa) AS INT64) AS sannsynlighetsNivaa,
  CAST(@heltall(h.konsekvensNivaa) AS INT64) AS konsekvensNivaa,
  CAST(@heltall(h.sannsynlighetsNivaaEtterTiltak) AS INT64) AS sannsynlighetsNivaaEtterTiltak,
  CAST(@heltall(h.konsekvensNivaaEtterTiltak) AS INT64) AS konsekvensNivaaEtterTiltak,
  CAST(h.generelScenario = 'true' AS BOOL) AS generelScenario,
  CAST(ARRAY(SELECT @heltall(k) FROM UNNEST(h.relevanteKravNummer) AS k WITH OFFSET AS o WHERE @heltall(k) IS NOT NULL ORDER BY o) AS ARRAY<INT64>) AS relevanteKravNummer,
  CAST(h.ingenTiltak = 'true' AS BOOL) AS ingenTiltak,
  CAST(h.tiltakOppdatert = 'true' AS BOOL) AS tiltakOppdatert,
  CAST(COALESCE(LENGTH(h.navn), 0) AS INT64) AS navnAntallTegn,
  CAST(COALESCE(LENGTH(h.beskrivelse), 0) AS INT64) AS beskrivelseAntallTegn,
  @aktiv_og_slettet(h)
FROM scenario AS h
LEFT JOIN kjente_pvk AS kp
  ON kp.pvkDokumentId = h.pvkDokumentId
