"""Differential check of the etterlevelse domain's published tables against a frozen list.

    uv run python benchmarks/ds_kolonner.py WAREHOUSE [--write] [--forskjeller]

WAREHOUSE is a warehouse built from the default synthetic sources with the dates the frozen list
was written for:

    uv run metrikk --warehouse W generate --domain etterlevelse --scale default --until 2026-06-30
    uv run metrikk --warehouse W run --domain etterlevelse --as-of 2026-06-30

For every table of the schemas `etterlevelse` and `behandlinger` it compares the column names,
their types and the row count with `ds_kolonner_default.json` beside this script, and prints each
difference (exit code 1 when there is one). A changed count is not wrong in itself: it says a
rule changed what is published, which a reviewer should be able to explain. `--write` rewrites
the frozen list from WAREHOUSE. `--forskjeller` also prints, per column whose values differ from
the original metrics-datajegerne job by design, how many rows differ (the table «Forskjeller fra
den opprinnelige jobben» in docs/etterlevelse.md is made from it).

The original job's rules are re-derived here in SQL over metrikk's own tables (its code cannot
run here: it reads BigQuery), so each count is "rows where the original's rule gives another
value than ours", not a comparison with tables the original wrote.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
FROZEN = HERE / "ds_kolonner_default.json"
SCHEMAS = ("etterlevelse", "behandlinger")

# (table, column, why, SQL giving the number of rows whose value differs from the original's rule)
FORSKJELLER: list[tuple[str, str, str, str]] = [
    (
        "etterlevelse.stage_besvarelser",
        "kravOppfylt",
        "here: every suksesskriterium OPPFYLT or IKKE_RELEVANT; original: every one OPPFYLT",
        """WITH v AS (
             SELECT audit_id, bool_and(coalesce(suksesskriterieStatus = 'OPPFYLT', false)) AS opprinnelig
             FROM etterlevelse.stage_besvarelser GROUP BY audit_id)
           SELECT count(*) FROM etterlevelse.stage_besvarelser s JOIN v USING (audit_id)
           WHERE s.kravOppfylt IS DISTINCT FROM v.opprinnelig""",
    ),
    (
        "etterlevelse.stage_besvarelser",
        "kravFerdigUtfylt",
        "here: the app's rule (status FERDIG_DOKUMENTERT / IKKE_RELEVANT_FERDIG_DOKUMENTERT); "
        "original: every suksesskriterium OPPFYLT or IKKE_RELEVANT",
        """WITH v AS (
             SELECT audit_id,
                    bool_and(coalesce(suksesskriterieStatus IN ('OPPFYLT', 'IKKE_RELEVANT'), false)) AS opprinnelig
             FROM etterlevelse.stage_besvarelser GROUP BY audit_id)
           SELECT count(*) FROM etterlevelse.stage_besvarelser s JOIN v USING (audit_id)
           WHERE s.kravFerdigUtfylt IS DISTINCT FROM v.opprinnelig""",
    ),
    (
        "etterlevelse.stage_besvarelser",
        "suksesskriterieStatus",
        "legacy booleans: here the app's precedence (underArbeid first); the original let oppfylt "
        "and ikkeRelevant win over underArbeid",
        """WITH e AS (
             SELECT a.audit_id, unnest(CAST(coalesce(a.data -> '$.etterlevelseData.suksesskriterieBegrunnelser',
                                                    a.data -> '$.data.suksesskriterieBegrunnelser') AS JSON[])) AS k
             FROM etterlevelse_int.audit_version a WHERE a.tabell = 'ETTERLEVELSE')
           SELECT count(*) FROM e
           WHERE coalesce((k ->> '$.suksesskriterieStatus'), '') = ''
             AND (k ->> '$.underArbeid') = 'true'
             AND ((k ->> '$.oppfylt') = 'true' OR (k ->> '$.ikkeRelevant') = 'true')""",
    ),
    (
        "etterlevelse.stage_besvarelser",
        "aktivRad",
        "original: time = max time per document and krav (a tie gives several active versions; "
        "answers without a document never active); here exactly one version by the contract's "
        "order",
        """WITH o AS (
             SELECT audit_id, etterlevelseDokumentasjonId IS NOT NULL
                    AND time = max(time) OVER (PARTITION BY etterlevelseDokumentasjonId, kravNummer) AS opprinnelig,
                    aktivRad
             FROM etterlevelse.stage_besvarelser)
           SELECT count(*) FROM o WHERE opprinnelig <> aktivRad""",
    ),
    (
        "etterlevelse.stage_besvarelser",
        "aktivRad (ties)",
        "of those: answer versions (not rows) saved at the same time as the entity's latest "
        "(UPDATE + DELETE of one save and the like) that the original also counted as active",
        """WITH v AS (
             SELECT DISTINCT audit_id, etterlevelseDokumentasjonId AS d, kravNummer AS k, time, aktivRad
             FROM etterlevelse.stage_besvarelser WHERE etterlevelseDokumentasjonId IS NOT NULL),
           m AS (
             SELECT *, max(time) OVER (PARTITION BY d, k) AS maks, count(*) OVER (PARTITION BY d, k, time) AS n
             FROM v)
           SELECT count(*) FROM m WHERE time = maks AND n > 1 AND NOT aktivRad""",
    ),
    (
        "etterlevelse.stage_besvarelser",
        "slettet",
        "a column the contract adds; the original never read action, so a deleted answer was "
        "current: rows of answers whose latest version is a DELETE",
        "SELECT count(*) FROM etterlevelse.stage_besvarelser WHERE slettet",
    ),
    (
        "etterlevelse.stage_dokument",
        "aktivRad",
        "original: time = max time per document (a tie gives several active rows)",
        """SELECT count(*) FROM (
             SELECT aktivRad, time = max(time) OVER (PARTITION BY etterlevelseDokumentasjonId) AS opprinnelig
             FROM etterlevelse.stage_dokument) WHERE aktivRad <> opprinnelig""",
    ),
    (
        "etterlevelse.stage_dokument",
        "slettet",
        "original: only 'missing from the current table'; here also a latest DELETE",
        """SELECT count(*) FROM etterlevelse.stage_dokument d
           WHERE d.slettet AND d.etterlevelseDokumentasjonId IN
             (SELECT id FROM landing_zone.etterlevelse_etterlevelse_dokumentasjon)""",
    ),
    (
        "etterlevelse.stage_dokument",
        "relevanteKrav, antallKrav",
        "here the krav in force at the version's time; the original applied today's krav table "
        "to every version: versions whose count differs",
        """WITH dagens AS (
             SELECT krav_nummer,
                    CAST(coalesce(data -> '$.relevansFor', data -> '$.data.relevansFor', '[]') AS VARCHAR[]) AS relevansFor
             FROM landing_zone.etterlevelse_krav WHERE upper(status) = 'AKTIV'),
           per_versjon AS (
             SELECT d.audit_id, d.antallKrav,
                    (SELECT count(DISTINCT k.krav_nummer) FROM dagens k
                     WHERE len(k.relevansFor) = 0
                        OR EXISTS (SELECT 1 FROM unnest(k.relevansFor) r(kode)
                                   WHERE NOT list_contains(d.irrelevansFor, r.kode))) AS opprinnelig
             FROM etterlevelse.stage_dokument d)
           SELECT count(*) FROM per_versjon WHERE antallKrav <> opprinnelig""",
    ),
    (
        "etterlevelse.ds_varslinger_snapshot",
        "antall",
        "the original also counted deleted documents (their DELETE row was active): types "
        "whose number differs",
        """WITH opprinnelig AS (
             SELECT t AS type, count(DISTINCT etterlevelseDokumentasjonId) AS antall
             FROM etterlevelse.stage_dokument, unnest(varslingsadresseTyper) AS u(t)
             WHERE aktivRad GROUP BY t)
           SELECT count(*) FROM etterlevelse.ds_varslinger_snapshot s
           FULL JOIN opprinnelig o USING (type) WHERE s.antall IS DISTINCT FROM o.antall""",
    ),
    (
        "etterlevelse.ds_beskrivelser",
        "(rows), antallDokumenterMedBeskrivelset",
        "here also documents that later removed the description or were deleted (the original's "
        "column is null on them): rows outside the original's rows",
        "SELECT count(*) FROM etterlevelse.ds_beskrivelser WHERE antallDokumenterMedBeskrivelset IS NULL",
    ),
    (
        "etterlevelse.ds_prioriterte_krav",
        "(rows), antallDokumenterMedPrioritertKravlist",
        "as ds_beskrivelser, for prioritised krav",
        "SELECT count(*) FROM etterlevelse.ds_prioriterte_krav WHERE antallDokumenterMedPrioritertKravlist IS NULL",
    ),
    (
        "etterlevelse.ds_gjenbruk",
        "(rows), antallDokumenterforGjenbruk",
        "here every document ever meant for reuse; the original only those meant for reuse now: "
        "rows outside the original's rows",
        "SELECT count(*) FROM etterlevelse.ds_gjenbruk WHERE antallDokumenterforGjenbruk IS NULL",
    ),
    (
        "etterlevelse.ds_gjenbruk",
        "tilgjengeligForGjenbrukMinTid",
        "here the first time the document was available (null if never); original: the first "
        "time with the current value, also when that is false",
        """SELECT count(*) FROM etterlevelse.ds_gjenbruk
           WHERE antallDokumenterforGjenbruk IS NOT NULL AND NOT tilgjengeligForGjenbruk""",
    ),
    (
        "etterlevelse.ds_sist_oppdatert",
        "(rows)",
        "the original continued deleted documents to today; here they stop on the day of "
        "deletion: documents that stop before the reference date",
        """SELECT count(*) FROM etterlevelse.ds_sist_oppdatert
           WHERE aktivRad AND dato < (SELECT max(dato) FROM etterlevelse.ds_sist_oppdatert)""",
    ),
    (
        "behandlinger.stage_behandlinger",
        "aktivObservasjon",
        "original: time = max time (V1.13 gave every older row one time, so several were "
        "active); here one by time, lastModifiedDate, DELETE, audit_id",
        """SELECT count(*) FROM (
             SELECT aktivObservasjon, time = max(time) OVER (PARTITION BY behandlingId) AS opprinnelig
             FROM behandlinger.stage_behandlinger) WHERE aktivObservasjon <> opprinnelig""",
    ),
    (
        "behandlinger.stage_policy",
        "(rows), slettet",
        "the original had one row per current audit row (several on a tie, DELETE not told "
        "apart): policies whose latest time has several rows",
        """SELECT count(*) FROM (
             SELECT entitetId FROM (
               SELECT entitetId FROM behandlinger_int.audit_version WHERE tableName = 'POLICY'
               QUALIFY time = max(time) OVER (PARTITION BY entitetId))
             GROUP BY entitetId HAVING count(*) > 1)""",
    ),
    (
        "behandlinger.stage_systems",
        "kjentKode",
        "codes deleted from SYSTEM are not known (kodeSlettet); the original dropped unknown "
        "codes and showed deleted ones as live",
        "SELECT count(*) FROM behandlinger.stage_systems WHERE kodeSlettet",
    ),
]


def describe(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """{schema.table: {"columns": {name: type}, "rows": n}} for the published schemas."""
    out: dict[str, dict] = {}
    tables = con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE list_contains(?, table_schema) AND table_catalog = current_database() ORDER BY 1, 2",
        [list(SCHEMAS)],
    ).fetchall()
    for schema, table in tables:
        cols = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = ? AND table_name = ? AND table_catalog = current_database() "
            "ORDER BY ordinal_position",
            [schema, table],
        ).fetchall()
        (n,) = con.execute(f'SELECT count(*) FROM "{schema}"."{table}"').fetchone()
        out[f"{schema}.{table}"] = {"columns": dict(cols), "rows": n}
    return out


def compare(frozen: dict[str, dict], got: dict[str, dict]) -> list[str]:
    problems = []
    for name in sorted(set(frozen) | set(got)):
        if name not in got:
            problems.append(f"{name}: missing")
            continue
        if name not in frozen:
            problems.append(f"{name}: new table")
            continue
        want, have = frozen[name]["columns"], got[name]["columns"]
        for col in want:
            if col not in have:
                problems.append(f"{name}.{col}: column missing")
            elif have[col] != want[col]:
                problems.append(f"{name}.{col}: type {have[col]}, expected {want[col]}")
        for col in have:
            if col not in want:
                problems.append(f"{name}.{col}: new column ({have[col]})")
        if frozen[name]["rows"] != got[name]["rows"]:
            problems.append(f"{name}: {got[name]['rows']} rows, expected {frozen[name]['rows']}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--write", action="store_true", help="rewrite the frozen list")
    parser.add_argument(
        "--forskjeller",
        action="store_true",
        help="count rows that differ from the original's rules",
    )
    a = parser.parse_args()
    with duckdb.connect(str(a.warehouse), read_only=True) as con:
        got = describe(con)
        if a.forskjeller:
            print("| table | column | why | rows |")
            print("|---|---|---|---|")
            for table, column, why, sql in FORSKJELLER:
                (n,) = con.execute(sql).fetchone()
                antall = f"{n:,}".replace(",", " ")
                print(f"| `{table}` | {column} | {why} | {antall} |")
    if a.write:
        FROZEN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {FROZEN.name}: {len(got)} tables")
        return 0
    problems = compare(json.loads(FROZEN.read_text(encoding="utf-8")), got)
    for p in problems:
        print(p)
    tables = sum(1 for _ in got)
    print(f"ds-kolonner tables={tables} differences={len(problems)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
