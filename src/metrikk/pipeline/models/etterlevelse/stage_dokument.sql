MODEL (
  name etterlevelse.stage_dokument,
  kind FULL,
  cron '@daily',
  grain audit_id,
  audits (
    not_null(columns := (audit_id, etterlevelseDokumentasjonId, time, aktivRad, slettet)),
    unique_values(columns := (audit_id)),
    etterlevelse_en_aktiv_rad(columns := (etterlevelseDokumentasjonId), version_column := audit_id)
  ),
  description 'Én rad per versjon av et etterlevelsesdokument: hver revisjonsrad (EtterlevelseDokumentasjon/ETTERLEVELSE_DOKUMENTASJON, begge JSON-former), pluss én rad for dokumenter som bare finnes i gjeldende tabell fordi de aldri er redigert etter migreringen i 2023. Lister beholdes som lister. Fritekst og identer publiseres ikke; tabellen har lengder og antall i stedet.',
  column_descriptions (
    etterlevelseDokumentasjonId = 'Dokumentets id.',
    audit_id = 'Revisjonsradens id; for dokumenter som bare finnes i gjeldende tabell: gjeldende:<id>.',
    time = 'Når versjonen ble lagret (UTC). Dokumenter uten revisjonsrad får opprettelsestidspunktet fra gjeldende tabell, ellers migreringsdatoen 2023-07-26.',
    action = 'CREATE, UPDATE, DELETE, eller GJELDENDE for en rad fra gjeldende tabell.',
    version = 'Versjonsnummer i revisjonsloggen.',
    user = 'Nøkkelbasert pseudonym (HMAC-SHA256) for brukeren som lagret; tom for rader fra gjeldende tabell.',
    kilde = 'REVISJONSLOGG eller GJELDENDE_TABELL.',
    lastModifiedDate = 'Endringsstempelet lastModifiedDate i roten av den lagrede JSON-en (UTC); tom for rader fra gjeldende tabell.',
    aktivRad = 'Sann på nøyaktig én rad per dokument: siste versjon etter time, så version, så lastModifiedDate, så DELETE etter annen handling, så audit_id.',
    slettet = 'Sann for alle rader av et dokument når siste versjon er en DELETE, eller dokumentet mangler i gjeldende tabell (når den er lastet).',
    dokumentSistOppdatert = 'Tidspunktet for dokumentets siste versjon.',
    opprettetAvMigrering = 'Sann når dokumentet ble opprettet av migreringen i august 2023.',
    etterlevelseNummer = 'Dokumentets nummer (vises som E<nr>).',
    behandlingId = 'Behandlingene (Behandlingskatalogen) dokumentet gjelder.',
    teams = 'Teamkatalog-team som eier dokumentet.',
    irrelevansFor = 'RELEVANS-koder dokumentet har markert som ikke relevante.',
    avdeling = 'Avdelingskode (AVDELING) før juni 2025.',
    nomAvdelingId = 'Avdelingens id i NOM (fra juni 2025).',
    avdelingNavn = 'Avdelingens navn i NOM (fra juni 2025).',
    seksjonIder = 'NOM-seksjoner dokumentet hører til.',
    varslingsadresseTyper = 'Typen til hver varslingsadresse (EPOST, SLACK, SLACK_USER); adressene publiseres ikke.',
    harVarslingsadresse = 'Versjonen har minst én varslingsadresse.',
    prioritertKravNummer = 'Kravnummer dokumentet har prioritert.',
    antallRisikoeiere = 'Antall risikoeiere (identene publiseres ikke).',
    antallRessurser = 'Antall personer oppført som ressurser (identene publiseres ikke).',
    forGjenbruk = 'Dokumentet er ment for gjenbruk.',
    tilgjengeligForGjenbruk = 'Dokumentet er klart for gjenbruk.',
    behandlerPersonopplysninger = 'Dokumentet sier at det behandles personopplysninger.',
    dokumentStatus = 'Dokumentets status (fra desember 2025).',
    etterlevelseDokumentVersjon = 'Dokumentets egen versjon (fra januar 2026).',
    tittelAntallTegn = 'Antall tegn i tittelen.',
    beskrivelseAntallTegn = 'Antall tegn i beskrivelsen.',
    gjenbrukBeskrivelseAntallTegn = 'Antall tegn i gjenbruksbeskrivelsen.',
    relevanteKrav = 'Kravnummer som var relevante for denne versjonen på versjonens tidspunkt: krav med en AKTIV versjon da (ifølge kravenes revisjonslogg), der relevansFor er tom eller ikke alle kodene er i irrelevansFor.',
    antallKrav = 'Antall relevante krav for versjonen.'
  )
);

WITH reviderte_versjoner AS (
  -- aktivRad and the current action come from etterlevelse_int.versjon, where the version
  -- order of CONTRACT §6 is applied once per entity.
  SELECT
    d.audit_id, d.etterlevelseDokumentasjonId, d.time, d.action, d.version, d.lastModifiedDate, d.`user`,
    'REVISJONSLOGG' AS kilde, a.aktivRad, a.sisteAction,
    d.opprettetAvMigrering, d.etterlevelseNummer, d.behandlingId, d.teams, d.irrelevansFor, d.avdeling,
    d.nomAvdelingId, d.avdelingNavn, d.seksjonIder, d.varslingsadresseTyper, d.prioritertKravNummer,
    d.antallRisikoeiere, d.antallRessurser, d.forGjenbruk, d.tilgjengeligForGjenbruk,
    d.behandlerPersonopplysninger, d.dokumentStatus, d.etterlevelseDokumentVersjon, d.tittelAntallTegn,
    d.beskrivelseAntallTegn, d.gjenbrukBeskrivelseAntallTegn
  FROM etterlevelse_int.dokument_versjon AS d
  INNER JOIN etterlevelse_int.versjon AS a
    ON a.audit_id = d.audit_id AND a.tabell = 'ETTERLEVELSEDOKUMENTASJON'
),

gjeldende AS (
  SELECT id, data FROM landing_zone.etterlevelse_etterlevelse_dokumentasjon
),

gjeldende_uten_revisjon AS (
  SELECT
    CONCAT('gjeldende:', g.id) AS audit_id,
    g.id AS etterlevelseDokumentasjonId,
    COALESCE(
      @tidspunkt(@ett_value(g.data, 'createdDate', '', 'data', 'etterlevelseDokumentasjonData')),
      TIMESTAMP '2023-07-26 00:00:00'
    ) AS time,
    'GJELDENDE' AS action,
    CAST(NULL AS INT64) AS version,
    CAST(NULL AS TIMESTAMP) AS lastModifiedDate,
    CAST(NULL AS STRING) AS `user`,
    'GJELDENDE_TABELL' AS kilde,
    TRUE AS aktivRad,
    'GJELDENDE' AS sisteAction,
    TRUE AS opprettetAvMigrering,
    @heltall(@ett_value(g.data, 'etterlevelseNummer', '', 'data', 'etterlevelseDokumentasjonData')) AS etterlevelseNummer,
    COALESCE(@ett_array(g.data, 'behandlingIds', '', 'data', 'etterlevelseDokumentasjonData'), []) AS behandlingId,
    COALESCE(@ett_array(g.data, 'teams', '', 'data', 'etterlevelseDokumentasjonData'), []) AS teams,
    COALESCE(@ett_array(g.data, 'irrelevansFor', '', 'data', 'etterlevelseDokumentasjonData'), []) AS irrelevansFor,
    @ett_value(g.data, 'avdeling', '', 'data', 'etterlevelseDokumentasjonData') AS avdeling,
    @ett_value(g.data, 'nomAvdelingId', '', 'data', 'etterlevelseDokumentasjonData') AS nomAvdelingId,
    @ett_value(g.data, 'avdelingNavn', '', 'data', 'etterlevelseDokumentasjonData') AS avdelingNavn,
    CAST([] AS ARRAY<STRING>) AS seksjonIder,
    CAST([] AS ARRAY<STRING>) AS varslingsadresseTyper,
    CAST([] AS ARRAY<INT64>) AS prioritertKravNummer,
    0 AS antallRisikoeiere,
    0 AS antallRessurser,
    FALSE AS forGjenbruk,
    FALSE AS tilgjengeligForGjenbruk,
    CAST(NULL AS BOOL) AS behandlerPersonopplysninger,
    CAST(NULL AS STRING) AS dokumentStatus,
    CAST(NULL AS INT64) AS etterlevelseDokumentVersjon,
    COALESCE(LENGTH(@ett_value(g.data, 'title', '', 'data', 'etterlevelseDokumentasjonData')), 0) AS tittelAntallTegn,
    0 AS beskrivelseAntallTegn,
    0 AS gjenbrukBeskrivelseAntallTegn
  FROM gjeldende AS g
  WHERE g.id NOT IN (SELECT etterlevelseDokumentasjonId FROM reviderte_versjoner)
),

versjoner AS (
  SELECT * FROM reviderte_versjoner
  UNION ALL
  SELECT * FROM gjeldende_uten_revisjon
),

krav_tilstander AS (
  -- Every saved state of a krav version, valid until the next save of the same krav version.
  SELECT
    audit_id AS kravAuditId,
    kravNummer,
    kravVersjon,
    kravStatus,
    action,
    relevansFor,
    time AS gyldigFra,
    LEAD(time) OVER (
      PARTITION BY kravId ORDER BY @eldste_forst(time, version, lastModifiedDate, action, audit_id)
    ) AS gyldigTil
  FROM etterlevelse_int.krav_versjon
),

aktive_krav AS (
  SELECT kravAuditId, kravNummer, kravVersjon, relevansFor, gyldigFra, gyldigTil
  FROM krav_tilstander
  WHERE kravStatus = 'AKTIV' AND action <> 'DELETE' AND kravNummer IS NOT NULL
),

krav_i_kraft AS (
  -- Per document version: each krav number's AKTIV version at that version's time. The order
  -- is total (ending on the krav state's audit_id): this CTE is read twice, and BigQuery
  -- evaluates each reference anew, so a tie must not be able to pick two different rows.
  SELECT v.audit_id, v.irrelevansFor, k.kravNummer, k.relevansFor
  FROM versjoner AS v
  INNER JOIN aktive_krav AS k
    ON k.gyldigFra <= v.time AND (k.gyldigTil IS NULL OR v.time < k.gyldigTil)
  WHERE k.kravNummer IS NOT NULL -- BigQuery wants a WHERE beside QUALIFY
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY v.audit_id, k.kravNummer ORDER BY k.kravVersjon DESC, k.gyldigFra DESC, k.kravAuditId DESC
  ) = 1
),

/* Relevance without correlated subqueries: `EXISTS (… r NOT IN UNNEST(irrelevansFor))` on the
   1.4M (version, krav) rows took 144 s and 700 MB at `default` scale (DuckDB buffers every row
   for each correlated subquery). The same rule as joins on exploded codes: a krav is relevant
   when relevansFor is empty, or one of its codes is "NOT IN" irrelevansFor with SQL's NOT IN
   semantics (true for an empty list; unknown for a NULL code or a list holding NULL). */
relevans_koder AS (
  SELECT k.audit_id, k.kravNummer, ARRAY_LENGTH(k.irrelevansFor) AS antallIrrelevans, kode
  FROM krav_i_kraft AS k
  CROSS JOIN UNNEST(k.relevansFor) AS kode
),

irrelevans_koder AS (
  SELECT v.audit_id, kode
  FROM versjoner AS v
  CROSS JOIN UNNEST(v.irrelevansFor) AS kode
),

irrelevans_med_null AS (
  SELECT DISTINCT audit_id FROM irrelevans_koder WHERE kode IS NULL
),

relevante_par AS (
  SELECT audit_id, kravNummer
  FROM krav_i_kraft
  WHERE ARRAY_LENGTH(relevansFor) = 0
  UNION DISTINCT
  SELECT rk.audit_id, rk.kravNummer
  FROM relevans_koder AS rk
  LEFT JOIN irrelevans_koder AS ik
    ON ik.audit_id = rk.audit_id AND ik.kode = rk.kode
  LEFT JOIN irrelevans_med_null AS n
    ON n.audit_id = rk.audit_id
  WHERE rk.antallIrrelevans = 0
    OR (rk.kode IS NOT NULL AND ik.audit_id IS NULL AND n.audit_id IS NULL)
),

relevante AS (
  SELECT audit_id, ARRAY_AGG(kravNummer ORDER BY kravNummer) AS relevanteKrav
  FROM relevante_par
  GROUP BY audit_id
),

gjeldende_finnes AS (
  SELECT COUNT(*) > 0 AS lastet FROM gjeldende
),

historisert AS (
  SELECT
    v.*,
    MAX(v.time) OVER (PARTITION BY v.etterlevelseDokumentasjonId) AS dokumentSistOppdatert
  FROM versjoner AS v
)

SELECT
  CAST(h.etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonId,
  CAST(h.audit_id AS STRING) AS audit_id,
  CAST(h.time AS TIMESTAMP) AS time,
  CAST(h.action AS STRING) AS action,
  CAST(h.version AS INT64) AS version,
  CAST(h.lastModifiedDate AS TIMESTAMP) AS lastModifiedDate,
  CAST(h.`user` AS STRING) AS `user`,
  CAST(h.kilde AS STRING) AS kilde,
  CAST(h.aktivRad AS BOOL) AS aktivRad,
  CAST(
    h.sisteAction = 'DELETE'
    OR (gf.lastet AND h.etterlevelseDokumentasjonId NOT IN (SELECT id FROM gjeldende))
    AS BOOL
  ) AS slettet,
  CAST(h.dokumentSistOppdatert AS TIMESTAMP) AS dokumentSistOppdatert,
  CAST(h.opprettetAvMigrering AS BOOL) AS opprettetAvMigrering,
  CAST(h.etterlevelseNummer AS INT64) AS etterlevelseNummer,
  CAST(h.behandlingId AS ARRAY<STRING>) AS behandlingId,
  CAST(h.teams AS ARRAY<STRING>) AS teams,
  CAST(h.irrelevansFor AS ARRAY<STRING>) AS irrelevansFor,
  CAST(h.avdeling AS STRING) AS avdeling,
  CAST(h.nomAvdelingId AS STRING) AS nomAvdelingId,
  CAST(h.avdelingNavn AS STRING) AS avdelingNavn,
  CAST(h.seksjonIder AS ARRAY<STRING>) AS seksjonIder,
  CAST(h.varslingsadresseTyper AS ARRAY<STRING>) AS varslingsadresseTyper,
  CAST(ARRAY_LENGTH(h.varslingsadresseTyper) > 0 AS BOOL) AS harVarslingsadresse,
  CAST(h.prioritertKravNummer AS ARRAY<INT64>) AS prioritertKravNummer,
  CAST(h.antallRisikoeiere AS INT64) AS antallRisikoeiere,
  CAST(h.antallRessurser AS INT64) AS antallRessurser,
  CAST(h.forGjenbruk AS BOOL) AS forGjenbruk,
  CAST(h.tilgjengeligForGjenbruk AS BOOL) AS tilgjengeligForGjenbruk,
  CAST(h.behandlerPersonopplysninger AS BOOL) AS behandlerPersonopplysninger,
  CAST(h.dokumentStatus AS STRING) AS dokumentStatus,
  CAST(h.etterlevelseDokumentVersjon AS INT64) AS etterlevelseDokumentVersjon,
  CAST(h.tittelAntallTegn AS INT64) AS tittelAntallTegn,
  CAST(h.beskrivelseAntallTegn AS INT64) AS beskrivelseAntallTegn,
  CAST(h.gjenbrukBeskrivelseAntallTegn AS INT64) AS gjenbrukBeskrivelseAntallTegn,
  CAST(COALESCE(r.relevanteKrav, []) AS ARRAY<INT64>) AS relevanteKrav,
  CAST(COALESCE(ARRAY_LENGTH(r.relevanteKrav), 0) AS INT64) AS antallKrav
FROM historisert AS h
CROSS JOIN gjeldende_finnes AS gf
LEFT JOIN relevante AS r
  ON r.audit_id = h.audit_id
