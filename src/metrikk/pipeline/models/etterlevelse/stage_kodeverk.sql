MODEL (
  name etterlevelse.stage_kodeverk,
  kind FULL,
  cron '@daily',
  grain (liste, kode),
  audits (
    not_null(columns := (liste, kode)),
    unique_combination_of_columns(columns := (liste, kode))
  ),
  description 'Én rad per kode i kodeverkene til Støtte til etterlevelse (AVDELING, UNDERAVDELING, TEMA, LOV, RELEVANS og de andre), med kodens korte navn, så leserne kan vise koder med navn. Kodenes lange beskrivelser publiseres ikke.',
  column_descriptions (
    liste = 'Kodeverket koden hører til, f.eks. AVDELING.',
    kode = 'Koden slik appen lagrer den i dokumenter og krav.',
    navn = 'Kodens korte navn (shortName) i gjeldende kodeverk.'
  )
);

SELECT
  CAST(list AS STRING) AS liste,
  CAST(code AS STRING) AS kode,
  CAST(short_name AS STRING) AS navn
FROM landing_zone.etterlevelse_codelist
QUALIFY ROW_NUMBER() OVER (PARTITION BY list, code ORDER BY short_name) = 1
