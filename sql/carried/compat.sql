-- Compat views of the carried domain's legacy tables (see sql/compat/ddl.sql). Idempotent: CREATE OR
-- REPLACE, the column lists are the legacy ones and never change.

CREATE OR REPLACE VIEW vetmed_compat.vetmed_inventory_items WITH (security_invoker = true) AS
SELECT id, household_id, medication_id, assigned_animal_id, brand_override, concentration, lot, expires_on, storage,
       quantity_units, units_remaining, unit_type, opened_on, in_use, barcode, purchase_date, purchase_price,
       supplier, notes, created_at, updated_at, deleted_at
FROM vetmed.vetmed_inventory_items;

CREATE OR REPLACE VIEW vetmed_compat.vetmed_regimens WITH (security_invoker = true) AS
SELECT id, animal_id, medication_id, name, instructions, schedule_type, times_local, interval_hours, start_date,
       end_date, prn_reason, max_daily_doses, cutoff_minutes, high_risk, requires_co_sign, active, paused_at,
       pause_reason, dose, route, created_at, updated_at, deleted_at
FROM vetmed.vetmed_regimens;

CREATE OR REPLACE VIEW vetmed_compat.vetmed_push_subscriptions WITH (security_invoker = true) AS
SELECT id, user_id, endpoint, p256dh_key, auth_key, user_agent, device_name, is_active, last_used, created_at,
       updated_at
FROM vetmed.vetmed_push_subscriptions;

CREATE OR REPLACE VIEW vetmed_compat.vetmed_suggestions WITH (security_invoker = true) AS
SELECT id, household_id, type, summary, rationale, priority, estimated_impact, status, action, original_values,
       applied_at, applied_by_user_id, reverted_at, reverted_by_user_id, dismissed_at, dismissed_by_user_id,
       expires_at, created_at, updated_at
FROM vetmed.vetmed_suggestions;

CREATE OR REPLACE VIEW vetmed_compat.vetmed_cosign_requests WITH (security_invoker = true) AS
SELECT id, administration_id, requester_id, cosigner_id, household_id, status, signature, rejection_reason,
       signed_at, created_at, expires_at, updated_at
FROM vetmed.vetmed_cosign_requests;

GRANT SELECT ON vetmed_compat.vetmed_inventory_items, vetmed_compat.vetmed_regimens,
    vetmed_compat.vetmed_push_subscriptions, vetmed_compat.vetmed_suggestions, vetmed_compat.vetmed_cosign_requests
    TO :app_role;
