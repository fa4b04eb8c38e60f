MODEL (
  name tiltak_kilde.veiledergruppe_snapshot,
  kind VIEW,
  grain (snapshot_dato, enhetsnummer, gruppe_id, veileder_ident),
  description 'Én rad per medlem av en veiledergruppe per dag, fra metrikks egne øyeblikksbilder av veilarbfilter (metrikk ingest veiledergrupper, kilde_veilarbfilter.veiledergruppe_snapshot), i kontraktens form (tiltak_bronze.veiledergruppe_snapshot) med veilederens Nav-ident byttet ut med et pseudonym som er det samme som i tiltak_kilde.veileder_tilordning.',
  column_descriptions (
    snapshot_dato = 'Dagen øyeblikksbildet ble tatt.',
    enhetsnummer = 'Enheten som eier veiledergruppen.',
    gruppe_id = 'Veiledergruppens id i veilarbfilter (filterId).',
    gruppe_navn = 'Veiledergruppens navn (filterNavn).',
    veileder_ident = 'Pseudonym for veilederens Nav-ident: HMAC av identen med store bokstaver.'
  )
);

SELECT
  CAST(snapshot_dato AS DATE) AS snapshot_dato,
  CAST(@trimmet(enhetsnummer) AS STRING) AS enhetsnummer,
  CAST(@trimmet(gruppe_id) AS STRING) AS gruppe_id,
  CAST(@trimmet(gruppe_navn) AS STRING) AS gruppe_navn,
  CAST(@pseudonym(UPPER(@trimmet(veileder_ident))) AS STRING) AS veileder_ident
FROM @kilde('veilarbfilter', 'veiledergruppe_snapshot')
