"""The target schema: the DDL files sql/ddl.manifest lists, in that order, applied once per version."""

from __future__ import annotations

import hashlib
from functools import cache
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


@cache
def ddl_version() -> str:
    """A hash of the manifest's files, names and contents, in order: what the target was built from."""
    digest = hashlib.sha256()
    for path in ddl_files():
        digest.update(path.relative_to(SQL_DIR).as_posix().encode())
        digest.update(path.read_bytes())
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
    for path in ddl_files():
        cur.execute(path.read_text(encoding="utf-8"))
    cur.execute(sql.SQL("COMMENT ON SCHEMA {} IS {}").format(sql.Identifier(TARGET), sql.Literal(version)))


def require_staging(cur: psycopg.Cursor[Any], tables: list[str]) -> None:
    """Fail with what to do when the extract has not run yet."""
    cur.execute(
        "SELECT t FROM unnest(%s::text[]) AS t WHERE to_regclass(format('%%I.%%I', %s::text, t)) IS NULL",
        (tables, STAGING),
    )
    missing = [row[0] for row in cur.fetchall()]
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
