MODEL (
  name tiltak_silver.gjennomforing,
  kind FULL,
  grain id,
  audits (
    not_null(columns := (id, tiltakstype_id, tiltakskode, tiltakstype_navn, tiltakskategori, antall_lokale_enheter)),
    unique_values(columns := (id)),
    accepted_values(column := tiltakskategori, is_in := ('GRUPPE', 'ENKELTPLASS', 'ARBEIDSGIVER', 'EGEN_REGI'))
  ),
  description 'Én rad per gjennomføring fra Valp, med tiltakstype, tiltakskategori, antall plasser og de LOKAL Nav-enhetene den er knyttet til.',
  column_descriptions (
    id = 'Gjennomføringens id i Valp (samme som deltaker.gjennomforing_id).',
    tiltakstype_id = 'Tiltakstypens id i Valp.',
    tiltakskode = 'Valps tiltakskode; UKJENT når tiltakstypen mangler.',
    tiltakstype_navn = 'Tiltakstypens navn; Ukjent tiltakstype når tiltakstypen mangler.',
    tiltakskategori = 'GRUPPE, ENKELTPLASS, ARBEIDSGIVER eller EGEN_REGI (ENKELTPLASS også når oppstart er ENKELTPLASS).',
    navn = 'Gjennomføringens navn.',
    status = 'GJENNOMFORES, AVSLUTTET, AVBRUTT eller AVLYST.',
    oppstart = 'LOPENDE, FELLES eller ENKELTPLASS.',
    start_dato = 'Første dag gjennomføringen kjører.',
    slutt_dato = 'Siste dag gjennomføringen kjører; tom når den er åpen.',
    antall_plasser = 'Antall plasser; tom når det ikke er oppgitt.',
    lokale_enheter = 'Enhetsnumrene til LOKAL Nav-enheter gjennomføringen er knyttet til, sortert.',
    antall_lokale_enheter = 'Antall LOKAL Nav-enheter gjennomføringen er knyttet til.',
    eneste_lokale_enhet = 'Den eneste LOKAL Nav-enheten når det er nøyaktig én, ellers tom.'
  )
);

WITH gjennomforinger AS (
  SELECT
    @uten_blanke(id) AS id,
    @uten_blanke(tiltakstype_id) AS tiltakstype_id,
    navn,
    UPPER(@uten_blanke(status)) AS status,
    NULLIF(UPPER(@uten_blanke(oppstart)), '') AS oppstart,
    start_dato,
    slutt_dato,
    antall_plasser
  FROM tiltak_bronze.gjennomforing
  QUALIFY ROW_NUMBER() OVER (PARTITION BY @uten_blanke(id) ORDER BY oppdatert_tidspunkt DESC, opprettet_tidspunkt DESC) = 1
),

lokale_enheter AS (
  SELECT
    gjennomforing_id,
    ARRAY_AGG(enhetsnummer ORDER BY enhetsnummer) AS lokale_enheter,
    COUNT(*) AS antall_lokale_enheter,
    MIN(enhetsnummer) AS forste_enhet
  FROM tiltak_silver.gjennomforing_lokal_enhet
  GROUP BY gjennomforing_id
),

med_tiltakstype AS (
  SELECT
    g.*,
    COALESCE(tt.tiltakskode, 'UKJENT') AS tiltakskode,
    COALESCE(tt.navn, 'Ukjent tiltakstype') AS tiltakstype_navn,
    CASE
      WHEN tt.tiltakskategori IN ('ARBEIDSGIVER', 'EGEN_REGI', 'ENKELTPLASS') THEN tt.tiltakskategori
      WHEN g.oppstart = 'ENKELTPLASS' THEN 'ENKELTPLASS'
      ELSE 'GRUPPE'
    END AS tiltakskategori,
    le.lokale_enheter,
    COALESCE(le.antall_lokale_enheter, 0) AS antall_lokale_enheter,
    CASE WHEN le.antall_lokale_enheter = 1 THEN le.forste_enhet END AS eneste_lokale_enhet
  FROM gjennomforinger AS g
  LEFT JOIN tiltak_silver.tiltakstype AS tt
    ON tt.id = g.tiltakstype_id
  LEFT JOIN lokale_enheter AS le
    ON le.gjennomforing_id = g.id
)

SELECT
  CAST(id AS STRING) AS id,
  CAST(tiltakstype_id AS STRING) AS tiltakstype_id,
  CAST(tiltakskode AS STRING) AS tiltakskode,
  CAST(tiltakstype_navn AS STRING) AS tiltakstype_navn,
  CAST(tiltakskategori AS STRING) AS tiltakskategori,
  CAST(navn AS STRING) AS navn,
  CAST(status AS STRING) AS status,
  CAST(oppstart AS STRING) AS oppstart,
  CAST(start_dato AS DATE) AS start_dato,
  CAST(slutt_dato AS DATE) AS slutt_dato,
  CAST(antall_plasser AS INT64) AS antall_plasser,
  CAST(COALESCE(lokale_enheter, []) AS ARRAY<STRING>) AS lokale_enheter,
  CAST(antall_lokale_enheter AS INT64) AS antall_lokale_enheter,
  CAST(eneste_lokale_enhet AS STRING) AS eneste_lokale_enhet
FROM med_tiltakstype
