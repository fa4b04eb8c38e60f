MODEL (
  name tiltak_silver.tiltaksgruppe,
  kind FULL,
  grain (enhetsnummer, tiltakskode),
  audits (
    not_null(columns := (tiltakskode, tiltaksgruppe, nasjonal)),
    unique_combination_of_columns(columns := (enhetsnummer, tiltakskode))
  ),
  description 'Én rad per kontor og tiltakskode i kontorenes egen gruppering av tiltak (tiltak_bronze.tiltaksgruppe), og én nasjonal rad (uten enhetsnummer) per tiltakskode som har en. En rad for kontoret slår den nasjonale; uten rad er tiltaksgruppen tiltakstypens navn.',
  column_descriptions (
    enhetsnummer = 'Enhetsnummeret til kontoret raden gjelder for; tom for den nasjonale standarden.',
    tiltakskode = 'Tiltakskoden (store bokstaver, uten mellomrom rundt), slik deltakelsene har den.',
    tiltaksgruppe = 'Gruppen tiltaket hører til, f.eks. Gruppe AMO; har kilden flere rader for samme kontor og kode, den alfabetisk første.',
    nasjonal = 'Sann for den nasjonale standarden (raden har ikke enhetsnummer).'
  )
);

WITH rader AS (
  SELECT
    NULLIF(@uten_blanke(enhetsnummer), '') AS enhetsnummer,
    UPPER(@uten_blanke(tiltakskode)) AS tiltakskode,
    NULLIF(@uten_blanke(tiltaksgruppe), '') AS tiltaksgruppe
  FROM tiltak_bronze.tiltaksgruppe
),

per_kontor_og_kode AS (
  SELECT enhetsnummer, tiltakskode, MIN(tiltaksgruppe) AS tiltaksgruppe
  FROM rader
  WHERE tiltaksgruppe IS NOT NULL AND tiltakskode <> ''
  GROUP BY enhetsnummer, tiltakskode
)

SELECT
  CAST(enhetsnummer AS STRING) AS enhetsnummer,
  CAST(tiltakskode AS STRING) AS tiltakskode,
  CAST(tiltaksgruppe AS STRING) AS tiltaksgruppe,
  CAST(enhetsnummer IS NULL AS BOOL) AS nasjonal
FROM per_kontor_og_kode
