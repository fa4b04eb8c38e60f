MODEL (
  name tiltak_kilde.arbeidsgiver_avtale_hendelse,
  kind VIEW,
  grain hendelse_id,
  audits (unique_values(columns := (hendelse_id))),
  description 'Én rad per hendelse på en arbeidsgiveravtale fra Team Tiltak (Kafka-emnet arbeidsgiver.tiltak-avtale-hendelse, JSON-meldingen AvtaleMelding slik den lander i BigQuery), i kontraktens form (tiltak_bronze.arbeidsgiver_avtale_hendelse). Kafka leverer minst én gang: samme hendelse (avtaleId, versjon, hendelseType og sistEndret) to ganger teller én gang (laveste partisjon og offset). Meldinger som ikke er gyldig JSON leses ikke; navn, telefonnumre, fritekst og veilederens Nav-ident i meldingen leses aldri.',
  column_descriptions (
    hendelse_id = 'Meldingens plass i Kafka: partisjon-offset.',
    avtale_id = 'Avtalens id (avtaleId).',
    tidspunkt = 'Når avtalen ble endret (sistEndret, et Instant i UTC).',
    hendelse_type = 'Hva som skjedde (hendelseType).',
    versjon = 'Avtalens versjon (versjon).',
    person_id = 'Pseudonym personnøkkel fra deltakerFnr (tiltak_kilde.person_ident).',
    tiltakstype = 'Team Tiltaks tiltakstype, f.eks. MIDLERTIDIG_LONNSTILSKUDD.',
    avtale_status = 'Avtalens status (avtaleStatus), f.eks. GJENNOMFØRES eller ANNULLERT.',
    start_dato = 'Avtalens startdato (startDato).',
    slutt_dato = 'Avtalens sluttdato (sluttDato).',
    enhet_oppfolging = 'Deltakerens oppfølgingsenhet på avtalen (enhetOppfolging).',
    enhet_geografisk = 'Deltakerens geografiske enhet på avtalen (enhetGeografisk).',
    opprettet_tidspunkt = 'Når avtalen ble opprettet (opprettetTidspunkt, norsk veggklokketid i meldingen, her UTC; ekstra kolonne).',
    feilregistrert = 'Sann når avtalen er markert som feilregistrert (feilregistrert; ekstra kolonne).',
    slettemerket = 'Sann når avtalen er slettemerket (slettemerket; ekstra kolonne).'
  )
);

WITH meldinger AS (
  SELECT
    kafka_partition,
    kafka_offset,
    value
  FROM @kilde('team_tiltak', 'tiltak_avtale_hendelse')
  WHERE
    @gyldig_json(value)
  QUALIFY ROW_NUMBER() OVER (PARTITION BY kafka_partition, kafka_offset ORDER BY value) = 1
),

felter AS (
  SELECT
    kafka_partition,
    kafka_offset,
    CONCAT(CAST(kafka_partition AS STRING), '-', CAST(kafka_offset AS STRING)) AS hendelse_id,
    @trimmet(JSON_VALUE(value, '$.avtaleId')) AS avtale_id,
    @iso_utc(JSON_VALUE(value, '$.sistEndret')) AS tidspunkt,
    @trimmet(JSON_VALUE(value, '$.hendelseType')) AS hendelse_type,
    CASE
      WHEN REGEXP_CONTAINS(@trimmet(JSON_VALUE(value, '$.versjon')), r'^-?[0-9]{1,18}$')
      THEN CAST(@trimmet(JSON_VALUE(value, '$.versjon')) AS INT64)
    END AS versjon,
    @trimmet(JSON_VALUE(value, '$.deltakerFnr')) AS ident,
    @trimmet(JSON_VALUE(value, '$.tiltakstype')) AS tiltakstype,
    @trimmet(JSON_VALUE(value, '$.avtaleStatus')) AS avtale_status,
    @iso_dato(JSON_VALUE(value, '$.startDato')) AS start_dato,
    @iso_dato(JSON_VALUE(value, '$.sluttDato')) AS slutt_dato,
    @trimmet(JSON_VALUE(value, '$.enhetOppfolging')) AS enhet_oppfolging,
    @trimmet(JSON_VALUE(value, '$.enhetGeografisk')) AS enhet_geografisk,
    @oslo_veggklokke_til_utc(@iso_veggklokke(JSON_VALUE(value, '$.opprettetTidspunkt'))) AS opprettet_tidspunkt,
    LOWER(@trimmet(JSON_VALUE(value, '$.feilregistrert'))) = 'true' AS feilregistrert,
    LOWER(@trimmet(JSON_VALUE(value, '$.slettemerket'))) = 'true' AS slettemerket
  FROM meldinger
),

uten_duplikater AS (
  SELECT *
  FROM felter
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY avtale_id, versjon, hendelse_type, tidspunkt
    ORDER BY kafka_partition, kafka_offset
  ) = 1
)

SELECT
  CAST(h.hendelse_id AS STRING) AS hendelse_id,
  CAST(h.avtale_id AS STRING) AS avtale_id,
  CAST(h.tidspunkt AS TIMESTAMP) AS tidspunkt,
  CAST(h.hendelse_type AS STRING) AS hendelse_type,
  CAST(h.versjon AS INT64) AS versjon,
  CAST(COALESCE(p.person_id, @pseudonym(h.ident)) AS STRING) AS person_id,
  CAST(h.tiltakstype AS STRING) AS tiltakstype,
  CAST(h.avtale_status AS STRING) AS avtale_status,
  CAST(h.start_dato AS DATE) AS start_dato,
  CAST(h.slutt_dato AS DATE) AS slutt_dato,
  CAST(h.enhet_oppfolging AS STRING) AS enhet_oppfolging,
  CAST(h.enhet_geografisk AS STRING) AS enhet_geografisk,
  CAST(h.opprettet_tidspunkt AS TIMESTAMP) AS opprettet_tidspunkt,
  CAST(h.feilregistrert AS BOOL) AS feilregistrert,
  CAST(h.slettemerket AS BOOL) AS slettemerket
FROM uten_duplikater AS h
LEFT JOIN tiltak_kilde.person_ident AS p
  ON p.ident = h.ident
