-- Compat views of the time-series domain's legacy tables (see sql/compat/ddl.sql). Idempotent: CREATE OR
-- REPLACE, the column lists are the legacy ones and never change.

CREATE OR REPLACE VIEW vetmed_compat.vetmed_administrations WITH (security_invoker = true) AS
SELECT id, regimen_id, animal_id, household_id, caregiver_id, scheduled_for, recorded_at, status, source_item_id,
       site, dose, notes, media_urls, co_sign_user_id, co_signed_at, co_sign_notes, adverse_event,
       adverse_event_description, idempotency_key, created_at, updated_at
FROM vetmed.vetmed_administrations;

CREATE OR REPLACE VIEW vetmed_compat.vetmed_notifications WITH (security_invoker = true) AS
SELECT id, user_id, household_id, type, title, body AS message, priority, read, dismissed, action_url, data,
       created_at, read_at, dismissed_at
FROM vetmed.vetmed_notifications
WHERE legacy_table = 'vetmed_notifications';

CREATE OR REPLACE VIEW vetmed_compat.vetmed_notification_queue WITH (security_invoker = true) AS
SELECT id, user_id, household_id, type, title, body, data, scheduled_for, sent_at, failed_at, error, attempts,
       read_at, dismissed_at, snoozed_until, created_at
FROM vetmed.vetmed_notifications
WHERE legacy_table = 'vetmed_notification_queue';

CREATE OR REPLACE VIEW vetmed_compat.vetmed_audit_log WITH (security_invoker = true) AS
SELECT id, user_id, household_id, action, resource_type, resource_id, old_values, new_values, details, ip_address,
       user_agent, session_id, "timestamp"
FROM vetmed.vetmed_audit_log;

GRANT SELECT ON vetmed_compat.vetmed_administrations, vetmed_compat.vetmed_notifications,
    vetmed_compat.vetmed_notification_queue, vetmed_compat.vetmed_audit_log TO :app_role;
