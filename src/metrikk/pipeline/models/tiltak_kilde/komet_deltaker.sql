MODEL (
  name tiltak_kilde.komet_deltaker,
  kind VIEW,
  grain id,
  audits (not_null(columns := (id, kildesystem)), unique_values(columns := (id))),
  description 'Én rad per Komet-deltaker (deltaker-id), fra generasjonen som eier den: amt-deltaker (Komet-mastrede deltakere) når den har deltakeren, ellers amt-tiltak (Arena-mastrede). En deltaker som er flyttet fra amt-tiltak til amt-deltaker står i begge; amt-tiltaks kopi oppdateres ikke lenger, så amt-deltaker vinner, og statushistorikken hentes fra samme generasjon. Hjelpetabell i kildelaget: den inneholder personens ident og publiseres aldri.',
  column_descriptions (
    id = 'Deltakerens id i Komet (samme i begge generasjoner).',
    ident = 'Personens ident (personident i amt-deltaker nav_bruker, person_ident i amt-tiltak bruker).',
    gjennomforing_id = 'Gjennomføringens id i Valp (deltakerliste_id i amt-deltaker, gjennomforing_id i amt-tiltak).',
    start_dato = 'Første dag deltakeren deltar (startdato / start_dato).',
    slutt_dato = 'Siste dag deltakeren deltar (sluttdato / slutt_dato).',
    registrert_tidspunkt = 'Når deltakeren ble registrert (UTC): created_at i amt-deltaker, registrert_dato (ellers created_at) i amt-tiltak.',
    kilde = 'Hvem som mastrer deltakeren ifølge Komet: KOMET eller ARENA.',
    dager_per_uke = 'Dager per uke deltakeren deltar, om oppgitt.',
    prosent_stilling = 'Deltakelsesprosent (deltakelsesprosent / prosent_stilling), om oppgitt.',
    endret_tidspunkt = 'Når raden sist ble endret i Komet (modified_at, UTC).',
    kildesystem = 'Generasjonen raden er hentet fra: AMT_DELTAKER eller AMT_TILTAK.',
    i_begge_generasjoner = 'Sann når deltaker-id-en også står i den andre generasjonen.'
  )
);

WITH amt_deltaker AS (
  SELECT
    @trimmet(d.id) AS id,
    @trimmet(b.personident) AS ident,
    @trimmet(d.deltakerliste_id) AS gjennomforing_id,
    d.startdato AS start_dato,
    d.sluttdato AS slutt_dato,
    d.created_at AS registrert_tidspunkt,
    @trimmet(d.kilde) AS kilde,
    d.dager_per_uke,
    d.deltakelsesprosent AS prosent_stilling,
    d.modified_at AS endret_tidspunkt,
    'AMT_DELTAKER' AS kildesystem,
    1 AS rang
  FROM @kilde('amt_deltaker', 'deltaker') AS d
  LEFT JOIN @kilde('amt_deltaker', 'nav_bruker') AS b
    ON @trimmet(b.person_id) = @trimmet(d.person_id)
),

amt_tiltak AS (
  SELECT
    @trimmet(d.id) AS id,
    @trimmet(b.person_ident) AS ident,
    @trimmet(d.gjennomforing_id) AS gjennomforing_id,
    d.start_dato,
    d.slutt_dato,
    COALESCE(d.registrert_dato, d.created_at) AS registrert_tidspunkt,
    @trimmet(d.kilde) AS kilde,
    d.dager_per_uke,
    d.prosent_stilling,
    d.modified_at AS endret_tidspunkt,
    'AMT_TILTAK' AS kildesystem,
    2 AS rang
  FROM @kilde('amt_tiltak', 'deltaker') AS d
  LEFT JOIN @kilde('amt_tiltak', 'bruker') AS b
    ON @trimmet(b.id) = @trimmet(d.bruker_id)
),

begge AS (
  SELECT * FROM amt_deltaker
  UNION ALL
  SELECT * FROM amt_tiltak
),

vinner AS (
  SELECT
    *,
    MIN(rang) OVER (PARTITION BY id) <> MAX(rang) OVER (PARTITION BY id) AS i_begge_generasjoner
  FROM begge
  WHERE
    id IS NOT NULL
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY id
    ORDER BY rang, endret_tidspunkt DESC, registrert_tidspunkt DESC, gjennomforing_id
  ) = 1
)

SELECT
  CAST(id AS STRING) AS id,
  CAST(ident AS STRING) AS ident,
  CAST(gjennomforing_id AS STRING) AS gjennomforing_id,
  CAST(start_dato AS DATE) AS start_dato,
  CAST(slutt_dato AS DATE) AS slutt_dato,
  CAST(registrert_tidspunkt AS TIMESTAMP) AS registrert_tidspunkt,
  CAST(kilde AS STRING) AS kilde,
  CAST(dager_per_uke AS FLOAT64) AS dager_per_uke,
  CAST(prosent_stilling AS FLOAT64) AS prosent_stilling,
  CAST(endret_tidspunkt AS TIMESTAMP) AS endret_tidspunkt,
  CAST(kildesystem AS STRING) AS kildesystem,
  CAST(i_begge_generasjoner AS BOOL) AS i_begge_generasjoner
FROM vinner
