-- Time series: administrations, notifications (both legacy notification tables) and the audit log, each
-- PARTITION BY RANGE on its time column, one partition per UTC calendar month plus DEFAULT.
-- This file creates the parents and their DEFAULT partitions; the months themselves are created by
-- vetmed_pipeline/core/partitions.py (every load, and the partition_maintenance job). Idempotent.
-- Primary keys include the partition key (PostgreSQL requires it); the legacy global unique
-- idempotency_key is a DEFERRABLE unique constraint on every partition, proven global by an asset check.

DO $$
BEGIN
    CREATE TYPE vetmed.vetmed_admin_status AS ENUM ('ON_TIME', 'LATE', 'VERY_LATE', 'MISSED', 'PRN');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
DO $$
BEGIN
    CREATE TYPE vetmed.vetmed_notification_status AS ENUM
        ('draft', 'scheduled', 'sent', 'delivered', 'read', 'dismissed', 'failed');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;

CREATE TABLE IF NOT EXISTS vetmed.vetmed_administrations (
    id                        uuid NOT NULL,
    regimen_id                uuid NOT NULL REFERENCES vetmed.vetmed_regimens (id) ON DELETE NO ACTION,
    animal_id                 uuid NOT NULL REFERENCES vetmed.vetmed_animals (id) ON DELETE NO ACTION,
    household_id              uuid NOT NULL REFERENCES vetmed.vetmed_households (id) ON DELETE NO ACTION,
    caregiver_id              uuid NOT NULL,
    caregiver_role            text NOT NULL,
    scheduled_for             timestamptz,
    recorded_at               timestamptz NOT NULL,
    status                    vetmed.vetmed_admin_status NOT NULL,
    source_item_id            uuid REFERENCES vetmed.vetmed_inventory_items (id) ON DELETE NO ACTION,
    site                      text,
    dose                      text,
    notes                     text,
    media_urls                text[],
    co_sign_user_id           uuid,
    co_sign_user_role         text,
    co_signed_at              timestamptz,
    co_sign_notes             text,
    adverse_event             boolean NOT NULL,
    adverse_event_description text,
    idempotency_key           text NOT NULL,
    created_at                timestamptz NOT NULL,
    updated_at                timestamptz NOT NULL,
    CONSTRAINT vetmed_administrations_pkey PRIMARY KEY (id, recorded_at),
    CONSTRAINT vetmed_administrations_caregiver_fk FOREIGN KEY (caregiver_id, caregiver_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE NO ACTION,
    CONSTRAINT vetmed_administrations_co_sign_user_fk FOREIGN KEY (co_sign_user_id, co_sign_user_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE NO ACTION
) PARTITION BY RANGE (recorded_at);
CREATE TABLE IF NOT EXISTS vetmed.vetmed_administrations_default
    PARTITION OF vetmed.vetmed_administrations DEFAULT;
DO $$
BEGIN
    ALTER TABLE vetmed.vetmed_administrations_default
        ADD CONSTRAINT vetmed_administrations_default_idempotency_key_key UNIQUE (idempotency_key) DEFERRABLE;
EXCEPTION WHEN duplicate_table OR duplicate_object THEN NULL;
END
$$;
CREATE INDEX IF NOT EXISTS admin_animal_id_idx ON vetmed.vetmed_administrations (animal_id);
CREATE INDEX IF NOT EXISTS admin_household_id_idx ON vetmed.vetmed_administrations (household_id);
CREATE INDEX IF NOT EXISTS admin_recorded_at_idx ON vetmed.vetmed_administrations (recorded_at);
CREATE INDEX IF NOT EXISTS admin_regimen_id_idx ON vetmed.vetmed_administrations (regimen_id);
CREATE INDEX IF NOT EXISTS admin_scheduled_for_idx ON vetmed.vetmed_administrations (scheduled_for);
CREATE INDEX IF NOT EXISTS admin_status_idx ON vetmed.vetmed_administrations (status);
CREATE INDEX IF NOT EXISTS admin_caregiver_idx ON vetmed.vetmed_administrations (caregiver_id, caregiver_role);
CREATE INDEX IF NOT EXISTS admin_co_sign_user_idx ON vetmed.vetmed_administrations (co_sign_user_id, co_sign_user_role);
CREATE INDEX IF NOT EXISTS admin_source_item_idx ON vetmed.vetmed_administrations (source_item_id);
-- admin_idempotency_key_idx: served by the unique constraint of every partition.

-- Cosign requests (the carried domain) reference an administration by its whole key; the key arrives with
-- the administrations. Targets built when both tables were created here already have it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conname = 'vetmed_cosign_requests_administration_fk') THEN
        ALTER TABLE vetmed.vetmed_cosign_requests ADD CONSTRAINT vetmed_cosign_requests_administration_fk
            FOREIGN KEY (administration_id, administration_recorded_at)
            REFERENCES vetmed.vetmed_administrations (id, recorded_at) ON UPDATE CASCADE ON DELETE CASCADE;
    END IF;
END
$$;

-- One table for legacy vetmed_notifications (in-app) and vetmed_notification_queue (scheduled). Columns
-- only one legacy table has are NULL on the other's rows (priority, read, dismissed, action_url for
-- in-app; scheduled_for, sent_at, failed_at, error, attempts, snoozed_until for the queue); in-app
-- "message" and queue "body" are both kept in body.
CREATE TABLE IF NOT EXISTS vetmed.vetmed_notifications (
    legacy_table  text NOT NULL CHECK (legacy_table IN ('vetmed_notifications', 'vetmed_notification_queue')),
    id            uuid NOT NULL,
    user_id       uuid NOT NULL,
    user_role     text NOT NULL,
    household_id  uuid NOT NULL REFERENCES vetmed.vetmed_households (id) ON DELETE CASCADE,
    type          text NOT NULL,
    title         text NOT NULL,
    body          text NOT NULL,
    status        vetmed.vetmed_notification_status NOT NULL,
    priority      text,
    read          boolean,
    dismissed     boolean,
    action_url    text,
    data          jsonb,
    scheduled_for timestamptz,
    sent_at       timestamptz,
    failed_at     timestamptz,
    error         text,
    attempts      integer,
    read_at       timestamptz,
    dismissed_at  timestamptz,
    snoozed_until timestamptz,
    created_at    timestamptz NOT NULL,
    CONSTRAINT vetmed_notifications_pkey PRIMARY KEY (legacy_table, id, created_at),
    CONSTRAINT vetmed_notifications_user_fk FOREIGN KEY (user_id, user_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE CASCADE
) PARTITION BY RANGE (created_at);
CREATE TABLE IF NOT EXISTS vetmed.vetmed_notifications_default PARTITION OF vetmed.vetmed_notifications DEFAULT;
CREATE INDEX IF NOT EXISTS notification_created_at_idx ON vetmed.vetmed_notifications (created_at DESC NULLS LAST);
CREATE INDEX IF NOT EXISTS notification_household_idx ON vetmed.vetmed_notifications (household_id);
-- A hash index, not a btree: the legacy schema never indexed the queue's types, so one may be longer than a
-- btree entry holds; hash serves the same `type = ?` lookups. Targets built with the btree get the hash.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_am a ON a.oid = c.relam
               WHERE c.oid = to_regclass('vetmed.notification_type_idx') AND a.amname <> 'hash') THEN
        DROP INDEX vetmed.notification_type_idx;
    END IF;
END
$$;
CREATE INDEX IF NOT EXISTS notification_type_idx ON vetmed.vetmed_notifications USING hash (type);
CREATE INDEX IF NOT EXISTS notification_user_read_idx ON vetmed.vetmed_notifications (user_id, read);
CREATE INDEX IF NOT EXISTS notification_scheduled_for_idx ON vetmed.vetmed_notifications (scheduled_for);
CREATE INDEX IF NOT EXISTS notification_sent_at_idx ON vetmed.vetmed_notifications (sent_at);
CREATE INDEX IF NOT EXISTS notification_user_idx ON vetmed.vetmed_notifications (user_id, user_role);
CREATE INDEX IF NOT EXISTS notification_status_idx ON vetmed.vetmed_notifications (status);

-- The two legacy tables deleted differently: in-app rows went with their user or household (CASCADE),
-- queue rows blocked that deletion (NO ACTION). One foreign key cannot do both, so the key cascades and
-- this trigger refuses a cascaded delete (trigger depth > 1) of a queue row, as the legacy key did.
CREATE OR REPLACE FUNCTION vetmed.refuse_cascaded_queue_delete() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() > 1 THEN
        RAISE EXCEPTION 'notification % (legacy vetmed_notification_queue) still references its user/household',
            OLD.id
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Legacy queue rows block the deletion of their user and household (ON DELETE NO ACTION).';
    END IF;
    RETURN OLD;
END
$$;
CREATE OR REPLACE TRIGGER vetmed_notifications_queue_no_action
    BEFORE DELETE ON vetmed.vetmed_notifications
    FOR EACH ROW WHEN (OLD.legacy_table = 'vetmed_notification_queue')
    EXECUTE FUNCTION vetmed.refuse_cascaded_queue_delete();

CREATE TABLE IF NOT EXISTS vetmed.vetmed_audit_log (
    id            uuid NOT NULL,
    user_id       uuid NOT NULL,
    user_role     text NOT NULL,
    household_id  uuid NOT NULL REFERENCES vetmed.vetmed_households (id) ON DELETE NO ACTION,
    action        text NOT NULL,
    resource_type text NOT NULL,
    resource_id   uuid,
    old_values    jsonb,
    new_values    jsonb,
    details       jsonb,
    ip_address    text,
    user_agent    text,
    session_id    text,
    "timestamp"   timestamptz NOT NULL,
    CONSTRAINT vetmed_audit_log_pkey PRIMARY KEY (id, "timestamp"),
    CONSTRAINT vetmed_audit_log_user_fk FOREIGN KEY (user_id, user_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE NO ACTION
) PARTITION BY RANGE ("timestamp");
CREATE TABLE IF NOT EXISTS vetmed.vetmed_audit_log_default PARTITION OF vetmed.vetmed_audit_log DEFAULT;
CREATE INDEX IF NOT EXISTS audit_household_id_idx ON vetmed.vetmed_audit_log (household_id);
CREATE INDEX IF NOT EXISTS audit_resource_idx ON vetmed.vetmed_audit_log (resource_type, resource_id);
CREATE INDEX IF NOT EXISTS audit_timestamp_idx ON vetmed.vetmed_audit_log ("timestamp");
CREATE INDEX IF NOT EXISTS audit_user_id_idx ON vetmed.vetmed_audit_log (user_id, user_role);

GRANT SELECT ON vetmed.vetmed_administrations, vetmed.vetmed_notifications, vetmed.vetmed_audit_log TO :app_role;

-- A notification's status, from its legacy timestamps and flags, as of the snapshot time (never the wall
-- clock). First match wins; defs/timeseries/rules.py holds the same rule and the tests hold the two
-- together:
--   draft      created after the snapshot (not yet in effect)
--   dismissed  dismissed flag or dismissed_at
--   read       read flag or read_at
--   failed     failed_at, and not sent after that failure
--   delivered  an in-app row (it is in the user's inbox from created_at on)
--   sent       a queue row sent at or before the snapshot
--   scheduled  any other queue row (waiting, snoozed, due, or retrying)
CREATE OR REPLACE FUNCTION vetmed.notification_status(
    legacy_table text, created_at timestamptz, sent_at timestamptz, failed_at timestamptz,
    read boolean, read_at timestamptz, dismissed boolean, dismissed_at timestamptz, as_of timestamptz
) RETURNS vetmed.vetmed_notification_status
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE
        WHEN created_at > as_of THEN 'draft'
        WHEN dismissed IS TRUE OR dismissed_at IS NOT NULL THEN 'dismissed'
        WHEN read IS TRUE OR read_at IS NOT NULL THEN 'read'
        WHEN failed_at IS NOT NULL AND (sent_at IS NULL OR failed_at >= sent_at) THEN 'failed'
        WHEN legacy_table = 'vetmed_notifications' THEN 'delivered'
        WHEN sent_at IS NOT NULL AND sent_at <= as_of THEN 'sent'
        ELSE 'scheduled'
    END::vetmed.vetmed_notification_status;
