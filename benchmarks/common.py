"""What the benchmarks share: the server they measure on, and where figures are recorded."""

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from psycopg import sql

from vetmed_pipeline.core.db import connect, with_database
from vetmed_pipeline.core.paths import DAGSTER_HOME

RESULTS = Path(__file__).resolve().parent / "results.jsonl"


@contextmanager
def admin_url(url: str | None = None) -> Iterator[str]:
    """A maintenance-database URL: the server of ``url`` or of VETMED_BENCH_DATABASE_URL, else an embedded
    one (stopped after)."""
    external = url or os.environ.get("VETMED_BENCH_DATABASE_URL")
    if external:
        yield with_database(external, "postgres")
        return
    from vetmed_pipeline.core.embedded import EmbeddedPostgres

    server = EmbeddedPostgres(DAGSTER_HOME / "bench-pgdata")
    try:
        yield server.admin_url
    finally:
        server.stop()


@contextmanager
def fresh_databases(admin: str, *roles: str) -> Iterator[dict[str, str]]:
    """New, empty databases on the admin URL's server, one per role (named bench_<random>_<role>), dropped
    afterwards: {role: URL}."""
    prefix = f"bench_{uuid.uuid4().hex[:8]}"
    names = {role: f"{prefix}_{role}" for role in roles}
    try:
        with connect(admin, "bench", autocommit=True) as conn:
            for name in names.values():
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield {role: with_database(admin, name) for role, name in names.items()}
    finally:
        with connect(admin, "bench", autocommit=True) as conn:
            for name in names.values():
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def bench_databases(admin: str) -> Iterator[tuple[str, str, int]]:
    """Two new, empty databases on the admin URL's server, dropped afterwards:
    (legacy URL, target URL, server version number)."""
    with fresh_databases(admin, "legacy", "target") as urls:
        with connect(admin, "bench", autocommit=True) as conn:
            version = conn.info.server_version
        yield urls["legacy"], urls["target"], version


def postgres_version(version: int) -> str:
    return f"{version // 10000}.{version % 10000}"


def step_seconds(result: Any, digits: int = 2) -> dict[str, float]:
    """Seconds of every successful step of an in-process run (a dagster ExecuteInProcessResult)."""
    return {
        event.step_key: round(event.event_specific_data.duration_ms / 1000, digits)
        for event in result.all_events
        if event.event_type_value == "STEP_SUCCESS" and event.step_key
    }


def record(figures: dict[str, Any]) -> None:
    """Print the figures and append them to benchmarks/results.jsonl."""
    print(json.dumps(figures, indent=2))
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(json.dumps(figures) + "\n")
