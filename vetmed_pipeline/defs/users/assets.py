"""Users domain assets. Each reads vetmed_staging, runs named statements of sql/users/load.sql in one
transaction (core.loads) and returns its row counts."""

from typing import Any

import dagster as dg
import psycopg
from psycopg import sql

from vetmed_pipeline.core import quarantine
from vetmed_pipeline.core.db import copy_rows
from vetmed_pipeline.core.keys import staging_key, target_key
from vetmed_pipeline.core.loads import load_step, rows_of
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.defs.users.queries import Load
from vetmed_pipeline.defs.users.rules import parse_reminder_minutes, parse_week_starts_on

GROUP = "users"

ROLE_PARTITIONS = {
    "owner": "vetmed_users_owners",
    "caregiver": "vetmed_users_caregivers",
    "vet": "vetmed_users_vets",
    "unassigned": "vetmed_users_unassigned",
}

HOUSEHOLDS, USERS, PROFILES, PREFERENCES, CONTACTS, MEMBERSHIPS = (
    target_key("vetmed_households"),
    target_key("vetmed_users"),
    target_key("vetmed_user_profiles"),
    target_key("vetmed_user_preferences"),
    target_key("vetmed_emergency_contacts"),
    target_key("vetmed_memberships"),
)
# Other domains' assets, by their table: preferences reference animals (default_animal_id), and every load
# that deletes departed rows runs after the time-series rows they block are gone.
ANIMALS = target_key("vetmed_animals")
DEPARTURES = target_key("departures")


@dg.asset(key=HOUSEHOLDS, group_name=GROUP, deps=[staging_key("vetmed_households"), DEPARTURES])
def vetmed_households(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """Households, carried over 1:1 with their legacy ids."""
    with load_step(context, target, ["vetmed_households"]) as step:
        deleted = Load.delete_missing_households.execute(step.cur)
        written = Load.upsert_households.execute(step.cur)
        result = step.result("vetmed_households", written=written, deleted=deleted)
    context.log.info(f"households: {rows_of(result)} rows ({written} written, {deleted} deleted)")
    return result


@dg.asset(
    key=USERS,
    group_name=GROUP,
    deps=[staging_key("vetmed_users"), staging_key("vetmed_memberships"), DEPARTURES],
)
def vetmed_users(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """Users (identity and auth only), LIST-partitioned by the role derived from their memberships."""
    with load_step(context, target, ["vetmed_users", "vetmed_memberships"]) as step:
        Load.create_user_roles.execute(step.cur)
        Load.defer_user_key_uniqueness.execute(step.cur)
        deleted = Load.delete_missing_users.execute(step.cur)
        moved = Load.move_changed_roles.execute(step.cur)
        written = Load.upsert_users.execute(step.cur)
        per_role = {role: int(n) for role, n in Load.users_per_role.rows(step.cur)}
        result = step.result(
            "vetmed_users",
            written=written,
            deleted=deleted,
            role_changes=moved,
            **{f"rows_{role}": per_role.get(role, 0) for role in ROLE_PARTITIONS},
        )
    context.log.info(
        f"users: {rows_of(result)} rows, {moved} moved to another role partition, {deleted} deleted"
    )
    return result


@dg.asset(key=PROFILES, group_name=GROUP, deps=[USERS])
def vetmed_user_profiles(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """Profile fields (bio, pronouns, links, visibility), 1:1 with users; JSON kept exactly as written."""
    with load_step(context, target, ["vetmed_users"]) as step:
        written = Load.upsert_profiles.execute(step.cur)
        result = step.result("vetmed_user_profiles", written=written)
    context.log.info(f"user profiles: {rows_of(result)} rows ({written} written)")
    return result


def _fill_preference_maps(cur: psycopg.Cursor[Any]) -> None:
    """Parse each distinct legacy value once in Python; the load joins the maps in SQL."""
    Load.create_preference_maps.execute(cur)
    minutes = [
        (raw, *_as_row(parse_reminder_minutes(raw))) for (raw,) in Load.distinct_reminder_minutes.rows(cur)
    ]
    weeks = [(raw, *_as_row(parse_week_starts_on(raw))) for (raw,) in Load.distinct_week_starts_on.rows(cur)]
    copy_rows(cur, sql.Identifier("reminder_minutes_map"), ["raw", "value", "rule"], minutes)
    copy_rows(cur, sql.Identifier("week_starts_on_map"), ["raw", "value", "rule"], weeks)


def _as_row(parsed: Any) -> tuple[int | None, str | None]:
    return parsed.value, parsed.rule


@dg.asset(key=PREFERENCES, group_name=GROUP, deps=[USERS, HOUSEHOLDS, ANIMALS])
def vetmed_user_preferences(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> dg.MaterializeResult:
    """Preferences, 1:1 with users; text minutes become integers, what cannot be typed is quarantined."""
    with load_step(context, target, ["vetmed_users"]) as step:
        quarantine.start(step.cur)
        _fill_preference_maps(step.cur)
        try:
            with step.cur.connection.transaction():
                written = Load.upsert_preferences.execute(step.cur)
        except psycopg.errors.ForeignKeyViolation:
            raise dg.Failure(
                description="user preferences reference animals that are not in vetmed.vetmed_animals yet: "
                "materialize group:animals first (the migrate job does it in order).",
                allow_retries=False,
            ) from None
        Load.validate_default_animal_fk.execute(step.cur)
        Load.reject_preferences.execute(step.cur)
        quarantined = quarantine.record(
            step.cur, step.run_id, "vetmed_users", ["reminder_lead_time_minutes", "week_starts_on"]
        )
        result = step.result("vetmed_user_preferences", written=written, **quarantine.metadata(quarantined))
    context.log.info(f"user preferences: {rows_of(result)} rows, quarantined values by rule: {quarantined}")
    return result


@dg.asset(key=CONTACTS, group_name=GROUP, deps=[USERS])
def vetmed_emergency_contacts(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> dg.MaterializeResult:
    """Emergency contacts (readable only by vetmed_privacy): one row per user with a non-blank name or phone."""
    with load_step(context, target, ["vetmed_users"]) as step:
        quarantine.start(step.cur)
        deleted = Load.delete_stale_emergency_contacts.execute(step.cur)
        written = Load.upsert_emergency_contacts.execute(step.cur)
        Load.reject_blank_contact_fields.execute(step.cur)
        quarantined = quarantine.record(
            step.cur, step.run_id, "vetmed_users", ["emergency_contact_name", "emergency_contact_phone"]
        )
        result = step.result(
            "vetmed_emergency_contacts",
            written=written,
            deleted=deleted,
            quarantined=sum(quarantined.values()),
        )
    context.log.info(
        f"emergency contacts: {rows_of(result)} rows, {sum(quarantined.values())} blank values quarantined"
    )
    return result


@dg.asset(key=MEMBERSHIPS, group_name=GROUP, deps=[USERS, HOUSEHOLDS, staging_key("vetmed_memberships")])
def vetmed_memberships(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """Memberships with the composite user key (user_id, user_role)."""
    with load_step(context, target, ["vetmed_memberships"]) as step:
        deleted = Load.delete_missing_memberships.execute(step.cur)
        Load.defer_membership_uniqueness.execute(step.cur)
        written = Load.upsert_memberships.execute(step.cur)
        result = step.result("vetmed_memberships", written=written, deleted=deleted)
    context.log.info(f"memberships: {rows_of(result)} rows ({written} written, {deleted} deleted)")
    return result


assets = [
    vetmed_households,
    vetmed_users,
    vetmed_user_profiles,
    vetmed_user_preferences,
    vetmed_emergency_contacts,
    vetmed_memberships,
]
