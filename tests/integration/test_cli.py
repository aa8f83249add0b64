"""The command line: clear one-line errors, and whole runs through Dagster with Postgres instance storage."""

from collections.abc import Callable

import pytest

from tests.support.commands import environment as _env
from tests.support.commands import run as _cli
from tests.support.commands import seeded_environment
from vetmed_pipeline.core.db import connect
from vetmed_pipeline.seed.loader import seed_legacy


@pytest.mark.parametrize(
    ("urls", "expected"),
    [
        ({"VETMED_SOURCE_URL": "mysql://root@localhost/legacy"}, "VETMED_SOURCE_URL uses 'mysql://'"),
        ({"VETMED_TARGET_URL": "not a url"}, "VETMED_TARGET_URL is not a valid URL"),
        (
            {
                "VETMED_SOURCE_URL": "postgresql://nobody:secretpw@127.0.0.1:1/legacy",
                "VETMED_TARGET_URL": "postgresql://nobody:secretpw@127.0.0.1:1/target",
                "DAGSTER_PG_URL": "postgresql://nobody:secretpw@127.0.0.1:1/dagster",
            },
            "cannot connect to VETMED_TARGET_URL",
        ),
    ],
)
def test_bad_input_is_one_clear_line_without_traceback(urls: dict[str, str], expected: str) -> None:
    result = _cli("vetmed-pipeline", "run", "migrate", env=_env(**urls), timeout=60)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "secretpw" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def cli_databases(
    new_database: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    return seeded_environment(new_database, tmp_path_factory.mktemp("dagster_home"), "cli", seed=5)


def _runs_recorded(env: dict[str, str]) -> int:
    with connect(env["DAGSTER_PG_URL"], "dagster") as conn:
        if conn.execute("SELECT to_regclass('runs')").fetchone() == (None,):
            return 0  # no Dagster command has used this storage yet: its tables come with the first
        row = conn.execute("SELECT count(*) FROM runs WHERE status = 'SUCCESS'").fetchone()
    return int(row[0]) if row else 0


@pytest.mark.integration
def test_vetmed_pipeline_run_migrate_prints_the_summary(cli_databases: dict[str, str]) -> None:
    result = _cli("vetmed-pipeline", "run", "migrate", env=cli_databases)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Rows per target table" in result.stdout
    assert "PASS          vetmed/vetmed_users :: user_roles_match_memberships" in result.stdout
    assert "extracted vetmed_users: 40 rows" in result.stderr + result.stdout
    assert "@" not in result.stdout  # no email address in the summary
    assert _runs_recorded(cli_databases) >= 1


@pytest.mark.integration
@pytest.mark.slow  # three dagster CLI processes, each loading the code location and running
def test_plain_dagster_commands_work_with_the_urls_set(cli_databases: dict[str, str]) -> None:
    before = _runs_recorded(cli_databases)
    job = _cli(
        "dagster", "job", "execute", "-m", "vetmed_pipeline.definitions", "-j", "migrate", env=cli_databases
    )
    assert job.returncode == 0, job.stderr[-2000:]
    group = _cli(
        "dagster",
        "asset",
        "materialize",
        "--select",
        "group:users",
        "-m",
        "vetmed_pipeline.definitions",
        env=cli_databases,
    )
    assert group.returncode == 0, group.stderr[-2000:]
    months = _cli(
        "dagster",
        "asset",
        "materialize",
        "--select",
        "group:timeseries",
        "--partition-range",
        "2025-01-01...2025-03-01",
        "-m",
        "vetmed_pipeline.definitions",
        env=cli_databases,
    )
    assert months.returncode == 0, months.stderr[-2000:]
    assert "vetmed_administrations [2025-01-01...2025-03-01]" in months.stderr + months.stdout
    assert _runs_recorded(cli_databases) == before + 3


@pytest.mark.integration
def test_a_drifted_source_stops_the_cli_with_the_differences(new_database: Callable[[str], str]) -> None:
    source = new_database("cli_drift")
    seed_legacy(source, scale=20, seed=3)
    with connect(source, "drift") as conn:
        conn.execute("ALTER TABLE vetmed_users RENAME COLUMN bio TO biography")
        conn.commit()
    env = _env(
        VETMED_SOURCE_URL=source,
        VETMED_TARGET_URL=new_database("cli_drift_tgt"),
        DAGSTER_PG_URL=new_database("cli_drift_dagster"),
    )
    result = _cli("vetmed-pipeline", "run", "migrate", env=env, timeout=120)
    assert result.returncode == 2
    assert "vetmed_users.bio is missing (expected text)" in result.stderr
    assert "vetmed_users.biography is not in the legacy schema (text)" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1
