-- Carried-over tables: every legacy relationship present in the target.

-- name: push_subscription_users
SELECT count(*) FILTER (WHERE t.id IS NULL) AS missing,
       count(*) FILTER (WHERE t.id IS NOT NULL AND (t.user_id, t.endpoint) IS DISTINCT FROM (s.user_id, s.endpoint))
           AS changed,
       count(*) FILTER (WHERE t.id IS NOT NULL AND u.id IS NULL) AS without_user
FROM vetmed_staging.vetmed_push_subscriptions s
LEFT JOIN vetmed.vetmed_push_subscriptions t ON t.id = s.id
LEFT JOIN vetmed.vetmed_users u ON u.id = t.user_id AND u.role = t.user_role;

-- name: suggestion_relationships
SELECT count(*) FILTER (WHERE t.id IS NULL) AS missing,
       count(*) FILTER (WHERE t.id IS NOT NULL AND (t.household_id, t.applied_by_user_id, t.reverted_by_user_id,
                                                    t.dismissed_by_user_id)
                          IS DISTINCT FROM (s.household_id, s.applied_by_user_id, s.reverted_by_user_id,
                                            s.dismissed_by_user_id)) AS changed,
       count(*) FILTER (WHERE t.id IS NOT NULL AND (
           (t.applied_by_user_id IS NOT NULL AND NOT EXISTS (SELECT FROM vetmed.vetmed_users u
                WHERE u.id = t.applied_by_user_id AND u.role = t.applied_by_user_role))
           OR (t.reverted_by_user_id IS NOT NULL AND NOT EXISTS (SELECT FROM vetmed.vetmed_users u
                WHERE u.id = t.reverted_by_user_id AND u.role = t.reverted_by_user_role))
           OR (t.dismissed_by_user_id IS NOT NULL AND NOT EXISTS (SELECT FROM vetmed.vetmed_users u
                WHERE u.id = t.dismissed_by_user_id AND u.role = t.dismissed_by_user_role)))) AS without_user
FROM vetmed_staging.vetmed_suggestions s
LEFT JOIN vetmed.vetmed_suggestions t ON t.id = s.id;

-- name: regimen_relationships
SELECT count(*) FILTER (WHERE t.id IS NULL) AS missing,
       count(*) FILTER (WHERE t.id IS NOT NULL
                          AND (t.animal_id, t.medication_id) IS DISTINCT FROM (s.animal_id, s.medication_id)) AS changed
FROM vetmed_staging.vetmed_regimens s
LEFT JOIN vetmed.vetmed_regimens t ON t.id = s.id;

-- name: inventory_relationships
SELECT count(*) FILTER (WHERE t.id IS NULL) AS missing,
       count(*) FILTER (WHERE t.id IS NOT NULL
                          AND (t.household_id, t.medication_id, t.assigned_animal_id)
                              IS DISTINCT FROM (s.household_id, s.medication_id, s.assigned_animal_id)) AS changed
FROM vetmed_staging.vetmed_inventory_items s
LEFT JOIN vetmed.vetmed_inventory_items t ON t.id = s.id;

-- name: cosign_relationships
SELECT count(*) FILTER (WHERE t.id IS NULL) AS missing,
       count(*) FILTER (WHERE t.id IS NOT NULL AND
           (t.administration_id, t.requester_id, t.cosigner_id, t.household_id)
           IS DISTINCT FROM (s.administration_id, s.requester_id, s.cosigner_id, s.household_id)) AS changed,
       count(*) FILTER (WHERE t.id IS NOT NULL AND NOT EXISTS (SELECT FROM vetmed.vetmed_administrations a
           WHERE a.id = t.administration_id AND a.recorded_at = t.administration_recorded_at)) AS without_administration,
       count(*) FILTER (WHERE t.id IS NOT NULL AND (
           NOT EXISTS (SELECT FROM vetmed.vetmed_users u WHERE u.id = t.requester_id AND u.role = t.requester_role)
           OR NOT EXISTS (SELECT FROM vetmed.vetmed_users u WHERE u.id = t.cosigner_id AND u.role = t.cosigner_role)))
           AS without_user
FROM vetmed_staging.vetmed_cosign_requests s
LEFT JOIN vetmed.vetmed_cosign_requests t ON t.id = s.id;
