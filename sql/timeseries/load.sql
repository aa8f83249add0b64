-- Time series. A run rewrites the window [lower, upper) (NULL bounds: unbounded, i.e. every month and
-- DEFAULT): it deletes the window's rows that left the source, moves rows whose time changed (an UPDATE,
-- so rows referencing them follow through ON UPDATE CASCADE), and upserts the window's source rows.
-- Nothing is deleted that is still in the source, so nothing cascades into cosign requests.

-- name: delete_departed_administrations
DELETE FROM vetmed.vetmed_administrations t
WHERE t.recorded_at >= coalesce(%(lower)s::timestamptz, '-infinity')
  AND (%(upper)s::timestamptz IS NULL OR t.recorded_at < %(upper)s::timestamptz)
  AND NOT EXISTS (SELECT FROM vetmed_staging.vetmed_administrations s WHERE s.id = t.id);

-- name: move_administrations
UPDATE vetmed.vetmed_administrations t
SET recorded_at = s.recorded_at
FROM vetmed_staging.vetmed_administrations s
WHERE s.id = t.id AND s.recorded_at <> t.recorded_at
  AND ((s.recorded_at >= coalesce(%(lower)s::timestamptz, '-infinity')
        AND (%(upper)s::timestamptz IS NULL OR s.recorded_at < %(upper)s::timestamptz))
    OR (t.recorded_at >= coalesce(%(lower)s::timestamptz, '-infinity')
        AND (%(upper)s::timestamptz IS NULL OR t.recorded_at < %(upper)s::timestamptz)));

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
  AND (%(upper)s::timestamptz IS NULL OR s.recorded_at < %(upper)s::timestamptz)

-- name: delete_departed_audit_log
DELETE FROM vetmed.vetmed_audit_log t
WHERE t."timestamp" >= coalesce(%(lower)s::timestamptz, '-infinity')
  AND (%(upper)s::timestamptz IS NULL OR t."timestamp" < %(upper)s::timestamptz)
  AND NOT EXISTS (SELECT FROM vetmed_staging.vetmed_audit_log s WHERE s.id = t.id);

-- name: move_audit_log
UPDATE vetmed.vetmed_audit_log t
SET "timestamp" = s."timestamp"
FROM vetmed_staging.vetmed_audit_log s
WHERE s.id = t.id AND s."timestamp" <> t."timestamp"
  AND ((s."timestamp" >= coalesce(%(lower)s::timestamptz, '-infinity')
        AND (%(upper)s::timestamptz IS NULL OR s."timestamp" < %(upper)s::timestamptz))
    OR (t."timestamp" >= coalesce(%(lower)s::timestamptz, '-infinity')
        AND (%(upper)s::timestamptz IS NULL OR t."timestamp" < %(upper)s::timestamptz)));

-- name: rows_audit_log
SELECT s.id, s.user_id, u.role, s.household_id, s.action, s.resource_type, s.resource_id, s.old_values,
       s.new_values, s.details, s.ip_address, s.user_agent, s.session_id, s."timestamp"
FROM vetmed_staging.vetmed_audit_log s
LEFT JOIN vetmed.vetmed_users u ON u.id = s.user_id
WHERE s."timestamp" >= coalesce(%(lower)s::timestamptz, '-infinity')
  AND (%(upper)s::timestamptz IS NULL OR s."timestamp" < %(upper)s::timestamptz)

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
-- One anti-join per legacy table (a correlated NOT EXISTS of a UNION is probed once per row).
WITH gone AS (
    SELECT t.legacy_table, t.id FROM vetmed.vetmed_notifications t
    WHERE t.legacy_table = 'vetmed_notifications'
      AND t.created_at >= coalesce(%(lower)s::timestamptz, '-infinity')
      AND (%(upper)s::timestamptz IS NULL OR t.created_at < %(upper)s::timestamptz)
      AND NOT EXISTS (SELECT FROM vetmed_staging.vetmed_notifications s WHERE s.id = t.id)
    UNION ALL
    SELECT t.legacy_table, t.id FROM vetmed.vetmed_notifications t
    WHERE t.legacy_table = 'vetmed_notification_queue'
      AND t.created_at >= coalesce(%(lower)s::timestamptz, '-infinity')
      AND (%(upper)s::timestamptz IS NULL OR t.created_at < %(upper)s::timestamptz)
      AND NOT EXISTS (SELECT FROM vetmed_staging.vetmed_notification_queue s WHERE s.id = t.id)
)
DELETE FROM vetmed.vetmed_notifications t
WHERE t.created_at >= coalesce(%(lower)s::timestamptz, '-infinity')
  AND (%(upper)s::timestamptz IS NULL OR t.created_at < %(upper)s::timestamptz)
  AND (t.legacy_table, t.id) IN (SELECT legacy_table, id FROM gone);

-- name: move_notifications
UPDATE vetmed.vetmed_notifications t
SET created_at = s.created_at
FROM notification_source s
WHERE s.legacy_table = t.legacy_table AND s.id = t.id AND s.created_at <> t.created_at
  AND ((s.created_at >= coalesce(%(lower)s::timestamptz, '-infinity')
        AND (%(upper)s::timestamptz IS NULL OR s.created_at < %(upper)s::timestamptz))
    OR (t.created_at >= coalesce(%(lower)s::timestamptz, '-infinity')
        AND (%(upper)s::timestamptz IS NULL OR t.created_at < %(upper)s::timestamptz)));

-- name: rows_notifications
SELECT s.legacy_table, s.id, s.user_id, u.role, s.household_id, s.type, s.title, s.body, s.status, s.priority,
       s.read, s.dismissed, s.action_url, s.data, s.scheduled_for, s.sent_at, s.failed_at, s.error, s.attempts,
       s.read_at, s.dismissed_at, s.snoozed_until, s.created_at
FROM notification_source s
LEFT JOIN vetmed.vetmed_users u ON u.id = s.user_id
WHERE s.created_at >= coalesce(%(lower)s::timestamptz, '-infinity')
  AND (%(upper)s::timestamptz IS NULL OR s.created_at < %(upper)s::timestamptz)


-- The snapshot and the months it partitions (NULL until computed), locked for the step that computes them.
-- name: snapshot_months
SELECT snapshot_at, months_from, months_through FROM vetmed_staging.snapshot FOR UPDATE;

-- Rows per UTC month over the snapshot's four time-series columns, as (year, month) numbers (years before 1
-- and after 9999 included); infinite times have no month and always stay in DEFAULT.
-- name: month_histogram
SELECT extract(year FROM m)::integer, extract(month FROM m)::integer, count(*)
FROM (
    SELECT date_trunc('month', recorded_at AT TIME ZONE 'UTC') AS m
    FROM vetmed_staging.vetmed_administrations WHERE isfinite(recorded_at)
    UNION ALL
    SELECT date_trunc('month', created_at AT TIME ZONE 'UTC')
    FROM vetmed_staging.vetmed_notifications WHERE isfinite(created_at)
    UNION ALL
    SELECT date_trunc('month', created_at AT TIME ZONE 'UTC')
    FROM vetmed_staging.vetmed_notification_queue WHERE isfinite(created_at)
    UNION ALL
    SELECT date_trunc('month', "timestamp" AT TIME ZONE 'UTC')
    FROM vetmed_staging.vetmed_audit_log WHERE isfinite("timestamp")
) t
GROUP BY 1, 2;

-- name: record_snapshot_months
UPDATE vetmed_staging.snapshot SET months_from = %(first)s, months_through = %(last)s;

-- Departures of a whole-snapshot run (migrate). The loads that delete a departed parent (a user,
-- household, animal, regimen, inventory item or medication) run before the time-series loads, and the
-- time-series rows reference those parents with ON DELETE NO ACTION (as in the legacy schema). So before
-- any load, every time-series row that left the source goes, and so does every row still in the source
-- whose parent in the target is about to go: the legacy application re-pointed it (an administration moved
-- to another animal, a regimen to another medication) and its load puts it back, re-pointed.
-- name: create_doomed_parents
CREATE TEMP TABLE doomed_households ON COMMIT DROP AS
SELECT t.id FROM vetmed.vetmed_households t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_households s WHERE s.id = t.id);
CREATE TEMP TABLE doomed_users ON COMMIT DROP AS
SELECT t.id FROM vetmed.vetmed_users t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_users s WHERE s.id = t.id);
CREATE TEMP TABLE doomed_medications ON COMMIT DROP AS
SELECT t.id FROM vetmed.vetmed_medications t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_medication_catalog s WHERE s.id = t.id);
-- animals go with their household (ON DELETE CASCADE); regimens with their animal; items with their household
CREATE TEMP TABLE doomed_animals ON COMMIT DROP AS
SELECT t.id FROM vetmed.vetmed_animals t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_animals s WHERE s.id = t.id)
   OR t.household_id IN (SELECT id FROM doomed_households);
CREATE TEMP TABLE doomed_regimens ON COMMIT DROP AS
SELECT t.id FROM vetmed.vetmed_regimens t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_regimens s WHERE s.id = t.id)
   OR t.animal_id IN (SELECT id FROM doomed_animals)
   OR t.medication_id IN (SELECT id FROM doomed_medications);
CREATE TEMP TABLE doomed_items ON COMMIT DROP AS
SELECT t.id FROM vetmed.vetmed_inventory_items t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_inventory_items s WHERE s.id = t.id)
   OR t.household_id IN (SELECT id FROM doomed_households)
   OR t.medication_id IN (SELECT id FROM doomed_medications);

-- The rows that left, or whose parent is about to go. Each "not in the snapshot" is its own anti-join (one
-- hash join over the table): inside an OR, PostgreSQL 15 probes the snapshot once per row instead.
-- name: depart_administrations
WITH gone AS (
    SELECT t.id FROM vetmed.vetmed_administrations t
    WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_administrations s WHERE s.id = t.id)
    UNION
    SELECT t.id FROM vetmed.vetmed_administrations t
    WHERE t.regimen_id IN (SELECT id FROM doomed_regimens)
       OR t.animal_id IN (SELECT id FROM doomed_animals)
       OR t.household_id IN (SELECT id FROM doomed_households)
       OR t.caregiver_id IN (SELECT id FROM doomed_users)
       OR t.co_sign_user_id IN (SELECT id FROM doomed_users)
       OR t.source_item_id IN (SELECT id FROM doomed_items)
)
DELETE FROM vetmed.vetmed_administrations t WHERE t.id IN (SELECT id FROM gone);

-- name: depart_notifications
WITH gone AS (
    SELECT t.legacy_table, t.id FROM vetmed.vetmed_notifications t
    WHERE t.legacy_table = 'vetmed_notifications'
      AND NOT EXISTS (SELECT FROM vetmed_staging.vetmed_notifications s WHERE s.id = t.id)
    UNION
    SELECT t.legacy_table, t.id FROM vetmed.vetmed_notifications t
    WHERE t.legacy_table = 'vetmed_notification_queue'
      AND NOT EXISTS (SELECT FROM vetmed_staging.vetmed_notification_queue s WHERE s.id = t.id)
    UNION
    SELECT t.legacy_table, t.id FROM vetmed.vetmed_notifications t
    WHERE t.user_id IN (SELECT id FROM doomed_users)
       OR t.household_id IN (SELECT id FROM doomed_households)
)
DELETE FROM vetmed.vetmed_notifications t WHERE (t.legacy_table, t.id) IN (SELECT legacy_table, id FROM gone);

-- name: depart_audit_log
WITH gone AS (
    SELECT t.id FROM vetmed.vetmed_audit_log t
    WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_audit_log s WHERE s.id = t.id)
    UNION
    SELECT t.id FROM vetmed.vetmed_audit_log t
    WHERE t.user_id IN (SELECT id FROM doomed_users)
       OR t.household_id IN (SELECT id FROM doomed_households)
)
DELETE FROM vetmed.vetmed_audit_log t WHERE t.id IN (SELECT id FROM gone);
