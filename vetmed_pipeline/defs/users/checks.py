"""Users domain checks: the target compared with the extracted snapshot (sql/users/checks.sql)."""

import dagster as dg
from psycopg import sql

from vetmed_pipeline.core.checks import (
    ERROR,
    WARN,
    asset_check,
    counts_check,
    reconciliation_check,
    scanned_relations,
)
from vetmed_pipeline.core.db import ident
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.core.target import TARGET
from vetmed_pipeline.defs.users.assets import (
    CONTACTS,
    HOUSEHOLDS,
    MEMBERSHIPS,
    PREFERENCES,
    PROFILES,
    ROLE_PARTITIONS,
    USERS,
)
from vetmed_pipeline.defs.users.queries import Checks


@asset_check(
    USERS,
    severity=WARN,
    description="Emails equal after trimming and lower-casing (legal in the legacy schema, worth a look). "
    "Reports counts only, never addresses.",
)
def emails_unique_ignoring_case_and_spaces(target: PostgresResource) -> dg.AssetCheckResult:
    with target.transaction() as cur:
        found = Checks.emails_equal_ignoring_case.counts(cur)
    return dg.AssetCheckResult(
        passed=found["groups"] == 0,
        severity=WARN,
        metadata={"duplicate_groups": found["groups"], "users_in_groups": found["users"]},
    )


@asset_check(
    USERS,
    description="EXPLAIN of a query filtered on one role scans exactly that role's partition, for every role.",
)
def role_filter_prunes_to_one_partition(target: PostgresResource) -> dg.AssetCheckResult:
    scanned: dict[str, str] = {}
    wrong = 0
    with target.transaction() as cur:
        for role, partition in ROLE_PARTITIONS.items():
            query = sql.SQL("SELECT * FROM {} WHERE role = {}").format(
                ident(TARGET, "vetmed_users"), sql.Literal(role)
            )
            relations = scanned_relations(cur, query)
            scanned[role] = ", ".join(relations)
            wrong += relations != [partition]
    return dg.AssetCheckResult(
        passed=wrong == 0, severity=ERROR, metadata={f"scans_{k}": v for k, v in scanned.items()}
    )


asset_checks = [
    reconciliation_check(HOUSEHOLDS, "vetmed_households", "vetmed_households"),
    reconciliation_check(USERS, "vetmed_users", "vetmed_users"),
    reconciliation_check(PROFILES, "vetmed_users", "vetmed_user_profiles", "user_id"),
    reconciliation_check(PREFERENCES, "vetmed_users", "vetmed_user_preferences", "user_id"),
    reconciliation_check(MEMBERSHIPS, "vetmed_memberships", "vetmed_memberships"),
    counts_check(
        MEMBERSHIPS,
        "membership_relationships_present",
        Checks.membership_relationships,
        "Every legacy membership is present with the same user, household and role, and its user and "
        "household exist in the target.",
        must_be_zero=["missing", "changed", "without_user", "without_household"],
        blocking=True,
    ),
    counts_check(
        USERS,
        "user_roles_match_memberships",
        Checks.user_roles,
        "Each user's role, recomputed from the extracted memberships, equals the role partition it is stored "
        "under.",
        must_be_zero=["missing", "wrong_role"],
        blocking=True,
    ),
    counts_check(
        USERS,
        "user_keys_unique_across_partitions",
        Checks.user_keys_unique,
        "id, exact email and stack_user_id are unique across all role partitions (a partitioned unique index "
        "only covers one partition).",
        blocking=True,
    ),
    emails_unique_ignoring_case_and_spaces,
    role_filter_prunes_to_one_partition,
    counts_check(
        CONTACTS,
        "emergency_contacts_complete",
        Checks.emergency_contacts,
        "Every legacy user with a non-blank emergency contact name or phone has a contact row with those "
        "values, and no other user has one.",
        must_be_zero=["missing", "changed", "unexpected"],
    ),
    counts_check(
        PREFERENCES,
        "preference_values_accounted",
        Checks.preference_values_accounted,
        "Every legacy reminder_lead_time_minutes and week_starts_on value is typed in preferences or "
        "quarantined with its exact raw value; legacy NULLs stay NULL.",
        must_be_zero=["without_row", "lost", "typed_and_quarantined", "null_not_kept"],
    ),
]
