-- Schemas, roles, the shared quarantine and the helpers every domain uses. Idempotent; applied once per
-- version of the DDL (sql/ddl.manifest), before every domain's own.

CREATE SCHEMA IF NOT EXISTS vetmed;
CREATE SCHEMA IF NOT EXISTS vetmed_quarantine;

-- vetmed_app: what the application will use, every vetmed table but emergency contacts.
-- vetmed_privacy: vetmed_app plus emergency contacts. Roles are cluster-wide; create them once.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'vetmed_app') THEN
        CREATE ROLE vetmed_app NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'vetmed_privacy') THEN
        CREATE ROLE vetmed_privacy NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- another database on this server created them at the same moment
END
$$;
GRANT vetmed_app TO vetmed_privacy;

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
