"""sql/legacy/schema.sql builds exactly the schema the spec lists: columns, enums, keys, indexes."""

from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from vetmed_pipeline.core import legacy_spec
from vetmed_pipeline.core.db import connect, run_script
from vetmed_pipeline.core.paths import LEGACY_SCHEMA_SQL

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def legacy(new_database: Callable[[str], str]) -> Any:
    url = new_database("schema")
    with connect(url, "legacy") as conn:
        run_script(conn, LEGACY_SCHEMA_SQL)
        conn.commit()
    conn = connect(url, "legacy", autocommit=True)
    yield conn
    conn.close()


def test_columns_types_nullability_and_defaults(legacy: psycopg.Connection[Any]) -> None:
    rows = legacy.execute(
        """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid)
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY c.relname, a.attnum
        """
    ).fetchall()
    actual = {
        (t, col): (legacy_spec.canonical_type(typ), nullable, default)
        for t, col, typ, nullable, default in rows
    }
    expected = {
        (t, c.name): (legacy_spec.canonical_type(c.type), c.nullable, c.default)
        for t in legacy_spec.table_names()
        for c in legacy_spec.columns(t)
    }
    assert actual == expected


def test_enums_with_their_sort_order(legacy: psycopg.Connection[Any]) -> None:
    rows = legacy.execute(
        "SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_type t "
        "JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname"
    ).fetchall()
    assert dict(rows) == legacy_spec.enums()


def test_foreign_keys_names_columns_and_on_delete(legacy: psycopg.Connection[Any]) -> None:
    rows = legacy.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, a.attname, c.confrelid::regclass::text, f.attname,
               c.confdeltype, c.confupdtype
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1]
        WHERE c.contype = 'f'
        """
    ).fetchall()
    actions = {"a": "NO ACTION", "c": "CASCADE", "n": "SET NULL"}
    actual = {(t, name, col, ref, rcol, actions[d]) for t, name, col, ref, rcol, d, u in rows}
    assert all(u == "a" for *_, u in rows)
    expected = {
        (t, fk["name"], fk["column"], fk["references"], fk["ref_column"], fk["on_delete"])
        for t in legacy_spec.table_names()
        for fk in legacy_spec.spec()["tables"][t]["foreign_keys"]
    }
    assert actual == expected


def test_unique_constraints_and_indexes(legacy: psycopg.Connection[Any]) -> None:
    uniques = legacy.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'u' "
        "AND connamespace = 'public'::regnamespace"
    ).fetchall()
    expected_uniques = {
        (t, u["name"]) for t in legacy_spec.table_names() for u in legacy_spec.spec()["tables"][t]["uniques"]
    }
    assert set(uniques) == expected_uniques
    indexes = legacy.execute(
        """
        SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
          AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))
        """
    ).fetchall()
    expected_indexes = {
        (t, i["name"]) for t in legacy_spec.table_names() for i in legacy_spec.spec()["tables"][t]["indexes"]
    }
    assert {(t, name) for t, name, _ in indexes} == expected_indexes
    definitions = {name: definition for _, name, definition in indexes}
    assert definitions["notification_created_at_idx"].endswith("(created_at DESC NULLS LAST)")
    assert definitions["audit_timestamp_idx"].endswith('("timestamp")')


def test_no_check_constraints_and_uuid_primary_keys(legacy: psycopg.Connection[Any]) -> None:
    assert legacy.execute(
        "SELECT count(*) FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace"
    ).fetchone() == (0,)
    primary = legacy.execute(
        "SELECT count(*) FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid "
        "AND a.attnum = c.conkey[1] WHERE c.contype = 'p' AND a.attname = 'id' AND cardinality(c.conkey) = 1"
    ).fetchone()
    assert primary == (14,)
