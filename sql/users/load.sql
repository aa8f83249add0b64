-- Users domain load: set-based statements over vetmed_staging, run by vetmed_pipeline/defs/users/assets.py.
-- Each target table is reconciled with the snapshot: rows that left the source are deleted first (with the
-- legacy ON DELETE behaviour), then every staging row is inserted or, when it changed, updated.

-- name: delete_missing_households
DELETE FROM vetmed.vetmed_households t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_households s WHERE s.id = t.id);

-- name: upsert_households
INSERT INTO vetmed.vetmed_households AS t
    (id, name, timezone, created_at, updated_at)
SELECT n.*
FROM (
    SELECT id, name, timezone, created_at, updated_at
    FROM vetmed_staging.vetmed_households
) AS n (id, name, timezone, created_at, updated_at)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_households o WHERE o.id = n.id
                  AND (o.name, o.timezone, o.created_at, o.updated_at)
                      IS NOT DISTINCT FROM (n.name, n.timezone, n.created_at, n.updated_at))
ON CONFLICT (id) DO UPDATE
SET name = EXCLUDED.name, timezone = EXCLUDED.timezone,
    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at
WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*);

-- name: create_user_roles
CREATE TEMP TABLE user_roles ON COMMIT DROP AS
SELECT u.id, vetmed.role_from_memberships(array_agg(m.role)) AS role
FROM vetmed_staging.vetmed_users u
LEFT JOIN vetmed_staging.vetmed_memberships m ON m.user_id = u.id
GROUP BY u.id;

-- Email and stack_user_id uniqueness is checked at commit: an address may move between users in one run.
-- name: defer_user_key_uniqueness
SET CONSTRAINTS vetmed.vetmed_users_owners_email_key, vetmed.vetmed_users_caregivers_email_key,
    vetmed.vetmed_users_vets_email_key, vetmed.vetmed_users_unassigned_email_key,
    vetmed.vetmed_users_owners_stack_user_id_key, vetmed.vetmed_users_caregivers_stack_user_id_key,
    vetmed.vetmed_users_vets_stack_user_id_key, vetmed.vetmed_users_unassigned_stack_user_id_key DEFERRED;

-- name: delete_missing_users
DELETE FROM vetmed.vetmed_users t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_users s WHERE s.id = t.id);

-- A role change is an UPDATE: PostgreSQL moves the row to its new partition and ON UPDATE CASCADE
-- carries profiles, preferences, contacts and memberships along.
-- name: move_changed_roles
UPDATE vetmed.vetmed_users t
SET role = r.role
FROM user_roles r
WHERE r.id = t.id AND t.role <> r.role;

-- name: upsert_users
INSERT INTO vetmed.vetmed_users AS t
    (id, role, email, name, first_name, last_name, image, email_verified, stack_user_id, created_at, updated_at)
SELECT n.*
FROM (
    SELECT u.id, r.role, u.email, u.name, u.first_name, u.last_name, u.image, u.email_verified, u.stack_user_id,
           u.created_at, u.updated_at
    FROM vetmed_staging.vetmed_users u
    JOIN user_roles r ON r.id = u.id
) AS n (id, role, email, name, first_name, last_name, image, email_verified, stack_user_id, created_at,
        updated_at)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_users o WHERE o.id = n.id AND o.role = n.role
                  AND (o.email, o.name, o.first_name, o.last_name, o.image, o.email_verified,
                       o.stack_user_id, o.created_at, o.updated_at)
                      IS NOT DISTINCT FROM (n.email, n.name, n.first_name, n.last_name, n.image,
                                            n.email_verified, n.stack_user_id, n.created_at, n.updated_at))
ON CONFLICT (id, role) DO UPDATE
SET email = EXCLUDED.email, name = EXCLUDED.name, first_name = EXCLUDED.first_name,
    last_name = EXCLUDED.last_name, image = EXCLUDED.image, email_verified = EXCLUDED.email_verified,
    stack_user_id = EXCLUDED.stack_user_id, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at
WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*);

-- name: users_per_role
SELECT role, count(*) FROM vetmed.vetmed_users GROUP BY role ORDER BY role;

-- name: upsert_profiles
INSERT INTO vetmed.vetmed_user_profiles AS t
    (user_id, user_role, bio, pronouns, location, website, social_links, profile_data, profile_visibility,
     profile_completed_at)
SELECT n.*
FROM (
    SELECT s.id, u.role, s.bio, s.pronouns, s.location, s.website, s.social_links, s.profile_data,
           s.profile_visibility, s.profile_completed_at
    FROM vetmed_staging.vetmed_users s
    JOIN vetmed.vetmed_users u ON u.id = s.id
) AS n (user_id, user_role, bio, pronouns, location, website, social_links, profile_data, profile_visibility,
        profile_completed_at)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_user_profiles o WHERE o.user_id = n.user_id
                  AND (o.user_role, o.bio, o.pronouns, o.location, o.website, o.social_links, o.profile_data,
                       o.profile_visibility, o.profile_completed_at)
                      IS NOT DISTINCT FROM (n.user_role, n.bio, n.pronouns, n.location, n.website,
                                            n.social_links, n.profile_data, n.profile_visibility,
                                            n.profile_completed_at))
ON CONFLICT (user_id) DO UPDATE
SET user_role = EXCLUDED.user_role, bio = EXCLUDED.bio, pronouns = EXCLUDED.pronouns,
    location = EXCLUDED.location, website = EXCLUDED.website, social_links = EXCLUDED.social_links,
    profile_data = EXCLUDED.profile_data, profile_visibility = EXCLUDED.profile_visibility,
    profile_completed_at = EXCLUDED.profile_completed_at
WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*);

-- name: distinct_reminder_minutes
SELECT DISTINCT reminder_lead_time_minutes FROM vetmed_staging.vetmed_users
WHERE reminder_lead_time_minutes IS NOT NULL;

-- name: distinct_week_starts_on
SELECT DISTINCT week_starts_on FROM vetmed_staging.vetmed_users WHERE week_starts_on IS NOT NULL;

-- name: create_preference_maps
-- raw is unique (DISTINCT values) but not a key: a legacy value may be longer than a btree entry holds.
CREATE TEMP TABLE reminder_minutes_map (raw text NOT NULL, value integer, rule text) ON COMMIT DROP;
CREATE TEMP TABLE week_starts_on_map (raw integer PRIMARY KEY, value smallint, rule text) ON COMMIT DROP;

-- name: upsert_preferences
INSERT INTO vetmed.vetmed_user_preferences AS t
    (user_id, user_role, preferred_timezone, preferred_phone_number, use_24_hour_time, temperature_unit,
     weight_unit, email_reminders, sms_reminders, push_notifications, reminder_lead_time_minutes,
     week_starts_on, theme, default_household_id, default_animal_id, onboarding_complete,
     onboarding_completed_at, preferences_backup)
SELECT n.*
FROM (
    SELECT s.id, u.role, s.preferred_timezone, s.preferred_phone_number, s.use_24_hour_time,
           s.temperature_unit::vetmed.temperature_unit, s.weight_unit::vetmed.weight_unit, s.email_reminders,
           s.sms_reminders, s.push_notifications, rm.value, ws.value, s.theme, s.default_household_id,
           s.default_animal_id, s.onboarding_complete, s.onboarding_completed_at, s.preferences_backup
    FROM vetmed_staging.vetmed_users s
    JOIN vetmed.vetmed_users u ON u.id = s.id
    LEFT JOIN reminder_minutes_map rm ON rm.raw = s.reminder_lead_time_minutes
    LEFT JOIN week_starts_on_map ws ON ws.raw = s.week_starts_on
) AS n (user_id, user_role, preferred_timezone, preferred_phone_number, use_24_hour_time, temperature_unit,
        weight_unit, email_reminders, sms_reminders, push_notifications, reminder_lead_time_minutes,
        week_starts_on, theme, default_household_id, default_animal_id, onboarding_complete,
        onboarding_completed_at, preferences_backup)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_user_preferences o WHERE o.user_id = n.user_id
                  AND (o.user_role, o.preferred_timezone, o.preferred_phone_number, o.use_24_hour_time,
                       o.temperature_unit, o.weight_unit, o.email_reminders, o.sms_reminders,
                       o.push_notifications, o.reminder_lead_time_minutes, o.week_starts_on, o.theme,
                       o.default_household_id, o.default_animal_id, o.onboarding_complete,
                       o.onboarding_completed_at, o.preferences_backup)
                      IS NOT DISTINCT FROM (n.user_role, n.preferred_timezone, n.preferred_phone_number,
                                            n.use_24_hour_time, n.temperature_unit, n.weight_unit,
                                            n.email_reminders, n.sms_reminders, n.push_notifications,
                                            n.reminder_lead_time_minutes, n.week_starts_on, n.theme,
                                            n.default_household_id, n.default_animal_id,
                                            n.onboarding_complete, n.onboarding_completed_at,
                                            n.preferences_backup))
ON CONFLICT (user_id) DO UPDATE
SET user_role = EXCLUDED.user_role, preferred_timezone = EXCLUDED.preferred_timezone,
    preferred_phone_number = EXCLUDED.preferred_phone_number, use_24_hour_time = EXCLUDED.use_24_hour_time,
    temperature_unit = EXCLUDED.temperature_unit, weight_unit = EXCLUDED.weight_unit,
    email_reminders = EXCLUDED.email_reminders, sms_reminders = EXCLUDED.sms_reminders,
    push_notifications = EXCLUDED.push_notifications,
    reminder_lead_time_minutes = EXCLUDED.reminder_lead_time_minutes, week_starts_on = EXCLUDED.week_starts_on,
    theme = EXCLUDED.theme, default_household_id = EXCLUDED.default_household_id,
    default_animal_id = EXCLUDED.default_animal_id, onboarding_complete = EXCLUDED.onboarding_complete,
    onboarding_completed_at = EXCLUDED.onboarding_completed_at, preferences_backup = EXCLUDED.preferences_backup
WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*);

-- name: reject_preferences
INSERT INTO rejections (legacy_table, legacy_id, legacy_column, path, raw_value, rule)
SELECT 'vetmed_users', s.id, 'reminder_lead_time_minutes', '', to_jsonb(s.reminder_lead_time_minutes), rm.rule
FROM vetmed_staging.vetmed_users s
JOIN reminder_minutes_map rm ON rm.raw = s.reminder_lead_time_minutes
WHERE rm.rule IS NOT NULL
UNION ALL
SELECT 'vetmed_users', s.id, 'week_starts_on', '', to_jsonb(s.week_starts_on), ws.rule
FROM vetmed_staging.vetmed_users s
JOIN week_starts_on_map ws ON ws.raw = s.week_starts_on
WHERE ws.rule IS NOT NULL;

-- A contact row exists when the name or the phone is not blank. Non-blank values are kept exactly as
-- written; a blank one that is not NULL ('', '  ') is quarantined, so the legacy value can be rebuilt.
-- name: delete_stale_emergency_contacts
DELETE FROM vetmed.vetmed_emergency_contacts t
WHERE t.position = 0 AND NOT EXISTS (
    SELECT FROM vetmed_staging.vetmed_users s
    WHERE s.id = t.user_id
      AND NOT (vetmed.is_blank(s.emergency_contact_name) AND vetmed.is_blank(s.emergency_contact_phone)));

-- name: upsert_emergency_contacts
INSERT INTO vetmed.vetmed_emergency_contacts AS t
    (id, user_id, user_role, position, name, phone)
SELECT n.*
FROM (
    SELECT vetmed.derived_uuid('vetmed_emergency_contacts', s.id::text || ':0'), s.id, u.role, 0,
           CASE WHEN vetmed.is_blank(s.emergency_contact_name) THEN NULL ELSE s.emergency_contact_name END,
           CASE WHEN vetmed.is_blank(s.emergency_contact_phone) THEN NULL ELSE s.emergency_contact_phone END
    FROM vetmed_staging.vetmed_users s
    JOIN vetmed.vetmed_users u ON u.id = s.id
    WHERE NOT (vetmed.is_blank(s.emergency_contact_name) AND vetmed.is_blank(s.emergency_contact_phone))
) AS n (id, user_id, user_role, position, name, phone)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_emergency_contacts o WHERE o.id = n.id
                  AND (o.user_id, o.user_role, o.position, o.name, o.phone)
                      IS NOT DISTINCT FROM (n.user_id, n.user_role, n.position, n.name, n.phone))
ON CONFLICT (id) DO UPDATE
SET user_role = EXCLUDED.user_role, name = EXCLUDED.name, phone = EXCLUDED.phone
WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*);

-- name: reject_blank_contact_fields
INSERT INTO rejections (legacy_table, legacy_id, legacy_column, path, raw_value, rule)
SELECT 'vetmed_users', s.id, f.legacy_column, '', to_jsonb(f.value), 'emergency_contact_blank'
FROM vetmed_staging.vetmed_users s
CROSS JOIN LATERAL (VALUES ('emergency_contact_name', s.emergency_contact_name),
                           ('emergency_contact_phone', s.emergency_contact_phone)) AS f (legacy_column, value)
WHERE f.value IS NOT NULL AND vetmed.is_blank(f.value);

-- name: delete_missing_memberships
DELETE FROM vetmed.vetmed_memberships t
WHERE NOT EXISTS (SELECT FROM vetmed_staging.vetmed_memberships s WHERE s.id = t.id);

-- name: defer_membership_uniqueness
SET CONSTRAINTS vetmed.vetmed_memberships_user_id_household_id_key DEFERRED;

-- name: upsert_memberships
INSERT INTO vetmed.vetmed_memberships AS t
    (id, user_id, user_role, household_id, role, created_at, updated_at)
SELECT n.*
FROM (
    SELECT m.id, m.user_id, u.role, m.household_id, m.role::vetmed.vetmed_role, m.created_at, m.updated_at
    FROM vetmed_staging.vetmed_memberships m
    JOIN vetmed.vetmed_users u ON u.id = m.user_id
) AS n (id, user_id, user_role, household_id, role, created_at, updated_at)
-- Rows the target already holds unchanged are left alone (not locked, not rewritten).
WHERE NOT EXISTS (SELECT FROM vetmed.vetmed_memberships o WHERE o.id = n.id
                  AND (o.user_id, o.user_role, o.household_id, o.role, o.created_at, o.updated_at)
                      IS NOT DISTINCT FROM (n.user_id, n.user_role, n.household_id, n.role, n.created_at,
                                            n.updated_at))
ON CONFLICT (id) DO UPDATE
SET user_id = EXCLUDED.user_id, user_role = EXCLUDED.user_role, household_id = EXCLUDED.household_id,
    role = EXCLUDED.role, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at
WHERE ROW(t.*) IS DISTINCT FROM ROW(EXCLUDED.*);

-- The foreign key to animals is added NOT VALID (rows from before the animals domain); once preferences
-- are rewritten after the animals load, it is validated.
-- name: validate_default_animal_fk
ALTER TABLE vetmed.vetmed_user_preferences VALIDATE CONSTRAINT vetmed_user_preferences_default_animal_fk;
