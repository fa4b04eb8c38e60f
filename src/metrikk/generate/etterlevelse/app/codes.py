"""Code values of Støtte til etterlevelse's code lists (CODELIST)."""

from __future__ import annotations

RELEVANS = {
    "PERSONOPPLYSNINGER": "Behandler personopplysninger",
    "SAK": "Saksbehandling",
    "INNSYN": "Innsyn",
    "ARKIV": "Arkivering",
    "PROFILERING": "Profilering og automatisering",
    "BRUKERFLATE": "Brukerflate",
    "KI": "Kunstig intelligens",
    "ANSKAFFELSE": "Anskaffelse",
}
AVDELING = {
    "AVD_YTELSE": "Ytelseslinjen",
    "AVD_ARBEID": "Arbeids- og tjenestelinjen",
    "AVD_IT": "IT-avdelingen",
    "AVD_OKONOMI": "Økonomi- og styringsavdelingen",
    "AVD_KOMM": "Kommunikasjonsavdelingen",
    "AVD_HR": "HR-avdelingen",
    "AVD_KONTROLL": "Kontroll og innkreving",
    "AVD_DATA": "Data og analyse",
}
UNDERAVDELING = {f"UA_{k}": f"{v} – seksjon {i}" for k, v in AVDELING.items() for i in (1, 2)}
TEMA = {
    "PERSONVERN": "Personvern",
    "SIKKERHET": "Informasjonssikkerhet",
    "ARKIV": "Arkiv og dokumentasjon",
    "UU": "Universell utforming",
    "FORVALTNING": "Forvaltning og saksbehandling",
    "ANSKAFFELSE": "Anskaffelser",
    "KI": "Kunstig intelligens",
    "SPRAAK": "Språk",
    "OKONOMI": "Økonomistyring",
    "STATISTIKK": "Statistikk",
}
LOV = {
    "PERSONOPPLYSNINGSLOVEN": ("PERSONVERN", "Personopplysningsloven"),
    "GDPR": ("PERSONVERN", "Personvernforordningen"),
    "FORVALTNINGSLOVEN": ("FORVALTNING", "Forvaltningsloven"),
    "ARKIVLOVA": ("ARKIV", "Arkivlova"),
    "ARKIVFORSKRIFTEN": ("ARKIV", "Arkivforskriften"),
    "SIKKERHETSLOVEN": ("SIKKERHET", "Sikkerhetsloven"),
    "EFORVALTNINGSFORSKRIFTEN": ("SIKKERHET", "eForvaltningsforskriften"),
    "LIKESTILLINGSLOVEN": ("UU", "Likestillings- og diskrimineringsloven"),
    "UU_FORSKRIFTEN": ("UU", "Forskrift om universell utforming av IKT"),
    "ANSKAFFELSESLOVEN": ("ANSKAFFELSE", "Anskaffelsesloven"),
    "KI_FORORDNINGEN": ("KI", "KI-forordningen"),
    "SPRAAKLOVA": ("SPRAAK", "Språklova"),
    "OKONOMIREGLEMENTET": ("OKONOMI", "Økonomireglementet"),
    "STATISTIKKLOVEN": ("STATISTIKK", "Statistikkloven"),
    "NAV_LOVEN": ("FORVALTNING", "NAV-loven"),
    "FOLKETRYGDLOVEN": ("FORVALTNING", "Folketrygdloven"),
}
YTTERLIGERE = (
    "PROFILERING",
    "NY_TEKNOLOGI",
    "SAMMENSTILLING",
    "SAARBARE_GRUPPER",
    "STOR_SKALA",
    "OVERVAAKING",
)
PVO_VURDERING = ("GODKJENT", "GODKJENT_MED_MERKNAD", "IKKE_GODKJENT", "TRENGER_MER_ARBEID")
