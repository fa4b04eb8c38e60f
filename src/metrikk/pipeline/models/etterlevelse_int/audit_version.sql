MODEL (
  name etterlevelse_int.audit_version,
  kind VIEW,
  grain audit_id,
  audits (not_null(columns := (audit_id, tabell, table_id, action, time))),
  description 'Én rad per revisjonsrad i Støtte til etterlevelse, som kilden har den: modellene for etterlevelse leser landing_zone.etterlevelse_audit_version gjennom den (bare kildeavvik-kontrollen leser tabellen selv). Tabellnavn og handling er normalisert og endringsstempelet lastModifiedDate lest; gjeldende versjon per entitet står i etterlevelse_int.versjon.',
  column_descriptions (
    audit_id = 'Revisjonsradens id.',
    tabell = 'Tabellnavnet uten understrek og med store bokstaver, så begge epokers skrivemåte (Etterlevelse/ETTERLEVELSE, EtterlevelseDokumentasjon/ETTERLEVELSE_DOKUMENTASJON) blir én verdi.',
    table_name = 'Tabellnavnet slik kilden skrev det (trimmet); skrivemåten viser epoken.',
    table_id = 'Entitetens id.',
    action = 'CREATE, UPDATE eller DELETE (store bokstaver).',
    time = 'Når versjonen ble lagret (UTC).',
    version = 'Entitetens versjonsnummer i revisjonsloggen.',
    lastModifiedDate = 'Endringsstempelet lastModifiedDate i roten av den lagrede JSON-en (UTC); skiller lagringer med samme time og version.',
    user_ident = 'Brukeren slik kilden skrev den («ident - navn»). Publiseres aldri: modellene som viser brukeren pseudonymiserer den med @pseudonym.',
    data = 'Den lagrede JSON-en.'
  )
);

/* Every etterlevelse model reads the audit log through this view (as behandlinger does through
   behandlinger_int.audit_version), so table names, actions and the change stamp are read in one
   place; only the drift check (behandlinger_int.kildeavvik) reads the landing table itself.
   It is a view, not a table: a copy of the JSON documents cost ~430 MB RSS beyond DuckDB's
   memory limit at `default` scale (DuckDB 1.5, measured alone: reading the log 252 MB, copying
   it 685 MB; benchmarks/RESULTS.md), which grows with the log. The version order (which row is
   current) is applied once, in etterlevelse_int.versjon, which also applies the run's as-of; a
   view cannot, since it is not recreated on every run. The user stays raw here (`user_ident`):
   a view that computed @pseudonym would need the key's session variables in every connection
   that reads it, and each model that publishes a user pseudonymises it, so a new key still
   rebuilds exactly those models (metrikk.run). */
SELECT
  CAST(audit_id AS STRING) AS audit_id,
  CAST(UPPER(REPLACE(@uten_blanke(table_name), '_', '')) AS STRING) AS tabell,
  CAST(@uten_blanke(table_name) AS STRING) AS table_name,
  CAST(table_id AS STRING) AS table_id,
  CAST(UPPER(@uten_blanke(action)) AS STRING) AS action,
  CAST(time AS TIMESTAMP) AS time,
  CAST(version AS INT64) AS version,
  CAST(@tidspunkt(JSON_VALUE(data, '$.lastModifiedDate')) AS TIMESTAMP) AS lastModifiedDate,
  CAST(`user` AS STRING) AS user_ident,
  data
FROM landing_zone.etterlevelse_audit_version
