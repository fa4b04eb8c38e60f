MODEL (
  name tiltak_kilde.deltaker_status,
  kind VIEW,
  grain id,
  description 'Én rad per status i statushistorikken til en Komet-deltaker, i kontraktens form (tiltak_bronze.deltaker_status), bare fra generasjonen som eier deltakeren (tiltak_kilde.komet_deltaker). amt-deltaker har gyldig_til selv; amt-tiltak har bare aktiv: der er gyldig_til neste rads gyldig_fra (etter gyldig_fra, så created_at, så id), tom for den aktive raden, og tom for den siste raden når ingen er aktiv.',
  column_descriptions (
    id = 'Statusradens id.',
    deltaker_id = 'Deltakerens id i Komet.',
    status = 'Statustype (type i amt-deltaker, status i amt-tiltak), f.eks. DELTAR eller VENTELISTE.',
    aarsak = 'Årsak til statusen, om oppgitt.',
    gyldig_fra = 'Når statusen begynte å gjelde (UTC).',
    gyldig_til = 'Når statusen sluttet å gjelde (UTC); tom betyr gjeldende.',
    opprettet = 'Når statusraden ble opprettet (created_at, UTC).',
    kildesystem = 'Komet-generasjonen raden er hentet fra: AMT_DELTAKER eller AMT_TILTAK (ekstra kolonne).'
  )
);

WITH amt_deltaker_status AS (
  SELECT
    @trimmet(id) AS id,
    @trimmet(deltaker_id) AS deltaker_id,
    @trimmet(type) AS status,
    @trimmet(aarsak) AS aarsak,
    gyldig_fra,
    gyldig_til,
    created_at AS opprettet,
    'AMT_DELTAKER' AS kildesystem
  FROM @kilde('amt_deltaker', 'deltaker_status')
),

/* amt-tiltak marks the current status with aktiv = true and keeps no end; the end of every other
   row is the next row's start. A row after the aktive row that has no next row was superseded by
   the aktive row (inserted later, backdated): it ends where it starts. */
amt_tiltak_rekkefolge AS (
  SELECT
    @trimmet(id) AS id,
    @trimmet(deltaker_id) AS deltaker_id,
    @trimmet(status) AS status,
    @trimmet(aarsak) AS aarsak,
    COALESCE(aktiv, FALSE) AS aktiv,
    gyldig_fra,
    created_at,
    LEAD(gyldig_fra) OVER (
      PARTITION BY @trimmet(deltaker_id)
      ORDER BY gyldig_fra, created_at, @trimmet(id)
    ) AS neste_gyldig_fra,
    MAX(CASE WHEN aktiv THEN 1 ELSE 0 END) OVER (PARTITION BY @trimmet(deltaker_id)) = 1 AS har_aktiv
  FROM @kilde('amt_tiltak', 'deltaker_status')
),

amt_tiltak_status AS (
  SELECT
    id,
    deltaker_id,
    status,
    aarsak,
    gyldig_fra,
    CASE
      WHEN aktiv THEN NULL
      WHEN neste_gyldig_fra IS NOT NULL THEN neste_gyldig_fra
      WHEN har_aktiv THEN gyldig_fra
    END AS gyldig_til,
    created_at AS opprettet,
    'AMT_TILTAK' AS kildesystem
  FROM amt_tiltak_rekkefolge
),

statuser AS (
  SELECT * FROM amt_deltaker_status
  UNION ALL
  SELECT * FROM amt_tiltak_status
)

SELECT
  CAST(s.id AS STRING) AS id,
  CAST(s.deltaker_id AS STRING) AS deltaker_id,
  CAST(s.status AS STRING) AS status,
  CAST(s.aarsak AS STRING) AS aarsak,
  CAST(s.gyldig_fra AS TIMESTAMP) AS gyldig_fra,
  CAST(s.gyldig_til AS TIMESTAMP) AS gyldig_til,
  CAST(s.opprettet AS TIMESTAMP) AS opprettet,
  CAST(s.kildesystem AS STRING) AS kildesystem
FROM statuser AS s
JOIN tiltak_kilde.komet_deltaker AS k
  ON k.id = s.deltaker_id AND k.kildesystem = s.kildesystem
