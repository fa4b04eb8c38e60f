MODEL (
  name etterlevelse.stage_meldinger,
  kind FULL,
  cron '@daily',
  grain (id, meldingNr),
  audits (
    not_null(columns := (id, kravNummer, created_date)),
    unique_combination_of_columns(columns := (id, meldingNr))
  ),
  description 'Én rad per melding i en tilbakemelding (spørsmål og svar til kraveier), fra gjeldende tilbakemeldingstabell (den er aldri revidert). En tilbakemelding uten meldinger gir én rad uten melding. Meldingstekst og identer publiseres ikke.',
  column_descriptions (
    id = 'Tilbakemeldingens id.',
    kravNummer = 'Kravnummeret spørsmålet gjelder.',
    kravVersjon = 'Kravversjonen spørsmålet gjelder.',
    created_date = 'Når tilbakemeldingen ble opprettet (UTC).',
    status = 'UBESVART, BESVART eller MIDLERTIDIG_SVAR; tom for tilbakemeldinger fra før statusen fantes (2023).',
    type = 'GOD, UKLAR eller ANNET.',
    meldingNr = 'Meldingens nummer i tråden (1 = spørsmålet).',
    tid = 'Når meldingen ble skrevet (UTC).',
    rolle = 'KRAVEIER eller MELDER.',
    fraBruker = 'Nøkkelbasert pseudonym (HMAC-SHA256) for den som skrev meldingen.',
    innholdAntallTegn = 'Antall tegn i meldingen (teksten publiseres ikke).',
    sisteMelding = 'Sann på trådens siste melding (seneste tid, så høyeste meldingNr).',
    tidBruktDager = 'Dager fra tilbakemeldingen ble opprettet til meldingen; for ubesvarte tråder dager til referansedatoens slutt. Regnet i hele sekunder (brøkdeler av et sekund kuttes bort) og delt på 86 400.'
  )
);

WITH tilbakemelding AS (
  SELECT id, krav_nummer, krav_versjon, created_date, data
  FROM landing_zone.etterlevelse_tilbakemelding
  WHERE created_date < @execution_ts
),

meldinger AS (
  SELECT
    t.id,
    t.krav_nummer,
    t.krav_versjon,
    t.created_date,
    @ett_value(t.data, 'status', '', 'data') AS status,
    @ett_value(t.data, 'type', '', 'data') AS type,
    @heltall(JSON_VALUE(m, '$.meldingNr')) AS meldingNr,
    @tidspunkt(JSON_VALUE(m, '$.tid')) AS tid,
    JSON_VALUE(m, '$.rolle') AS rolle,
    JSON_VALUE(m, '$.fraIdent') AS fraIdent,
    LENGTH(JSON_VALUE(m, '$.innhold')) AS innholdAntallTegn
  FROM tilbakemelding AS t
  LEFT JOIN UNNEST(@ett_objects(t.data, 'meldinger', '', 'data')) AS m
)

SELECT
  CAST(id AS STRING) AS id,
  CAST(krav_nummer AS INT64) AS kravNummer,
  CAST(krav_versjon AS INT64) AS kravVersjon,
  CAST(created_date AS TIMESTAMP) AS created_date,
  CAST(status AS STRING) AS status,
  CAST(type AS STRING) AS type,
  CAST(meldingNr AS INT64) AS meldingNr,
  CAST(tid AS TIMESTAMP) AS tid,
  CAST(rolle AS STRING) AS rolle,
  CAST(@pseudonym(fraIdent) AS STRING) AS fraBruker,
  CAST(innholdAntallTegn AS INT64) AS innholdAntallTegn,
  CAST(
    meldingNr IS NOT NULL
    AND ROW_NUMBER() OVER (PARTITION BY id ORDER BY tid DESC NULLS LAST, meldingNr DESC) = 1
    AS BOOL
  ) AS sisteMelding,
  CAST(
    CASE
      WHEN status = 'UBESVART' THEN @hele_sekunder(CAST(@execution_ts AS TIMESTAMP), created_date) / 86400
      ELSE @hele_sekunder(tid, created_date) / 86400
    END AS FLOAT64
  ) AS tidBruktDager
FROM meldinger
