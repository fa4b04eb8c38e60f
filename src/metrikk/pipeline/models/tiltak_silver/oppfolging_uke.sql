MODEL (
  name tiltak_silver.oppfolging_uke,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column uke_start,
    lookback 28
  ),
  cron '0 0 * * 1',
  start '2022-01-03',
  clustered_by kontor,
  grain (person_id, uke_start),
  audits (
    unique_combination_of_columns(columns := (person_id, uke_start)),
    not_null(columns := (
      aar, uke, uke_start, person_id, referansedag, kontor, avdeling, innsatsgruppe, paa_tiltak
    )),
    accepted_values(
      column := innsatsgruppe,
      is_in := ('GODE_MULIGHETER', 'TRENGER_VEILEDNING', 'TRENGER_VEILEDNING_NEDSATT_ARBEIDSEVNE', 'JOBBE_DELVIS', 'LITEN_MULIGHET_TIL_A_JOBBE', 'UKJENT')
    ),
    forall(criteria := (referansedag BETWEEN uke_start AND DATE_ADD(uke_start, INTERVAL 6 DAY)))
  ),
  description 'Én rad per person under arbeidsrettet oppfølging og ISO-uke (minst én dag i en oppfølgingsperiode i uken), med kontor, avdeling og innsatsgruppe slik de var på referansedagen: personens siste dag under oppfølging i uken, og om personen var på tiltak i uken.',
  column_descriptions (
    aar = 'ISO-år for uken.',
    uke = 'ISO-ukenummer.',
    uke_start = 'Mandagen i uken.',
    person_id = 'Pseudonym personnøkkel.',
    referansedag = 'Personens siste dag under oppfølging i uken; kontor, avdeling og innsatsgruppe leses per denne dagen.',
    kontor = 'Enhetsnummeret til oppfølgingskontoret (siste rad i kontorhistorikken til og med referansedagen), eller UKJENT når det ikke finnes eller er en FYLKE-enhet. Ingen reserveregel.',
    avdeling = 'Avdelingen til veilederens veiledergruppe på kontoret (koblet avdeling, ellers gruppenavnet), ellers Uten avdeling.',
    veiledergruppe_id = 'Valgt veiledergruppe; tom når veilederen ikke er i noen gruppe på kontoret.',
    innsatsgruppe = 'Innsatsgruppe (ny kode) fra siste §14a-vedtak fattet til og med referansedagen, eller UKJENT.',
    paa_tiltak = 'Sann når minst én av personens deltakelser telles i uken (en rad i deltakelse_uke, uansett kontor).'
  )
);

-- Built like deltakelse_uke, never per person and day: each person's days under oppfølging
-- (tiltak_silver.person_oppfolging, merged into islands) are cut into pieces by the periods in
-- which innsatsgruppe, oppfølgingskontor and veileder are all constant, and each piece expands
-- into exactly the weeks whose reference day (the last day under oppfølging in the week) lies in
-- it. The reference day of a week is least(end of its island, Sunday), except in the week where
-- the next island starts, which belongs to that island.
WITH oppfolging AS (
  SELECT
    person_id,
    gyldig_fra,
    gyldig_til,
    -- The last week whose reference day lies in this island: the week of its end, unless the
    -- person's next island starts in that same week.
    CASE
      WHEN neste_fra IS NOT NULL
        AND DATE_TRUNC(neste_fra, WEEK(MONDAY)) = DATE_TRUNC(gyldig_til, WEEK(MONDAY))
        THEN DATE_SUB(DATE_TRUNC(gyldig_til, WEEK(MONDAY)), INTERVAL 7 DAY)
      ELSE DATE_TRUNC(gyldig_til, WEEK(MONDAY))
    END AS oy_siste_uke
  FROM tiltak_silver.person_oppfolging
  WHERE gyldig_fra <= @end_date
    AND gyldig_til >= @start_date
),

personer AS (
  SELECT DISTINCT person_id FROM oppfolging
),

person_perioder AS (
  -- Each person's constant-attribute periods (@person_perioder, macros/tiltak.py).
  SELECT * FROM @person_perioder(personer)
),

biter AS (
  -- The part of an island inside one constant-attribute period of its person.
  SELECT
    o.person_id,
    o.gyldig_til,
    o.oy_siste_uke,
    p.innsatsgruppe,
    p.oppfolgingskontor,
    p.veileder_ident,
    CASE WHEN p.fra > o.gyldig_fra THEN p.fra ELSE o.gyldig_fra END AS bit_fra,
    CASE WHEN p.til < o.gyldig_til THEN p.til ELSE o.gyldig_til END AS bit_til
  FROM oppfolging AS o
  JOIN person_perioder AS p
    ON p.person_id = o.person_id
    AND p.fra <= o.gyldig_til
    AND p.til >= o.gyldig_fra
),

biter_med_uker AS (
  -- The weeks whose reference day lies in the piece: from the week of its first day; up to the
  -- island's last week when the piece ends the island, otherwise up to the last week whose
  -- Sunday is in the piece. Clipped to this run's weeks (the weekly cron makes @start_date a
  -- Monday and @end_date a Sunday).
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
      CASE
        WHEN bit_til = gyldig_til THEN oy_siste_uke
        WHEN DATE_SUB(bit_til, INTERVAL 6 DAY) < oy_siste_uke THEN DATE_SUB(bit_til, INTERVAL 6 DAY)
        ELSE oy_siste_uke
      END AS siste_grense
    FROM biter
  ) AS b
  -- In kontor order on DuckDB, so the weeks expand roughly by kontor; no sort of the ≈ 32 M
  -- week rows at `default` (it ran out of memory under the cap; docs/decisions.md).
  @ORDER_BY(@lagres_i_rekkefolge()) COALESCE(oppfolgingskontor, 'UKJENT'), bit_fra
),

uker AS (
  -- The run's weeks with their ISO year and number, computed once per week.
  SELECT
    uke_start,
    CAST(DATE_ADD(uke_start, INTERVAL 6 DAY) AS DATE) AS uke_slutt,
    CAST(EXTRACT(ISOYEAR FROM uke_start) AS INT64) AS aar,
    CAST(@iso_uke(uke_start) AS INT64) AS uke
  FROM UNNEST(GENERATE_DATE_ARRAY(@start_date, DATE_SUB(@end_date, INTERVAL 6 DAY), INTERVAL 7 DAY)) AS uke_start
),

med_uker AS (
  SELECT
    b.person_id,
    b.innsatsgruppe,
    b.veileder_ident,
    COALESCE(b.oppfolgingskontor, 'UKJENT') AS kontor,
    u.uke_start,
    u.aar,
    u.uke,
    CASE WHEN b.gyldig_til < u.uke_slutt THEN b.gyldig_til ELSE u.uke_slutt END AS referansedag
  FROM biter_med_uker AS b
  CROSS JOIN UNNEST(GENERATE_DATE_ARRAY(b.forste_uke, b.siste_uke, INTERVAL 7 DAY)) AS bit_uke
  JOIN uker AS u
    ON u.uke_start = bit_uke
  WHERE b.forste_uke <= b.siste_uke
),

med_attributter AS (
  SELECT
    m.*,
    va.gruppe_id AS veiledergruppe_id,
    COALESCE(va.avdeling, 'Uten avdeling') AS avdeling,
    -- A semi-join rather than a LEFT JOIN to the distinct person-weeks: DuckDB then probes with
    -- the expanded weeks and keeps their kontor order (a LEFT JOIN could build on them instead).
    EXISTS (
      SELECT 1
      FROM tiltak_silver.deltakelse_uke AS du
      WHERE du.person_id = m.person_id
        AND du.uke_start = m.uke_start
        AND du.uke_start BETWEEN @start_date AND @end_date
    ) AS paa_tiltak
  FROM med_uker AS m
  LEFT JOIN tiltak_silver.veileder_avdeling AS va
    ON va.enhetsnummer = m.kontor
    AND va.veileder_ident = m.veileder_ident
    AND m.referansedag BETWEEN va.gyldig_fra AND va.gyldig_til
)

SELECT
  CAST(aar AS INT64) AS aar,
  CAST(uke AS INT64) AS uke,
  CAST(uke_start AS DATE) AS uke_start,
  CAST(person_id AS STRING) AS person_id,
  CAST(referansedag AS DATE) AS referansedag,
  CAST(kontor AS STRING) AS kontor,
  CAST(avdeling AS STRING) AS avdeling,
  CAST(veiledergruppe_id AS STRING) AS veiledergruppe_id,
  CAST(COALESCE(innsatsgruppe, 'UKJENT') AS STRING) AS innsatsgruppe,
  CAST(paa_tiltak AS BOOL) AS paa_tiltak
FROM med_attributter
