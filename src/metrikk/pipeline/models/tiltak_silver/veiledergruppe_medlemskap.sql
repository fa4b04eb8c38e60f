MODEL (
  name tiltak_silver.veiledergruppe_medlemskap,
  kind FULL,
  grain (enhetsnummer, gruppe_id, veileder_ident, gyldig_fra),
  audits (
    not_null(columns := (enhetsnummer, gruppe_id, gruppe_navn, veileder_ident, medlemskap_start, gyldig_fra, gyldig_til, avdeling)),
    unique_combination_of_columns(columns := (enhetsnummer, gruppe_id, veileder_ident, gyldig_fra))
  ),
  description 'Én rad per medlemskap av en veileder i en veiledergruppe og periode med samme gruppenavn, utledet av de daglige øyeblikksbildene: et medlemskap varer fra første bilde som viser det til dagen før første senere bilde som ikke gjør det; medlemskap i siste bilde er åpne.',
  column_descriptions (
    enhetsnummer = 'Enhetsnummeret til kontoret som eier veiledergruppen.',
    gruppe_id = 'Veiledergruppens id i veilarbfilter.',
    gruppe_navn = 'Veiledergruppens navn i perioden.',
    veileder_ident = 'NAV-identen til veilederen.',
    medlemskap_start = 'Første dag i det sammenhengende medlemskapet perioden er en del av (brukes til å velge gruppe når veilederen er i flere).',
    gyldig_fra = 'Første dag i perioden.',
    gyldig_til = 'Siste dag i perioden; 9999-12-31 når medlemskapet finnes i siste øyeblikksbilde.',
    avdeling = 'Avdelingen gruppen er koblet til i avdeling_veiledergruppe, ellers gruppenavnet.'
  )
);

WITH medlem_per_dag AS (
  SELECT
    @uten_blanke(enhetsnummer) AS enhetsnummer,
    @uten_blanke(gruppe_id) AS gruppe_id,
    @uten_blanke(veileder_ident) AS veileder_ident,
    snapshot_dato,
    MIN(gruppe_navn) AS gruppe_navn
  FROM tiltak_bronze.veiledergruppe_snapshot
  GROUP BY @uten_blanke(enhetsnummer), @uten_blanke(gruppe_id), @uten_blanke(veileder_ident), snapshot_dato
),

bildedager AS (
  SELECT
    snapshot_dato,
    ROW_NUMBER() OVER (ORDER BY snapshot_dato) AS dag_nr,
    LEAD(snapshot_dato) OVER (ORDER BY snapshot_dato) AS neste_bilde
  FROM (SELECT DISTINCT snapshot_dato FROM tiltak_bronze.veiledergruppe_snapshot)
),

medlemskap_nr AS (
  SELECT
    m.*,
    d.dag_nr,
    COALESCE(DATE_SUB(d.neste_bilde, INTERVAL 1 DAY), DATE '9999-12-31') AS til_neste_bilde,
    d.dag_nr - ROW_NUMBER() OVER (
      PARTITION BY m.enhetsnummer, m.gruppe_id, m.veileder_ident ORDER BY m.snapshot_dato
    ) AS medlemskap_nr
  FROM medlem_per_dag AS m
  JOIN bildedager AS d
    ON d.snapshot_dato = m.snapshot_dato
),

navneperiode_nr AS (
  SELECT
    *,
    dag_nr - ROW_NUMBER() OVER (
      PARTITION BY enhetsnummer, gruppe_id, veileder_ident, medlemskap_nr, gruppe_navn ORDER BY snapshot_dato
    ) AS navneperiode_nr
  FROM medlemskap_nr
),

perioder AS (
  SELECT
    enhetsnummer,
    gruppe_id,
    gruppe_navn,
    veileder_ident,
    medlemskap_nr,
    MIN(snapshot_dato) AS gyldig_fra,
    MAX(til_neste_bilde) AS gyldig_til
  FROM navneperiode_nr
  GROUP BY enhetsnummer, gruppe_id, gruppe_navn, veileder_ident, medlemskap_nr, navneperiode_nr
),

avdelinger AS (
  SELECT
    @uten_blanke(enhetsnummer) AS enhetsnummer,
    @uten_blanke(gruppe_id) AS gruppe_id,
    MIN(@uten_blanke(avdeling)) AS avdeling
  FROM tiltak_bronze.avdeling_veiledergruppe
  GROUP BY @uten_blanke(enhetsnummer), @uten_blanke(gruppe_id)
)

SELECT
  CAST(p.enhetsnummer AS STRING) AS enhetsnummer,
  CAST(p.gruppe_id AS STRING) AS gruppe_id,
  CAST(p.gruppe_navn AS STRING) AS gruppe_navn,
  CAST(p.veileder_ident AS STRING) AS veileder_ident,
  CAST(
    MIN(p.gyldig_fra) OVER (PARTITION BY p.enhetsnummer, p.gruppe_id, p.veileder_ident, p.medlemskap_nr) AS DATE
  ) AS medlemskap_start,
  CAST(p.gyldig_fra AS DATE) AS gyldig_fra,
  CAST(p.gyldig_til AS DATE) AS gyldig_til,
  CAST(COALESCE(a.avdeling, p.gruppe_navn) AS STRING) AS avdeling
FROM perioder AS p
LEFT JOIN avdelinger AS a
  ON a.enhetsnummer = p.enhetsnummer AND a.gruppe_id = p.gruppe_id
