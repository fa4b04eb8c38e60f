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
    er_fylke = 'Sann når enheten er en FYLKE-enhet; en FYLKE-enhet er aldri et kontor.'
  )
);

SELECT
  CAST(TRIM(enhetsnummer) AS STRING) AS enhetsnummer,
  CAST(navn AS STRING) AS navn,
  CAST(UPPER(type) AS STRING) AS type,
  CAST(status AS STRING) AS status,
  CAST(NULLIF(TRIM(overordnet_enhet), '') AS STRING) AS overordnet_enhet,
  CAST(UPPER(type) = 'FYLKE' AS BOOL) AS er_fylke
FROM tiltak_bronze.nav_enhet
QUALIFY ROW_NUMBER() OVER (PARTITION BY TRIM(enhetsnummer) ORDER BY navn) = 1
