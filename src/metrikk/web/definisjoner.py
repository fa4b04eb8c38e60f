"""What the numbers mean, in plain bokmål: the «Om tallene» page, the help text beside every
measure, and `/api/v1/definisjoner` (their JSON twin). Written from CONTRACT §3 (the counting
rules); one text per term, so the page, the help texts and the API say the same thing.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["api"])

# key -> (term, short help shown beside the measure, longer text for «Om tallene»)
DEFINISJONER: dict[str, tuple[str, str, str]] = {
    "unike_personer": (
        "Unike personer",
        "Hver person telles én gang, selv om personen deltar på flere tiltak eller i flere uker.",
        "Tallene er antall forskjellige personer. En person som deltar på to tiltak samme uke "
        "telles én gang i uken, og én gang under hvert av tiltakene. Derfor kan summen av "
        "radene være større enn totalen: totalen er alltid unike personer for hele utvalget, "
        "aldri en sum av cellene.",
    ),
    "paa_tiltak": (
        "På tiltak",
        "Personer med minst én aktiv dag på et tiltak i uken.",
        "En person er på tiltak en uke når minst én av personens deltakelser har en aktiv dag i "
        "uken: fra startdatoen til sluttdatoen (eller til i dag), og statusen viser at personen "
        "faktisk deltok (deltar, har sluttet, fullført eller avbrutt). Søknader, ventelister "
        "og kladder telles ikke.",
    ),
    "gjennomsnitt_per_uke": (
        "Gjennomsnitt per uke",
        "Gjennomsnittet av ukenes antall unike personer i perioden.",
        "Antall personer på tiltak kan ikke summeres over uker: en person som deltar hele "
        "april er på tiltak i fire uker, men er én person. «Unike personer i perioden» teller "
        "hver person én gang for hele perioden. «Gjennomsnitt per uke» er snittet av ukenes "
        "tall – det samme som årsgjennomsnittet i Navs offisielle statistikk.",
    ),
    "maned": (
        "Måned og år",
        "En uke hører til måneden (og året) som torsdagen i uken ligger i.",
        "Tallene lages per ISO-uke (mandag–søndag). En uke hører til måneden torsdagen ligger "
        "i, slik ISO-året er året torsdagen ligger i. Derfor har en måned fire eller fem hele "
        "uker, og ingen uke telles i to måneder. Den siste måneden kan være ufullstendig; da "
        "står det hvor mange av ukene som er med.",
    ),
    "innsatsgruppe": (
        "Innsatsgruppe",
        "Personens innsatsgruppe etter siste § 14 a-vedtak før eller på dagen vi ser på.",
        "Innsatsgruppen kommer fra personens siste § 14 a-vedtak fattet senest den siste "
        "aktive dagen i uken. Gamle koder (standard innsats, situasjonsbestemt, spesielt "
        "tilpasset, gradert og varig tilpasset) og Arena-koder er oversatt til de nye "
        "gruppene. Uten vedtak, eller med en kode som ikke er en innsatsgruppe, står "
        "personen under «Ukjent innsatsgruppe».",
    ),
    "avdeling": (
        "Avdeling",
        "Veiledergruppen (avdelingen) til personens veileder den dagen.",
        "Avdelingen er veiledergruppen på kontoret som personens veileder var med i den siste "
        "aktive dagen i uken, eller avdelingen kontoret har koblet gruppen til. Er veilederen "
        "i flere grupper, brukes gruppen veilederen har vært med i lengst.",
    ),
    "veiledergruppe": (
        "Veiledergruppe",
        "Veiledergruppen personens veileder var med i den dagen, med gruppens nyeste navn.",
        "Veiledergruppen er gruppen på kontoret som personens veileder var med i den siste "
        "dagen personen var under oppfølging i uken (er veilederen i flere grupper, gruppen "
        "veilederen har vært med i lengst). Avdelingen er den samme gruppen, eller avdelingen "
        "kontoret har koblet den til, så flere veiledergrupper kan høre til én avdeling. "
        "«Uten veiledergruppe» betyr at personen ikke hadde veileder, eller at veilederen ikke "
        "var i noen gruppe.",
    ),
    "uten_avdeling": (
        "Uten avdeling",
        "Personen hadde ingen veileder, eller veilederen var ikke i noen veiledergruppe.",
        "«Uten avdeling» betyr at personen ikke hadde en tilordnet veileder den dagen, eller "
        "at veilederen ikke var med i noen av kontorets veiledergrupper. Personene telles "
        "likevel med i alle totaler.",
    ),
    "kontor": (
        "Kontor",
        "Personens oppfølgingskontor den dagen.",
        "Kontoret er personens oppfølgingskontor den siste aktive dagen i uken. Et fylkeskontor "
        "er aldri et kontor her: en deltaker forsvinner ikke fordi gjennomføringen også er "
        "knyttet til Nav Vest-Viken.",
    ),
    "kontor_fra_reserveregel": (
        "Kontor fra reserveregel",
        "Oppfølgingskontoret manglet, så kontoret ble hentet fra avtalen eller gjennomføringen.",
        "Når personen ikke har et oppfølgingskontor den dagen, brukes kontoret som følger "
        "arbeidsgiveravtalen, ellers det ene lokalkontoret gjennomføringen er knyttet til. "
        "Dette er en reserveregel: tallet viser hvor ofte den ble brukt.",
    ),
    "startet": (
        "Startet",
        "Personer som startet en deltakelse i uken (startdato i uken).",
        "Personer med minst én deltakelse som har startdato i uken og som telles.",
    ),
    "sluttet": (
        "Sluttet",
        "Personer som avsluttet en deltakelse i uken.",
        "Personer med minst én deltakelse som har sluttdato i uken, der sluttdatoen er den "
        "siste aktive dagen. Personen kan fortsatt være på et annet tiltak.",
    ),
    "venter": (
        "Venter",
        "Deltakelser som venter på plass ved slutten av uken, på gjennomføringer kontorets "
        "deltakere er på.",
        "En deltakelse venter når statusen ved slutten av søndagen er søkt inn, vurderes, "
        "venteliste eller venter på oppstart. Tallet gjelder gjennomføringene kontorets "
        "deltakere var på den uken, og tar med alle som venter der, også fra andre kontor.",
    ),
    "belegg": (
        "Belegg",
        "Deltar delt på antall plasser, for gjennomføringer som har oppgitt plasser.",
        "Belegg er antall deltakelser som telles i uken delt på gjennomføringens antall "
        "plasser. Over 100 % betyr at flere deltar enn det er plasser. Enkeltplasser og "
        "gjennomføringer uten oppgitte plasser er ikke med i samlet belegg.",
    ),
    "enkeltplass": (
        "Enkeltplass",
        "En gjennomføring for én deltaker (for eksempel opplæring kjøpt enkeltvis); har ingen "
        "plasser å fylle.",
        "Enkeltplasser er tiltak der Nav kjøper en plass til én person. De vises for seg og er "
        "ikke med i belegget.",
    ),
    "tiltakskategori": (
        "Tiltakskategori",
        "Gruppetiltak, enkeltplass, arbeidsgivertiltak eller egen regi.",
        "Tiltakene er delt i fire kategorier etter tiltakstypen: gruppetiltak (kjøpt som "
        "gruppe), enkeltplass, arbeidsgivertiltak (avtaler med arbeidsgiver, f.eks. "
        "lønnstilskudd) og tiltak i Navs egen regi.",
    ),
    "tiltaksgruppe": (
        "Tiltaksgruppe",
        "Kontorets egen gruppering av tiltak, for eksempel «Gruppe AMO» eller «Lønnstilskudd».",
        "Et kontor kan gruppere tiltakene slik det selv rapporterer, for eksempel «Gruppe AMO», "
        "«FAG & YRK» og «Lønnstilskudd». Hver deltakelse får gruppen kontoret har valgt for "
        "tiltaket. Har kontoret ikke valgt en gruppe for tiltaket, brukes den nasjonale "
        "grupperingen, og finnes heller ikke den, er gruppen tiltakets eget navn. Det er "
        "personens kontor den uken som bestemmer hvilken gruppering som brukes.",
    ),
    "under_oppfolging": (
        "Under oppfølging",
        "Personer i en periode med arbeidsrettet oppfølging minst én dag i uken, med kontoret som "
        "oppfølgingskontor.",
        "En person er under oppfølging en uke når minst én av personens perioder med "
        "arbeidsrettet oppfølging dekker minst én dag i uken. Kontor, avdeling og innsatsgruppe "
        "er slik de var den siste dagen personen var under oppfølging i uken. Kontoret er "
        "oppfølgingskontoret den dagen; mangler det, eller er det et fylkeskontor, står "
        "personen under «Ukjent kontor» (her er det ingen reserveregel, for personen har ingen "
        "deltakelse å hente kontoret fra).",
    ),
    "andel_paa_tiltak": (
        "Andel på tiltak",
        "Hvor mange av personene under oppfølging som også var på tiltak, i prosent.",
        "Andelen er personer under oppfølging som også var på tiltak i samme uke (på hvilket "
        "som helst tiltak, også hos et annet kontor), delt på alle personer under oppfølging i "
        "gruppen. For en måned eller et år telles hver person én gang: personen er på tiltak i "
        "perioden når minst én av ukene hadde tiltak. Personer på tiltak som ikke er under "
        "oppfølging er ikke med her, men de er med i antall på tiltak på de andre sidene.",
    ),
    "ventetid": (
        "Ventetid",
        "Dager fra deltakelsen først fikk en ventestatus til startdatoen, for deltakelser som "
        "startet i perioden.",
        "Ventetiden telles for deltakelser i Komet som starter i perioden og som telles som "
        "deltakelse. Den er antall dager fra den første dagen deltakelsen hadde en av "
        "statusene søkt inn, vurderes, venteliste eller venter på oppstart, til startdatoen. "
        "En deltakelse som aldri ventet, eller som fikk ventestatus først på eller etter "
        "startdatoen, har 0 dager. Kontoret er personens kontor på startdatoen. "
        "Gjennomsnittet er summen av ventedagene delt på antall oppstarter, så det kan regnes "
        "for alle utvalg. Arbeidsgivertiltak har ingen ventestatus og er ikke med.",
    ),
    "ventet_over_30": (
        "Ventet over 30 dager",
        "Andelen av oppstartene som ventet mer enn 30 dager.",
        "Antall oppstarter med mer enn 30 ventedager delt på alle oppstarter i utvalget.",
    ),
    "endring": (
        "Endring",
        "Forskjellen fra forrige uke og fra samme ISO-uke i fjor, i antall og prosent.",
        "Endringen er regnet av tallene som vises. Prosenten er endringen delt på tallet det "
        "sammenlignes med; den mangler når det tallet er 0. Uke 53 har ingen samme uke i et "
        "år med 52 uker.",
    ),
    "beskyttelse": (
        "Små tall",
        "Små tall om personer vises ikke, og andre tall er avrundet, når beskyttelse er på.",
        "Når dashboardet kjører med beskyttelse av små tall, vises ikke antall personer under "
        "grensen, og alle andre tall om personer er avrundet. Andeler og endringer regnes av "
        "tallene som vises.",
    ),
    "syntetiske_data": (
        "Syntetiske data",
        "Tallene er laget av en generator og viser ingen virkelige personer.",
        "Når noe av datagrunnlaget er syntetisk, står det øverst på hver side og i hver eksport.",
    ),
}


def help_text(key: str) -> str:
    return DEFINISJONER[key][1]


def as_list() -> list[dict[str, Any]]:
    return [
        {"noekkel": k, "begrep": term, "kort": short, "forklaring": long}
        for k, (term, short, long) in DEFINISJONER.items()
    ]


@router.get("/definisjoner", summary="Hva tallene betyr: begrepene på «Om tallene»")
def definisjoner() -> dict[str, Any]:
    return {"definisjoner": as_list()}
