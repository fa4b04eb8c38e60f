"""`metrikk generate --domain etterlevelse`: every landing_zone table, every historical shape."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import duckdb

from .conftest import UNTIL, run_generate

LANDING = (
    "etterlevelse_audit_version",
    "etterlevelse_krav",
    "etterlevelse_codelist",
    "etterlevelse_etterlevelse_dokumentasjon",
    "etterlevelse_tilbakemelding",
    "etterlevelse_etterlevelse_metadata",
    "behandlingskatalogen_audit_version",
)
IDENT_USER = re.compile(r"^[A-Z]\d{6} - \S.*$")
MIGRATION = datetime(2023, 7, 26)


def _table_digest(path: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"SELECT * FROM landing_zone.{table} ORDER BY ALL").fetchall()


def test_every_landing_table_is_filled_and_marked_synthetic(sq):
    """Every landing_zone table has rows, and metrikk_meta.datasett marks it synthetic."""
    meta = dict(
        (t, (syn, n))
        for t, syn, n in sq(
            "SELECT table_name, syntetisk, rader FROM metrikk_meta.datasett "
            "WHERE schema_name = 'landing_zone'"
        )
    )
    for table in LANDING:
        (count,) = sq(f"SELECT count(*) FROM landing_zone.{table}")[0]
        assert count > 0, table
        assert meta[table] == (True, count), table


def test_cli_reports_rows_per_table(metrikk, query):
    """The CLI prints every landing table and writes exactly the rows it reports."""
    result = metrikk("generate", "--domain", "etterlevelse", "--scale", "small", "--until", UNTIL)
    for table in LANDING:
        assert table in result.output
    (n,) = query("SELECT count(*) FROM landing_zone.etterlevelse_audit_version")[0]
    assert f"{n:,}".replace(",", " ") in result.output


def test_same_seed_gives_the_same_rows_and_another_seed_does_not(small_warehouse, tmp_path):
    """Generation is deterministic for a seed and changes with the seed."""
    again = tmp_path / "again.duckdb"
    run_generate(again, "--until", UNTIL)
    for table in LANDING:
        assert _table_digest(again, table) == _table_digest(small_warehouse, table), table
    other = tmp_path / "other.duckdb"
    run_generate(other, "--until", UNTIL, "--seed", "7")
    assert _table_digest(other, "etterlevelse_audit_version") != _table_digest(
        small_warehouse, "etterlevelse_audit_version"
    )


def test_an_earlier_until_is_a_prefix_of_a_later_one(small_warehouse, tmp_path):
    """Audit rows up to an earlier --until are exactly the later run's rows up to that day."""
    early = tmp_path / "early.duckdb"
    run_generate(early, "--until", "2024-12-31")
    for table in ("etterlevelse_audit_version", "behandlingskatalogen_audit_version"):
        with duckdb.connect(str(small_warehouse), read_only=True) as con:
            later = con.execute(
                f"SELECT * FROM landing_zone.{table} "
                "WHERE time < TIMESTAMP '2025-01-01' ORDER BY ALL"
            ).fetchall()
        assert _table_digest(early, table) == later, table
        assert later


def test_all_json_is_valid(sq):
    """Every JSON column of every landing table holds valid JSON text (or null where allowed)."""
    for table in LANDING:
        (bad,) = sq(
            f"SELECT count(*) FROM landing_zone.{table} "
            "WHERE data IS NOT NULL AND NOT json_valid(data)"
        )[0]
        assert bad == 0, table
    (nulls,) = sq(
        "SELECT count(*) FROM landing_zone.etterlevelse_audit_version WHERE data IS NULL"
    )[0]
    assert nulls == 0


def test_table_name_spellings_switch_on_the_real_dates(audit):
    """Each entity has its generic-storage spelling before its cut-over, UPPER_SNAKE after."""
    switches = {
        ("Etterlevelse", "ETTERLEVELSE"): datetime(2024, 9, 30),
        ("EtterlevelseDokumentasjon", "ETTERLEVELSE_DOKUMENTASJON"): datetime(2025, 3, 24),
        ("Krav", "KRAV"): datetime(2025, 4, 28),
        ("EtterlevelseMetadata", "ETTERLEVELSE_METADATA"): datetime(2025, 6, 6),
    }
    for (old, new), cut in switches.items():
        old_times = [r["time"] for r in audit if r["table_name"] == old]
        new_times = [r["time"] for r in audit if r["table_name"] == new]
        assert old_times and new_times, (old, new)
        assert max(old_times) < cut <= min(new_times), (old, new)
    present = {r["table_name"] for r in audit}
    for name in (
        "DOCUMENT_RELATION",
        "PVK_DOKUMENT",
        "RISIKOSCENARIO",
        "TILTAK",
        "CODELIST",
        "Melding",
        "BehandlingData",
    ):
        assert name in present, name


def test_each_era_has_its_json_shape(audit):
    """Generic-storage rows carry the {id,type,data,…} envelope, own-table rows a payload key."""
    payload_key = {
        "ETTERLEVELSE": "etterlevelseData",
        "ETTERLEVELSE_DOKUMENTASJON": "etterlevelseDokumentasjonData",
        "PVK_DOKUMENT": "pvkDokumentData",
        "RISIKOSCENARIO": "risikoscenarioData",
        "TILTAK": "tiltakData",
        "KRAV": "data",
        "ETTERLEVELSE_METADATA": "data",
    }
    stamp = {"createdBy", "createdDate", "lastModifiedBy", "lastModifiedDate", "version"}
    for r in audit:
        d, name = r["data"], r["table_name"]
        assert stamp <= d.keys(), name
        if name[0].islower() or not name.isupper():  # CamelCase: generic storage
            assert d["type"] == name and isinstance(d["data"], dict) and d["id"] == r["table_id"], (
                name
            )
            assert d["data"]["version"] == d["version"] == r["version"]
        elif name in payload_key:
            assert isinstance(d[payload_key[name]], dict) and "type" not in d, name
    pvk = [r["data"] for r in audit if r["table_name"] == "PVK_DOKUMENT"]
    assert all(
        "etterlevelseDokumentId" in d and "etterlevelseDokumentasjonId" not in d for d in pvk
    )
    own = [r["data"] for r in audit if r["table_name"] == "ETTERLEVELSE"]
    assert all(
        {"kravNummer", "kravVersjon", "etterlevelseDokumentasjonId", "behandlingId"} <= d.keys()
        for d in own
    )


def test_migration_documents(audit, sq):
    """Migrated documents are audited only once edited; older answers carry only behandlingId."""
    docs = [
        r
        for r in audit
        if r["table_name"] in ("EtterlevelseDokumentasjon", "ETTERLEVELSE_DOKUMENTASJON")
    ]
    migrated = {r["table_id"] for r in docs if r["data"]["createdBy"] == "MIGRATION(ADMIN)"}
    assert migrated
    for doc_id in migrated:
        rows = sorted(
            (r for r in docs if r["table_id"] == doc_id), key=lambda r: (r["time"], r["version"])
        )
        assert (
            rows[0]["action"] == "UPDATE"
            and rows[0]["version"] >= 1
            and rows[0]["time"] > MIGRATION
        )
        assert all(r["data"]["createdDate"].startswith("2023-07-26") for r in rows)
    first_shapes = {
        min((r for r in docs if r["table_id"] == i), key=lambda r: r["time"])["table_name"]
        for i in migrated
    }
    assert "EtterlevelseDokumentasjon" in first_shapes
    # Never-edited migrated documents exist only in the current table, in the migration's shape.
    current = {
        i: json.loads(d)
        for i, d in sq("SELECT id, data FROM landing_zone.etterlevelse_etterlevelse_dokumentasjon")
    }
    audited = {r["table_id"] for r in docs}
    never = [d for i, d in current.items() if i not in audited]
    assert never
    assert all(
        d["title"] == "" and len(d["behandlingIds"]) == 1 and isinstance(d["irrelevansFor"], list)
        for d in never
    )
    # Pre-migration answers: behandlingId only; one migrated document per answered behandlingId.
    pre = [r for r in audit if r["table_name"] == "Etterlevelse" and r["time"] < MIGRATION]
    assert pre and all(
        "etterlevelseDokumentasjonId" not in r["data"]["data"] and r["data"]["data"]["behandlingId"]
        for r in pre
    )
    doc_behandling = {}
    for d in never:
        doc_behandling.setdefault(d["behandlingIds"][0], set()).add(d["etterlevelseNummer"])
    for r in docs:
        if r["table_id"] in migrated:
            inner = r["data"].get("data") or r["data"].get("etterlevelseDokumentasjonData")
            doc_behandling.setdefault(inner["behandlingIds"][0], set()).add(
                inner["etterlevelseNummer"]
            )
    assert all(len(nummer) == 1 for nummer in doc_behandling.values()), (
        "one migrated document per behandlingId"
    )
    pre_ids = {r["data"]["data"]["behandlingId"] for r in pre}
    mapped = {b for b in pre_ids if b in doc_behandling}
    assert mapped and pre_ids - mapped, "some pre-migration answers must be unmappable"
    # Answers saved after the migration in generic storage name their document.
    post = [
        r for r in audit if r["table_name"] == "Etterlevelse" and r["time"] >= datetime(2023, 7, 27)
    ]
    assert post and all(r["data"]["data"]["etterlevelseDokumentasjonId"] for r in post)


def _elements(audit):
    for r in audit:
        if r["table_name"] == "Etterlevelse":
            payload = r["data"]["data"]
        elif r["table_name"] == "ETTERLEVELSE":
            payload = r["data"]["etterlevelseData"]
        else:
            continue
        for el in payload.get("suksesskriterieBegrunnelser") or []:
            yield r["time"], el


def test_legacy_suksesskriterium_booleans_then_status_enum(audit):
    """Elements carry the legacy booleans in their eras, suksesskriterieStatus from 2022-06-03."""
    els = list(_elements(audit))
    enum_from = datetime(2022, 6, 3)
    legacy = [(t, e) for t, e in els if t < enum_from]
    modern = [(t, e) for t, e in els if t >= enum_from]
    assert legacy and modern
    assert all("suksesskriterieStatus" not in e for _, e in legacy)
    assert all("suksesskriterieStatus" in e and "oppfylt" not in e for _, e in modern)
    assert any("oppfylt" in e and "ikkeRelevant" not in e for _, e in legacy)
    assert all("ikkeRelevant" not in e for t, e in legacy if t < datetime(2021, 11, 2))
    assert any(e.get("ikkeRelevant") is True for _, e in legacy)
    assert all("underArbeid" not in e for t, e in legacy if t < datetime(2022, 5, 2))
    assert any(e.get("underArbeid") is True and e.get("oppfylt") is True for _, e in legacy)
    assert all(isinstance(e["begrunnelse"], str) for _, e in els)
    statuses = {e["suksesskriterieStatus"] for _, e in modern}
    assert {"OPPFYLT", "UNDER_ARBEID", "IKKE_RELEVANT", "IKKE_OPPFYLT"} <= statuses
    assert all(
        e["suksesskriterieStatus"] != "IKKE_OPPFYLT" for t, e in modern if t < datetime(2023, 6, 8)
    )


def test_document_fields_appear_over_time(audit):
    """Document fields appear on their real dates and avdeling gives way to nomAvdelingId."""
    docs = []
    for r in audit:
        if r["table_name"] == "EtterlevelseDokumentasjon":
            docs.append((r["time"], r["data"]["data"]))
        elif r["table_name"] == "ETTERLEVELSE_DOKUMENTASJON":
            docs.append((r["time"], r["data"]["etterlevelseDokumentasjonData"]))
    assert all("varslingsadresser" not in d for t, d in docs if t < datetime(2024, 5, 31))
    types = {a["type"] for t, d in docs for a in d.get("varslingsadresser") or []}
    assert types == {"EPOST", "SLACK", "SLACK_USER"}
    assert all(
        "avdeling" not in d and "nomAvdelingId" in d for t, d in docs if t >= datetime(2025, 6, 23)
    )
    assert any(d.get("avdeling") for t, d in docs if t < datetime(2025, 6, 23))
    assert any(d.get("nomAvdelingId") and d.get("avdelingNavn") for t, d in docs)
    prio = [n for t, d in docs for n in d.get("prioritertKravNummer") or []]
    assert prio and all(isinstance(n, str) and n.isdigit() for n in prio)
    assert any(d.get("beskrivelse") for t, d in docs)
    assert any(d.get("forGjenbruk") for t, d in docs) and any(
        d.get("tilgjengeligForGjenbruk") for t, d in docs
    )
    for key in ("teams", "resources", "risikoeiere", "behandlingIds", "irrelevansFor"):
        assert any(d.get(key) for t, d in docs), key
    idents = [i for t, d in docs for i in (d.get("resources") or []) + (d.get("risikoeiere") or [])]
    assert all(re.fullmatch(r"[A-Z]\d{6}", i) for i in idents)


def test_delete_rows_carry_full_data(audit, polly):
    """DELETE rows carry the entity's full last state, and DELETE is common for POLICY."""
    deletes = [r for r in audit if r["action"] == "DELETE"]
    assert {r["table_name"] for r in deletes} >= {"Etterlevelse"}
    for r in deletes:
        assert len(r["data"]) >= 6
        earlier = [
            x
            for x in audit
            if x["table_id"] == r["table_id"] and x["time"] <= r["time"] and x is not r
        ]
        assert earlier, "a DELETE follows the entity's earlier rows"
    policy = [r for r in polly if r["table_name"] == "POLICY"]
    dels = [r for r in policy if r["action"] == "DELETE"]
    assert len(dels) >= 0.1 * len({r["table_id"] for r in policy})
    assert all(r["data"]["process"]["id"] and r["data"]["informationTypeId"] for r in dels)


def test_identical_timestamps_occur(sq):
    """Some entities have several audit rows at the very same timestamp (ties)."""
    for table in ("etterlevelse_audit_version", "behandlingskatalogen_audit_version"):
        (ties,) = sq(
            f"SELECT count(*) FROM (SELECT table_id, time FROM landing_zone.{table} "
            "GROUP BY ALL HAVING count(*) > 1)"
        )[0]
        assert ties > 0, table
    (shared,) = sq(
        "SELECT count(*) FROM (SELECT time FROM landing_zone.behandlingskatalogen_audit_version "
        "GROUP BY ALL HAVING count(DISTINCT table_id) > 10)"
    )[0]
    assert shared > 0, "polly rows from before V1.13 share the migration's timestamp"


def test_users_have_the_real_formats(audit, polly):
    """Audit users are "<ident> - <name>" or one of the apps' special users."""
    e_users = {r["user"] for r in audit}
    assert {u for u in e_users if not IDENT_USER.match(u)} <= {
        "no user set",
        "etterlevelse-backend",
    }
    assert "no user set" in e_users
    p_users = {r["user"] for r in polly}
    specials = {u for u in p_users if not IDENT_USER.match(u)}
    assert specials == {"n/a", "Datajegerne", "system", "no-user-set"}
    assert all(r["time"] < datetime(2020, 1, 14) for r in polly if r["user"] == "n/a")


def test_old_polly_process_shapes(polly):
    """PROCESS rows have every old shape: root name, data-root affiliation, old dataProcessing."""
    procs = [r for r in polly if r["table_name"] == "PROCESS"]
    early = [r["data"] for r in procs if r["time"] < datetime(2020, 11, 24)]
    late = [r["data"] for r in procs if r["time"] >= datetime(2020, 11, 24)]
    assert early and late
    assert all("name" in d and "purposeCode" in d and "name" not in d["data"] for d in early)
    assert all("name" not in d and isinstance(d["data"]["purposes"], list) for d in late)
    assert any(
        "department" in r["data"]["data"] and "affiliation" not in r["data"]["data"]
        for r in procs
        if r["time"] < datetime(2020, 9, 18)
    )
    assert all(
        "affiliation" in r["data"]["data"] for r in procs if r["time"] >= datetime(2020, 9, 18)
    )
    old_dp = [
        r
        for r in procs
        if "dataProcessorAgreements" in (r["data"]["data"].get("dataProcessing") or {})
    ]
    new_dp = [r for r in procs if "processors" in (r["data"]["data"].get("dataProcessing") or {})]
    assert old_dp and new_dp
    assert max(r["time"] for r in old_dp) < datetime(2021, 4, 13) and min(
        r["time"] for r in new_dp
    ) >= datetime(2021, 1, 18)
    assert any(r["data"]["data"]["dataProcessing"]["processors"] for r in new_dp)
    gdpr = {lb["gdpr"] for r in procs for lb in r["data"]["data"]["legalBases"]}
    assert gdpr <= {f"ART61{c}" for c in "ABCDEF"} | {f"ART92{c}" for c in "ABCDEFGHIJ"}
    assert all(isinstance(r["data"]["policies"], list) for r in procs)
    assert any(r["data"]["policies"] for r in procs)
    products = {p for d in late for p in d["data"]["affiliation"]["products"]}
    systems = {
        r["data"]["code"]
        for r in polly
        if r["table_name"] == "CODELIST" and r["data"]["list"] == "SYSTEM"
    }
    assert products and products <= systems
    assert any(d["data"]["dpia"]["needForDpia"] is True for d in late)


def test_polly_policy_information_type_processor_and_codelist(polly):
    """POLICY lacks data before 2020-01-21, and CODELIST rows have table_id LIST-CODE."""
    policies = [r for r in polly if r["table_name"] == "POLICY"]
    assert any(
        "data" not in r["data"] and "purposeCode" in r["data"]
        for r in policies
        if r["time"] < datetime(2020, 1, 21)
    )
    assert all(
        isinstance(r["data"]["data"]["subjectCategories"], list)
        for r in policies
        if r["time"] >= datetime(2020, 1, 21)
    )
    processors = [r["data"]["data"] for r in polly if r["table_name"] == "PROCESSOR"]
    assert processors and all(
        {"outsideEU", "countries", "transferGroundsOutsideEU"} <= d.keys() for d in processors
    )
    its = [r["data"] for r in polly if r["table_name"] == "INFORMATION_TYPE"]
    assert its and all(
        d["data"]["sensitivity"] in ("POL", "SAERLIGE", "STRAFF", "IKKE_POL") for d in its
    )
    codes = [r for r in polly if r["table_name"] == "CODELIST"]
    assert all(r["table_id"] == f"{r['data']['list']}-{r['data']['code']}" for r in codes)
    lists = {r["data"]["list"] for r in codes}
    assert {"GDPR_ARTICLE", "NATIONAL_LAW", "SYSTEM", "PURPOSE", "SUBJECT_CATEGORY"} <= lists
    gdpr = {r["data"]["code"] for r in codes if r["data"]["list"] == "GDPR_ARTICLE"}
    assert gdpr == {f"ART61{c}" for c in "ABCDEF"} | {f"ART92{c}" for c in "ABCDEFGHIJ"}


def test_krav_versions_in_audit_and_current_table(sq, audit):
    """Krav numbers from 101 with 1-6 versions and all statuses are in log and krav table."""
    rows = sq("SELECT krav_nummer, krav_versjon, status, data FROM landing_zone.etterlevelse_krav")
    assert min(r[0] for r in rows) == 101
    assert {r[2] for r in rows} == {"AKTIV", "UTGAATT", "UTKAST"}
    assert max(r[1] for r in rows) >= 3 and max(r[1] for r in rows) <= 6
    for _, _, _, data in rows:
        d = json.loads(data)
        assert d["suksesskriterier"] and d["regelverk"] and isinstance(d["relevansFor"], list)
    audited = set()
    for r in audit:
        if r["table_name"] == "Krav":
            audited.add((r["data"]["data"]["kravNummer"], r["data"]["data"]["kravVersjon"]))
        elif r["table_name"] == "KRAV":
            audited.add((r["data"]["kravNummer"], r["data"]["kravVersjon"]))
    assert {(r[0], r[1]) for r in rows} == audited
    assert any(
        r["data"]["data"]["status"] == "UNDER_ARBEID"
        for r in audit
        if r["table_name"] == "Krav" and r["time"] < datetime(2021, 11, 1)
    )


def test_codelists_current_and_audited(sq, audit):
    """The etterlevelse codelists exist, LOV codes carry tema and underavdeling, all audited."""
    rows = sq("SELECT list, code, data FROM landing_zone.etterlevelse_codelist")
    assert {r[0] for r in rows} >= {"RELEVANS", "AVDELING", "UNDERAVDELING", "LOV", "TEMA"}
    tema = {r[1] for r in rows if r[0] == "TEMA"}
    for lst, _, data in rows:
        if lst == "LOV":
            d = json.loads(data)
            assert d["tema"] in tema and d["underavdeling"]
    audited = {r["table_id"] for r in audit if r["table_name"] == "CODELIST"}
    assert {f"{r[0]}-{r[1]}" for r in rows} <= audited


def test_tilbakemelding_and_metadata_current_tables(sq):
    """Tilbakemeldinger hold meldinger[] (null status only when old); metadata its two fields."""
    rows = sq("SELECT created_date, data FROM landing_zone.etterlevelse_tilbakemelding")
    for created, data in rows:
        d = json.loads(data)
        assert d["meldinger"] and all(
            {"tid", "rolle", "meldingNr", "innhold"} <= m.keys() for m in d["meldinger"]
        )
        assert d["meldinger"][0]["meldingNr"] == 1 and d["meldinger"][0]["rolle"] == "MELDER"
        if d["status"] is None:
            assert created < datetime(2023, 2, 6)
    meta = sq(
        "SELECT data, etterlevelse_dokumentasjon "
        "FROM landing_zone.etterlevelse_etterlevelse_metadata"
    )
    docs = {i for (i,) in sq("SELECT id FROM landing_zone.etterlevelse_etterlevelse_dokumentasjon")}
    assert all({"tildeltMed", "notater"} == json.loads(d).keys() for d, _ in meta)
    assert all(doc in docs for _, doc in meta)


def test_pvk_status_eras(audit):
    """PVK statuses follow the enum of their time, and risikoscenarioer and tiltak hang off one."""
    pvk = [(r["time"], r["data"]["status"]) for r in audit if r["table_name"] == "PVK_DOKUMENT"]
    assert pvk and min(t for t, _ in pvk) >= datetime(2024, 10, 22)
    assert all(s in ("AKTIV", "INAKTIV") for t, s in pvk if t < datetime(2025, 1, 15))
    assert all(s != "AKTIV" for t, s in pvk if t >= datetime(2025, 10, 15))
    later = {s for t, s in pvk if t >= datetime(2025, 1, 15)}
    assert "UNDERARBEID" in later and later & {
        "SENDT_TIL_PVO",
        "PVO_UNDERARBEID",
        "VURDERT_AV_PVO",
        "GODKJENT_AV_RISIKOEIER",
    }
    pvk_ids = {r["table_id"] for r in audit if r["table_name"] == "PVK_DOKUMENT"}
    for name in ("RISIKOSCENARIO", "TILTAK"):
        refs = {r["data"]["pvkDokumentId"] for r in audit if r["table_name"] == name}
        assert refs and refs <= pvk_ids, name
