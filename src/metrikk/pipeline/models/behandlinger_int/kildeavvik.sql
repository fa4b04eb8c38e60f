MODEL (
  name behandlinger_int.kildeavvik,
  kind FULL,
  grain (kilde, felt, verdi),
  audits (
    not_null(columns := (kilde, felt, verdi, antall))
  ),
  description 'Én rad per ukjent verdi i revisjonsloggene til Støtte til etterlevelse og Behandlingskatalogen: ukjent table_name, ukjent action, eller ukjent nøkkel på rotnivå i data-JSON for et kjent table_name. Med antall rader og første og siste tidspunkt. Kjente verdier står i metrikk.drift; tabellen publiseres ikke, men skrives ut som advarselen «Kildeendringer» av metrikk run.',
  column_descriptions (
    kilde = 'Landingstabellen verdien står i, f.eks. landing_zone.behandlingskatalogen_audit_version.',
    felt = 'Hva verdien er: table_name, action, eller data-nøkkel for et table_name (f.eks. «data-nøkkel (PROCESS)»).',
    verdi = 'Den ukjente verdien eller JSON-nøkkelen.',
    antall = 'Antall revisjonsrader med verdien.',
    forste_tidspunkt = 'Tidligste time (UTC) for en rad med verdien.',
    siste_tidspunkt = 'Seneste time (UTC) for en rad med verdien.'
  )
);

/* The drift check reads the raw landing tables, not the audit_version models the other models
   read through: it reports what the source holds, every row of it (not only those up to the
   run's as-of), and it keeps the run's memory peak where it was (read through the models, the
   run's scheduler put it right before process_version, and the run's peak RSS rose ~50 MB).
   table_name is compared as spelt for etterlevelse (the spelling carries meaning, research
   §1.2) and upper-cased for polly (as behandlinger_int.audit_version reads it). JSON root keys
   are checked only for table names with a known key set (metrikk.drift).
   Memory: `data` is read once per log, in the CTEs that list its keys (`JSON_KEYS` into an
   array column, then UNNEST of that column). The rows that check table_name and action carry
   no `data`: a CTE used twice is materialised, and `CROSS JOIN UNNEST(JSON_KEYS(data, 1))`
   straight on the wide rows made DuckDB buffer every document (5 GB at `default` scale). */
WITH etterlevelse_rader AS (
  SELECT
    'landing_zone.etterlevelse_audit_version' AS kilde,
    UPPER(@uten_blanke(action)) AS action,
    @uten_blanke(table_name) AS table_name,
    time
  FROM landing_zone.etterlevelse_audit_version
),

polly_rader AS (
  SELECT
    'landing_zone.behandlingskatalogen_audit_version' AS kilde,
    UPPER(@uten_blanke(action)) AS action,
    UPPER(@uten_blanke(table_name)) AS table_name,
    time
  FROM landing_zone.behandlingskatalogen_audit_version
),

etterlevelse_nokkellister AS (
  SELECT
    'landing_zone.etterlevelse_audit_version' AS kilde,
    @uten_blanke(table_name) AS table_name,
    time,
    JSON_KEYS(data, 1) AS nokler
  FROM landing_zone.etterlevelse_audit_version
),

polly_nokkellister AS (
  SELECT
    'landing_zone.behandlingskatalogen_audit_version' AS kilde,
    UPPER(@uten_blanke(table_name)) AS table_name,
    time,
    JSON_KEYS(data, 1) AS nokler
  FROM landing_zone.behandlingskatalogen_audit_version
),

etterlevelse_nokler AS (
  SELECT
    r.kilde,
    r.table_name,
    nokkel,
    r.time
  FROM etterlevelse_nokkellister AS r
  CROSS JOIN UNNEST(r.nokler) AS nokkel
),

polly_nokler AS (
  SELECT
    r.kilde,
    r.table_name,
    nokkel,
    r.time
  FROM polly_nokkellister AS r
  CROSS JOIN UNNEST(r.nokler) AS nokkel
),

ukjente AS (
  SELECT kilde, 'table_name' AS felt, table_name AS verdi, time FROM etterlevelse_rader
  WHERE @ukjent_verdi(table_name, 'etterlevelse.table_name')
  UNION ALL
  SELECT kilde, 'action' AS felt, action AS verdi, time FROM etterlevelse_rader
  WHERE @ukjent_verdi(action, 'action')
  UNION ALL
  SELECT kilde, CONCAT('data-nøkkel (', table_name, ')') AS felt, nokkel AS verdi, time FROM etterlevelse_nokler
  WHERE @ukjent_nokkel(table_name, nokkel, 'etterlevelse')
  UNION ALL
  SELECT kilde, 'table_name' AS felt, table_name AS verdi, time FROM polly_rader
  WHERE @ukjent_verdi(table_name, 'behandlingskatalogen.table_name')
  UNION ALL
  SELECT kilde, 'action' AS felt, action AS verdi, time FROM polly_rader
  WHERE @ukjent_verdi(action, 'action')
  UNION ALL
  SELECT kilde, CONCAT('data-nøkkel (', table_name, ')') AS felt, nokkel AS verdi, time FROM polly_nokler
  WHERE @ukjent_nokkel(table_name, nokkel, 'behandlingskatalogen')
)

SELECT
  CAST(kilde AS STRING) AS kilde,
  CAST(felt AS STRING) AS felt,
  CAST(verdi AS STRING) AS verdi,
  CAST(COUNT(*) AS INT64) AS antall,
  CAST(MIN(time) AS TIMESTAMP) AS forste_tidspunkt,
  CAST(MAX(time) AS TIMESTAMP) AS siste_tidspunkt
FROM ukjente
GROUP BY kilde, felt, verdi
