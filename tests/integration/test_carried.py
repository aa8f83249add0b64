"""Push subscriptions and suggestions: carried over with composite user keys and legacy ON DELETE rules."""

from collections.abc import Callable

import pytest

from tests.conftest import Migration
from tests.integration.test_checks_fail import _corrupt, _run_checks

pytestmark = pytest.mark.integration


@pytest.fixture
def carried(migrated_copy: Callable[..., Migration]) -> Migration:
    return migrated_copy("carried", scale=60, seed=31)


def test_rows_and_user_roles_are_carried(migration: Migration) -> None:
    with migration.target() as conn:
        for table in ("vetmed_push_subscriptions", "vetmed_suggestions"):
            target, staged = conn.execute(
                f"SELECT (SELECT count(*) FROM vetmed.{table}), (SELECT count(*) FROM vetmed_staging.{table})"  # noqa: S608
            ).fetchone() or (None, None)
            assert target == staged and staged
        wrong_roles = conn.execute(
            "SELECT count(*) FROM vetmed.vetmed_push_subscriptions p JOIN vetmed.vetmed_users u ON u.id = p.user_id "
            "WHERE u.role <> p.user_role"
        ).fetchone()
        applied = conn.execute(
            "SELECT count(*) FILTER (WHERE applied_by_user_id IS NOT NULL AND applied_by_user_role IS NOT NULL) "
            "FROM vetmed.vetmed_suggestions"
        ).fetchone()
    assert wrong_roles == (0,)
    assert applied is not None and applied[0] > 0


def test_a_role_change_and_a_deleted_user_follow_the_legacy_rules(carried: Migration) -> None:
    with carried.target() as conn:
        row = conn.execute(
            "SELECT s.applied_by_user_id FROM vetmed.vetmed_suggestions s WHERE s.applied_by_user_id IS NOT NULL "
            "ORDER BY s.id LIMIT 1"
        ).fetchone()
    assert row is not None
    user_id = row[0]
    with carried.source() as source:  # the user loses every membership, then is deleted
        source.execute("DELETE FROM vetmed_memberships WHERE user_id = %s", (user_id,))
    assert carried.run().success
    with carried.target() as conn:
        roles = conn.execute(
            "SELECT DISTINCT applied_by_user_role FROM vetmed.vetmed_suggestions WHERE applied_by_user_id = %s",
            (user_id,),
        ).fetchall()
    assert roles == [("unassigned",)]  # ON UPDATE CASCADE followed the move to the DEFAULT partition
    with carried.source() as source:
        for statement in (
            "DELETE FROM vetmed_administrations WHERE caregiver_id = %(u)s OR co_sign_user_id = %(u)s",
            "DELETE FROM vetmed_audit_log WHERE user_id = %(u)s",
            "DELETE FROM vetmed_notification_queue WHERE user_id = %(u)s",
            "DELETE FROM vetmed_users WHERE id = %(u)s",
        ):
            source.execute(statement, {"u": user_id})
    assert carried.run().success
    with carried.target() as conn:
        left = conn.execute(
            "SELECT (SELECT count(*) FROM vetmed.vetmed_suggestions WHERE applied_by_user_id = %(u)s "
            "OR applied_by_user_role IS NOT NULL AND applied_by_user_id IS NULL), "
            "(SELECT count(*) FROM vetmed.vetmed_push_subscriptions WHERE user_id = %(u)s)",
            {"u": user_id},
        ).fetchone()
    assert left == (0, 0)  # SET NULL on both key columns; subscriptions deleted with their user


def test_lost_or_changed_rows_fail_the_checks(carried: Migration) -> None:
    _corrupt(
        carried,
        "DELETE FROM vetmed.vetmed_push_subscriptions WHERE id = (SELECT id FROM vetmed.vetmed_push_subscriptions "
        "ORDER BY id LIMIT 1); UPDATE vetmed.vetmed_suggestions SET household_id = (SELECT id FROM "
        "vetmed.vetmed_households ORDER BY id DESC LIMIT 1) WHERE id = (SELECT id FROM vetmed.vetmed_suggestions "
        "ORDER BY id LIMIT 1)",
    )
    results = _run_checks(carried)
    assert not results["vetmed_push_subscriptions:rows_reconcile_with_source"].passed
    assert results["vetmed_push_subscriptions:push_subscription_users_present"].metadata["missing"].value == 1
    assert results["vetmed_suggestions:suggestion_relationships_present"].metadata["changed"].value == 1


def test_regimens_and_inventory_are_carried_as_they_were(migration: Migration) -> None:
    with migration.target() as conn:
        for table, columns in (
            (
                "vetmed_regimens",
                "id, animal_id, medication_id, schedule_type::text, times_local, route, start_date",
            ),
            (
                "vetmed_inventory_items",
                "id, household_id, medication_id, assigned_animal_id, storage::text, expires_on",
            ),
        ):
            target = conn.execute(f"SELECT {columns} FROM vetmed.{table} ORDER BY id").fetchall()  # noqa: S608
            staged = conn.execute(f"SELECT {columns} FROM vetmed_staging.{table} ORDER BY id").fetchall()  # noqa: S608
            assert target == staged and target


def test_a_medication_removed_with_its_dependents_leaves_the_target(carried: Migration) -> None:
    with carried.source() as source:  # the legacy app removes a drug: administrations, regimens, stock first
        row = source.execute(
            "SELECT medication_id FROM vetmed_regimens GROUP BY medication_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
        assert row is not None
        medication = row[0]
        source.execute(
            "DELETE FROM vetmed_administrations WHERE regimen_id IN (SELECT id FROM vetmed_regimens "
            "WHERE medication_id = %(m)s) OR source_item_id IN (SELECT id FROM vetmed_inventory_items "
            "WHERE medication_id = %(m)s)",
            {"m": medication},
        )
        source.execute("DELETE FROM vetmed_regimens WHERE medication_id = %s", (medication,))
        source.execute("DELETE FROM vetmed_inventory_items WHERE medication_id = %s", (medication,))
        source.execute("DELETE FROM vetmed_medication_catalog WHERE id = %s", (medication,))
    result = carried.run()
    assert result.success
    with carried.target() as conn:
        left = conn.execute(
            "SELECT (SELECT count(*) FROM vetmed.vetmed_medications WHERE id = %(m)s) + "
            "(SELECT count(*) FROM vetmed.vetmed_regimens WHERE medication_id = %(m)s) + "
            "(SELECT count(*) FROM vetmed.vetmed_inventory_items WHERE medication_id = %(m)s)",
            {"m": medication},
        ).fetchone()
    assert left == (0,)


def test_a_regimen_pointing_elsewhere_fails_its_check(carried: Migration) -> None:
    _corrupt(
        carried,
        "UPDATE vetmed.vetmed_regimens SET medication_id = (SELECT id FROM vetmed.vetmed_medications "
        "WHERE id <> (SELECT medication_id FROM vetmed.vetmed_regimens ORDER BY id LIMIT 1) ORDER BY id LIMIT 1) "
        "WHERE id = (SELECT id FROM vetmed.vetmed_regimens ORDER BY id LIMIT 1)",
    )
    results = _run_checks(carried)
    assert results["vetmed_regimens:regimen_relationships_present"].metadata["changed"].value == 1
    assert results["vetmed_inventory_items:inventory_relationships_present"].passed
