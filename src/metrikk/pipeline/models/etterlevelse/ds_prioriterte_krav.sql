MODEL (
  name etterlevelse.ds_prioriterte_krav,
  kind FULL,
  cron '@daily',
  grain etterlevelseDokumentasjonId,
  audits (not_null(columns := (etterlevelseDokumentasjonId, minTid, time, aktivRad)), unique_values(columns := (etterlevelseDokumentasjonId))),
  description 'Én rad per dokument som noen gang har prioritert krav, med første tidspunkt, adopsjonskurve og de prioriterte kravene i gjeldende versjon; dokumenter som senere tømte listen er med og merket (harPrioritertKravNummer usann). Kolonnene fra den opprinnelige jobben beholder navnet; en leser som vil ha den opprinnelige jobbens rader velger harPrioritertKravNummer og ikke slettet.',
  column_descriptions (
    etterlevelseDokumentasjonId = 'Dokumentets id.',
    time = 'Når dokumentets gjeldende versjon ble lagret (UTC).',
    aktivRad = 'Alltid sann: raden beskriver dokumentets gjeldende versjon (kolonnen beholdes fra den opprinnelige jobben).',
    prioritertKravNummer = 'Kravnummerene som er prioritert i gjeldende versjon, som tekst slik appen lagrer dem (som i den opprinnelige jobben).',
    harPrioritertKravNummer = 'Gjeldende versjon har minst ett prioritert krav.',
    minTid = 'Første gang dokumentet hadde prioriterte krav (UTC).',
    antallDokumenterMedPrioritertKravlist = 'Den opprinnelige jobbens adopsjonskurve: rangen til minTid (gjennomsnittlig rang ved like tidspunkt) blant ikke-slettede dokumenter som har prioriterte krav i gjeldende versjon; tom for andre rader.',
    antallDokumenterMedPrioritertKravliste = 'Antall dokumenter som hadde prioritert krav til og med minTid, også de som senere tømte listen eller ble slettet (uten overlevelsesskjevhet).',
    antallPrioriterteKrav = 'Antall prioriterte krav i gjeldende versjon.',
    slettet = 'Dokumentet er slettet.'
  )
);

-- One row per document whose current or any earlier version had prioritised krav (@tatt_i_bruk).
-- The original job counted only documents whose current version has it (and, fixing its
-- fault 4, that are not deleted), by pandas' average rank of minTid: snittrang.
SELECT
  CAST(r.etterlevelseDokumentasjonId AS STRING) AS etterlevelseDokumentasjonId,
  CAST(r.time AS TIMESTAMP) AS time,
  CAST(TRUE AS BOOL) AS aktivRad,
  CAST(
    ARRAY(SELECT CAST(k AS STRING) FROM UNNEST(r.prioritertKravNummer) AS k WITH OFFSET AS o ORDER BY o)
    AS ARRAY<STRING>
  ) AS prioritertKravNummer,
  CAST(r.oppfylt AS BOOL) AS harPrioritertKravNummer,
  CAST(r.minTid AS TIMESTAMP) AS minTid,
  CAST(r.snittrang AS FLOAT64) AS antallDokumenterMedPrioritertKravlist,
  CAST(r.antallNoenGang AS INT64) AS antallDokumenterMedPrioritertKravliste,
  CAST(ARRAY_LENGTH(r.prioritertKravNummer) AS INT64) AS antallPrioriterteKrav,
  CAST(r.slettet AS BOOL) AS slettet
FROM @tatt_i_bruk(ARRAY_LENGTH(prioritertKravNummer) > 0, prioritertKravNummer) AS r
