MODEL (
  name tiltak_kilde.nav_enhet,
  kind VIEW,
  grain enhetsnummer,
  description 'Én rad per Nav-enhet fra Norg2 (organisering, hentet av metrikk ingest norg2 til kilde_norg2.enhet), i kontraktens form (tiltak_bronze.nav_enhet), fra siste henting.',
  column_descriptions (
    enhetsnummer = 'Firesifret enhetsnummer (enhetNr), f.eks. 0219.',
    navn = 'Enhetens navn, f.eks. Nav Bærum.',
    type = 'Enhetstype i Norg2: LOKAL, FYLKE eller en spesialenhetstype.',
    status = 'Status i Norg2 slik den står der: Aktiv, Under etablering, Under avvikling eller Nedlagt.',
    overordnet_enhet = 'Enhetsnummeret til overordnet enhet (overordnetEnhet), om den finnes.'
  )
);

SELECT
  CAST(@trimmet(enhet_nr) AS STRING) AS enhetsnummer,
  CAST(@trimmet(navn) AS STRING) AS navn,
  CAST(@trimmet(type) AS STRING) AS type,
  CAST(@trimmet(status) AS STRING) AS status,
  CAST(@trimmet(overordnet_enhet) AS STRING) AS overordnet_enhet
FROM @kilde('norg2', 'enhet')
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY @trimmet(enhet_nr)
  ORDER BY hentet_tidspunkt DESC, enhet_id DESC
) = 1
