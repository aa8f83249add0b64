-- Compat views of the medications domain's legacy tables (see sql/compat/ddl.sql). Idempotent: CREATE OR
-- REPLACE, the column lists are the legacy ones and never change.

-- A rebuilt JSON document with its quarantined parts put back where they were (JSON Pointer paths):
-- the whole document (''), whole keys, single fields, and array elements (inserted at their index, in
-- ascending order, so later indexes land after earlier ones).
-- It runs with its caller's rights, like the views: a role reads through it exactly the quarantine rows it
-- may read.
CREATE OR REPLACE FUNCTION vetmed.with_rejections(doc jsonb, p_table text, p_id uuid, p_column text)
    RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY INVOKER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    piece record;
    parent jsonb;
BEGIN
    FOR piece IN
        SELECT q.raw_value, vetmed.json_pointer_path(q.path) AS path
        FROM vetmed_quarantine.rejected_values q
        WHERE q.legacy_table = p_table AND q.legacy_id = p_id AND q.legacy_column = p_column
          AND q.resolved_at IS NULL
        ORDER BY cardinality(vetmed.json_pointer_path(q.path)),
                 CASE WHEN q.path ~ '/[0-9]+$' THEN substring(q.path FROM '/([0-9]+)$')::integer END NULLS FIRST,
                 q.path
    LOOP
        IF cardinality(piece.path) = 0 THEN
            doc := piece.raw_value;
        ELSE
            parent := CASE WHEN cardinality(piece.path) = 1 THEN doc
                           ELSE doc #> piece.path[1:cardinality(piece.path) - 1] END;
            IF jsonb_typeof(parent) = 'array' THEN
                doc := jsonb_insert(doc, piece.path, piece.raw_value);
            ELSE
                doc := jsonb_set(coalesce(doc, '{}'::jsonb), piece.path, piece.raw_value, true);
            END IF;
        END IF;
    END LOOP;
    RETURN doc;
END
$$;

-- The medication catalog: core facts, the 'all' dosage guideline, and the four documents rebuilt from
-- their rows (fields a key did not have stay absent) plus the quarantine; jsonb_typeof kept per document
-- tells SQL NULL, JSON null and {} apart. Numbers come back as numbers ("0.8" was coerced: the registry's
-- medication_document normalization) and contraindicated routes as route labels.
CREATE OR REPLACE VIEW vetmed_compat.vetmed_medication_catalog WITH (security_invoker = true) AS
SELECT m.id, m.generic_name, m.brand_name, m.strength, m.route, m.form, m.controlled_substance, m.common_dosing,
       m.warnings, m.created_at, m.updated_at, g.dosage_min_mg_kg, g.dosage_max_mg_kg, g.dosage_typical_mg_kg,
       g.max_daily_dose_mg,
       vetmed.with_rejections(
           CASE m.species_adjustments_json
               WHEN 'null' THEN 'null'::jsonb
               WHEN 'object' THEN (
                   SELECT coalesce(jsonb_object_agg(x.species, jsonb_strip_nulls(jsonb_build_object(
                              'multiplier', x.dose_multiplier, 'maxDailyDose', x.max_daily_dose_mg))), '{}'::jsonb)
                   FROM vetmed.vetmed_species_adjustments x WHERE x.medication_id = m.id)
           END, 'vetmed_medication_catalog', m.id, 'species_adjustments') AS species_adjustments,
       vetmed.with_rejections(
           CASE m.route_adjustments_json
               WHEN 'null' THEN 'null'::jsonb
               WHEN 'object' THEN (
                   SELECT coalesce(jsonb_object_agg(x.source_key, jsonb_strip_nulls(jsonb_build_object(
                              'multiplier', x.dose_multiplier, 'additionalWarnings', to_jsonb(x.additional_warnings)))),
                          '{}'::jsonb)
                   FROM vetmed.vetmed_route_adjustments x WHERE x.medication_id = m.id)
           END, 'vetmed_medication_catalog', m.id, 'route_adjustments') AS route_adjustments,
       CASE WHEN m.contraindication_elements IS NOT NULL THEN ARRAY(
           SELECT e.value FROM (
               SELECT x.position, x.source_text AS value FROM vetmed.vetmed_medication_contraindications x
               WHERE x.medication_id = m.id
               UNION ALL
               SELECT r.path::integer, r.raw_value #>> '{}' FROM vetmed_quarantine.rejected_values r
               WHERE r.legacy_table = 'vetmed_medication_catalog' AND r.legacy_id = m.id
                 AND r.legacy_column = 'contraindications' AND r.path <> '' AND r.resolved_at IS NULL
           ) e ORDER BY e.position) END AS contraindications,
       vetmed.with_rejections(
           CASE m.age_adjustments_json
               WHEN 'null' THEN 'null'::jsonb
               WHEN 'object' THEN (
                   SELECT coalesce(jsonb_object_agg(x.age_group, jsonb_strip_nulls(jsonb_build_object(
                              'multiplier', x.dose_multiplier, 'minAgeMonths', x.min_age_months,
                              'minAgeYears', x.min_age_years))), '{}'::jsonb)
                   FROM vetmed.vetmed_dosage_guidelines x WHERE x.medication_id = m.id AND x.age_group <> 'all')
           END, 'vetmed_medication_catalog', m.id, 'age_adjustments') AS age_adjustments,
       vetmed.with_rejections(
           CASE m.breed_considerations_json
               WHEN 'null' THEN 'null'::jsonb
               WHEN 'object' THEN (
                   SELECT coalesce(jsonb_object_agg(x.breed, jsonb_strip_nulls(jsonb_build_object(
                              'contraindicatedRoutes', to_jsonb(x.contraindicated_routes::text[]),
                              'maxReduction', x.max_reduction, 'multiplier', x.dose_multiplier))), '{}'::jsonb)
                   FROM vetmed.vetmed_breed_considerations x WHERE x.medication_id = m.id)
           END, 'vetmed_medication_catalog', m.id, 'breed_considerations') AS breed_considerations,
       m.concentration_mg_ml, m.units_per_tablet, m.unit_type, g.typical_frequency_hours, g.max_frequency_per_day
FROM vetmed.vetmed_medications m
LEFT JOIN vetmed.vetmed_dosage_guidelines g ON g.medication_id = m.id AND g.age_group = 'all';

REVOKE ALL ON FUNCTION vetmed.with_rejections(jsonb, text, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vetmed.with_rejections(jsonb, text, uuid, text) TO :app_role;
GRANT SELECT ON vetmed_compat.vetmed_medication_catalog TO :app_role;
