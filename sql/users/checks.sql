-- Users domain checks. Each compares the target with the extracted snapshot (vetmed_staging), so each can
-- fail; none restates what a constraint already guarantees.

-- name: membership_relationships
SELECT count(*) FILTER (WHERE t.id IS NULL) AS missing,
       count(*) FILTER (WHERE t.id IS NOT NULL
                          AND (t.user_id, t.household_id, t.role::text) IS DISTINCT FROM (s.user_id, s.household_id, s.role)) AS changed,
       count(*) FILTER (WHERE t.id IS NOT NULL AND u.id IS NULL) AS without_user,
       count(*) FILTER (WHERE t.id IS NOT NULL AND h.id IS NULL) AS without_household,
       count(*) AS legacy_memberships
FROM vetmed_staging.vetmed_memberships s
LEFT JOIN vetmed.vetmed_memberships t ON t.id = s.id
LEFT JOIN vetmed.vetmed_users u ON u.id = t.user_id AND u.role = t.user_role
LEFT JOIN vetmed.vetmed_households h ON h.id = t.household_id;

-- name: user_roles
WITH derived AS (
    SELECT u.id, vetmed.role_from_memberships(array_agg(m.role)) AS role
    FROM vetmed_staging.vetmed_users u
    LEFT JOIN vetmed_staging.vetmed_memberships m ON m.user_id = u.id
    GROUP BY u.id
)
SELECT count(*) FILTER (WHERE t.id IS NULL) AS missing,
       count(*) FILTER (WHERE t.id IS NOT NULL AND t.role <> d.role) AS wrong_role,
       count(*) AS legacy_users
FROM derived d
LEFT JOIN LATERAL (SELECT id, role FROM vetmed.vetmed_users x WHERE x.id = d.id) t ON true;

-- name: user_keys_unique
SELECT (SELECT count(*) FROM (SELECT id FROM vetmed.vetmed_users GROUP BY id HAVING count(*) > 1) a)
           AS duplicate_ids,
       (SELECT count(*) FROM (SELECT email FROM vetmed.vetmed_users GROUP BY email HAVING count(*) > 1) b)
           AS duplicate_emails,
       (SELECT count(*) FROM (SELECT stack_user_id FROM vetmed.vetmed_users WHERE stack_user_id IS NOT NULL
                               GROUP BY stack_user_id HAVING count(*) > 1) c) AS duplicate_stack_user_ids;

-- Emails that are equal once trimmed and lower-cased: legal in the legacy schema (its unique constraint is
-- exact), but worth a human look before an application matches users case-insensitively.
-- name: emails_equal_ignoring_case
SELECT count(*) AS groups, coalesce(sum(n), 0) AS users
FROM (SELECT count(*) AS n FROM vetmed.vetmed_users GROUP BY lower(btrim(email)) HAVING count(*) > 1) g;

-- name: emergency_contacts
SELECT count(*) FILTER (WHERE has_data) AS users_with_contact_data,
       count(*) FILTER (WHERE has_data AND c.id IS NULL) AS missing,
       count(*) FILTER (WHERE has_data AND c.id IS NOT NULL AND (
           c.name IS DISTINCT FROM (CASE WHEN vetmed.is_blank(s.emergency_contact_name) THEN NULL ELSE s.emergency_contact_name END)
           OR c.phone IS DISTINCT FROM (CASE WHEN vetmed.is_blank(s.emergency_contact_phone) THEN NULL ELSE s.emergency_contact_phone END)))
           AS changed,
       count(*) FILTER (WHERE NOT has_data AND c.id IS NOT NULL) AS unexpected
FROM (SELECT *, NOT (vetmed.is_blank(emergency_contact_name) AND vetmed.is_blank(emergency_contact_phone)) AS has_data
      FROM vetmed_staging.vetmed_users) s
LEFT JOIN vetmed.vetmed_emergency_contacts c ON c.user_id = s.id AND c.position = 0;

-- Every legacy value of a typed preference is accounted for: typed in the preferences row, or quarantined
-- with its exact raw value; a legacy NULL stays NULL with nothing in quarantine.
-- name: preference_values_accounted
WITH fields AS (
    SELECT s.id, 'reminder_lead_time_minutes' AS legacy_column, to_jsonb(s.reminder_lead_time_minutes) AS raw,
           p.reminder_lead_time_minutes IS NOT NULL AS typed, p.user_id IS NOT NULL AS has_row
    FROM vetmed_staging.vetmed_users s LEFT JOIN vetmed.vetmed_user_preferences p ON p.user_id = s.id
    UNION ALL
    SELECT s.id, 'week_starts_on', to_jsonb(s.week_starts_on), p.week_starts_on IS NOT NULL, p.user_id IS NOT NULL
    FROM vetmed_staging.vetmed_users s LEFT JOIN vetmed.vetmed_user_preferences p ON p.user_id = s.id
)
SELECT count(*) FILTER (WHERE NOT f.has_row) AS without_row,
       count(*) FILTER (WHERE f.has_row AND f.raw IS NOT NULL AND NOT f.typed AND q.raw_value IS DISTINCT FROM f.raw)
           AS lost,
       count(*) FILTER (WHERE f.has_row AND f.typed AND q.legacy_id IS NOT NULL) AS typed_and_quarantined,
       count(*) FILTER (WHERE f.has_row AND f.raw IS NULL AND (f.typed OR q.legacy_id IS NOT NULL))
           AS null_not_kept,
       count(*) FILTER (WHERE q.legacy_id IS NOT NULL) AS quarantined
FROM fields f
LEFT JOIN vetmed_quarantine.rejected_values q
       ON q.legacy_table = 'vetmed_users' AND q.legacy_id = f.id AND q.legacy_column = f.legacy_column
      AND q.path = '' AND q.resolved_at IS NULL;
