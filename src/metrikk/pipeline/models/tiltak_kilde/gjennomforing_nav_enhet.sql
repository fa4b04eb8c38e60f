MODEL (
  name tiltak_kilde.gjennomforing_nav_enhet,
  kind VIEW,
  grain (gjennomforing_id, enhetsnummer),
  description 'Én rad per gjennomføring og Nav-enhet fra Valp (gjennomforing_nav_enhet_view), i kontraktens form (tiltak_bronze.gjennomforing_nav_enhet): både Nav-regionene (FYLKE, f.eks. 0600) og Nav-kontorene (LOKAL, f.eks. 0219) gjennomføringen er knyttet til.',
  column_descriptions (
    gjennomforing_id = 'Gjennomføringens id i Valp.',
    enhetsnummer = 'Firesifret enhetsnummer i Norg2.'
  )
);

SELECT
  CAST(@trimmet(gjennomforing_id) AS STRING) AS gjennomforing_id,
  CAST(@trimmet(enhetsnummer) AS STRING) AS enhetsnummer
FROM @kilde('valp', 'gjennomforing_nav_enhet_view')
