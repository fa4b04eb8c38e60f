"""SQL of the Etterlevelse leader page (/etterlevelse/dokumentstatus): the document status funnel
per week (`etterlevelse.ds_dokument_status_uke`), suksesskriterier per tema
(`etterlevelse.ds_suksesskriterier_uke`) and the row-level documents behind the drill-down
(`etterlevelse.stage_dokument_status_uke`). web/dokumentstatus.py shapes the answers."""

from __future__ import annotations

from datetime import date
from typing import Any

from metrikk.web.queries.connection import Unavailable, has_table, rows_as_dicts

STATUS_UKE = "etterlevelse.ds_dokument_status_uke"
SUKSESS_UKE = "etterlevelse.ds_suksesskriterier_uke"
DOKUMENT_UKE = "etterlevelse.stage_dokument_status_uke"


def require_dokumentstatus(con, *tables: str) -> None:
    """Each of `tables` is published, else Unavailable (a Norwegian hint)."""
    for t in tables:
        if not has_table(con, *t.split(".")):
            raise Unavailable(f"Datasettet {t} er ikke publisert ennå. Kjør «metrikk run».")


def dokumentstatus_nivaa(seksjon: str | None, team: str | None) -> str:
    """The dataset's `nivaa` whose rows answer a filter on seksjon and/or team."""
    if seksjon and team:
        return "SEKSJON_TEAM"
    return "SEKSJON" if seksjon else "TEAM" if team else "AVDELING"


def dokumentstatus_avdelinger(con) -> list[str]:
    """Every avdeling (one name each), «Uten avdeling» last."""
    return [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT avdeling FROM {STATUS_UKE} WHERE nivaa = 'AVDELING'"
            " ORDER BY avdeling = 'Uten avdeling', avdeling"
        ).fetchall()
    ]


def dokumentstatus_seksjoner(con, avdeling: str | None) -> list[tuple[str, str | None]]:
    """(seksjon, name) seen in `avdeling` (or all), the UTEN_* bucket last."""
    where, params = ("AND avdeling = ?", [avdeling]) if avdeling else ("", [])
    return con.execute(
        f"SELECT seksjon, any_value(seksjonNavn) FROM {STATUS_UKE} WHERE nivaa = 'SEKSJON' {where}"
        " GROUP BY seksjon ORDER BY seksjon LIKE 'UTEN_%', any_value(seksjonNavn)",
        params,
    ).fetchall()


def dokumentstatus_team(con, avdeling: str | None) -> list[str]:
    """The team seen in `avdeling` (or all), the UTEN_* bucket last."""
    where, params = ("AND avdeling = ?", [avdeling]) if avdeling else ("", [])
    rows = con.execute(
        f"SELECT DISTINCT team FROM {STATUS_UKE} WHERE nivaa = 'TEAM' {where}"
        " ORDER BY team LIKE 'UTEN_%', team",
        params,
    ).fetchall()
    return [t for (t,) in rows]


def dokumentstatus_uker(con) -> tuple[date | None, date | None]:
    """The first and last week of the funnel (None, None when it is empty)."""
    return con.execute(f"SELECT min(uke_start), max(uke_start) FROM {STATUS_UKE}").fetchone()


def _filter_sql(avdeling, seksjon, team) -> tuple[str, list[Any]]:
    sql, params = "nivaa = ?", [dokumentstatus_nivaa(seksjon, team)]
    for col, v in (("avdeling", avdeling), ("seksjon", seksjon), ("team", team)):
        if v:
            sql += f" AND {col} = ?"
            params.append(v)
    return sql, params


def dokumentstatus_per_uke(
    con, avdeling, seksjon, team, fra: date, til: date
) -> dict[tuple[date, str], int]:
    """{(week, status): documents} under the filters, weeks `fra`…`til`."""
    where, params = _filter_sql(avdeling, seksjon, team)
    rows = con.execute(
        f"SELECT uke_start, status, CAST(sum(antallDokumenter) AS BIGINT) FROM {STATUS_UKE}"
        f" WHERE {where} AND uke_start BETWEEN ? AND ? GROUP BY ALL",
        [*params, fra, til],
    ).fetchall()
    return {(u, s): n for u, s, n in rows}


def dokumentstatus_per_avdeling(con, seksjon, team, uke: date) -> list[tuple[str, str, int]]:
    """(avdeling, status, documents) at the end of `uke` under the seksjon/team filters."""
    where, params = _filter_sql(None, seksjon, team)
    return con.execute(
        f"SELECT avdeling, status, CAST(sum(antallDokumenter) AS BIGINT) FROM {STATUS_UKE}"
        f" WHERE {where} AND uke_start = ? GROUP BY ALL",
        [*params, uke],
    ).fetchall()


def suksesskriterier_per_tema(con, uke: date, avdeling: str | None) -> list[dict[str, Any]]:
    """Suksesskriterier per tema at the end of `uke`, in `avdeling` or all (the dataset has no
    seksjon or team)."""
    where, params = ("AND avdeling = ?", [avdeling]) if avdeling else ("", [])
    return rows_as_dicts(
        con.execute(
            f"""SELECT tema, any_value(temaNavn) AS temaNavn,
                  CAST(sum(antallSuksesskriterier) AS BIGINT) AS totalt,
                  CAST(sum(antallOppfylt) AS BIGINT) AS oppfylt,
                  CAST(sum(antallUnderArbeid) AS BIGINT) AS underArbeid,
                  CAST(sum(antallIkkeRelevant) AS BIGINT) AS ikkeRelevant,
                  CAST(sum(antallIkkeOppfylt) AS BIGINT) AS ikkeOppfylt,
                  CAST(sum(antallIkkePaabegynt) AS BIGINT) AS ikkePaabegynt
                FROM {SUKSESS_UKE} WHERE uke_start = ? {where}
                GROUP BY tema ORDER BY any_value(temaNavn)""",
            [uke, *params],
        )
    )


def dokumenter_rader(
    con, uke: date, avdeling: str, seksjon: str | None, team: str | None
) -> list[dict[str, Any]]:
    """The documents of `avdeling` at the end of `uke` (filtered on seksjon/team, UTEN_* = none),
    with the week their current status began. No titles (free text)."""
    where, params = "d.uke_start = ? AND d.avdeling = ?", [uke, avdeling]
    if seksjon == "UTEN_SEKSJON":
        where += " AND len(d.seksjonIder) = 0"
    elif seksjon:
        where += " AND list_contains(d.seksjonIder, ?)"
        params.append(seksjon)
    if team == "UTEN_TEAM":
        where += " AND len(d.teams) = 0"
    elif team:
        where += " AND list_contains(d.teams, ?)"
        params.append(team)
    return rows_as_dicts(
        con.execute(
            f"""
            WITH valgt AS (SELECT * FROM {DOKUMENT_UKE} AS d WHERE {where}),
            annen AS (
              -- The last week before with another status: the current run starts after it.
              SELECT h.etterlevelseDokumentasjonId, max(h.uke_start) AS uke_start
              FROM {DOKUMENT_UKE} AS h JOIN valgt AS v USING (etterlevelseDokumentasjonId)
              WHERE h.uke_start < v.uke_start AND h.status <> v.status
              GROUP BY ALL
            ),
            forste AS (
              SELECT h.etterlevelseDokumentasjonId, min(h.uke_start) AS uke_start
              FROM {DOKUMENT_UKE} AS h JOIN valgt AS v USING (etterlevelseDokumentasjonId)
              WHERE h.uke_start <= v.uke_start GROUP BY ALL
            )
            SELECT v.etterlevelseNummer, v.status, v.statusKilde, v.seksjonNavn, v.seksjonIder,
                   v.teams, v.antallSvar, v.pvkStatus,
                   COALESCE(a.uke_start + INTERVAL 7 DAY, f.uke_start) AS statusSiden
            FROM valgt AS v
            LEFT JOIN annen AS a USING (etterlevelseDokumentasjonId)
            LEFT JOIN forste AS f USING (etterlevelseDokumentasjonId)
            ORDER BY v.etterlevelseNummer NULLS LAST, v.etterlevelseDokumentasjonId
            """,
            params,
        )
    )
