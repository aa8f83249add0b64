"""The normalization registry: for every legacy column, where its value goes and the one documented
normalization (if any) applied on the way. Nothing else may change a value.

The round-trip checks read this registry: they compare each extracted legacy value with the value the
``vetmed_compat`` view rebuilds, after applying the column's normalization to both sides. A column
without an entry, or an entry without a legacy column, fails the unit tests.

Every placement may also send a value to ``vetmed_quarantine.rejected_values`` (with its rule); the
compat views rebuild those values from there, exactly.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from vetmed_pipeline.normalize.animals import (
    normalize_clinic,
    normalize_email,
    normalize_person_name,
    phone_digits,
)
from vetmed_pipeline.normalize.medications import to_number, to_route
from vetmed_pipeline.normalize.users import parse_reminder_minutes


@dataclass(frozen=True)
class Normalization:
    name: str
    description: str
    #: Applied to the legacy value and to the rebuilt value (both as text, None for NULL) before they are
    #: compared; None means they must be equal exactly.
    apply: Callable[[str | None], Any] | None = None


def _integer_text(value: str | None) -> str | None:
    if value is None:
        return None
    parsed = parse_reminder_minutes(value)
    return value if parsed.value is None else str(parsed.value)


EXACT = Normalization("exact", "kept exactly as written (text, numbers, timestamps, booleans, JSON, arrays)")
TEXT_TO_INTEGER = Normalization(
    "text_to_integer",
    "text holding a whole number, surrounding white space trimmed, becomes an integer (rebuilt as its "
    "digits: ' 015 ' and '15' are the same value); any other text is quarantined and rebuilt exactly",
    _integer_text,
)
VET_NAME = Normalization(
    "vet_canonical_name",
    "the de-duplicated veterinarian's canonical spelling: equal when title, punctuation, case and spacing "
    "aside they are the same name",
    normalize_person_name,
)
VET_PHONE = Normalization(
    "vet_canonical_phone",
    "the de-duplicated veterinarian's canonical phone: equal when their digits are (a leading US country "
    "code 1 aside)",
    phone_digits,
)
VET_EMAIL = Normalization(
    "vet_canonical_email",
    "the de-duplicated veterinarian's canonical email: equal ignoring case and surrounding spaces",
    normalize_email,
)
VET_CLINIC = Normalization(
    "vet_canonical_clinic",
    "the de-duplicated veterinarian's canonical clinic spelling: equal ignoring case, punctuation and spacing",
    normalize_clinic,
)


def _document(value: str | None) -> Any:
    """A catalog document as the parser reads it: numbers (and numeric strings) as decimals, route names in
    contraindicatedRoutes as route labels; everything else as it is."""
    if value is None:
        return "SQL NULL"  # not JSON null: the two stay apart
    return ("json", _read(json.loads(value, parse_float=Decimal), in_routes=False))


def _read(value: Any, *, in_routes: bool) -> Any:
    if isinstance(value, dict):
        return {key: _read(item, in_routes=key == "contraindicatedRoutes") for key, item in value.items()}
    if isinstance(value, list):
        return [_read(item, in_routes=in_routes) for item in value]
    if isinstance(value, str) and in_routes:
        return to_route(value) or value
    if isinstance(value, bool) or value is None:
        return value
    number, rule = to_number(value)
    return number if rule is None else value


MEDICATION_DOCUMENT = Normalization(
    "medication_document",
    'a catalog JSON document compared as the parser reads it: numeric strings are numbers ("0.8" = 0.8), '
    "route names in contraindicatedRoutes are route labels ('iv', 'PO' = IV, ORAL); keys, structure and every "
    "other value exactly",
    _document,
)

NORMALIZATIONS = {
    n.name: n
    for n in (EXACT, TEXT_TO_INTEGER, VET_NAME, VET_PHONE, VET_EMAIL, VET_CLINIC, MEDICATION_DOCUMENT)
}


@dataclass(frozen=True)
class Placement:
    legacy_table: str
    legacy_column: str
    #: where the value lives in the target: "vetmed.<table>.<column>" (or a short description)
    target: str
    normalization: Normalization = EXACT


def _same(table: str, target_table: str, columns: str, **renamed: str) -> list[Placement]:
    """Columns carried 1:1 (same name unless renamed) into one target table."""
    return [
        Placement(table, column, f"vetmed.{target_table}.{renamed.get(column, column)}")
        for column in columns.split()
    ]


_USERS = "vetmed_users"
_P = "vetmed_user_preferences"
_PR = "vetmed_user_profiles"
_A = "vetmed_animals"
_M = "vetmed_medication_catalog"

PLACEMENTS: list[Placement] = [
    # users: split into users (by role), profiles, preferences, emergency contacts
    *_same(
        _USERS,
        "vetmed_users",
        "id stack_user_id email name image email_verified created_at updated_at first_name last_name",
    ),
    *_same(
        _USERS,
        _P,
        "preferred_timezone preferred_phone_number use_24_hour_time temperature_unit weight_unit "
        "email_reminders sms_reminders push_notifications onboarding_complete onboarding_completed_at "
        "preferences_backup week_starts_on default_household_id default_animal_id theme",
    ),
    Placement(
        _USERS, "reminder_lead_time_minutes", f"vetmed.{_P}.reminder_lead_time_minutes", TEXT_TO_INTEGER
    ),
    Placement(_USERS, "emergency_contact_name", "vetmed.vetmed_emergency_contacts.name"),
    Placement(_USERS, "emergency_contact_phone", "vetmed.vetmed_emergency_contacts.phone"),
    *_same(
        _USERS,
        _PR,
        "bio pronouns location website social_links profile_data profile_visibility profile_completed_at",
    ),
    *_same("vetmed_households", "vetmed_households", "id name timezone created_at updated_at"),
    *_same("vetmed_memberships", "vetmed_memberships", "id user_id household_id role created_at updated_at"),
    # animals: vet columns to de-duplicated veterinarians, arrays to rows
    *_same(
        _A,
        _A,
        "id household_id name species breed sex neutered dob weight_kg microchip_id color photo_url "
        "timezone notes created_at updated_at deleted_at",
    ),
    Placement(_A, "vet_name", "vetmed.vetmed_veterinarians.name (via vetmed_animal_veterinarians)", VET_NAME),
    Placement(
        _A, "vet_phone", "vetmed.vetmed_veterinarians.phone (via vetmed_animal_veterinarians)", VET_PHONE
    ),
    Placement(
        _A, "vet_email", "vetmed.vetmed_veterinarians.email (via vetmed_animal_veterinarians)", VET_EMAIL
    ),
    Placement(
        _A,
        "clinic_name",
        "vetmed.vetmed_veterinarians.clinic_name (via vetmed_animal_veterinarians)",
        VET_CLINIC,
    ),
    Placement(_A, "allergies", "vetmed.vetmed_animal_allergies.source_text by position (+ allergy_elements)"),
    Placement(
        _A,
        "conditions",
        "vetmed.vetmed_animal_medical_records.source_text by position (+ condition_elements)",
    ),
    # medication catalog: core facts, guidelines, documents as rows
    *_same(
        _M,
        "vetmed_medications",
        "id generic_name brand_name strength route form controlled_substance "
        "common_dosing warnings created_at updated_at concentration_mg_ml units_per_tablet unit_type",
    ),
    *_same(
        _M,
        "vetmed_dosage_guidelines",
        "dosage_min_mg_kg dosage_max_mg_kg dosage_typical_mg_kg "
        "max_daily_dose_mg typical_frequency_hours max_frequency_per_day",
    ),
    Placement(
        _M, "species_adjustments", "vetmed.vetmed_species_adjustments (one row per key)", MEDICATION_DOCUMENT
    ),
    Placement(
        _M, "route_adjustments", "vetmed.vetmed_route_adjustments (one row per key)", MEDICATION_DOCUMENT
    ),
    Placement(
        _M, "age_adjustments", "vetmed.vetmed_dosage_guidelines (one row per age group)", MEDICATION_DOCUMENT
    ),
    Placement(
        _M,
        "breed_considerations",
        "vetmed.vetmed_breed_considerations (one row per key)",
        MEDICATION_DOCUMENT,
    ),
    Placement(_M, "contraindications", "vetmed.vetmed_medication_contraindications by position"),
    # carried over with their keys
    *_same(
        "vetmed_inventory_items",
        "vetmed_inventory_items",
        "id household_id medication_id assigned_animal_id "
        "brand_override concentration lot expires_on storage quantity_units units_remaining unit_type opened_on "
        "in_use barcode purchase_date purchase_price supplier notes created_at updated_at deleted_at",
    ),
    *_same(
        "vetmed_regimens",
        "vetmed_regimens",
        "id animal_id medication_id name instructions schedule_type "
        "times_local interval_hours start_date end_date prn_reason max_daily_doses cutoff_minutes high_risk "
        "requires_co_sign active paused_at pause_reason dose route created_at updated_at deleted_at",
    ),
    *_same(
        "vetmed_push_subscriptions",
        "vetmed_push_subscriptions",
        "id user_id endpoint p256dh_key auth_key "
        "user_agent device_name is_active last_used created_at updated_at",
    ),
    *_same(
        "vetmed_suggestions",
        "vetmed_suggestions",
        "id household_id type summary rationale priority "
        "estimated_impact status action original_values applied_at applied_by_user_id reverted_at "
        "reverted_by_user_id dismissed_at dismissed_by_user_id expires_at created_at updated_at",
    ),
    # time series
    *_same(
        "vetmed_administrations",
        "vetmed_administrations",
        "id regimen_id animal_id household_id caregiver_id "
        "scheduled_for recorded_at status source_item_id site dose notes media_urls co_sign_user_id co_signed_at "
        "co_sign_notes adverse_event adverse_event_description idempotency_key created_at updated_at",
    ),
    *_same(
        "vetmed_cosign_requests",
        "vetmed_cosign_requests",
        "id administration_id requester_id cosigner_id "
        "household_id status signature rejection_reason signed_at created_at expires_at updated_at",
    ),
    *_same(
        "vetmed_notifications",
        "vetmed_notifications",
        "id user_id household_id type title message priority "
        "read dismissed action_url data created_at read_at dismissed_at",
        message="body",
    ),
    *_same(
        "vetmed_notification_queue",
        "vetmed_notifications",
        "id user_id household_id type title body data "
        "scheduled_for sent_at failed_at error attempts read_at dismissed_at snoozed_until created_at",
    ),
    *_same(
        "vetmed_audit_log",
        "vetmed_audit_log",
        "id user_id household_id action resource_type resource_id "
        "old_values new_values details ip_address user_agent session_id timestamp",
    ),
]

REGISTRY: dict[tuple[str, str], Placement] = {}
for _placement in PLACEMENTS:
    _key = (_placement.legacy_table, _placement.legacy_column)
    if _key in REGISTRY:
        raise ValueError(f"{_key} is placed twice in the registry")
    REGISTRY[_key] = _placement


def placement(table: str, column: str) -> Placement:
    return REGISTRY[(table, column)]
