"""Example Airflow DAGs for metrikk on Knada (NAV's Airflow), as an alternative to the Naisjobs.

Uses dataverk-airflow's `kubernetes_operator` (a KubernetesPodOperator wrapper that runs a given
image in a pod, with Slack alerts and an allowlist for outbound traffic; see the package's
README on PyPI/GitHub navikt/dataverk-airflow). Each task runs the metrikk image with one
command; a failing command (exit code 1 or 2) fails the task and Airflow retries it. Both
`ingest` and `run` are safe to retry: ingest resumes from what is already landed, and run
skips intervals SQLMesh has already computed.

This file is an example, not part of the package: nothing in metrikk or its tests imports it
(airflow is not a dependency). Copy it into the team's Knada DAG repository and fill in the
Airflow Variables it reads.

Airflow Variables (Admin → Variables; mark the secret ones as such so Airflow masks them):
    metrikk_image             europe-north1-docker.pkg.dev/<registry>/teamdatajegerne/metrikk:<tag>
    metrikk_project           teamdatajegerne-prod-c8b1
    metrikk_state_dsn         postgresql://sqlmesh:…@<host>:5432/sqlmesh_state      (secret)
    metrikk_pseudonym_key     the pseudonymisation key                              (secret)
    etterlevelse_dsn          postgresql://metrikk_les:…@<host>:5432/etterlevelse   (secret)
    behandlingskatalogen_dsn  postgresql://metrikk_les:…@<host>:5432/polly          (secret)
    veilarbfilter_dsn         postgresql://metrikk_les:…@<host>:5432/veilarbfilter  (secret; team Obo)
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow import DAG
from dataverk_airflow import kubernetes_operator

OSLO = pendulum.timezone("Europe/Oslo")
SLACK_CHANNEL = "#team-datajegerne-alarm"
BIGQUERY_HOSTS = ["bigquery.googleapis.com", "oauth2.googleapis.com"]
# host:port of the two app databases (Cloud SQL private IPs); placeholders, fill in.
DATABASES = ["10.0.0.10:5432", "10.0.0.11:5432"]
# host:port of the SQLMesh state database (METRIKK_STATE_DSN); placeholder, fill in.
STATE_DATABASE = ["10.0.0.12:5432"]
# Norg2 (no token inside NAV) and veilarbfilter's database (team Obo's Cloud SQL; placeholder).
NORG2_URL = "https://norg2.intern.nav.no/norg2"
NORG2_HOSTS = ["norg2.intern.nav.no"]
VEILARBFILTER_DATABASE = ["10.0.0.13:5432"]
# Image and env values are Jinja templates, rendered when the task runs (env_vars and image are
# templated fields of KubernetesPodOperator), so parsing the DAG never reads Variables.
IMAGE = "{{ var.value.metrikk_image }}"


def metrikk_env(**extra: str) -> dict[str, str]:
    """Environment every metrikk task gets: BigQuery target, SQLMesh state, pseudonym key."""
    return {
        "METRIKK_TARGET": "bigquery",
        "METRIKK_PROJECT": "{{ var.value.metrikk_project }}",
        "METRIKK_STATE_DSN": "{{ var.value.metrikk_state_dsn }}",
        "METRIKK_PSEUDONYM_KEY": "{{ var.value.metrikk_pseudonym_key }}",
        "METRIKK_WAREHOUSE": "/tmp/metrikk/metrikk.duckdb",
        **extra,
    }


def metrikk_task(
    dag: DAG, name: str, args: list[str], *, memory: str, env: dict[str, str], allowlist: list[str]
):
    """One pod running `metrikk <args>` from the metrikk image."""
    return kubernetes_operator(
        dag=dag,
        name=name,
        # The operator clones a repo into the pod; the image already holds the code.
        repo="navikt/metrikk",
        image=IMAGE,
        cmds=["metrikk", *args],
        extra_envs=env,
        allowlist=allowlist,
        slack_channel=SLACK_CHANNEL,
        resources={"requests": {"memory": memory, "cpu": "500m"}, "limits": {"memory": memory}},
        retries=1,
        retry_delay=timedelta(minutes=10),
        startup_timeout_seconds=600,
    )


with DAG(
    "metrikk_tiltak",
    description="Ukentlige tiltakstall (tiltak_gold) hver mandag 06:00, fra NAVs kildetabeller.",
    start_date=pendulum.datetime(2026, 1, 5, tz=OSLO),
    schedule="0 6 * * 1",
    catchup=False,
    max_active_runs=1,
    tags=["metrikk"],
) as tiltak_dag:
    # tiltak_bronze from NAV's source tables (docs/kilder.md), then the weekly products; the run
    # waits for the ingest, so it never reads half-fresh sources.
    ingest_kilder = metrikk_task(
        tiltak_dag,
        "ingest-kilder",
        ["ingest", "kilder"],
        memory="1Gi",
        env=metrikk_env(METRIKK_KILDER="/app/kilder.prod.yaml"),
        allowlist=BIGQUERY_HOSTS + STATE_DATABASE,
    )
    run_tiltak = metrikk_task(
        tiltak_dag,
        "run-tiltak",
        ["run", "--domain", "tiltak"],
        memory="1Gi",
        env=metrikk_env(),
        allowlist=BIGQUERY_HOSTS + STATE_DATABASE,
    )
    ingest_kilder >> run_tiltak


with DAG(
    "metrikk_etterlevelse",
    description="Daglig innhenting fra Støtte til etterlevelse og Behandlingskatalogen, "
    "deretter datasettene i etterlevelse og behandlinger.",
    start_date=pendulum.datetime(2026, 1, 5, tz=OSLO),
    schedule="0 4 * * *",
    catchup=False,
    max_active_runs=1,
    tags=["metrikk"],
) as etterlevelse_dag:
    # The DSNs travel as environment variables and are expanded by the shell, so they never
    # appear in the pod's command line or in Airflow's rendered task arguments.
    ingest_etterlevelse = kubernetes_operator(
        dag=etterlevelse_dag,
        name="ingest-etterlevelse",
        repo="navikt/metrikk",
        image=IMAGE,
        cmds=[
            "/bin/sh",
            "-c",
            'exec metrikk ingest postgres --app etterlevelse --dsn "$ETTERLEVELSE_DSN"',
        ],
        extra_envs=metrikk_env(ETTERLEVELSE_DSN="{{ var.value.etterlevelse_dsn }}"),
        allowlist=BIGQUERY_HOSTS + DATABASES,
        slack_channel=SLACK_CHANNEL,
        resources={"requests": {"memory": "1Gi", "cpu": "500m"}, "limits": {"memory": "1Gi"}},
        retries=2,
        retry_delay=timedelta(minutes=10),
    )
    ingest_behandlingskatalogen = kubernetes_operator(
        dag=etterlevelse_dag,
        name="ingest-behandlingskatalogen",
        repo="navikt/metrikk",
        image=IMAGE,
        cmds=[
            "/bin/sh",
            "-c",
            "exec metrikk ingest postgres --app behandlingskatalogen "
            '--dsn "$BEHANDLINGSKATALOGEN_DSN"',
        ],
        extra_envs=metrikk_env(BEHANDLINGSKATALOGEN_DSN="{{ var.value.behandlingskatalogen_dsn }}"),
        allowlist=BIGQUERY_HOSTS + DATABASES,
        slack_channel=SLACK_CHANNEL,
        resources={"requests": {"memory": "1Gi", "cpu": "500m"}, "limits": {"memory": "1Gi"}},
        retries=2,
        retry_delay=timedelta(minutes=10),
    )
    run_etterlevelse = metrikk_task(
        etterlevelse_dag,
        "run-etterlevelse",
        ["run", "--domain", "etterlevelse"],
        memory="1Gi",
        env=metrikk_env(),
        allowlist=BIGQUERY_HOSTS + STATE_DATABASE,
    )
    # One after the other, like the Naisjob: a failed ingest stops the run.
    ingest_etterlevelse >> ingest_behandlingskatalogen >> run_etterlevelse


with DAG(
    "metrikk_veiledergrupper",
    description="Daglig øyeblikksbilde av veiledergruppene (veilarbfilter har ingen historikk) "
    "og Nav-enhetene fra Norg2.",
    start_date=pendulum.datetime(2026, 1, 5, tz=OSLO),
    schedule="0 5 * * *",
    catchup=False,
    max_active_runs=1,
    tags=["metrikk"],
) as veiledergrupper_dag:
    # Two independent tasks, like the Naisjob's two commands that both always run: a failed Norg2
    # fetch leaves yesterday's enhet list, which the snapshot still uses (the list changes
    # rarely). Both are idempotent within a day, so Airflow's retries are safe. The DSN is an
    # environment variable metrikk reads itself (METRIKK_VEILARBFILTER_DSN), never an argument.
    metrikk_task(
        veiledergrupper_dag,
        "ingest-norg2",
        ["ingest", "norg2"],
        memory="512Mi",
        env=metrikk_env(METRIKK_NORG2_URL=NORG2_URL),
        allowlist=BIGQUERY_HOSTS + NORG2_HOSTS,
    )
    metrikk_task(
        veiledergrupper_dag,
        "ingest-veiledergrupper",
        ["ingest", "veiledergrupper", "--alle-lokale"],
        memory="512Mi",
        env=metrikk_env(METRIKK_VEILARBFILTER_DSN="{{ var.value.veilarbfilter_dsn }}"),
        allowlist=BIGQUERY_HOSTS + VEILARBFILTER_DATABASE,
    )
