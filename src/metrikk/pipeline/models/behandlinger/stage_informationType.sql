MODEL (
  name behandlinger.stage_informationType,
  kind FULL,
  grain informationTypeId,
  audits (
    not_null(columns := (informationTypeId, action, time, created, aktivObservasjon, slettet)),
    unique_values(columns := (informationTypeId))
  ),
  description 'Én rad per opplysningstype i Behandlingskatalogen, i gjeldende versjon, også slettede (slettet = sann).',
  column_descriptions (
    informationTypeId = 'Opplysningstypens id (UUID) i Behandlingskatalogen.',
    name = 'Opplysningstypens navn.',
    description = 'Beskrivelse av opplysningstypen (fritekst fra Behandlingskatalogen, som i den opprinnelige modellen).',
    sensitivity = 'Sensitivitetskode (kodeverk SENSITIVITY): POL, SAERLIGE, STRAFF eller IKKE_POL.',
    orgMaster = 'Systemet (kodeverk SYSTEM) som er master for opplysningstypen (het navMaster før juni 2020).',
    categories = 'Kategorier (kodeverk CATEGORY).',
    sources = 'Kilder (kodeverk THIRD_PARTY).',
    productTeams = 'Team-id-er i Teamkatalogen.',
    termId = 'Id-en til begrepet i begrepskatalogen.',
    action = 'Handlingen som lagret gjeldende versjon: CREATE, UPDATE eller DELETE.',
    created = 'Tidspunktet (UTC) for opplysningstypens første revisjonsrad.',
    time = 'Tidspunktet (UTC) gjeldende versjon ble lagret.',
    aktivObservasjon = 'Alltid sann: tabellen har bare gjeldende versjon (siste etter tidspunkt, så lastModifiedDate, så DELETE etter annen handling, så audit_id).',
    slettet = 'Sann når opplysningstypens siste handling er DELETE.'
  )
);

/* Code arrays: the scalars of the JSON array, in order, without JSON nulls, objects and nested
   arrays (@ett_array, docs/decisions.md "One rule on both engines"); [] when there is none. */

WITH information_type_rows AS (
  SELECT entitetId, action, time, created, aktivObservasjon, slettet, data
  FROM behandlinger_int.audit_version
  WHERE tableName = 'INFORMATION_TYPE' AND aktivObservasjon
)

SELECT
  CAST(entitetId AS STRING) AS informationTypeId,
  CAST(COALESCE(JSON_VALUE(data, '$.data.name'), JSON_VALUE(data, '$.name')) AS STRING) AS name,
  CAST(COALESCE(JSON_VALUE(data, '$.data.description'), JSON_VALUE(data, '$.description')) AS STRING) AS description,
  CAST(JSON_VALUE(data, '$.data.sensitivity') AS STRING) AS sensitivity,
  CAST(COALESCE(JSON_VALUE(data, '$.data.orgMaster'), JSON_VALUE(data, '$.data.navMaster')) AS STRING) AS orgMaster,
  CAST(COALESCE(@ett_array(data, 'categories', 'data'), []) AS ARRAY<STRING>) AS categories,
  CAST(COALESCE(@ett_array(data, 'sources', 'data'), []) AS ARRAY<STRING>) AS sources,
  CAST(COALESCE(@ett_array(data, 'productTeams', 'data'), []) AS ARRAY<STRING>) AS productTeams,
  CAST(JSON_VALUE(data, '$.termId') AS STRING) AS termId,
  CAST(action AS STRING) AS action,
  CAST(created AS TIMESTAMP) AS created,
  CAST(time AS TIMESTAMP) AS time,
  CAST(aktivObservasjon AS BOOL) AS aktivObservasjon,
  CAST(slettet AS BOOL) AS slettet
FROM information_type_rows
