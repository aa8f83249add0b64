"""Re-runs: same rows, role changes move rows (never copy them), the quarantine keeps its history."""

from collections.abc import Callable

import pytest

from tests.conftest import Migration, check_results
from vetmed_pipeline.seed.generator import generate
from vetmed_pipeline.seed.loader import seed_legacy

pytestmark = pytest.mark.integration

SCALE, SEED = 60, 13
TRAPS = generate(SCALE, SEED).traps


@pytest.fixture(scope="module")
def rerun(new_database: Callable[[str], str]) -> Migration:
    migration = Migration(new_database("rerun_src"), new_database("rerun_tgt"))
    seed_legacy(migration.source_url, scale=SCALE, seed=SEED)
    assert migration.run().success
    return migration


def _snapshot(migration: Migration) -> dict[str, list[tuple[object, ...]]]:
    with migration.target() as conn:
        return {
            "users": conn.execute("SELECT id, role, email FROM vetmed.vetmed_users ORDER BY id").fetchall(),
            "contacts": conn.execute("SELECT * FROM vetmed.vetmed_emergency_contacts ORDER BY id").fetchall(),
            "memberships": conn.execute("SELECT * FROM vetmed.vetmed_memberships ORDER BY id").fetchall(),
            "quarantine": conn.execute(
                "SELECT legacy_id, legacy_column, path, raw_value, rule, first_run_id FROM "
                "vetmed_quarantine.rejected_values ORDER BY 1, 2, 3"
            ).fetchall(),
        }


def test_second_run_changes_nothing_and_duplicates_nothing(rerun: Migration) -> None:
    before = _snapshot(rerun)
    result = rerun.run()
    assert result.success
    assert _snapshot(rerun) == before  # same ids (contacts' derived ids included), same first_run_id
    with rerun.target() as conn:
        last_runs = conn.execute(
            "SELECT DISTINCT last_run_id FROM vetmed_quarantine.rejected_values"
        ).fetchall()
    assert last_runs == [(result.run_id,)]


def test_role_change_moves_the_row_and_cascades(rerun: Migration) -> None:
    user_id = TRAPS["several_membership_roles"][0]
    with rerun.source() as source:  # the test plays the legacy application
        source.execute("DELETE FROM vetmed_memberships WHERE user_id = %s AND role = 'OWNER'", (user_id,))
    result = rerun.run()
    assert result.success
    with rerun.target() as conn:
        rows = conn.execute(
            "SELECT tableoid::regclass::text, role FROM vetmed.vetmed_users WHERE id = %s", (user_id,)
        ).fetchall()
        member_roles = conn.execute(
            "SELECT DISTINCT user_role FROM vetmed.vetmed_memberships WHERE user_id = %s", (user_id,)
        ).fetchall()
        profile_role = conn.execute(
            "SELECT user_role FROM vetmed.vetmed_user_profiles WHERE user_id = %s", (user_id,)
        ).fetchone()
    assert rows == [("vetmed.vetmed_users_caregivers", "caregiver")]
    assert member_roles == [("caregiver",)]
    assert profile_role == ("caregiver",)
    materialization = result.asset_materializations_for_node("vetmed__vetmed_users")[0]
    assert materialization.metadata["role_changes"].value == 1
    assert check_results(result)["vetmed_users:user_roles_match_memberships"].passed


def test_a_value_fixed_in_the_source_leaves_the_quarantine(rerun: Migration) -> None:
    user_id = TRAPS["reminder_minutes_with_unit"][0]
    with rerun.source() as source:
        source.execute("UPDATE vetmed_users SET reminder_lead_time_minutes = '20' WHERE id = %s", (user_id,))
    assert rerun.run().success
    with rerun.target() as conn:
        quarantined = conn.execute(
            "SELECT raw_value, resolved_at IS NOT NULL FROM vetmed_quarantine.rejected_values "
            "WHERE legacy_id = %s AND legacy_column = 'reminder_lead_time_minutes'",
            (user_id,),
        ).fetchall()
        minutes = conn.execute(
            "SELECT reminder_lead_time_minutes FROM vetmed.vetmed_user_preferences WHERE user_id = %s",
            (user_id,),
        ).fetchone()
    assert quarantined == [("15 min", True)]  # kept for history, marked resolved
    assert minutes == (20,)


def test_a_user_deleted_in_the_source_is_deleted_with_its_rows(rerun: Migration) -> None:
    with rerun.source() as source:  # the legacy application signs a user up, with a contact and a membership
        row = source.execute(
            "INSERT INTO vetmed_users (email, emergency_contact_name, emergency_contact_phone) "
            "VALUES ('new.user@example.com', 'Pat Example', '555 0100') RETURNING id"
        ).fetchone()
        assert row is not None
        user_id = row[0]
        source.execute(
            "INSERT INTO vetmed_memberships (user_id, household_id, role) "
            "SELECT %s, id, 'OWNER' FROM vetmed_households ORDER BY id LIMIT 1",
            (user_id,),
        )
    assert rerun.run().success
    leftovers = (
        "SELECT (SELECT count(*) FROM vetmed.vetmed_users WHERE id = %(u)s) + "
        "(SELECT count(*) FROM vetmed.vetmed_emergency_contacts WHERE user_id = %(u)s) + "
        "(SELECT count(*) FROM vetmed.vetmed_memberships WHERE user_id = %(u)s) + "
        "(SELECT count(*) FROM vetmed.vetmed_user_preferences WHERE user_id = %(u)s)"
    )
    with rerun.target() as conn:
        assert conn.execute(leftovers, {"u": user_id}).fetchone() == (4,)
    with rerun.source() as source:  # ... and deletes them again (memberships cascade in the legacy schema)
        source.execute("DELETE FROM vetmed_users WHERE id = %s", (user_id,))
    assert rerun.run().success
    with rerun.target() as conn:
        assert conn.execute(leftovers, {"u": user_id}).fetchone() == (0,)


def test_memberships_that_swap_households_between_runs(rerun: Migration) -> None:
    with rerun.source() as source:  # two memberships of one user trade their households
        pair = source.execute(
            "SELECT user_id, array_agg(id ORDER BY id), array_agg(household_id ORDER BY id) FROM vetmed_memberships "
            "GROUP BY user_id HAVING count(*) >= 2 ORDER BY user_id LIMIT 1"
        ).fetchone()
        assert pair is not None
        _, (first, second, *_), (home_a, home_b, *_) = pair
        source.execute(
            "ALTER TABLE vetmed_memberships DROP CONSTRAINT vetmed_memberships_user_id_household_id_unique"
        )
        source.execute("UPDATE vetmed_memberships SET household_id = %s WHERE id = %s", (home_b, first))
        source.execute("UPDATE vetmed_memberships SET household_id = %s WHERE id = %s", (home_a, second))
        source.execute(
            "ALTER TABLE vetmed_memberships ADD CONSTRAINT vetmed_memberships_user_id_household_id_unique "
            "UNIQUE (user_id, household_id)"
        )
    result = rerun.run()
    assert result.success
    with rerun.target() as conn:
        moved = conn.execute(
            "SELECT household_id FROM vetmed.vetmed_memberships WHERE id = ANY(%s) ORDER BY id",
            ([first, second],),
        ).fetchall()
    assert moved == [(home_b,), (home_a,)]
    assert check_results(result)["vetmed_memberships:membership_relationships_present"].passed


def test_an_email_that_moves_to_another_user_between_runs(rerun: Migration) -> None:
    with rerun.source() as source:  # user a takes a new address, user b takes a's old one
        a, b = (
            row[0] for row in source.execute("SELECT id FROM vetmed_users ORDER BY id LIMIT 2").fetchall()
        )
        row = source.execute("SELECT email FROM vetmed_users WHERE id = %s", (a,)).fetchone()
        assert row is not None
        source.execute("UPDATE vetmed_users SET email = 'renamed.' || email WHERE id = %s", (a,))
        source.execute("UPDATE vetmed_users SET email = %s WHERE id = %s", (row[0], b))
    result = rerun.run()
    assert result.success
    emails = "SELECT id, email FROM {} WHERE id = ANY(%s) ORDER BY id"
    with rerun.target() as conn, rerun.source() as source:
        migrated = conn.execute(emails.format("vetmed.vetmed_users"), ([a, b],)).fetchall()
        assert migrated == source.execute(emails.format("vetmed_users"), ([a, b],)).fetchall()
    assert check_results(result)["vetmed_users:user_keys_unique_across_partitions"].passed
