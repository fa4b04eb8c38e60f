MODEL (
  name tiltak_kilde.oppfolgingskontor_historikk,
  kind VIEW,
  grain (person_id, endret_tidspunkt, kontor_id),
  description 'Én rad per endring av arbeidsoppfølgingskontor fra ao-oppfolgingskontor (kontorhistorikk), i kontraktens form (tiltak_bronze.oppfolgingskontor_historikk). Historikken har også Arena-kontor og geografisk tilknyttet kontor (kontor_type ARENA og GEOGRAFISK_TILKNYTNING); bare rader med kontor_type ARBEIDSOPPFOLGING er oppfølgingskontoret. Et FYLKE-kontor (f.eks. 0600) slippes gjennom; silver teller det aldri som kontor.',
  column_descriptions (
    person_id = 'Pseudonym personnøkkel fra ident (fødsels- eller d-nummer; tiltak_kilde.person_ident).',
    kontor_id = 'Arbeidsoppfølgingskontorets enhetsnummer.',
    endret_tidspunkt = 'Når kontoret ble satt (created_at, UTC).',
    endringstype = 'Hvorfor kontoret ble satt (kontorendringstype), slik kilden staver det.',
    endret_av_type = 'Hva slags aktør som satte kontoret (endret_av_type; ekstra kolonne).',
    oppfolgingsperiode_id = 'Oppfølgingsperioden endringen hører til (ekstra kolonne).'
  )
);

WITH arbeidsoppfolging AS (
  SELECT
    @trimmet(ident) AS ident,
    @trimmet(kontor_id) AS kontor_id,
    created_at,
    @trimmet(kontorendringstype) AS endringstype,
    @trimmet(endret_av_type) AS endret_av_type,
    @trimmet(oppfolgingsperiode_id) AS oppfolgingsperiode_id
  FROM @kilde('ao_oppfolgingskontor', 'kontorhistorikk')
  WHERE
    UPPER(@trimmet(kontor_type)) = 'ARBEIDSOPPFOLGING'
)

SELECT
  CAST(COALESCE(p.person_id, @pseudonym(a.ident)) AS STRING) AS person_id,
  CAST(a.kontor_id AS STRING) AS kontor_id,
  CAST(a.created_at AS TIMESTAMP) AS endret_tidspunkt,
  CAST(a.endringstype AS STRING) AS endringstype,
  CAST(a.endret_av_type AS STRING) AS endret_av_type,
  CAST(a.oppfolgingsperiode_id AS STRING) AS oppfolgingsperiode_id
FROM arbeidsoppfolging AS a
LEFT JOIN tiltak_kilde.person_ident AS p
  ON p.ident = a.ident
