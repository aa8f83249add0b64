"""The target schema: the DDL files sql/ddl.manifest lists, in that order, applied once per version."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

import dagster as dg
import psycopg
from psycopg import sql

from vetmed_pipeline.core.db import ident
from vetmed_pipeline.core.paths import DDL_MANIFEST, SQL_DIR

STAGING = "vetmed_staging"
TARGET = "vetmed"
COMPAT = "vetmed_compat"
QUARANTINE = "vetmed_quarantine"
# Any constant works: it only serializes concurrent DDL (several assets of one run start together).
_DDL_LOCK = 7_400_215_001


def ddl_files(manifest: Path = DDL_MANIFEST) -> list[Path]:
    """The DDL files in the manifest's order (blank lines and # comments aside)."""
    lines = (line.split("#", 1)[0].strip() for line in manifest.read_text(encoding="utf-8").splitlines())
    return [SQL_DIR / line for line in lines if line]


APP_ROLE_ENV = "VETMED_APP_ROLE"
PRIVACY_ROLE_ENV = "VETMED_PRIVACY_ROLE"


def roles() -> dict[str, str]:
    """The target's role names: the application role (every vetmed table but emergency contacts) and the
    privacy role (that plus emergency contacts). PostgreSQL roles belong to the server: give each target
    its own names where several share one."""
    return {
        "app_role": os.environ.get(APP_ROLE_ENV, "").strip() or "vetmed_app",
        "privacy_role": os.environ.get(PRIVACY_ROLE_ENV, "").strip() or "vetmed_privacy",
    }


def render_ddl(text: str, names: dict[str, str]) -> str:
    """A DDL file with its role placeholders (:app_role as an identifier, :'app_role' as a literal) replaced
    by the quoted names: identifiers go through psycopg's quoting, never by hand."""
    text = re.sub(r":'(app_role|privacy_role)'", lambda m: sql.Literal(names[m.group(1)]).as_string(), text)
    return re.sub(
        r"(?<!:):(app_role|privacy_role)\b", lambda m: sql.Identifier(names[m.group(1)]).as_string(), text
    )


def ddl_version() -> str:
    """A hash of the manifest's files, names and contents, in order, and of the role names: what the target
    was built from."""
    digest = hashlib.sha256()
    for path in ddl_files():
        digest.update(path.relative_to(SQL_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    digest.update(repr(sorted(roles().items())).encode())
    return f"vetmed_pipeline ddl {digest.hexdigest()[:16]}"


def ensure_target_schema(cur: psycopg.Cursor[Any]) -> None:
    """Create or bring up to date every schema, table, view, role and grant, inside the caller's transaction.

    Applied once per version of the DDL (its hash is kept as the comment of schema vetmed), not by every
    load: re-applying it rewrote catalog rows (the GRANTs) that autovacuum also updates, and a load that
    then created a partition referencing those tables could deadlock with it."""
    cur.execute("SELECT pg_advisory_xact_lock(%s)", (_DDL_LOCK,))
    version = ddl_version()
    cur.execute("SELECT obj_description(to_regnamespace(%s), 'pg_namespace')", (TARGET,))
    row = cur.fetchone()
    if row is not None and row[0] == version:
        return
    names = roles()
    for path in ddl_files():
        cur.execute(render_ddl(path.read_text(encoding="utf-8"), names))
    cur.execute(sql.SQL("COMMENT ON SCHEMA {} IS {}").format(sql.Identifier(TARGET), sql.Literal(version)))


def missing_staging(cur: psycopg.Cursor[Any], tables: list[str]) -> list[str]:
    """The tables of ``tables`` that have no copy in the snapshot (vetmed_staging) yet."""
    cur.execute(
        "SELECT t FROM unnest(%s::text[]) AS t WHERE to_regclass(format('%%I.%%I', %s::text, t)) IS NULL",
        (tables, STAGING),
    )
    return [row[0] for row in cur.fetchall()]


def require_staging(cur: psycopg.Cursor[Any], tables: list[str]) -> None:
    """Fail with what to do when the extract has not run yet."""
    missing = missing_staging(cur, tables)
    if missing:
        raise dg.Failure(
            description=(
                f"staging tables missing: {', '.join(missing)}. Materialize group:extract first "
                "(or run the migrate job, which extracts before it loads)."
            ),
            allow_retries=False,
        )


def count(cur: psycopg.Cursor[Any], schema: str, table: str) -> int:
    cur.execute(sql.SQL("SELECT count(*) FROM {}").format(ident(schema, table)))
    row = cur.fetchone()
    return int(row[0]) if row else 0


DROP_STAGING_ENV = "VETMED_DROP_STAGING"


def drop_staging_after_runs() -> bool:
    """VETMED_DROP_STAGING=1: drop the raw copies of the legacy tables once a run's proofs all passed."""
    return os.environ.get(DROP_STAGING_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def drop_staging(cur: psycopg.Cursor[Any], tables: list[str]) -> int:
    """Drop the staging copies of ``tables`` (the snapshot row stays: it says what the target reflects);
    returns how many there were. Loads and checks then ask for a new extract."""
    dropped = 0
    for table in tables:
        cur.execute("SELECT to_regclass(%s) IS NOT NULL", (f"{STAGING}.{table}",))
        row = cur.fetchone()
        if row and row[0]:
            cur.execute(sql.SQL("DROP TABLE {}").format(ident(STAGING, table)))
            dropped += 1
    return dropped
