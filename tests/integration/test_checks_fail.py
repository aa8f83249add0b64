"""Every ERROR check can fail: corrupt the target behind the pipeline's back, re-run only the checks. The
checks come from the merged definitions (no list of domains here), and one target corrupted everywhere
fails every ERROR check the definitions declare."""

from collections.abc import Callable
from typing import Any

import dagster as dg
import pytest

from tests.conftest import Migration
from vetmed_pipeline.core.checks import declared_severity
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.definitions import build_defs, defs

pytestmark = pytest.mark.integration


@pytest.fixture
def migrated(migrated_copy: Callable[..., Migration]) -> Migration:
    return migrated_copy("corrupt", scale=40, seed=21)


def _run_checks_by_key(migration: Migration) -> dict[str, Any]:
    """Evaluate every check of the merged definitions against the target as it is now, without
    re-materializing; by 'asset/key:check'."""
    resources = {
        "source": PostgresResource(url=migration.source_url, read_only=True),
        "target": PostgresResource(url=migration.target_url),
    }
    merged = build_defs(resources)
    job = merged.resolve_implicit_global_asset_job_def().get_subset(
        asset_check_selection=set(merged.resolve_asset_graph().asset_check_keys), asset_selection=set()
    )
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    return {f"{e.asset_key.to_user_string()}:{e.check_name}": e for e in result.get_asset_check_evaluations()}


def _run_checks(migration: Migration) -> dict[str, Any]:
    """The same, by 'table:check' (the asset key's last part)."""
    return {
        f"{key.split('/')[-1].split(':')[0]}:{key.split(':')[1]}": evaluation
        for key, evaluation in _run_checks_by_key(migration).items()
    }


def _declared() -> dict[str, str | None]:
    """Every check of the merged definitions and the severity it declares, by 'asset/key:check'."""
    graph = defs.resolve_asset_graph()
    return {
        f"{key.asset_key.to_user_string()}:{key.name}": declared_severity(graph.get_check_spec(key))
        for key in graph.asset_check_keys
    }


def _corrupt(migration: Migration, statement: str) -> None:
    with migration.target() as conn:
        conn.execute("SET session_replication_role = replica")  # skip FK triggers, as a buggy loader might
        conn.execute(statement)


def test_checks_pass_on_an_untouched_target_with_the_severity_they_declare(migrated: Migration) -> None:
    results = _run_checks_by_key(migrated)
    declared = _declared()
    assert set(results) == set(declared)  # every check ran
    failing = {name for name, e in results.items() if not e.passed and e.severity.value == "ERROR"}
    assert failing == set()
    assert {name: e.severity.value for name, e in results.items()} == declared


#: One target damaged everywhere at once (foreign-key triggers off, as a buggy loader might): a row gone from
#: every table, a duplicate key in every partitioned table, a wrong value for every relationship and rule.
EVERYWHERE = [
    *(
        f"DELETE FROM vetmed.{table} WHERE {key} = (SELECT {key} FROM vetmed.{table} ORDER BY {key} LIMIT 1)"  # noqa: S608
        for table, key in [
            ("vetmed_households", "id"),
            ("vetmed_users", "id"),
            ("vetmed_memberships", "id"),
            ("vetmed_animals", "id"),
            ("vetmed_medications", "id"),
            ("vetmed_push_subscriptions", "id"),
            ("vetmed_suggestions", "id"),
            ("vetmed_regimens", "id"),
            ("vetmed_inventory_items", "id"),
            ("vetmed_cosign_requests", "id"),
            ("vetmed_administrations", "id"),
            ("vetmed_audit_log", "id"),
            ("vetmed_animal_allergies", "id"),
            ("vetmed_animal_medical_records", "id"),
        ]
    ),
    # a user whose profile, preferences and emergency contact are gone, but who is still there
    "DELETE FROM vetmed.vetmed_user_profiles WHERE user_id = (SELECT user_id FROM vetmed.vetmed_emergency_contacts ORDER BY user_id DESC LIMIT 1)",
    "DELETE FROM vetmed.vetmed_user_preferences WHERE user_id = (SELECT user_id FROM vetmed.vetmed_emergency_contacts ORDER BY user_id DESC LIMIT 1)",
    "DELETE FROM vetmed.vetmed_emergency_contacts WHERE user_id = (SELECT user_id FROM vetmed.vetmed_emergency_contacts ORDER BY user_id DESC LIMIT 1)",
    "DELETE FROM vetmed.vetmed_notifications WHERE (legacy_table, id) IN (SELECT legacy_table, min(id::text)::uuid FROM vetmed.vetmed_notifications GROUP BY 1)",
    "INSERT INTO vetmed.vetmed_users SELECT id, 'vet', email, name, first_name, last_name, image, email_verified, stack_user_id, created_at, updated_at FROM vetmed.vetmed_users_owners ORDER BY id LIMIT 1",
    "INSERT INTO vetmed.vetmed_administrations SELECT gen_random_uuid(), regimen_id, animal_id, household_id, caregiver_id, caregiver_role, scheduled_for, '2025-09-09', status, source_item_id, site, dose, notes, media_urls, co_sign_user_id, co_sign_user_role, co_signed_at, co_sign_notes, adverse_event, adverse_event_description, idempotency_key, created_at, updated_at FROM vetmed.vetmed_administrations_y2025m03 ORDER BY id LIMIT 1",
    "INSERT INTO vetmed.vetmed_notifications SELECT legacy_table, id, user_id, user_role, household_id, type, title, body, status, priority, read, dismissed, action_url, data, scheduled_for, sent_at, failed_at, error, attempts, read_at, dismissed_at, snoozed_until, '2025-09-09' FROM vetmed.vetmed_notifications_y2025m03 ORDER BY id LIMIT 1",
    "INSERT INTO vetmed.vetmed_audit_log SELECT id, user_id, user_role, household_id, action, resource_type, resource_id, old_values, new_values, details, ip_address, user_agent, session_id, '2025-09-09' FROM vetmed.vetmed_audit_log_y2025m03 ORDER BY id LIMIT 1",
    "UPDATE vetmed.vetmed_notifications SET status = 'sent' WHERE id = (SELECT id FROM vetmed.vetmed_notifications WHERE status = 'delivered' ORDER BY id LIMIT 1)",
    *(
        f"ALTER TABLE vetmed.{table} DETACH PARTITION vetmed.{table}_y2027m01"
        for table in ("vetmed_administrations", "vetmed_notifications", "vetmed_audit_log")
    ),
    "UPDATE vetmed.vetmed_animal_allergies SET source_text = source_text || '!' WHERE id = (SELECT id FROM vetmed.vetmed_animal_allergies ORDER BY id LIMIT 1)",
    "ALTER TABLE vetmed.vetmed_animal_allergies DROP CONSTRAINT animal_allergies_animal_allergen_key, DROP CONSTRAINT animal_allergies_animal_position_key; DROP INDEX vetmed.animal_allergies_active_idx",
    "DELETE FROM vetmed.vetmed_animal_veterinarians WHERE animal_id = (SELECT animal_id FROM vetmed.vetmed_animal_veterinarians ORDER BY animal_id LIMIT 1)",
    "DELETE FROM vetmed.vetmed_species_adjustments WHERE (medication_id, species) = (SELECT medication_id, species FROM vetmed.vetmed_species_adjustments ORDER BY 1, 2 LIMIT 1)",
    "INSERT INTO vetmed.vetmed_species_adjustments SELECT medication_id, ' ' || upper(species), dose_multiplier, max_daily_dose_mg FROM vetmed.vetmed_species_adjustments ORDER BY 1, 2 LIMIT 1",
    "UPDATE vetmed.vetmed_species_adjustments SET dose_multiplier = 1.2 WHERE species = 'dog' AND dose_multiplier <> 1.2",
    "DELETE FROM vetmed.vetmed_dosage_guidelines WHERE age_group = 'all' AND medication_id = (SELECT medication_id FROM vetmed.vetmed_dosage_guidelines ORDER BY 1 LIMIT 1)",
    "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET enable_partition_pruning = off', current_database()); END $$",
    "UPDATE vetmed.migration_state SET snapshot_run_id = 'an-earlier-run' WHERE asset = 'vetmed/vetmed_households'",
]


def test_every_error_check_fails_on_a_target_damaged_everywhere(migrated: Migration) -> None:
    for statement in EVERYWHERE:
        _corrupt(migrated, statement)
    results = _run_checks_by_key(migrated)
    errors = {name for name, severity in _declared().items() if severity == "ERROR"}
    assert len(errors) == 78
    still_passing = {name for name in errors if results[name].passed}
    assert still_passing == set()
    assert all(results[name].severity == dg.AssetCheckSeverity.ERROR for name in errors)


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
