"""Safe to operate: one run at a time per target (with a writer on the source), a killed run leaves no
STARTED run and no running statement, a failed proof fails the run, the target says whether it is ready,
least privilege (SET ROLE for each rule), erasure of one person and retention."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from tests.conftest import Migration
from tests.integration.test_checks_fail import _corrupt
from tests.support.legacy_writes import delete_user
from vetmed_pipeline.core.db import connect, run_script
from vetmed_pipeline.core.paths import DAGSTER_HOME, LEGACY_SCHEMA_SQL, REPO_ROOT
from vetmed_pipeline.core.preflight import check_source
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.core.state import readiness
from vetmed_pipeline.core.target import ensure_target_schema
from vetmed_pipeline.definitions import build_defs
from vetmed_pipeline.seed.loader import seed_legacy

pytestmark = pytest.mark.integration

BIN = Path(sys.executable).parent


@pytest.fixture
def env(new_database: Callable[[str], str], tmp_path: Path) -> dict[str, str]:
    """URLs of a seeded source, a target and a Dagster database, with a DAGSTER_HOME of the test's own."""
    source = new_database("ops_src")
    seed_legacy(source, scale=60, seed=8)
    shutil.copy(DAGSTER_HOME / "dagster.yaml", tmp_path / "dagster.yaml")
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("VETMED_", "DAGSTER_"))}
    environment.update(
        VETMED_SOURCE_URL=source,
        VETMED_TARGET_URL=new_database("ops_tgt"),
        DAGSTER_PG_URL=new_database("ops_dagster"),
        DAGSTER_HOME=str(tmp_path),
    )
    return environment


def _start(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(BIN / "vetmed-pipeline"), *args],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def writer(env: dict[str, str]) -> Iterator[threading.Event]:
    """The legacy application, writing to the source a few times a second while the test runs."""
    stop = threading.Event()

    def write() -> None:
        with connect(env["VETMED_SOURCE_URL"], "writer", autocommit=True) as conn:
            n = 0
            while not stop.is_set():
                n += 1
                conn.execute(
                    "UPDATE vetmed_households SET name = %s, updated_at = now() "
                    "WHERE id = (SELECT id FROM vetmed_households ORDER BY id OFFSET %s LIMIT 1)",
                    (f"Household {n}", n % 20),
                )
                conn.execute(
                    "UPDATE vetmed_users SET bio = %s WHERE id = (SELECT min(id::text)::uuid FROM vetmed_users)",
                    (f"bio {n}",),
                )
                time.sleep(0.2)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    yield stop
    stop.set()
    thread.join(timeout=10)


@pytest.mark.slow  # two whole CLI runs one after the other, with a writer
def test_two_overlapping_runs_with_a_writer_both_succeed_one_after_the_other(
    env: dict[str, str], writer: threading.Event
) -> None:
    first = _start(env, "run", "migrate")
    time.sleep(8)  # the first run holds the target by now
    second = _start(env, "run", "migrate")
    first_out, _ = first.communicate(timeout=600)
    second_out, _ = second.communicate(timeout=600)
    writer.set()
    for out, process in ((first_out, first), (second_out, second)):
        assert process.returncode == 0, out[-3000:]
        assert "0 ERROR failure(s)" in out and " 0 not run" in out
    assert "this run waits until it ends" in second_out  # it said so, and named what it waited for
    assert "vetmed_pipeline run " in second_out.split("this run waits until it ends")[0].splitlines()[-1]
    assert "Target: ready to cut over" in second_out


_RUN_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _sessions_of(url: str, run_fragment: str) -> int:
    with connect(url, "probe") as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE %s", (f"%{run_fragment}%",)
        ).fetchone()
    return int(row[0]) if row else 0


@pytest.mark.slow  # a CLI run killed midway, then a whole CLI run
def test_a_killed_run_is_marked_failed_its_statements_stop_and_the_next_run_completes(
    env: dict[str, str],
) -> None:
    run = _start(env, "run", "migrate")
    assert run.stdout is not None
    output = []
    for line in run.stdout:  # kill it in the middle of the loads
        output.append(line)
        if "vetmed__vetmed_households - households:" in line:
            break
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    run_id = next(m.group(0) for line in output if " - migrate - " in line and (m := _RUN_ID.search(line)))
    deadline = time.monotonic() + 20
    while _sessions_of(env["VETMED_TARGET_URL"], run_id) and time.monotonic() < deadline:
        time.sleep(1)
    assert _sessions_of(env["VETMED_TARGET_URL"], run_id) == 0  # its session (and lock) went with it

    with connect(env["VETMED_TARGET_URL"], "state") as conn, conn.cursor() as cur:
        state = readiness(cur)
    assert state is not None and not state.ready  # a target of mixed runs says so

    again = _start(env, "run", "migrate")
    out, _ = again.communicate(timeout=600)
    assert again.returncode == 0, out[-3000:]
    assert f"run {run_id} was left STARTED by a process that is gone: marked failed" in out
    assert "Target: ready to cut over" in out
    with connect(env["DAGSTER_PG_URL"], "dagster") as conn:
        statuses = dict(conn.execute("SELECT run_id, status FROM runs").fetchall())
    assert statuses[run_id] == "FAILURE"
    assert "STARTED" not in statuses.values()


def _checks_only(migration: Migration) -> dg.ExecuteInProcessResult:
    merged = build_defs(
        {
            "source": PostgresResource(url=migration.source_url, read_only=True),
            "target": PostgresResource(url=migration.target_url, holds_run=True),
        }
    )
    job = merged.resolve_implicit_global_asset_job_def().get_subset(
        asset_check_selection=set(merged.resolve_asset_graph().asset_check_keys), asset_selection=set()
    )
    return job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)


@pytest.fixture
def migrated(migrated_copy: Callable[..., Migration]) -> Migration:
    return migrated_copy("state", scale=40, seed=17)


def test_a_failed_proof_fails_the_run_and_the_target_is_no_longer_ready(migrated: Migration) -> None:
    with migrated.target() as conn, conn.cursor() as cur:
        before = readiness(cur)
    assert before is not None and before.ready and before.assets >= 30
    _corrupt(
        migrated,
        "UPDATE vetmed.vetmed_households SET timezone = 'Mars/Olympus' "
        "WHERE id = (SELECT id FROM vetmed.vetmed_households ORDER BY id LIMIT 1)",
    )
    result = _checks_only(migrated)
    assert not result.success  # red everywhere: the round trip is a blocking proof
    failed = {e.check_name for e in result.get_asset_check_evaluations() if not e.passed}
    assert "round_trip_equals_snapshot" in failed
    with migrated.target() as conn, conn.cursor() as cur:
        after = readiness(cur)
    assert after is not None and not after.ready
    assert "ERROR checks did not pass" in after.describe()


def test_a_table_of_another_snapshot_fails_the_one_snapshot_check(migrated: Migration) -> None:
    _corrupt(
        migrated,
        "UPDATE vetmed.migration_state SET snapshot_run_id = 'an-earlier-run' WHERE asset = 'vetmed/vetmed_animals'",
    )
    evaluations = {e.check_name: e for e in _checks_only(migrated).get_asset_check_evaluations()}
    check = evaluations["target_reflects_one_snapshot"]
    assert (
        not check.passed and check.metadata["off_snapshot"].value == "vetmed/vetmed_animals (an-earlier-run)"
    )


def _as(migration: Migration, role: str, query: str, params: Any = None) -> list[tuple[Any, ...]]:
    with migration.target() as conn, conn.transaction():
        conn.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
        return conn.execute(query, params).fetchall()


def test_a_role_sees_through_every_compat_view_exactly_what_it_may_read_underneath(
    migrated: Migration,
) -> None:
    with migrated.target() as conn:
        invokers = conn.execute(
            "SELECT count(*) FILTER (WHERE 'security_invoker=true' = ANY (c.reloptions)), count(*) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'vetmed_compat' AND c.relkind = 'v'"
        ).fetchone()
    assert invokers == (14, 14)
    # the quarantine: the app role reads every rejected value but emergency contacts; the privacy role all
    contact_rows = (
        "SELECT count(*) FROM vetmed_quarantine.rejected_values WHERE legacy_column LIKE 'emergency%'"
    )
    assert _as(migrated, "vetmed_app", contact_rows) == [(0,)]
    assert _as(migrated, "vetmed_privacy", contact_rows)[0][0] > 0
    other_rows = (
        "SELECT count(*) FROM vetmed_quarantine.rejected_values WHERE legacy_table = 'vetmed_animals'"
    )
    assert _as(migrated, "vetmed_app", other_rows) == _as(migrated, "vetmed_privacy", other_rows)
    # through a view: the same animals, the same quarantined vet values, for both roles
    animals = "SELECT count(*), count(vet_name), count(allergies) FROM vetmed_compat.vetmed_animals"
    assert _as(migrated, "vetmed_app", animals) == _as(migrated, "vetmed_privacy", animals)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _as(migrated, "vetmed_app", "SELECT count(*) FROM vetmed_compat.vetmed_users")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _as(migrated, "vetmed_app", "SELECT count(*) FROM vetmed.vetmed_emergency_contacts")


def test_role_names_are_set_per_target(
    new_database: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VETMED_APP_ROLE", "clinic_b_app")
    monkeypatch.setenv("VETMED_PRIVACY_ROLE", "clinic_b_privacy")
    url = new_database("roles")
    with connect(url, "roles") as conn, conn.cursor() as cur:
        ensure_target_schema(cur)
        conn.commit()
        granted = cur.execute(
            "SELECT has_table_privilege('clinic_b_app', 'vetmed.vetmed_users', 'SELECT'), "
            "has_table_privilege('clinic_b_app', 'vetmed.vetmed_emergency_contacts', 'SELECT'), "
            "has_table_privilege('clinic_b_privacy', 'vetmed.vetmed_emergency_contacts', 'SELECT'), "
            "pg_has_role('clinic_b_privacy', 'clinic_b_app', 'MEMBER'), "
            "has_table_privilege('vetmed_privacy', 'vetmed.vetmed_emergency_contacts', 'SELECT')"
        ).fetchone()
    assert granted == (True, False, True, True, False)  # the default names open nothing here


def test_preflight_warns_when_the_source_user_can_write(new_database: Callable[[str], str]) -> None:
    url = new_database("writable_src")
    with connect(url, "source", autocommit=True) as conn:
        run_script(conn, LEGACY_SCHEMA_SQL)
        conn.execute("DROP ROLE IF EXISTS vt_reader")
        conn.execute("CREATE ROLE vt_reader LOGIN")
        conn.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO vt_reader")
    _, warning = check_source(url)  # the test server's superuser can write
    assert warning is not None and "may write to 14 of the 14 legacy tables" in warning
    reader = make_url(url).set(username="vt_reader").render_as_string(hide_password=False)
    _, warning = check_source(reader)
    assert warning is None


def _legacy_delete_user(migration: Migration, user_id: str) -> None:
    with migration.source() as conn, conn.transaction():
        delete_user(conn, user_id)


_GONE = {"users": 0, "memberships": 0, "quarantine": 0, "staging": 0, "audit": 0}


def _traces(migration: Migration, user_id: str) -> dict[str, int]:
    with migration.target() as conn:
        return {
            place: int(conn.execute(query, {"u": user_id}).fetchone()[0])  # type: ignore[index]
            for place, query in {
                "users": "SELECT count(*) FROM vetmed.vetmed_users WHERE id = %(u)s",
                "memberships": "SELECT count(*) FROM vetmed.vetmed_memberships WHERE user_id = %(u)s",
                "quarantine": "SELECT count(*) FROM vetmed_quarantine.rejected_values WHERE legacy_id = %(u)s",
                "staging": "SELECT count(*) FROM vetmed_staging.vetmed_users WHERE id = %(u)s",
                "audit": "SELECT count(*) FROM vetmed.vetmed_audit_log WHERE user_id = %(u)s",
            }.items()
        }


def test_forget_erases_one_person_everywhere_and_the_next_run_does_not_bring_them_back(
    migrated: Migration, tmp_path: Path
) -> None:
    with migrated.target() as conn:
        row = conn.execute(
            "SELECT q.legacy_id::text FROM vetmed_quarantine.rejected_values q "
            "JOIN vetmed.vetmed_memberships m ON m.user_id = q.legacy_id "
            "WHERE q.legacy_table = 'vetmed_users' ORDER BY 1 LIMIT 1"
        ).fetchone()
        assert row is not None
        user_id = row[0]
        # a resolved rejection of theirs: history a normal run keeps
        conn.execute(
            "UPDATE vetmed_quarantine.rejected_values SET resolved_at = now() WHERE legacy_id = %s "
            "AND ctid = (SELECT min(ctid) FROM vetmed_quarantine.rejected_values WHERE legacy_id = %s)",
            (user_id, user_id),
        )
    assert all(n > 0 for place, n in _traces(migrated, user_id).items() if place != "audit")
    _legacy_delete_user(migrated, user_id)
    instance = dg.DagsterInstance.ephemeral(tempdir=str(tmp_path))
    reports = Path(instance.storage_directory()) / "reports"
    reports.mkdir(parents=True)
    (reports / "old-run.md").write_text(f"| differing ids | {user_id} |\n", encoding="utf-8")
    resources = {
        "source": PostgresResource(url=migrated.source_url, read_only=True),
        "target": PostgresResource(url=migrated.target_url, holds_run=True),
    }
    result = (
        build_defs(resources)
        .resolve_job_def("forget_user")
        .execute_in_process(
            instance=instance, run_config={"ops": {"forget": {"config": {"user_id": user_id}}}}
        )
    )
    assert result.success
    assert _traces(migrated, user_id) == _GONE
    assert user_id not in (reports / "old-run.md").read_text(encoding="utf-8")
    assert migrated.run().success
    assert _traces(migrated, user_id) == _GONE


def test_resolved_rejections_older_than_the_retention_are_purged(
    migrated: Migration, monkeypatch: pytest.MonkeyPatch
) -> None:
    with migrated.target() as conn:
        conn.execute(
            "UPDATE vetmed_quarantine.rejected_values SET resolved_at = now() - interval '400 days' "
            "WHERE legacy_column = 'week_starts_on'"
        )
        conn.execute(
            "UPDATE vetmed_quarantine.rejected_values SET resolved_at = now() - interval '10 days' "
            "WHERE legacy_column = 'reminder_lead_time_minutes'"
        )
    monkeypatch.setenv("VETMED_QUARANTINE_RETENTION_DAYS", "365")
    with migrated.source() as conn:  # the values became valid in the source
        conn.execute("UPDATE vetmed_users SET week_starts_on = 1, reminder_lead_time_minutes = '15'")
    assert migrated.run().success
    with migrated.target() as conn:
        kept = dict(
            conn.execute(
                "SELECT legacy_column, count(*) FROM vetmed_quarantine.rejected_values "
                "WHERE legacy_column IN ('week_starts_on', 'reminder_lead_time_minutes') GROUP BY 1"
            ).fetchall()
        )
    assert "week_starts_on" not in kept  # resolved 400 days ago: purged
    assert kept["reminder_lead_time_minutes"] > 0  # resolved 10 days ago: kept for history
