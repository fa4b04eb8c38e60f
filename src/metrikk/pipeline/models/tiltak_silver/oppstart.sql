MODEL (
  name tiltak_silver.oppstart,
  kind INCREMENTAL_BY_TIME_RANGE (
    time_column uke_start,
    lookback 28
  ),
  cron '0 0 * * 1',
  start '2022-01-03',
  clustered_by kontor,
  grain deltakelse_id,
  audits (
    unique_values(columns := (deltakelse_id)),
    not_null(columns := (
      aar, uke, uke_start, deltakelse_id, person_id, gjennomforing_id, start_dato, ventedager, kontor, kontor_navn,
      kontor_kilde, tiltakskode, tiltakstype_navn, tiltaksgruppe
    )),
    accepted_values(column := kontor_kilde, is_in := ('OPPFOLGINGSKONTOR', 'GJENNOMFORING', 'UKJENT')),
    forall(criteria := (
      ventedager >= 0,
      start_dato BETWEEN uke_start AND DATE_ADD(uke_start, INTERVAL 6 DAY)
    ))
  ),
  description 'Én rad per Komet-deltakelse som telles og har startdato i en publisert ISO-uke: ventetiden fra første ventestatus til start, med kontor og tiltaksgruppe slik de var på startdatoen.',
  column_descriptions (
    aar = 'ISO-år for uken med startdatoen.',
    uke = 'ISO-ukenummer for uken med startdatoen.',
    uke_start = 'Mandagen i uken med startdatoen.',
    deltakelse_id = 'Komets deltaker-id.',
    person_id = 'Pseudonym personnøkkel.',
    gjennomforing_id = 'Gjennomføringens id.',
    start_dato = 'Første dag i deltakelsen.',
    forste_venter_dato = 'Oslo-datoen til tidligste gyldig_fra blant deltakelsens statusrader med ventestatus (SOKT_INN, VURDERES, VENTELISTE, VENTER_PA_OPPSTART); tom når den aldri ventet.',
    ventedager = 'start_dato minus forste_venter_dato i dager; 0 når den aldri ventet eller ventingen begynte på eller etter startdatoen.',
    kontor = 'Enhetsnummeret til kontoret per startdatoen (oppfølgingskontor, ellers gjennomføringens eneste LOKAL enhet), eller UKJENT. Aldri en FYLKE-enhet.',
    kontor_navn = 'Kontorets navn fra Norg2, eller Ukjent kontor.',
    kontor_kilde = 'Hvilket steg som ga kontoret: OPPFOLGINGSKONTOR, GJENNOMFORING eller UKJENT.',
    tiltakskode = 'Tiltakskode fra gjennomføringens tiltakstype.',
    tiltakstype_navn = 'Tiltakstypens navn.',
    tiltaksgruppe = 'Kontorets tiltaksgruppe for tiltakskoden, ellers den nasjonale, ellers tiltakstypens navn.'
  )
);

WITH oppstarter AS (
  SELECT
    deltakelse_id,
    person_id,
    gjennomforing_id,
    tiltakskode,
    tiltakstype_navn,
    start_dato,
    DATE_TRUNC(start_dato, WEEK(MONDAY)) AS uke_start,
    reservekontor,
    reservekontor_kilde
  FROM tiltak_silver.deltakelse
  WHERE telles
    AND kilde = 'KOMET'
    AND start_dato BETWEEN @start_date AND @end_date
),

i_uker AS (
  -- Only whole weeks of this run (the weekly cron makes @start_date a Monday and @end_date a Sunday).
  SELECT *
  FROM oppstarter
  WHERE uke_start >= @start_date
    AND DATE_ADD(uke_start, INTERVAL 6 DAY) <= @end_date
),

forste_venting AS (
  SELECT s.deltaker_id, MIN(s.gjelder_fra_dag) AS forste_venter_dato
  FROM tiltak_silver.deltaker_status AS s
  WHERE s.status IN ('SOKT_INN', 'VURDERES', 'VENTELISTE', 'VENTER_PA_OPPSTART')
    AND s.deltaker_id IN (SELECT deltakelse_id FROM i_uker)
  GROUP BY s.deltaker_id
),

med_kontor AS (
  -- The deltakelse kontor rule as of start_dato: the oppfølgingskontor (never a FYLKE unit),
  -- else the gjennomføring's only LOKAL enhet, else UKJENT.
  SELECT
    o.*,
    f.forste_venter_dato,
    CASE WHEN NOT pk.er_fylke THEN pk.kontor_id END AS oppfolgingskontor
  FROM i_uker AS o
  LEFT JOIN forste_venting AS f
    ON f.deltaker_id = o.deltakelse_id
  LEFT JOIN tiltak_silver.person_kontor AS pk
    ON pk.person_id = o.person_id
    AND o.start_dato BETWEEN pk.gyldig_fra AND pk.gyldig_til
),

med_tiltaksgruppe AS (
  SELECT
    m.*,
    COALESCE(m.oppfolgingskontor, m.reservekontor, 'UKJENT') AS kontor,
    CASE
      WHEN m.oppfolgingskontor IS NOT NULL THEN 'OPPFOLGINGSKONTOR'
      WHEN m.reservekontor IS NOT NULL THEN m.reservekontor_kilde
      ELSE 'UKJENT'
    END AS kontor_kilde
  FROM med_kontor AS m
),

ferdig AS (
  SELECT
    m.*,
    COALESCE(ne.navn, 'Ukjent kontor') AS kontor_navn,
    COALESCE(lokal.tiltaksgruppe, nasjonal.tiltaksgruppe, m.tiltakstype_navn) AS tiltaksgruppe
  FROM med_tiltaksgruppe AS m
  LEFT JOIN tiltak_silver.nav_enhet AS ne
    ON ne.enhetsnummer = m.kontor
  LEFT JOIN tiltak_silver.tiltaksgruppe AS lokal
    ON lokal.enhetsnummer = m.kontor
    AND lokal.tiltakskode = m.tiltakskode
  LEFT JOIN tiltak_silver.tiltaksgruppe AS nasjonal
    ON nasjonal.nasjonal
    AND nasjonal.tiltakskode = m.tiltakskode
)

SELECT
  CAST(EXTRACT(ISOYEAR FROM uke_start) AS INT64) AS aar,
  CAST(@iso_uke(uke_start) AS INT64) AS uke,
  CAST(uke_start AS DATE) AS uke_start,
  CAST(deltakelse_id AS STRING) AS deltakelse_id,
  CAST(person_id AS STRING) AS person_id,
  CAST(gjennomforing_id AS STRING) AS gjennomforing_id,
  CAST(start_dato AS DATE) AS start_dato,
  CAST(forste_venter_dato AS DATE) AS forste_venter_dato,
  CAST(
    CASE WHEN forste_venter_dato < start_dato THEN DATE_DIFF(start_dato, forste_venter_dato, DAY) ELSE 0 END AS INT64
  ) AS ventedager,
  CAST(kontor AS STRING) AS kontor,
  CAST(kontor_navn AS STRING) AS kontor_navn,
  CAST(kontor_kilde AS STRING) AS kontor_kilde,
  CAST(tiltakskode AS STRING) AS tiltakskode,
  CAST(tiltakstype_navn AS STRING) AS tiltakstype_navn,
  CAST(tiltaksgruppe AS STRING) AS tiltaksgruppe
FROM ferdig
-- Stored by kontor on DuckDB: a dashboard reads one kontor, and zone maps then skip the rest.
@ORDER_BY(@lagres_i_rekkefolge()) kontor, uke_start
