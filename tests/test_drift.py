"""Source-shape drift is listed in the drift tables and printed as «Kildeendringer», through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from metrikk import koder
from metrikk.pipeline.macros import tiltak as tiltak_macros

AS_OF = "2022-01-16"  # few weekly intervals: the test stays quick


def _csv(path: Path, header: str, *rows: str) -> None:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


def _tiltak_sources(d: Path) -> None:
    _csv(d / "tiltak_bronze.tiltakstype.csv", "id,navn,tiltakskode", "tt1,Oppfølging,OPPFOLGING")
    _csv(
        d / "tiltak_bronze.gjennomforing.csv",
        "id,tiltakstype_id,status,oppstart,opprettet_tidspunkt,oppdatert_tidspunkt",
        "g1,tt1,GJENNOMFORES,LOPENDE,2022-01-03T08:00:00,2022-01-03T08:00:00",
        "g2,tt1,PLANLAGT,HYBRID,2022-01-04T08:00:00,2022-01-05T08:00:00",
        "g3,tt1,planlagt ,,2022-01-04T08:00:00,2022-01-07T08:00:00",
    )
    _csv(
        d / "tiltak_bronze.deltaker.csv",
        "id,person_id,gjennomforing_id,start_dato,registrert_tidspunkt",
        "d1,p1,g1,2022-01-03,2022-01-03T09:00:00",
        "d2,p2,g1,2022-01-03,2022-01-03T09:00:00",
    )
    _csv(
        d / "tiltak_bronze.deltaker_status.csv",
        "id,deltaker_id,status,gyldig_fra,opprettet",
        "s1,d1,DELTAR,2022-01-03T09:00:00,2022-01-03T09:00:00",
        "s2,d2,DELTAR_DELVIS,2022-01-04T09:00:00,2022-01-04T09:00:00",
    )
    _csv(
        d / "tiltak_bronze.vedtak_14a.csv",
        "vedtak_id,person_id,innsatsgruppe,fattet_tidspunkt",
        "v1,p1,GODE_MULIGHETER,2021-12-01T10:00:00",
        "v2,p2,IVURD,2021-12-01T10:00:00",
        "v3,p3,BKART,2021-12-01T10:00:00",
        "v4,p4,SÆRLIG_INNSATS,2021-12-02T10:00:00",
    )
    _csv(
        d / "tiltak_bronze.arbeidsgiver_avtale_hendelse.csv",
        "hendelse_id,avtale_id,tidspunkt,hendelse_type,versjon,person_id,tiltakstype,avtale_status,start_dato",
        "h1,a1,2022-01-03T10:00:00,OPPRETTET,1,p5,MENTOR,GJENNOMFØRES,2022-01-03",
        "h2,a2,2022-01-03T10:00:00,OPPRETTET,1,p6,MENTOR,UTLØPT,2022-01-03",
    )


def test_tiltak_drift_is_listed_and_warned(tmp_path, metrikk, query):
    """New deltaker/gjennomføring statuses, a new oppstart, innsatsgruppe and avtale_status are listed with counts and times, and `run` warns but exits 0."""
    src = tmp_path / "src"
    src.mkdir()
    _tiltak_sources(src)
    metrikk("load", src)
    result = metrikk("run", "--as-of", AS_OF, "--domain", "tiltak")
    rows = query(
        "SELECT kilde, felt, verdi, antall, CAST(forste_tidspunkt AS TIMESTAMP), CAST(siste_tidspunkt AS TIMESTAMP) "
        "FROM tiltak_silver.kildeavvik ORDER BY ALL"
    )
    got = {(k, f, v, n, str(a), str(b)) for k, f, v, n, a, b in rows}
    assert got == {
        (
            "tiltak_bronze.arbeidsgiver_avtale_hendelse",
            "avtale_status",
            "UTLØPT",
            1,
            "2022-01-03 10:00:00",
            "2022-01-03 10:00:00",
        ),
        (
            "tiltak_bronze.deltaker_status",
            "status",
            "DELTAR_DELVIS",
            1,
            "2022-01-04 09:00:00",
            "2022-01-04 09:00:00",
        ),
        (
            "tiltak_bronze.gjennomforing",
            "oppstart",
            "HYBRID",
            1,
            "2022-01-05 08:00:00",
            "2022-01-05 08:00:00",
        ),
        (
            "tiltak_bronze.gjennomforing",
            "status",
            "PLANLAGT",
            2,
            "2022-01-05 08:00:00",
            "2022-01-07 08:00:00",
        ),
        (
            "tiltak_bronze.vedtak_14a",
            "innsatsgruppe",
            "SÆRLIG_INNSATS",
            1,
            "2021-12-02 10:00:00",
            "2021-12-02 10:00:00",
        ),
    }
    text = " ".join(result.output.split())
    assert "Kildeendringer" in text
    assert "tiltak_bronze.deltaker_status status: ukjent verdi «DELTAR_DELVIS» i 1 rader" in text
    assert "IVURD" not in text and "BKART" not in text
    # not silently mis-counted: the unknown status never counts as taking part (p2 is absent)
    assert query(
        "SELECT tok_del FROM tiltak_silver.deltakelse WHERE deltakelse_id LIKE '%d2%'"
    ) == [(False,)]
    assert query(
        "SELECT count(*) FROM tiltak_silver.deltakelse WHERE deltakelse_id LIKE '%d1%' AND tok_del"
    ) == [(1,)]


def test_no_drift_no_warning(tmp_path, metrikk, query):
    """Sources with only known values give an empty drift table and no «Kildeendringer» section."""
    src = tmp_path / "src"
    src.mkdir()
    _csv(
        src / "tiltak_bronze.vedtak_14a.csv",
        "vedtak_id,person_id,innsatsgruppe,fattet_tidspunkt",
        "v1,p1,varig ,2021-12-01T10:00:00",
        "v2,p2,KAP11,2021-12-01T10:00:00",
    )
    metrikk("load", src)
    result = metrikk("run", "--as-of", AS_OF, "--domain", "tiltak")
    assert query("SELECT count(*) FROM tiltak_silver.kildeavvik") == [(0,)]
    assert "Kildeendringer" not in result.output


def _audit(audit_id, action, table_name, time, data, **extra) -> str:
    return json.dumps(
        {
            "audit_id": audit_id,
            "action": action,
            "table_name": table_name,
            "table_id": "x1",
            "time": time,
            "user": "Z999999 - Test",
            "data": json.dumps(data),
            **extra,
        }
    )


def test_audit_log_drift_is_listed_and_warned(tmp_path, metrikk, query):
    """Unknown table_name, action and JSON root keys in both audit logs are listed and warned about; known shapes are not."""
    src = tmp_path / "src"
    src.mkdir()
    stamp = {
        "createdBy": "A",
        "createdDate": "2022-01-03T10:00:00",
        "lastModifiedBy": "A",
        "lastModifiedDate": "2022-01-03T10:00:00",
    }
    (src / "landing_zone.behandlingskatalogen_audit_version.jsonl").write_text(
        "\n".join(
            [
                _audit(
                    "b1",
                    "CREATE",
                    "PROCESS",
                    "2022-01-03T10:00:00",
                    {"id": "x1", "data": {"name": "P"}, "policies": [], **stamp},
                ),
                _audit(
                    "b2",
                    "UPDATE",
                    "process",
                    "2022-01-04T10:00:00",
                    {"id": "x1", "data": {"name": "P"}, "policies": [], "aiUsage": True, **stamp},
                ),
                _audit("b3", "CREATE", "NEW_THING", "2022-01-05T10:00:00", {"id": "y"}),
                _audit(
                    "b4",
                    "ARCHIVE",
                    "PROCESSOR",
                    "2022-01-06T10:00:00",
                    {"id": "z", "data": {}, **stamp},
                ),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    (src / "landing_zone.etterlevelse_audit_version.jsonl").write_text(
        "\n".join(
            [
                _audit(
                    "e1",
                    "CREATE",
                    "Etterlevelse",
                    "2022-01-03T10:00:00",
                    {"id": "x1", "type": "Etterlevelse", "data": {}, **stamp, "version": 0},
                    version=0,
                ),
                _audit(
                    "e2",
                    "UPDATE",
                    "ETTERLEVELSE",
                    "2022-01-04T10:00:00",
                    {
                        "id": "x1",
                        "kravNummer": 1,
                        "kravVersjon": 1,
                        "etterlevelseDokumentasjonId": "d",
                        "behandlingId": None,
                        "etterlevelseData": {},
                        "besvarelseData": {},
                        **stamp,
                        "version": 1,
                    },
                    version=1,
                ),
                _audit(
                    "e3",
                    "UPDATE",
                    "Etterlevelse_V2",
                    "2022-01-05T10:00:00",
                    {"id": "x1"},
                    version=2,
                ),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    metrikk("load", src)
    result = metrikk("run", "--as-of", AS_OF, "--domain", "etterlevelse")
    rows = query("SELECT kilde, felt, verdi, antall FROM behandlinger_int.kildeavvik ORDER BY ALL")
    assert set(rows) == {
        ("landing_zone.behandlingskatalogen_audit_version", "action", "ARCHIVE", 1),
        ("landing_zone.behandlingskatalogen_audit_version", "data-nøkkel (PROCESS)", "aiUsage", 1),
        ("landing_zone.behandlingskatalogen_audit_version", "table_name", "NEW_THING", 1),
        (
            "landing_zone.etterlevelse_audit_version",
            "data-nøkkel (ETTERLEVELSE)",
            "besvarelseData",
            1,
        ),
        ("landing_zone.etterlevelse_audit_version", "table_name", "Etterlevelse_V2", 1),
    }
    text = " ".join(result.output.split())
    assert "Kildeendringer" in text and "«besvarelseData»" in text and "«NEW_THING»" in text


def test_known_lists_agree_with_the_models_mapping():
    """The drift list of mapped innsatsgruppe codes is exactly the tiltak macros' mapping (one rule, one list)."""
    assert set(koder.INNSATSGRUPPE_MAPPED) == set(tiltak_macros.INNSATSGRUPPE)
    assert not set(koder.INNSATSGRUPPE_NONE) & set(tiltak_macros.INNSATSGRUPPE)
