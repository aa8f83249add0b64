-- Time series. A run rewrites the window [lower, upper) (NULL bounds: unbounded, i.e. every month and
-- DEFAULT): it deletes the window's rows that left the source, moves rows whose time changed (an UPDATE,
-- so rows referencing them follow through ON UPDATE CASCADE), and upserts the window's source rows.
-- Nothing is deleted that is still in the source, so nothing cascades into cosign requests.

-- name: delete_departed_administrations
DELETE FROM vetmed.vetmed_administrations t
WHERE t.recorded_at >= coalesce(%(lower)s::timestamptz, '-infinity')
  AND t.recorded_at < coalesce(%(upper)s::timestamptz, 'infinity')
  AND NOT EXISTS (SELECT FROM vetmed_staging.vetmed_administrations s WHERE s.id = t.id);

-- name: move_administrations
UPDATE vetmed.vetmed_administrations t
SET recorded_at = s.recorded_at
FROM vetmed_staging.vetmed_administrations s
WHERE s.id = t.id AND s.recorded_at <> t.recorded_at
  AND ((s.recorded_at >= coalesce(%(lower)s::timestamptz, '-infinity')
        AND s.recorded_at < coalesce(%(upper)s::timestamptz, 'infinity'))
    OR (t.recorded_at >= coalesce(%(lower)s::timestamptz, '-infinity')
        AND t.recorded_at < coalesce(%(upper)s::timestamptz, 'infinity')));

-- name: rows_administrations
-- The window's source rows, in the target's column order (core/partitions.py writes them: upsert or bulk).
SELECT s.id, s.regimen_id, s.animal_id, s.household_id, s.caregiver_id, cg.role, s.scheduled_for, s.recorded_at,
       s.status::vetmed.vetmed_admin_status, s.source_item_id, s.site, s.dose, s.notes, s.media_urls,
       s.co_sign_user_id, cs.role, s.co_signed_at, s.co_sign_notes, s.adverse_event,
       s.adverse_event_description, s.idempotency_key, s.created_at, s.updated_at
FROM vetmed_staging.vetmed_administrations s
LEFT JOIN vetmed.vetmed_users cg ON cg.id = s.caregiver_id
LEFT JOIN vetmed.vetmed_users cs ON cs.id = s.co_sign_user_id
WHERE s.recorded_at >= coalesce(%(lower)s::timestamptz, '-infinity')
  AND s.recorded_at < coalesce(%(upper)s::timestamptz, 'infinity')

-- name: delete_departed_audit_log
DELETE FROM vetmed.vetmed_audit_log t
WHERE t."timestamp" >= coalesce(%(lower)s::timestamptz, '-infinity')
  AND t."timestamp" < coalesce(%(upper)s::timestamptz, 'infinity')
  AND NOT EXISTS (SELECT FROM vetmed_staging.vetmed_audit_log s WHERE s.id = t.id);

-- name: move_audit_log
UPDATE vetmed.vetmed_audit_log t
SET "timestamp" = s."timestamp"
FROM vetmed_staging.vetmed_audit_log s
WHERE s.id = t.id AND s."timestamp" <> t."timestamp"
  AND ((s."timestamp" >= coalesce(%(lower)s::timestamptz, '-infinity')
        AND s."timestamp" < coalesce(%(upper)s::timestamptz, 'infinity'))
    OR (t."timestamp" >= coalesce(%(lower)s::timestamptz, '-infinity')
        AND t."timestamp" < coalesce(%(upper)s::timestamptz, 'infinity')));

-- name: rows_audit_log
SELECT s.id, s.user_id, u.role, s.household_id, s.action, s.resource_type, s.resource_id, s.old_values,
       s.new_values, s.details, s.ip_address, s.user_agent, s.session_id, s."timestamp"
FROM vetmed_staging.vetmed_audit_log s
LEFT JOIN vetmed.vetmed_users u ON u.id = s.user_id
WHERE s."timestamp" >= coalesce(%(lower)s::timestamptz, '-infinity')
  AND s."timestamp" < coalesce(%(upper)s::timestamptz, 'infinity')

-- name: create_notification_source
-- Both legacy tables as target-shaped rows, with the status as of the snapshot time.
CREATE TEMP TABLE notification_source ON COMMIT DROP AS
SELECT 'vetmed_notifications'::text AS legacy_table, n.id, n.user_id, n.household_id, n.type, n.title,
       n.message AS body,
       vetmed.notification_status('vetmed_notifications', n.created_at, NULL, NULL, n.read, n.read_at,
                                  n.dismissed, n.dismissed_at, snap.snapshot_at) AS status,
       n.priority, n.read, n.dismissed, n.action_url, n.data, NULL::timestamptz AS scheduled_for,
       NULL::timestamptz AS sent_at, NULL::timestamptz AS failed_at, NULL::text AS error,
       NULL::integer AS attempts, n.read_at, n.dismissed_at, NULL::timestamptz AS snoozed_until, n.created_at
FROM vetmed_staging.vetmed_notifications n
CROSS JOIN vetmed_staging.snapshot snap
UNION ALL
SELECT 'vetmed_notification_queue', q.id, q.user_id, q.household_id, q.type, q.title, q.body,
       vetmed.notification_status('vetmed_notification_queue', q.created_at, q.sent_at, q.failed_at, NULL,
                                  q.read_at, NULL, q.dismissed_at, snap.snapshot_at),
       NULL, NULL, NULL, NULL, q.data, q.scheduled_for, q.sent_at, q.failed_at, q.error, q.attempts, q.read_at,
       q.dismissed_at, q.snoozed_until, q.created_at
FROM vetmed_staging.vetmed_notification_queue q
CROSS JOIN vetmed_staging.snapshot snap;
ANALYZE notification_source;

-- name: delete_departed_notifications
DELETE FROM vetmed.vetmed_notifications t
WHERE t.created_at >= coalesce(%(lower)s::timestamptz, '-infinity')
  AND t.created_at < coalesce(%(upper)s::timestamptz, 'infinity')
  AND NOT EXISTS (
      SELECT FROM vetmed_staging.vetmed_notifications s
      WHERE t.legacy_table = 'vetmed_notifications' AND s.id = t.id
      UNION ALL
      SELECT FROM vetmed_staging.vetmed_notification_queue s
      WHERE t.legacy_table = 'vetmed_notification_queue' AND s.id = t.id);

-- name: move_notifications
UPDATE vetmed.vetmed_notifications t
SET created_at = s.created_at
FROM notification_source s
WHERE s.legacy_table = t.legacy_table AND s.id = t.id AND s.created_at <> t.created_at
  AND ((s.created_at >= coalesce(%(lower)s::timestamptz, '-infinity')
        AND s.created_at < coalesce(%(upper)s::timestamptz, 'infinity'))
    OR (t.created_at >= coalesce(%(lower)s::timestamptz, '-infinity')
        AND t.created_at < coalesce(%(upper)s::timestamptz, 'infinity')));

-- name: rows_notifications
SELECT s.legacy_table, s.id, s.user_id, u.role, s.household_id, s.type, s.title, s.body, s.status, s.priority,
       s.read, s.dismissed, s.action_url, s.data, s.scheduled_for, s.sent_at, s.failed_at, s.error, s.attempts,
       s.read_at, s.dismissed_at, s.snoozed_until, s.created_at
FROM notification_source s
LEFT JOIN vetmed.vetmed_users u ON u.id = s.user_id
WHERE s.created_at >= coalesce(%(lower)s::timestamptz, '-infinity')
  AND s.created_at < coalesce(%(upper)s::timestamptz, 'infinity')

