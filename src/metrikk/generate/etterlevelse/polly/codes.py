"""Code values of Behandlingskatalogen's code lists, and word lists for names."""

from __future__ import annotations

GDPR = {
    "ART61A": "Art. 6(1)a - Samtykke",
    "ART61B": "Art. 6(1)b - Avtale",
    "ART61C": "Art. 6(1)c - Rettslig forpliktelse",
    "ART61D": "Art. 6(1)d - Vitale interesser",
    "ART61E": "Art. 6(1)e - Allmennhetens interesse/offentlig myndighet",
    "ART61F": "Art. 6(1)f - Berettiget interesse",
    "ART92A": "Art. 9(2)a - Uttrykkelig samtykke",
    "ART92B": "Art. 9(2)b - Arbeidsrett, trygderett og sosialrett",
    "ART92C": "Art. 9(2)c - Vitale interesser",
    "ART92D": "Art. 9(2)d - Ideelle organisasjoner",
    "ART92E": "Art. 9(2)e - Offentliggjort av den registrerte",
    "ART92F": "Art. 9(2)f - Rettskrav",
    "ART92G": "Art. 9(2)g - Viktige allmenne interesser",
    "ART92H": "Art. 9(2)h - Helse- og sosialtjenester",
    "ART92I": "Art. 9(2)i - Folkehelse",
    "ART92J": "Art. 9(2)j - Arkiv, forskning og statistikk",
}
NATIONAL_LAW = {
    "FTRL": "Folketrygdloven",
    "FVL": "Forvaltningsloven",
    "NAVL": "NAV-loven",
    "SAMTYKKE": "Samtykke",
    "NY_ALDERSPENSJON": "Ny alderspensjon",
    "SOSTL": "Sosialtjenesteloven",
    "ARKIVL": "Arkivlova",
    "POL": "Personopplysningsloven",
    "BTRL": "Barnetrygdloven",
    "KSL": "Kontantstøtteloven",
    "ARBML": "Arbeidsmarkedsloven",
    "SKATTEFORVL": "Skatteforvaltningsloven",
    "STATISTIKKL": "Statistikkloven",
    "EOS_883": "Trygdeforordningen 883/2004",
    "SUPPLERENDE_STONAD": "Lov om supplerende stønad",
    "BIDRAGSL": "Barnelova (bidrag)",
}
BASE_SYSTEMS = (
    "TPS PESYS AA_REG ARENA GOSYS JOARK INFOTRYGD MODIA FPSAK K9SAK BISYS MELOSYS SPEIL SYFO "
    "DOKDIST PDL A_INNTEKT DIGDIR_KRR NAV_NO SOKNAD KELVIN TILTAKSPENGER SAF OPPGAVE SKANNING"
).split()
BASE_PURPOSES = (
    "AAP DAGPENGER SYKEPENGER FORELDREPENGER BARNETRYGD KONTANTSTOTTE ALDERSPENSJON UFORETRYGD "
    "KONTROLL STATISTIKK ARBEIDSRETTET_OPPFOLGING TILTAK BIDRAG ENSLIG_FORSORGER GRUNNSTONAD "
    "HJELPEMIDLER PLEIEPENGER OMSORGSPENGER TILTAKSPENGER SOSIALHJELP KLAGE INNKREVING "
    "REGNSKAP PERSONAL REKRUTTERING"
).split()
CATEGORIES = (
    "PERSONALIA ARBEIDSFORHOLD UTDANNING INNTEKT HELSE FAMILIE BOSTED KONTAKTINFORMASJON "
    "YTELSER STRAFF OKONOMI TILTAK BIOMETRI ETNISITET"
).split()
THIRD_PARTIES = (
    "SKATTEETATEN ARBEIDSGIVER BRUKER FOLKEREGISTERET HELSEDIREKTORATET LEGE UDI KARTVERKET "
    "LANEKASSEN KOMMUNE BRREG SSB POLITIET KRIMINALOMSORGEN HELFO TRYGDEMYNDIGHET_EOS"
).split()
SUBJECT_CATEGORIES = ("BRUKER ANDRE PARTNER BARN ARBEIDSGIVER SAMBOER ANSATT VERGE LEGE").split()
DEPARTMENTS = ("YTA AOT OESA PO_HR ITA KOMM JURIDISK ARBEIDSLIVSSENTER").split()
SUB_DEPARTMENTS = (
    "PENSJON FAMILIE HELSE ARBEID_OG_YTELSER OKONOMI NAV_KONTAKTSENTER KONTROLL KLAGEINSTANS "
    "HJELPEMIDDELSENTRAL FORVALTNING"
).split()
TRANSFER_GROUNDS = (
    "APPROVED_THIRD_COUNTRY",
    "STANDARD_CONTRACT",
    "BINDING_CORPORATE_RULES",
    "OTHER",
)
DATA_ACCESS = ("INTERN", "SKJERMET", "FORTROLIG", "STRENGT_FORTROLIG")
COUNTRIES = ("USA", "GBR", "IND", "CHE", "SWE", "DNK", "IRL", "DEU", "NLD", "CAN")
SENSITIVITY = {
    "POL": "Personopplysning",
    "SAERLIGE": "Særlige kategorier",
    "STRAFF": "Straffedommer",
    "IKKE_POL": "Ikke personopplysning",
}
NO_DPIA = (
    "NO_SPECIAL_CATEGORY_PI",
    "SMALL_SCALE",
    "NO_DATASET_CONSOLIDATION",
    "NO_NEW_TECH",
    "NO_PROFILING_OR_AUTOMATION",
    "OTHER",
)
IT_WORDS = ("opplysninger", "historikk", "vedtak", "meldinger", "saksdokumenter", "beregning")
PROCESS_WORDS = (
    "Behandling av søknad om {}|Kontroll av {}|Utbetaling av {}|Statistikk om {}|"
    "Oppfølging av mottakere av {}|Klagebehandling for {}|Innkreving av feilutbetalt {}|"
    "Journalføring av dokumenter om {}|Veiledning om {}|Registrering av {}"
).split("|")
