MODEL (
  name behandlinger.stage_behandlinger,
  kind FULL,
  grain auditId,
  audits (
    not_null(columns := (auditId, behandlingId, action, time, created, aktivObservasjon, slettet)),
    unique_values(columns := (auditId)),
    one_aktiv_observasjon(entity := behandlingId)
  ),
  description 'Én rad per lagret versjon av en behandling i Behandlingskatalogen (én PROCESS-revisjonsrad i polly). Full historikk lest fra alle polly-formater siden 2019; aktivObservasjon markerer gjeldende versjon og slettet behandlinger som er slettet.',
  column_descriptions (
    auditId = 'Id-en til revisjonsraden (audit_id) denne versjonen kommer fra.',
    behandlingId = 'Behandlingens id (UUID) i Behandlingskatalogen.',
    name = 'Behandlingens navn. Før november 2020 lå navnet utenfor data-objektet; det leses derfra.',
    number = 'Behandlingsnummeret (vises som B<nummer>), fra oktober 2020.',
    start = 'Fra-dato for behandlingen. Gamle rader har 0001-01-01.',
    `end` = 'Til-dato for behandlingen. Gamle rader har 9999-12-31.',
    status = 'Status: IN_PROGRESS, NEEDS_REVISION eller COMPLETED.',
    purposes = 'Formålskoder (kodeverk PURPOSE). Før november 2020 én kode (purposeCode).',
    profiling = 'Sann når behandlingen innebærer profilering.',
    automaticProcessing = 'Sann når behandlingen innebærer automatiserte avgjørelser.',
    description = 'Beskrivelse av behandlingen (fritekst fra Behandlingskatalogen, som i den opprinnelige modellen).',
    additionalDescription = 'Utfyllende beskrivelse av behandlingen (fritekst, som i den opprinnelige modellen).',
    usesAllInformationTypes = 'Sann når behandlingen bruker alle opplysningstyper.',
    department = 'Avdelingskode (kodeverk DEPARTMENT). Lå i data-roten før 18. september 2020, senere i affiliation.',
    nomDepartmentId = 'Avdelingens id i NOM (fra juli 2025).',
    nomDepartmentName = 'Avdelingens navn i NOM (fra juli 2025).',
    seksjoner = 'NOM-id-ene til seksjonene behandlingen hører til (fra november 2025).',
    fylker = 'NOM-id-ene til fylkene behandlingen hører til (fra november 2025).',
    navKontorer = 'NOM-id-ene til Nav-kontorene behandlingen hører til (fra november 2025).',
    subDepartments = 'Linjeavdelinger (kodeverk SUB_DEPARTMENT). Før mai 2020 én kode.',
    productTeams = 'Team-id-er i Teamkatalogen. Før mai 2020 ett team.',
    products = 'Systemer (kodeverk SYSTEM) behandlingen bruker.',
    disclosureDispatchers = 'Systemer (kodeverk SYSTEM) som brukes til utlevering (fra 2023).',
    retentionPlan = 'Sann når behandlingen følger en bevaring- og kassasjonsplan.',
    retentionMonths = 'Lagringstid i måneder.',
    retentionStart = 'Hendelsen lagringstiden regnes fra.',
    retentionDescription = 'Beskrivelse av lagringstiden (fritekst, som i den opprinnelige modellen).',
    needForDpia = 'Sann når behandlingen trenger en personvernkonsekvensvurdering (DPIA).',
    dataProcessor = 'Sann når behandlingen bruker databehandler.',
    antallDataProcessors = 'Antall databehandlere (PROCESSOR) versjonen peker på; null i gamle versjoner uten databehandlerliste.',
    dataProcessorOutsideEU = 'Sann når minst én databehandler er utenfor EU/EØS: fra databehandlerne versjonen peker på (deres gjeldende versjon), eller fra det gamle feltet dataProcessorOutsideEU før april 2021.',
    antallLegalBases = 'Antall behandlingsgrunnlag i versjonen.',
    action = 'Handlingen som lagret versjonen: CREATE, UPDATE eller DELETE.',
    created = 'Tidspunktet (UTC) for behandlingens første revisjonsrad.',
    time = 'Tidspunktet (UTC) versjonen ble lagret.',
    aktivObservasjon = 'Sann på nøyaktig én versjon per behandling: den siste etter tidspunkt, så lastModifiedDate (polly-migreringen V1.13 ga alle eldre rader samme tidspunkt), så DELETE etter annen handling, så audit_id.',
    slettet = 'Sann (på alle versjoner) når behandlingens siste handling er DELETE.'
  )
);

WITH processors AS (
  SELECT dataprocessorId, outsideEU
  FROM behandlinger_int.processor
),

version_processors AS (
  SELECT
    process_versions.auditId,
    LOGICAL_OR(processors.outsideEU) AS any_outside_eu
  FROM behandlinger_int.process_version AS process_versions
  CROSS JOIN UNNEST(process_versions.processorIds) AS processor_id
  LEFT JOIN processors
    ON processors.dataprocessorId = processor_id
  GROUP BY process_versions.auditId
)

SELECT
  CAST(v.auditId AS STRING) AS auditId,
  CAST(v.behandlingId AS STRING) AS behandlingId,
  CAST(v.name AS STRING) AS name,
  CAST(v.number AS INT64) AS number,
  CAST(v.start AS DATE) AS start,
  CAST(v.`end` AS DATE) AS `end`,
  CAST(v.status AS STRING) AS status,
  CAST(v.purposes AS ARRAY<STRING>) AS purposes,
  CAST(v.profiling AS BOOL) AS profiling,
  CAST(v.automaticProcessing AS BOOL) AS automaticProcessing,
  CAST(v.description AS STRING) AS description,
  CAST(v.additionalDescription AS STRING) AS additionalDescription,
  CAST(v.usesAllInformationTypes AS BOOL) AS usesAllInformationTypes,
  CAST(v.department AS STRING) AS department,
  CAST(v.nomDepartmentId AS STRING) AS nomDepartmentId,
  CAST(v.nomDepartmentName AS STRING) AS nomDepartmentName,
  CAST(v.seksjoner AS ARRAY<STRING>) AS seksjoner,
  CAST(v.fylker AS ARRAY<STRING>) AS fylker,
  CAST(v.navKontorer AS ARRAY<STRING>) AS navKontorer,
  CAST(v.subDepartments AS ARRAY<STRING>) AS subDepartments,
  CAST(v.productTeams AS ARRAY<STRING>) AS productTeams,
  CAST(v.products AS ARRAY<STRING>) AS products,
  CAST(v.disclosureDispatchers AS ARRAY<STRING>) AS disclosureDispatchers,
  CAST(v.retentionPlan AS BOOL) AS retentionPlan,
  CAST(v.retentionMonths AS INT64) AS retentionMonths,
  CAST(v.retentionStart AS STRING) AS retentionStart,
  CAST(v.retentionDescription AS STRING) AS retentionDescription,
  CAST(v.needForDpia AS BOOL) AS needForDpia,
  CAST(v.dataProcessor AS BOOL) AS dataProcessor,
  CAST(
    IF(ARRAY_LENGTH(v.processorIds) > 0 OR v.legacyDataProcessorAgreements IS NULL, ARRAY_LENGTH(v.processorIds), NULL)
    AS INT64
  ) AS antallDataProcessors,
  CAST(COALESCE(vp.any_outside_eu, v.legacyDataProcessorOutsideEU) AS BOOL) AS dataProcessorOutsideEU,
  CAST(COALESCE(ARRAY_LENGTH(@ett_objects(v.data, 'legalBases', 'data')), 0) AS INT64) AS antallLegalBases,
  CAST(v.action AS STRING) AS action,
  CAST(v.created AS TIMESTAMP) AS created,
  CAST(v.time AS TIMESTAMP) AS time,
  CAST(v.aktivObservasjon AS BOOL) AS aktivObservasjon,
  CAST(v.slettet AS BOOL) AS slettet
FROM behandlinger_int.process_version AS v
LEFT JOIN version_processors AS vp
  ON vp.auditId = v.auditId
