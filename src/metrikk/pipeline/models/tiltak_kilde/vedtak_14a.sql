MODEL (
  name tiltak_kilde.vedtak_14a,
  kind VIEW,
  grain vedtak_id,
  audits (unique_values(columns := (vedtak_id))),
  description 'Én rad per fattet §14a-vedtak fra obo sin statistikktabell (14a_vedtak_statistikk.statistikk_dvh_fellestabell), i kontraktens form (tiltak_bronze.vedtak_14a). Tabellen har én rad per hendelse i en behandling; en ny sending av samme hendelse (samme behandling_id og endret_tid) teller én gang (høyeste sekvensnummer), bare behandlinger med status FATTET er vedtak (AVBRUTT og behandlinger under arbeid er ikke), og en senere FATTET-rad for samme behandling er en ny sending av samme vedtak.',
  column_descriptions (
    vedtak_id = 'Behandlingens id (behandling_id), som tekst.',
    person_id = 'Pseudonym personnøkkel fra aktor_id (tiltak_kilde.person_ident).',
    innsatsgruppe = 'Innsatsgruppen slik vedtaket har den (nye navn; eldre rader kan ha gamle navn, som silver oversetter); behandling_resultat når innsatsgruppe mangler.',
    hovedmal = 'Hovedmålet, f.eks. SKAFFE_ARBEID, om oppgitt.',
    fattet_tidspunkt = 'Når vedtaket ble fattet (ferdigbehandlet_tid, ellers endret_tid; UTC).',
    ansvarlig_enhet = 'Oppfølgingsenheten som fattet vedtaket; tom når kilden har maskert den (-5, kode 6).',
    behandling_type = 'FORSTEGANGSBEHANDLING eller REVURDERING (ekstra kolonne).',
    oppfolgingsperiode_id = 'Oppfølgingsperioden vedtaket hører til (oppfolging_periode_uuid; ekstra kolonne).'
  )
);

WITH hendelser AS (
  SELECT
    behandling_id,
    sekvensnummer,
    @trimmet(aktor_id) AS aktor_id,
    ferdigbehandlet_tid,
    endret_tid,
    UPPER(@trimmet(behandling_status)) AS behandling_status,
    COALESCE(@trimmet(innsatsgruppe), @trimmet(behandling_resultat)) AS innsatsgruppe,
    @trimmet(hovedmal) AS hovedmal,
    @trimmet(ansvarlig_enhet) AS ansvarlig_enhet,
    @trimmet(behandling_type) AS behandling_type,
    @trimmet(oppfolging_periode_uuid) AS oppfolgingsperiode_id
  FROM @kilde('vedtak_14a', 'statistikk_dvh_fellestabell')
  WHERE
    behandling_id IS NOT NULL
),

uten_nye_sendinger AS (
  SELECT *
  FROM hendelser
  QUALIFY ROW_NUMBER() OVER (PARTITION BY behandling_id, endret_tid ORDER BY sekvensnummer DESC) = 1
),

fattet AS (
  SELECT *
  FROM uten_nye_sendinger
  WHERE
    behandling_status = 'FATTET'
  QUALIFY ROW_NUMBER() OVER (PARTITION BY behandling_id ORDER BY endret_tid, sekvensnummer) = 1
)

SELECT
  CAST(f.behandling_id AS STRING) AS vedtak_id,
  CAST(COALESCE(p.person_id, @pseudonym(f.aktor_id)) AS STRING) AS person_id,
  CAST(f.innsatsgruppe AS STRING) AS innsatsgruppe,
  CAST(f.hovedmal AS STRING) AS hovedmal,
  CAST(COALESCE(f.ferdigbehandlet_tid, f.endret_tid) AS TIMESTAMP) AS fattet_tidspunkt,
  CAST(NULLIF(f.ansvarlig_enhet, '-5') AS STRING) AS ansvarlig_enhet,
  CAST(f.behandling_type AS STRING) AS behandling_type,
  CAST(f.oppfolgingsperiode_id AS STRING) AS oppfolgingsperiode_id
FROM fattet AS f
LEFT JOIN tiltak_kilde.person_ident AS p
  ON p.ident = f.aktor_id
