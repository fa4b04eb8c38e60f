MODEL (
  name etterlevelse_int.dokument_versjon,
  kind INCREMENTAL_BY_TIME_RANGE (time_column time, lookback 3, batch_size 180),
  start '2020-01-01',
  cron '@daily',
  grain audit_id,
  audits (not_null(columns := (audit_id, etterlevelseDokumentasjonId, time, action)), unique_values(columns := (audit_id))),
  description 'Lagrede versjoner av etterlevelsesdokumenter (EtterlevelseDokumentasjon/ETTERLEVELSE_DOKUMENTASJON i revisjonsloggen), lest fra begge epokers JSON-form (data.data og etterlevelseDokumentasjonData). Én rad per revisjonsrad.',
  column_descriptions (
    audit_id = 'Revisjonsradens id.',
    etterlevelseDokumentasjonId = 'Dokumentets id.',
    action = 'CREATE, UPDATE eller DELETE.',
    time = 'Når versjonen ble lagret (UTC).',
    version = 'Versjonsnummer i revisjonsloggen.',
    user = 'Nøkkelbasert pseudonym (HMAC-SHA256) for brukeren som lagret.',
    opprettetAvMigrering = 'Sann når dokumentet ble opprettet av migreringen i august 2023 (createdBy = MIGRATION(ADMIN)).',
    etterlevelseNummer = 'Dokumentets nummer (vises som E<nr>).',
    behandlingId = 'Behandlingene (Behandlingskatalogen) dokumentet gjelder.',
    teams = 'Teamkatalog-team som eier dokumentet.',
    irrelevansFor = 'RELEVANS-koder dokumentet har markert som ikke relevante.',
    avdeling = 'Avdelingskode (AVDELING) før juni 2025.',
    nomAvdelingId = 'Avdelingens id i NOM (fra juni 2025).',
    avdelingNavn = 'Avdelingens navn i NOM (fra juni 2025).',
    seksjonIder = 'NOM-seksjoner dokumentet hører til.',
    varslingsadresseTyper = 'Typen til hver varslingsadresse (EPOST, SLACK, SLACK_USER); adressene publiseres ikke.',
    prioritertKravNummer = 'Kravnummer dokumentet har prioritert.',
    antallRisikoeiere = 'Antall risikoeiere (identene publiseres ikke).',
    antallRessurser = 'Antall personer oppført som ressurser (identene publiseres ikke).',
    forGjenbruk = 'Dokumentet er ment for gjenbruk.',
    tilgjengeligForGjenbruk = 'Dokumentet er klart for gjenbruk.',
    behandlerPersonopplysninger = 'Dokumentet sier at det behandles personopplysninger.',
    dokumentStatus = 'Dokumentets status (fra desember 2025).',
    etterlevelseDokumentVersjon = 'Dokumentets egen versjon (fra januar 2026).',
    tittelAntallTegn = 'Antall tegn i tittelen.',
    beskrivelseAntallTegn = 'Antall tegn i beskrivelsen.',
    gjenbrukBeskrivelseAntallTegn = 'Antall tegn i gjenbruksbeskrivelsen.'
  )
);

WITH audit_rows AS (
  SELECT
    audit_id,
    UPPER(action) AS action,
    table_id,
    time,
    version,
    `user`,
    data
  FROM landing_zone.etterlevelse_audit_version
  WHERE UPPER(REPLACE(table_name, '_', '')) = 'ETTERLEVELSEDOKUMENTASJON'
    AND time BETWEEN @start_ts AND @end_ts
),

parsed AS (
  SELECT
    audit_id,
    action,
    table_id,
    time,
    version,
    @pseudonym(`user`) AS user_pseudonym,
    @ett_value(data, 'createdBy', '', 'data') AS createdBy,
    @ett_value(data, 'etterlevelseNummer', 'data', 'etterlevelseDokumentasjonData', '') AS etterlevelseNummer,
    @ett_value(data, 'title', 'data', 'etterlevelseDokumentasjonData') AS title,
    @ett_value(data, 'beskrivelse', 'data', 'etterlevelseDokumentasjonData') AS beskrivelse,
    @ett_value(data, 'gjenbrukBeskrivelse', 'data', 'etterlevelseDokumentasjonData') AS gjenbrukBeskrivelse,
    @ett_array(data, 'behandlingIds', 'data', 'etterlevelseDokumentasjonData') AS behandlingIds,
    @ett_array(data, 'teams', 'data', 'etterlevelseDokumentasjonData') AS teams,
    @ett_array(data, 'irrelevansFor', 'data', 'etterlevelseDokumentasjonData') AS irrelevansFor,
    @ett_array(data, 'prioritertKravNummer', 'data', 'etterlevelseDokumentasjonData') AS prioritertKravNummer,
    @ett_array(data, 'risikoeiere', 'data', 'etterlevelseDokumentasjonData') AS risikoeiere,
    @ett_array(data, 'resources', 'data', 'etterlevelseDokumentasjonData') AS resources,
    @ett_objects(data, 'varslingsadresser', 'data', 'etterlevelseDokumentasjonData') AS varslingsadresser,
    @ett_objects(data, 'seksjoner', 'data', 'etterlevelseDokumentasjonData') AS seksjoner,
    @ett_value(data, 'avdeling', 'data', 'etterlevelseDokumentasjonData') AS avdeling,
    @ett_value(data, 'nomAvdelingId', 'data', 'etterlevelseDokumentasjonData') AS nomAvdelingId,
    @ett_value(data, 'avdelingNavn', 'data', 'etterlevelseDokumentasjonData') AS avdelingNavn,
    @ett_value(data, 'forGjenbruk', 'data', 'etterlevelseDokumentasjonData') AS forGjenbruk,
    @ett_value(data, 'tilgjengeligForGjenbruk', 'data', 'etterlevelseDokumentasjonData') AS tilgjengeligForGjenbruk,
    @ett_value(data, 'behandlerPersonopplysninger', 'data', 'etterlevelseDokumentasjonData') AS behandlerPersonopplysninger,
    @ett_value(data, 'status', 'etterlevelseDokumentasjonData', 'data') AS dokumentStatus,
    @ett_value(data, 'etterlevelseDokumentVersjon', 'etterlevelseDokumentasjonData', 'data') AS etterlevelseDokumentVersjon
  FROM audit_rows
)

SELECT
  CAST(audit_id AS STRING) AS audit_id,
  CAST(table_id AS STRING) AS etterlevelseDokumentasjonId,
  CAST(action AS STRING) AS action,
  CAST(time AS TIMESTAMP) AS time,
  CAST(version AS INT64) AS version,
  CAST(user_pseudonym AS STRING) AS `user`,
  CAST(COALESCE(createdBy = 'MIGRATION(ADMIN)', FALSE) AS BOOL) AS opprettetAvMigrering,
  CAST(SAFE_CAST(etterlevelseNummer AS INT64) AS INT64) AS etterlevelseNummer,
  CAST(COALESCE(behandlingIds, []) AS ARRAY<STRING>) AS behandlingId,
  CAST(COALESCE(teams, []) AS ARRAY<STRING>) AS teams,
  CAST(COALESCE(irrelevansFor, []) AS ARRAY<STRING>) AS irrelevansFor,
  CAST(avdeling AS STRING) AS avdeling,
  CAST(nomAvdelingId AS STRING) AS nomAvdelingId,
  CAST(avdelingNavn AS STRING) AS avdelingNavn,
  CAST(ARRAY(SELECT JSON_VALUE(s, '$.nomSeksjonId') FROM UNNEST(seksjoner) AS s WHERE COALESCE(JSON_VALUE(s, '$.nomSeksjonId'), '') <> '') AS ARRAY<STRING>) AS seksjonIder,
  CAST(ARRAY(SELECT JSON_VALUE(v, '$.type') FROM UNNEST(varslingsadresser) AS v WHERE COALESCE(JSON_VALUE(v, '$.type'), '') <> '') AS ARRAY<STRING>) AS varslingsadresseTyper,
  CAST(ARRAY(SELECT SAFE_CAST(p AS INT64) FROM UNNEST(prioritertKravNummer) AS p WHERE SAFE_CAST(p AS INT64) IS NOT NULL) AS ARRAY<INT64>) AS prioritertKravNummer,
  CAST(COALESCE(ARRAY_LENGTH(risikoeiere), 0) AS INT64) AS antallRisikoeiere,
  CAST(COALESCE(ARRAY_LENGTH(resources), 0) AS INT64) AS antallRessurser,
  CAST(COALESCE(forGjenbruk = 'true', FALSE) AS BOOL) AS forGjenbruk,
  CAST(COALESCE(tilgjengeligForGjenbruk = 'true', FALSE) AS BOOL) AS tilgjengeligForGjenbruk,
  CAST(behandlerPersonopplysninger = 'true' AS BOOL) AS behandlerPersonopplysninger,
  CAST(dokumentStatus AS STRING) AS dokumentStatus,
  CAST(SAFE_CAST(etterlevelseDokumentVersjon AS INT64) AS INT64) AS etterlevelseDokumentVersjon,
  CAST(COALESCE(LENGTH(title), 0) AS INT64) AS tittelAntallTegn,
  CAST(COALESCE(LENGTH(beskrivelse), 0) AS INT64) AS beskrivelseAntallTegn,
  CAST(COALESCE(LENGTH(gjenbrukBeskrivelse), 0) AS INT64) AS gjenbrukBeskrivelseAntallTegn
FROM parsed
