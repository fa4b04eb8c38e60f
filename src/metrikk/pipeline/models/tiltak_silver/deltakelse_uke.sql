MODEL (
  name tiltak_silver.deltakelse_uke,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column uke_start,
    lookback 28
  ),
  cron '0 0 * * 1',
  start '2022-01-03',
  clustered_by kontor,
  grain (kilde, deltakelse_id, uke_start),
  audits (
    unique_combination_of_columns(columns := (kilde, deltakelse_id, uke_start)),
    not_null(columns := (
      aar, uke, uke_start, deltakelse_id, kilde, person_id, referansedag, kontor, kontor_navn, fylke,
      kontor_kilde, avdeling, innsatsgruppe, tiltakskode, tiltakstype_navn, tiltakskategori, tiltaksgruppe, startet,
      sluttet
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
    tiltaksgruppe = 'Kontorets egen tiltaksgruppe for tiltakskoden (tiltak_bronze.tiltaksgruppe), ellers den nasjonale (uten enhetsnummer), ellers tiltakstypens navn.',
    startet = 'Sann når startdatoen er i uken.',
    sluttet = 'Sann når deltakelsen sluttet i uken: sluttdatoen er satt og er siste aktive dag i uken.'
  )
);

-- How it scales: instead of joining every deltakelse-week (about 18 M rows at `default`) with
-- three validity-interval tables, each person's attribute history is cut into periods where
-- innsatsgruppe, oppfølgingskontor and veileder are all constant (carry-forward over the
-- change days). Each deltakelse is cut into pieces by those periods, and each piece expands
-- into exactly the weeks whose reference day lies in it, so every week reads its attributes as
-- of its reference day without a range join on the week rows.
WITH deltakelser AS (
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

personer AS (
  SELECT DISTINCT person_id FROM deltakelser
),

person_perioder AS (
  -- Each person's constant-attribute periods (@person_perioder, macros/tiltak.py).
  SELECT * FROM @person_perioder(personer)
),

biter AS (
  -- The part of a deltakelse inside one constant-attribute period of its person.
  SELECT
    d.*,
    p.innsatsgruppe,
    p.oppfolgingskontor,
    p.veileder_ident,
    CASE WHEN p.fra > d.start_dato THEN p.fra ELSE d.start_dato END AS bit_fra,
    CASE WHEN p.til < d.aktiv_til THEN p.til ELSE d.aktiv_til END AS bit_til
  FROM deltakelser AS d
  JOIN person_perioder AS p
    ON p.person_id = d.person_id
    AND p.fra <= d.aktiv_til
    AND p.til >= d.start_dato
),

biter_med_kontor AS (
  -- Kontor and tiltaksgruppe are constant within a piece (the oppfølgingskontor is constant in
  -- the person's period, the fallbacks per deltakelse), so they are resolved once per piece.
  SELECT
    b.*,
    COALESCE(lokal.tiltaksgruppe, nasjonal.tiltaksgruppe, b.tiltakstype_navn) AS tiltaksgruppe
  FROM (
    SELECT
      *,
      COALESCE(oppfolgingskontor, reservekontor, 'UKJENT') AS kontor,
      CASE
        WHEN oppfolgingskontor IS NOT NULL THEN 'OPPFOLGINGSKONTOR'
        WHEN reservekontor IS NOT NULL THEN reservekontor_kilde
        ELSE 'UKJENT'
      END AS kontor_kilde
    FROM biter
  ) AS b
  LEFT JOIN tiltak_silver.tiltaksgruppe AS lokal
    ON lokal.enhetsnummer = b.kontor
    AND lokal.tiltakskode = b.tiltakskode
  LEFT JOIN tiltak_silver.tiltaksgruppe AS nasjonal
    ON nasjonal.nasjonal
    AND nasjonal.tiltakskode = b.tiltakskode
),

biter_med_uker AS (
  -- The weeks whose reference day (the deltakelse's last active day in the week) lies in the
  -- piece: from the week of its first day; up to the week of aktiv_til when the piece ends the
  -- deltakelse, otherwise up to the last week whose Sunday is in the piece. Clipped to this
  -- run's weeks: the weekly cron makes @start_date a Monday and @end_date a Sunday.
  SELECT
    *,
    DATE_TRUNC(CASE WHEN bit_fra > @start_date THEN bit_fra ELSE @start_date END, WEEK(MONDAY)) AS forste_uke,
    DATE_TRUNC(
      CASE
        WHEN siste_grense < DATE_SUB(@end_date, INTERVAL 6 DAY) THEN siste_grense
        ELSE DATE_SUB(@end_date, INTERVAL 6 DAY)
      END,
      WEEK(MONDAY)
    ) AS siste_uke
  FROM (
    SELECT
      *,
      CASE WHEN bit_til = aktiv_til THEN aktiv_til ELSE DATE_SUB(bit_til, INTERVAL 6 DAY) END AS siste_grense
    FROM biter_med_kontor
  ) AS b
  -- Stored by kontor on DuckDB: a dashboard reads one kontor, and zone maps then skip the rest.
  -- The pieces (≈ 0.8 M at `default`) are put in kontor order and the weeks expand from them in
  -- that order, which DuckDB keeps on insert; sorting the 13 M week rows at the end cost 2/3 of
  -- this model's CPU and spilled under the memory cap (docs/decisions.md).
  @ORDER_BY(@lagres_i_rekkefolge()) kontor, bit_fra
),

uker AS (
  -- The run's weeks with their ISO year and number, computed once per week: per row, DuckDB's
  -- ISOYEAR extraction alone cost more than the rest of this model.
  SELECT
    uke_start,
    CAST(DATE_ADD(uke_start, INTERVAL 6 DAY) AS DATE) AS uke_slutt,
    CAST(EXTRACT(ISOYEAR FROM uke_start) AS INT64) AS aar,
    CAST(@iso_uke(uke_start) AS INT64) AS uke
  FROM UNNEST(GENERATE_DATE_ARRAY(@start_date, DATE_SUB(@end_date, INTERVAL 6 DAY), INTERVAL 7 DAY)) AS uke_start
),

med_personattributter AS (
  SELECT
    b.*,
    u.uke_start,
    u.uke_slutt,
    u.aar,
    u.uke,
    CASE WHEN b.aktiv_til < u.uke_slutt THEN b.aktiv_til ELSE u.uke_slutt END AS referansedag
  FROM biter_med_uker AS b
  CROSS JOIN UNNEST(GENERATE_DATE_ARRAY(b.forste_uke, b.siste_uke, INTERVAL 7 DAY)) AS bit_uke
  JOIN uker AS u
    ON u.uke_start = bit_uke
  WHERE b.forste_uke <= b.siste_uke
),

med_avdeling AS (
  SELECT
    k.*,
    COALESCE(ne.navn, 'Ukjent kontor') AS kontor_navn,
    COALESCE(ne.overordnet_fylke, 'UKJENT') AS fylke,
    va.gruppe_id AS veiledergruppe_id,
    COALESCE(va.avdeling, 'Uten avdeling') AS avdeling
  FROM med_personattributter AS k
  LEFT JOIN tiltak_silver.nav_enhet AS ne
    ON ne.enhetsnummer = k.kontor
  LEFT JOIN tiltak_silver.veileder_avdeling AS va
    ON va.enhetsnummer = k.kontor
    AND va.veileder_ident = k.veileder_ident
    AND k.referansedag BETWEEN va.gyldig_fra AND va.gyldig_til
)

SELECT
  CAST(aar AS INT64) AS aar,
  CAST(uke AS INT64) AS uke,
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
  CAST(tiltaksgruppe AS STRING) AS tiltaksgruppe,
  CAST(start_dato BETWEEN uke_start AND uke_slutt AS BOOL) AS startet,
  CAST(COALESCE(slutt_dato BETWEEN uke_start AND uke_slutt, FALSE) AS BOOL) AS sluttet
FROM med_avdeling
