MODEL (
  name behandlinger.stage_behandlingsgrunnlag,
  kind FULL,
  grain (behandlingId, legalBasisNr),
  audits (
    not_null(columns := (behandlingId, legalBasisNr)),
    unique_combination_of_columns(columns := (behandlingId, legalBasisNr))
  ),
  description 'Én rad per behandling og behandlingsgrunnlag (GDPR-artikkel og nasjonal lov), fra gjeldende versjon av behandlinger som ikke er slettet.',
  column_descriptions (
    behandlingId = 'Behandlingen grunnlaget hører til; kobles til stage_behandlinger.',
    legalBasisNr = 'Grunnlagets plass i behandlingens liste, fra 1.',
    gdpr = 'GDPR-artikkel (kodeverk GDPR_ARTICLE), f.eks. ART61C eller ART92B.',
    shortNameGDPR = 'Kortnavnet til GDPR-artikkelen, f.eks. «Art. 6(1)c - Rettslig forpliktelse».',
    descriptionGDPR = 'Beskrivelsen av GDPR-artikkelen i kodeverket.',
    gdprArtikkel = 'Artikkelen koden hører til: Art. 6 (ART6x) eller Art. 9 (ART9x, særlige kategorier); null for andre koder.',
    nationalLaw = 'Nasjonal lov (kodeverk NATIONAL_LAW), f.eks. FTRL.',
    shortNameNationalLaw = 'Kortnavnet til loven i kodeverket.',
    descriptionNationalLaw = 'Beskrivelsen av loven i kodeverket.',
    descriptionUserNationalLaw = 'Henvisningen til bestemmelsen i loven slik brukeren skrev den (som i den opprinnelige modellen).',
    time = 'Tidspunktet (UTC) gjeldende behandlingsversjon ble lagret.'
  )
);

/* Codelist joins use (list, code): a code alone is not unique across lists (fault of the old job). */
WITH current_behandlinger AS (
  SELECT behandlingId, time, data
  FROM behandlinger_int.process_version
  WHERE aktivObservasjon AND NOT slettet
),

codelist AS (
  SELECT list, code, shortName, description
  FROM behandlinger_int.codelist
),

legal_bases AS (
  SELECT
    b.behandlingId,
    b.time,
    ROW_NUMBER() OVER (PARTITION BY b.behandlingId ORDER BY lb_offset) AS legal_basis_nr,
    JSON_VALUE(lb, '$.gdpr') AS gdpr,
    JSON_VALUE(lb, '$.nationalLaw') AS national_law,
    JSON_VALUE(lb, '$.description') AS description
  FROM current_behandlinger AS b
  CROSS JOIN UNNEST(@ett_objects(b.data, 'legalBases', 'data')) AS lb WITH OFFSET AS lb_offset
  WHERE lb IS NOT NULL
)

SELECT
  CAST(lb.behandlingId AS STRING) AS behandlingId,
  CAST(lb.legal_basis_nr AS INT64) AS legalBasisNr,
  CAST(lb.gdpr AS STRING) AS gdpr,
  CAST(g.shortName AS STRING) AS shortNameGDPR,
  CAST(g.description AS STRING) AS descriptionGDPR,
  CAST(
    CASE
      WHEN STARTS_WITH(lb.gdpr, 'ART6') THEN 'Art. 6'
      WHEN STARTS_WITH(lb.gdpr, 'ART9') THEN 'Art. 9'
    END AS STRING
  ) AS gdprArtikkel,
  CAST(lb.national_law AS STRING) AS nationalLaw,
  CAST(n.shortName AS STRING) AS shortNameNationalLaw,
  CAST(n.description AS STRING) AS descriptionNationalLaw,
  CAST(lb.description AS STRING) AS descriptionUserNationalLaw,
  CAST(lb.time AS TIMESTAMP) AS time
FROM legal_bases AS lb
LEFT JOIN codelist AS g
  ON g.list = 'GDPR_ARTICLE' AND g.code = lb.gdpr
LEFT JOIN codelist AS n
  ON n.list = 'NATIONAL_LAW' AND n.code = lb.national_law
