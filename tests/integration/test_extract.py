"""Extract: one snapshot of every legacy table into vetmed_staging; preflight stops on a drifted source."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Migration
from vetmed_pipeline.core import legacy_spec
from vetmed_pipeline.seed.loader import count_rows, seed_legacy

pytestmark = pytest.mark.integration

_SOURCE_FINGERPRINT = """
SELECT md5(string_agg(md5(t::text), '' ORDER BY t.id)) FROM {} t
"""


def _fingerprints(conn: Any) -> dict[str, str]:
    from psycopg import sql

    result = {}
    for table in legacy_spec.table_names():
        row = conn.execute(sql.SQL(_SOURCE_FINGERPRINT).format(sql.Identifier("public", table))).fetchone()
        result[table] = row[0]
    return result


def test_staging_holds_every_source_row_and_the_snapshot_time(migration: Migration) -> None:
    source_counts = count_rows(migration.source_url)
    with migration.target() as conn:
        for table, rows in source_counts.items():
            assert conn.execute(f"SELECT count(*) FROM vetmed_staging.{table}").fetchone() == (rows,)  # noqa: S608
        snapshot = conn.execute("SELECT run_id, snapshot_at FROM vetmed_staging.snapshot").fetchall()
    assert len(snapshot) == 1


def test_staging_values_equal_the_source_values(migration: Migration) -> None:
    with migration.source() as source, migration.target() as target:
        source_rows = source.execute(
            "SELECT id, reminder_lead_time_minutes, social_links, email FROM vetmed_users"
        ).fetchall()
        staged = target.execute(
            "SELECT id, reminder_lead_time_minutes, social_links, email FROM vetmed_staging.vetmed_users"
        ).fetchall()
    assert sorted(source_rows, key=lambda r: r[0]) == sorted(staged, key=lambda r: r[0])


def test_migration_never_writes_to_the_source(new_database: Callable[[str], str]) -> None:
    source_url = new_database("ro_source")
    seed_legacy(source_url, scale=40, seed=11)
    migration = Migration(source_url, new_database("ro_target"))
    with migration.source() as conn:
        before = _fingerprints(conn)
        writes_before = conn.execute(
            "SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_user_tables"
        ).fetchone()
    assert migration.run().success
    with migration.source() as conn:
        assert _fingerprints(conn) == before
        conn.execute("SELECT pg_stat_clear_snapshot()")
        writes_after = conn.execute(
            "SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_user_tables"
        ).fetchone()
    assert writes_after == writes_before


def _failure_text(result: Any) -> str:
    return " ".join(
        str(event.message) + str(getattr(event.event_specific_data, "error", ""))
        for event in result.all_events
        if event.is_failure
    )


def test_drifted_source_stops_before_extracting_with_a_readable_list(
    new_database: Callable[[str], str],
) -> None:
    source_url = new_database("drift")
    seed_legacy(source_url, scale=30, seed=2)
    migration = Migration(source_url, new_database("drift_target"))
    with migration.source() as conn:
        conn.execute("ALTER TABLE vetmed_users DROP COLUMN bio")
        conn.execute("ALTER TABLE vetmed_animals ALTER COLUMN weight_kg TYPE numeric(8,3)")
    result = migration.run()
    assert not result.success
    text = _failure_text(result)
    assert "vetmed_users.bio is missing (expected text)" in text
    assert "vetmed_animals.weight_kg is numeric(8,3), expected numeric(5,2)" in text
    with migration.target() as conn:
        assert conn.execute("SELECT to_regclass('vetmed_staging.vetmed_users')").fetchone() == (None,)


def test_source_without_legacy_tables_says_what_to_do(new_database: Callable[[str], str]) -> None:
    migration = Migration(new_database("empty"), new_database("empty_target"))
    result = migration.run()
    assert not result.success
    assert "none of the 14 legacy VetMed tables" in _failure_text(result)
