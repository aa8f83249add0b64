-- Tables carried over with their keys, user references remapped to the composite (id, role) keys.
-- Idempotent.

DO $$
BEGIN
    CREATE TYPE vetmed.vetmed_suggestion_status AS ENUM ('pending', 'applied', 'reverted', 'dismissed');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;

CREATE TABLE IF NOT EXISTS vetmed.vetmed_push_subscriptions (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL,
    user_role   text NOT NULL,
    endpoint    text NOT NULL,
    p256dh_key  text NOT NULL,
    auth_key    text NOT NULL,
    user_agent  text,
    device_name text,
    is_active   boolean NOT NULL,
    last_used   timestamptz NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    -- deferrable: an endpoint may move from one subscription row to another within one load
    CONSTRAINT vetmed_push_subscriptions_endpoint_key UNIQUE (endpoint) DEFERRABLE,
    CONSTRAINT vetmed_push_subscriptions_user_fk FOREIGN KEY (user_id, user_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS push_subscription_active_idx ON vetmed.vetmed_push_subscriptions (is_active);
CREATE INDEX IF NOT EXISTS push_subscription_user_idx ON vetmed.vetmed_push_subscriptions (user_id, user_role);

CREATE TABLE IF NOT EXISTS vetmed.vetmed_suggestions (
    id                     uuid PRIMARY KEY,
    household_id           uuid NOT NULL REFERENCES vetmed.vetmed_households (id) ON DELETE CASCADE,
    type                   text NOT NULL,
    summary                text NOT NULL,
    rationale              text NOT NULL,
    priority               text NOT NULL,
    estimated_impact       text,
    status                 vetmed.vetmed_suggestion_status NOT NULL,
    action                 jsonb NOT NULL,
    original_values        jsonb,
    applied_at             timestamptz,
    applied_by_user_id     uuid,
    applied_by_user_role   text,
    reverted_at            timestamptz,
    reverted_by_user_id    uuid,
    reverted_by_user_role  text,
    dismissed_at           timestamptz,
    dismissed_by_user_id   uuid,
    dismissed_by_user_role text,
    expires_at             timestamptz,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    -- legacy ON DELETE SET NULL, on both columns of the composite key
    CONSTRAINT vetmed_suggestions_applied_by_fk FOREIGN KEY (applied_by_user_id, applied_by_user_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE SET NULL,
    CONSTRAINT vetmed_suggestions_reverted_by_fk FOREIGN KEY (reverted_by_user_id, reverted_by_user_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE SET NULL,
    CONSTRAINT vetmed_suggestions_dismissed_by_fk FOREIGN KEY (dismissed_by_user_id, dismissed_by_user_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS suggestions_created_at_idx ON vetmed.vetmed_suggestions (created_at DESC NULLS LAST);
CREATE INDEX IF NOT EXISTS suggestions_household_id_idx ON vetmed.vetmed_suggestions (household_id);
CREATE INDEX IF NOT EXISTS suggestions_status_idx ON vetmed.vetmed_suggestions (status);
CREATE INDEX IF NOT EXISTS suggestions_type_idx ON vetmed.vetmed_suggestions (type);
CREATE INDEX IF NOT EXISTS suggestions_applied_by_idx ON vetmed.vetmed_suggestions (applied_by_user_id, applied_by_user_role);
CREATE INDEX IF NOT EXISTS suggestions_reverted_by_idx ON vetmed.vetmed_suggestions (reverted_by_user_id, reverted_by_user_role);
CREATE INDEX IF NOT EXISTS suggestions_dismissed_by_idx ON vetmed.vetmed_suggestions (dismissed_by_user_id, dismissed_by_user_role);

GRANT SELECT ON vetmed.vetmed_push_subscriptions, vetmed.vetmed_suggestions TO :app_role;

DO $$
BEGIN
    CREATE TYPE vetmed.vetmed_schedule_type AS ENUM ('FIXED', 'PRN', 'INTERVAL', 'TAPER');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
DO $$
BEGIN
    CREATE TYPE vetmed.vetmed_storage AS ENUM ('ROOM', 'FRIDGE', 'FREEZER', 'CONTROLLED');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;

CREATE TABLE IF NOT EXISTS vetmed.vetmed_regimens (
    id               uuid PRIMARY KEY,
    animal_id        uuid NOT NULL REFERENCES vetmed.vetmed_animals (id) ON DELETE CASCADE,
    medication_id    uuid NOT NULL REFERENCES vetmed.vetmed_medications (id) ON DELETE NO ACTION,
    name             text,
    instructions     text,
    schedule_type    vetmed.vetmed_schedule_type NOT NULL,
    times_local      time[],
    interval_hours   integer,
    start_date       date NOT NULL,
    end_date         date,
    prn_reason       text,
    max_daily_doses  integer,
    cutoff_minutes   integer NOT NULL,
    high_risk        boolean NOT NULL,
    requires_co_sign boolean NOT NULL,
    active           boolean NOT NULL,
    paused_at        timestamptz,
    pause_reason     text,
    dose             text,
    route            text,   -- free text in the legacy schema (not the route enum); kept as written
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    deleted_at       timestamptz
);
CREATE INDEX IF NOT EXISTS regimen_active_idx ON vetmed.vetmed_regimens (active);
CREATE INDEX IF NOT EXISTS regimen_animal_id_idx ON vetmed.vetmed_regimens (animal_id);
CREATE INDEX IF NOT EXISTS regimen_deleted_at_idx ON vetmed.vetmed_regimens (deleted_at);
CREATE INDEX IF NOT EXISTS regimen_start_date_idx ON vetmed.vetmed_regimens (start_date);
CREATE INDEX IF NOT EXISTS regimen_medication_id_idx ON vetmed.vetmed_regimens (medication_id);

CREATE TABLE IF NOT EXISTS vetmed.vetmed_inventory_items (
    id                 uuid PRIMARY KEY,
    household_id       uuid NOT NULL REFERENCES vetmed.vetmed_households (id) ON DELETE CASCADE,
    medication_id      uuid NOT NULL REFERENCES vetmed.vetmed_medications (id) ON DELETE NO ACTION,
    assigned_animal_id uuid REFERENCES vetmed.vetmed_animals (id) ON DELETE SET NULL,
    brand_override     text,
    concentration      text,
    lot                text,
    expires_on         date NOT NULL,
    storage            vetmed.vetmed_storage NOT NULL,
    quantity_units     integer,
    units_remaining    integer,
    unit_type          text,
    opened_on          date,
    in_use             boolean NOT NULL,
    barcode            text,
    purchase_date      date,
    purchase_price     numeric(10, 2),
    supplier           text,
    notes              text,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    deleted_at         timestamptz
);
CREATE INDEX IF NOT EXISTS inventory_animal_id_idx ON vetmed.vetmed_inventory_items (assigned_animal_id);
CREATE INDEX IF NOT EXISTS inventory_deleted_at_idx ON vetmed.vetmed_inventory_items (deleted_at);
CREATE INDEX IF NOT EXISTS inventory_expires_on_idx ON vetmed.vetmed_inventory_items (expires_on);
CREATE INDEX IF NOT EXISTS inventory_household_id_idx ON vetmed.vetmed_inventory_items (household_id);
CREATE INDEX IF NOT EXISTS inventory_in_use_idx ON vetmed.vetmed_inventory_items (in_use);
CREATE INDEX IF NOT EXISTS inventory_medication_id_idx ON vetmed.vetmed_inventory_items (medication_id);

GRANT SELECT ON vetmed.vetmed_regimens, vetmed.vetmed_inventory_items TO :app_role;

DO $$
BEGIN
    CREATE TYPE vetmed.vetmed_cosign_status AS ENUM ('pending', 'approved', 'rejected', 'expired');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;

-- Cosign requests reference an administration by its whole key, so a month of administrations can be
-- rewritten (upsert, and delete only what left the source) without touching them; a moved administration
-- carries them along.
CREATE TABLE IF NOT EXISTS vetmed.vetmed_cosign_requests (
    id                         uuid PRIMARY KEY,
    administration_id          uuid NOT NULL,
    administration_recorded_at timestamptz NOT NULL,
    requester_id               uuid NOT NULL,
    requester_role             text NOT NULL,
    cosigner_id                uuid NOT NULL,
    cosigner_role              text NOT NULL,
    household_id               uuid NOT NULL REFERENCES vetmed.vetmed_households (id) ON DELETE CASCADE,
    status                     vetmed.vetmed_cosign_status NOT NULL,
    signature                  text,
    rejection_reason           text,
    signed_at                  timestamptz,
    created_at                 timestamptz NOT NULL,
    expires_at                 timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL,
    CONSTRAINT vetmed_cosign_requests_administration_id_key UNIQUE (administration_id) DEFERRABLE,
    -- vetmed_cosign_requests_administration_fk (administration_id, administration_recorded_at) is added by
    -- sql/timeseries/ddl.sql, with the administrations it references.
    CONSTRAINT vetmed_cosign_requests_requester_fk FOREIGN KEY (requester_id, requester_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT vetmed_cosign_requests_cosigner_fk FOREIGN KEY (cosigner_id, cosigner_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS cosign_requests_administration_idx
    ON vetmed.vetmed_cosign_requests (administration_id, administration_recorded_at);
CREATE INDEX IF NOT EXISTS cosign_requests_cosigner_id_idx ON vetmed.vetmed_cosign_requests (cosigner_id, cosigner_role);
CREATE INDEX IF NOT EXISTS cosign_requests_expires_at_idx ON vetmed.vetmed_cosign_requests (expires_at);
CREATE INDEX IF NOT EXISTS cosign_requests_household_id_idx ON vetmed.vetmed_cosign_requests (household_id);
CREATE INDEX IF NOT EXISTS cosign_requests_requester_id_idx ON vetmed.vetmed_cosign_requests (requester_id, requester_role);
CREATE INDEX IF NOT EXISTS cosign_requests_status_idx ON vetmed.vetmed_cosign_requests (status);

GRANT SELECT ON vetmed.vetmed_cosign_requests TO :app_role;
