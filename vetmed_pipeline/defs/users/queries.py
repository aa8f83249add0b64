"""Named statements of sql/users/: every name declared here exists there (checked on import)."""

from vetmed_pipeline.core.db import SqlFile, Statement


class Load(SqlFile, path="users/load.sql"):
    delete_missing_households: Statement
    upsert_households: Statement
    create_user_roles: Statement
    defer_user_key_uniqueness: Statement
    delete_missing_users: Statement
    move_changed_roles: Statement
    upsert_users: Statement
    users_per_role: Statement
    upsert_profiles: Statement
    distinct_reminder_minutes: Statement
    distinct_week_starts_on: Statement
    create_preference_maps: Statement
    upsert_preferences: Statement
    reject_preferences: Statement
    delete_stale_emergency_contacts: Statement
    upsert_emergency_contacts: Statement
    reject_blank_contact_fields: Statement
    delete_missing_memberships: Statement
    defer_membership_uniqueness: Statement
    upsert_memberships: Statement
    validate_default_animal_fk: Statement


class Checks(SqlFile, path="users/checks.sql"):
    membership_relationships: Statement
    user_roles: Statement
    user_keys_unique: Statement
    emails_equal_ignoring_case: Statement
    emergency_contacts: Statement
    preference_values_accounted: Statement
