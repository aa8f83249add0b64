"""Where every column of the carried-over legacy tables goes (the carried domain's part of the
normalization registry, core/registry.py): each to the same column of its target table."""

from vetmed_pipeline.core.registry import Placement, same

PLACEMENTS: list[Placement] = [
    *same(
        "vetmed_inventory_items",
        "vetmed_inventory_items",
        "id household_id medication_id assigned_animal_id "
        "brand_override concentration lot expires_on storage quantity_units units_remaining unit_type opened_on "
        "in_use barcode purchase_date purchase_price supplier notes created_at updated_at deleted_at",
    ),
    *same(
        "vetmed_regimens",
        "vetmed_regimens",
        "id animal_id medication_id name instructions schedule_type "
        "times_local interval_hours start_date end_date prn_reason max_daily_doses cutoff_minutes high_risk "
        "requires_co_sign active paused_at pause_reason dose route created_at updated_at deleted_at",
    ),
    *same(
        "vetmed_push_subscriptions",
        "vetmed_push_subscriptions",
        "id user_id endpoint p256dh_key auth_key "
        "user_agent device_name is_active last_used created_at updated_at",
    ),
    *same(
        "vetmed_suggestions",
        "vetmed_suggestions",
        "id household_id type summary rationale priority "
        "estimated_impact status action original_values applied_at applied_by_user_id reverted_at "
        "reverted_by_user_id dismissed_at dismissed_by_user_id expires_at created_at updated_at",
    ),
    *same(
        "vetmed_cosign_requests",
        "vetmed_cosign_requests",
        "id administration_id requester_id cosigner_id "
        "household_id status signature rejection_reason signed_at created_at expires_at updated_at",
    ),
]
