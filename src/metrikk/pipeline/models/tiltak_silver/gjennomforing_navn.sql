MODEL (
  name tiltak_silver.gjennomforing_navn,
  kind FULL,
  grain gjennomforing_id,
  audits (
    not_null(columns := (gjennomforing_id, visningsnavn, tiltakskode, tiltakstype_navn, enkeltplass)),
    unique_values(columns := (gjennomforing_id))
  ),
  description 'Én rad per gjennomføring: navnet dashboardet og API-et viser for den (navnet fra Valp, ellers tiltaksnummer og tiltakstype), med tiltaksnummer, datoer og om den er en enkeltplass. Leses av nettsidene; ingen tall om personer.',
  column_descriptions (
    gjennomforing_id = 'Gjennomføringens id i Valp (samme som tiltak_gold.uke_gjennomforing.gjennomforing_id).',
    navn = 'Gjennomføringens navn fra Valp; tom når det mangler.',
    tiltaksnummer = 'Saksnummeret i Arena (<år>#<løpenummer>); tom når det mangler.',
    tiltakskode = 'Gjennomføringens tiltakskode; UKJENT når tiltakstypen mangler.',
    tiltakstype_navn = 'Tiltakstypens navn.',
    visningsnavn = 'Navnet som vises: navn; uten navn tiltaksnummer og tiltakstype («2021#123456 Jobbklubb»); uten begge tiltakstype og de første åtte tegnene av id-en.',
    enkeltplass = 'Sann når gjennomføringen er en enkeltplass (tiltakskategori ENKELTPLASS, også oppstart ENKELTPLASS): én deltaker, ingen plasser å fylle.',
    start_dato = 'Første dag gjennomføringen kjører.',
    slutt_dato = 'Siste dag gjennomføringen kjører; tom når den er åpen.'
  )
);

-- tiltak_silver.gjennomforing does not carry tiltaksnummer; read it from the same deduplicated
-- bronze row (latest oppdatert_tidspunkt, then opprettet_tidspunkt).
WITH tiltaksnummer AS (
  SELECT
    @uten_blanke(id) AS id,
    NULLIF(@uten_blanke(tiltaksnummer), '') AS tiltaksnummer
  FROM tiltak_bronze.gjennomforing
  QUALIFY ROW_NUMBER() OVER (PARTITION BY @uten_blanke(id) ORDER BY oppdatert_tidspunkt DESC, opprettet_tidspunkt DESC) = 1
),

navngitt AS (
  SELECT
    g.id,
    NULLIF(@uten_blanke(g.navn), '') AS navn,
    t.tiltaksnummer,
    g.tiltakskode,
    g.tiltakstype_navn,
    g.tiltakskategori,
    g.start_dato,
    g.slutt_dato
  FROM tiltak_silver.gjennomforing AS g
  LEFT JOIN tiltaksnummer AS t
    ON t.id = g.id
)

SELECT
  CAST(id AS STRING) AS gjennomforing_id,
  CAST(navn AS STRING) AS navn,
  CAST(tiltaksnummer AS STRING) AS tiltaksnummer,
  CAST(tiltakskode AS STRING) AS tiltakskode,
  CAST(tiltakstype_navn AS STRING) AS tiltakstype_navn,
  CAST(
    CASE
      WHEN navn IS NOT NULL THEN navn
      WHEN tiltaksnummer IS NOT NULL THEN CONCAT(tiltaksnummer, ' ', tiltakstype_navn)
      ELSE CONCAT(tiltakstype_navn, ' (', SUBSTR(id, 1, 8), ')')
    END AS STRING
  ) AS visningsnavn,
  CAST(tiltakskategori = 'ENKELTPLASS' AS BOOL) AS enkeltplass,
  CAST(start_dato AS DATE) AS start_dato,
  CAST(slutt_dato AS DATE) AS slutt_dato
FROM navngitt
