-- Extract: the schema the legacy snapshot is copied into. The staging tables themselves are created by
-- the extract step from sql/legacy/spec.json (one per legacy table, dropped and re-created every run).

CREATE SCHEMA IF NOT EXISTS vetmed_staging;

-- Snapshot taken by the last extract: one row.
CREATE TABLE IF NOT EXISTS vetmed_staging.snapshot (
    run_id         text NOT NULL,
    snapshot_at    timestamptz NOT NULL,
    source_version integer NOT NULL,
    extracted_at   timestamptz NOT NULL DEFAULT now()
);

