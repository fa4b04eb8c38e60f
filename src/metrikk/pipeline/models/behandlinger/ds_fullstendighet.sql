MODEL (
  name behandlinger.ds_fullstendighet,
  kind FULL,
  cron '@daily',
  grain (uke_start, avdeling, seksjon, indikator),
  audits (
    not_null(columns := (aar, uke, uke_start, avdeling, avdelingNavn, seksjon, seksjonNavn, indikator, antallBehandlinger, antallMangler)),
    unique_combination_of_columns(columns := (uke_start, avdeling, seksjon, indikator))
  ),
  description 'Én rad per ISO-uke, avdeling, seksjon og indikator: fullstendigheten i Behandlingskatalogen uke for uke, med antall aktive behandlinger ved ukens slutt og hvor mange av dem som mangler det indikatoren måler. Bygget fra revisjonsloggen, så hver uke viser behandlingene slik de var lagret da uken var slutt. Bare uker som er slutt på referansedatoen, og bare avdeling og seksjon med minst én aktiv behandling.',
  column_descriptions (
    aar = 'ISO-år.',
    uke = 'ISO-uke.',
    uke_start = 'Mandagen i uken (Europe/Oslo).',
    avdeling = 'Avdelingen i behandlingens versjon ved ukens slutt: koden i kodeverk DEPARTMENT, ellers NOM-id-en (fra juli 2025), ellers UKJENT (egen gruppe, telt med i totalene).',
    avdelingNavn = 'Ett navn per avdeling: kortnavnet i kodeverket DEPARTMENT, ellers det siste NOM-navnet revisjonsloggen viser for avdelingen, ellers koden; «Uten avdeling» for UKJENT.',
    seksjon = 'Den første NOM-seksjonen behandlingen er knyttet til ved ukens slutt (seksjoner finnes fra november 2025), ellers UKJENT. Hver behandling telles i nøyaktig én seksjon, så seksjonene summerer til avdelingen.',
    seksjonNavn = 'Det siste navnet revisjonsloggen viser for seksjonen; «Uten seksjon» for UKJENT.',
    indikator = 'Hva som telles som mangel: ART6_MANGLER, ART9_MANGLER, GRUNNLAG_UAVKLART, DPIA_UKJENT, LAGRINGSPLAN_MANGLER, DATABEHANDLER_UTEN_AVTALE, PROFILERING_UKJENT, AUTOMATISERING_UKJENT, KI_UKJENT (reglene står i docs/behandlinger.md).',
    antallBehandlinger = 'Aktive behandlinger ved ukens slutt: ikke slettet, og perioden (start–slutt) omfatter ukens søndag; alle statuser. Samme tall for alle indikatorer i uke, avdeling og seksjon.',
    antallMangler = 'Hvor mange av de aktive behandlingene som mangler det indikatoren måler, i versjonen ved ukens slutt.'
  )
);

/* Completeness per ISO week × avdeling × seksjon × indikator, from polly's audit log.

   The state "at the end of week W" of every entity (PROCESS, POLICY, INFORMATION_TYPE,
   PROCESSOR) is the version current at the instant Monday 00:00 Europe/Oslo after W: the
   latest by CONTRACT §6's order (@eldste_forst: time, lastModifiedDate, DELETE last, audit_id)
   whose time is before that instant. Each version gets the time of the next version in that
   order (`gyldigTil`); it is the state at instant X when time < X <= gyldigTil (or no next
   version). Versions tied on time get gyldigTil = time and are never the state at any instant,
   the same rule as aktivObservasjon. A DELETE version means the entity does not exist.

   The rules of the indicators follow the app (navikt/polly AlertService and DashboardController), and
   docs/behandlinger.md, "ds_fullstendighet", writes them out. */
WITH referanse AS (
  SELECT DATE_SUB(CAST(@execution_ds AS DATE), INTERVAL 1 DAY) AS as_of
),

versjon_rekkefolge AS (
  SELECT
    auditId,
    tableName,
    entitetId,
    action,
    time,
    LEAD(time) OVER (
      PARTITION BY tableName, entitetId
      ORDER BY @eldste_forst(time, NULL, lastModifiedDate, action, auditId)
    ) AS gyldigTil
  FROM behandlinger_int.audit_version
  WHERE tableName IN ('PROCESS', 'POLICY', 'INFORMATION_TYPE', 'PROCESSOR')
),

uker AS (
  SELECT
    uke_start,
    DATE_ADD(uke_start, INTERVAL 6 DAY) AS sondag,
    TIMESTAMP(DATE_ADD(uke_start, INTERVAL 7 DAY), 'Europe/Oslo') AS slutt
  FROM (
    SELECT
      DATE_TRUNC(DATE(MIN(v.time), 'Europe/Oslo'), WEEK(MONDAY)) AS forste,
      DATE_SUB(DATE_TRUNC(DATE_ADD(MAX(r.as_of), INTERVAL 1 DAY), WEEK(MONDAY)), INTERVAL 7 DAY) AS siste
    FROM versjon_rekkefolge AS v
    CROSS JOIN referanse AS r
    WHERE v.tableName = 'PROCESS'
  ) AS spenn
  CROSS JOIN UNNEST(GENERATE_DATE_ARRAY(spenn.forste, spenn.siste, INTERVAL 7 DAY)) AS uke_start
),

/* The live (non-DELETE) version of each entity at each week's end. */
ved_ukeslutt AS (
  SELECT u.uke_start, u.sondag, v.tableName, v.entitetId, v.auditId
  FROM versjon_rekkefolge AS v
  INNER JOIN uker AS u
    ON v.time < u.slutt AND (v.gyldigTil IS NULL OR v.gyldigTil >= u.slutt)
  WHERE v.action <> 'DELETE'
),

/* Own legal bases of a PROCESS or POLICY version (a policy before 2020-01-21 has them at the root). */
grunnlag AS (
  SELECT a.auditId, JSON_VALUE(lb, '$.gdpr') AS gdpr
  FROM behandlinger_int.audit_version AS a
  CROSS JOIN UNNEST(@ett_objects(a.data, 'legalBases', 'data', '')) AS lb
  WHERE a.tableName IN ('PROCESS', 'POLICY')
),

grunnlag_per_versjon AS (
  SELECT
    auditId,
    LOGICAL_OR(STARTS_WITH(gdpr, 'ART6')) AS harArt6,
    LOGICAL_OR(STARTS_WITH(gdpr, 'ART9')) AS harArt9
  FROM grunnlag
  WHERE gdpr IS NOT NULL
  GROUP BY auditId
),

prosess_versjon AS (
  SELECT
    p.auditId,
    COALESCE(p.department, p.nomDepartmentId, 'UKJENT') AS avdeling,
    COALESCE(p.seksjoner[SAFE_OFFSET(0)], 'UKJENT') AS seksjon,
    p.start,
    p.`end`,
    COALESCE(g.harArt6, FALSE) AS harArt6,
    COALESCE(g.harArt9, FALSE) AS harArt9,
    p.needForDpia,
    p.retentionPlan,
    p.profiling,
    p.automaticProcessing,
    @sannhet(JSON_VALUE(p.data, '$.data.aiUsageDescription.aiUsage')) AS aiUsage,
    p.dataProcessor,
    ARRAY_LENGTH(p.processorIds) AS antallProcessorIds,
    p.legacyDataProcessorAgreements
  FROM behandlinger_int.process_version AS p
  LEFT JOIN grunnlag_per_versjon AS g
    ON g.auditId = p.auditId
),

behandling_uke AS (
  SELECT
    w.uke_start,
    w.entitetId AS behandlingId,
    pv.*
  FROM ved_ukeslutt AS w
  INNER JOIN prosess_versjon AS pv
    ON pv.auditId = w.auditId
  WHERE w.tableName = 'PROCESS'
    AND (pv.start IS NULL OR pv.start <= w.sondag)
    AND (pv.`end` IS NULL OR pv.`end` >= w.sondag)
),

/* The PROCESSOR ids of each process version, one row each. */
prosess_processor AS (
  SELECT DISTINCT p.auditId, processor_id
  FROM behandlinger_int.process_version AS p
  CROSS JOIN UNNEST(p.processorIds) AS processor_id
),

/* Policies at a week's end with the sensitivity of their information type at that week's end:
   AlertService.checkPolicy. The JSON is read once per version, then joined to the weeks. */
policy_versjon AS (
  SELECT
    a.auditId,
    CAST(COALESCE(JSON_VALUE(a.data, '$.process.id'), JSON_VALUE(a.data, '$.processId')) AS STRING) AS behandlingId,
    CAST(COALESCE(
      JSON_VALUE(a.data, '$.informationTypeId'), JSON_VALUE(a.data, '$.informationType.id')
    ) AS STRING) AS informationTypeId,
    COALESCE(JSON_VALUE(a.data, '$.data.legalBasesUse'), '') AS legalBasesUse,
    COALESCE(g.harArt6, FALSE) AS harArt6,
    COALESCE(g.harArt9, FALSE) AS harArt9
  FROM behandlinger_int.audit_version AS a
  LEFT JOIN grunnlag_per_versjon AS g
    ON g.auditId = a.auditId
  WHERE a.tableName = 'POLICY'
),

policy_uke AS (
  SELECT w.uke_start, pv.behandlingId, pv.informationTypeId, pv.legalBasesUse, pv.harArt6, pv.harArt9
  FROM ved_ukeslutt AS w
  INNER JOIN policy_versjon AS pv
    ON pv.auditId = w.auditId
  WHERE w.tableName = 'POLICY'
),

sensitivitet_versjon AS (
  SELECT auditId, JSON_VALUE(data, '$.data.sensitivity') AS sensitivity
  FROM behandlinger_int.audit_version
  WHERE tableName = 'INFORMATION_TYPE'
),

sensitivitet_uke AS (
  SELECT w.uke_start, w.entitetId AS informationTypeId, sv.sensitivity
  FROM ved_ukeslutt AS w
  INNER JOIN sensitivitet_versjon AS sv
    ON sv.auditId = w.auditId
  WHERE w.tableName = 'INFORMATION_TYPE'
),

policy_krav AS (
  SELECT
    pu.uke_start,
    pu.behandlingId,
    LOGICAL_OR(pu.legalBasesUse NOT IN ('UNRESOLVED', 'EXCESS_INFO') AND NOT pu.harArt6) AS trengerArt6,
    LOGICAL_OR(
      pu.legalBasesUse NOT IN ('UNRESOLVED', 'EXCESS_INFO') AND NOT pu.harArt9
      AND COALESCE(s.sensitivity, '') = 'SAERLIGE'
    ) AS trengerArt9,
    LOGICAL_OR(pu.legalBasesUse = 'UNRESOLVED') AS uavklart
  FROM policy_uke AS pu
  LEFT JOIN sensitivitet_uke AS s
    ON s.uke_start = pu.uke_start AND s.informationTypeId = pu.informationTypeId
  WHERE pu.behandlingId IS NOT NULL
  GROUP BY pu.uke_start, pu.behandlingId
),

/* A processor has an agreement when its version at the week's end names a contract. */
avtale_versjon AS (
  SELECT auditId, COALESCE(@uten_blanke(JSON_VALUE(data, '$.data.contract')), '') <> '' AS harAvtale
  FROM behandlinger_int.audit_version
  WHERE tableName = 'PROCESSOR'
),

avtale_uke AS (
  SELECT w.uke_start, w.entitetId AS dataprocessorId, av.harAvtale
  FROM ved_ukeslutt AS w
  INNER JOIN avtale_versjon AS av
    ON av.auditId = w.auditId
  WHERE w.tableName = 'PROCESSOR'
),

databehandler_uten_avtale AS (
  SELECT b.uke_start, b.behandlingId, LOGICAL_OR(NOT COALESCE(av.harAvtale, FALSE)) AS utenAvtale
  FROM behandling_uke AS b
  INNER JOIN prosess_processor AS pp
    ON pp.auditId = b.auditId
  LEFT JOIN avtale_uke AS av
    ON av.uke_start = b.uke_start AND av.dataprocessorId = pp.processor_id
  GROUP BY b.uke_start, b.behandlingId
),

flagg AS (
  SELECT
    b.uke_start,
    b.avdeling,
    b.seksjon,
    COALESCE(pk.trengerArt6, FALSE) AND NOT b.harArt6 AS art6,
    COALESCE(pk.trengerArt9, FALSE) AND NOT b.harArt9 AS art9,
    COALESCE(pk.uavklart, FALSE) AS uavklart,
    b.needForDpia IS NULL AS dpia,
    NOT COALESCE(b.retentionPlan, FALSE) AS lagring,
    COALESCE(b.dataProcessor, FALSE) AND (
      CASE
        WHEN COALESCE(b.antallProcessorIds, 0) > 0 THEN COALESCE(du.utenAvtale, TRUE)
        ELSE COALESCE(b.legacyDataProcessorAgreements, 0) = 0
      END
    ) AS databehandler,
    b.profiling IS NULL AS profilering,
    b.automaticProcessing IS NULL AS automatisering,
    b.aiUsage IS NULL AS ki
  FROM behandling_uke AS b
  LEFT JOIN policy_krav AS pk
    ON pk.uke_start = b.uke_start AND pk.behandlingId = b.behandlingId
  LEFT JOIN databehandler_uten_avtale AS du
    ON du.uke_start = b.uke_start AND du.behandlingId = b.behandlingId
),

per_gruppe AS (
  SELECT
    uke_start,
    avdeling,
    seksjon,
    COUNT(*) AS antall,
    COUNTIF(art6) AS art6,
    COUNTIF(art9) AS art9,
    COUNTIF(uavklart) AS uavklart,
    COUNTIF(dpia) AS dpia,
    COUNTIF(lagring) AS lagring,
    COUNTIF(databehandler) AS databehandler,
    COUNTIF(profilering) AS profilering,
    COUNTIF(automatisering) AS automatisering,
    COUNTIF(ki) AS ki
  FROM flagg
  GROUP BY uke_start, avdeling, seksjon
),

indikatorer AS (
  SELECT uke_start, avdeling, seksjon, antall, 'ART6_MANGLER' AS indikator, art6 AS mangler FROM per_gruppe
  UNION ALL
  SELECT uke_start, avdeling, seksjon, antall, 'ART9_MANGLER', art9 FROM per_gruppe
  UNION ALL
  SELECT uke_start, avdeling, seksjon, antall, 'GRUNNLAG_UAVKLART', uavklart FROM per_gruppe
  UNION ALL
  SELECT uke_start, avdeling, seksjon, antall, 'DPIA_UKJENT', dpia FROM per_gruppe
  UNION ALL
  SELECT uke_start, avdeling, seksjon, antall, 'LAGRINGSPLAN_MANGLER', lagring FROM per_gruppe
  UNION ALL
  SELECT uke_start, avdeling, seksjon, antall, 'DATABEHANDLER_UTEN_AVTALE', databehandler FROM per_gruppe
  UNION ALL
  SELECT uke_start, avdeling, seksjon, antall, 'PROFILERING_UKJENT', profilering FROM per_gruppe
  UNION ALL
  SELECT uke_start, avdeling, seksjon, antall, 'AUTOMATISERING_UKJENT', automatisering FROM per_gruppe
  UNION ALL
  SELECT uke_start, avdeling, seksjon, antall, 'KI_UKJENT', ki FROM per_gruppe
),

/* One name per avdeling and seksjon, whatever the version a week shows. */
avdeling_navn AS (
  SELECT avdeling, navn
  FROM (
    SELECT
      COALESCE(department, nomDepartmentId) AS avdeling,
      nomDepartmentName AS navn,
      ROW_NUMBER() OVER (PARTITION BY COALESCE(department, nomDepartmentId) ORDER BY time DESC, auditId DESC) AS nr
    FROM behandlinger_int.process_version
    WHERE nomDepartmentName IS NOT NULL AND COALESCE(department, nomDepartmentId) IS NOT NULL
  ) AS n
  WHERE nr = 1
),

seksjon_navn AS (
  SELECT seksjon, navn
  FROM (
    SELECT seksjon, navn, ROW_NUMBER() OVER (PARTITION BY seksjon ORDER BY time DESC, auditId DESC) AS nr
    FROM (
      SELECT
        JSON_VALUE(s, '$.nomSeksjonId') AS seksjon,
        JSON_VALUE(s, '$.nomSeksjonName') AS navn,
        p.time,
        p.auditId
      FROM behandlinger_int.process_version AS p
      CROSS JOIN UNNEST(@ett_objects(p.data, 'seksjoner', 'data.affiliation')) AS s
    ) AS e
    WHERE seksjon IS NOT NULL AND navn IS NOT NULL
  ) AS n
  WHERE nr = 1
),

department_kode AS (
  SELECT code, shortName
  FROM behandlinger_int.codelist
  WHERE list = 'DEPARTMENT' AND shortName IS NOT NULL
)

SELECT
  CAST(EXTRACT(YEAR FROM DATE_ADD(i.uke_start, INTERVAL 3 DAY)) AS INT64) AS aar,
  @iso_uke(i.uke_start) AS uke,
  CAST(i.uke_start AS DATE) AS uke_start,
  CAST(i.avdeling AS STRING) AS avdeling,
  CAST(
    CASE WHEN i.avdeling = 'UKJENT' THEN 'Uten avdeling' ELSE COALESCE(dk.shortName, an.navn, i.avdeling) END
    AS STRING
  ) AS avdelingNavn,
  CAST(i.seksjon AS STRING) AS seksjon,
  CAST(CASE WHEN i.seksjon = 'UKJENT' THEN 'Uten seksjon' ELSE COALESCE(sn.navn, i.seksjon) END AS STRING) AS seksjonNavn,
  CAST(i.indikator AS STRING) AS indikator,
  CAST(i.antall AS INT64) AS antallBehandlinger,
  CAST(i.mangler AS INT64) AS antallMangler
FROM indikatorer AS i
LEFT JOIN department_kode AS dk
  ON dk.code = i.avdeling
LEFT JOIN avdeling_navn AS an
  ON an.avdeling = i.avdeling
LEFT JOIN seksjon_navn AS sn
  ON sn.seksjon = i.seksjon
