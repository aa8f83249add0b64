-- Compat views of the animals domain's legacy tables (see sql/compat/ddl.sql). Idempotent: CREATE OR
-- REPLACE, the column lists are the legacy ones and never change.

-- Animals: vet fields from the de-duplicated veterinarian (canonical spellings; only the fields this animal
-- had), blank ones from quarantine; arrays rebuilt in their order from rows and quarantined elements, NULL
-- and '{}' told apart by the stored array length.
CREATE OR REPLACE VIEW vetmed_compat.vetmed_animals WITH (security_invoker = true) AS
SELECT a.id, a.household_id, a.name, a.species, a.breed, a.sex, a.neutered, a.dob, a.weight_kg, a.microchip_id,
       a.color, a.photo_url, a.timezone,
       coalesce(CASE WHEN 'vet_name' = ANY (l.legacy_fields) THEN v.name END, q.raw ->> 'vet_name') AS vet_name,
       coalesce(CASE WHEN 'vet_phone' = ANY (l.legacy_fields) THEN v.phone END, q.raw ->> 'vet_phone') AS vet_phone,
       coalesce(CASE WHEN 'vet_email' = ANY (l.legacy_fields) THEN v.email END, q.raw ->> 'vet_email') AS vet_email,
       coalesce(CASE WHEN 'clinic_name' = ANY (l.legacy_fields) THEN v.clinic_name END, q.raw ->> 'clinic_name')
           AS clinic_name,
       CASE WHEN a.allergy_elements IS NOT NULL THEN ARRAY(
           SELECT e.value FROM (
               SELECT x.position, x.source_text AS value FROM vetmed.vetmed_animal_allergies x WHERE x.animal_id = a.id
               UNION ALL
               SELECT r.path::integer, r.raw_value #>> '{}' FROM vetmed_quarantine.rejected_values r
               WHERE r.legacy_table = 'vetmed_animals' AND r.legacy_id = a.id AND r.legacy_column = 'allergies'
                 AND r.path <> '' AND r.resolved_at IS NULL
           ) e ORDER BY e.position) END AS allergies,
       CASE WHEN a.condition_elements IS NOT NULL THEN ARRAY(
           SELECT e.value FROM (
               SELECT x.position, x.source_text AS value FROM vetmed.vetmed_animal_medical_records x
               WHERE x.animal_id = a.id AND x.record_type = 'condition'
               UNION ALL
               SELECT r.path::integer, r.raw_value #>> '{}' FROM vetmed_quarantine.rejected_values r
               WHERE r.legacy_table = 'vetmed_animals' AND r.legacy_id = a.id AND r.legacy_column = 'conditions'
                 AND r.path <> '' AND r.resolved_at IS NULL
           ) e ORDER BY e.position) END AS conditions,
       a.notes, a.created_at, a.updated_at, a.deleted_at
FROM vetmed.vetmed_animals a
LEFT JOIN vetmed.vetmed_animal_veterinarians l ON l.animal_id = a.id AND l.is_primary
LEFT JOIN vetmed.vetmed_veterinarians v ON v.id = l.veterinarian_id
LEFT JOIN LATERAL (
    SELECT jsonb_object_agg(r.legacy_column, r.raw_value) AS raw
    FROM vetmed_quarantine.rejected_values r
    WHERE r.legacy_table = 'vetmed_animals' AND r.legacy_id = a.id AND r.path = '' AND r.resolved_at IS NULL
) q ON true;

GRANT SELECT ON vetmed_compat.vetmed_animals TO :app_role;
