MODEL (
  name tiltak_silver.kildeavvik,
  kind FULL,
  grain (kilde, felt, verdi),
  audits (
    not_null(columns := (kilde, felt, verdi, antall))
  ),
  description 'Én rad per ukjent verdi i en kodekolonne i tiltakskildene (tiltak_bronze), med antall rader og første og siste tidspunkt. Kjente verdier står i metrikk.drift; tabellen publiseres ikke, men skrives ut som advarselen «Kildeendringer» av metrikk run.',
  column_descriptions (
    kilde = 'Landingstabellen verdien står i, f.eks. tiltak_bronze.deltaker_status.',
    felt = 'Kolonnen verdien står i, f.eks. status.',
    verdi = 'Den ukjente verdien (trimmet og med store bokstaver, slik modellene leser den).',
    antall = 'Antall rader med verdien.',
    forste_tidspunkt = 'Tidligste tidspunkt (UTC) for en rad med verdien.',
    siste_tidspunkt = 'Seneste tidspunkt (UTC) for en rad med verdien.'
  )
);

/* Each kilde reads one code column, normalised as the silver models normalise it, with the
   time that dates the row. A value is unknown when it is not in metrikk.drift's list. */
WITH deltaker_status_verdier AS (
  SELECT
    'tiltak_bronze.deltaker_status' AS kilde,
    'status' AS felt,
    UPPER(@uten_blanke(status)) AS verdi,
    opprettet AS tidspunkt
  FROM tiltak_bronze.deltaker_status
),

gjennomforing_status_verdier AS (
  SELECT
    'tiltak_bronze.gjennomforing' AS kilde,
    'status' AS felt,
    UPPER(@uten_blanke(status)) AS verdi,
    oppdatert_tidspunkt AS tidspunkt
  FROM tiltak_bronze.gjennomforing
),

gjennomforing_oppstart_verdier AS (
  SELECT
    'tiltak_bronze.gjennomforing' AS kilde,
    'oppstart' AS felt,
    UPPER(@uten_blanke(oppstart)) AS verdi,
    oppdatert_tidspunkt AS tidspunkt
  FROM tiltak_bronze.gjennomforing
  WHERE oppstart IS NOT NULL
),

innsatsgruppe_verdier AS (
  SELECT
    'tiltak_bronze.vedtak_14a' AS kilde,
    'innsatsgruppe' AS felt,
    UPPER(@uten_blanke(innsatsgruppe)) AS verdi,
    fattet_tidspunkt AS tidspunkt
  FROM tiltak_bronze.vedtak_14a
),

avtale_status_verdier AS (
  SELECT
    'tiltak_bronze.arbeidsgiver_avtale_hendelse' AS kilde,
    'avtale_status' AS felt,
    UPPER(@uten_blanke(avtale_status)) AS verdi,
    tidspunkt
  FROM tiltak_bronze.arbeidsgiver_avtale_hendelse
),

ukjente AS (
  SELECT kilde, felt, verdi, tidspunkt FROM deltaker_status_verdier
  WHERE @ukjent_verdi(verdi, 'deltaker_status.status')
  UNION ALL
  SELECT kilde, felt, verdi, tidspunkt FROM gjennomforing_status_verdier
  WHERE @ukjent_verdi(verdi, 'gjennomforing.status')
  UNION ALL
  SELECT kilde, felt, verdi, tidspunkt FROM gjennomforing_oppstart_verdier
  WHERE @ukjent_verdi(verdi, 'gjennomforing.oppstart')
  UNION ALL
  SELECT kilde, felt, verdi, tidspunkt FROM innsatsgruppe_verdier
  WHERE @ukjent_verdi(verdi, 'vedtak_14a.innsatsgruppe')
  UNION ALL
  SELECT kilde, felt, verdi, tidspunkt FROM avtale_status_verdier
  WHERE @ukjent_verdi(verdi, 'arbeidsgiver_avtale_hendelse.avtale_status')
)

SELECT
  CAST(kilde AS STRING) AS kilde,
  CAST(felt AS STRING) AS felt,
  CAST(verdi AS STRING) AS verdi,
  CAST(COUNT(*) AS INT64) AS antall,
  CAST(MIN(tidspunkt) AS TIMESTAMP) AS forste_tidspunkt,
  CAST(MAX(tidspunkt) AS TIMESTAMP) AS siste_tidspunkt
FROM ukjente
GROUP BY kilde, felt, verdi
