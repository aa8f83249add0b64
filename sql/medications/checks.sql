-- Medications domain checks, comparing the target with the extracted catalog.

-- Every top-level key of every object document is a row or a quarantined key (or its whole document is
-- quarantined: too deep to read); every field of a placed key is a value or quarantined (at or below its
-- path); every non-object document is quarantined whole.
-- name: documents_accounted
WITH docs AS (
    SELECT s.id, d.legacy_column, d.doc
    FROM vetmed_staging.vetmed_medication_catalog s
    CROSS JOIN LATERAL (VALUES ('species_adjustments', s.species_adjustments),
                               ('route_adjustments', s.route_adjustments),
                               ('age_adjustments', s.age_adjustments),
                               ('breed_considerations', s.breed_considerations)) AS d (legacy_column, doc)
), keys AS (
    SELECT d.id, d.legacy_column, k.key, k.value,
           '/' || replace(replace(k.key, '~', '~0'), '/', '~1') AS path
    FROM docs d CROSS JOIN LATERAL jsonb_each(d.doc) AS k
    WHERE jsonb_typeof(d.doc) = 'object'
), placed AS (
    SELECT medication_id, 'species_adjustments' AS legacy_column, species AS key,
           jsonb_build_object('multiplier', dose_multiplier, 'maxDailyDose', max_daily_dose_mg) AS fields
    FROM vetmed.vetmed_species_adjustments
    UNION ALL
    SELECT medication_id, 'route_adjustments', source_key,
           jsonb_build_object('multiplier', dose_multiplier, 'additionalWarnings', additional_warnings)
    FROM vetmed.vetmed_route_adjustments
    UNION ALL
    SELECT medication_id, 'age_adjustments', age_group,
           jsonb_build_object('multiplier', dose_multiplier, 'minAgeMonths', min_age_months,
                              'minAgeYears', min_age_years)
    FROM vetmed.vetmed_dosage_guidelines WHERE age_group <> 'all'
    UNION ALL
    SELECT medication_id, 'breed_considerations', breed,
           jsonb_build_object('multiplier', dose_multiplier, 'maxReduction', max_reduction,
                              'contraindicatedRoutes', contraindicated_routes)
    FROM vetmed.vetmed_breed_considerations
), quarantined AS (
    SELECT legacy_id, legacy_column, path FROM vetmed_quarantine.rejected_values
    WHERE legacy_table = 'vetmed_medication_catalog' AND resolved_at IS NULL
), key_fate AS (
    SELECT k.*, p.fields,
           EXISTS (SELECT FROM quarantined q WHERE q.legacy_id = k.id AND q.legacy_column = k.legacy_column
                                               AND q.path IN (k.path, '')) AS key_quarantined
    FROM keys k
    LEFT JOIN placed p ON p.medication_id = k.id AND p.legacy_column = k.legacy_column AND p.key = k.key
), fields AS (
    SELECT f.id, f.legacy_column, f.path || '/' || replace(replace(x.key, '~', '~0'), '/', '~1') AS path,
           f.fields -> x.key AS placed_value
    FROM key_fate f CROSS JOIN LATERAL jsonb_each(f.value) AS x
    WHERE f.fields IS NOT NULL AND jsonb_typeof(f.value) = 'object'
)
SELECT (SELECT count(*) FROM keys) AS legacy_keys,
       (SELECT count(*) FROM key_fate WHERE fields IS NULL AND NOT key_quarantined) AS keys_lost,
       (SELECT count(*) FROM key_fate WHERE fields IS NOT NULL AND key_quarantined) AS keys_placed_and_quarantined,
       (SELECT count(*) FROM fields f
        WHERE coalesce(jsonb_typeof(f.placed_value), 'null') = 'null'
          AND NOT EXISTS (SELECT FROM quarantined q
                          WHERE q.legacy_id = f.id AND q.legacy_column = f.legacy_column
                            AND (q.path = f.path OR q.path LIKE f.path || '/%'))) AS fields_lost,
       (SELECT count(*) FROM docs d
        WHERE jsonb_typeof(d.doc) NOT IN ('object', 'null')
          AND NOT EXISTS (SELECT FROM quarantined q WHERE q.legacy_id = d.id AND q.legacy_column = d.legacy_column
                                                      AND q.path = '')) AS documents_lost,
       (SELECT count(*) FROM vetmed_staging.vetmed_medication_catalog s
        JOIN vetmed.vetmed_medications m ON m.id = s.id
        WHERE (m.species_adjustments_json, m.route_adjustments_json, m.age_adjustments_json, m.breed_considerations_json)
              IS DISTINCT FROM (jsonb_typeof(s.species_adjustments), jsonb_typeof(s.route_adjustments),
                                jsonb_typeof(s.age_adjustments), jsonb_typeof(s.breed_considerations)))
           AS document_types_changed;

-- name: no_orphans
WITH children AS (
    SELECT medication_id FROM vetmed.vetmed_dosage_guidelines
    UNION ALL SELECT medication_id FROM vetmed.vetmed_species_adjustments
    UNION ALL SELECT medication_id FROM vetmed.vetmed_route_adjustments
    UNION ALL SELECT medication_id FROM vetmed.vetmed_breed_considerations
    UNION ALL SELECT medication_id FROM vetmed.vetmed_medication_contraindications
)
SELECT (SELECT count(*) FROM children c WHERE NOT EXISTS (
            SELECT FROM vetmed_staging.vetmed_medication_catalog s WHERE s.id = c.medication_id)) AS orphan_rows,
       (SELECT count(*) FROM vetmed_staging.vetmed_medication_catalog s WHERE NOT EXISTS (
            SELECT FROM vetmed.vetmed_dosage_guidelines g WHERE g.medication_id = s.id AND g.age_group = 'all'))
           AS medications_without_guideline;

-- name: species_unique
SELECT (SELECT count(*) FROM (SELECT FROM vetmed.vetmed_species_adjustments
                              GROUP BY medication_id, lower(btrim(species)) HAVING count(*) > 1) d) AS duplicate_species,
       (SELECT count(*) FROM vetmed.vetmed_species_adjustments) AS rows;

-- The seed's example, on the extracted legacy documents: the 'dog' multiplier compared as a number
-- (numeric strings included, beyond numeric's range too; anything else never equals 1.2).
-- name: dog_multiplier_legacy
SELECT id FROM vetmed_staging.vetmed_medication_catalog
WHERE jsonb_typeof(species_adjustments -> 'dog') = 'object'
  AND jsonb_typeof(species_adjustments -> 'dog' -> 'multiplier') IN ('number', 'string')
  AND CASE WHEN btrim(species_adjustments -> 'dog' ->> 'multiplier') ~ '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$'
           THEN vetmed.try_numeric(btrim(species_adjustments -> 'dog' ->> 'multiplier')) = 1.2
           ELSE false END
ORDER BY id;

-- The same question, relationally (the seed's "AFTER" query).
-- name: dog_multiplier_relational
SELECT m.id
FROM vetmed.vetmed_medications m
JOIN vetmed.vetmed_species_adjustments sa ON m.id = sa.medication_id
WHERE sa.species = 'dog' AND sa.dose_multiplier = 1.2
ORDER BY m.id;
