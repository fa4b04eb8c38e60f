# ruff: noqa: E501 -- SQL in assertions reads better on one line
"""Every polly shape of research §1.5 is read into the behandlinger stage tables."""

from __future__ import annotations

from polly_log import Polly, Stage, process_data, scenario, uid

# --- PROCESS before 2020-11-24: name and purposeCode at the root ------------------------------

OLD_NAME = uid("break-2020-11")


@scenario
def _old_name_rows(p: Polly) -> None:
    old = process_data(number=201)
    del old["name"], old["purposes"]
    p.process(
        OLD_NAME,
        "2020-06-01T08:00:00",
        old,
        action="CREATE",
        name="Gammel behandling",
        purposeCode="KONTROLL",
    )
    p.process(
        OLD_NAME,
        "2021-03-01T08:00:00",
        process_data(name="Ny behandling", number=201, purposes=["AAP", "KONTROLL"]),
    )


def test_break_2020_11_process_name_at_root(stage: Stage) -> None:
    """A PROCESS row from before Nov 2020 gets its name and purpose from the root columns."""
    rows = stage.query(
        "SELECT name, purposes FROM behandlinger.stage_behandlinger WHERE behandlingId = ? ORDER BY time",
        [OLD_NAME],
    )
    assert rows == [("Gammel behandling", ["KONTROLL"]), ("Ny behandling", ["AAP", "KONTROLL"])]


# --- affiliation keys at the data root before 2020-09-18 ---------------------------------------

OLD_AFFILIATION = uid("break-2020-09")


@scenario
def _old_affiliation_rows(p: Polly) -> None:
    old = process_data(number=202)
    del old["affiliation"]
    old.update(
        department="OTP",
        subDepartments=["PENSJON"],
        productTeams=["team-gammel"],
        products=["TPS", "PESYS"],
    )
    p.process(
        OLD_AFFILIATION, "2020-08-01T08:00:00", old, action="CREATE", name="B", purposeCode="AAP"
    )
    new = process_data(number=202)
    new["affiliation"] = {
        "department": "YTA",
        "subDepartments": ["NAY"],
        "productTeams": ["team-ny"],
        "products": ["AA_REG"],
        "disclosureDispatchers": ["PESYS"],
        "nomDepartmentId": "nom-1",
        "nomDepartmentName": "Ytelsesavdelingen",
        "seksjoner": [{"nomSeksjonId": "s-1", "nomSeksjonName": "Seksjon"}],
        "fylker": [{"nomId": "f-1", "nomName": "Fylke"}],
        "navKontorer": [],
    }
    p.process(OLD_AFFILIATION, "2025-12-01T08:00:00", new)


def test_break_2020_09_affiliation_at_data_root(stage: Stage) -> None:
    """Department, sub-departments, teams and products are read from the data root before Sep 2020
    and from data.affiliation after.
    """
    rows = stage.query(
        """SELECT department, subDepartments, productTeams, products, disclosureDispatchers,
                  nomDepartmentId, seksjoner, fylker, navKontorer
           FROM behandlinger.stage_behandlinger WHERE behandlingId = ? ORDER BY time""",
        [OLD_AFFILIATION],
    )
    assert rows == [
        ("OTP", ["PENSJON"], ["team-gammel"], ["TPS", "PESYS"], [], None, [], [], []),
        ("YTA", ["NAY"], ["team-ny"], ["AA_REG"], ["PESYS"], "nom-1", ["s-1"], ["f-1"], []),
    ]


def test_break_2020_09_old_products_reach_stage_systems(stage: Stage) -> None:
    """stage_systems uses the current version's products wherever that version keeps them."""
    rows = stage.query(
        "SELECT code FROM behandlinger.stage_systems WHERE behandlingId = ? ORDER BY code",
        [OLD_AFFILIATION],
    )
    assert rows == [("AA_REG",)]


# --- subDepartment / productTeam single codes before 2020-05 ------------------------------------

SINGLE_CODES = uid("break-2020-05")


@scenario
def _single_code_rows(p: Polly) -> None:
    old = process_data(number=203)
    del old["affiliation"]
    old.update(department="YTA", subDepartment="NAY", productTeam="team-en")
    p.process(
        SINGLE_CODES, "2020-03-01T08:00:00", old, action="CREATE", name="C", purposeCode="AAP"
    )


def test_break_2020_05_single_sub_department_and_team(stage: Stage) -> None:
    """The single subDepartment/productTeam codes of early 2020 become one-element lists."""
    rows = stage.query(
        "SELECT subDepartments, productTeams FROM behandlinger.stage_behandlinger WHERE behandlingId = ?",
        [SINGLE_CODES],
    )
    assert rows == [(["NAY"], ["team-en"])]


# --- dataProcessing: agreements/outsideEU before 2021-04, processors[] after -------------------

OLD_DP = uid("break-2021-04-old")
NEW_DP = uid("break-2021-04-new")
PROC_EU = uid("processor-eu")
PROC_US = uid("processor-us")


@scenario
def _data_processing_rows(p: Polly) -> None:
    old = process_data(
        number=204,
        dataProcessing={
            "dataProcessor": True,
            "dataProcessorAgreements": ["Avtale 1", "Avtale 2"],
            "dataProcessorOutsideEU": True,
            "transferCountries": ["US"],
        },
    )
    p.process(OLD_DP, "2020-12-01T08:00:00", old, action="CREATE")
    p.processor(PROC_EU, outsideEU=False, countries=["SE"])
    p.processor(
        PROC_US,
        outsideEU=True,
        transferGroundsOutsideEU="APPROVED_THIRD_COUNTRY",
        countries=["US"],
        note="Kontakt: Ola",
    )
    p.codelist("TRANSFER_GROUNDS_OUTSIDE_EU", "APPROVED_THIRD_COUNTRY", "Godkjent tredjeland")
    p.process(
        NEW_DP,
        "2020-12-01T08:00:00",
        process_data(
            number=205,
            dataProcessing={
                "dataProcessor": True,
                "dataProcessorAgreements": [],
                "dataProcessorOutsideEU": False,
            },
        ),
        action="CREATE",
    )
    p.process(
        NEW_DP,
        "2021-05-01T08:00:00",
        process_data(
            number=205, dataProcessing={"dataProcessor": True, "processors": [PROC_EU, PROC_US]}
        ),
    )


def test_break_2021_04_old_data_processing_shape(stage: Stage) -> None:
    """An old dataProcessing shape keeps its outside-EU answer; the processors[] shape derives it
    from its processors.
    """
    rows = stage.query(
        """SELECT behandlingId, dataProcessor, antallDataProcessors, dataProcessorOutsideEU
           FROM behandlinger.stage_behandlinger WHERE behandlingId IN (?, ?) ORDER BY behandlingId = ?, time""",
        [OLD_DP, NEW_DP, NEW_DP],
    )
    assert rows == [
        (OLD_DP, True, None, True),
        (NEW_DP, True, None, False),
        (NEW_DP, True, 2, True),
    ]


def test_break_2021_04_processors_listed_per_behandling(stage: Stage) -> None:
    """stage_dataprocessors lists the processors[] of the current version, with outsideEU and the
    transfer ground's short name.
    """
    rows = stage.query(
        """SELECT behandlingId, dataprocessorId, outsideEU, shortNameTransferGroundsOutsideEU, countries, noteLengde
           FROM behandlinger.stage_dataprocessors WHERE behandlingId IN (?, ?) ORDER BY outsideEU""",
        [OLD_DP, NEW_DP],
    )
    assert rows == [
        (NEW_DP, PROC_EU, False, None, ["SE"], None),
        (NEW_DP, PROC_US, True, "Godkjent tredjeland", ["US"], len("Kontakt: Ola")),
    ]


# --- POLICY without data before 2020-01-21 -------------------------------------------------------

OLD_POLICY = uid("break-2020-01-policy")
OLD_POLICY_PROCESS = uid("break-2020-01-process")
OLD_POLICY_IT = uid("break-2020-01-it")


@scenario
def _old_policy_rows(p: Polly) -> None:
    p.information_type(OLD_POLICY_IT)
    old = process_data(number=206)
    p.process(
        OLD_POLICY_PROCESS, "2019-12-20T08:00:00", old, action="CREATE", policies=[OLD_POLICY]
    )
    p.audit(
        "POLICY",
        OLD_POLICY,
        "2019-12-20T09:00:00",
        {
            "id": OLD_POLICY,
            "informationTypeId": OLD_POLICY_IT,
            "informationTypeName": "Personalia",
            "process": {"id": OLD_POLICY_PROCESS},
            "purposeCode": "AAP",
            "subjectCategory": "BRUKER",
            "legalBasesInherited": True,
        },
        action="CREATE",
    )


def test_break_2020_01_policy_without_data(stage: Stage) -> None:
    """A POLICY row from before Jan 2020 (no data object) is read from its root fields and reaches
    the bridge.
    """
    policy = stage.query(
        """SELECT informationTypeId, behandlingId, purposes, subjectCategories, legalBasesInherited, documentIds
           FROM behandlinger.stage_policy WHERE policyId = ?""",
        [OLD_POLICY],
    )
    assert policy == [(OLD_POLICY_IT, OLD_POLICY_PROCESS, ["AAP"], ["BRUKER"], True, [])]
    bridge = stage.query(
        "SELECT behandlingId FROM behandlinger.stage_bridge_policy_behandling WHERE policyId = ?",
        [OLD_POLICY],
    )
    assert bridge == [(OLD_POLICY_PROCESS,)]


# --- CODELIST: table_id LIST-CODE, SOURCE renamed THIRD_PARTY (PM:V1.17) ------------------------

CODELIST_PROCESS = uid("codelist-process")


@scenario
def _codelist_rows(p: Polly) -> None:
    p.codelist("SYSTEM", "NAV-NO", "nav.no")
    # A copy taken before V1.17 keeps the SOURCE list; same code as the later THIRD_PARTY one.
    p.audit(
        "CODELIST",
        "SOURCE-SKATTEETATEN",
        "2019-12-01T00:00:00",
        {"list": "SOURCE", "code": "SKATTEETATEN", "shortName": "Skatt", "description": "x"},
        "CREATE",
    )
    p.audit(
        "CODELIST",
        "THIRD_PARTY-SKATTEETATEN",
        "2020-02-01T00:00:00",
        {
            "list": "THIRD_PARTY",
            "code": "SKATTEETATEN",
            "shortName": "Skatteetaten",
            "description": "x",
        },
    )
    data = process_data(number=207)
    data["affiliation"]["products"] = ["NAV-NO"]
    p.process(CODELIST_PROCESS, "2022-01-01T08:00:00", data, action="CREATE")


def test_break_codelist_table_id_is_list_dash_code(stage: Stage) -> None:
    """A CODELIST table_id is LIST-CODE; a code with a hyphen keeps it, and the system's short name
    is found.
    """
    rows = stage.query(
        "SELECT code, shortName, kjentKode FROM behandlinger.stage_systems WHERE behandlingId = ?",
        [CODELIST_PROCESS],
    )
    assert rows == [("NAV-NO", "nav.no", True)]


def test_break_v1_17_source_list_is_third_party(stage: Stage) -> None:
    """Codelist rows of the renamed SOURCE list are versions of the THIRD_PARTY code, one current
    row.
    """
    rows = stage.query(
        "SELECT list, shortName FROM behandlinger_int.codelist WHERE code = 'SKATTEETATEN'"
    )
    assert rows == [("THIRD_PARTY", "Skatteetaten")]
