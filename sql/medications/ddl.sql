-- Medications: the catalog's core facts, dosage guidelines and the four JSONB documents as rows.
-- Idempotent.

DO $$
BEGIN
    CREATE TYPE vetmed.vetmed_route AS ENUM
        ('ORAL', 'SC', 'IM', 'IV', 'TOPICAL', 'OTIC', 'OPHTHALMIC', 'INHALED', 'RECTAL', 'OTHER');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
DO $$
BEGIN
    CREATE TYPE vetmed.vetmed_form AS ENUM
        ('TABLET', 'CAPSULE', 'LIQUID', 'INJECTION', 'CREAM', 'OINTMENT', 'DROPS', 'SPRAY', 'POWDER', 'PATCH', 'OTHER');
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;

CREATE TABLE IF NOT EXISTS vetmed.vetmed_medications (
    id                          uuid PRIMARY KEY,
    generic_name                text NOT NULL,
    brand_name                  text,
    strength                    text,
    route                       vetmed.vetmed_route NOT NULL,
    form                        vetmed.vetmed_form NOT NULL,
    controlled_substance        boolean NOT NULL,
    common_dosing               text,
    warnings                    text,
    concentration_mg_ml         numeric(10, 4),
    units_per_tablet            numeric(10, 4),
    unit_type                   text,
    -- jsonb_typeof of each legacy document (NULL for SQL NULL): tells SQL NULL, JSON null and {} apart
    species_adjustments_json    text,
    route_adjustments_json      text,
    age_adjustments_json        text,
    breed_considerations_json   text,
    contraindication_elements   integer,   -- legacy array length; NULL for a NULL array
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS medications_generic_name_idx ON vetmed.vetmed_medications (generic_name);
CREATE INDEX IF NOT EXISTS medications_brand_name_idx ON vetmed.vetmed_medications (brand_name);

-- age_group 'all' carries the catalog's dosing columns; 'pediatric' / 'geriatric' rows come from
-- age_adjustments, with their multiplier and lower age bound as written (months or years).
CREATE TABLE IF NOT EXISTS vetmed.vetmed_dosage_guidelines (
    medication_id           uuid NOT NULL REFERENCES vetmed.vetmed_medications (id) ON DELETE CASCADE,
    age_group               text NOT NULL CHECK (age_group IN ('all', 'pediatric', 'geriatric')),
    dose_multiplier         numeric,
    min_age_months          numeric,
    min_age_years           numeric,
    dosage_min_mg_kg        numeric(10, 4),
    dosage_max_mg_kg        numeric(10, 4),
    dosage_typical_mg_kg    numeric(10, 4),
    max_daily_dose_mg       numeric(10, 2),
    typical_frequency_hours integer,
    max_frequency_per_day   integer,
    PRIMARY KEY (medication_id, age_group)
);
CREATE INDEX IF NOT EXISTS dosage_guidelines_range_idx
    ON vetmed.vetmed_dosage_guidelines (dosage_min_mg_kg, dosage_max_mg_kg) WHERE age_group = 'all';

CREATE TABLE IF NOT EXISTS vetmed.vetmed_species_adjustments (
    medication_id     uuid NOT NULL REFERENCES vetmed.vetmed_medications (id) ON DELETE CASCADE,
    species           text NOT NULL,   -- the document's key, exactly as written
    dose_multiplier   numeric,
    max_daily_dose_mg numeric,
    PRIMARY KEY (medication_id, species)
);
CREATE INDEX IF NOT EXISTS species_adjustments_species_multiplier_idx
    ON vetmed.vetmed_species_adjustments (species, dose_multiplier);

CREATE TABLE IF NOT EXISTS vetmed.vetmed_route_adjustments (
    medication_id       uuid NOT NULL REFERENCES vetmed.vetmed_medications (id) ON DELETE CASCADE,
    route               vetmed.vetmed_route NOT NULL,
    source_key          text NOT NULL,   -- the key as written ('PO' for ORAL)
    dose_multiplier     numeric,
    additional_warnings text[],
    PRIMARY KEY (medication_id, route)
);

CREATE TABLE IF NOT EXISTS vetmed.vetmed_breed_considerations (
    medication_id          uuid NOT NULL REFERENCES vetmed.vetmed_medications (id) ON DELETE CASCADE,
    breed                  text NOT NULL,
    dose_multiplier        numeric,
    max_reduction          numeric,
    contraindicated_routes vetmed.vetmed_route[],
    PRIMARY KEY (medication_id, breed)
);

CREATE TABLE IF NOT EXISTS vetmed.vetmed_medication_contraindications (
    medication_id    uuid NOT NULL REFERENCES vetmed.vetmed_medications (id) ON DELETE CASCADE,
    position         integer NOT NULL,   -- 1-based position in the legacy array
    contraindication text NOT NULL,
    source_text      text NOT NULL,
    PRIMARY KEY (medication_id, position)
);

GRANT SELECT ON vetmed.vetmed_medications, vetmed.vetmed_dosage_guidelines, vetmed.vetmed_species_adjustments,
    vetmed.vetmed_route_adjustments, vetmed.vetmed_breed_considerations,
    vetmed.vetmed_medication_contraindications TO :app_role;
