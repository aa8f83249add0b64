"""Checks run before any work: reachable servers, PostgreSQL 15+, and a source shaped like the legacy schema.

Both the CLI (before it hands over to Dagster) and the extract asset call these, so a drifted source stops
with a readable list of differences instead of failing halfway through a COPY.
"""

from __future__ import annotations

from typing import Any

import psycopg

from vetmed_pipeline.core import legacy_spec
from vetmed_pipeline.core.db import connect, require_min_version
from vetmed_pipeline.core.environment import SOURCE_URL, TARGET_URL
from vetmed_pipeline.core.errors import PipelineError

SOURCE_SCHEMA = "public"
#: How the demo seeder marks the databases it made (vetmed_pipeline/seed/loader.py).
DEMO_MARKER = "vetmed-pipeline demo legacy database"

_CATALOG = """
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = %(schema)s AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
  AND c.relname = ANY(%(tables)s)
ORDER BY c.relname, a.attnum
"""


def source_catalog(conn: psycopg.Connection[Any]) -> dict[str, dict[str, str]]:
    """{table: {column: type}} of the legacy tables present in the source."""
    catalog: dict[str, dict[str, str]] = {}
    rows = conn.execute(_CATALOG, {"schema": SOURCE_SCHEMA, "tables": legacy_spec.table_names()}).fetchall()
    for table, column, type_name in rows:
        catalog.setdefault(table, {})[column] = type_name.removeprefix(f"{SOURCE_SCHEMA}.")
    return catalog


def check_source_catalog(conn: psycopg.Connection[Any]) -> None:
    """Raise a PipelineError listing every difference between the source and the legacy schema."""
    catalog = source_catalog(conn)
    if not catalog:
        raise PipelineError(
            f"the source database has none of the {len(legacy_spec.table_names())} legacy VetMed tables in schema "
            f"'{SOURCE_SCHEMA}': check {SOURCE_URL}, or build a demo source with `vetmed-pipeline seed-legacy`"
        )
    differences = legacy_spec.compare_catalog(catalog)
    if differences:
        listing = "; ".join(differences)
        raise PipelineError(
            f"the source schema differs from the legacy schema in {len(differences)} place(s): {listing}. "
            "Nothing was extracted; migrate a source that matches sql/legacy/spec.json."
        )


def writable_legacy_tables(conn: psycopg.Connection[Any]) -> list[str]:
    """The legacy tables the source user could change (INSERT, UPDATE, DELETE or TRUNCATE). The migration
    only reads, and every session is READ ONLY; but a session can switch that off, a role cannot."""
    demo = conn.execute(
        "SELECT coalesce(shobj_description(oid, 'pg_database'), '') LIKE %s FROM pg_database "
        "WHERE datname = current_database()",
        (f"{DEMO_MARKER}%",),
    ).fetchone()
    if demo and demo[0]:
        return []  # a demo database the seeder made (and writes): no application's data at stake
    rows = conn.execute(
        "SELECT t FROM unnest(%s::text[]) AS t WHERE has_table_privilege(format('%%I.%%I', %s::text, t), "
        "'INSERT, UPDATE, DELETE, TRUNCATE')",
        (legacy_spec.table_names(), SOURCE_SCHEMA),
    ).fetchall()
    return [str(row[0]) for row in rows]


def source_warning(tables: list[str]) -> str | None:
    if not tables:
        return None
    return (
        f"warning: the source user may write to {len(tables)} of the {len(legacy_spec.table_names())} legacy "
        "tables; the migration never does, but give it a role with SELECT only (README, Configuration)"
    )


def check_source(url: str) -> tuple[int, str | None]:
    """Reachable and legacy-shaped (any version the legacy app ran on). Returns the server version and a
    warning when the source user could write."""
    with connect(url, SOURCE_URL, read_only=True) as conn:
        version = conn.info.server_version
        check_source_catalog(conn)
        warning = source_warning(writable_legacy_tables(conn))
        conn.rollback()
    return version, warning


def check_target(url: str) -> int:
    """Reachable and 15+. Returns the server version."""
    with connect(url, TARGET_URL) as conn:
        version = require_min_version(conn, TARGET_URL)
        conn.rollback()
    return version
