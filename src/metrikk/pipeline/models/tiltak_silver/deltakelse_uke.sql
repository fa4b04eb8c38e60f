MODEL (
  name tiltak_silver.deltakelse_uke,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column uke_start,
    lookback 28
  ),
  cron '0 0 * * 1',
  start '2022-01-03',
  grain (kilde, deltakelse_id, uke_start),
  audits (
    unique_combination_of_columns(columns := (kilde, deltakelse_id, uke_start)),
    not_null(columns := (
      aar, uke, uke_start, deltakelse_id, kilde, person_id, referansedag, kontor, kontor_navn, fylke,
      kontor_kilde, avdeling, innsatsgruppe, tiltakskode, tiltakstype_navn, tiltakskategori, startet, sluttet
    )),
    accepted_values(
      column := innsatsgruppe,
      is_in := ('GODE_MULIGHETER', 'TRENGER_VEILEDNING', 'TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE', 'JOBBE_DELVIS', 'LITEN_MULIGHET_TIL_A_JOBBE', 'UKJENT')
    ),
    accepted_values(column := tiltakskategori, is_in := ('GRUPPE', 'ENKELTPLASS', 'ARBEIDSGIVER', 'EGEN_REGI')),
    accepted_values(column := kontor_kilde, is_in := ('OPPFOLGINGSKONTOR', 'AVTALE', 'GJENNOMFORING', 'UKJENT')),
    accepted_values(column := kilde, is_in := ('KOMET', 'ARBEIDSGIVER'))
  ),
  description 'Én rad per deltakelse som telles i en ISO-uke (minst én aktiv dag i uken), med alle attributter slik de var på referansedagen: deltakelsens siste aktive dag i uken.',
  column_descriptions (
    aar = 'ISO-år for uken.',
    uke = 'ISO-ukenummer.',
    uke_start = 'Mandagen i uken.',
    deltakelse_id = 'Komets deltaker-id, eller avtale_id for en arbeidsgiveravtale.',
    kilde = 'KOMET eller ARBEIDSGIVER.',
    person_id = 'Pseudonym personnøkkel.',
    gjennomforing_id = 'Gjennomføringens id; tom for arbeidsgiveravtaler.',
    referansedag = 'Deltakelsens siste aktive dag i uken; alle attributter leses per denne dagen.',
    kontor = 'Enhetsnummeret til kontoret (aldri en FYLKE-enhet), eller UKJENT.',
    kontor_navn = 'Kontorets navn fra Norg2, eller Ukjent kontor.',
    fylke = 'Overordnet fylkesenhet for kontoret, eller UKJENT.',
    kontor_kilde = 'Hvilket steg som ga kontoret: OPPFOLGINGSKONTOR, AVTALE, GJENNOMFORING eller UKJENT.',
    avdeling = 'Avdelingen til veilederens veiledergruppe på kontoret (koblet avdeling, ellers gruppenavnet), ellers Uten avdeling.',
    veiledergruppe_id = 'Valgt veiledergruppe; tom når veilederen ikke er i noen gruppe på kontoret.',
    innsatsgruppe = 'Innsatsgruppe (ny kode) fra siste §14a-vedtak fattet til og med referansedagen, eller UKJENT.',
    tiltakskode = 'Tiltakskode (Valp; arbeidsgiver: avtalens tiltakstype).',
    tiltakstype_navn = 'Tiltakstypens navn.',
    tiltakskategori = 'GRUPPE, ENKELTPLASS, ARBEIDSGIVER eller EGEN_REGI.',
    startet = 'Sann når startdatoen er i uken.',
    sluttet = 'Sann når deltakelsen sluttet i uken: sluttdatoen er satt og er siste aktive dag i uken.'
  )
);

WITH uker AS (
  SELECT dag AS uke_start
  FROM UNNEST(GENERATE_DATE_ARRAY(@start_date, DATE_SUB(@end_date, INTERVAL 6 DAY), INTERVAL 1 DAY)) AS dag
  WHERE DATE_TRUNC(dag, WEEK(MONDAY)) = dag
),

deltakelser AS (
  SELECT
    deltakelse_id,
    kilde,
    person_id,
    gjennomforing_id,
    tiltakskode,
    tiltakstype_navn,
    tiltakskategori,
    start_dato,
    slutt_dato,
    aktiv_til,
    reservekontor,
    reservekontor_kilde
  FROM tiltak_silver.deltakelse
  WHERE telles
    AND start_dato <= @end_date
    AND aktiv_til >= @start_date
),

deltakelse_i_uke AS (
  SELECT
    d.*,
    u.uke_start,
    CASE
      WHEN d.aktiv_til < DATE_ADD(u.uke_start, INTERVAL 6 DAY) THEN d.aktiv_til
      ELSE DATE_ADD(u.uke_start, INTERVAL 6 DAY)
    END AS referansedag
  FROM deltakelser AS d
  JOIN uker AS u
    ON d.start_dato <= DATE_ADD(u.uke_start, INTERVAL 6 DAY)
    AND d.aktiv_til >= u.uke_start
),

med_personattributter AS (
  SELECT
    x.*,
    pi.innsatsgruppe,
    pk.kontor_id AS oppfolgingskontor,
    pv.veileder_ident
  FROM deltakelse_i_uke AS x
  LEFT JOIN tiltak_silver.person_innsatsgruppe AS pi
    ON pi.person_id = x.person_id
    AND x.referansedag BETWEEN pi.gyldig_fra AND pi.gyldig_til
  LEFT JOIN tiltak_silver.person_kontor AS pk
    ON pk.person_id = x.person_id
    AND x.referansedag BETWEEN pk.gyldig_fra AND pk.gyldig_til
    AND NOT pk.er_fylke
  LEFT JOIN tiltak_silver.person_veileder AS pv
    ON pv.person_id = x.person_id
    AND x.referansedag BETWEEN pv.gyldig_fra AND pv.gyldig_til
),

med_kontor AS (
  SELECT
    *,
    COALESCE(oppfolgingskontor, reservekontor, 'UKJENT') AS kontor,
    CASE
      WHEN oppfolgingskontor IS NOT NULL THEN 'OPPFOLGINGSKONTOR'
      WHEN reservekontor IS NOT NULL THEN reservekontor_kilde
      ELSE 'UKJENT'
    END AS kontor_kilde
  FROM med_personattributter
),

med_avdeling AS (
  SELECT
    k.*,
    COALESCE(ne.navn, 'Ukjent kontor') AS kontor_navn,
    COALESCE(ne.overordnet_fylke, 'UKJENT') AS fylke,
    va.gruppe_id AS veiledergruppe_id,
    COALESCE(va.avdeling, 'Uten avdeling') AS avdeling
  FROM med_kontor AS k
  LEFT JOIN tiltak_silver.nav_enhet AS ne
    ON ne.enhetsnummer = k.kontor
  LEFT JOIN tiltak_silver.veileder_avdeling AS va
    ON va.enhetsnummer = k.kontor
    AND va.veileder_ident = k.veileder_ident
    AND k.referansedag BETWEEN va.gyldig_fra AND va.gyldig_til
)

SELECT
  CAST(EXTRACT(ISOYEAR FROM uke_start) AS INT64) AS aar,
  CAST(@iso_uke(uke_start) AS INT64) AS uke,
  CAST(uke_start AS DATE) AS uke_start,
  CAST(deltakelse_id AS STRING) AS deltakelse_id,
  CAST(kilde AS STRING) AS kilde,
  CAST(person_id AS STRING) AS person_id,
  CAST(gjennomforing_id AS STRING) AS gjennomforing_id,
  CAST(referansedag AS DATE) AS referansedag,
  CAST(kontor AS STRING) AS kontor,
  CAST(kontor_navn AS STRING) AS kontor_navn,
  CAST(fylke AS STRING) AS fylke,
  CAST(kontor_kilde AS STRING) AS kontor_kilde,
  CAST(avdeling AS STRING) AS avdeling,
  CAST(veiledergruppe_id AS STRING) AS veiledergruppe_id,
  CAST(COALESCE(innsatsgruppe, 'UKJENT') AS STRING) AS innsatsgruppe,
  CAST(tiltakskode AS STRING) AS tiltakskode,
  CAST(tiltakstype_navn AS STRING) AS tiltakstype_navn,
  CAST(tiltakskategori AS STRING) AS tiltakskategori,
  CAST(start_dato BETWEEN uke_start AND DATE_ADD(uke_start, INTERVAL 6 DAY) AS BOOL) AS startet,
  CAST(COALESCE(slutt_dato BETWEEN uke_start AND DATE_ADD(uke_start, INTERVAL 6 DAY), FALSE) AS BOOL) AS sluttet
FROM med_avdeling
