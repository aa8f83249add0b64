-- Carried-over tables: copied with their legacy ids; user references take the user's current role.

-- name: delete_missing_push_subscriptions
DELETE FROM vetmed.vetmed_push_subscriptions t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_push_subscriptions s WHERE s.id = t.id);

-- name: defer_endpoint_uniqueness
SET CONSTRAINTS vetmed.vetmed_push_subscriptions_endpoint_key DEFERRED;

-- name: upsert_push_subscriptions
INSERT INTO vetmed.vetmed_push_subscriptions AS t
    (id, user_id, user_role, endpoint, p256dh_key, auth_key, user_agent, device_name, is_active, last_used,
     created_at, updated_at)
SELECT n.*
FROM (
    SELECT s.id, s.user_id, u.role, s.endpoint, s.p256dh_key, s.auth_key, s.user_agent, s.device_name, s.is_active,
           s.last_used, s.created_at, s.updated_at
    FROM vetmed_staging.vetmed_push_subscriptions s
    JOIN vetmed.vetmed_users u ON u.id = s.user_id
) AS n (id, user_id, user_role, endpoint, p256dh_key, auth_key, user_agent, device_name, is_active,
        last_used, created_at, updated_at)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_push_subscriptions o WHERE o.id = n.id
                  AND (o.user_id, o.user_role, o.endpoint, o.p256dh_key, o.auth_key, o.user_agent,
                       o.device_name, o.is_active, o.last_used, o.created_at, o.updated_at)
                      IS NOT DISTINCT FROM (n.user_id, n.user_role, n.endpoint, n.p256dh_key, n.auth_key,
                                            n.user_agent, n.device_name, n.is_active, n.last_used,
                                            n.created_at, n.updated_at))
ON CONFLICT (id) DO UPDATE
SET user_id = EXCLUDED.user_id, user_role = EXCLUDED.user_role, endpoint = EXCLUDED.endpoint,
    p256dh_key = EXCLUDED.p256dh_key, auth_key = EXCLUDED.auth_key, user_agent = EXCLUDED.user_agent,
    device_name = EXCLUDED.device_name, is_active = EXCLUDED.is_active, last_used = EXCLUDED.last_used,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at
WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*);

-- name: delete_missing_suggestions
DELETE FROM vetmed.vetmed_suggestions t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_suggestions s WHERE s.id = t.id);

-- name: upsert_suggestions
INSERT INTO vetmed.vetmed_suggestions AS t
    (id, household_id, type, summary, rationale, priority, estimated_impact, status, action, original_values,
     applied_at, applied_by_user_id, applied_by_user_role, reverted_at, reverted_by_user_id,
     reverted_by_user_role, dismissed_at, dismissed_by_user_id, dismissed_by_user_role, expires_at,
     created_at, updated_at)
SELECT n.*
FROM (
    SELECT s.id, s.household_id, s.type, s.summary, s.rationale, s.priority, s.estimated_impact,
           s.status::vetmed.vetmed_suggestion_status, s.action, s.original_values,
           s.applied_at, s.applied_by_user_id, ua.role, s.reverted_at, s.reverted_by_user_id, ur.role,
           s.dismissed_at, s.dismissed_by_user_id, ud.role, s.expires_at, s.created_at, s.updated_at
    FROM vetmed_staging.vetmed_suggestions s
    LEFT JOIN vetmed.vetmed_users ua ON ua.id = s.applied_by_user_id
    LEFT JOIN vetmed.vetmed_users ur ON ur.id = s.reverted_by_user_id
    LEFT JOIN vetmed.vetmed_users ud ON ud.id = s.dismissed_by_user_id
) AS n (id, household_id, type, summary, rationale, priority, estimated_impact, status, action,
        original_values, applied_at, applied_by_user_id, applied_by_user_role, reverted_at,
        reverted_by_user_id, reverted_by_user_role, dismissed_at, dismissed_by_user_id,
        dismissed_by_user_role, expires_at, created_at, updated_at)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_suggestions o WHERE o.id = n.id
                  AND (o.household_id, o.type, o.summary, o.rationale, o.priority, o.estimated_impact,
                       o.status, o.action, o.original_values, o.applied_at, o.applied_by_user_id,
                       o.applied_by_user_role, o.reverted_at, o.reverted_by_user_id, o.reverted_by_user_role,
                       o.dismissed_at, o.dismissed_by_user_id, o.dismissed_by_user_role, o.expires_at,
                       o.created_at, o.updated_at)
                      IS NOT DISTINCT FROM (n.household_id, n.type, n.summary, n.rationale, n.priority,
                                            n.estimated_impact, n.status, n.action, n.original_values,
                                            n.applied_at, n.applied_by_user_id, n.applied_by_user_role,
                                            n.reverted_at, n.reverted_by_user_id, n.reverted_by_user_role,
                                            n.dismissed_at, n.dismissed_by_user_id, n.dismissed_by_user_role,
                                            n.expires_at, n.created_at, n.updated_at))
ON CONFLICT (id) DO UPDATE
SET household_id = EXCLUDED.household_id, type = EXCLUDED.type, summary = EXCLUDED.summary,
    rationale = EXCLUDED.rationale, priority = EXCLUDED.priority, estimated_impact = EXCLUDED.estimated_impact,
    status = EXCLUDED.status, action = EXCLUDED.action, original_values = EXCLUDED.original_values,
    applied_at = EXCLUDED.applied_at, applied_by_user_id = EXCLUDED.applied_by_user_id,
    applied_by_user_role = EXCLUDED.applied_by_user_role, reverted_at = EXCLUDED.reverted_at,
    reverted_by_user_id = EXCLUDED.reverted_by_user_id, reverted_by_user_role = EXCLUDED.reverted_by_user_role,
    dismissed_at = EXCLUDED.dismissed_at, dismissed_by_user_id = EXCLUDED.dismissed_by_user_id,
    dismissed_by_user_role = EXCLUDED.dismissed_by_user_role, expires_at = EXCLUDED.expires_at,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at
WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*);

-- name: delete_missing_regimens
DELETE FROM vetmed.vetmed_regimens t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_regimens s WHERE s.id = t.id);

-- name: upsert_regimens
INSERT INTO vetmed.vetmed_regimens AS t
    (id, animal_id, medication_id, name, instructions, schedule_type, times_local, interval_hours, start_date,
     end_date, prn_reason, max_daily_doses, cutoff_minutes, high_risk, requires_co_sign, active, paused_at,
     pause_reason, dose, route, created_at, updated_at, deleted_at)
SELECT n.*
FROM (
    SELECT id, animal_id, medication_id, name, instructions, schedule_type::vetmed.vetmed_schedule_type, times_local,
           interval_hours, start_date, end_date, prn_reason, max_daily_doses, cutoff_minutes, high_risk,
           requires_co_sign, active, paused_at, pause_reason, dose, route, created_at, updated_at, deleted_at
    FROM vetmed_staging.vetmed_regimens
) AS n (id, animal_id, medication_id, name, instructions, schedule_type, times_local, interval_hours,
        start_date, end_date, prn_reason, max_daily_doses, cutoff_minutes, high_risk, requires_co_sign,
        active, paused_at, pause_reason, dose, route, created_at, updated_at, deleted_at)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_regimens o WHERE o.id = n.id
                  AND (o.animal_id, o.medication_id, o.name, o.instructions, o.schedule_type, o.times_local,
                       o.interval_hours, o.start_date, o.end_date, o.prn_reason, o.max_daily_doses,
                       o.cutoff_minutes, o.high_risk, o.requires_co_sign, o.active, o.paused_at,
                       o.pause_reason, o.dose, o.route, o.created_at, o.updated_at, o.deleted_at)
                      IS NOT DISTINCT FROM (n.animal_id, n.medication_id, n.name, n.instructions,
                                            n.schedule_type, n.times_local, n.interval_hours, n.start_date,
                                            n.end_date, n.prn_reason, n.max_daily_doses, n.cutoff_minutes,
                                            n.high_risk, n.requires_co_sign, n.active, n.paused_at,
                                            n.pause_reason, n.dose, n.route, n.created_at, n.updated_at,
                                            n.deleted_at))
ON CONFLICT (id) DO UPDATE
SET animal_id = EXCLUDED.animal_id, medication_id = EXCLUDED.medication_id, name = EXCLUDED.name,
    instructions = EXCLUDED.instructions, schedule_type = EXCLUDED.schedule_type,
    times_local = EXCLUDED.times_local, interval_hours = EXCLUDED.interval_hours,
    start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date, prn_reason = EXCLUDED.prn_reason,
    max_daily_doses = EXCLUDED.max_daily_doses, cutoff_minutes = EXCLUDED.cutoff_minutes,
    high_risk = EXCLUDED.high_risk, requires_co_sign = EXCLUDED.requires_co_sign, active = EXCLUDED.active,
    paused_at = EXCLUDED.paused_at, pause_reason = EXCLUDED.pause_reason, dose = EXCLUDED.dose,
    route = EXCLUDED.route, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
    deleted_at = EXCLUDED.deleted_at
WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*);

-- name: delete_missing_inventory_items
DELETE FROM vetmed.vetmed_inventory_items t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_inventory_items s WHERE s.id = t.id);

-- name: upsert_inventory_items
INSERT INTO vetmed.vetmed_inventory_items AS t
    (id, household_id, medication_id, assigned_animal_id, brand_override, concentration, lot, expires_on,
     storage, quantity_units, units_remaining, unit_type, opened_on, in_use, barcode, purchase_date,
     purchase_price, supplier, notes, created_at, updated_at, deleted_at)
SELECT n.*
FROM (
    SELECT id, household_id, medication_id, assigned_animal_id, brand_override, concentration, lot, expires_on,
           storage::vetmed.vetmed_storage, quantity_units, units_remaining, unit_type, opened_on, in_use, barcode,
           purchase_date, purchase_price, supplier, notes, created_at, updated_at, deleted_at
    FROM vetmed_staging.vetmed_inventory_items
) AS n (id, household_id, medication_id, assigned_animal_id, brand_override, concentration, lot, expires_on,
        storage, quantity_units, units_remaining, unit_type, opened_on, in_use, barcode, purchase_date,
        purchase_price, supplier, notes, created_at, updated_at, deleted_at)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_inventory_items o WHERE o.id = n.id
                  AND (o.household_id, o.medication_id, o.assigned_animal_id, o.brand_override,
                       o.concentration, o.lot, o.expires_on, o.storage, o.quantity_units, o.units_remaining,
                       o.unit_type, o.opened_on, o.in_use, o.barcode, o.purchase_date, o.purchase_price,
                       o.supplier, o.notes, o.created_at, o.updated_at, o.deleted_at)
                      IS NOT DISTINCT FROM (n.household_id, n.medication_id, n.assigned_animal_id,
                                            n.brand_override, n.concentration, n.lot, n.expires_on,
                                            n.storage, n.quantity_units, n.units_remaining, n.unit_type,
                                            n.opened_on, n.in_use, n.barcode, n.purchase_date,
                                            n.purchase_price, n.supplier, n.notes, n.created_at,
                                            n.updated_at, n.deleted_at))
ON CONFLICT (id) DO UPDATE
SET household_id = EXCLUDED.household_id, medication_id = EXCLUDED.medication_id,
    assigned_animal_id = EXCLUDED.assigned_animal_id, brand_override = EXCLUDED.brand_override,
    concentration = EXCLUDED.concentration, lot = EXCLUDED.lot, expires_on = EXCLUDED.expires_on,
    storage = EXCLUDED.storage, quantity_units = EXCLUDED.quantity_units,
    units_remaining = EXCLUDED.units_remaining, unit_type = EXCLUDED.unit_type, opened_on = EXCLUDED.opened_on,
    in_use = EXCLUDED.in_use, barcode = EXCLUDED.barcode, purchase_date = EXCLUDED.purchase_date,
    purchase_price = EXCLUDED.purchase_price, supplier = EXCLUDED.supplier, notes = EXCLUDED.notes,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, deleted_at = EXCLUDED.deleted_at
WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*);

-- Cosign requests reference their administration by (id, recorded_at): its time comes from the snapshot.
-- name: delete_missing_cosign_requests
DELETE FROM vetmed.vetmed_cosign_requests t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_cosign_requests s WHERE s.id = t.id);

-- name: defer_cosign_uniqueness
SET CONSTRAINTS vetmed.vetmed_cosign_requests_administration_id_key DEFERRED;

-- name: upsert_cosign_requests
INSERT INTO vetmed.vetmed_cosign_requests AS t
    (id, administration_id, administration_recorded_at, requester_id, requester_role, cosigner_id, cosigner_role,
     household_id, status, signature, rejection_reason, signed_at, created_at, expires_at, updated_at)
SELECT n.*
FROM (
    SELECT s.id, s.administration_id, a.recorded_at, s.requester_id, ur.role, s.cosigner_id, uc.role,
           s.household_id, s.status::vetmed.vetmed_cosign_status, s.signature, s.rejection_reason, s.signed_at,
           s.created_at, s.expires_at, s.updated_at
    FROM vetmed_staging.vetmed_cosign_requests s
    LEFT JOIN vetmed_staging.vetmed_administrations a ON a.id = s.administration_id
    LEFT JOIN vetmed.vetmed_users ur ON ur.id = s.requester_id
    LEFT JOIN vetmed.vetmed_users uc ON uc.id = s.cosigner_id
) AS n (id, administration_id, administration_recorded_at, requester_id, requester_role, cosigner_id,
        cosigner_role, household_id, status, signature, rejection_reason, signed_at, created_at, expires_at,
        updated_at)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_cosign_requests o WHERE o.id = n.id
                  AND (o.administration_id, o.administration_recorded_at, o.requester_id, o.requester_role,
                       o.cosigner_id, o.cosigner_role, o.household_id, o.status, o.signature,
                       o.rejection_reason, o.signed_at, o.created_at, o.expires_at, o.updated_at)
                      IS NOT DISTINCT FROM (n.administration_id, n.administration_recorded_at,
                                            n.requester_id, n.requester_role, n.cosigner_id, n.cosigner_role,
                                            n.household_id, n.status, n.signature, n.rejection_reason,
                                            n.signed_at, n.created_at, n.expires_at, n.updated_at))
ON CONFLICT (id) DO UPDATE
SET administration_id = EXCLUDED.administration_id,
    administration_recorded_at = EXCLUDED.administration_recorded_at,
    requester_id = EXCLUDED.requester_id, requester_role = EXCLUDED.requester_role,
    cosigner_id = EXCLUDED.cosigner_id, cosigner_role = EXCLUDED.cosigner_role,
    household_id = EXCLUDED.household_id, status = EXCLUDED.status, signature = EXCLUDED.signature,
    rejection_reason = EXCLUDED.rejection_reason, signed_at = EXCLUDED.signed_at, created_at = EXCLUDED.created_at,
    expires_at = EXCLUDED.expires_at, updated_at = EXCLUDED.updated_at
WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*);
