MODEL (
  name tiltak_silver.nav_enhet,
  kind FULL,
  grain enhetsnummer,
  audits (not_null(columns := (enhetsnummer, navn, type)), unique_values(columns := (enhetsnummer))),
  description 'Nav-enheter fra Norg2 med type og overordnet fylke. Én rad per enhet.',
  column_descriptions (
    enhetsnummer = 'Firesifret enhetsnummer, f.eks. 0219.',
    navn = 'Enhetens navn, f.eks. Nav Bærum.',
    type = 'Enhetstype i Norg2: LOKAL, FYLKE eller en spesialenhetstype.',
    status = 'Status i Norg2, f.eks. Aktiv eller Nedlagt.',
    overordnet_enhet = 'Enhetsnummeret til overordnet enhet (fylke), om det finnes.',
    er_fylke = 'Sann når enheten er en FYLKE-enhet; en FYLKE-enhet er aldri et kontor.',
    overordnet_fylke = 'Overordnet enhet når den er en FYLKE-enhet i Norg2, ellers tom.'
  )
);

WITH enheter AS (
  SELECT
    @uten_blanke(enhetsnummer) AS enhetsnummer,
    navn,
    UPPER(@uten_blanke(type)) AS type,
    status,
    NULLIF(@uten_blanke(overordnet_enhet), '') AS overordnet_enhet
  FROM tiltak_bronze.nav_enhet
  -- A total order over every column kept (NULLs placed explicitly: the engines' defaults
  -- differ): the CTE is read twice, and BigQuery evaluates each reference anew.
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY @uten_blanke(enhetsnummer)
    ORDER BY navn NULLS LAST, type NULLS LAST, status NULLS LAST, overordnet_enhet NULLS LAST
  ) = 1
)

SELECT
  CAST(e.enhetsnummer AS STRING) AS enhetsnummer,
  CAST(e.navn AS STRING) AS navn,
  CAST(e.type AS STRING) AS type,
  CAST(e.status AS STRING) AS status,
  CAST(e.overordnet_enhet AS STRING) AS overordnet_enhet,
  CAST(e.type = 'FYLKE' AS BOOL) AS er_fylke,
  CAST(CASE WHEN o.type = 'FYLKE' THEN o.enhetsnummer END AS STRING) AS overordnet_fylke
FROM enheter AS e
LEFT JOIN enheter AS o
  ON o.enhetsnummer = e.overordnet_enhet
