MODEL (
  name tiltak_kilde.kildeavvik,
  kind VIEW,
  grain (kilde, avvik),
  description 'Én rad per slags avvik eller kjent særtrekk i NAVs kildetabeller som kildelaget har håndtert, med antall. metrikk ingest kilder skriver radene med antall over null ut; de stopper aldri innlastingen. type avvik er feil i kilden (f.eks. en ident uten identitetsoppslag, som beholdes med HMAC av identen selv), type info er kjente særtrekk som kildelaget retter (f.eks. nye sendinger av samme §14a-hendelse).',
  column_descriptions (
    kilde = 'Kildetabellen, som kilde.tabell i kilder.yaml.',
    type = 'avvik (feil i kilden) eller info (kjent særtrekk som kildelaget håndterer).',
    avvik = 'Hva som er talt, på bokmål.',
    antall = 'Antall rader eller identer.'
  )
);

WITH ident_uten_oppslag AS (
  SELECT 'amt_deltaker/amt_tiltak.deltaker' AS kilde, k.ident
  FROM tiltak_kilde.komet_deltaker AS k
  UNION ALL
  SELECT 'vedtak_14a.statistikk_dvh_fellestabell', @trimmet(aktor_id)
  FROM @kilde('vedtak_14a', 'statistikk_dvh_fellestabell')
  UNION ALL
  SELECT 'veilarboppfolging.oppfolgingsperiode', @trimmet(aktor_id)
  FROM @kilde('veilarboppfolging', 'oppfolgingsperiode')
  UNION ALL
  SELECT 'veilarboppfolging.veileder_tilordninger', @trimmet(aktor_id)
  FROM @kilde('veilarboppfolging', 'veileder_tilordninger')
  UNION ALL
  SELECT 'ao_oppfolgingskontor.kontorhistorikk', @trimmet(ident)
  FROM @kilde('ao_oppfolgingskontor', 'kontorhistorikk')
  WHERE
    UPPER(@trimmet(kontor_type)) = 'ARBEIDSOPPFOLGING'
  UNION ALL
  SELECT 'team_tiltak.tiltak_avtale_hendelse', @trimmet(JSON_VALUE(value, '$.deltakerFnr'))
  FROM @kilde('team_tiltak', 'tiltak_avtale_hendelse')
  WHERE
    @gyldig_json(value)
),

tellinger AS (
  SELECT
    i.kilde,
    'avvik' AS type,
    'identer uten identitetsoppslag i PDL (beholdt med HMAC av identen selv)' AS avvik,
    COUNT(DISTINCT i.ident) AS antall
  FROM ident_uten_oppslag AS i
  LEFT JOIN tiltak_kilde.person_ident AS p
    ON p.ident = i.ident
  WHERE
    i.ident IS NOT NULL AND p.ident IS NULL
  GROUP BY
    i.kilde
  UNION ALL
  SELECT
    'pdl.identer',
    'avvik',
    'identer som står hos mer enn én aktør-id (personen der identen er gjeldende er brukt)',
    COUNT(*)
  FROM tiltak_kilde.person_ident
  WHERE
    i_flere_personer
  UNION ALL
  SELECT
    'amt_deltaker/amt_tiltak.deltaker',
    'avvik',
    'deltakere uten person (ingen nav_bruker/bruker-rad med ident)',
    COUNT(*)
  FROM tiltak_kilde.komet_deltaker
  WHERE
    ident IS NULL
  UNION ALL
  SELECT
    'amt_deltaker/amt_tiltak.deltaker',
    'info',
    'deltakere i begge Komet-generasjoner (amt-deltaker er brukt)',
    COUNT(*)
  FROM tiltak_kilde.komet_deltaker
  WHERE
    i_begge_generasjoner
  UNION ALL
  SELECT
    'amt_deltaker.deltaker_status',
    'avvik',
    'statusrader uten deltaker i noen Komet-generasjon (ikke lastet)',
    COUNT(*)
  FROM @kilde('amt_deltaker', 'deltaker_status') AS s
  LEFT JOIN tiltak_kilde.komet_deltaker AS k
    ON k.id = @trimmet(s.deltaker_id)
  WHERE
    k.id IS NULL
  UNION ALL
  SELECT
    'amt_tiltak.deltaker_status',
    'avvik',
    'statusrader uten deltaker i noen Komet-generasjon (ikke lastet)',
    COUNT(*)
  FROM @kilde('amt_tiltak', 'deltaker_status') AS s
  LEFT JOIN tiltak_kilde.komet_deltaker AS k
    ON k.id = @trimmet(s.deltaker_id)
  WHERE
    k.id IS NULL
  UNION ALL
  SELECT
    'vedtak_14a.statistikk_dvh_fellestabell',
    'info',
    'nye sendinger av samme hendelse (samme behandling_id og endret_tid; telt én gang)',
    COUNT(*) - COUNT(DISTINCT CONCAT(CAST(behandling_id AS STRING), '|', COALESCE(CAST(endret_tid AS STRING), '')))
  FROM @kilde('vedtak_14a', 'statistikk_dvh_fellestabell')
  WHERE
    behandling_id IS NOT NULL
  UNION ALL
  SELECT
    'vedtak_14a.statistikk_dvh_fellestabell',
    'info',
    'behandlinger som ikke er fattet (f.eks. AVBRUTT eller under behandling; ikke vedtak)',
    COUNT(DISTINCT behandling_id) - (SELECT COUNT(*) FROM tiltak_kilde.vedtak_14a)
  FROM @kilde('vedtak_14a', 'statistikk_dvh_fellestabell')
  UNION ALL
  SELECT
    'vedtak_14a.statistikk_dvh_fellestabell',
    'info',
    'vedtak med maskert ansvarlig enhet (-5, kode 6; lastet uten enhet)',
    COUNT(DISTINCT behandling_id)
  FROM @kilde('vedtak_14a', 'statistikk_dvh_fellestabell')
  WHERE
    UPPER(@trimmet(behandling_status)) = 'FATTET' AND @trimmet(ansvarlig_enhet) = '-5'
  UNION ALL
  SELECT
    'ao_oppfolgingskontor.kontorhistorikk',
    'info',
    'rader for Arena-kontor eller geografisk tilknyttet kontor (ikke oppfølgingskontor; ikke lastet)',
    COUNT(*)
  FROM @kilde('ao_oppfolgingskontor', 'kontorhistorikk')
  WHERE
    UPPER(@trimmet(kontor_type)) IN ('ARENA', 'GEOGRAFISK_TILKNYTNING')
  UNION ALL
  SELECT
    'ao_oppfolgingskontor.kontorhistorikk',
    'avvik',
    'rader med ukjent eller manglende kontor_type (ikke lastet)',
    COUNT(*)
  FROM @kilde('ao_oppfolgingskontor', 'kontorhistorikk')
  WHERE
    COALESCE(UPPER(@trimmet(kontor_type)), '') NOT IN ('ARBEIDSOPPFOLGING', 'ARENA', 'GEOGRAFISK_TILKNYTNING')
  UNION ALL
  SELECT
    'team_tiltak.tiltak_avtale_hendelse',
    'avvik',
    'meldinger som ikke er gyldig JSON (ikke lastet)',
    COUNT(*)
  FROM @kilde('team_tiltak', 'tiltak_avtale_hendelse')
  WHERE
    value IS NOT NULL AND NOT @gyldig_json(value)
  UNION ALL
  SELECT
    'team_tiltak.tiltak_avtale_hendelse',
    'info',
    'duplikate hendelser (Kafka leverer minst én gang; telt én gang)',
    COUNT(*) - (SELECT COUNT(*) FROM tiltak_kilde.arbeidsgiver_avtale_hendelse)
  FROM @kilde('team_tiltak', 'tiltak_avtale_hendelse')
  WHERE
    @gyldig_json(value)
)

SELECT
  CAST(kilde AS STRING) AS kilde,
  CAST(type AS STRING) AS type,
  CAST(avvik AS STRING) AS avvik,
  CAST(antall AS INT64) AS antall
FROM tellinger
