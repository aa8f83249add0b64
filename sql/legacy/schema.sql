-- The legacy VetMed Tracker schema (kjanat/vet-med-tracker @ 32bf9f0, db/schema.ts), as its drizzle
-- migrations produce it. Column for column what ../shared/spec/legacy-schema.md lists; sql/legacy/spec.json
-- is the machine-readable copy and tests/integration/test_legacy_schema.py compares the catalog with it.
-- Used only by the demo seeder and the tests: the pipeline never runs DDL on a source database.

CREATE TYPE temperature_unit AS ENUM ('celsius', 'fahrenheit');
CREATE TYPE vetmed_admin_status AS ENUM ('ON_TIME', 'LATE', 'VERY_LATE', 'MISSED', 'PRN');
CREATE TYPE vetmed_cosign_status AS ENUM ('pending', 'approved', 'rejected', 'expired');
CREATE TYPE vetmed_form AS ENUM ('TABLET', 'CAPSULE', 'LIQUID', 'INJECTION', 'CREAM', 'OINTMENT', 'DROPS', 'SPRAY', 'POWDER', 'PATCH', 'OTHER');
CREATE TYPE vetmed_role AS ENUM ('OWNER', 'CAREGIVER', 'VETREADONLY');
CREATE TYPE vetmed_route AS ENUM ('ORAL', 'SC', 'IM', 'IV', 'TOPICAL', 'OTIC', 'OPHTHALMIC', 'INHALED', 'RECTAL', 'OTHER');
CREATE TYPE vetmed_schedule_type AS ENUM ('FIXED', 'PRN', 'INTERVAL', 'TAPER');
CREATE TYPE vetmed_storage AS ENUM ('ROOM', 'FRIDGE', 'FREEZER', 'CONTROLLED');
CREATE TYPE vetmed_suggestion_status AS ENUM ('pending', 'applied', 'reverted', 'dismissed');
CREATE TYPE weight_unit AS ENUM ('kg', 'lbs');

CREATE TABLE vetmed_users (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    stack_user_id text,
    email text NOT NULL,
    name text,
    image text,
    email_verified timestamptz,
    preferred_timezone text DEFAULT 'America/New_York'::text,
    preferred_phone_number text,
    use_24_hour_time boolean DEFAULT false,
    temperature_unit temperature_unit DEFAULT 'fahrenheit'::temperature_unit,
    weight_unit weight_unit DEFAULT 'lbs'::weight_unit,
    email_reminders boolean DEFAULT true,
    sms_reminders boolean DEFAULT false,
    push_notifications boolean DEFAULT true,
    reminder_lead_time_minutes text DEFAULT '15'::text,
    emergency_contact_name text,
    emergency_contact_phone text,
    onboarding_complete boolean DEFAULT false,
    onboarding_completed_at timestamptz,
    preferences_backup jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    week_starts_on integer DEFAULT 0,
    default_household_id uuid,
    default_animal_id uuid,
    theme text DEFAULT 'system'::text,
    first_name text,
    last_name text,
    bio text,
    pronouns text,
    location text,
    website text,
    social_links jsonb DEFAULT '{}'::jsonb,
    profile_data jsonb DEFAULT '{}'::jsonb,
    profile_visibility jsonb DEFAULT '{"bio": true, "name": true, "email": false, "location": true}'::jsonb,
    profile_completed_at timestamptz,
    CONSTRAINT vetmed_users_pkey PRIMARY KEY (id),
    CONSTRAINT vetmed_users_email_unique UNIQUE (email),
    CONSTRAINT vetmed_users_stack_user_id_unique UNIQUE (stack_user_id)
);

CREATE TABLE vetmed_households (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    name text NOT NULL,
    timezone text NOT NULL DEFAULT 'America/New_York'::text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT vetmed_households_pkey PRIMARY KEY (id)
);

CREATE TABLE vetmed_memberships (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    household_id uuid NOT NULL,
    role vetmed_role NOT NULL DEFAULT 'CAREGIVER'::vetmed_role,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT vetmed_memberships_pkey PRIMARY KEY (id),
    CONSTRAINT vetmed_memberships_user_id_household_id_unique UNIQUE (user_id, household_id)
);

CREATE TABLE vetmed_animals (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    household_id uuid NOT NULL,
    name text NOT NULL,
    species text NOT NULL,
    breed text,
    sex text,
    neutered boolean NOT NULL DEFAULT false,
    dob date,
    weight_kg numeric(5,2),
    microchip_id text,
    color text,
    photo_url text,
    timezone text NOT NULL DEFAULT 'America/New_York'::text,
    vet_name text,
    vet_phone text,
    vet_email text,
    clinic_name text,
    allergies text[],
    conditions text[],
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    CONSTRAINT vetmed_animals_pkey PRIMARY KEY (id)
);

CREATE TABLE vetmed_medication_catalog (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    generic_name text NOT NULL,
    brand_name text,
    strength text,
    route vetmed_route NOT NULL,
    form vetmed_form NOT NULL,
    controlled_substance boolean NOT NULL DEFAULT false,
    common_dosing text,
    warnings text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    dosage_min_mg_kg numeric(10,4),
    dosage_max_mg_kg numeric(10,4),
    dosage_typical_mg_kg numeric(10,4),
    max_daily_dose_mg numeric(10,2),
    species_adjustments jsonb,
    route_adjustments jsonb,
    contraindications text[],
    age_adjustments jsonb,
    breed_considerations jsonb,
    concentration_mg_ml numeric(10,4),
    units_per_tablet numeric(10,4),
    unit_type text DEFAULT 'mg'::text,
    typical_frequency_hours integer,
    max_frequency_per_day integer,
    CONSTRAINT vetmed_medication_catalog_pkey PRIMARY KEY (id)
);

CREATE TABLE vetmed_inventory_items (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    household_id uuid NOT NULL,
    medication_id uuid NOT NULL,
    assigned_animal_id uuid,
    brand_override text,
    concentration text,
    lot text,
    expires_on date NOT NULL,
    storage vetmed_storage NOT NULL DEFAULT 'ROOM'::vetmed_storage,
    quantity_units integer,
    units_remaining integer,
    unit_type text,
    opened_on date,
    in_use boolean NOT NULL DEFAULT false,
    barcode text,
    purchase_date date,
    purchase_price numeric(10,2),
    supplier text,
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    CONSTRAINT vetmed_inventory_items_pkey PRIMARY KEY (id)
);

CREATE TABLE vetmed_regimens (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    animal_id uuid NOT NULL,
    medication_id uuid NOT NULL,
    name text,
    instructions text,
    schedule_type vetmed_schedule_type NOT NULL,
    times_local time[],
    interval_hours integer,
    start_date date NOT NULL,
    end_date date,
    prn_reason text,
    max_daily_doses integer,
    cutoff_minutes integer NOT NULL DEFAULT 240,
    high_risk boolean NOT NULL DEFAULT false,
    requires_co_sign boolean NOT NULL DEFAULT false,
    active boolean NOT NULL DEFAULT true,
    paused_at timestamptz,
    pause_reason text,
    dose text,
    route text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    CONSTRAINT vetmed_regimens_pkey PRIMARY KEY (id)
);

CREATE TABLE vetmed_administrations (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    regimen_id uuid NOT NULL,
    animal_id uuid NOT NULL,
    household_id uuid NOT NULL,
    caregiver_id uuid NOT NULL,
    scheduled_for timestamptz,
    recorded_at timestamptz NOT NULL,
    status vetmed_admin_status NOT NULL,
    source_item_id uuid,
    site text,
    dose text,
    notes text,
    media_urls text[],
    co_sign_user_id uuid,
    co_signed_at timestamptz,
    co_sign_notes text,
    adverse_event boolean NOT NULL DEFAULT false,
    adverse_event_description text,
    idempotency_key text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT vetmed_administrations_pkey PRIMARY KEY (id),
    CONSTRAINT vetmed_administrations_idempotency_key_unique UNIQUE (idempotency_key)
);

CREATE TABLE vetmed_cosign_requests (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    administration_id uuid NOT NULL,
    requester_id uuid NOT NULL,
    cosigner_id uuid NOT NULL,
    household_id uuid NOT NULL,
    status vetmed_cosign_status NOT NULL DEFAULT 'pending'::vetmed_cosign_status,
    signature text,
    rejection_reason text,
    signed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT vetmed_cosign_requests_pkey PRIMARY KEY (id),
    CONSTRAINT vetmed_cosign_requests_administration_id_unique UNIQUE (administration_id)
);

CREATE TABLE vetmed_notifications (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    household_id uuid NOT NULL,
    type text NOT NULL,
    title text NOT NULL,
    message text NOT NULL,
    priority text NOT NULL DEFAULT 'medium'::text,
    read boolean NOT NULL DEFAULT false,
    dismissed boolean NOT NULL DEFAULT false,
    action_url text,
    data jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at timestamptz,
    dismissed_at timestamptz,
    CONSTRAINT vetmed_notifications_pkey PRIMARY KEY (id)
);

CREATE TABLE vetmed_notification_queue (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    household_id uuid NOT NULL,
    type text NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    data jsonb,
    scheduled_for timestamptz NOT NULL,
    sent_at timestamptz,
    failed_at timestamptz,
    error text,
    attempts integer NOT NULL DEFAULT 0,
    read_at timestamptz,
    dismissed_at timestamptz,
    snoozed_until timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT vetmed_notification_queue_pkey PRIMARY KEY (id)
);

CREATE TABLE vetmed_push_subscriptions (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    endpoint text NOT NULL,
    p256dh_key text NOT NULL,
    auth_key text NOT NULL,
    user_agent text,
    device_name text,
    is_active boolean NOT NULL DEFAULT true,
    last_used timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT vetmed_push_subscriptions_pkey PRIMARY KEY (id),
    CONSTRAINT vetmed_push_subscriptions_endpoint_unique UNIQUE (endpoint)
);

CREATE TABLE vetmed_suggestions (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    household_id uuid NOT NULL,
    type text NOT NULL,
    summary text NOT NULL,
    rationale text NOT NULL,
    priority text NOT NULL DEFAULT 'medium'::text,
    estimated_impact text,
    status vetmed_suggestion_status NOT NULL DEFAULT 'pending'::vetmed_suggestion_status,
    action jsonb NOT NULL,
    original_values jsonb,
    applied_at timestamptz,
    applied_by_user_id uuid,
    reverted_at timestamptz,
    reverted_by_user_id uuid,
    dismissed_at timestamptz,
    dismissed_by_user_id uuid,
    expires_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT vetmed_suggestions_pkey PRIMARY KEY (id)
);

CREATE TABLE vetmed_audit_log (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL,
    household_id uuid NOT NULL,
    action text NOT NULL,
    resource_type text NOT NULL,
    resource_id uuid,
    old_values jsonb,
    new_values jsonb,
    details jsonb,
    ip_address text,
    user_agent text,
    session_id text,
    "timestamp" timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT vetmed_audit_log_pkey PRIMARY KEY (id)
);

ALTER TABLE vetmed_users ADD CONSTRAINT vetmed_users_default_animal_id_fk
    FOREIGN KEY (default_animal_id) REFERENCES vetmed_animals(id) ON DELETE SET NULL ON UPDATE NO ACTION;
ALTER TABLE vetmed_users ADD CONSTRAINT vetmed_users_default_household_id_fk
    FOREIGN KEY (default_household_id) REFERENCES vetmed_households(id) ON DELETE SET NULL ON UPDATE NO ACTION;
ALTER TABLE vetmed_memberships ADD CONSTRAINT vetmed_memberships_household_id_vetmed_households_id_fk
    FOREIGN KEY (household_id) REFERENCES vetmed_households(id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE vetmed_memberships ADD CONSTRAINT vetmed_memberships_user_id_vetmed_users_id_fk
    FOREIGN KEY (user_id) REFERENCES vetmed_users(id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE vetmed_animals ADD CONSTRAINT vetmed_animals_household_id_vetmed_households_id_fk
    FOREIGN KEY (household_id) REFERENCES vetmed_households(id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE vetmed_inventory_items ADD CONSTRAINT vetmed_inventory_items_assigned_animal_id_vetmed_animals_id_fk
    FOREIGN KEY (assigned_animal_id) REFERENCES vetmed_animals(id) ON DELETE SET NULL ON UPDATE NO ACTION;
ALTER TABLE vetmed_inventory_items ADD CONSTRAINT vetmed_inventory_items_household_id_vetmed_households_id_fk
    FOREIGN KEY (household_id) REFERENCES vetmed_households(id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE vetmed_inventory_items ADD CONSTRAINT vetmed_inventory_items_medication_id_vetmed_medication_catalog_
    FOREIGN KEY (medication_id) REFERENCES vetmed_medication_catalog(id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE vetmed_regimens ADD CONSTRAINT vetmed_regimens_animal_id_vetmed_animals_id_fk
    FOREIGN KEY (animal_id) REFERENCES vetmed_animals(id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE vetmed_regimens ADD CONSTRAINT vetmed_regimens_medication_id_vetmed_medication_catalog_id_fk
    FOREIGN KEY (medication_id) REFERENCES vetmed_medication_catalog(id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE vetmed_administrations ADD CONSTRAINT vetmed_administrations_animal_id_vetmed_animals_id_fk
    FOREIGN KEY (animal_id) REFERENCES vetmed_animals(id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE vetmed_administrations ADD CONSTRAINT vetmed_administrations_caregiver_id_vetmed_users_id_fk
    FOREIGN KEY (caregiver_id) REFERENCES vetmed_users(id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE vetmed_administrations ADD CONSTRAINT vetmed_administrations_co_sign_user_id_vetmed_users_id_fk
    FOREIGN KEY (co_sign_user_id) REFERENCES vetmed_users(id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE vetmed_administrations ADD CONSTRAINT vetmed_administrations_household_id_vetmed_households_id_fk
    FOREIGN KEY (household_id) REFERENCES vetmed_households(id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE vetmed_administrations ADD CONSTRAINT vetmed_administrations_regimen_id_vetmed_regimens_id_fk
    FOREIGN KEY (regimen_id) REFERENCES vetmed_regimens(id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE vetmed_administrations ADD CONSTRAINT vetmed_administrations_source_item_id_vetmed_inventory_items_id
    FOREIGN KEY (source_item_id) REFERENCES vetmed_inventory_items(id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE vetmed_cosign_requests ADD CONSTRAINT vetmed_cosign_requests_administration_id_vetmed_administrations
    FOREIGN KEY (administration_id) REFERENCES vetmed_administrations(id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE vetmed_cosign_requests ADD CONSTRAINT vetmed_cosign_requests_cosigner_id_vetmed_users_id_fk
    FOREIGN KEY (cosigner_id) REFERENCES vetmed_users(id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE vetmed_cosign_requests ADD CONSTRAINT vetmed_cosign_requests_household_id_vetmed_households_id_fk
    FOREIGN KEY (household_id) REFERENCES vetmed_households(id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE vetmed_cosign_requests ADD CONSTRAINT vetmed_cosign_requests_requester_id_vetmed_users_id_fk
    FOREIGN KEY (requester_id) REFERENCES vetmed_users(id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE vetmed_notifications ADD CONSTRAINT vetmed_notifications_household_id_vetmed_households_id_fk
    FOREIGN KEY (household_id) REFERENCES vetmed_households(id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE vetmed_notifications ADD CONSTRAINT vetmed_notifications_user_id_vetmed_users_id_fk
    FOREIGN KEY (user_id) REFERENCES vetmed_users(id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE vetmed_notification_queue ADD CONSTRAINT vetmed_notification_queue_household_id_vetmed_households_id_fk
    FOREIGN KEY (household_id) REFERENCES vetmed_households(id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE vetmed_notification_queue ADD CONSTRAINT vetmed_notification_queue_user_id_vetmed_users_id_fk
    FOREIGN KEY (user_id) REFERENCES vetmed_users(id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE vetmed_push_subscriptions ADD CONSTRAINT vetmed_push_subscriptions_user_id_vetmed_users_id_fk
    FOREIGN KEY (user_id) REFERENCES vetmed_users(id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE vetmed_suggestions ADD CONSTRAINT vetmed_suggestions_applied_by_user_id_vetmed_users_id_fk
    FOREIGN KEY (applied_by_user_id) REFERENCES vetmed_users(id) ON DELETE SET NULL ON UPDATE NO ACTION;
ALTER TABLE vetmed_suggestions ADD CONSTRAINT vetmed_suggestions_dismissed_by_user_id_vetmed_users_id_fk
    FOREIGN KEY (dismissed_by_user_id) REFERENCES vetmed_users(id) ON DELETE SET NULL ON UPDATE NO ACTION;
ALTER TABLE vetmed_suggestions ADD CONSTRAINT vetmed_suggestions_household_id_vetmed_households_id_fk
    FOREIGN KEY (household_id) REFERENCES vetmed_households(id) ON DELETE CASCADE ON UPDATE NO ACTION;
ALTER TABLE vetmed_suggestions ADD CONSTRAINT vetmed_suggestions_reverted_by_user_id_vetmed_users_id_fk
    FOREIGN KEY (reverted_by_user_id) REFERENCES vetmed_users(id) ON DELETE SET NULL ON UPDATE NO ACTION;
ALTER TABLE vetmed_audit_log ADD CONSTRAINT vetmed_audit_log_household_id_vetmed_households_id_fk
    FOREIGN KEY (household_id) REFERENCES vetmed_households(id) ON DELETE NO ACTION ON UPDATE NO ACTION;
ALTER TABLE vetmed_audit_log ADD CONSTRAINT vetmed_audit_log_user_id_vetmed_users_id_fk
    FOREIGN KEY (user_id) REFERENCES vetmed_users(id) ON DELETE NO ACTION ON UPDATE NO ACTION;

CREATE INDEX membership_household_id_idx ON vetmed_memberships USING btree (household_id);
CREATE INDEX membership_user_id_idx ON vetmed_memberships USING btree (user_id);
CREATE INDEX animal_deleted_at_idx ON vetmed_animals USING btree (deleted_at);
CREATE INDEX animal_household_id_idx ON vetmed_animals USING btree (household_id);
CREATE INDEX med_catalog_brand_name_idx ON vetmed_medication_catalog USING btree (brand_name);
CREATE INDEX med_catalog_dosage_range_idx ON vetmed_medication_catalog USING btree (dosage_min_mg_kg, dosage_max_mg_kg);
CREATE INDEX med_catalog_generic_name_idx ON vetmed_medication_catalog USING btree (generic_name);
CREATE INDEX inventory_animal_id_idx ON vetmed_inventory_items USING btree (assigned_animal_id);
CREATE INDEX inventory_deleted_at_idx ON vetmed_inventory_items USING btree (deleted_at);
CREATE INDEX inventory_expires_on_idx ON vetmed_inventory_items USING btree (expires_on);
CREATE INDEX inventory_household_id_idx ON vetmed_inventory_items USING btree (household_id);
CREATE INDEX inventory_in_use_idx ON vetmed_inventory_items USING btree (in_use);
CREATE INDEX regimen_active_idx ON vetmed_regimens USING btree (active);
CREATE INDEX regimen_animal_id_idx ON vetmed_regimens USING btree (animal_id);
CREATE INDEX regimen_deleted_at_idx ON vetmed_regimens USING btree (deleted_at);
CREATE INDEX regimen_start_date_idx ON vetmed_regimens USING btree (start_date);
CREATE INDEX admin_animal_id_idx ON vetmed_administrations USING btree (animal_id);
CREATE INDEX admin_household_id_idx ON vetmed_administrations USING btree (household_id);
CREATE INDEX admin_idempotency_key_idx ON vetmed_administrations USING btree (idempotency_key);
CREATE INDEX admin_recorded_at_idx ON vetmed_administrations USING btree (recorded_at);
CREATE INDEX admin_regimen_id_idx ON vetmed_administrations USING btree (regimen_id);
CREATE INDEX admin_scheduled_for_idx ON vetmed_administrations USING btree (scheduled_for);
CREATE INDEX admin_status_idx ON vetmed_administrations USING btree (status);
CREATE INDEX cosign_requests_administration_id_idx ON vetmed_cosign_requests USING btree (administration_id);
CREATE INDEX cosign_requests_cosigner_id_idx ON vetmed_cosign_requests USING btree (cosigner_id);
CREATE INDEX cosign_requests_expires_at_idx ON vetmed_cosign_requests USING btree (expires_at);
CREATE INDEX cosign_requests_household_id_idx ON vetmed_cosign_requests USING btree (household_id);
CREATE INDEX cosign_requests_requester_id_idx ON vetmed_cosign_requests USING btree (requester_id);
CREATE INDEX cosign_requests_status_idx ON vetmed_cosign_requests USING btree (status);
CREATE INDEX notification_created_at_idx ON vetmed_notifications USING btree (created_at DESC NULLS LAST);
CREATE INDEX notification_household_idx ON vetmed_notifications USING btree (household_id);
CREATE INDEX notification_type_idx ON vetmed_notifications USING btree (type);
CREATE INDEX notification_user_read_idx ON vetmed_notifications USING btree (user_id, read);
CREATE INDEX notification_scheduled_for_idx ON vetmed_notification_queue USING btree (scheduled_for);
CREATE INDEX notification_sent_at_idx ON vetmed_notification_queue USING btree (sent_at);
CREATE INDEX notification_user_id_idx ON vetmed_notification_queue USING btree (user_id);
CREATE INDEX push_subscription_active_idx ON vetmed_push_subscriptions USING btree (is_active);
CREATE INDEX push_subscription_endpoint_idx ON vetmed_push_subscriptions USING btree (endpoint);
CREATE INDEX push_subscription_user_idx ON vetmed_push_subscriptions USING btree (user_id);
CREATE INDEX suggestions_created_at_idx ON vetmed_suggestions USING btree (created_at DESC NULLS LAST);
CREATE INDEX suggestions_household_id_idx ON vetmed_suggestions USING btree (household_id);
CREATE INDEX suggestions_status_idx ON vetmed_suggestions USING btree (status);
CREATE INDEX suggestions_type_idx ON vetmed_suggestions USING btree (type);
CREATE INDEX audit_household_id_idx ON vetmed_audit_log USING btree (household_id);
CREATE INDEX audit_resource_idx ON vetmed_audit_log USING btree (resource_type, resource_id);
CREATE INDEX audit_timestamp_idx ON vetmed_audit_log USING btree ("timestamp");
CREATE INDEX audit_user_id_idx ON vetmed_audit_log USING btree (user_id);
