-- Users domain: households, role-partitioned users and the tables split out of the legacy user row.
-- Idempotent. Every foreign key to a user is (user_id, user_role) -> vetmed_users (id, role) ON UPDATE
-- CASCADE, so a role change (an UPDATE that moves the row between partitions) carries its referencing rows.

-- A user's role from the roles of its memberships (NULLs ignored): the one implementation, used by the
-- load and by the check that recomputes roles from the extracted memberships.
CREATE OR REPLACE FUNCTION vetmed.role_from_memberships(roles text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE
        WHEN 'OWNER' = ANY (roles) THEN 'owner'
        WHEN 'CAREGIVER' = ANY (roles) THEN 'caregiver'
        WHEN 'VETREADONLY' = ANY (roles) THEN 'vet'
        ELSE 'unassigned'
    END;

DO $$
BEGIN
    CREATE TYPE vetmed.vetmed_role AS ENUM ('OWNER', 'CAREGIVER', 'VETREADONLY');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
DO $$
BEGIN
    CREATE TYPE vetmed.temperature_unit AS ENUM ('celsius', 'fahrenheit');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
DO $$
BEGIN
    CREATE TYPE vetmed.weight_unit AS ENUM ('kg', 'lbs');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;

CREATE TABLE IF NOT EXISTS vetmed.vetmed_households (
    id         uuid PRIMARY KEY,
    name       text NOT NULL,
    timezone   text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

-- role: 'owner' if any OWNER membership, else 'caregiver' if any CAREGIVER, else 'vet' if any
-- VETREADONLY, else 'unassigned' (the DEFAULT partition).
CREATE TABLE IF NOT EXISTS vetmed.vetmed_users (
    id             uuid NOT NULL,
    role           text NOT NULL,
    email          text NOT NULL,
    name           text,
    first_name     text,
    last_name      text,
    image          text,
    email_verified timestamptz,
    stack_user_id  text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    CONSTRAINT vetmed_users_pkey PRIMARY KEY (id, role),
    CONSTRAINT vetmed_users_role_check CHECK (role IN ('owner', 'caregiver', 'vet', 'unassigned'))
) PARTITION BY LIST (role);

CREATE TABLE IF NOT EXISTS vetmed.vetmed_users_owners PARTITION OF vetmed.vetmed_users FOR VALUES IN ('owner');
CREATE TABLE IF NOT EXISTS vetmed.vetmed_users_caregivers PARTITION OF vetmed.vetmed_users FOR VALUES IN ('caregiver');
CREATE TABLE IF NOT EXISTS vetmed.vetmed_users_vets PARTITION OF vetmed.vetmed_users FOR VALUES IN ('vet');
CREATE TABLE IF NOT EXISTS vetmed.vetmed_users_unassigned PARTITION OF vetmed.vetmed_users DEFAULT;

-- A unique index on a partitioned table must contain the partition key, so exact email and stack_user_id
-- are unique per partition (as seed 002 did); the check user_keys_unique_across_partitions proves them
-- globally. They are DEFERRABLE constraints, checked at commit, so one load can move an address from one
-- user to another (a plain unique index would reject the intermediate state). Targets built with the
-- earlier plain indexes are brought up to date.
DO $$
DECLARE
    partition text;
    key_column text;
    name text;
BEGIN
    FOREACH partition IN ARRAY ARRAY['vetmed_users_owners', 'vetmed_users_caregivers', 'vetmed_users_vets',
                                     'vetmed_users_unassigned'] LOOP
        FOREACH key_column IN ARRAY ARRAY['email', 'stack_user_id'] LOOP
            name := partition || '_' || key_column || '_key';
            IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint c
                           WHERE c.conname = name AND c.conrelid = format('vetmed.%I', partition)::regclass) THEN
                EXECUTE format('DROP INDEX IF EXISTS vetmed.%I', name);
                EXECUTE format('ALTER TABLE vetmed.%I ADD CONSTRAINT %I UNIQUE (%I) DEFERRABLE',
                               partition, name, key_column);
            END IF;
        END LOOP;
    END LOOP;
END
$$;

CREATE TABLE IF NOT EXISTS vetmed.vetmed_user_profiles (
    user_id              uuid PRIMARY KEY,
    user_role            text NOT NULL,
    bio                  text,
    pronouns             text,
    location             text,
    website              text,
    social_links         jsonb,   -- SQL NULL, JSON null and {} are kept apart, exactly as in the legacy row
    profile_data         jsonb,
    profile_visibility   jsonb,
    profile_completed_at timestamptz,
    CONSTRAINT vetmed_user_profiles_user_fk FOREIGN KEY (user_id, user_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS vetmed.vetmed_user_preferences (
    user_id                    uuid PRIMARY KEY,
    user_role                  text NOT NULL,
    preferred_timezone         text,
    preferred_phone_number     text,
    use_24_hour_time           boolean,
    temperature_unit           vetmed.temperature_unit,
    weight_unit                vetmed.weight_unit,
    email_reminders            boolean,
    sms_reminders              boolean,
    push_notifications         boolean,
    reminder_lead_time_minutes integer,   -- legacy text; what does not parse is quarantined
    week_starts_on             smallint CHECK (week_starts_on BETWEEN 0 AND 6),
    theme                      text,
    default_household_id       uuid REFERENCES vetmed.vetmed_households (id) ON DELETE SET NULL,
    default_animal_id          uuid,      -- its foreign key to vetmed_animals arrives with the animals domain
    onboarding_complete        boolean,
    onboarding_completed_at    timestamptz,
    preferences_backup         jsonb,
    CONSTRAINT vetmed_user_preferences_user_fk FOREIGN KEY (user_id, user_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS user_preferences_default_household_idx
    ON vetmed.vetmed_user_preferences (default_household_id);

-- 0..n per user; legacy users have at most one (position 0). Readable only by vetmed_privacy.
CREATE TABLE IF NOT EXISTS vetmed.vetmed_emergency_contacts (
    id        uuid PRIMARY KEY,
    user_id   uuid NOT NULL,
    user_role text NOT NULL,
    position  smallint NOT NULL DEFAULT 0,
    name      text,
    phone     text,
    CONSTRAINT vetmed_emergency_contacts_user_position_key UNIQUE (user_id, position),
    CONSTRAINT vetmed_emergency_contacts_not_blank CHECK (NOT (vetmed.is_blank(name) AND vetmed.is_blank(phone))),
    CONSTRAINT vetmed_emergency_contacts_user_fk FOREIGN KEY (user_id, user_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS vetmed.vetmed_memberships (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL,
    user_role    text NOT NULL,
    household_id uuid NOT NULL REFERENCES vetmed.vetmed_households (id) ON DELETE CASCADE,
    role         vetmed.vetmed_role NOT NULL DEFAULT 'CAREGIVER',
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    CONSTRAINT vetmed_memberships_user_id_household_id_key UNIQUE (user_id, household_id) DEFERRABLE,
    CONSTRAINT vetmed_memberships_user_fk FOREIGN KEY (user_id, user_role)
        REFERENCES vetmed.vetmed_users (id, role) ON UPDATE CASCADE ON DELETE CASCADE
);
-- Deferrable, so one load can move pairs between rows (two memberships swapping households) and the
-- uniqueness is checked at commit. Targets built before this was deferrable are brought up to date.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint
               WHERE conname = 'vetmed_memberships_user_id_household_id_key' AND NOT condeferrable) THEN
        ALTER TABLE vetmed.vetmed_memberships DROP CONSTRAINT vetmed_memberships_user_id_household_id_key;
        ALTER TABLE vetmed.vetmed_memberships ADD CONSTRAINT vetmed_memberships_user_id_household_id_key
            UNIQUE (user_id, household_id) DEFERRABLE;
    END IF;
END
$$;
CREATE INDEX IF NOT EXISTS membership_household_id_idx ON vetmed.vetmed_memberships (household_id);
CREATE INDEX IF NOT EXISTS membership_user_fk_idx ON vetmed.vetmed_memberships (user_id, user_role);

GRANT USAGE ON SCHEMA vetmed TO :app_role;
GRANT SELECT ON vetmed.vetmed_households, vetmed.vetmed_users, vetmed.vetmed_users_owners,
    vetmed.vetmed_users_caregivers, vetmed.vetmed_users_vets, vetmed.vetmed_users_unassigned,
    vetmed.vetmed_user_profiles, vetmed.vetmed_user_preferences, vetmed.vetmed_memberships TO :app_role;
REVOKE ALL ON vetmed.vetmed_emergency_contacts FROM PUBLIC, :app_role;
GRANT SELECT ON vetmed.vetmed_emergency_contacts TO :privacy_role;
