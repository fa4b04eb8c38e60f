MODEL (
  name etterlevelse.stage_dokument_status_uke,
  kind FULL,
  cron '@daily',
  grain (uke_start, etterlevelseDokumentasjonId),
  audits (
    not_null(columns := (uke_start, etterlevelseDokumentasjonId, status, avdeling, audit_id)),
    unique_combination_of_columns(columns := (uke_start, etterlevelseDokumentasjonId))
  ),
  description 'Én rad per ISO-uke og etterlevelsesdokument som fantes (ikke slettet) ved ukens slutt, med dokumentets gjeldende versjon ved ukens slutt og statusen avledet slik appen gjør i hver epoke. Grunnlaget for etterlevelse.ds_dokument_status_uke og dokumentlisten på siden Dokumentstatus. Ingen fritekst og ingen identer. Bare uker som er slutt på referansedatoen.',
  column_descriptions (
    uke_start = 'Mandagen i uken (Europe/Oslo); ukens slutt er søndag kl. 24 norsk tid.',
    etterlevelseDokumentasjonId = 'Dokumentets id.',
    audit_id = 'Versjonen av dokumentet som gjaldt ved ukens slutt (for uker før dokumentets første versjon: den første versjonen).',
    etterlevelseNummer = 'Dokumentets nummer (vises som E<nr>).',
    avdeling = 'Avdelingens navn ved ukens slutt: NOM-navnet (det siste navnet NOM-id-en har hatt), ellers navnet på den eldre AVDELING-koden i kodeverket, ellers id/kode, ellers «Uten avdeling».',
    seksjonIder = 'NOM-seksjonene dokumentet hørte til ved ukens slutt.',
    seksjonNavn = 'Navnene til seksjonene i seksjonIder, i samme rekkefølge.',
    teams = 'Teamkatalog-team som eide dokumentet ved ukens slutt.',
    dokumentStatus = 'Statusfeltet i dokumentet ved ukens slutt (fra desember 2025), ellers tomt.',
    pvkStatus = 'Statusen til dokumentets PVK-dokument ved ukens slutt, tom uten (eller med slettet) PVK-dokument.',
    antallSvar = 'Antall krav med et gjeldende, ikke slettet svar ved ukens slutt (svar med status IKKE_PAABEGYNT teller ikke).',
    status = 'IKKE_PAABEGYNT, UNDER_ARBEID, SENDT_TIL_GODKJENNING eller GODKJENT_AV_RISIKOEIER; regelen står i docs/etterlevelse.md («Dokumentstatus per uke»).',
    statusKilde = 'Hva statusen bygger på: STATUSFELT (dokumentets statusfelt), PVK (PVK-dokumentets godkjenning før statusfeltet fantes) eller SVAR (om dokumentet har svar).'
  )
);

/* Document status at each week's end. The rule (docs/etterlevelse.md, «Dokumentstatus per uke»):
   1. The document's own status field (Dec 2025+): SENDT_TIL_GODKJENNING_TIL_RISIKOEIER and
      GODKJENT_AV_RISIKOEIER are taken as they are.
   2. Before the field existed (the field is null): the PVK document's approval: PVK status
      GODKJENT_AV_RISIKOEIER -> GODKJENT_AV_RISIKOEIER, TRENGER_GODKJENNING -> SENDT_TIL_GODKJENNING.
   3. Otherwise (status field UNDER_ARBEID or null, no approval): UNDER_ARBEID when the document
      has at least one current, not deleted answer at the week's end, else IKKE_PAABEGYNT.
   Weeks are computed with per-(document, week) changes carried forward over a week spine, so
   the cost is documents x weeks, never documents x krav x weeks. */
WITH referanse AS (
  SELECT DATE_SUB(CAST(@execution_ds AS DATE), INTERVAL 1 DAY) AS as_of
),

siste AS (
  -- The last week that has ended on the reference date.
  SELECT DATE_SUB(DATE_TRUNC(DATE_ADD(as_of, INTERVAL 1 DAY), WEEK(MONDAY)), INTERVAL 7 DAY) AS siste_uke
  FROM referanse
),

versjoner AS (
  SELECT
    etterlevelseDokumentasjonId, audit_id, time, version, lastModifiedDate, action, slettet,
    DATE_TRUNC(DATE(time, 'Europe/Oslo'), WEEK(MONDAY)) AS uke_start
  FROM etterlevelse.stage_dokument
),

dokumenter AS (
  SELECT
    etterlevelseDokumentasjonId,
    MIN(uke_start) AS forste_versjon_uke,
    MAX(uke_start) AS siste_versjon_uke,
    LOGICAL_OR(slettet) AS slettet,
    LOGICAL_OR(action = 'DELETE') AS harDelete
  FROM versjoner
  GROUP BY etterlevelseDokumentasjonId
),

forste_versjon AS (
  SELECT etterlevelseDokumentasjonId, audit_id AS forsteAuditId
  FROM versjoner
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY etterlevelseDokumentasjonId
    ORDER BY @eldste_forst(time, version, lastModifiedDate, action, audit_id)
  ) = 1
),

versjon_per_uke AS (
  -- The last version saved in each week.
  SELECT etterlevelseDokumentasjonId, uke_start, audit_id
  FROM versjoner
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY etterlevelseDokumentasjonId, uke_start
    ORDER BY @nyeste_forst(time, version, lastModifiedDate, action, audit_id)
  ) = 1
),

svarversjoner AS (
  SELECT DISTINCT
    audit_id, etterlevelseDokumentasjonId, kravNummer, time, version, lastModifiedDate, action, etterlevelseStatus
  FROM etterlevelse.stage_besvarelser
  WHERE etterlevelseDokumentasjonId IS NOT NULL
),

svar_per_uke AS (
  -- Per answer entity (document, kravNummer) and week: is it live after the week's last save?
  SELECT
    etterlevelseDokumentasjonId,
    kravNummer,
    DATE_TRUNC(DATE(time, 'Europe/Oslo'), WEEK(MONDAY)) AS uke_start,
    CAST(action <> 'DELETE' AND COALESCE(etterlevelseStatus, '') <> 'IKKE_PAABEGYNT' AS INT64) AS levende
  FROM svarversjoner
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY etterlevelseDokumentasjonId, kravNummer, DATE_TRUNC(DATE(time, 'Europe/Oslo'), WEEK(MONDAY))
    ORDER BY @nyeste_forst(time, version, lastModifiedDate, action, audit_id)
  ) = 1
),

svar_endringer AS (
  SELECT etterlevelseDokumentasjonId, uke_start, SUM(endring) AS endring
  FROM (
    SELECT
      etterlevelseDokumentasjonId,
      uke_start,
      levende - COALESCE(
        LAG(levende) OVER (PARTITION BY etterlevelseDokumentasjonId, kravNummer ORDER BY uke_start), 0
      ) AS endring
    FROM svar_per_uke
  ) AS e
  GROUP BY etterlevelseDokumentasjonId, uke_start
),

forste_svar AS (
  SELECT etterlevelseDokumentasjonId, MIN(uke_start) AS forste_svar_uke
  FROM svar_per_uke
  GROUP BY etterlevelseDokumentasjonId
),

pvk_per_uke AS (
  SELECT
    etterlevelseDokumentasjonId,
    DATE_TRUNC(DATE(time, 'Europe/Oslo'), WEEK(MONDAY)) AS uke_start,
    CASE WHEN action = 'DELETE' THEN 'SLETTET' ELSE COALESCE(status, 'UKJENT') END AS pvkStatus
  FROM etterlevelse.stage_pvk_dokument
  WHERE etterlevelseDokumentasjonId IS NOT NULL
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY etterlevelseDokumentasjonId, DATE_TRUNC(DATE(time, 'Europe/Oslo'), WEEK(MONDAY))
    ORDER BY @nyeste_forst(time, version, lastModifiedDate, action, audit_id)
  ) = 1
),

spine AS (
  -- Each document from its first week (its first version, or its first answer for a document
  -- migrated in Aug 2023 whose answers predate it) to the last ended week. A document missing
  -- from the current table without a DELETE in the log was deleted by SQL (no audit row): it is
  -- counted up to the week of its last known version.
  SELECT d.etterlevelseDokumentasjonId, uke_start
  FROM dokumenter AS d
  LEFT JOIN forste_svar AS f
    ON f.etterlevelseDokumentasjonId = d.etterlevelseDokumentasjonId
  CROSS JOIN siste AS s
  CROSS JOIN UNNEST(
    GENERATE_DATE_ARRAY(
      LEAST(d.forste_versjon_uke, COALESCE(f.forste_svar_uke, d.forste_versjon_uke)),
      CASE WHEN d.slettet AND NOT d.harDelete THEN LEAST(d.siste_versjon_uke, s.siste_uke) ELSE s.siste_uke END,
      INTERVAL 7 DAY
    )
  ) AS uke_start
),

tilstand AS (
  SELECT
    sp.etterlevelseDokumentasjonId,
    sp.uke_start,
    COALESCE(
      LAST_VALUE(v.audit_id IGNORE NULLS) OVER uker,
      fv.forsteAuditId
    ) AS audit_id,
    LAST_VALUE(p.pvkStatus IGNORE NULLS) OVER uker AS pvkStatus,
    COALESCE(SUM(COALESCE(se.endring, 0)) OVER uker, 0) AS antallSvar
  FROM spine AS sp
  LEFT JOIN versjon_per_uke AS v
    ON v.etterlevelseDokumentasjonId = sp.etterlevelseDokumentasjonId AND v.uke_start = sp.uke_start
  LEFT JOIN pvk_per_uke AS p
    ON p.etterlevelseDokumentasjonId = sp.etterlevelseDokumentasjonId AND p.uke_start = sp.uke_start
  LEFT JOIN svar_endringer AS se
    ON se.etterlevelseDokumentasjonId = sp.etterlevelseDokumentasjonId AND se.uke_start = sp.uke_start
  LEFT JOIN forste_versjon AS fv
    ON fv.etterlevelseDokumentasjonId = sp.etterlevelseDokumentasjonId
  WINDOW uker AS (
    PARTITION BY sp.etterlevelseDokumentasjonId ORDER BY sp.uke_start ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  )
),

avdelingskoder AS (
  SELECT kode, navn FROM etterlevelse.stage_kodeverk WHERE liste = 'AVDELING' AND COALESCE(navn, '') <> ''
),

nom_navn AS (
  -- One name per NOM avdeling: the name its latest version carries.
  SELECT nomAvdelingId, avdelingNavn
  FROM etterlevelse.stage_dokument
  WHERE nomAvdelingId IS NOT NULL AND COALESCE(avdelingNavn, '') <> ''
  QUALIFY ROW_NUMBER() OVER (PARTITION BY nomAvdelingId ORDER BY time DESC, audit_id DESC) = 1
),

med_versjon AS (
  SELECT
    t.uke_start,
    t.etterlevelseDokumentasjonId,
    t.audit_id,
    t.pvkStatus,
    t.antallSvar,
    d.action,
    d.etterlevelseNummer,
    d.dokumentStatus,
    d.seksjonIder,
    d.seksjonNavn,
    d.teams,
    COALESCE(
      NULLIF(n.avdelingNavn, ''), NULLIF(d.avdelingNavn, ''), k.navn, NULLIF(d.nomAvdelingId, ''),
      NULLIF(d.avdeling, ''), 'Uten avdeling'
    ) AS avdeling
  FROM tilstand AS t
  INNER JOIN etterlevelse.stage_dokument AS d
    ON d.audit_id = t.audit_id
  LEFT JOIN nom_navn AS n
    ON n.nomAvdelingId = d.nomAvdelingId
  LEFT JOIN avdelingskoder AS k
    ON k.kode = d.avdeling
)

SELECT
  CAST(m.uke_start AS DATE) AS uke_start,
  CAST(m.etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonId,
  CAST(m.audit_id AS STRING) AS audit_id,
  CAST(m.etterlevelseNummer AS INT64) AS etterlevelseNummer,
  CAST(m.avdeling AS STRING) AS avdeling,
  CAST(m.seksjonIder AS ARRAY<STRING>) AS seksjonIder,
  CAST(m.seksjonNavn AS ARRAY<STRING>) AS seksjonNavn,
  CAST(m.teams AS ARRAY<STRING>) AS teams,
  CAST(m.dokumentStatus AS STRING) AS dokumentStatus,
  CAST(CASE WHEN m.pvkStatus = 'SLETTET' THEN NULL ELSE m.pvkStatus END AS STRING) AS pvkStatus,
  CAST(m.antallSvar AS INT64) AS antallSvar,
  CAST(
    CASE
      WHEN m.dokumentStatus = 'GODKJENT_AV_RISIKOEIER' THEN 'GODKJENT_AV_RISIKOEIER'
      WHEN m.dokumentStatus = 'SENDT_TIL_GODKJENNING_TIL_RISIKOEIER' THEN 'SENDT_TIL_GODKJENNING'
      WHEN m.dokumentStatus IS NULL AND m.pvkStatus = 'GODKJENT_AV_RISIKOEIER' THEN 'GODKJENT_AV_RISIKOEIER'
      WHEN m.dokumentStatus IS NULL AND m.pvkStatus = 'TRENGER_GODKJENNING' THEN 'SENDT_TIL_GODKJENNING'
      WHEN m.antallSvar > 0 THEN 'UNDER_ARBEID'
      ELSE 'IKKE_PAABEGYNT'
    END AS STRING
  ) AS status,
  CAST(
    CASE
      WHEN m.dokumentStatus IN ('GODKJENT_AV_RISIKOEIER', 'SENDT_TIL_GODKJENNING_TIL_RISIKOEIER') THEN 'STATUSFELT'
      WHEN m.dokumentStatus IS NULL AND m.pvkStatus IN ('GODKJENT_AV_RISIKOEIER', 'TRENGER_GODKJENNING') THEN 'PVK'
      ELSE 'SVAR'
    END AS STRING
  ) AS statusKilde
FROM med_versjon AS m
WHERE m.action <> 'DELETE'
