MODEL (
  name tiltak_silver.deltakelse,
  kind FULL,
  grain (kilde, deltakelse_id),
  audits (
    not_null(columns := (deltakelse_id, kilde, person_id, registrert_dato, tok_del, telles, aktiv_til)),
    unique_combination_of_columns(columns := (kilde, deltakelse_id)),
    accepted_values(column := kilde, is_in := ('KOMET', 'ARBEIDSGIVER')),
    accepted_values(column := tiltakskategori, is_in := ('GRUPPE', 'ENKELTPLASS', 'ARBEIDSGIVER', 'EGEN_REGI')),
    accepted_values(
      column := ikke_telt_aarsak,
      is_in := ('MANGLER_START', 'UGYLDIG_PERIODE', 'UKJENT_GJENNOMFORING'),
      condition := ikke_telt_aarsak IS NOT NULL
    )
  ),
  description 'Én rad per deltakelse: en Komet-deltaker eller en arbeidsgiveravtale (siste hendelse etter versjon, så tidspunkt), med siste status, om den telles og hvorfor ikke.',
  column_descriptions (
    deltakelse_id = 'Komets deltaker-id, eller avtale_id for en arbeidsgiveravtale.',
    kilde = 'KOMET eller ARBEIDSGIVER.',
    person_id = 'Pseudonym personnøkkel.',
    gjennomforing_id = 'Gjennomføringens id; tom for arbeidsgiveravtaler.',
    tiltakskode = 'Tiltakskode fra gjennomføringens tiltakstype (arbeidsgiver: avtalens tiltakstype); tom når gjennomføringen er ukjent.',
    tiltakstype_navn = 'Tiltakstypens navn.',
    tiltakskategori = 'GRUPPE, ENKELTPLASS, ARBEIDSGIVER eller EGEN_REGI.',
    start_dato = 'Første dag i deltakelsen.',
    slutt_dato = 'Siste dag i deltakelsen; tom når den er åpen.',
    aktiv_til = 'Siste aktive dag: slutt_dato, eller 9999-12-31 når deltakelsen er åpen.',
    registrert_tidspunkt = 'Når deltakelsen ble registrert (UTC); for arbeidsgiveravtaler tidspunktet for første hendelse.',
    registrert_dato = 'Registreringsdagen i Europe/Oslo; uken for datakvalitet.',
    siste_status = 'Siste status (Komet) eller avtalestatus i siste hendelse (arbeidsgiver).',
    tok_del = 'Sann når siste status sier at personen deltok (DELTAR, HAR_SLUTTET, FULLFORT, AVBRUTT; arbeidsgiver: GJENNOMFØRES, AVSLUTTET).',
    telles = 'Sann når deltakelsen telles: den tok del og har gyldig periode og kjent gjennomføring.',
    ikke_telt_aarsak = 'Hvorfor en deltakelse som tok del ikke telles: MANGLER_START, UGYLDIG_PERIODE eller UKJENT_GJENNOMFORING; ellers tom.',
    enhet_oppfolging = 'Avtalens oppfølgingsenhet (bare arbeidsgiveravtaler).',
    eneste_lokale_enhet = 'Gjennomføringens eneste LOKAL Nav-enhet, når den har nøyaktig én.',
    reservekontor = 'Kontoret når personen ikke har oppfølgingskontor: avtalens oppfølgingsenhet (ikke FYLKE), ellers gjennomføringens eneste LOKAL enhet; ellers tom.',
    reservekontor_kilde = 'AVTALE eller GJENNOMFORING: hvor reservekontoret kommer fra; tom når det ikke finnes.'
  )
);

WITH deltakere AS (
  SELECT
    @uten_blanke(id) AS deltakelse_id,
    @uten_blanke(person_id) AS person_id,
    @uten_blanke(gjennomforing_id) AS gjennomforing_id,
    start_dato,
    slutt_dato,
    registrert_tidspunkt
  FROM tiltak_bronze.deltaker
  QUALIFY ROW_NUMBER() OVER (PARTITION BY @uten_blanke(id) ORDER BY registrert_tidspunkt DESC) = 1
),

siste_status AS (
  SELECT deltaker_id, status
  FROM tiltak_silver.deltaker_status
  WHERE er_siste
),

komet AS (
  SELECT
    d.deltakelse_id,
    'KOMET' AS kilde,
    d.person_id,
    d.gjennomforing_id,
    g.tiltakskode,
    g.tiltakstype_navn,
    g.tiltakskategori,
    d.start_dato,
    d.slutt_dato,
    d.registrert_tidspunkt,
    s.status AS siste_status,
    COALESCE(s.status IN ('DELTAR', 'HAR_SLUTTET', 'FULLFORT', 'AVBRUTT'), FALSE) AS tok_del,
    g.id IS NOT NULL AS kjent_gjennomforing,
    CAST(NULL AS STRING) AS enhet_oppfolging,
    g.eneste_lokale_enhet
  FROM deltakere AS d
  LEFT JOIN siste_status AS s
    ON s.deltaker_id = d.deltakelse_id
  LEFT JOIN tiltak_silver.gjennomforing AS g
    ON g.id = d.gjennomforing_id
),

avtale_renset AS (
  SELECT
    @uten_blanke(avtale_id) AS avtale_id,
    @uten_blanke(person_id) AS person_id,
    UPPER(@uten_blanke(tiltakstype)) AS tiltakstype,
    UPPER(@uten_blanke(avtale_status)) AS avtale_status,
    start_dato,
    slutt_dato,
    NULLIF(@uten_blanke(enhet_oppfolging), '') AS enhet_oppfolging,
    tidspunkt,
    versjon,
    hendelse_id
  FROM tiltak_bronze.arbeidsgiver_avtale_hendelse
),

avtale_hendelser AS (
  -- The latest hendelse per (trimmed) avtale, windowed over the column avtale_renset made: a
  -- window beside the SELECT that trims would see the alias and trim it again in its key.
  SELECT
    avtale_id,
    person_id,
    tiltakstype,
    avtale_status,
    start_dato,
    slutt_dato,
    enhet_oppfolging,
    MIN(tidspunkt) OVER (PARTITION BY avtale_id) AS forste_tidspunkt
  FROM avtale_renset
  QUALIFY ROW_NUMBER() OVER (PARTITION BY avtale_id ORDER BY versjon DESC, tidspunkt DESC, hendelse_id DESC) = 1
),

tiltakstype_etter_kode AS (
  SELECT tiltakskode, MIN(navn) AS navn
  FROM tiltak_silver.tiltakstype
  GROUP BY tiltakskode
),

arbeidsgiver AS (
  SELECT
    a.avtale_id AS deltakelse_id,
    'ARBEIDSGIVER' AS kilde,
    a.person_id,
    CAST(NULL AS STRING) AS gjennomforing_id,
    a.tiltakstype AS tiltakskode,
    COALESCE(tt.navn, @arbeidsgiver_tiltaksnavn(a.tiltakstype), a.tiltakstype) AS tiltakstype_navn,
    'ARBEIDSGIVER' AS tiltakskategori,
    a.start_dato,
    a.slutt_dato,
    a.forste_tidspunkt AS registrert_tidspunkt,
    a.avtale_status AS siste_status,
    a.avtale_status IN ('GJENNOMFØRES', 'AVSLUTTET') AS tok_del,
    TRUE AS kjent_gjennomforing,
    a.enhet_oppfolging,
    CAST(NULL AS STRING) AS eneste_lokale_enhet
  FROM avtale_hendelser AS a
  LEFT JOIN tiltakstype_etter_kode AS tt
    ON tt.tiltakskode = a.tiltakstype
),

alle AS (
  SELECT * FROM komet
  UNION ALL
  SELECT * FROM arbeidsgiver
),

vurdert AS (
  SELECT
    *,
    CASE
      WHEN NOT tok_del THEN NULL
      WHEN start_dato IS NULL THEN 'MANGLER_START'
      WHEN slutt_dato < start_dato THEN 'UGYLDIG_PERIODE'
      WHEN NOT kjent_gjennomforing THEN 'UKJENT_GJENNOMFORING'
    END AS ikke_telt_aarsak
  FROM alle
),

med_reservekontor AS (
  SELECT
    v.*,
    CASE
      WHEN v.enhet_oppfolging IS NOT NULL AND NOT COALESCE(ne.er_fylke, FALSE) THEN v.enhet_oppfolging
      ELSE v.eneste_lokale_enhet
    END AS reservekontor,
    CASE
      WHEN v.enhet_oppfolging IS NOT NULL AND NOT COALESCE(ne.er_fylke, FALSE) THEN 'AVTALE'
      WHEN v.eneste_lokale_enhet IS NOT NULL THEN 'GJENNOMFORING'
    END AS reservekontor_kilde
  FROM vurdert AS v
  LEFT JOIN tiltak_silver.nav_enhet AS ne
    ON ne.enhetsnummer = v.enhet_oppfolging
)

SELECT
  CAST(deltakelse_id AS STRING) AS deltakelse_id,
  CAST(kilde AS STRING) AS kilde,
  CAST(person_id AS STRING) AS person_id,
  CAST(gjennomforing_id AS STRING) AS gjennomforing_id,
  CAST(tiltakskode AS STRING) AS tiltakskode,
  CAST(tiltakstype_navn AS STRING) AS tiltakstype_navn,
  CAST(tiltakskategori AS STRING) AS tiltakskategori,
  CAST(start_dato AS DATE) AS start_dato,
  CAST(slutt_dato AS DATE) AS slutt_dato,
  CAST(COALESCE(slutt_dato, DATE '9999-12-31') AS DATE) AS aktiv_til,
  CAST(registrert_tidspunkt AS TIMESTAMP) AS registrert_tidspunkt,
  CAST(@oslo_dato(registrert_tidspunkt) AS DATE) AS registrert_dato,
  CAST(siste_status AS STRING) AS siste_status,
  CAST(tok_del AS BOOL) AS tok_del,
  CAST(tok_del AND ikke_telt_aarsak IS NULL AS BOOL) AS telles,
  CAST(ikke_telt_aarsak AS STRING) AS ikke_telt_aarsak,
  CAST(enhet_oppfolging AS STRING) AS enhet_oppfolging,
  CAST(eneste_lokale_enhet AS STRING) AS eneste_lokale_enhet,
  CAST(reservekontor AS STRING) AS reservekontor,
  CAST(reservekontor_kilde AS STRING) AS reservekontor_kilde
FROM med_reservekontor
