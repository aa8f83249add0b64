-- Animals domain checks: the target compared with the extracted snapshot.

-- name: animal_households
SELECT count(*) FILTER (WHERE t.id IS NULL) AS missing,
       count(*) FILTER (WHERE t.id IS NOT NULL AND t.household_id <> s.household_id) AS changed,
       count(*) FILTER (WHERE t.id IS NOT NULL AND h.id IS NULL) AS without_household,
       count(*) AS legacy_animals
FROM vetmed_staging.vetmed_animals s
LEFT JOIN vetmed.vetmed_animals t ON t.id = s.id
LEFT JOIN vetmed.vetmed_households h ON h.id = t.household_id;

-- Per animal: legacy elements = target rows + open quarantined elements of the column.
-- name: allergies_accounted
WITH legacy AS (
    SELECT id, cardinality(allergies) AS elements FROM vetmed_staging.vetmed_animals
), rows AS (
    SELECT animal_id, count(*) AS n FROM vetmed.vetmed_animal_allergies GROUP BY animal_id
), quarantined AS (
    SELECT legacy_id, count(*) AS n FROM vetmed_quarantine.rejected_values
    WHERE legacy_table = 'vetmed_animals' AND legacy_column = 'allergies' AND resolved_at IS NULL
    GROUP BY legacy_id
)
SELECT count(*) FILTER (WHERE coalesce(l.elements, 0) > 0) AS animals_with_elements,
       coalesce(sum(l.elements), 0) AS legacy_elements, coalesce(sum(r.n), 0) AS rows,
       coalesce(sum(q.n), 0) AS quarantined,
       count(*) FILTER (WHERE coalesce(l.elements, 0) <> coalesce(r.n, 0) + coalesce(q.n, 0)) AS animals_not_accounted,
       count(*) FILTER (WHERE a.allergy_elements IS DISTINCT FROM l.elements) AS animals_with_wrong_length
FROM legacy l
LEFT JOIN rows r ON r.animal_id = l.id
LEFT JOIN quarantined q ON q.legacy_id = l.id
LEFT JOIN vetmed.vetmed_animals a ON a.id = l.id;

-- name: conditions_accounted
WITH legacy AS (
    SELECT id, cardinality(conditions) AS elements FROM vetmed_staging.vetmed_animals
), rows AS (
    SELECT animal_id, count(*) AS n FROM vetmed.vetmed_animal_medical_records
    WHERE record_type = 'condition' GROUP BY animal_id
), quarantined AS (
    SELECT legacy_id, count(*) AS n FROM vetmed_quarantine.rejected_values
    WHERE legacy_table = 'vetmed_animals' AND legacy_column = 'conditions' AND resolved_at IS NULL
    GROUP BY legacy_id
)
SELECT count(*) FILTER (WHERE coalesce(l.elements, 0) > 0) AS animals_with_elements,
       coalesce(sum(l.elements), 0) AS legacy_elements, coalesce(sum(r.n), 0) AS rows,
       coalesce(sum(q.n), 0) AS quarantined,
       count(*) FILTER (WHERE coalesce(l.elements, 0) <> coalesce(r.n, 0) + coalesce(q.n, 0)) AS animals_not_accounted,
       count(*) FILTER (WHERE a.condition_elements IS DISTINCT FROM l.elements) AS animals_with_wrong_length
FROM legacy l
LEFT JOIN rows r ON r.animal_id = l.id
LEFT JOIN quarantined q ON q.legacy_id = l.id
LEFT JOIN vetmed.vetmed_animals a ON a.id = l.id;

-- name: allergens_unique
SELECT (SELECT count(*) FROM (SELECT FROM vetmed.vetmed_animal_allergies
                              GROUP BY animal_id, lower(allergen) HAVING count(*) > 1) d) AS duplicates,
       (SELECT count(*) FROM vetmed.vetmed_animal_allergies t
        JOIN vetmed_staging.vetmed_animals s ON s.id = t.animal_id
        WHERE s.allergies[t.position] IS DISTINCT FROM t.source_text) AS not_the_legacy_element,
       (SELECT count(*) FROM vetmed.vetmed_animal_allergies) AS rows;

-- Uses the temp table animal_vets, recomputed from staging by the check (same rules as the load).
-- name: vet_links
SELECT count(*) FILTER (WHERE x.animal_id IS NOT NULL AND l.animal_id IS NULL) AS missing,
       count(*) FILTER (WHERE x.animal_id IS NOT NULL AND l.animal_id IS NOT NULL
                          AND l.veterinarian_id <> x.veterinarian_id) AS wrong,
       count(*) FILTER (WHERE x.animal_id IS NULL) AS unexpected,
       count(*) FILTER (WHERE x.animal_id IS NOT NULL) AS animals_with_vet_data
FROM animal_vets x
FULL JOIN vetmed.vetmed_animal_veterinarians l ON l.animal_id = x.animal_id;

-- name: explain_active_allergies
EXPLAIN SELECT * FROM vetmed.vetmed_animal_allergies
WHERE animal_id = '00000000-0000-0000-0000-000000000000' AND is_active;
