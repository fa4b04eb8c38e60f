MODEL (
  name etterlevelse.ds_beskrivelser,
  kind FULL,
  cron '@daily',
  grain etterlevelseDokumentasjonId,
  audits (not_null(columns := (etterlevelseDokumentasjonId, minTid, time, aktivRad)), unique_values(columns := (etterlevelseDokumentasjonId))),
  description 'Én rad per dokument som noen gang har hatt en beskrivelse, med første tidspunkt og adopsjonskurve; dokumenter som senere fjernet beskrivelsen er med og merket (harBeskrivelse usann). Kolonnene fra den opprinnelige jobben beholder navnet; en leser som vil ha den opprinnelige jobbens rader velger harBeskrivelse og ikke slettet. Selve teksten publiseres ikke.',
  column_descriptions (
    etterlevelseDokumentasjonId = 'Dokumentets id.',
    time = 'Når dokumentets gjeldende versjon ble lagret (UTC).',
    aktivRad = 'Alltid sann: raden beskriver dokumentets gjeldende versjon (kolonnen beholdes fra den opprinnelige jobben).',
    harBeskrivelse = 'Gjeldende versjon har beskrivelse.',
    minTid = 'Første gang dokumentet hadde en beskrivelse (UTC).',
    antallDokumenterMedBeskrivelset = 'Den opprinnelige jobbens adopsjonskurve: rangen til minTid (gjennomsnittlig rang ved like tidspunkt) blant ikke-slettede dokumenter som har beskrivelse i gjeldende versjon; tom for andre rader.',
    antallDokumenterMedBeskrivelse = 'Antall dokumenter som hadde fått en beskrivelse til og med minTid, også de som senere fjernet den eller ble slettet (uten overlevelsesskjevhet).',
    antallTegnBeskrivelse = 'Antall tegn i gjeldende beskrivelse.',
    slettet = 'Dokumentet er slettet.'
  )
);

-- One row per document whose current or any earlier version had a description (@tatt_i_bruk).
-- The original job counted only documents whose current version has it (and, fixing its
-- fault 4, that are not deleted), by pandas' average rank of minTid: snittrang.
SELECT
  CAST(r.etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonId,
  CAST(r.time AS TIMESTAMP) AS time,
  CAST(TRUE AS BOOL) AS aktivRad,
  CAST(r.oppfylt AS BOOL) AS harBeskrivelse,
  CAST(r.minTid AS TIMESTAMP) AS minTid,
  CAST(r.snittrang AS FLOAT64) AS antallDokumenterMedBeskrivelset,
  CAST(r.antallNoenGang AS INT64) AS antallDokumenterMedBeskrivelse,
  CAST(r.beskrivelseAntallTegn AS INT64) AS antallTegnBeskrivelse,
  CAST(r.slettet AS BOOL) AS slettet
FROM @tatt_i_bruk(beskrivelseAntallTegn > 0, beskrivelseAntallTegn) AS r
