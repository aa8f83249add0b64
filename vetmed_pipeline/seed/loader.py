"""Write a generated legacy data set into a database, with COPY, in the legacy load order.

The only code in the project that writes a legacy database, and only one it created itself or one that is
empty. It marks the database with a comment, so the demo can recognise (and re-use, or rebuild) its own.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from vetmed_pipeline.core import legacy_spec
from vetmed_pipeline.core.db import connect, copy_rows, parse_url, redact, run_script, with_database
from vetmed_pipeline.core.errors import PipelineError
from vetmed_pipeline.core.paths import LEGACY_SCHEMA_SQL
from vetmed_pipeline.core.preflight import DEMO_MARKER
from vetmed_pipeline.seed.generator import GENERATOR_VERSION, LegacyData, generate

log = logging.getLogger(__name__)

#: Parents before children (legacy-schema.md, "a valid load order").
LOAD_ORDER = [
    "vetmed_households",
    "vetmed_medication_catalog",
    "vetmed_animals",
    "vetmed_inventory_items",
    "vetmed_regimens",
    "vetmed_users",
    "vetmed_administrations",
    "vetmed_audit_log",
    "vetmed_memberships",
    "vetmed_notification_queue",
    "vetmed_notifications",
    "vetmed_push_subscriptions",
    "vetmed_suggestions",
    "vetmed_cosign_requests",
]
MARKER_PREFIX = DEMO_MARKER
_MARKER = re.compile(re.escape(MARKER_PREFIX) + r" \(scale=(\d+), seed=(-?\d+)(, generator=\d+)?\)")


@dataclass(frozen=True)
class SeedResult:
    database: str
    scale: int
    seed: int
    rows: dict[str, int]
    seconds: float
    reused: bool = False


def _marker(scale: int, seed: int) -> str:
    return f"{MARKER_PREFIX} (scale={scale}, seed={seed}, generator={GENERATOR_VERSION})"


def _database_state(admin: psycopg.Connection[Any], url: str, database: str) -> tuple[bool, str | None, int]:
    """(exists, marker comment, number of objects in schema public)."""
    row = admin.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", (database,)
    ).fetchone()
    if row is None:
        return False, None, 0
    with connect(url, "the legacy database") as conn:
        objects = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')"
        ).fetchone()
        types = conn.execute(
            "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE n.nspname = 'public' AND t.typtype = 'e'"
        ).fetchone()
    assert objects is not None and types is not None
    return True, row[0], int(objects[0]) + int(types[0])


def require_scale(scale: int) -> None:
    """A seed has at least one user (the CLI asks before it starts any server)."""
    if scale < 1:
        raise PipelineError(f"--scale must be at least 1 (a number of users), not {scale}")


def seed_legacy(url: str, scale: int = 2000, seed: int = 42, *, reuse: bool = False) -> SeedResult:
    """Build the legacy schema in ``url``'s database and fill it.

    Creates the database when it does not exist. An existing empty database is filled. A database this
    seeder made before (its comment says so) is rebuilt, or kept as is when ``reuse`` and the same scale and
    seed were used. Anything else is refused: we never write into a database we did not create.
    """
    require_scale(scale)
    parsed = parse_url(url, "the legacy database URL")
    database = str(parsed.database)
    admin_url = with_database(url, "postgres")
    with connect(admin_url, "the legacy server's maintenance database", autocommit=True) as admin:
        exists, comment, objects = _database_state(admin, url, database)
        ours = comment is not None and _MARKER.fullmatch(comment) is not None
        if exists and objects and not ours:
            raise PipelineError(
                f"refusing to seed {redact(url)}: it already holds {objects} table(s) or type(s) and was not "
                "created by `vetmed-pipeline seed-legacy`. Give a new or empty database."
            )
        if exists and ours and reuse and comment == _marker(scale, seed):
            log.info(
                "legacy database %s already seeded with scale=%s seed=%s: reusing it", database, scale, seed
            )
            return SeedResult(database, scale, seed, count_rows(url), 0.0, reused=True)
        if exists and ours:
            log.info("rebuilding legacy database %s (made by an earlier seed)", database)
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(database)))
            exists = False
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))

    started = time.perf_counter()
    data = generate(scale, seed)
    rows = load(url, data)
    with connect(admin_url, "the legacy server's maintenance database", autocommit=True) as admin:
        admin.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(database), sql.Literal(_marker(scale, seed))
            )
        )
    return SeedResult(database, scale, seed, rows, time.perf_counter() - started)


def load(url: str, data: LegacyData) -> dict[str, int]:
    """Create the legacy schema and COPY every table, in one transaction."""
    counts: dict[str, int] = {}
    with connect(url, "the legacy database") as conn:
        with conn.transaction():
            run_script(conn, LEGACY_SCHEMA_SQL)
            with conn.cursor() as cur:
                for table in LOAD_ORDER:
                    names = [column.name for column in legacy_spec.columns(table)]
                    counts[table] = copy_rows(cur, sql.Identifier("public", table), names, data.rows(table))
                    log.info("seeded %s: %s rows", table, counts[table])
        conn.execute("ANALYZE")
        conn.commit()
    return counts


def count_rows(url: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    with connect(url, "the legacy database", read_only=True) as conn:
        for table in LOAD_ORDER:
            row = conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("public", table))
            ).fetchone()
            counts[table] = int(row[0]) if row else 0
    return counts
