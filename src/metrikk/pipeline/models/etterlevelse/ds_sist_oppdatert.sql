MODEL (
  name etterlevelse.ds_sist_oppdatert,
  kind FULL,
  cron '@daily',
  grain (etterlevelseDokumentasjonId, dato),
  audits (
    not_null(columns := (etterlevelseDokumentasjonId, dato, sistOppdatert, dagerSidenOppdatering, aktivRad)),
    unique_combination_of_columns(columns := (etterlevelseDokumentasjonId, dato)),
    etterlevelse_en_aktiv_rad(columns := (etterlevelseDokumentasjonId), version_column := dato)
  ),
  description 'Én rad per dokument og kalenderdag (Europe/Oslo) fra dagen dokumentet første gang fikk et svar lagret, til referansedatoen, eller til dagen dokumentet ble slettet. Viser hvor mange dager det var siden siste lagrede svar.',
  column_descriptions (
    etterlevelseDokumentasjonId = 'Dokumentets id.',
    dato = 'Kalenderdag (Europe/Oslo).',
    date = 'Det samme som dato (navnet fra den opprinnelige jobben).',
    oppdatert = 'Minst ett svar i dokumentet ble lagret denne dagen.',
    updated = 'Den opprinnelige jobbens markering av oppdatert: 1 når minst ett svar ble lagret denne dagen, ellers tom.',
    sistOppdatert = 'Siste dag på eller før dato da et svar ble lagret.',
    dagerSidenOppdatering = 'Dager fra sistOppdatert til dato.',
    aktivRad = 'Sann på dokumentets siste dag i tabellen (referansedatoen, eller slettedagen).'
  )
);

WITH referanse AS (
  SELECT DATE_SUB(CAST(@execution_ds AS DATE), INTERVAL 1 DAY) AS as_of
),

oppdateringer AS (
  SELECT DISTINCT etterlevelseDokumentasjonId, DATE(time, 'Europe/Oslo') AS dato
  FROM etterlevelse.stage_besvarelser
  WHERE etterlevelseDokumentasjonId IS NOT NULL
),

dokument_slutt AS (
  SELECT etterlevelseDokumentasjonId, CASE WHEN slettet THEN DATE(time, 'Europe/Oslo') END AS slettetDato
  FROM etterlevelse.stage_dokument
  WHERE aktivRad
),

spenn AS (
  SELECT
    o.etterlevelseDokumentasjonId,
    MIN(o.dato) AS forste,
    LEAST(MAX(r.as_of), COALESCE(MAX(s.slettetDato), MAX(r.as_of))) AS siste
  FROM oppdateringer AS o
  CROSS JOIN referanse AS r
  LEFT JOIN dokument_slutt AS s
    ON s.etterlevelseDokumentasjonId = o.etterlevelseDokumentasjonId
  GROUP BY o.etterlevelseDokumentasjonId
),

dager AS (
  SELECT s.etterlevelseDokumentasjonId, dato, s.siste
  FROM spenn AS s
  CROSS JOIN UNNEST(GENERATE_DATE_ARRAY(s.forste, s.siste, INTERVAL 1 DAY)) AS dato
),

med_oppdatering AS (
  SELECT
    d.etterlevelseDokumentasjonId,
    d.dato,
    d.siste,
    o.dato AS oppdatertDato
  FROM dager AS d
  LEFT JOIN oppdateringer AS o
    ON o.etterlevelseDokumentasjonId = d.etterlevelseDokumentasjonId AND o.dato = d.dato
),

utfylt AS (
  SELECT
    m.*,
    MAX(m.oppdatertDato) OVER (
      PARTITION BY m.etterlevelseDokumentasjonId ORDER BY m.dato ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS sistOppdatert
  FROM med_oppdatering AS m
)

SELECT
  CAST(etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonId,
  CAST(dato AS DATE) AS dato,
  CAST(dato AS DATE) AS date,
  CAST(oppdatertDato IS NOT NULL AS BOOL) AS oppdatert,
  CAST(IF(oppdatertDato IS NOT NULL, 1, NULL) AS INT64) AS updated,
  CAST(sistOppdatert AS DATE) AS sistOppdatert,
  CAST(DATE_DIFF(dato, sistOppdatert, DAY) AS INT64) AS dagerSidenOppdatering,
  CAST(dato = siste AS BOOL) AS aktivRad
FROM utfylt
