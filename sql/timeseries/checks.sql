-- Time series: every legacy relationship present in the target, keys unique across partitions, and the
-- notification statuses recomputed from the snapshot. (Per-month reconciliation, gaps, DEFAULT and
-- pruning checks are composed per table in vetmed_pipeline/defs/timeseries/checks.py.)

-- name: administration_relationships
SELECT count(*) FILTER (WHERE t.id IS NULL) AS missing,
       count(*) FILTER (WHERE t.id IS NOT NULL AND
           (t.regimen_id, t.animal_id, t.household_id, t.caregiver_id, t.co_sign_user_id, t.source_item_id)
           IS DISTINCT FROM
           (s.regimen_id, s.animal_id, s.household_id, s.caregiver_id, s.co_sign_user_id, s.source_item_id))
           AS changed,
       count(*) FILTER (WHERE t.id IS NOT NULL AND (
           NOT EXISTS (SELECT FROM vetmed.vetmed_users u WHERE u.id = t.caregiver_id AND u.role = t.caregiver_role)
           OR (t.co_sign_user_id IS NOT NULL AND NOT EXISTS (SELECT FROM vetmed.vetmed_users u
                WHERE u.id = t.co_sign_user_id AND u.role = t.co_sign_user_role)))) AS without_user
FROM vetmed_staging.vetmed_administrations s
LEFT JOIN vetmed.vetmed_administrations t ON t.id = s.id AND t.recorded_at = s.recorded_at;

-- name: notification_relationships
WITH s AS (
    SELECT 'vetmed_notifications' AS legacy_table, id, user_id, household_id, created_at
    FROM vetmed_staging.vetmed_notifications
    UNION ALL
    SELECT 'vetmed_notification_queue', id, user_id, household_id, created_at
    FROM vetmed_staging.vetmed_notification_queue
)
SELECT count(*) FILTER (WHERE t.id IS NULL) AS missing,
       count(*) FILTER (WHERE t.id IS NOT NULL AND (t.user_id, t.household_id) IS DISTINCT FROM (s.user_id, s.household_id))
           AS changed,
       count(*) FILTER (WHERE t.id IS NOT NULL AND NOT EXISTS (SELECT FROM vetmed.vetmed_users u
           WHERE u.id = t.user_id AND u.role = t.user_role)) AS without_user
FROM s
LEFT JOIN vetmed.vetmed_notifications t
    ON t.legacy_table = s.legacy_table AND t.id = s.id AND t.created_at = s.created_at;

-- name: audit_relationships
SELECT count(*) FILTER (WHERE t.id IS NULL) AS missing,
       count(*) FILTER (WHERE t.id IS NOT NULL AND (t.user_id, t.household_id) IS DISTINCT FROM (s.user_id, s.household_id))
           AS changed,
       count(*) FILTER (WHERE t.id IS NOT NULL AND NOT EXISTS (SELECT FROM vetmed.vetmed_users u
           WHERE u.id = t.user_id AND u.role = t.user_role)) AS without_user
FROM vetmed_staging.vetmed_audit_log s
LEFT JOIN vetmed.vetmed_audit_log t ON t.id = s.id AND t."timestamp" = s."timestamp";

-- name: administration_keys_unique
SELECT (SELECT count(*) FROM (SELECT FROM vetmed.vetmed_administrations GROUP BY idempotency_key
                              HAVING count(*) > 1) d) AS duplicate_idempotency_keys,
       (SELECT count(*) FROM (SELECT FROM vetmed.vetmed_administrations GROUP BY id
                              HAVING count(*) > 1) d) AS duplicate_ids;

-- name: notification_keys_unique
SELECT (SELECT count(*) FROM (SELECT FROM vetmed.vetmed_notifications GROUP BY legacy_table, id
                              HAVING count(*) > 1) d) AS duplicate_ids;

-- name: audit_keys_unique
SELECT (SELECT count(*) FROM (SELECT FROM vetmed.vetmed_audit_log GROUP BY id HAVING count(*) > 1) d) AS duplicate_ids;

-- name: notification_status_counts
-- Status per legacy source, recomputed from the snapshot, against the stored status: one row per
-- (source, status) with both counts.
WITH expected AS (
    SELECT 'vetmed_notifications' AS legacy_table,
           vetmed.notification_status('vetmed_notifications', n.created_at, NULL, NULL, n.read, n.read_at,
                                      n.dismissed, n.dismissed_at, snap.snapshot_at)::text AS status
    FROM vetmed_staging.vetmed_notifications n CROSS JOIN vetmed_staging.snapshot snap
    UNION ALL
    SELECT 'vetmed_notification_queue',
           vetmed.notification_status('vetmed_notification_queue', q.created_at, q.sent_at, q.failed_at, NULL,
                                      q.read_at, NULL, q.dismissed_at, snap.snapshot_at)::text
    FROM vetmed_staging.vetmed_notification_queue q CROSS JOIN vetmed_staging.snapshot snap
),
e AS (SELECT legacy_table, status, count(*) AS n FROM expected GROUP BY 1, 2),
t AS (SELECT legacy_table, status::text AS status, count(*) AS n FROM vetmed.vetmed_notifications GROUP BY 1, 2)
SELECT coalesce(e.legacy_table, t.legacy_table), coalesce(e.status, t.status), coalesce(e.n, 0), coalesce(t.n, 0)
FROM e FULL JOIN t ON t.legacy_table = e.legacy_table AND t.status = e.status
ORDER BY 1, 2;

-- (key, time) of every legacy row and of every target row, per time series: what rows_reconcile_by_month
-- compares month by month (the comparison itself is composed in defs/timeseries/checks.py).
-- name: source_keys_administrations
SELECT id::text AS key, recorded_at AS at FROM vetmed_staging.vetmed_administrations

-- name: target_keys_administrations
SELECT id::text AS key, recorded_at AS at FROM vetmed.vetmed_administrations

-- name: source_keys_notifications
SELECT 'vetmed_notifications:' || id AS key, created_at AS at FROM vetmed_staging.vetmed_notifications
UNION ALL
SELECT 'vetmed_notification_queue:' || id, created_at FROM vetmed_staging.vetmed_notification_queue

-- name: target_keys_notifications
SELECT legacy_table || ':' || id AS key, created_at AS at FROM vetmed.vetmed_notifications

-- name: source_keys_audit_log
SELECT id::text AS key, "timestamp" AS at FROM vetmed_staging.vetmed_audit_log

-- name: target_keys_audit_log
SELECT id::text AS key, "timestamp" AS at FROM vetmed.vetmed_audit_log
