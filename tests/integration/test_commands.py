"""The README's commands as a user types them: each mistake ends in one line and exit 2 with nothing left
behind; each job's run prints what it did; CLI runs are recorded under their job; `dg launch` prints INFO
without warnings; a run of every month records each month's own figures."""

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg
import pytest
from psycopg import sql

from tests.support.commands import environment as _env
from tests.support.commands import run as _run
from tests.support.commands import seeded_environment
from vetmed_pipeline.core.db import connect, with_database
from vetmed_pipeline.core.paths import DAGSTER_HOME

pytestmark = pytest.mark.integration


def _one_line(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode == 2, result.stderr[-2000:]
    assert expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.fixture(scope="module")
def env(new_database: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return seeded_environment(new_database, tmp_path_factory.mktemp("dagster_home"), "cmd", seed=8)


@pytest.fixture(scope="module")
def instance(env: dict[str, str]) -> Iterator[dg.DagsterInstance]:
    """The instance the commands record their runs in, read from this process."""
    saved = {key: os.environ.get(key) for key in ("DAGSTER_PG_URL", "DAGSTER_HOME")}
    os.environ.update({key: env[key] for key in saved})
    try:
        with dg.DagsterInstance.get() as found:
            yield found
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def test_materialize_on_a_new_target_says_to_run_the_migration_first(env: dict[str, str]) -> None:
    result = _run("vetmed-pipeline", "materialize", "--select", "group:users", env=env)
    _one_line(result, "holds no snapshot of the legacy database yet: run `vetmed-pipeline run migrate`")


def test_materialize_of_nothing_names_the_groups(env: dict[str, str]) -> None:
    result = _run("vetmed-pipeline", "materialize", "--select", "group:nothing", env=env)
    _one_line(result, "matches no asset; groups: animals, carried")


@pytest.mark.parametrize("scale", ["0", "-5"])
def test_seed_with_a_scale_below_one_creates_nothing(admin_url: str, scale: str) -> None:
    name = f"vt_never_{scale.strip('-')}"
    result = _run(
        "vetmed-pipeline",
        "seed-legacy",
        "--scale",
        scale,
        "--url",
        with_database(admin_url, name),
        env=_env(),
    )
    _one_line(result, f"--scale must be at least 1 (a number of users), not {scale}")
    with connect(admin_url, "test server") as conn:
        row = conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s", (name,)).fetchone()
    assert row == (0,)


def test_a_malformed_port_is_one_line(env: dict[str, str]) -> None:
    result = _run(
        "vetmed-pipeline", "run", "migrate", env={**env, "VETMED_TARGET_URL": "postgresql://u@h:54x2/db"}
    )
    _one_line(result, "VETMED_TARGET_URL has a port that is not a number")


def test_a_dagster_home_that_does_not_exist_is_one_line(env: dict[str, str], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = _run("vetmed-pipeline", "run", "migrate", env={**env, "DAGSTER_HOME": str(missing)})
    _one_line(result, f"DAGSTER_HOME={missing} does not exist: unset it")


@pytest.mark.parametrize("command", [["dg", "launch", "--job", "migrate"], ["dagster", "instance", "info"]])
def test_dagster_commands_without_the_urls_are_one_line(command: list[str]) -> None:
    result = _run(*command, env=_env(DAGSTER_HOME=str(DAGSTER_HOME)), timeout=120)
    _one_line(result, "DAGSTER_PG_URL is not set: run dagster through `vetmed-pipeline dagster ...`")


@pytest.mark.slow
def test_each_job_prints_what_it_did_and_runs_show_under_their_job(
    env: dict[str, str], instance: dg.DagsterInstance
) -> None:
    migrate = _run("vetmed-pipeline", "run", "migrate", env=env)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    assert "checks passed" in migrate.stdout
    assert "Warning" not in migrate.stderr

    # One month of one table, as the README shows it: that month's figures.
    month = _run(
        "vetmed-pipeline",
        "materialize",
        "--select",
        "key:vetmed/vetmed_administrations",
        "--partition",
        "2025-03-01",
        env=env,
    )
    assert month.returncode == 0, month.stderr[-3000:]
    assert "window: 2025-03-01" in month.stdout
    assert "checks passed" in month.stdout

    maintenance = _run("vetmed-pipeline", "run", "partition_maintenance", env=env)
    assert maintenance.returncode == 0, maintenance.stderr[-3000:]
    assert "checks passed" not in maintenance.stdout
    assert "succeeded" in maintenance.stdout

    report = _run("vetmed-pipeline", "run", "migration_report", env=env)
    assert report.returncode == 0, report.stderr[-3000:]
    assert "# Migration report" in report.stdout
    assert "base64" not in report.stdout

    # Every CLI run carries the code location's origin, which is what the UI lists under a job.
    records = instance.get_run_records(dg.RunsFilter(job_name="migrate"))
    assert records and all(
        record.dagster_run.remote_job_origin is not None
        and record.dagster_run.remote_job_origin.location_name == "vetmed_pipeline"
        for record in records
    )
    assert {record.dagster_run.tags_for_storage()[".dagster/repository"] for record in records} == {
        "__repository__@vetmed_pipeline"
    }


@pytest.mark.slow
def test_a_run_of_every_month_records_each_months_own_rows(
    env: dict[str, str], instance: dg.DagsterInstance
) -> None:
    migrate = _run("vetmed-pipeline", "run", "migrate", env=env)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    with connect(env["VETMED_TARGET_URL"], "target") as conn:
        months = dict(
            conn.execute(
                sql.SQL(
                    "SELECT to_char(date_trunc('month', recorded_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD'), count(*) "
                    "FROM vetmed.vetmed_administrations WHERE isfinite(recorded_at) GROUP BY 1"
                )
            ).fetchall()
        )
    key = dg.AssetKey(["vetmed", "vetmed_administrations"])
    busiest = max(months, key=lambda month: months[month])
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=key, asset_partitions=[busiest]), limit=1
    ).records
    metadata = records[0].asset_materialization.metadata  # type: ignore[union-attr]
    assert metadata["month_rows"].value == months[busiest]
    assert metadata["dagster/row_count"].value == months[busiest]
    assert metadata["window"].value == "all months and DEFAULT"


@pytest.mark.slow
def test_dg_launch_prints_info_without_warnings(env: dict[str, str]) -> None:
    result = _run("dg", "launch", "--job", "migration_report", env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    output = result.stdout + result.stderr
    assert " - INFO - " in output
    assert " - DEBUG - " not in output
    assert "Warning" not in output
