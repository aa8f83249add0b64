"""Where every column of legacy vetmed_users, vetmed_households and vetmed_memberships goes (the users
domain's part of the normalization registry, core/registry.py)."""

from __future__ import annotations

from vetmed_pipeline.core.registry import Normalization, Placement, same
from vetmed_pipeline.defs.users.rules import parse_reminder_minutes


def _integer_text(value: str | None) -> str | None:
    if value is None:
        return None
    parsed = parse_reminder_minutes(value)
    return value if parsed.value is None else str(parsed.value)


TEXT_TO_INTEGER = Normalization(
    "text_to_integer",
    "text holding a whole number, surrounding white space trimmed, becomes an integer (rebuilt as its "
    "digits: ' 015 ' and '15' are the same value); any other text is quarantined and rebuilt exactly",
    _integer_text,
)

_USERS = "vetmed_users"
_PREFERENCES = "vetmed_user_preferences"

PLACEMENTS: list[Placement] = [
    # split into users (by role), profiles, preferences, emergency contacts
    *same(
        _USERS,
        "vetmed_users",
        "id stack_user_id email name image email_verified created_at updated_at first_name last_name",
    ),
    *same(
        _USERS,
        _PREFERENCES,
        "preferred_timezone preferred_phone_number use_24_hour_time temperature_unit weight_unit "
        "email_reminders sms_reminders push_notifications onboarding_complete onboarding_completed_at "
        "preferences_backup week_starts_on default_household_id default_animal_id theme",
    ),
    Placement(
        _USERS, "reminder_lead_time_minutes", _PREFERENCES, "reminder_lead_time_minutes", TEXT_TO_INTEGER
    ),
    Placement(_USERS, "emergency_contact_name", "vetmed_emergency_contacts", "name"),
    Placement(_USERS, "emergency_contact_phone", "vetmed_emergency_contacts", "phone"),
    *same(
        _USERS,
        "vetmed_user_profiles",
        "bio pronouns location website social_links profile_data profile_visibility profile_completed_at",
    ),
    *same("vetmed_households", "vetmed_households", "id name timezone created_at updated_at"),
    *same("vetmed_memberships", "vetmed_memberships", "id user_id household_id role created_at updated_at"),
]
