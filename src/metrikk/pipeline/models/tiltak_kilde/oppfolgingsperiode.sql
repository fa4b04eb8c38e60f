MODEL (
  name tiltak_kilde.oppfolgingsperiode,
  kind VIEW,
  grain oppfolgingsperiode_id,
  description 'Én rad per oppfølgingsperiode fra veilarboppfolging (datastream-tabellen oppfolgingsperiode), i kontraktens form (tiltak_bronze.oppfolgingsperiode). Kilden lagrer tidspunktene som norsk veggklokketid uten tidssone (DATETIME); de gjøres om til UTC etter norsk sommertidsregel (@oslo_veggklokke_til_utc).',
  column_descriptions (
    person_id = 'Pseudonym personnøkkel fra aktor_id (tiltak_kilde.person_ident).',
    startdato = 'Når perioden startet (UTC, fra Oslo-tid).',
    sluttdato = 'Når perioden sluttet (UTC, fra Oslo-tid); tom når den pågår.',
    oppfolgingsperiode_id = 'Periodens id (uuid; ekstra kolonne).',
    start_begrunnelse = 'Hvorfor perioden startet, slik kilden oppgir det (ekstra kolonne).'
  )
);

WITH perioder AS (
  SELECT
    @trimmet(aktor_id) AS aktor_id,
    @trimmet(uuid) AS oppfolgingsperiode_id,
    startdato,
    sluttdato,
    @trimmet(start_begrunnelse) AS start_begrunnelse
  FROM @kilde('veilarboppfolging', 'oppfolgingsperiode')
)

SELECT
  CAST(COALESCE(p.person_id, @pseudonym(o.aktor_id)) AS STRING) AS person_id,
  CAST(@oslo_veggklokke_til_utc(o.startdato) AS TIMESTAMP) AS startdato,
  CAST(@oslo_veggklokke_til_utc(o.sluttdato) AS TIMESTAMP) AS sluttdato,
  CAST(o.oppfolgingsperiode_id AS STRING) AS oppfolgingsperiode_id,
  CAST(o.start_begrunnelse AS STRING) AS start_begrunnelse
FROM perioder AS o
LEFT JOIN tiltak_kilde.person_ident AS p
  ON p.ident = o.aktor_id
