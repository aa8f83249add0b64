-- Compat views of the users domain's legacy tables (see sql/compat/ddl.sql). Idempotent: CREATE OR
-- REPLACE, the column lists are the legacy ones and never change.

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

CREATE OR REPLACE VIEW vetmed_compat.vetmed_households WITH (security_invoker = true) AS
SELECT id, name, timezone, created_at, updated_at FROM vetmed.vetmed_households;

CREATE OR REPLACE VIEW vetmed_compat.vetmed_memberships WITH (security_invoker = true) AS
SELECT id, user_id, household_id, role, created_at, updated_at FROM vetmed.vetmed_memberships;

GRANT SELECT ON vetmed_compat.vetmed_users TO :privacy_role;
GRANT SELECT ON vetmed_compat.vetmed_households, vetmed_compat.vetmed_memberships TO :app_role;
