MODEL (
  name behandlinger.stage_policy,
  kind FULL,
  grain policyId,
  audits (
    not_null(columns := (policyId, action, time, created, aktivObservasjon, slettet)),
    unique_values(columns := (policyId))
  ),
  description 'Én rad per policy (en opplysningstype brukt i en behandling) i Behandlingskatalogen, i gjeldende versjon, også slettede (slettet = sann).',
  column_descriptions (
    policyId = 'Policyens id (UUID) i Behandlingskatalogen.',
    informationTypeId = 'Opplysningstypen policyen gjelder; kobles til stage_informationType. En id revisjonsloggen aldri viser (eller en tom id) beholdes og telles i kjøringens «Kildeendringer».',
    behandlingId = 'Behandlingen policyen hører til (process.id i policyen); kobles til stage_behandlinger.',
    purposes = 'Formålskoder (kodeverk PURPOSE).',
    subjectCategories = 'Registrertkategorier (kodeverk SUBJECT_CATEGORY), f.eks. BRUKER. Før januar 2020 én kode.',
    documentIds = 'Dokumenter (id-er) policyen henter opplysningstyper fra (fra januar 2020).',
    legalBasesUse = 'Hvordan behandlingsgrunnlag brukes: INHERITED_FROM_PROCESS, EXCESS_INFO, UNRESOLVED eller DEDICATED_LEGAL_BASES.',
    legalBasesInherited = 'Sann når policyen arver behandlingsgrunnlagene fra behandlingen.',
    antallLegalBases = 'Antall egne behandlingsgrunnlag på policyen.',
    action = 'Handlingen som lagret gjeldende versjon: CREATE, UPDATE eller DELETE.',
    created = 'Tidspunktet (UTC) for policyens første revisjonsrad.',
    time = 'Tidspunktet (UTC) gjeldende versjon ble lagret.',
    aktivObservasjon = 'Alltid sann: tabellen har bare gjeldende versjon (siste etter tidspunkt, så lastModifiedDate, så DELETE etter annen handling, så audit_id).',
    slettet = 'Sann når policyens siste handling er DELETE.'
  )
);

/* Before 2020-01-21 a policy had no `data` column (PM:V1.20): its fields are at the root then,
   and subjectCategory was a single code. Each field reads `data` first, then the root.
   Code arrays: the scalars of the first JSON array found, in order, without JSON nulls, objects
   and nested arrays (@ett_array, docs/decisions.md "One rule on both engines"), else the single
   code, else []. */
@DEF(single_code, p -> IF(JSON_VALUE(data, p) IS NULL, NULL, [JSON_VALUE(data, p)]));

WITH policy_rows AS (
  SELECT entitetId, action, time, created, aktivObservasjon, slettet, data
  FROM behandlinger_int.audit_version
  WHERE tableName = 'POLICY' AND aktivObservasjon
)

SELECT
  CAST(entitetId AS STRING) AS policyId,
  CAST(COALESCE(
    JSON_VALUE(data, '$.informationTypeId'), JSON_VALUE(data, '$.informationType.id')
  ) AS STRING) AS informationTypeId,
  CAST(COALESCE(JSON_VALUE(data, '$.process.id'), JSON_VALUE(data, '$.processId')) AS STRING) AS behandlingId,
  CAST(COALESCE(
    @ett_array(data, 'purposes', 'data', ''),
    @single_code('$.data.purposeCode'),
    @single_code('$.purposeCode'),
    []
  ) AS ARRAY<STRING>) AS purposes,
  CAST(COALESCE(
    @ett_array(data, 'subjectCategories', 'data', ''),
    @single_code('$.data.subjectCategory'),
    @single_code('$.subjectCategory'),
    []
  ) AS ARRAY<STRING>) AS subjectCategories,
  CAST(COALESCE(@ett_array(data, 'documentIds', 'data'), []) AS ARRAY<STRING>) AS documentIds,
  CAST(JSON_VALUE(data, '$.data.legalBasesUse') AS STRING) AS legalBasesUse,
  @sannhet(COALESCE(
    JSON_VALUE(data, '$.data.legalBasesInherited'), JSON_VALUE(data, '$.legalBasesInherited')
  )) AS legalBasesInherited,
  CAST(COALESCE(
    ARRAY_LENGTH(@ett_objects(data, 'legalBases', 'data', '')),
    0
  ) AS INT64) AS antallLegalBases,
  CAST(action AS STRING) AS action,
  CAST(created AS TIMESTAMP) AS created,
  CAST(time AS TIMESTAMP) AS time,
  CAST(aktivObservasjon AS BOOL) AS aktivObservasjon,
  CAST(slettet AS BOOL) AS slettet
FROM policy_rows
