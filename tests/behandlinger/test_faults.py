# ruff: noqa: E501 -- SQL in assertions reads better on one line
"""The faults of the original job (research §3.17) that the behandlinger stage tables fix."""

from __future__ import annotations

from polly_log import Polly, Stage, process_data, scenario, uid

# --- fault 4: ties and DELETE -------------------------------------------------------------------

TIED = uid("fault-04-tie")
TIED_POLICY = uid("fault-04-tie-policy")
TIE_IT = uid("fault-04-it")
TIE_LOW = "00000000-0000-0000-0000-00000000000a"
TIE_HIGH = "00000000-0000-0000-0000-00000000000b"


@scenario
def _tie_rows(p: Polly) -> None:
    # PM:V1.13 gave every old row the same time; bursty saves do too.
    p.process(
        TIED,
        "2020-01-15T12:00:00",
        process_data(name="Lav", number=301),
        action="CREATE",
        audit_id=TIE_HIGH.replace("b", "1"),
    )
    p.process(TIED, "2020-03-01T12:00:00", process_data(name="Høy", number=301), audit_id=TIE_HIGH)
    p.process(TIED, "2020-03-01T12:00:00", process_data(name="Lav", number=301), audit_id=TIE_LOW)
    p.information_type(TIE_IT)
    p.policy(
        TIED_POLICY,
        "2020-03-01T12:00:00",
        TIED,
        TIE_IT,
        audit_id=TIE_LOW.replace("0000000a", "1000000a"),
    )
    p.policy(
        TIED_POLICY,
        "2020-03-01T12:00:00",
        TIED,
        TIE_IT,
        audit_id=TIE_HIGH.replace("0000000b", "1000000b"),
        data={"purposes": ["AAP"], "subjectCategories": ["PARTNER"]},
    )


def test_fault_04_ties_give_one_aktiv_observasjon(stage: Stage) -> None:
    """Two versions saved at the same time give one aktivObservasjon: the one with the larger
    audit_id.
    """
    rows = stage.query(
        "SELECT auditId, name FROM behandlinger.stage_behandlinger WHERE behandlingId = ? AND aktivObservasjon",
        [TIED],
    )
    assert rows == [(TIE_HIGH, "Høy")]
    policy = stage.query(
        "SELECT subjectCategories FROM behandlinger.stage_policy WHERE policyId = ?", [TIED_POLICY]
    )
    assert policy == [(["PARTNER"],)]


def test_fault_04_one_aktiv_observasjon_per_behandling_everywhere(stage: Stage) -> None:
    """Across every scenario, each behandling has exactly one aktivObservasjon and created = its
    first time.
    """
    rows = stage.query(
        """SELECT behandlingId FROM behandlinger.stage_behandlinger
           GROUP BY behandlingId
           HAVING count(*) FILTER (WHERE aktivObservasjon) <> 1 OR min(created) <> min(time) OR max(created) <> min(time)"""
    )
    assert rows == []
    assert stage.query(
        "SELECT count(DISTINCT behandlingId) > 10 FROM behandlinger.stage_behandlinger"
    ) == [(True,)]


DELETED = uid("fault-04-deleted")
DELETED_POLICY = uid("fault-04-deleted-policy")
DELETED_PROCESSOR = uid("fault-04-deleted-processor")


@scenario
def _delete_rows(p: Polly) -> None:
    data = process_data(
        number=302, dataProcessing={"dataProcessor": True, "processors": [DELETED_PROCESSOR]}
    )
    p.processor(DELETED_PROCESSOR)
    p.process(DELETED, "2022-02-01T08:00:00", data, action="CREATE")
    p.information_type(uid("fault-04-deleted-it"))
    p.policy(
        DELETED_POLICY, "2022-02-01T09:00:00", DELETED, uid("fault-04-deleted-it"), action="CREATE"
    )
    p.policy(
        DELETED_POLICY, "2022-03-01T09:00:00", DELETED, uid("fault-04-deleted-it"), action="DELETE"
    )
    p.process(DELETED, "2022-03-01T10:00:00", data, action="DELETE")  # DELETE rows carry full data


def test_fault_04_delete_sets_slettet(stage: Stage) -> None:
    """A behandling whose latest action is DELETE is slettet on every version and is left out of the
    tables that hang off it.
    """
    rows = stage.query(
        "SELECT action, aktivObservasjon, slettet FROM behandlinger.stage_behandlinger WHERE behandlingId = ? ORDER BY time",
        [DELETED],
    )
    assert rows == [("CREATE", False, True), ("DELETE", True, True)]
    for table in (
        "stage_behandlingsgrunnlag",
        "stage_systems",
        "stage_dataprocessors",
        "stage_bridge_policy_behandling",
    ):
        assert stage.query(
            f"SELECT count(*) FROM behandlinger.{table} WHERE behandlingId = ?", [DELETED]
        ) == [(0,)]
    assert stage.query(
        "SELECT slettet FROM behandlinger.stage_policy WHERE policyId = ?", [DELETED_POLICY]
    ) == [(True,)]


# --- fault 8: the bridge comes from the POLICY side ---------------------------------------------

BRIDGE = uid("fault-08-process")
BRIDGE_IT = uid("fault-08-it")
POL_KEPT = uid("fault-08-kept")
POL_REMOVED = uid("fault-08-removed")
POL_ADDED = uid("fault-08-added")
POL_MOVED = uid("fault-08-moved")
BRIDGE_OTHER = uid("fault-08-other-process")


@scenario
def _bridge_rows(p: Polly) -> None:
    p.information_type(BRIDGE_IT)
    p.process(BRIDGE_OTHER, "2021-01-01T08:00:00", process_data(number=402), action="CREATE")
    p.policy(POL_KEPT, "2021-01-01T09:00:00", BRIDGE, BRIDGE_IT, action="CREATE")
    p.policy(POL_REMOVED, "2021-01-01T09:00:00", BRIDGE, BRIDGE_IT, action="CREATE")
    p.policy(POL_MOVED, "2021-01-01T09:00:00", BRIDGE, BRIDGE_IT, action="CREATE")
    # The last PROCESS save lists the three policies of that moment ...
    p.process(
        BRIDGE,
        "2021-01-02T08:00:00",
        process_data(number=401),
        action="CREATE",
        policies=[POL_KEPT, POL_REMOVED, POL_MOVED],
    )
    # ... later policy changes write only POLICY rows, so PROCESS.policies goes stale.
    p.policy(POL_REMOVED, "2021-02-01T09:00:00", BRIDGE, BRIDGE_IT, action="DELETE")
    p.policy(POL_ADDED, "2021-02-01T09:00:00", BRIDGE, BRIDGE_IT, action="CREATE")
    p.policy(POL_MOVED, "2021-02-01T09:00:00", BRIDGE_OTHER, BRIDGE_IT)


def test_fault_08_bridge_from_policy_side(stage: Stage) -> None:
    """The bridge holds the current, non-deleted policies by their process.id, not the stale
    PROCESS.policies list.
    """
    rows = stage.query(
        """SELECT policyId, behandlingId FROM behandlinger.stage_bridge_policy_behandling
           WHERE policyId IN (?, ?, ?, ?) ORDER BY policyId""",
        [POL_KEPT, POL_REMOVED, POL_ADDED, POL_MOVED],
    )
    assert rows == sorted([(POL_KEPT, BRIDGE), (POL_ADDED, BRIDGE), (POL_MOVED, BRIDGE_OTHER)])


# --- fault 13: null sub-objects and the flattened columns ---------------------------------------

NULLS = uid("fault-13-nulls")
NO_DATA = uid("fault-13-no-data")


@scenario
def _null_rows(p: Polly) -> None:
    p.process(
        NULLS,
        "2023-01-01T08:00:00",
        process_data(
            number=501,
            affiliation=None,
            dpia=None,
            retention=None,
            dataProcessing=None,
            legalBases=None,
            purposes=None,
        ),
        action="CREATE",
    )
    p.process(NO_DATA, "2023-01-01T08:00:00", None, action="CREATE")


def test_fault_13_null_affiliation_does_not_crash(stage: Stage) -> None:
    """Null affiliation, dpia, retention, dataProcessing and legalBases (or no data at all) give
    null or empty fields, not a failed run.
    """
    rows = stage.query(
        """SELECT behandlingId, name, department, products, subDepartments, retentionMonths, needForDpia,
                  dataProcessor, dataProcessorOutsideEU, antallLegalBases, purposes
           FROM behandlinger.stage_behandlinger WHERE behandlingId IN (?, ?) ORDER BY behandlingId = ?""",
        [NULLS, NO_DATA, NO_DATA],
    )
    assert rows == [
        (NULLS, "Behandling", None, [], [], None, None, None, None, 0, []),
        (NO_DATA, None, None, [], [], None, None, None, None, 0, []),
    ]
    assert stage.query(
        "SELECT count(*) FROM behandlinger.stage_systems WHERE behandlingId IN (?, ?)",
        [NULLS, NO_DATA],
    ) == [(0,)]


FLAT = uid("fault-13-flat")


@scenario
def _flat_rows(p: Polly) -> None:
    p.process(FLAT, "2022-05-01T08:00:00", process_data(number=502), action="CREATE")
    newest = process_data(number=502)
    del newest["retention"], newest["affiliation"]
    p.process(FLAT, "2022-06-01T08:00:00", newest)


def test_fault_13_flattened_columns_fixed_explicitly(stage: Stage) -> None:
    """Affiliation and retention columns are fixed, so a newest version without them keeps the older
    version's values.
    """
    rows = stage.query(
        """SELECT retentionPlan, retentionMonths, retentionStart, department, productTeams
           FROM behandlinger.stage_behandlinger WHERE behandlingId = ? ORDER BY time""",
        [FLAT],
    )
    assert rows == [(True, 120, "Vedtak", "YTA", ["team-1"]), (None, None, None, None, [])]
    columns = {r[0] for r in stage.query("DESCRIBE behandlinger.stage_behandlinger")}
    expected = {
        "department",
        "nomDepartmentId",
        "nomDepartmentName",
        "seksjoner",
        "fylker",
        "navKontorer",
        "subDepartments",
        "productTeams",
        "products",
        "disclosureDispatchers",
        "retentionPlan",
        "retentionMonths",
        "retentionStart",
        "retentionDescription",
        "needForDpia",
    }
    assert expected <= columns


# --- codelist joins on (list, code), unknown codes kept ----------------------------------------

LISTS = uid("fault-codelist-list-and-code")


@scenario
def _codelist_rows(p: Polly) -> None:
    p.codelist("GDPR_ARTICLE", "ART61C", "Art. 6(1)c - Rettslig forpliktelse")
    p.codelist("GDPR_ARTICLE", "ART92B", "Art. 9(2)b - Arbeidsrett og trygd")
    p.codelist("NATIONAL_LAW", "FTRL", "Folketrygdloven")
    # The same code in two other lists: a code-only join would double the rows or take the wrong name.
    p.codelist("SYSTEM", "FTRL", "Et system som heter FTRL")
    p.codelist("PURPOSE", "ART61C", "Et formål med samme kode")
    data = process_data(
        number=601,
        legalBases=[
            {"gdpr": "ART61C", "nationalLaw": "FTRL", "description": "§ 11-5"},
            {"gdpr": "ART92B", "nationalLaw": "UKJENT_LOV", "description": None},
            None,
        ],
    )
    data["affiliation"]["products"] = ["PESYS", "UKJENT_SYSTEM", "PESYS"]
    p.codelist("SYSTEM", "PESYS", "Pesys")
    p.process(LISTS, "2022-01-01T08:00:00", data, action="CREATE")


def test_fault_codelist_join_on_list_and_code(stage: Stage) -> None:
    """Legal bases get the short names of their own lists, one row per legal basis, even when the
    code exists in other lists.
    """
    rows = stage.query(
        """SELECT legalBasisNr, gdpr, shortNameGDPR, gdprArtikkel, nationalLaw, shortNameNationalLaw,
                  descriptionUserNationalLaw
           FROM behandlinger.stage_behandlingsgrunnlag WHERE behandlingId = ? ORDER BY legalBasisNr""",
        [LISTS],
    )
    assert rows == [
        (
            1,
            "ART61C",
            "Art. 6(1)c - Rettslig forpliktelse",
            "Art. 6",
            "FTRL",
            "Folketrygdloven",
            "§ 11-5",
        ),
        (2, "ART92B", "Art. 9(2)b - Arbeidsrett og trygd", "Art. 9", "UKJENT_LOV", None, None),
    ]


def test_fault_systems_unknown_code_is_kept(stage: Stage) -> None:
    """A product code missing from the SYSTEM list keeps its row (kjentKode false); duplicates count
    once.
    """
    rows = stage.query(
        "SELECT code, shortName, kjentKode FROM behandlinger.stage_systems WHERE behandlingId = ? ORDER BY code",
        [LISTS],
    )
    assert rows == [("PESYS", "Pesys", True), ("UKJENT_SYSTEM", None, False)]


# --- fault 14: no idents, no raw user -----------------------------------------------------------


def test_fault_14_no_user_or_nav_ident_published(stage: Stage) -> None:
    """No behandlinger table has a user column or any value holding the NAV ident the audit rows
    carry.
    """
    tables = [
        r[0]
        for r in stage.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'behandlinger'"
        )
    ]
    assert len(tables) == 8  # the seven stage tables and ds_fullstendighet
    assert "ds_fullstendighet" in tables
    for table in tables:
        columns = [r[0] for r in stage.query(f'DESCRIBE behandlinger."{table}"')]
        assert not {"user", "user_id", "riskOwner", "contractOwner"} & set(columns), table
        hits = stage.query(
            f"SELECT count(*) FROM behandlinger.\"{table}\" AS t WHERE CAST(t AS VARCHAR) LIKE '%A123456%'"
        )
        assert hits == [(0,)], table


# --- as-of: rows after the reference date are not read ------------------------------------------

LATE = uid("as-of-late")


@scenario
def _late_rows(p: Polly) -> None:
    p.process(LATE, "2026-06-01T08:00:00", process_data(name="Tidlig", number=701), action="CREATE")
    p.process(LATE, "2026-06-30T21:30:00", process_data(name="Før", number=701))  # 23:30 in Oslo
    p.process(LATE, "2026-06-30T22:30:00", process_data(name="Etter", number=701))  # 1 July in Oslo
    p.process(LATE, "2026-07-02T08:00:00", process_data(name="Mye etter", number=701))


def test_rows_after_as_of_are_not_read(stage: Stage) -> None:
    """An audit row saved after the run's --as-of date (Europe/Oslo calendar) is not part of that
    run.
    """
    rows = stage.query(
        "SELECT name, aktivObservasjon FROM behandlinger.stage_behandlinger WHERE behandlingId = ? ORDER BY time",
        [LATE],
    )
    assert rows == [("Tidlig", False), ("Før", True)]
