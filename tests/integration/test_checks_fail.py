"""Every ERROR check can fail: corrupt the target behind the pipeline's back, re-run only the checks."""

from collections.abc import Callable
from typing import Any

import dagster as dg
import pytest

from tests.conftest import Migration
from vetmed_pipeline.definitions import build_defs
from vetmed_pipeline.domains import animals, carried, compat, medications, timeseries, users
from vetmed_pipeline.resources import PostgresResource
from vetmed_pipeline.seed.loader import seed_legacy

pytestmark = pytest.mark.integration


@pytest.fixture
def migrated(new_database: Callable[[str], str]) -> Migration:
    migration = Migration(new_database("corrupt_src"), new_database("corrupt_tgt"))
    seed_legacy(migration.source_url, scale=40, seed=21)
    assert migration.run().success
    return migration


def _run_checks(migration: Migration) -> dict[str, Any]:
    """Evaluate every domain's checks against the target as it is now, without re-materializing."""
    resources = {
        "source": PostgresResource(url=migration.source_url, read_only=True),
        "target": PostgresResource(url=migration.target_url),
    }
    defs = build_defs(resources)
    job = defs.resolve_implicit_global_asset_job_def().get_subset(
        asset_check_selection={
            check
            for c in [
                *users.asset_checks,
                *animals.asset_checks,
                *medications.asset_checks,
                *carried.asset_checks,
                *timeseries.asset_checks,
                *compat.asset_checks,
            ]
            for check in c.check_keys
        },
        asset_selection=set(),
    )
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    return {f"{e.asset_key.path[-1]}:{e.check_name}": e for e in result.get_asset_check_evaluations()}


def _corrupt(migration: Migration, statement: str) -> None:
    with migration.target() as conn:
        conn.execute("SET session_replication_role = replica")  # skip FK triggers, as a buggy loader might
        conn.execute(statement)


def test_checks_pass_on_an_untouched_target(migrated: Migration) -> None:
    results = _run_checks(migrated)
    failing = {name for name, e in results.items() if not e.passed and e.severity.value == "ERROR"}
    assert failing == set()


def test_a_lost_membership_fails_reconciliation_and_relationships(migrated: Migration) -> None:
    _corrupt(
        migrated,
        "DELETE FROM vetmed.vetmed_memberships WHERE id = (SELECT id FROM vetmed.vetmed_memberships ORDER BY id LIMIT 1)",
    )
    results = _run_checks(migrated)
    assert not results["vetmed_memberships:rows_reconcile_with_source"].passed
    relationships = results["vetmed_memberships:membership_relationships_present"]
    assert not relationships.passed and relationships.metadata["missing"].value == 1


def test_a_user_under_the_wrong_role_fails_the_role_check(migrated: Migration) -> None:
    _corrupt(
        migrated,
        "UPDATE vetmed.vetmed_users SET role = 'vet' WHERE id = (SELECT id FROM vetmed.vetmed_users_owners ORDER BY id LIMIT 1)",
    )
    results = _run_checks(migrated)
    check = results["vetmed_users:user_roles_match_memberships"]
    assert not check.passed and check.metadata["wrong_role"].value == 1


def test_a_user_in_two_partitions_fails_global_uniqueness(migrated: Migration) -> None:
    _corrupt(
        migrated,
        "INSERT INTO vetmed.vetmed_users SELECT id, 'vet', email, name, first_name, last_name, image, "
        "email_verified, stack_user_id, created_at, updated_at FROM vetmed.vetmed_users_owners LIMIT 1",
    )
    check = _run_checks(migrated)["vetmed_users:user_keys_unique_across_partitions"]
    assert not check.passed
    assert check.metadata["duplicate_ids"].value == 1
    assert check.metadata["duplicate_emails"].value == 1


def test_a_missing_emergency_contact_fails_its_check(migrated: Migration) -> None:
    _corrupt(
        migrated,
        "DELETE FROM vetmed.vetmed_emergency_contacts WHERE id = (SELECT id FROM vetmed.vetmed_emergency_contacts ORDER BY id LIMIT 1)",
    )
    check = _run_checks(migrated)["vetmed_emergency_contacts:emergency_contacts_complete"]
    assert not check.passed and check.metadata["missing"].value == 1


def test_a_lost_quarantine_row_fails_the_preference_accounting(migrated: Migration) -> None:
    _corrupt(
        migrated,
        "DELETE FROM vetmed_quarantine.rejected_values WHERE (legacy_id, legacy_column) = "
        "(SELECT legacy_id, legacy_column FROM vetmed_quarantine.rejected_values "
        " WHERE legacy_column = 'reminder_lead_time_minutes' ORDER BY legacy_id LIMIT 1)",
    )
    check = _run_checks(migrated)["vetmed_user_preferences:preference_values_accounted"]
    assert not check.passed and check.metadata["lost"].value == 1


def test_a_server_that_does_not_prune_fails_the_pruning_check(migrated: Migration) -> None:
    _corrupt(
        migrated,
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET enable_partition_pruning = off', current_database()); END $$",
    )
    check = _run_checks(migrated)["vetmed_users:role_filter_prunes_to_one_partition"]
    assert not check.passed
    assert check.metadata["scans_owner"].value.count("vetmed_users_") == 4
