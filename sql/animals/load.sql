-- Animals domain load, over vetmed_staging. Parsing rules live in vetmed_pipeline/defs/animals/rules.py:
-- the distinct legacy values are parsed there into temp map tables, joined here.

-- name: delete_missing_animals
DELETE FROM vetmed.vetmed_animals t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_animals s WHERE s.id = t.id);

-- name: upsert_animals
INSERT INTO vetmed.vetmed_animals AS t
    (id, household_id, name, species, breed, sex, neutered, dob, weight_kg, microchip_id, color, photo_url,
     timezone, notes, allergy_elements, condition_elements, created_at, updated_at, deleted_at)
SELECT n.*
FROM (
    SELECT id, household_id, name, species, breed, sex, neutered, dob, weight_kg, microchip_id, color, photo_url,
           timezone, notes, cardinality(allergies), cardinality(conditions), created_at, updated_at, deleted_at
    FROM vetmed_staging.vetmed_animals
) AS n (id, household_id, name, species, breed, sex, neutered, dob, weight_kg, microchip_id, color,
        photo_url, timezone, notes, allergy_elements, condition_elements, created_at, updated_at, deleted_at)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_animals o WHERE o.id = n.id
                  AND (o.household_id, o.name, o.species, o.breed, o.sex, o.neutered, o.dob, o.weight_kg,
                       o.microchip_id, o.color, o.photo_url, o.timezone, o.notes, o.allergy_elements,
                       o.condition_elements, o.created_at, o.updated_at, o.deleted_at)
                      IS NOT DISTINCT FROM (n.household_id, n.name, n.species, n.breed, n.sex, n.neutered,
                                            n.dob, n.weight_kg, n.microchip_id, n.color, n.photo_url,
                                            n.timezone, n.notes, n.allergy_elements, n.condition_elements,
                                            n.created_at, n.updated_at, n.deleted_at))
ON CONFLICT (id) DO UPDATE
SET household_id = EXCLUDED.household_id, name = EXCLUDED.name, species = EXCLUDED.species,
    breed = EXCLUDED.breed, sex = EXCLUDED.sex, neutered = EXCLUDED.neutered, dob = EXCLUDED.dob,
    weight_kg = EXCLUDED.weight_kg, microchip_id = EXCLUDED.microchip_id, color = EXCLUDED.color,
    photo_url = EXCLUDED.photo_url, timezone = EXCLUDED.timezone, notes = EXCLUDED.notes,
    allergy_elements = EXCLUDED.allergy_elements, condition_elements = EXCLUDED.condition_elements,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, deleted_at = EXCLUDED.deleted_at
WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*);

-- name: distinct_vet_tuples
SELECT vet_name, vet_phone, vet_email, clinic_name, count(*)
FROM vetmed_staging.vetmed_animals
WHERE num_nonnulls(vet_name, vet_phone, vet_email, clinic_name) > 0
GROUP BY 1, 2, 3, 4;

-- name: create_vet_maps
-- Every distinct legacy vet tuple: its veterinarian's key (NULL: no field could be placed) and, per field, the
-- rule that keeps it out of the veterinarian row (NULL: placed, or NULL in the legacy row).
CREATE TEMP TABLE vet_map (
    vet_name text, vet_phone text, vet_email text, clinic_name text, dedup_key text,
    name_rule text, phone_rule text, email_rule text, clinic_rule text,
    -- the four legacy values as one hashable value: IS NOT DISTINCT FROM joins cannot hash
    signature jsonb
) ON COMMIT DROP;
CREATE TEMP TABLE vet_rows (
    dedup_key text PRIMARY KEY, name text, phone text, phone_digits text, email text, clinic_name text
) ON COMMIT DROP;

-- name: create_animal_vets
UPDATE vet_map SET signature = jsonb_build_array(vet_name, vet_phone, vet_email, clinic_name);
ANALYZE vet_map;
CREATE TEMP TABLE animal_vets ON COMMIT DROP AS
SELECT a.id AS animal_id, vetmed.derived_uuid('vetmed_veterinarians', m.dedup_key) AS veterinarian_id,
       ARRAY(SELECT f.legacy_column
             FROM (VALUES (1, 'vet_name', a.vet_name, m.name_rule), (2, 'vet_phone', a.vet_phone, m.phone_rule),
                          (3, 'vet_email', a.vet_email, m.email_rule),
                          (4, 'clinic_name', a.clinic_name, m.clinic_rule)) AS f (n, legacy_column, value, rule)
             WHERE f.value IS NOT NULL AND f.rule IS NULL ORDER BY f.n) AS legacy_fields
FROM vetmed_staging.vetmed_animals a
JOIN vet_map m ON m.signature = jsonb_build_array(a.vet_name, a.vet_phone, a.vet_email, a.clinic_name)
WHERE m.dedup_key IS NOT NULL;
ANALYZE animal_vets;

-- name: upsert_veterinarians
INSERT INTO vetmed.vetmed_veterinarians AS t
    (id, dedup_key, name, phone, phone_digits, email, clinic_name)
SELECT n.*
FROM (
    SELECT vetmed.derived_uuid('vetmed_veterinarians', dedup_key), dedup_key, name, phone, phone_digits, email, clinic_name
    FROM vet_rows
) AS n (id, dedup_key, name, phone, phone_digits, email, clinic_name)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_veterinarians o WHERE o.id = n.id
                  AND (o.dedup_key, o.name, o.phone, o.phone_digits, o.email, o.clinic_name)
                      IS NOT DISTINCT FROM (n.dedup_key, n.name, n.phone, n.phone_digits, n.email,
                                            n.clinic_name))
ON CONFLICT (id) DO UPDATE
SET name = EXCLUDED.name, phone = EXCLUDED.phone, phone_digits = EXCLUDED.phone_digits,
    email = EXCLUDED.email, clinic_name = EXCLUDED.clinic_name
WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*);

-- name: delete_stale_animal_vets
DELETE FROM vetmed.vetmed_animal_veterinarians t
WHERE NOT EXISTS (SELECT FROM animal_vets x WHERE x.animal_id = t.animal_id AND x.veterinarian_id = t.veterinarian_id);

-- name: insert_animal_vets
INSERT INTO vetmed.vetmed_animal_veterinarians AS t
    (animal_id, veterinarian_id, is_primary, legacy_fields)
SELECT n.*
FROM (
    SELECT animal_id, veterinarian_id, true, legacy_fields FROM animal_vets
) AS n (animal_id, veterinarian_id, is_primary, legacy_fields)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_animal_veterinarians o
                  WHERE o.animal_id = n.animal_id AND o.veterinarian_id = n.veterinarian_id
                  AND (o.is_primary, o.legacy_fields)
                      IS NOT DISTINCT FROM (n.is_primary, n.legacy_fields))
ON CONFLICT (animal_id, veterinarian_id) DO UPDATE SET legacy_fields = EXCLUDED.legacy_fields
WHERE t.legacy_fields IS DISTINCT FROM EXCLUDED.legacy_fields;

-- name: delete_unreferenced_veterinarians
DELETE FROM vetmed.vetmed_veterinarians t
WHERE NOT EXISTS (SELECT FROM vet_rows r WHERE vetmed.derived_uuid('vetmed_veterinarians', r.dedup_key) = t.id);

-- A vet field that cannot be a veterinarian's value (blank, too long, or identifying nobody: the rules are
-- vet_field_rule in defs/animals/rules.py) is quarantined, so the legacy value can be rebuilt.
-- name: reject_vet_fields
INSERT INTO rejections (legacy_table, legacy_id, legacy_column, path, raw_value, rule)
SELECT 'vetmed_animals', a.id, f.legacy_column, '', to_jsonb(f.value), f.rule
FROM vetmed_staging.vetmed_animals a
JOIN vet_map m ON m.signature = jsonb_build_array(a.vet_name, a.vet_phone, a.vet_email, a.clinic_name)
CROSS JOIN LATERAL (VALUES ('vet_name', a.vet_name, m.name_rule), ('vet_phone', a.vet_phone, m.phone_rule),
                           ('vet_email', a.vet_email, m.email_rule),
                           ('clinic_name', a.clinic_name, m.clinic_rule)) AS f (legacy_column, value, rule)
WHERE f.rule IS NOT NULL;

-- name: distinct_allergy_texts
SELECT DISTINCT e FROM vetmed_staging.vetmed_animals a CROSS JOIN LATERAL unnest(a.allergies) AS e
WHERE e IS NOT NULL;

-- name: distinct_condition_texts
SELECT DISTINCT e FROM vetmed_staging.vetmed_animals a CROSS JOIN LATERAL unnest(a.conditions) AS e
WHERE e IS NOT NULL;

-- name: create_element_maps
-- raw is unique (DISTINCT element texts) but not a key: an element may be longer than a btree entry holds.
CREATE TEMP TABLE allergy_map (
    raw text NOT NULL, name text, key text, severity text, allergen_type text, rule text
) ON COMMIT DROP;
CREATE TEMP TABLE condition_map (
    raw text NOT NULL, name text, key text, severity text, allergen_type text, rule text
) ON COMMIT DROP;

-- Every element with its fate: a row (rule NULL) or a rejection (rule set). The first occurrence of a
-- key in an animal's array wins; later ones are duplicates.
-- name: create_allergy_elements
ANALYZE allergy_map;
CREATE TEMP TABLE allergy_elements ON COMMIT DROP AS
SELECT x.animal_id, x.position, x.raw, x.name, x.key, x.severity, x.allergen_type,
       CASE WHEN x.raw IS NULL THEN 'null_element'
            WHEN x.rule IS NOT NULL THEN x.rule
            WHEN row_number() OVER (PARTITION BY x.animal_id, x.key ORDER BY x.position) > 1 THEN 'duplicate_element'
       END AS rule
FROM (SELECT a.id AS animal_id, e.position::integer AS position, e.raw, m.name, m.key, m.severity,
             m.allergen_type, m.rule
      FROM vetmed_staging.vetmed_animals a
      CROSS JOIN LATERAL unnest(a.allergies) WITH ORDINALITY AS e (raw, position)
      LEFT JOIN allergy_map m ON m.raw = e.raw) x;
ANALYZE allergy_elements;

-- name: create_condition_elements
ANALYZE condition_map;
CREATE TEMP TABLE condition_elements ON COMMIT DROP AS
SELECT x.animal_id, x.position, x.raw, x.name, x.key, x.severity,
       CASE WHEN x.raw IS NULL THEN 'null_element'
            WHEN x.rule IS NOT NULL THEN x.rule
            WHEN row_number() OVER (PARTITION BY x.animal_id, x.key ORDER BY x.position) > 1 THEN 'duplicate_element'
       END AS rule
FROM (SELECT a.id AS animal_id, e.position::integer AS position, e.raw, m.name, m.key, m.severity, m.rule
      FROM vetmed_staging.vetmed_animals a
      CROSS JOIN LATERAL unnest(a.conditions) WITH ORDINALITY AS e (raw, position)
      LEFT JOIN condition_map m ON m.raw = e.raw) x;
ANALYZE condition_elements;

-- name: delete_stale_allergies
DELETE FROM vetmed.vetmed_animal_allergies t
WHERE NOT EXISTS (
    SELECT FROM allergy_elements x
    WHERE x.rule IS NULL AND x.animal_id = t.animal_id AND x.key = t.allergen_key AND x.position = t.position);

-- name: upsert_allergies
INSERT INTO vetmed.vetmed_animal_allergies AS t
    (id, animal_id, allergen, allergen_key, allergen_type, severity, source_text, position, is_active)
SELECT n.*
FROM (
    SELECT vetmed.derived_uuid('vetmed_animal_allergies', animal_id::text || ':' || key), animal_id, name, key,
           allergen_type::vetmed.vetmed_allergen_type, severity::vetmed.vetmed_severity, raw, position, true
    FROM allergy_elements WHERE rule IS NULL
) AS n (id, animal_id, allergen, allergen_key, allergen_type, severity, source_text, position, is_active)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_animal_allergies o WHERE o.id = n.id
                  AND (o.animal_id, o.allergen, o.allergen_key, o.allergen_type, o.severity, o.source_text,
                       o.position, o.is_active)
                      IS NOT DISTINCT FROM (n.animal_id, n.allergen, n.allergen_key, n.allergen_type,
                                            n.severity, n.source_text, n.position, n.is_active))
ON CONFLICT (id) DO UPDATE
SET allergen = EXCLUDED.allergen, allergen_type = EXCLUDED.allergen_type, severity = EXCLUDED.severity,
    source_text = EXCLUDED.source_text, position = EXCLUDED.position
WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*);

-- name: reject_allergy_elements
INSERT INTO rejections (legacy_table, legacy_id, legacy_column, path, raw_value, rule)
SELECT 'vetmed_animals', animal_id, 'allergies', position::text, coalesce(to_jsonb(raw), 'null'::jsonb), rule
FROM allergy_elements WHERE rule IS NOT NULL;

-- name: delete_stale_conditions
DELETE FROM vetmed.vetmed_animal_medical_records t
WHERE t.record_type = 'condition' AND NOT EXISTS (
    SELECT FROM condition_elements x
    WHERE x.rule IS NULL AND x.animal_id = t.animal_id AND x.key = t.title_key AND x.position = t.position);

-- name: upsert_conditions
INSERT INTO vetmed.vetmed_animal_medical_records AS t
    (id, animal_id, record_type, title, title_key, severity, status, source_text, position)
SELECT n.*
FROM (
    SELECT vetmed.derived_uuid('vetmed_animal_medical_records', animal_id::text || ':condition:' || key), animal_id,
           'condition', name, key, severity::vetmed.vetmed_severity, 'active', raw, position
    FROM condition_elements WHERE rule IS NULL
) AS n (id, animal_id, record_type, title, title_key, severity, status, source_text, position)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_animal_medical_records o WHERE o.id = n.id
                  AND (o.animal_id, o.record_type, o.title, o.title_key, o.severity, o.status, o.source_text,
                       o.position)
                      IS NOT DISTINCT FROM (n.animal_id, n.record_type, n.title, n.title_key, n.severity,
                                            n.status, n.source_text, n.position))
ON CONFLICT (id) DO UPDATE
SET title = EXCLUDED.title, severity = EXCLUDED.severity, source_text = EXCLUDED.source_text,
    position = EXCLUDED.position
WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*);

-- name: reject_condition_elements
INSERT INTO rejections (legacy_table, legacy_id, legacy_column, path, raw_value, rule)
SELECT 'vetmed_animals', animal_id, 'conditions', position::text, coalesce(to_jsonb(raw), 'null'::jsonb), rule
FROM condition_elements WHERE rule IS NOT NULL;
