MODEL (
  name behandlinger_int.referanseavvik,
  kind FULL,
  grain (tabell, felt, avvik),
  audits (
    not_null(columns := (tabell, felt, avvik, antall, antall_verdier)),
    unique_combination_of_columns(columns := (tabell, felt, avvik))
  ),
  description 'Én rad per publisert tabell, kolonne og type avvik når kildene til Behandlingskatalogen peker på noe revisjonsloggen aldri viser (en opplysningstype, behandling eller databehandler), mangler en referanse, eller bruker en kode som ikke finnes eller er slettet i kodeverket. Bare avvik som forekommer. Radene publiseres som de er (CONTRACT §6: et kildeproblem stopper aldri publiseringen); tabellen publiseres ikke, men skrives ut som advarselen «Kildeendringer» av metrikk run.',
  column_descriptions (
    tabell = 'Den publiserte tabellen avviket står i, f.eks. behandlinger.stage_policy.',
    felt = 'Kolonnen som har referansen eller koden.',
    avvik = 'Hva som er galt, som en setning etter «N rader …», f.eks. «peker på en opplysningstype revisjonsloggen ikke viser».',
    antall = 'Antall rader i tabellen med avviket.',
    antall_verdier = 'Antall ulike verdier (id-er eller koder) med avviket.',
    eksempel = 'Den minste av verdiene (en id eller kode), til hjelp for den som skal rette kilden; tom når verdien mangler.'
  )
);

/* Checks that used to be blocking audits (policy_information_type_exists, the behandling side of
   the bridge, dataprocessor_exists) look at the source, not at metrikk's logic: polly's audit
   log starts in Dec 2019, so an entity created before and never saved since has no row. They are
   counted here instead and printed by `metrikk run` (metrikk.drift), the way tiltak reports
   unknown values. Unknown and deleted codes are counted the same way. */
WITH informasjonstyper AS (
  SELECT informationTypeId FROM behandlinger.stage_informationType
),

behandlinger AS (
  SELECT DISTINCT behandlingId FROM behandlinger.stage_behandlinger
),

kodeverk AS (
  SELECT list, code, slettet FROM behandlinger_int.codelist
),

funn AS (
  SELECT
    'behandlinger.stage_policy' AS tabell,
    'informationTypeId' AS felt,
    'mangler informationTypeId' AS avvik,
    CAST(NULL AS STRING) AS verdi
  FROM behandlinger.stage_policy AS p
  WHERE p.informationTypeId IS NULL
  UNION ALL
  SELECT
    'behandlinger.stage_policy',
    'informationTypeId',
    'peker på en opplysningstype revisjonsloggen ikke viser',
    p.informationTypeId
  FROM behandlinger.stage_policy AS p
  LEFT JOIN informasjonstyper AS i
    ON i.informationTypeId = p.informationTypeId
  WHERE p.informationTypeId IS NOT NULL AND i.informationTypeId IS NULL
  UNION ALL
  SELECT
    'behandlinger.stage_bridge_policy_behandling',
    'behandlingId',
    'peker på en behandling revisjonsloggen ikke viser',
    br.behandlingId
  FROM behandlinger.stage_bridge_policy_behandling AS br
  LEFT JOIN behandlinger AS b
    ON b.behandlingId = br.behandlingId
  WHERE b.behandlingId IS NULL
  UNION ALL
  SELECT
    'behandlinger.stage_dataprocessors',
    'dataprocessorId',
    'peker på en databehandler revisjonsloggen ikke viser',
    d.dataprocessorId
  FROM behandlinger.stage_dataprocessors AS d
  LEFT JOIN behandlinger_int.processor AS p
    ON p.dataprocessorId = d.dataprocessorId
  WHERE p.dataprocessorId IS NULL
  UNION ALL
  SELECT
    'behandlinger.stage_systems',
    'code',
    IF(s.kodeSlettet, 'bruker en kode som er slettet fra kodeverket SYSTEM', 'bruker en kode som ikke finnes i kodeverket SYSTEM'),
    s.code
  FROM behandlinger.stage_systems AS s
  WHERE NOT s.kjentKode
  UNION ALL
  SELECT
    'behandlinger.stage_behandlingsgrunnlag',
    'gdpr',
    IF(k.slettet, 'bruker en kode som er slettet fra kodeverket GDPR_ARTICLE', 'bruker en kode som ikke finnes i kodeverket GDPR_ARTICLE'),
    g.gdpr
  FROM behandlinger.stage_behandlingsgrunnlag AS g
  LEFT JOIN kodeverk AS k
    ON k.list = 'GDPR_ARTICLE' AND k.code = g.gdpr
  WHERE g.gdpr IS NOT NULL AND (k.code IS NULL OR k.slettet)
  UNION ALL
  SELECT
    'behandlinger.stage_behandlingsgrunnlag',
    'nationalLaw',
    IF(k.slettet, 'bruker en kode som er slettet fra kodeverket NATIONAL_LAW', 'bruker en kode som ikke finnes i kodeverket NATIONAL_LAW'),
    g.nationalLaw
  FROM behandlinger.stage_behandlingsgrunnlag AS g
  LEFT JOIN kodeverk AS k
    ON k.list = 'NATIONAL_LAW' AND k.code = g.nationalLaw
  WHERE g.nationalLaw IS NOT NULL AND (k.code IS NULL OR k.slettet)
)

SELECT
  CAST(tabell AS STRING) AS tabell,
  CAST(felt AS STRING) AS felt,
  CAST(avvik AS STRING) AS avvik,
  CAST(COUNT(*) AS INT64) AS antall,
  CAST(COUNT(DISTINCT verdi) AS INT64) AS antall_verdier,
  CAST(MIN(verdi) AS STRING) AS eksempel
FROM funn
GROUP BY tabell, felt, avvik
