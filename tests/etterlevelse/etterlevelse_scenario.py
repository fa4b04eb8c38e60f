"""One hand-made history that exercises every schema break and known fault (research §1.4, §3.17).

Ids are short readable strings; times are naive UTC like the sources. Each block names the
break or fault it is for; tests in this folder assert on the published tables.
"""

from __future__ import annotations

from etterlevelse_sources import Sources, kriterium

MIGRATION = "MIGRATION(ADMIN)"
AS_OF = "2026-06-30"


def gs_dok(
    s: Sources,
    dok: str,
    time: str,
    *,
    action: str = "UPDATE",
    version: int = 0,
    audit_id: str | None = None,
    created_by: str = "B654321 - Kari Nordmann",
    **fields,
):
    payload = {"id": dok, "title": "Tittel", "behandlingIds": [], "irrelevansFor": [], **fields}
    return s.audit(
        "EtterlevelseDokumentasjon",
        dok,
        time,
        {
            "id": dok,
            "type": "EtterlevelseDokumentasjon",
            "data": payload,
            "createdBy": created_by,
            "version": version,
        },
        action=action,
        version=version,
        audit_id=audit_id,
    )


def build_scenario() -> Sources:
    s = Sources()

    # Krav history: 101 v1 (GS era) replaced by 101 v2 (own table) on 2025-05-01; 102 only for
    # documents processing personal data; 103 comes into force 2025-06-01.
    s.krav("k101v1", "2021-01-01T08:00:00", nummer=101, versjon=1)
    s.krav("k102v1", "2021-01-01T08:00:00", nummer=102, versjon=1, relevans=["PERSONOPPLYSNINGER"])
    s.krav("k101v1", "2025-05-01T08:00:00", nummer=101, versjon=1, status="UTGAATT", own=True)
    s.krav("k101v2", "2025-05-01T08:00:00", nummer=101, versjon=2, own=True)
    s.krav("k103v1", "2025-06-01T08:00:00", nummer=103, versjon=1, own=True, status="UTKAST")
    s.krav("k103v1", "2025-06-01T09:00:00", nummer=103, versjon=1, own=True)
    for kid, nr, v, status in [
        ("k101v1", 101, 1, "UTGAATT"),
        ("k101v2", 101, 2, "AKTIV"),
        ("k102v1", 102, 1, "AKTIV"),
        ("k103v1", 103, 1, "AKTIV"),
    ]:
        s.add(
            "landing_zone.etterlevelse_krav",
            id=kid,
            krav_nummer=nr,
            krav_versjon=v,
            status=status,
            data={
                "kravNummer": nr,
                "regelverk": [{"lov": "PERSONOPPLYSNINGSLOVEN"}, {"lov": "ARKIVLOVEN"}],
                "relevansFor": ["PERSONOPPLYSNINGER"] if nr == 102 else [],
                "suksesskriterier": [{"id": 1}, {"id": 2}],
            },
        )
    s.add(
        "landing_zone.etterlevelse_codelist",
        list="LOV",
        code="PERSONOPPLYSNINGSLOVEN",
        short_name="Personopplysningsloven",
        description="",
        data={"tema": "PERSONVERN", "underavdeling": "JURIDISK"},
    )
    s.add(
        "landing_zone.etterlevelse_codelist",
        list="LOV",
        code="ARKIVLOVEN",
        short_name="Arkivloven",
        description="",
        data={"tema": "ARKIV", "underavdeling": "JURIDISK"},
    )
    s.add(
        "landing_zone.etterlevelse_codelist",
        list="TEMA",
        code="PERSONVERN",
        short_name="Personvern",
        description="",
    )
    s.add(
        "landing_zone.etterlevelse_codelist",
        list="TEMA",
        code="ARKIV",
        short_name="Arkiv",
        description="",
    )

    # Fault 05: migrated document dA whose first audit row is already in the 2025 own-table shape.
    s.dok_own(
        "dA",
        "2025-04-10T09:00:00",
        created_by=MIGRATION,
        behandlingIds=["bA"],
        etterlevelseNummer=101,
        avdeling=None,
        nomAvdelingId="nom-1",
        avdelingNavn="Avdeling for IT",
    )
    # Migrated dB: first row GS shape (break 2023-08 / GS envelope data.data), later own-table shape.
    gs_dok(
        s,
        "dB",
        "2023-09-01T09:00:00",
        created_by=MIGRATION,
        behandlingIds=["bB"],
        etterlevelseNummer=102,
    )
    s.dok_own(
        "dB",
        "2025-04-01T09:00:00",
        created_by=MIGRATION,
        behandlingIds=["bB"],
        etterlevelseNummer=102,
        version=1,
    )
    # Never-edited migrated dC exists only in the current table.
    # Two migrated documents share a behandlingId: the lower etterlevelseNummer (dDup2) wins.
    gs_dok(
        s,
        "dDup1",
        "2023-10-01T09:00:00",
        created_by=MIGRATION,
        behandlingIds=["bD"],
        etterlevelseNummer=105,
    )
    gs_dok(
        s,
        "dDup2",
        "2023-10-02T09:00:00",
        created_by=MIGRATION,
        behandlingIds=["bD"],
        etterlevelseNummer=104,
    )
    # dE: an ordinary document; irrelevansFor PERSONOPPLYSNINGER removes krav 102; fault 07.
    gs_dok(
        s,
        "dE",
        "2023-10-01T09:00:00",
        action="CREATE",
        etterlevelseNummer=201,
        irrelevansFor=["PERSONOPPLYSNINGER"],
        beskrivelse="Kort",
        varslingsadresser=[
            {"type": "SLACK", "adresse": "#kanal"},
            {"type": "EPOST", "adresse": "a@nav.no"},
        ],
        prioritertKravNummer=["101"],
        forGjenbruk=True,
        avdeling="AVD_IT",
        resources=["C111111"],
        risikoeiere=["D222222"],
    )
    s.dok_own(
        "dE",
        "2025-07-01T09:00:00",
        etterlevelseNummer=201,
        irrelevansFor=["PERSONOPPLYSNINGER"],
        beskrivelse="Lengre beskrivelse",
        varslingsadresser=[{"type": "SLACK", "adresse": "#kanal"}],
        prioritertKravNummer=["101", "103"],
        forGjenbruk=True,
        tilgjengeligForGjenbruk=True,
        nomAvdelingId="nom-1",
        avdelingNavn="Avdeling for IT",
        version=1,
    )
    # Deleted document (DELETE carries full data) and a document missing from the current table.
    gs_dok(
        s,
        "dDel",
        "2024-01-01T09:00:00",
        action="CREATE",
        etterlevelseNummer=202,
        varslingsadresser=[{"type": "EPOST", "adresse": "b@nav.no"}],
    )
    s.dok_own(
        "dDel",
        "2025-06-01T09:00:00",
        action="DELETE",
        etterlevelseNummer=202,
        version=1,
        varslingsadresser=[{"type": "EPOST", "adresse": "b@nav.no"}],
    )
    gs_dok(s, "dGone", "2024-02-01T09:00:00", action="CREATE", etterlevelseNummer=203)
    # Fault 04: ties on time; version decides, then audit_id.
    s.dok_own("dTie", "2025-08-01T09:00:00", version=1, audit_id="tie-a", etterlevelseNummer=204)
    s.dok_own("dTie", "2025-08-01T09:00:00", version=2, audit_id="tie-b", etterlevelseNummer=204)
    s.dok_own("dTie2", "2025-08-01T09:00:00", version=1, audit_id="tie2-b", etterlevelseNummer=205)
    s.dok_own("dTie2", "2025-08-01T09:00:00", version=1, audit_id="tie2-a", etterlevelseNummer=205)
    # CONTRACT §6 ties: three saves at one time and one version, ordered only by the root
    # lastModifiedDate (the latest has the lowest audit_id and the only description).
    for audit_id, stamp, tekst in [
        ("lmd-c", "2025-08-02T08:59:59.100", ""),
        ("lmd-b", "2025-08-02T08:59:59.200", ""),
        ("lmd-a", "2025-08-02T08:59:59.900", "Siste lagring"),
    ]:
        s.dok_own(
            "dLmd",
            "2025-08-02T09:00:00",
            version=2,
            audit_id=audit_id,
            last_modified=stamp,
            etterlevelseNummer=206,
            beskrivelse=tekst,
        )

    for dok, data in [
        ("dA", {}),
        ("dB", {}),
        ("dDup1", {}),
        ("dDup2", {}),
        ("dE", {}),
        ("dTie", {}),
        ("dTie2", {}),
        ("dLmd", {}),
        ("dC", {"behandlingIds": ["bC"], "etterlevelseNummer": 103, "title": ""}),
    ]:
        s.add("landing_zone.etterlevelse_etterlevelse_dokumentasjon", id=dok, data=data)

    # Break 2022-06 / fault 01: legacy booleans with the app's precedence; break 2021-06 id key.
    s.svar_gs(
        "eA",
        "2022-03-01T10:00:00",
        krav=101,
        behandling="bA",
        kriterier=[
            {"suksesskriterieId": 1, "oppfylt": True, "ikkeRelevant": False},  # OPPFYLT
            {"suksesskriterieId": 2, "oppfylt": True, "underArbeid": True},  # UNDER_ARBEID
            {"suksesskriterieId": 3, "oppfylt": False, "ikkeRelevant": True},  # IKKE_RELEVANT
            {"suksesskriterieId": 4, "ikkeRelevant": True},  # IKKE_RELEVANT
            {"suksesskriterieId": 5},  # UNDER_ARBEID
            {"id": 6, "oppfylt": True},  # OPPFYLT, old id key
        ],
    )
    s.svar_gs(
        "eC", "2022-04-01T10:00:00", krav=101, behandling="bC", kriterier=[kriterium(1, "OPPFYLT")]
    )
    s.svar_gs(
        "eD", "2022-04-02T10:00:00", krav=101, behandling="bD", kriterier=[kriterium(1, "OPPFYLT")]
    )
    s.svar_gs(
        "eX", "2022-04-03T10:00:00", krav=101, behandling="bX", kriterier=[kriterium(1, "OPPFYLT")]
    )
    s.svar_gs(
        "eX",
        "2022-04-04T10:00:00",
        krav=101,
        behandling="bX",
        kriterier=[kriterium(1, "IKKE_OPPFYLT")],
    )
    # GS era after the Aug 2023 migration: data.etterlevelseDokumentasjonId.
    s.svar_gs(
        "eB", "2023-09-02T10:00:00", krav=101, dok="dB", kriterier=[kriterium(1, "UNDER_ARBEID")]
    )
    s.svar_gs("eB2", "2023-09-02T11:00:00", krav=102, dok="dB", kriterier=[kriterium(1, "OPPFYLT")])
    s.svar_own(
        "eB2",
        "2024-11-02T11:00:00",
        krav=102,
        dok="dB",
        kriterier=[kriterium(1, "OPPFYLT")],
        action="DELETE",
    )
    # Break 2024-10: own table ETTERLEVELSE, payload etterlevelseData; newer krav version supersedes.
    s.svar_own(
        "eE1",
        "2024-11-01T10:00:00",
        krav=101,
        versjon=1,
        dok="dE",
        kriterier=[kriterium(1, "OPPFYLT"), kriterium(2, "OPPFYLT")],
        status="UNDER_REDIGERING",
    )
    s.svar_own(
        "eE2",
        "2025-05-02T10:00:00",
        krav=101,
        versjon=2,
        dok="dE",
        kriterier=[kriterium(1, "OPPFYLT"), kriterium(2, "IKKE_RELEVANT")],
        status="FERDIG_DOKUMENTERT",
    )
    # Fault 04 for answers: two saves of krav 103 at the same time and version.
    s.svar_own(
        "eE3",
        "2025-07-02T10:00:00",
        krav=103,
        dok="dE",
        kriterier=[kriterium(1, "UNDER_ARBEID")],
        audit_id="svar-tie-a",
        version=3,
    )
    s.svar_own(
        "eE3",
        "2025-07-02T10:00:00",
        krav=103,
        dok="dE",
        kriterier=[kriterium(1, "OPPFYLT")],
        audit_id="svar-tie-b",
        version=3,
        status="FERDIG_DOKUMENTERT",
    )
    # CONTRACT §6 ties for answers: Etterlevelse writes an UPDATE and a DELETE of one save with one
    # time, version and stamp; the DELETE is current (its audit_id is the lower one).
    s.svar_own(
        "eLmd",
        "2025-08-03T10:00:00",
        krav=101,
        versjon=2,
        dok="dLmd",
        kriterier=[kriterium(1, "OPPFYLT")],
        status="FERDIG_DOKUMENTERT",
        action="CREATE",
        version=0,
        audit_id="svar-del-0",
        last_modified="2025-08-03T10:00:00",
    )
    for audit_id, action in [("svar-del-z", "UPDATE"), ("svar-del-a", "DELETE")]:
        s.svar_own(
            "eLmd",
            "2025-08-04T10:00:00",
            krav=101,
            versjon=2,
            dok="dLmd",
            kriterier=[kriterium(1, "OPPFYLT")],
            status="FERDIG_DOKUMENTERT",
            action=action,
            version=1,
            audit_id=audit_id,
            last_modified="2025-08-04T10:00:00",
        )

    # Fault 09: relations with time, aktivRad and slettet.
    s.audit(
        "DOCUMENT_RELATION",
        "rel1",
        "2024-07-01T10:00:00",
        {
            "id": "rel1",
            "relationType": "ARVER",
            "fromDocument": "dB",
            "toDocument": "dE",
            "data": None,
        },
        action="CREATE",
    )
    s.audit(
        "DOCUMENT_RELATION",
        "rel1",
        "2024-08-01T10:00:00",
        {
            "id": "rel1",
            "relationType": "ARVER",
            "fromDocument": "dB",
            "toDocument": "dE",
            "data": None,
        },
        action="DELETE",
    )
    s.audit(
        "DOCUMENT_RELATION",
        "rel2",
        "2024-07-01T10:00:00",
        {
            "id": "rel2",
            "relationType": "KOPI",
            "fromDocument": "dA",
            "toDocument": "dE",
            "data": None,
        },
        action="CREATE",
    )
    s.audit(
        "DOCUMENT_RELATION",
        "rel2",
        "2024-07-02T10:00:00",
        {
            "id": "rel2",
            "relationType": "ENGANGSKOPI",
            "fromDocument": "dA",
            "toDocument": "dE",
            "data": None,
        },
    )

    # Metadata (tildelt og notater): GS era then own table.
    s.audit(
        "EtterlevelseMetadata",
        "md1",
        "2024-03-01T10:00:00",
        {
            "id": "md1",
            "type": "EtterlevelseMetadata",
            "data": {
                "id": "md1",
                "kravNummer": 101,
                "kravVersjon": 1,
                "etterlevelseDokumentasjonId": "dE",
                "tildeltMed": ["C111111 - Per Person"],
                "notater": "Husk dette",
            },
        },
    )
    s.audit(
        "ETTERLEVELSE_METADATA",
        "md1",
        "2025-07-01T10:00:00",
        {
            "id": "md1",
            "kravNummer": 101,
            "kravVersjon": 2,
            "etterlevelseDokumentasjonId": "dE",
            "data": {
                "tildeltMed": ["C111111 - Per Person", "D222222 - Ola Olsen"],
                "notater": None,
            },
        },
    )
    s.add(
        "landing_zone.etterlevelse_etterlevelse_metadata",
        id="md1",
        krav_nummer=101,
        krav_versjon=2,
        etterlevelse_dokumentasjon="dE",
        data={"tildeltMed": [], "notater": None},
    )

    # Fault 11: PVK with an explicit schema across eras; re-entering a status is counted.
    def pvk(time, status, extra, action="UPDATE"):
        s.audit(
            "PVK_DOKUMENT",
            "pvk1",
            time,
            {
                "id": "pvk1",
                "etterlevelseDokumentId": "dE",
                "status": status,
                "pvkDokumentData": {"antallInnsendingTilPvo": 1, "skalUtforePvk": True, **extra},
            },
            action=action,
        )

    pvk(
        "2025-01-10T10:00:00",
        "UNDERARBEID",
        {"merknadTilPvoEllerRisikoeier": "Fritekst"},
        action="CREATE",
    )
    pvk(
        "2025-02-10T10:00:00",
        "SENDT_TIL_PVO",
        {"sendtTilPvoDato": "2025-02-10T10:00:00", "sendtTilPvoAv": "C111111"},
    )
    pvk("2025-03-10T10:00:00", "UNDERARBEID", {})
    pvk(
        "2025-12-10T10:00:00",
        "SENDT_TIL_PVO",
        {
            "pvkVurdering": "SKAL_UTFORE",
            "meldingerTilPvo": [
                {
                    "innsendingId": 1,
                    "sendtTilPvoDato": "2025-12-10T10:00:00",
                    "sendtTilPvoAv": "C111111",
                }
            ],
        },
    )
    s.audit(
        "RISIKOSCENARIO",
        "rs1",
        "2025-02-01T10:00:00",
        {
            "id": "rs1",
            "pvkDokumentId": "pvk1",
            "risikoscenarioData": {
                "navn": "Scenario",
                "beskrivelse": "Noe kan skje",
                "sannsynlighetsNivaa": 3,
                "konsekvensNivaa": 4,
                "generelScenario": False,
                "relevanteKravNummer": [101],
                "ingenTiltak": False,
            },
        },
        action="CREATE",
    )
    s.audit(
        "TILTAK",
        "tt1",
        "2025-02-02T10:00:00",
        {
            "id": "tt1",
            "pvkDokumentId": "pvk1",
            "tiltakData": {
                "navn": "Tiltak",
                "beskrivelse": "Gjør noe",
                "ansvarlig": "C111111",
                "frist": "2025-06-01",
                "iverksatt": True,
                "iverksattDato": "2025-05-01",
            },
        },
        action="CREATE",
    )

    # Fault 12: tilbakemeldinger without any null-status thread, and one thread without status.
    s.add(
        "landing_zone.etterlevelse_tilbakemelding",
        id="tb1",
        krav_nummer=101,
        krav_versjon=2,
        created_date="2025-05-10T10:00:00",
        data={
            "status": "BESVART",
            "type": "UKLAR",
            "meldinger": [
                {
                    "meldingNr": 1,
                    "fraIdent": "C111111",
                    "rolle": "MELDER",
                    "tid": "2025-05-10T10:00:00",
                    "innhold": "Hva?",
                },
                {
                    "meldingNr": 2,
                    "fraIdent": "E333333",
                    "rolle": "KRAVEIER",
                    "tid": "2025-05-12T10:00:00",
                    "innhold": "Dette.",
                },
            ],
        },
    )
    s.add(
        "landing_zone.etterlevelse_tilbakemelding",
        id="tb2",
        krav_nummer=102,
        krav_versjon=1,
        created_date="2025-06-10T10:00:00",
        data={
            "status": "UBESVART",
            "type": "ANNET",
            "meldinger": [
                {
                    "meldingNr": 1,
                    "fraIdent": "C111111",
                    "rolle": "MELDER",
                    "tid": "2025-06-10T10:00:00",
                    "innhold": "Hei",
                }
            ],
        },
    )
    return s
