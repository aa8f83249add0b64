"""Where every column of the legacy time-series tables goes (the time-series domain's part of the
normalization registry, core/registry.py): both notification tables into the one notification table."""

from vetmed_pipeline.core.registry import Placement, same

PLACEMENTS: list[Placement] = [
    *same(
        "vetmed_administrations",
        "vetmed_administrations",
        "id regimen_id animal_id household_id caregiver_id "
        "scheduled_for recorded_at status source_item_id site dose notes media_urls co_sign_user_id co_signed_at "
        "co_sign_notes adverse_event adverse_event_description idempotency_key created_at updated_at",
    ),
    *same(
        "vetmed_notifications",
        "vetmed_notifications",
        "id user_id household_id type title message priority "
        "read dismissed action_url data created_at read_at dismissed_at",
        message="body",
    ),
    *same(
        "vetmed_notification_queue",
        "vetmed_notifications",
        "id user_id household_id type title body data "
        "scheduled_for sent_at failed_at error attempts read_at dismissed_at snoozed_until created_at",
    ),
    *same(
        "vetmed_audit_log",
        "vetmed_audit_log",
        "id user_id household_id action resource_type resource_id "
        "old_values new_values details ip_address user_agent session_id timestamp",
    ),
]
