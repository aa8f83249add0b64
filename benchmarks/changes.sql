-- The 1% change set of `make bench`: run by benchmarks/bench.py on its own legacy database, in one
-- transaction, statement after statement (named aiosql style; the bench reports each one's row count).
--
-- Each legacy row falls in one of 1,000 buckets by a hash of its id (deterministic, so every run of the
-- same seed changes the same rows): buckets 0-5 are updated (0.6%), 6-7 deleted (0.2%), 8-9 copied as new
-- rows (0.2%), so about 1% of the rows of every table change. The updates include role changes (a
-- membership's role rotates, which moves its user to another role partition) and time-series rows moved
-- one month (administrations, notifications, the notification queue, the audit log). Deletes honour the
-- legacy foreign keys: a row still referenced through a NO ACTION key is kept (but a leaving user's rows that
-- would block the delete go first, as in the application), ON DELETE CASCADE and SET NULL do the rest. New rows are copies of existing ones with derived
-- ids and fresh values for the legacy unique columns, inserted parents first.

-- name: create_bucket_function
CREATE FUNCTION pg_temp.bucket(id uuid) RETURNS integer LANGUAGE sql IMMUTABLE
AS $$ SELECT abs(hashtext(id::text)) % 1000 $$;

-- name: create_new_id_function
CREATE FUNCTION pg_temp.new_id(id uuid) RETURNS uuid LANGUAGE sql IMMUTABLE
AS $$ SELECT md5(id::text || ':bench-insert')::uuid $$;

-- Deletes, children first -------------------------------------------------------------------------------

-- name: delete_cosign_requests
DELETE FROM vetmed_cosign_requests WHERE pg_temp.bucket(id) BETWEEN 6 AND 7;

-- name: delete_administrations
DELETE FROM vetmed_administrations WHERE pg_temp.bucket(id) BETWEEN 6 AND 7;

-- name: delete_audit_log
DELETE FROM vetmed_audit_log WHERE pg_temp.bucket(id) BETWEEN 6 AND 7;

-- name: delete_notifications
DELETE FROM vetmed_notifications WHERE pg_temp.bucket(id) BETWEEN 6 AND 7;

-- name: delete_notification_queue
DELETE FROM vetmed_notification_queue WHERE pg_temp.bucket(id) BETWEEN 6 AND 7;

-- name: delete_push_subscriptions
DELETE FROM vetmed_push_subscriptions WHERE pg_temp.bucket(id) BETWEEN 6 AND 7;

-- name: delete_suggestions
DELETE FROM vetmed_suggestions WHERE pg_temp.bucket(id) BETWEEN 6 AND 7;

-- name: delete_memberships
DELETE FROM vetmed_memberships WHERE pg_temp.bucket(id) BETWEEN 6 AND 7;

-- name: delete_inventory_items
DELETE FROM vetmed_inventory_items i
WHERE pg_temp.bucket(i.id) BETWEEN 6 AND 7
  AND NOT EXISTS (SELECT FROM vetmed_administrations a WHERE a.source_item_id = i.id);

-- name: delete_regimens
DELETE FROM vetmed_regimens r
WHERE pg_temp.bucket(r.id) BETWEEN 6 AND 7
  AND NOT EXISTS (SELECT FROM vetmed_administrations a WHERE a.regimen_id = r.id);

-- An animal's regimens go with it (CASCADE), so neither it nor they may have administrations.
-- name: delete_animals
DELETE FROM vetmed_animals n
WHERE pg_temp.bucket(n.id) BETWEEN 6 AND 7
  AND NOT EXISTS (SELECT FROM vetmed_administrations a WHERE a.animal_id = n.id)
  AND NOT EXISTS (SELECT FROM vetmed_administrations a JOIN vetmed_regimens r ON r.id = a.regimen_id
                  WHERE r.animal_id = n.id);

-- A user leaves the way the legacy application has to delete one (tests/support/legacy_writes.py): first
-- the rows whose NO ACTION references would block it (their administrations, with those administrations'
-- co-sign requests by CASCADE, their audit log and notification queue).
-- name: delete_leaving_users_administrations
DELETE FROM vetmed_administrations
WHERE pg_temp.bucket(caregiver_id) BETWEEN 6 AND 7 OR pg_temp.bucket(co_sign_user_id) BETWEEN 6 AND 7;

-- name: delete_leaving_users_audit_log
DELETE FROM vetmed_audit_log WHERE pg_temp.bucket(user_id) BETWEEN 6 AND 7;

-- name: delete_leaving_users_notification_queue
DELETE FROM vetmed_notification_queue WHERE pg_temp.bucket(user_id) BETWEEN 6 AND 7;

-- name: delete_users
DELETE FROM vetmed_users u
WHERE pg_temp.bucket(u.id) BETWEEN 6 AND 7
  AND NOT EXISTS (SELECT FROM vetmed_administrations a WHERE u.id IN (a.caregiver_id, a.co_sign_user_id))
  AND NOT EXISTS (SELECT FROM vetmed_audit_log l WHERE l.user_id = u.id)
  AND NOT EXISTS (SELECT FROM vetmed_notification_queue q WHERE q.user_id = u.id);

-- A household's animals, inventory and regimens go with it (CASCADE): none of them may be referenced by
-- an administration kept elsewhere, nor the household by one, the audit log or the queue.
-- name: delete_households
DELETE FROM vetmed_households h
WHERE pg_temp.bucket(h.id) BETWEEN 6 AND 7
  AND NOT EXISTS (SELECT FROM vetmed_administrations a WHERE a.household_id = h.id)
  AND NOT EXISTS (SELECT FROM vetmed_audit_log l WHERE l.household_id = h.id)
  AND NOT EXISTS (SELECT FROM vetmed_notification_queue q WHERE q.household_id = h.id)
  AND NOT EXISTS (SELECT FROM vetmed_animals n JOIN vetmed_administrations a ON a.animal_id = n.id
                  WHERE n.household_id = h.id)
  AND NOT EXISTS (SELECT FROM vetmed_animals n JOIN vetmed_regimens r ON r.animal_id = n.id
                  JOIN vetmed_administrations a ON a.regimen_id = r.id WHERE n.household_id = h.id)
  AND NOT EXISTS (SELECT FROM vetmed_inventory_items i JOIN vetmed_administrations a ON a.source_item_id = i.id
                  WHERE i.household_id = h.id);

-- Updates -----------------------------------------------------------------------------------------------

-- name: update_households
UPDATE vetmed_households SET name = name || ' (renamed)', updated_at = updated_at + interval '1 day'
WHERE pg_temp.bucket(id) BETWEEN 0 AND 5;

-- name: update_users
UPDATE vetmed_users
SET name = coalesce(name, '') || ' (changed)', theme = 'dark', week_starts_on = 1,
    updated_at = updated_at + interval '1 day'
WHERE pg_temp.bucket(id) BETWEEN 0 AND 5;

-- A third of the updated memberships change role: OWNER -> CAREGIVER -> VETREADONLY -> OWNER.
-- name: change_membership_roles
UPDATE vetmed_memberships
SET role = CASE role WHEN 'OWNER' THEN 'CAREGIVER' WHEN 'CAREGIVER' THEN 'VETREADONLY' ELSE 'OWNER' END::vetmed_role,
    updated_at = updated_at + interval '1 day'
WHERE pg_temp.bucket(id) BETWEEN 0 AND 1;

-- name: update_memberships
UPDATE vetmed_memberships SET updated_at = updated_at + interval '1 day'
WHERE pg_temp.bucket(id) BETWEEN 2 AND 5;

-- name: update_animals
UPDATE vetmed_animals
SET notes = coalesce(notes, '') || ' (seen again)', weight_kg = 12.5,
    allergies = coalesce(allergies, '{}') || 'Bench pollen'::text,
    updated_at = updated_at + interval '1 day'
WHERE pg_temp.bucket(id) BETWEEN 0 AND 5;

-- The catalog has a few dozen rows: 1% of it is less than one, so the first of them changes.
-- name: update_medication_catalog
UPDATE vetmed_medication_catalog SET warnings = coalesce(warnings, '') || ' (reviewed)',
    updated_at = updated_at + interval '1 day'
WHERE id = (SELECT id FROM vetmed_medication_catalog ORDER BY pg_temp.bucket(id), id LIMIT 1);

-- name: update_inventory_items
UPDATE vetmed_inventory_items SET notes = coalesce(notes, '') || ' (counted)',
    updated_at = updated_at + interval '1 day'
WHERE pg_temp.bucket(id) BETWEEN 0 AND 5;

-- name: update_regimens
UPDATE vetmed_regimens SET instructions = coalesce(instructions, '') || ' (revised)',
    updated_at = updated_at + interval '1 day'
WHERE pg_temp.bucket(id) BETWEEN 0 AND 5;

-- name: update_administrations
UPDATE vetmed_administrations SET notes = coalesce(notes, '') || ' (amended)',
    updated_at = updated_at + interval '1 hour'
WHERE pg_temp.bucket(id) BETWEEN 0 AND 2;

-- Half of the updated time-series rows move one month (later or earlier, by the bucket): to another
-- partition of the target.
-- name: move_administrations
UPDATE vetmed_administrations
SET recorded_at = recorded_at + CASE WHEN pg_temp.bucket(id) = 4 THEN interval '-1 month' ELSE interval '1 month' END
WHERE pg_temp.bucket(id) BETWEEN 3 AND 5 AND isfinite(recorded_at);

-- name: update_cosign_requests
UPDATE vetmed_cosign_requests SET updated_at = updated_at + interval '1 hour'
WHERE pg_temp.bucket(id) BETWEEN 0 AND 5;

-- name: update_notifications
UPDATE vetmed_notifications SET title = title || ' (updated)'
WHERE pg_temp.bucket(id) BETWEEN 0 AND 2;

-- name: move_notifications
UPDATE vetmed_notifications
SET created_at = created_at + CASE WHEN pg_temp.bucket(id) = 4 THEN interval '-1 month' ELSE interval '1 month' END
WHERE pg_temp.bucket(id) BETWEEN 3 AND 5 AND isfinite(created_at);

-- name: update_notification_queue
UPDATE vetmed_notification_queue SET attempts = attempts + 1
WHERE pg_temp.bucket(id) BETWEEN 0 AND 2;

-- name: move_notification_queue
UPDATE vetmed_notification_queue
SET created_at = created_at + CASE WHEN pg_temp.bucket(id) = 4 THEN interval '-1 month' ELSE interval '1 month' END
WHERE pg_temp.bucket(id) BETWEEN 3 AND 5 AND isfinite(created_at);

-- name: update_push_subscriptions
UPDATE vetmed_push_subscriptions SET device_name = coalesce(device_name, '') || ' (renamed)',
    last_used = last_used + interval '1 day', updated_at = updated_at + interval '1 day'
WHERE pg_temp.bucket(id) BETWEEN 0 AND 5;

-- name: update_suggestions
UPDATE vetmed_suggestions SET summary = summary || ' (reworded)', updated_at = updated_at + interval '1 day'
WHERE pg_temp.bucket(id) BETWEEN 0 AND 5;

-- name: update_audit_log
UPDATE vetmed_audit_log SET session_id = coalesce(session_id, '') || '-bench'
WHERE pg_temp.bucket(id) BETWEEN 0 AND 2;

-- name: move_audit_log
UPDATE vetmed_audit_log
SET "timestamp" = "timestamp" + CASE WHEN pg_temp.bucket(id) = 4 THEN interval '-1 month' ELSE interval '1 month' END
WHERE pg_temp.bucket(id) BETWEEN 3 AND 5 AND isfinite("timestamp");

-- Inserts, parents first: copies of rows in buckets 8-9 with derived ids -----------------------------------

-- name: insert_households
INSERT INTO vetmed_households
SELECT pg_temp.new_id(id), name || ' (new)', timezone, created_at, updated_at
FROM vetmed_households WHERE pg_temp.bucket(id) BETWEEN 8 AND 9;

-- name: insert_animals
INSERT INTO vetmed_animals
SELECT n.*
FROM vetmed_animals r CROSS JOIN LATERAL jsonb_populate_record(r, jsonb_build_object(
    'id', pg_temp.new_id(r.id),
    'name', r.name || ' II')) n
WHERE pg_temp.bucket(r.id) BETWEEN 8 AND 9;

-- name: insert_users
INSERT INTO vetmed_users
SELECT n.*
FROM vetmed_users r CROSS JOIN LATERAL jsonb_populate_record(r, jsonb_build_object(
    'id', pg_temp.new_id(r.id),
    'email', 'bench.' || pg_temp.new_id(r.id) || '@example.com',
    'stack_user_id', CASE WHEN r.stack_user_id IS NULL THEN NULL ELSE 'bench_' || pg_temp.new_id(r.id) END)) n
WHERE pg_temp.bucket(r.id) BETWEEN 8 AND 9;

-- A new user belongs to the households of the user it was copied from, in the same roles.
-- name: insert_memberships
INSERT INTO vetmed_memberships
SELECT pg_temp.new_id(m.id), pg_temp.new_id(m.user_id), m.household_id, m.role, m.created_at, m.updated_at
FROM vetmed_memberships m WHERE pg_temp.bucket(m.user_id) BETWEEN 8 AND 9;

-- name: insert_inventory_items
INSERT INTO vetmed_inventory_items
SELECT n.*
FROM vetmed_inventory_items r CROSS JOIN LATERAL jsonb_populate_record(r, jsonb_build_object(
    'id', pg_temp.new_id(r.id))) n
WHERE pg_temp.bucket(r.id) BETWEEN 8 AND 9;

-- name: insert_regimens
INSERT INTO vetmed_regimens
SELECT n.*
FROM vetmed_regimens r CROSS JOIN LATERAL jsonb_populate_record(r, jsonb_build_object(
    'id', pg_temp.new_id(r.id))) n
WHERE pg_temp.bucket(r.id) BETWEEN 8 AND 9;

-- name: insert_administrations
INSERT INTO vetmed_administrations
SELECT n.*
FROM vetmed_administrations r CROSS JOIN LATERAL jsonb_populate_record(r, jsonb_build_object(
    'id', pg_temp.new_id(r.id),
    'idempotency_key', r.idempotency_key || ':bench')) n
WHERE pg_temp.bucket(r.id) BETWEEN 8 AND 9;

-- A new administration copied from one with a co-sign request gets a copy of that request.
-- name: insert_cosign_requests
INSERT INTO vetmed_cosign_requests
SELECT pg_temp.new_id(c.id), pg_temp.new_id(c.administration_id), c.requester_id, c.cosigner_id, c.household_id,
       c.status, c.signature, c.rejection_reason, c.signed_at, c.created_at, c.expires_at, c.updated_at
FROM vetmed_cosign_requests c WHERE pg_temp.bucket(c.administration_id) BETWEEN 8 AND 9;

-- name: insert_notifications
INSERT INTO vetmed_notifications
SELECT n.*
FROM vetmed_notifications r CROSS JOIN LATERAL jsonb_populate_record(r, jsonb_build_object(
    'id', pg_temp.new_id(r.id))) n
WHERE pg_temp.bucket(r.id) BETWEEN 8 AND 9;

-- name: insert_notification_queue
INSERT INTO vetmed_notification_queue
SELECT n.*
FROM vetmed_notification_queue r CROSS JOIN LATERAL jsonb_populate_record(r, jsonb_build_object(
    'id', pg_temp.new_id(r.id))) n
WHERE pg_temp.bucket(r.id) BETWEEN 8 AND 9;

-- name: insert_push_subscriptions
INSERT INTO vetmed_push_subscriptions
SELECT n.*
FROM vetmed_push_subscriptions r CROSS JOIN LATERAL jsonb_populate_record(r, jsonb_build_object(
    'id', pg_temp.new_id(r.id),
    'endpoint', r.endpoint || '#bench')) n
WHERE pg_temp.bucket(r.id) BETWEEN 8 AND 9;

-- name: insert_suggestions
INSERT INTO vetmed_suggestions
SELECT n.*
FROM vetmed_suggestions r CROSS JOIN LATERAL jsonb_populate_record(r, jsonb_build_object(
    'id', pg_temp.new_id(r.id))) n
WHERE pg_temp.bucket(r.id) BETWEEN 8 AND 9;

-- name: insert_audit_log
INSERT INTO vetmed_audit_log
SELECT n.*
FROM vetmed_audit_log r CROSS JOIN LATERAL jsonb_populate_record(r, jsonb_build_object(
    'id', pg_temp.new_id(r.id))) n
WHERE pg_temp.bucket(r.id) BETWEEN 8 AND 9;
