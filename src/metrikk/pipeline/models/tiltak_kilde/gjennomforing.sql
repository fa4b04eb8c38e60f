MODEL (
  name tiltak_kilde.gjennomforing,
  kind VIEW,
  grain id,
  description 'Én rad per gjennomføring fra Valp (gjennomforing_view), i kontraktens form (tiltak_bronze.gjennomforing). Navn, antall plasser og oppstartstype står ikke i viewet; de hentes fra Valps replikerte tabell public_gjennomforing der Valp har gitt tilgang, ellers er de tomme.',
  column_descriptions (
    id = 'Gjennomføringens id i Valp.',
    tiltakstype_id = 'Tiltakstypens id i Valp.',
    avtale_id = 'Avtalens id i Valp; tom for enkeltplasser og Arena-gjennomføringer.',
    tiltaksnummer = 'Saksnummeret i Arena (<år>#<løpenummer>), om det finnes.',
    navn = 'Gjennomføringens navn (public_gjennomforing; tom uten tilgang).',
    start_dato = 'Første dag gjennomføringen går.',
    slutt_dato = 'Siste dag gjennomføringen går; tom når den er åpen.',
    status = 'GJENNOMFORES, AVSLUTTET, AVBRUTT eller AVLYST.',
    oppstart = 'Oppstartstype: LOPENDE, FELLES eller ENKELTPLASS (public_gjennomforing; tom uten tilgang).',
    antall_plasser = 'Antall plasser (public_gjennomforing; tom uten tilgang).',
    opprettet_tidspunkt = 'Når gjennomføringen ble opprettet i Valp (UTC).',
    oppdatert_tidspunkt = 'Når gjennomføringen sist ble oppdatert i Valp (UTC).',
    avsluttet_tidspunkt = 'Når gjennomføringen ble avsluttet (UTC); tom mens den går.'
  )
);

WITH utvidet AS (
  SELECT
    @trimmet(id) AS id,
    @trimmet(navn) AS navn,
    @trimmet(oppstart) AS oppstart,
    antall_plasser
  FROM @kilde('valp', 'public_gjennomforing')
)

SELECT
  CAST(@trimmet(g.id) AS STRING) AS id,
  CAST(@trimmet(g.tiltakstype_id) AS STRING) AS tiltakstype_id,
  CAST(@trimmet(g.avtale_id) AS STRING) AS avtale_id,
  CAST(@trimmet(g.tiltaksnummer) AS STRING) AS tiltaksnummer,
  CAST(u.navn AS STRING) AS navn,
  CAST(g.start_dato AS DATE) AS start_dato,
  CAST(g.slutt_dato AS DATE) AS slutt_dato,
  CAST(@trimmet(g.status) AS STRING) AS status,
  CAST(u.oppstart AS STRING) AS oppstart,
  CAST(u.antall_plasser AS INT64) AS antall_plasser,
  CAST(g.opprettet_tidspunkt AS TIMESTAMP) AS opprettet_tidspunkt,
  CAST(g.oppdatert_tidspunkt AS TIMESTAMP) AS oppdatert_tidspunkt,
  CAST(g.avsluttet_tidspunkt AS TIMESTAMP) AS avsluttet_tidspunkt
FROM @kilde('valp', 'gjennomforing_view') AS g
LEFT JOIN utvidet AS u
  ON u.id = @trimmet(g.id)
