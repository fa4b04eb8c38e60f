MODEL (
  name tiltak_silver.gjennomforing_lokal_enhet,
  kind FULL,
  grain (gjennomforing_id, enhetsnummer),
  audits (
    not_null(columns := (gjennomforing_id, enhetsnummer)),
    unique_combination_of_columns(columns := (gjennomforing_id, enhetsnummer))
  ),
  description 'Én rad per gjennomføring og LOKAL Nav-enhet den er knyttet til. FYLKE-enheter (f.eks. 0600 Nav Vest-Viken) og enheter som ikke finnes i Norg2 er utelatt.',
  column_descriptions (
    gjennomforing_id = 'Gjennomføringens id i Valp.',
    enhetsnummer = 'Enhetsnummeret til et LOKAL Nav-kontor gjennomføringen er knyttet til, f.eks. 0219.'
  )
);

WITH gjennomforing_enheter AS (
  SELECT DISTINCT
    @uten_blanke(gjennomforing_id) AS gjennomforing_id,
    @uten_blanke(enhetsnummer) AS enhetsnummer
  FROM tiltak_bronze.gjennomforing_nav_enhet
)

SELECT
  CAST(ge.gjennomforing_id AS STRING) AS gjennomforing_id,
  CAST(ge.enhetsnummer AS STRING) AS enhetsnummer
FROM gjennomforing_enheter AS ge
JOIN tiltak_silver.nav_enhet AS ne
  ON ne.enhetsnummer = ge.enhetsnummer
WHERE ne.type = 'LOKAL'
