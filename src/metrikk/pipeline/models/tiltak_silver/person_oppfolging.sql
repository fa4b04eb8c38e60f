MODEL (
  name tiltak_silver.person_oppfolging,
  kind FULL,
  grain (person_id, gyldig_fra),
  audits (
    not_null(columns := (person_id, gyldig_fra, gyldig_til, antall_perioder)),
    unique_combination_of_columns(columns := (person_id, gyldig_fra)),
    forall(criteria := (
      gyldig_fra <= gyldig_til,
      neste_fra IS NULL OR neste_fra > DATE_ADD(gyldig_til, INTERVAL 1 DAY)
    ))
  ),
  description 'Én rad per person og sammenhengende periode under arbeidsrettet oppfølging: dagene (Europe/Oslo) som minst én av personens oppfølgingsperioder dekker, fra og med gyldig_fra til og med gyldig_til. Perioder som overlapper eller følger rett etter hverandre er slått sammen.',
  column_descriptions (
    person_id = 'Pseudonym personnøkkel.',
    gyldig_fra = 'Første dag under oppfølging (Oslo-datoen til startdato).',
    gyldig_til = 'Siste dag under oppfølging (Oslo-datoen til sluttdato, som regnes med); 9999-12-31 når perioden er åpen.',
    neste_fra = 'Første dag i personens neste periode under oppfølging; tom når det ikke er noen.',
    antall_perioder = 'Antall perioder fra veilarboppfolging som er slått sammen til denne.'
  )
);

/* A period's days are the Oslo dates startdato … sluttdato (the day it ends counts); an open
   period lasts to 9999-12-31, which the weekly models cut at their last published week. A period
   that ends before it starts has no days. Periods are merged into islands of consecutive days
   with a running maximum of the end: a period starts a new island when it starts more than one
   day after every earlier period of the person has ended. */
WITH perioder AS (
  SELECT
    @uten_blanke(person_id) AS person_id,
    @oslo_dato(startdato) AS fra,
    COALESCE(@oslo_dato(sluttdato), DATE '9999-12-31') AS til
  FROM tiltak_bronze.oppfolgingsperiode
),

gyldige AS (
  SELECT person_id, fra, til
  FROM perioder
  WHERE fra <= til
),

med_forrige_slutt AS (
  SELECT
    *,
    MAX(til) OVER (
      PARTITION BY person_id ORDER BY fra, til ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS forrige_til
  FROM gyldige
),

med_oy AS (
  SELECT
    *,
    SUM(CASE WHEN forrige_til IS NULL OR DATE_SUB(fra, INTERVAL 1 DAY) > forrige_til THEN 1 ELSE 0 END) OVER (
      PARTITION BY person_id ORDER BY fra, til ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS oy_nr
  FROM med_forrige_slutt
),

oyer AS (
  SELECT person_id, MIN(fra) AS gyldig_fra, MAX(til) AS gyldig_til, COUNT(*) AS antall_perioder
  FROM med_oy
  GROUP BY person_id, oy_nr
)

SELECT
  CAST(person_id AS STRING) AS person_id,
  CAST(gyldig_fra AS DATE) AS gyldig_fra,
  CAST(gyldig_til AS DATE) AS gyldig_til,
  CAST(LEAD(gyldig_fra) OVER (PARTITION BY person_id ORDER BY gyldig_fra) AS DATE) AS neste_fra,
  CAST(antall_perioder AS INT64) AS antall_perioder
FROM oyer
