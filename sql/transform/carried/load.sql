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
SELECT s.id, s.user_id, u.role, s.endpoint, s.p256dh_key, s.auth_key, s.user_agent, s.device_name, s.is_active,
       s.last_used, s.created_at, s.updated_at
FROM vetmed_staging.vetmed_push_subscriptions s
JOIN vetmed.vetmed_users u ON u.id = s.user_id
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
SELECT s.id, s.household_id, s.type, s.summary, s.rationale, s.priority, s.estimated_impact,
       s.status::vetmed.vetmed_suggestion_status, s.action, s.original_values,
       s.applied_at, s.applied_by_user_id, ua.role, s.reverted_at, s.reverted_by_user_id, ur.role,
       s.dismissed_at, s.dismissed_by_user_id, ud.role, s.expires_at, s.created_at, s.updated_at
FROM vetmed_staging.vetmed_suggestions s
LEFT JOIN vetmed.vetmed_users ua ON ua.id = s.applied_by_user_id
LEFT JOIN vetmed.vetmed_users ur ON ur.id = s.reverted_by_user_id
LEFT JOIN vetmed.vetmed_users ud ON ud.id = s.dismissed_by_user_id
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
