-- vetmed_compat: one view per legacy table, with the legacy table's name and exactly its columns, in its
-- order, rebuilt from schema vetmed (and vetmed_quarantine where values were rejected). Application code
-- that reads the legacy names keeps working against them; the round-trip checks compare them with the
-- snapshot. Idempotent (CREATE OR REPLACE: the column lists are the legacy ones and never change).

CREATE SCHEMA IF NOT EXISTS vetmed_compat;
GRANT USAGE ON SCHEMA vetmed_compat TO vetmed_app;

-- Users: the four tables the monolithic row was split into, plus its quarantined preference and contact
-- values. security_invoker: it exposes emergency contacts, so only vetmed_privacy can read it.
CREATE OR REPLACE VIEW vetmed_compat.vetmed_users WITH (security_invoker = true) AS
SELECT u.id, u.stack_user_id, u.email, u.name, u.image, u.email_verified, p.preferred_timezone,
       p.preferred_phone_number, p.use_24_hour_time, p.temperature_unit, p.weight_unit, p.email_reminders,
       p.sms_reminders, p.push_notifications,
       coalesce(p.reminder_lead_time_minutes::text, q.raw ->> 'reminder_lead_time_minutes') AS reminder_lead_time_minutes,
       coalesce(c.name, q.raw ->> 'emergency_contact_name') AS emergency_contact_name,
       coalesce(c.phone, q.raw ->> 'emergency_contact_phone') AS emergency_contact_phone,
       p.onboarding_complete, p.onboarding_completed_at, p.preferences_backup, u.created_at, u.updated_at,
       coalesce(p.week_starts_on::integer, (q.raw ->> 'week_starts_on')::integer) AS week_starts_on,
       p.default_household_id, p.default_animal_id, p.theme, u.first_name, u.last_name, pr.bio, pr.pronouns,
       pr.location, pr.website, pr.social_links, pr.profile_data, pr.profile_visibility, pr.profile_completed_at
FROM vetmed.vetmed_users u
LEFT JOIN vetmed.vetmed_user_profiles pr ON pr.user_id = u.id
LEFT JOIN vetmed.vetmed_user_preferences p ON p.user_id = u.id
LEFT JOIN vetmed.vetmed_emergency_contacts c ON c.user_id = u.id AND c.position = 0
LEFT JOIN LATERAL (
    SELECT jsonb_object_agg(r.legacy_column, r.raw_value) AS raw
    FROM vetmed_quarantine.rejected_values r
    WHERE r.legacy_table = 'vetmed_users' AND r.legacy_id = u.id AND r.path = '' AND r.resolved_at IS NULL
) q ON true;
REVOKE ALL ON vetmed_compat.vetmed_users FROM PUBLIC;

-- Animals: vet fields from the de-duplicated veterinarian (canonical spellings; only the fields this animal
-- had), blank ones from quarantine; arrays rebuilt in their order from rows and quarantined elements, NULL
-- and '{}' told apart by the stored array length.
CREATE OR REPLACE VIEW vetmed_compat.vetmed_animals AS
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

CREATE OR REPLACE VIEW vetmed_compat.vetmed_households AS
SELECT id, name, timezone, created_at, updated_at FROM vetmed.vetmed_households;

CREATE OR REPLACE VIEW vetmed_compat.vetmed_memberships AS
SELECT id, user_id, household_id, role, created_at, updated_at FROM vetmed.vetmed_memberships;

CREATE OR REPLACE VIEW vetmed_compat.vetmed_inventory_items AS
SELECT id, household_id, medication_id, assigned_animal_id, brand_override, concentration, lot, expires_on, storage,
       quantity_units, units_remaining, unit_type, opened_on, in_use, barcode, purchase_date, purchase_price,
       supplier, notes, created_at, updated_at, deleted_at
FROM vetmed.vetmed_inventory_items;

CREATE OR REPLACE VIEW vetmed_compat.vetmed_regimens AS
SELECT id, animal_id, medication_id, name, instructions, schedule_type, times_local, interval_hours, start_date,
       end_date, prn_reason, max_daily_doses, cutoff_minutes, high_risk, requires_co_sign, active, paused_at,
       pause_reason, dose, route, created_at, updated_at, deleted_at
FROM vetmed.vetmed_regimens;

CREATE OR REPLACE VIEW vetmed_compat.vetmed_administrations AS
SELECT id, regimen_id, animal_id, household_id, caregiver_id, scheduled_for, recorded_at, status, source_item_id,
       site, dose, notes, media_urls, co_sign_user_id, co_signed_at, co_sign_notes, adverse_event,
       adverse_event_description, idempotency_key, created_at, updated_at
FROM vetmed.vetmed_administrations;

CREATE OR REPLACE VIEW vetmed_compat.vetmed_cosign_requests AS
SELECT id, administration_id, requester_id, cosigner_id, household_id, status, signature, rejection_reason,
       signed_at, created_at, expires_at, updated_at
FROM vetmed.vetmed_cosign_requests;

CREATE OR REPLACE VIEW vetmed_compat.vetmed_notifications AS
SELECT id, user_id, household_id, type, title, body AS message, priority, read, dismissed, action_url, data,
       created_at, read_at, dismissed_at
FROM vetmed.vetmed_notifications
WHERE legacy_table = 'vetmed_notifications';

CREATE OR REPLACE VIEW vetmed_compat.vetmed_notification_queue AS
SELECT id, user_id, household_id, type, title, body, data, scheduled_for, sent_at, failed_at, error, attempts,
       read_at, dismissed_at, snoozed_until, created_at
FROM vetmed.vetmed_notifications
WHERE legacy_table = 'vetmed_notification_queue';

CREATE OR REPLACE VIEW vetmed_compat.vetmed_push_subscriptions AS
SELECT id, user_id, endpoint, p256dh_key, auth_key, user_agent, device_name, is_active, last_used, created_at,
       updated_at
FROM vetmed.vetmed_push_subscriptions;

CREATE OR REPLACE VIEW vetmed_compat.vetmed_suggestions AS
SELECT id, household_id, type, summary, rationale, priority, estimated_impact, status, action, original_values,
       applied_at, applied_by_user_id, reverted_at, reverted_by_user_id, dismissed_at, dismissed_by_user_id,
       expires_at, created_at, updated_at
FROM vetmed.vetmed_suggestions;

CREATE OR REPLACE VIEW vetmed_compat.vetmed_audit_log AS
SELECT id, user_id, household_id, action, resource_type, resource_id, old_values, new_values, details, ip_address,
       user_agent, session_id, "timestamp"
FROM vetmed.vetmed_audit_log;


GRANT SELECT ON vetmed_compat.vetmed_users TO vetmed_privacy;

-- A rebuilt JSON document with its quarantined parts put back where they were (JSON Pointer paths):
-- the whole document (''), whole keys, single fields, and array elements (inserted at their index, in
-- ascending order, so later indexes land after earlier ones).
-- SECURITY DEFINER so that vetmed_app, which may not read the quarantine (it holds emergency contact
-- values), can read the catalog view; limited to the catalog's documents for that reason.
CREATE OR REPLACE FUNCTION vetmed.with_rejections(doc jsonb, p_table text, p_id uuid, p_column text)
    RETURNS jsonb LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    piece record;
    parent jsonb;
BEGIN
    IF p_table <> 'vetmed_medication_catalog' THEN
        RAISE EXCEPTION 'vetmed.with_rejections rebuilds medication catalog documents only';
    END IF;
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
CREATE OR REPLACE VIEW vetmed_compat.vetmed_medication_catalog AS
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
GRANT EXECUTE ON FUNCTION vetmed.with_rejections(jsonb, text, uuid, text) TO vetmed_app;
GRANT SELECT ON ALL TABLES IN SCHEMA vetmed_compat TO vetmed_app;
REVOKE ALL ON vetmed_compat.vetmed_users FROM vetmed_app;
-- the users view reads quarantined contact values as its invoker
GRANT USAGE ON SCHEMA vetmed_quarantine TO vetmed_privacy;
GRANT SELECT ON vetmed_quarantine.rejected_values TO vetmed_privacy;
