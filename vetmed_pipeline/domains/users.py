"""Users domain: the monolithic legacy user row split into role-partitioned users, profiles, preferences and
emergency contacts, plus households and memberships.

Each asset reads vetmed_staging, runs named statements from sql/transform/users/load.sql in one
transaction and returns row counts; its checks (sql/transform/users/checks.sql) compare the result with
the snapshot.
"""

from typing import Any

import dagster as dg
import psycopg
from psycopg import sql

from vetmed_pipeline import quarantine
from vetmed_pipeline.checks import counts_check, reconciliation_check, scanned_relations
from vetmed_pipeline.db import Queries, copy_rows, ident
from vetmed_pipeline.domains.departures import DEPARTURES
from vetmed_pipeline.domains.extract import staging_key
from vetmed_pipeline.normalize.users import parse_reminder_minutes, parse_week_starts_on
from vetmed_pipeline.resources import PostgresResource
from vetmed_pipeline.target import TARGET, count, ensure_target_schema, require_staging

GROUP = "users"
LOAD = Queries("transform/users/load.sql")
CHECKS = Queries("transform/users/checks.sql")

ROLE_PARTITIONS = {
    "owner": "vetmed_users_owners",
    "caregiver": "vetmed_users_caregivers",
    "vet": "vetmed_users_vets",
    "unassigned": "vetmed_users_unassigned",
}


def key(table: str) -> dg.AssetKey:
    return dg.AssetKey([TARGET, table])


HOUSEHOLDS, USERS, PROFILES, PREFERENCES, CONTACTS, MEMBERSHIPS = (
    key("vetmed_households"),
    key("vetmed_users"),
    key("vetmed_user_profiles"),
    key("vetmed_user_preferences"),
    key("vetmed_emergency_contacts"),
    key("vetmed_memberships"),
)


def _prepare(cur: psycopg.Cursor[Any], staging_tables: list[str]) -> None:
    require_staging(cur, staging_tables)
    ensure_target_schema(cur)


@dg.asset(key=HOUSEHOLDS, group_name=GROUP, deps=[staging_key("vetmed_households"), DEPARTURES])
def vetmed_households(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """Households, carried over 1:1 with their legacy ids."""
    with target.transaction() as cur:
        _prepare(cur, ["vetmed_households"])
        deleted = LOAD.execute(cur, "delete_missing_households")
        written = LOAD.execute(cur, "upsert_households")
        rows = count(cur, TARGET, "vetmed_households")
    context.log.info(f"households: {rows} rows ({written} written, {deleted} deleted)")
    return dg.MaterializeResult(metadata={"dagster/row_count": rows, "written": written, "deleted": deleted})


@dg.asset(
    key=USERS,
    group_name=GROUP,
    deps=[staging_key("vetmed_users"), staging_key("vetmed_memberships"), DEPARTURES],
)
def vetmed_users(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """Users (identity and auth only), LIST-partitioned by the role derived from their memberships."""
    with target.transaction() as cur:
        _prepare(cur, ["vetmed_users", "vetmed_memberships"])
        LOAD.execute(cur, "create_user_roles")
        LOAD.execute(cur, "defer_user_key_uniqueness")
        deleted = LOAD.execute(cur, "delete_missing_users")
        moved = LOAD.execute(cur, "move_changed_roles")
        written = LOAD.execute(cur, "upsert_users")
        per_role = {role: int(n) for role, n in LOAD.rows(cur, "users_per_role")}
    rows = sum(per_role.values())
    context.log.info(f"users: {rows} rows, {moved} moved to another role partition, {deleted} deleted")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "written": written,
            "deleted": deleted,
            "role_changes": moved,
            **{f"rows_{role}": per_role.get(role, 0) for role in ROLE_PARTITIONS},
        }
    )


@dg.asset(key=PROFILES, group_name=GROUP, deps=[USERS])
def vetmed_user_profiles(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """Profile fields (bio, pronouns, links, visibility), 1:1 with users; JSON kept exactly as written."""
    with target.transaction() as cur:
        _prepare(cur, ["vetmed_users"])
        written = LOAD.execute(cur, "upsert_profiles")
        rows = count(cur, TARGET, "vetmed_user_profiles")
    context.log.info(f"user profiles: {rows} rows ({written} written)")
    return dg.MaterializeResult(metadata={"dagster/row_count": rows, "written": written})


def _fill_preference_maps(cur: psycopg.Cursor[Any]) -> None:
    """Parse each distinct legacy value once in Python; the load joins the maps in SQL."""
    LOAD.execute(cur, "create_preference_maps")
    minutes = [
        (raw, *_as_row(parse_reminder_minutes(raw))) for (raw,) in LOAD.rows(cur, "distinct_reminder_minutes")
    ]
    weeks = [
        (raw, *_as_row(parse_week_starts_on(raw))) for (raw,) in LOAD.rows(cur, "distinct_week_starts_on")
    ]
    copy_rows(cur, sql.Identifier("reminder_minutes_map"), ["raw", "value", "rule"], minutes)
    copy_rows(cur, sql.Identifier("week_starts_on_map"), ["raw", "value", "rule"], weeks)


def _as_row(parsed: Any) -> tuple[int | None, str | None]:
    return parsed.value, parsed.rule


#: Preferences reference animals (default_animal_id); the key is spelled here to keep the import one-way.
ANIMALS = key("vetmed_animals")


@dg.asset(key=PREFERENCES, group_name=GROUP, deps=[USERS, HOUSEHOLDS, ANIMALS])
def vetmed_user_preferences(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> dg.MaterializeResult:
    """Preferences, 1:1 with users; text minutes become integers, what cannot be typed is quarantined."""
    with target.transaction() as cur:
        _prepare(cur, ["vetmed_users"])
        quarantine.start(cur)
        _fill_preference_maps(cur)
        try:
            with cur.connection.transaction():
                written = LOAD.execute(cur, "upsert_preferences")
        except psycopg.errors.ForeignKeyViolation:
            raise dg.Failure(
                description="user preferences reference animals that are not in vetmed.vetmed_animals yet: "
                "materialize group:animals first (the migrate job does it in order).",
                allow_retries=False,
            ) from None
        LOAD.execute(cur, "validate_default_animal_fk")
        LOAD.execute(cur, "reject_preferences")
        quarantined = quarantine.record(
            cur, context.run_id, "vetmed_users", ["reminder_lead_time_minutes", "week_starts_on"]
        )
        rows = count(cur, TARGET, "vetmed_user_preferences")
    context.log.info(f"user preferences: {rows} rows, quarantined values by rule: {quarantined}")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "written": written,
            "quarantined": sum(quarantined.values()),
            **{f"quarantined_{rule}": n for rule, n in quarantined.items()},
        }
    )


@dg.asset(key=CONTACTS, group_name=GROUP, deps=[USERS])
def vetmed_emergency_contacts(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> dg.MaterializeResult:
    """Emergency contacts (readable only by vetmed_privacy): one row per user with a non-blank name or phone."""
    with target.transaction() as cur:
        _prepare(cur, ["vetmed_users"])
        quarantine.start(cur)
        deleted = LOAD.execute(cur, "delete_stale_emergency_contacts")
        written = LOAD.execute(cur, "upsert_emergency_contacts")
        LOAD.execute(cur, "reject_blank_contact_fields")
        quarantined = quarantine.record(
            cur, context.run_id, "vetmed_users", ["emergency_contact_name", "emergency_contact_phone"]
        )
        rows = count(cur, TARGET, "vetmed_emergency_contacts")
    context.log.info(f"emergency contacts: {rows} rows, {sum(quarantined.values())} blank values quarantined")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "written": written,
            "deleted": deleted,
            "quarantined": sum(quarantined.values()),
        }
    )


@dg.asset(key=MEMBERSHIPS, group_name=GROUP, deps=[USERS, HOUSEHOLDS, staging_key("vetmed_memberships")])
def vetmed_memberships(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """Memberships with the composite user key (user_id, user_role)."""
    with target.transaction() as cur:
        _prepare(cur, ["vetmed_memberships"])
        deleted = LOAD.execute(cur, "delete_missing_memberships")
        LOAD.execute(cur, "defer_membership_uniqueness")
        written = LOAD.execute(cur, "upsert_memberships")
        rows = count(cur, TARGET, "vetmed_memberships")
    context.log.info(f"memberships: {rows} rows ({written} written, {deleted} deleted)")
    return dg.MaterializeResult(metadata={"dagster/row_count": rows, "written": written, "deleted": deleted})


# --- checks ---------------------------------------------------------------------------------------------


@dg.asset_check(
    asset=USERS,
    description="Emails equal after trimming and lower-casing (legal in the legacy schema, worth a look). "
    "Reports counts only, never addresses.",
)
def emails_unique_ignoring_case_and_spaces(target: PostgresResource) -> dg.AssetCheckResult:
    with target.transaction() as cur:
        found = CHECKS.counts(cur, "emails_equal_ignoring_case")
    return dg.AssetCheckResult(
        passed=found["groups"] == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"duplicate_groups": found["groups"], "users_in_groups": found["users"]},
    )


@dg.asset_check(
    asset=USERS,
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
        passed=wrong == 0,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={f"scans_{k}": v for k, v in scanned.items()},
    )


assets = [
    vetmed_households,
    vetmed_users,
    vetmed_user_profiles,
    vetmed_user_preferences,
    vetmed_emergency_contacts,
    vetmed_memberships,
]
asset_checks = [
    reconciliation_check(HOUSEHOLDS, "vetmed_households", "vetmed_households"),
    reconciliation_check(USERS, "vetmed_users", "vetmed_users"),
    reconciliation_check(PROFILES, "vetmed_users", "vetmed_user_profiles", "user_id"),
    reconciliation_check(PREFERENCES, "vetmed_users", "vetmed_user_preferences", "user_id"),
    reconciliation_check(MEMBERSHIPS, "vetmed_memberships", "vetmed_memberships"),
    counts_check(
        MEMBERSHIPS,
        "membership_relationships_present",
        CHECKS,
        "membership_relationships",
        "Every legacy membership is present with the same user, household and role, and its user and "
        "household exist in the target.",
        must_be_zero=["missing", "changed", "without_user", "without_household"],
        blocking=True,
    ),
    counts_check(
        USERS,
        "user_roles_match_memberships",
        CHECKS,
        "user_roles",
        "Each user's role, recomputed from the extracted memberships, equals the role partition it is stored "
        "under.",
        must_be_zero=["missing", "wrong_role"],
        blocking=True,
    ),
    counts_check(
        USERS,
        "user_keys_unique_across_partitions",
        CHECKS,
        "user_keys_unique",
        "id, exact email and stack_user_id are unique across all role partitions (a partitioned unique index "
        "only covers one partition).",
        blocking=True,
    ),
    emails_unique_ignoring_case_and_spaces,
    role_filter_prunes_to_one_partition,
    counts_check(
        CONTACTS,
        "emergency_contacts_complete",
        CHECKS,
        "emergency_contacts",
        "Every legacy user with a non-blank emergency contact name or phone has a contact row with those "
        "values, and no other user has one.",
        must_be_zero=["missing", "changed", "unexpected"],
    ),
    counts_check(
        PREFERENCES,
        "preference_values_accounted",
        CHECKS,
        "preference_values_accounted",
        "Every legacy reminder_lead_time_minutes and week_starts_on value is typed in preferences or "
        "quarantined with its exact raw value; legacy NULLs stay NULL.",
        must_be_zero=["without_row", "lost", "typed_and_quarantined", "null_not_kept"],
    ),
]
