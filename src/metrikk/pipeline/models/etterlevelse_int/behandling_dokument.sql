MODEL (
  name etterlevelse_int.behandling_dokument,
  kind FULL,
  cron '@daily',
  grain behandlingId,
  audits (not_null(columns := (behandlingId, etterlevelseDokumentasjonId)), unique_values(columns := (behandlingId))),
  description 'Kobling fra behandlingId til etterlevelsesdokumentet migreringen i august 2023 laget for den (V1.15: ett dokument per behandlingId). Én rad per behandlingId. Brukes for å koble svar lagret før migreringen, som bare kjenner behandlingId.',
  column_descriptions (
    behandlingId = 'Behandlingens id i Behandlingskatalogen.',
    etterlevelseDokumentasjonId = 'Det migrerte dokumentet behandlingen ble koblet til.',
    kilde = 'REVISJONSLOGG: dokumentets første reviderte versjon (uansett epokens JSON-form); GJELDENDE_TABELL: dokumentet er aldri redigert og finnes bare i gjeldende tabell.',
    antallKandidater = 'Antall migrerte dokumenter som oppga denne behandlingId; ved flere vinner laveste etterlevelseNummer, så laveste id.'
  )
);

WITH dokument_versjoner AS (
  SELECT
    audit_id, etterlevelseDokumentasjonId, action, time, version, lastModifiedDate, opprettetAvMigrering,
    etterlevelseNummer, behandlingId
  FROM etterlevelse_int.dokument_versjon
),

forste_migrerte_versjon AS (
  SELECT etterlevelseDokumentasjonId, etterlevelseNummer, behandlingId
  FROM dokument_versjoner
  WHERE opprettetAvMigrering
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY etterlevelseDokumentasjonId ORDER BY @eldste_forst(time, version, lastModifiedDate, action, audit_id)
  ) = 1
),

gjeldende_uten_revisjon AS (
  SELECT
    gjeldende.id AS etterlevelseDokumentasjonId,
    @heltall(@ett_value(gjeldende.data, 'etterlevelseNummer', '', 'data', 'etterlevelseDokumentasjonData')) AS etterlevelseNummer,
    @ett_array(gjeldende.data, 'behandlingIds', '', 'data', 'etterlevelseDokumentasjonData') AS behandlingId
  FROM landing_zone.etterlevelse_etterlevelse_dokumentasjon AS gjeldende
  WHERE gjeldende.id NOT IN (SELECT etterlevelseDokumentasjonId FROM dokument_versjoner)
),

kandidater AS (
  SELECT f.etterlevelseDokumentasjonId, f.etterlevelseNummer, b AS behandlingId, 'REVISJONSLOGG' AS kilde
  FROM forste_migrerte_versjon AS f
  CROSS JOIN UNNEST(f.behandlingId) AS b
  UNION ALL
  SELECT g.etterlevelseDokumentasjonId, g.etterlevelseNummer, b AS behandlingId, 'GJELDENDE_TABELL' AS kilde
  FROM gjeldende_uten_revisjon AS g
  CROSS JOIN UNNEST(g.behandlingId) AS b
),

valgt AS (
  SELECT
    behandlingId,
    etterlevelseDokumentasjonId,
    kilde,
    COUNT(*) OVER (PARTITION BY behandlingId) AS antallKandidater
  FROM kandidater
  WHERE behandlingId IS NOT NULL AND behandlingId <> ''
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY behandlingId ORDER BY etterlevelseNummer NULLS LAST, etterlevelseDokumentasjonId
  ) = 1
)

SELECT
  CAST(behandlingId AS STRING) AS behandlingId,
  CAST(etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonId,
  CAST(kilde AS STRING) AS kilde,
  CAST(antallKandidater AS INT64) AS antallKandidater
FROM valgt
