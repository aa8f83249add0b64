-- Schemas, roles, the shared quarantine and the helpers every domain uses. Idempotent; applied once per
-- version of the DDL (sql/ddl.manifest), before every domain's own.

CREATE SCHEMA IF NOT EXISTS vetmed;
CREATE SCHEMA IF NOT EXISTS vetmed_quarantine;

-- The application role (default vetmed_app: what the application will use, every vetmed table but emergency
-- contacts) and the privacy role (default vetmed_privacy: the application role plus emergency contacts).
-- Their names are set per target (VETMED_APP_ROLE, VETMED_PRIVACY_ROLE; core/target.py puts them in place of
-- :app_role and :privacy_role). PostgreSQL roles belong to the server, not the database: a role granted here
-- opens every database of the server that grants to it.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = :'app_role') THEN
        CREATE ROLE :app_role NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = :'privacy_role') THEN
        CREATE ROLE :privacy_role NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- another database on this server created them at the same moment
END
$$;
GRANT :app_role TO :privacy_role;

-- Values that could not be placed in a typed column. Kept across runs, never truncated by a normal run:
-- a value that becomes valid in the source gets resolved_at, and the row stays for history.
CREATE TABLE IF NOT EXISTS vetmed_quarantine.rejected_values (
    legacy_table  text NOT NULL,
    legacy_id     uuid NOT NULL,
    legacy_column text NOT NULL,
    path          text NOT NULL DEFAULT '',   -- array position or JSON key path; '' for the whole value
    raw_value     jsonb NOT NULL,             -- the legacy value, exactly (text becomes a JSON string)
    rule          text NOT NULL,
    first_run_id  text NOT NULL,
    last_run_id   text NOT NULL,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at   timestamptz,
    -- the path's md5 in the key: a JSON key (and so a path) may be longer than a btree entry can hold
    path_key      text GENERATED ALWAYS AS (md5(path)) STORED,
    CONSTRAINT rejected_values_pkey PRIMARY KEY (legacy_table, legacy_id, legacy_column, path_key)
);
-- Targets built when the key held the path itself are brought up to date.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute
                   WHERE attrelid = 'vetmed_quarantine.rejected_values'::regclass AND attname = 'path_key') THEN
        ALTER TABLE vetmed_quarantine.rejected_values
            ADD COLUMN path_key text GENERATED ALWAYS AS (md5(path)) STORED,
            DROP CONSTRAINT rejected_values_pkey,
            ADD CONSTRAINT rejected_values_pkey PRIMARY KEY (legacy_table, legacy_id, legacy_column, path_key);
    END IF;
END
$$;
CREATE INDEX IF NOT EXISTS rejected_values_open_idx
    ON vetmed_quarantine.rejected_values (legacy_table, legacy_column) WHERE resolved_at IS NULL;

-- The application role reads the quarantine (the compat views, which run with their reader's rights, rebuild
-- legacy values from it) except emergency contact values, which only the privacy role may read: the same
-- rule as for vetmed.vetmed_emergency_contacts, row by row.
GRANT USAGE ON SCHEMA vetmed_quarantine TO :app_role;
GRANT SELECT ON vetmed_quarantine.rejected_values TO :app_role;
ALTER TABLE vetmed_quarantine.rejected_values ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS rejected_values_application ON vetmed_quarantine.rejected_values;
CREATE POLICY rejected_values_application ON vetmed_quarantine.rejected_values FOR SELECT TO :app_role
    USING (legacy_column NOT IN ('emergency_contact_name', 'emergency_contact_phone'));
DROP POLICY IF EXISTS rejected_values_privacy ON vetmed_quarantine.rejected_values;
CREATE POLICY rejected_values_privacy ON vetmed_quarantine.rejected_values FOR SELECT TO :privacy_role
    USING (true);

-- Ids of rows that have no legacy id of their own: md5 of a kind and a key, read as a uuid. Deterministic,
-- so a re-run gives the same ids, and available on every PostgreSQL without an extension.
CREATE OR REPLACE FUNCTION vetmed.derived_uuid(kind text, key text) RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN md5(kind || ':' || key)::uuid;

-- Blank: NULL, empty, or only white space, where white space is exactly what Python's str.isspace()
-- accepts (the domains' rules.py trim with it), not the server locale's [[:space:]].
-- tests/integration/test_blank.py holds the two definitions together.
CREATE OR REPLACE FUNCTION vetmed.is_blank(value text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN value IS NULL
        OR value ~ '^[\u0009-\u000d\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$';

-- Too long for a btree index of the target on a column the legacy schema did not index (its Python twin is
-- core/text.py too_long): such a value is quarantined with rule too_long instead.
CREATE OR REPLACE FUNCTION vetmed.too_long(value text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(octet_length(value) > 1000, false);

-- A text as a numeric, or NULL when it is none or beyond what numeric holds ('1e200000' reads as a number).
CREATE OR REPLACE FUNCTION vetmed.try_numeric(value text) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN value::numeric;
EXCEPTION WHEN invalid_text_representation OR numeric_value_out_of_range THEN
    RETURN NULL;
END
$$;

-- A JSON Pointer (RFC 6901, as quarantine paths into documents are written) as a #> path:
-- '/a~1b/0' -> '{a/b,0}'; '' -> '{}' (the whole document); '/' -> '{""}' (the key "", not the document).
CREATE OR REPLACE FUNCTION vetmed.json_pointer_path(pointer text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN coalesce(
        (SELECT array_agg(replace(replace(part, '~1', '/'), '~0', '~') ORDER BY n)
         FROM unnest(regexp_split_to_array(substr(pointer, 2), '/')) WITH ORDINALITY AS u (part, n)
         WHERE pointer <> ''),
        '{}'::text[]);

-- What the target reflects (core/state.py): per asset (a vetmed table, a compat view, and 'staging' for the
-- extract), the snapshot and the run that last wrote it. snapshot_run_id is the extract run whose snapshot
-- the asset reflects; NULL when a run of some months wrote into it (its months then reflect several
-- snapshots).
CREATE TABLE IF NOT EXISTS vetmed.migration_state (
    asset           text PRIMARY KEY,
    snapshot_run_id text,
    run_id          text NOT NULL,
    written_at      timestamptz NOT NULL DEFAULT now()
);
-- The latest result of every asset check, with its run and the snapshot it was evaluated on.
CREATE TABLE IF NOT EXISTS vetmed.check_results (
    asset           text NOT NULL,
    check_name      text NOT NULL,
    severity        text NOT NULL,
    passed          boolean NOT NULL,
    run_id          text NOT NULL,
    snapshot_run_id text,
    evaluated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (asset, check_name)
);
-- Ready to cut over: every asset reflects the current snapshot, and every ERROR check passed on it.
CREATE OR REPLACE VIEW vetmed.migration_readiness AS
WITH current_snapshot AS (
    SELECT (SELECT snapshot_run_id FROM vetmed.migration_state WHERE asset = 'staging') AS run_id
), assets AS (
    SELECT count(*) AS total,
           count(*) FILTER (WHERE s.snapshot_run_id = c.run_id) AS on_snapshot
    FROM vetmed.migration_state s CROSS JOIN current_snapshot c WHERE s.asset <> 'staging'
), checks AS (
    SELECT count(*) AS error_checks,
           count(*) FILTER (WHERE r.passed AND r.snapshot_run_id = c.run_id) AS error_checks_passed
    FROM vetmed.check_results r CROSS JOIN current_snapshot c WHERE r.severity = 'ERROR'
)
SELECT c.run_id AS snapshot_run_id, a.total AS assets, a.on_snapshot AS assets_on_snapshot,
       k.error_checks, k.error_checks_passed,
       (c.run_id IS NOT NULL AND a.total > 0 AND a.on_snapshot = a.total
        AND k.error_checks > 0 AND k.error_checks_passed = k.error_checks) AS ready
FROM current_snapshot c CROSS JOIN assets a CROSS JOIN checks k;
