MODEL (
  name etterlevelse.ds_pvk_flyt,
  kind FULL,
  cron '@daily',
  grain (pvkDokumentId, status),
  audits (
    not_null(columns := (pvkDokumentId, status, forsteTid, antallGanger)),
    unique_combination_of_columns(columns := (pvkDokumentId, status))
  ),
  description 'Én rad per PVK-dokument og status det har vært i, med første og siste gang det gikk inn i statusen og hvor mange ganger. Bare statuser som faktisk forekommer; ingen kunstige rader.',
  column_descriptions (
    pvkDokumentId = 'PVK-dokumentets id.',
    etterlevelseDokumentasjonId = 'Etterlevelsesdokumentet PVK-en hører til (gjeldende versjon).',
    status = 'PVK-status.',
    forsteTid = 'Første gang dokumentet gikk inn i statusen (UTC).',
    sisteTid = 'Siste gang dokumentet gikk inn i statusen (UTC).',
    antallGanger = 'Hvor mange ganger dokumentet gikk inn i statusen.',
    erGjeldendeStatus = 'Statusen er PVK-dokumentets gjeldende status.',
    slettet = 'PVK-dokumentet er slettet.'
  )
);

WITH versjoner AS (
  SELECT
    pvkDokumentId,
    status,
    time,
    LAG(status) OVER (
      PARTITION BY pvkDokumentId ORDER BY @eldste_forst(time, version, lastModifiedDate, action, audit_id)
    ) AS forrigeStatus
  FROM etterlevelse.stage_pvk_dokument
  WHERE action <> 'DELETE'
),

inngang AS (
  SELECT pvkDokumentId, status, time
  FROM versjoner
  WHERE status IS NOT NULL AND (forrigeStatus IS NULL OR forrigeStatus <> status)
),

gjeldende AS (
  SELECT pvkDokumentId, etterlevelseDokumentasjonId, status, slettet
  FROM etterlevelse.stage_pvk_dokument
  WHERE aktivRad
)

SELECT
  CAST(i.pvkDokumentId AS STRING) AS pvkDokumentId,
  CAST(ANY_VALUE(g.etterlevelseDokumentasjonId) AS STRING) AS etterlevelseDokumentasjonId,
  CAST(i.status AS STRING) AS status,
  CAST(MIN(i.time) AS TIMESTAMP) AS forsteTid,
  CAST(MAX(i.time) AS TIMESTAMP) AS sisteTid,
  CAST(COUNT(*) AS INT64) AS antallGanger,
  CAST(COALESCE(LOGICAL_OR(g.status = i.status), FALSE) AS BOOL) AS erGjeldendeStatus,
  CAST(COALESCE(LOGICAL_OR(g.slettet), FALSE) AS BOOL) AS slettet
FROM inngang AS i
LEFT JOIN gjeldende AS g
  ON g.pvkDokumentId = i.pvkDokumentId
GROUP BY i.pvkDokumentId, i.status
