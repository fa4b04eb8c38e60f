MODEL (
  name etterlevelse.stage_krav,
  kind FULL,
  cron '@daily',
  grain (kravNummer, kravVersjon, regelverk),
  audits (
    not_null(columns := (kravNummer, kravVersjon, aktivRad)),
    unique_combination_of_columns(columns := (kravNummer, kravVersjon, regelverk)),
    etterlevelse_en_aktiv_rad(columns := (kravNummer), version_column := kravVersjon)
  ),
  description 'Én rad per kravversjon og lov i regelverket (krav uten regelverk får én rad uten lov), fra gjeldende kravtabell med alle statuser. Tema og underavdeling kommer fra LOV-kodeverket, slik appen utleder tema.',
  column_descriptions (
    kravNummer = 'Kravnummer (vises som K<nr>).',
    kravVersjon = 'Kravversjon.',
    kravId = 'Kravversjonens id.',
    status = 'Kravversjonens status: UTKAST, AKTIV eller UTGAATT.',
    aktivRad = 'Sann på rader for kravnummerets gjeldende versjon: høyeste AKTIV-versjon, ellers høyeste versjon.',
    regelverk = 'LOV-koden i kravets regelverk.',
    tema = 'TEMA-koden loven hører til (LOV-kodeverkets data.tema).',
    temaNavn = 'Temaets korte navn fra TEMA-kodeverket.',
    underavdeling = 'Underavdelingen loven hører til (LOV-kodeverkets data.underavdeling).',
    relevansFor = 'RELEVANS-koder kravet gjelder for; tom liste betyr alle dokumenter.',
    antallSuksesskriterier = 'Antall suksesskriterier i kravversjonen.'
  )
);

WITH krav AS (
  SELECT id, krav_nummer, krav_versjon, UPPER(status) AS status, data
  FROM landing_zone.etterlevelse_krav
),

kodeverk AS (
  SELECT list, code, short_name, data FROM landing_zone.etterlevelse_codelist
),

lov AS (
  SELECT
    code AS regelverk,
    @ett_value(data, 'tema', '', 'data') AS tema,
    @ett_value(data, 'underavdeling', '', 'data') AS underavdeling
  FROM kodeverk
  WHERE list = 'LOV'
  QUALIFY ROW_NUMBER() OVER (PARTITION BY code ORDER BY short_name) = 1
),

tema AS (
  SELECT code AS tema, short_name AS temaNavn
  FROM kodeverk
  WHERE list = 'TEMA'
  QUALIFY ROW_NUMBER() OVER (PARTITION BY code ORDER BY short_name) = 1
),

per_lov AS (
  SELECT
    k.id,
    k.krav_nummer,
    k.krav_versjon,
    CASE WHEN k.status = 'UNDER_ARBEID' THEN 'UTKAST' ELSE k.status END AS status,
    COALESCE(@ett_array(k.data, 'relevansFor', '', 'data'), []) AS relevansFor,
    COALESCE(ARRAY_LENGTH(@ett_objects(k.data, 'suksesskriterier', '', 'data')), 0) AS antallSuksesskriterier,
    JSON_VALUE(r, '$.lov') AS regelverk
  FROM krav AS k
  LEFT JOIN UNNEST(@ett_objects(k.data, 'regelverk', '', 'data')) AS r
),

distinkt AS (
  SELECT *
  FROM per_lov
  WHERE krav_nummer IS NOT NULL -- BigQuery wants a WHERE beside QUALIFY
  QUALIFY ROW_NUMBER() OVER (PARTITION BY krav_nummer, krav_versjon, regelverk ORDER BY id) = 1
),

gjeldende AS (
  SELECT
    krav_nummer,
    krav_versjon,
    ROW_NUMBER() OVER (
      PARTITION BY krav_nummer ORDER BY status = 'AKTIV' DESC, krav_versjon DESC
    ) = 1 AS aktivRad
  FROM (SELECT DISTINCT krav_nummer, krav_versjon, status FROM distinkt)
)

SELECT
  CAST(d.krav_nummer AS INT64) AS kravNummer,
  CAST(d.krav_versjon AS INT64) AS kravVersjon,
  CAST(d.id AS STRING) AS kravId,
  CAST(d.status AS STRING) AS status,
  CAST(g.aktivRad AS BOOL) AS aktivRad,
  CAST(d.regelverk AS STRING) AS regelverk,
  CAST(l.tema AS STRING) AS tema,
  CAST(t.temaNavn AS STRING) AS temaNavn,
  CAST(l.underavdeling AS STRING) AS underavdeling,
  CAST(d.relevansFor AS ARRAY<STRING>) AS relevansFor,
  CAST(d.antallSuksesskriterier AS INT64) AS antallSuksesskriterier
FROM distinkt AS d
INNER JOIN gjeldende AS g
  ON g.krav_nummer = d.krav_nummer AND g.krav_versjon = d.krav_versjon
LEFT JOIN lov AS l
  ON l.regelverk = d.regelverk
LEFT JOIN tema AS t
  ON t.tema = l.tema
