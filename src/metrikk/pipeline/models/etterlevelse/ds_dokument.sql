MODEL (
  name etterlevelse.ds_dokument,
  kind FULL,
  cron '@daily',
  grain audit_id,
  audits (not_null(columns := (etterlevelseDokumentasjonId, audit_id, aktivRad, slettet)), unique_values(columns := (audit_id))),
  description 'Én rad per versjon av et etterlevelsesdokument, med nummer, avdeling, team og antall relevante krav; aktivRad markerer gjeldende versjon. Tittel og andre fritekster publiseres som antall tegn.',
  column_descriptions (
    etterlevelseDokumentasjonId = 'Dokumentets id.',
    audit_id = 'Versjonens id (revisjonsraden).',
    time = 'Når versjonen ble lagret (UTC).',
    etterlevelseNummer = 'Dokumentets nummer (vises som E<nr>).',
    avdeling = 'Avdelingen: NOM-avdelingens id fra juni 2025, ellers den eldre AVDELING-koden.',
    avdelingNavn = 'Avdelingens navn i NOM (fra juni 2025).',
    teams = 'Teamkatalog-team som eier dokumentet.',
    antallBehandlinger = 'Antall behandlinger dokumentet gjelder.',
    antallKrav = 'Antall krav som var relevante for versjonen på versjonens tidspunkt.',
    harTittel = 'Dokumentet har en tittel (migrerte dokumenter starter uten).',
    tittelAntallTegn = 'Antall tegn i tittelen.',
    aktivRad = 'Sann på dokumentets gjeldende (siste) versjon.',
    slettet = 'Dokumentet er slettet.'
  )
);

SELECT
  CAST(etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonId,
  CAST(audit_id AS STRING) AS audit_id,
  CAST(time AS TIMESTAMP) AS time,
  CAST(etterlevelseNummer AS INT64) AS etterlevelseNummer,
  CAST(COALESCE(nomAvdelingId, avdeling) AS STRING) AS avdeling,
  CAST(avdelingNavn AS STRING) AS avdelingNavn,
  CAST(teams AS ARRAY<STRING>) AS teams,
  CAST(ARRAY_LENGTH(behandlingId) AS INT64) AS antallBehandlinger,
  CAST(antallKrav AS INT64) AS antallKrav,
  CAST(tittelAntallTegn > 0 AS BOOL) AS harTittel,
  CAST(tittelAntallTegn AS INT64) AS tittelAntallTegn,
  CAST(aktivRad AS BOOL) AS aktivRad,
  CAST(slettet AS BOOL) AS slettet
FROM etterlevelse.stage_dokument
