-- Medications domain load. The documents are parsed in Python (vetmed_pipeline/defs/medications/rules.py);
-- the catalog is small, so its child rows are rewritten whole in the load's one transaction.

-- name: catalog_documents
SELECT id, species_adjustments::text, route_adjustments::text, age_adjustments::text,
       breed_considerations::text, contraindications
FROM vetmed_staging.vetmed_medication_catalog ORDER BY id;

-- name: delete_missing_medications
DELETE FROM vetmed.vetmed_medications t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_medication_catalog s WHERE s.id = t.id);

-- name: upsert_medications
INSERT INTO vetmed.vetmed_medications AS t
    (id, generic_name, brand_name, strength, route, form, controlled_substance, common_dosing, warnings,
     concentration_mg_ml, units_per_tablet, unit_type, species_adjustments_json, route_adjustments_json,
     age_adjustments_json, breed_considerations_json, contraindication_elements, created_at, updated_at)
SELECT n.*
FROM (
    SELECT id, generic_name, brand_name, strength, route::vetmed.vetmed_route, form::vetmed.vetmed_form,
           controlled_substance, common_dosing, warnings, concentration_mg_ml, units_per_tablet, unit_type,
           jsonb_typeof(species_adjustments), jsonb_typeof(route_adjustments), jsonb_typeof(age_adjustments),
           jsonb_typeof(breed_considerations), cardinality(contraindications), created_at, updated_at
    FROM vetmed_staging.vetmed_medication_catalog
) AS n (id, generic_name, brand_name, strength, route, form, controlled_substance, common_dosing, warnings,
        concentration_mg_ml, units_per_tablet, unit_type, species_adjustments_json, route_adjustments_json,
        age_adjustments_json, breed_considerations_json, contraindication_elements, created_at, updated_at)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_medications o WHERE o.id = n.id
                  AND (o.generic_name, o.brand_name, o.strength, o.route, o.form, o.controlled_substance,
                       o.common_dosing, o.warnings, o.concentration_mg_ml, o.units_per_tablet, o.unit_type,
                       o.species_adjustments_json, o.route_adjustments_json, o.age_adjustments_json,
                       o.breed_considerations_json, o.contraindication_elements, o.created_at, o.updated_at)
                      IS NOT DISTINCT FROM (n.generic_name, n.brand_name, n.strength, n.route, n.form,
                                            n.controlled_substance, n.common_dosing, n.warnings,
                                            n.concentration_mg_ml, n.units_per_tablet, n.unit_type,
                                            n.species_adjustments_json, n.route_adjustments_json,
                                            n.age_adjustments_json, n.breed_considerations_json,
                                            n.contraindication_elements, n.created_at, n.updated_at))
ON CONFLICT (id) DO UPDATE
SET generic_name = EXCLUDED.generic_name, brand_name = EXCLUDED.brand_name, strength = EXCLUDED.strength,
    route = EXCLUDED.route, form = EXCLUDED.form, controlled_substance = EXCLUDED.controlled_substance,
    common_dosing = EXCLUDED.common_dosing, warnings = EXCLUDED.warnings,
    concentration_mg_ml = EXCLUDED.concentration_mg_ml, units_per_tablet = EXCLUDED.units_per_tablet,
    unit_type = EXCLUDED.unit_type, species_adjustments_json = EXCLUDED.species_adjustments_json,
    route_adjustments_json = EXCLUDED.route_adjustments_json, age_adjustments_json = EXCLUDED.age_adjustments_json,
    breed_considerations_json = EXCLUDED.breed_considerations_json,
    contraindication_elements = EXCLUDED.contraindication_elements,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at
WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*);

-- name: clear_children
DELETE FROM vetmed.vetmed_dosage_guidelines;
DELETE FROM vetmed.vetmed_species_adjustments;
DELETE FROM vetmed.vetmed_route_adjustments;
DELETE FROM vetmed.vetmed_breed_considerations;
DELETE FROM vetmed.vetmed_medication_contraindications;

-- name: insert_base_guidelines
INSERT INTO vetmed.vetmed_dosage_guidelines
    (medication_id, age_group, dosage_min_mg_kg, dosage_max_mg_kg, dosage_typical_mg_kg, max_daily_dose_mg,
     typical_frequency_hours, max_frequency_per_day)
SELECT id, 'all', dosage_min_mg_kg, dosage_max_mg_kg, dosage_typical_mg_kg, max_daily_dose_mg,
       typical_frequency_hours, max_frequency_per_day
FROM vetmed_staging.vetmed_medication_catalog;

-- name: create_parse_results
CREATE TEMP TABLE medication_rejections (
    legacy_id uuid NOT NULL, legacy_column text NOT NULL, path text NOT NULL, rule text NOT NULL
) ON COMMIT DROP;

-- The raw value of each rejection is read from the snapshot's document, so numbers stay exactly as
-- written (JSON null for a NULL array element).
-- name: reject_medication_values
INSERT INTO rejections (legacy_table, legacy_id, legacy_column, path, raw_value, rule)
SELECT 'vetmed_medication_catalog', r.legacy_id, r.legacy_column, r.path,
       coalesce(CASE r.legacy_column
                    WHEN 'species_adjustments' THEN s.species_adjustments #> vetmed.json_pointer_path(r.path)
                    WHEN 'route_adjustments' THEN s.route_adjustments #> vetmed.json_pointer_path(r.path)
                    WHEN 'age_adjustments' THEN s.age_adjustments #> vetmed.json_pointer_path(r.path)
                    WHEN 'breed_considerations' THEN s.breed_considerations #> vetmed.json_pointer_path(r.path)
                    WHEN 'contraindications' THEN to_jsonb(s.contraindications[r.path::integer])
                END, 'null'::jsonb),
       r.rule
FROM medication_rejections r
JOIN vetmed_staging.vetmed_medication_catalog s ON s.id = r.legacy_id;

-- Regimens and inventory items reference medications with NO ACTION (as in the legacy schema): a medication
-- that left the source can only go once the rows referencing it are gone. Those that left the source go for
-- good; those the legacy application re-pointed to another medication go too, and the carried loads put
-- them back re-pointed (the departures step already removed the administrations referencing them).
-- name: delete_missing_medication_dependents
DELETE FROM vetmed.vetmed_regimens t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_medication_catalog m WHERE m.id = t.medication_id);
DELETE FROM vetmed.vetmed_inventory_items t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_medication_catalog m WHERE m.id = t.medication_id);
