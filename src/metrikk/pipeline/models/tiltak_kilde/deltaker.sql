MODEL (
  name tiltak_kilde.deltaker,
  kind VIEW,
  grain id,
  audits (unique_values(columns := (id))),
  description 'Én rad per Komet-deltaker, i kontraktens form (tiltak_bronze.deltaker): fra amt-deltaker når den har deltakeren, ellers fra amt-tiltak (tiltak_kilde.komet_deltaker), med personens ident byttet ut med den pseudonyme personnøkkelen.',
  column_descriptions (
    id = 'Deltakerens id i Komet.',
    person_id = 'Pseudonym personnøkkel (tiltak_kilde.person_ident); en ident uten identitetsoppslag får HMAC av identen selv.',
    gjennomforing_id = 'Gjennomføringens id i Valp.',
    start_dato = 'Første dag deltakeren deltar.',
    slutt_dato = 'Siste dag deltakeren deltar.',
    registrert_tidspunkt = 'Når deltakeren ble registrert (UTC).',
    kilde = 'Hvem som mastrer deltakeren ifølge Komet: KOMET eller ARENA.',
    dager_per_uke = 'Dager per uke, om oppgitt.',
    prosent_stilling = 'Deltakelsesprosent, om oppgitt.',
    kildesystem = 'Komet-generasjonen raden er hentet fra: AMT_DELTAKER eller AMT_TILTAK (ekstra kolonne).'
  )
);

SELECT
  CAST(k.id AS STRING) AS id,
  CAST(COALESCE(p.person_id, @pseudonym(k.ident)) AS STRING) AS person_id,
  CAST(k.gjennomforing_id AS STRING) AS gjennomforing_id,
  CAST(k.start_dato AS DATE) AS start_dato,
  CAST(k.slutt_dato AS DATE) AS slutt_dato,
  CAST(k.registrert_tidspunkt AS TIMESTAMP) AS registrert_tidspunkt,
  CAST(k.kilde AS STRING) AS kilde,
  CAST(k.dager_per_uke AS FLOAT64) AS dager_per_uke,
  CAST(k.prosent_stilling AS FLOAT64) AS prosent_stilling,
  CAST(k.kildesystem AS STRING) AS kildesystem
FROM tiltak_kilde.komet_deltaker AS k
LEFT JOIN tiltak_kilde.person_ident AS p
  ON p.ident = k.ident
