MODEL (
  name tiltak_kilde.veileder_tilordning,
  kind VIEW,
  grain (person_id, tilordning_seq),
  description 'Én rad per tilordning av veileder fra veilarboppfolging (datastream-tabellen veileder_tilordninger, kun innsetting), i kontraktens form (tiltak_bronze.veileder_tilordning). Veilederens Nav-ident byttes ut med et pseudonym som er det samme som i tiltak_kilde.veiledergruppe_snapshot; tidspunktet er norsk veggklokketid i kilden og gjøres om til UTC.',
  column_descriptions (
    person_id = 'Pseudonym personnøkkel fra aktor_id (tiltak_kilde.person_ident).',
    veileder_ident = 'Pseudonym for veilederens Nav-ident: HMAC av identen med store bokstaver.',
    tilordnet_tidspunkt = 'Når veilederen ble tilordnet (sist_tilordnet; UTC, fra Oslo-tid).',
    tilordning_seq = 'Tilordningens løpenummer; høyest er sist.'
  )
);

WITH tilordninger AS (
  SELECT
    @trimmet(aktor_id) AS aktor_id,
    UPPER(@trimmet(veileder)) AS veileder,
    sist_tilordnet,
    tilordning_seq
  FROM @kilde('veilarboppfolging', 'veileder_tilordninger')
)

SELECT
  CAST(COALESCE(p.person_id, @pseudonym(t.aktor_id)) AS STRING) AS person_id,
  CAST(@pseudonym(t.veileder) AS STRING) AS veileder_ident,
  CAST(@oslo_veggklokke_til_utc(t.sist_tilordnet) AS TIMESTAMP) AS tilordnet_tidspunkt,
  CAST(t.tilordning_seq AS INT64) AS tilordning_seq
FROM tilordninger AS t
LEFT JOIN tiltak_kilde.person_ident AS p
  ON p.ident = t.aktor_id
