-- Animals and medical data: animals without vet columns or arrays, de-duplicated veterinarians, and the
-- allergy and condition arrays as rows. Idempotent.

DO $$
BEGIN
    CREATE TYPE vetmed.vetmed_severity AS ENUM ('mild', 'moderate', 'severe', 'critical');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
DO $$
BEGIN
    CREATE TYPE vetmed.vetmed_allergen_type AS ENUM ('food', 'environmental', 'medication', 'contact', 'other');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;

CREATE TABLE IF NOT EXISTS vetmed.vetmed_animals (
    id                 uuid PRIMARY KEY,
    household_id       uuid NOT NULL REFERENCES vetmed.vetmed_households (id) ON DELETE CASCADE,
    name               text NOT NULL,
    species            text NOT NULL,
    breed              text,
    sex                text,
    neutered           boolean NOT NULL,
    dob                date,
    weight_kg          numeric(5, 2),
    microchip_id       text,
    color              text,
    photo_url          text,
    timezone           text NOT NULL,
    notes              text,
    -- Length of the legacy arrays: NULL for a NULL array, 0 for '{}'. Rows plus quarantined elements
    -- account for every element; these keep what tells NULL and empty apart.
    allergy_elements   integer,
    condition_elements integer,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    deleted_at         timestamptz
);
CREATE INDEX IF NOT EXISTS animal_household_id_idx ON vetmed.vetmed_animals (household_id);
CREATE INDEX IF NOT EXISTS animal_deleted_at_idx ON vetmed.vetmed_animals (deleted_at);

-- One row per real veterinarian; id = derived_uuid('vetmed_veterinarians', dedup_key), stable across runs.
CREATE TABLE IF NOT EXISTS vetmed.vetmed_veterinarians (
    id           uuid PRIMARY KEY,
    dedup_key    text NOT NULL UNIQUE,
    name         text,
    phone        text,
    phone_digits text,
    email        text,
    clinic_name  text
);
CREATE INDEX IF NOT EXISTS veterinarians_name_idx ON vetmed.vetmed_veterinarians (name);
CREATE INDEX IF NOT EXISTS veterinarians_clinic_name_idx ON vetmed.vetmed_veterinarians (clinic_name);

CREATE TABLE IF NOT EXISTS vetmed.vetmed_animal_veterinarians (
    animal_id       uuid NOT NULL REFERENCES vetmed.vetmed_animals (id) ON DELETE CASCADE,
    veterinarian_id uuid NOT NULL REFERENCES vetmed.vetmed_veterinarians (id) ON DELETE CASCADE,
    is_primary      boolean NOT NULL DEFAULT true,
    PRIMARY KEY (animal_id, veterinarian_id)
);
-- Which of the animal's legacy vet columns held a value (vet_name, vet_phone, vet_email, clinic_name): the
-- vet row has every field, the animal may have had only some; the compat view rebuilds exactly those.
ALTER TABLE vetmed.vetmed_animal_veterinarians ADD COLUMN IF NOT EXISTS legacy_fields text[];
CREATE INDEX IF NOT EXISTS animal_veterinarians_veterinarian_id_idx
    ON vetmed.vetmed_animal_veterinarians (veterinarian_id);

-- One row per distinct allergen of an animal; position is the legacy array subscript (1-based).
CREATE TABLE IF NOT EXISTS vetmed.vetmed_animal_allergies (
    id            uuid PRIMARY KEY,
    animal_id     uuid NOT NULL REFERENCES vetmed.vetmed_animals (id) ON DELETE CASCADE,
    allergen      text NOT NULL,
    allergen_key  text NOT NULL,
    allergen_type vetmed.vetmed_allergen_type NOT NULL,
    severity      vetmed.vetmed_severity,
    source_text   text NOT NULL,
    position      integer NOT NULL,
    is_active     boolean NOT NULL DEFAULT true,
    CONSTRAINT animal_allergies_animal_allergen_key UNIQUE (animal_id, allergen_key),
    CONSTRAINT animal_allergies_animal_position_key UNIQUE (animal_id, position)
);
-- Serves the seed's `... FROM vetmed_animal_allergies WHERE animal_id = ? AND is_active`.
CREATE INDEX IF NOT EXISTS animal_allergies_active_idx
    ON vetmed.vetmed_animal_allergies (animal_id) WHERE is_active;
CREATE INDEX IF NOT EXISTS animal_allergies_allergen_type_idx ON vetmed.vetmed_animal_allergies (allergen_type);

CREATE TABLE IF NOT EXISTS vetmed.vetmed_animal_medical_records (
    id          uuid PRIMARY KEY,
    animal_id   uuid NOT NULL REFERENCES vetmed.vetmed_animals (id) ON DELETE CASCADE,
    record_type text NOT NULL,
    title       text NOT NULL,
    title_key   text NOT NULL,
    severity    vetmed.vetmed_severity,
    status      text NOT NULL DEFAULT 'active',
    source_text text NOT NULL,
    position    integer NOT NULL,
    CONSTRAINT animal_medical_records_title_key UNIQUE (animal_id, record_type, title_key),
    CONSTRAINT animal_medical_records_position_key UNIQUE (animal_id, record_type, position)
);
CREATE INDEX IF NOT EXISTS medical_records_type_idx ON vetmed.vetmed_animal_medical_records (record_type);

-- The users domain's default animal gets its foreign key now that animals exist. NOT VALID: rows written
-- before this domain existed are validated by the preferences load, after animals are loaded.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conname = 'vetmed_user_preferences_default_animal_fk') THEN
        ALTER TABLE vetmed.vetmed_user_preferences ADD CONSTRAINT vetmed_user_preferences_default_animal_fk
            FOREIGN KEY (default_animal_id) REFERENCES vetmed.vetmed_animals (id) ON DELETE SET NULL NOT VALID;
    END IF;
END
$$;
CREATE INDEX IF NOT EXISTS user_preferences_default_animal_idx ON vetmed.vetmed_user_preferences (default_animal_id);

GRANT SELECT ON vetmed.vetmed_animals, vetmed.vetmed_veterinarians, vetmed.vetmed_animal_veterinarians,
    vetmed.vetmed_animal_allergies, vetmed.vetmed_animal_medical_records TO :app_role;
