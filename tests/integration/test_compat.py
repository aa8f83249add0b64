"""vetmed_compat views rebuild the legacy rows; the round-trip and checksum checks prove it and fail when a
target value or a quarantined value is lost."""

from collections.abc import Callable

import dagster as dg
import psycopg
import pytest

from tests.conftest import Migration, check_results
from tests.integration.test_checks_fail import _corrupt, _run_checks
from vetmed_pipeline.core import legacy_spec
from vetmed_pipeline.core.target import COMPAT
from vetmed_pipeline.defs.compat.assets import TABLES
from vetmed_pipeline.seed.loader import seed_legacy

pytestmark = pytest.mark.integration


@pytest.fixture
def compared(migrated_copy: Callable[..., Migration]) -> Migration:
    return migrated_copy("compat", scale=60, seed=51)


def test_every_compat_view_has_the_legacy_columns_in_order(migration: Migration) -> None:
    with migration.target() as conn:
        for table in TABLES:
            columns = [
                row[0]
                for row in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'vetmed_compat' "
                    "AND table_name = %s ORDER BY ordinal_position",
                    (table,),
                )
            ]
            assert columns == [column.name for column in legacy_spec.columns(table)], table


def test_round_trip_and_checksums_pass_on_the_demo_data(new_database: Callable[[str], str]) -> None:
    migration = Migration(new_database("rt_src"), new_database("rt_tgt"))
    seed_legacy(migration.source_url, scale=200, seed=7)
    results = check_results(migration.run())
    for table in TABLES:
        for name in ("round_trip_equals_snapshot", "ids_checksum_matches_snapshot"):
            evaluation = results[f"{table}:{name}"]
            assert evaluation.passed, (table, name, {k: v.value for k, v in evaluation.metadata.items()})


def test_compat_users_is_readable_by_the_privacy_role_only(migration: Migration) -> None:
    with migration.target() as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute("SET LOCAL ROLE vetmed_app")
            conn.execute("SELECT emergency_contact_name FROM vetmed_compat.vetmed_users LIMIT 1")
        with conn.transaction():
            conn.execute("SET LOCAL ROLE vetmed_privacy")
            rows = conn.execute(
                "SELECT count(*) FROM vetmed_compat.vetmed_users WHERE emergency_contact_name IS NOT NULL"
            ).fetchone()
        assert rows is not None and rows[0] > 0
        with conn.transaction():
            conn.execute("SET LOCAL ROLE vetmed_app")
            catalog = conn.execute(
                "SELECT count(species_adjustments) FROM vetmed_compat.vetmed_medication_catalog"
            )
            assert (catalog.fetchone() or [0])[0] > 0
        with conn.transaction():  # the rebuild runs with its caller's rights: no contact value for the app
            conn.execute("SET LOCAL ROLE vetmed_app")
            rebuilt = conn.execute(
                "SELECT count(*) FROM vetmed.vetmed_users u WHERE vetmed.with_rejections("
                "NULL, 'vetmed_users', u.id, 'emergency_contact_name') IS NOT NULL"
            ).fetchone()
            assert rebuilt == (0,)
        with conn.transaction():
            conn.execute("SET LOCAL ROLE vetmed_privacy")
            rebuilt = conn.execute(
                "SELECT count(*) FROM vetmed.vetmed_users u WHERE vetmed.with_rejections("
                "NULL, 'vetmed_users', u.id, 'emergency_contact_name') IS NOT NULL"
            ).fetchone()
            assert rebuilt is not None and rebuilt[0] > 0


def _failing(results: dict[str, dg.AssetCheckEvaluation]) -> set[str]:
    return {
        name
        for name, e in results.items()
        if not e.passed
        and e.severity == dg.AssetCheckSeverity.ERROR
        and e.asset_key.path[0] == COMPAT  # the compat views' checks only
    }


def test_a_changed_target_value_fails_that_tables_round_trip(compared: Migration) -> None:
    with compared.target() as conn:
        household = conn.execute("SELECT id FROM vetmed.vetmed_households ORDER BY id LIMIT 1").fetchone()
    assert household is not None
    _corrupt(
        compared,
        "UPDATE vetmed.vetmed_households SET timezone = 'Mars/Olympus' "
        "WHERE id = (SELECT id FROM vetmed.vetmed_households ORDER BY id LIMIT 1)",
    )
    results = _run_checks(compared)
    assert _failing(results) == {"vetmed_households:round_trip_equals_snapshot"}
    metadata = results["vetmed_households:round_trip_equals_snapshot"].metadata
    assert metadata["differing_rows"].value == 1
    assert metadata["differing_ids"].value == str(household[0])
    assert metadata["differences_per_column"].value == {"timezone": 1}


def test_a_lost_quarantine_row_or_target_row_fails_round_trip_and_checksum(compared: Migration) -> None:
    _corrupt(
        compared,
        "DELETE FROM vetmed_quarantine.rejected_values WHERE (legacy_table, legacy_id, legacy_column, path) = "
        "(SELECT legacy_table, legacy_id, legacy_column, path FROM vetmed_quarantine.rejected_values "
        "WHERE legacy_table = 'vetmed_animals' AND legacy_column = 'allergies' ORDER BY legacy_id, path LIMIT 1)",
    )
    _corrupt(
        compared,
        "DELETE FROM vetmed.vetmed_suggestions WHERE id = (SELECT id FROM vetmed.vetmed_suggestions ORDER BY id LIMIT 1)",
    )
    results = _run_checks(compared)
    assert _failing(results) == {
        "vetmed_animals:round_trip_equals_snapshot",
        "vetmed_suggestions:round_trip_equals_snapshot",
        "vetmed_suggestions:ids_checksum_matches_snapshot",
    }
    assert results["vetmed_animals:round_trip_equals_snapshot"].metadata["differences_per_column"].value == {
        "allergies": 1
    }
    assert results["vetmed_suggestions:round_trip_equals_snapshot"].metadata["missing_rows"].value == 1


def test_catalog_documents_round_trip_and_a_lost_piece_fails(compared: Migration) -> None:
    results = _run_checks(compared)
    assert results["vetmed_medication_catalog:round_trip_equals_snapshot"].passed
    _corrupt(
        compared,
        "DELETE FROM vetmed_quarantine.rejected_values WHERE (legacy_id, legacy_column, path) = "
        "(SELECT legacy_id, legacy_column, path FROM vetmed_quarantine.rejected_values "
        "WHERE legacy_table = 'vetmed_medication_catalog' AND legacy_column = 'species_adjustments' "
        "ORDER BY legacy_id, path LIMIT 1)",
    )
    _corrupt(
        compared,
        "UPDATE vetmed.vetmed_route_adjustments SET dose_multiplier = dose_multiplier + 1 "
        "WHERE (medication_id, route) = (SELECT medication_id, route FROM vetmed.vetmed_route_adjustments "
        "WHERE dose_multiplier IS NOT NULL ORDER BY 1, 2 LIMIT 1)",
    )
    results = _run_checks(compared)
    assert _failing(results) == {"vetmed_medication_catalog:round_trip_equals_snapshot"}
    metadata = results["vetmed_medication_catalog:round_trip_equals_snapshot"].metadata
    assert metadata["differences_per_column"].value == {"species_adjustments": 1, "route_adjustments": 1}


def test_the_compat_step_analyzes_what_the_loads_wrote(migration: Migration) -> None:
    """The round trips join views over freshly loaded tables: they get planner statistics first."""
    with migration.target() as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        unanalyzed = conn.execute(
            "SELECT count(*) FROM pg_stat_user_tables WHERE schemaname IN ('vetmed', 'vetmed_quarantine') "
            "AND relname IN ('vetmed_animals', 'vetmed_animal_allergies', 'vetmed_users_owners', "
            "'rejected_values') AND last_analyze IS NULL"
        ).fetchone()
    assert unanalyzed == (0,)
