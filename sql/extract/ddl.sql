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

-- The months of the snapshot's time series that get partitions (defs/timeseries computes them once per
-- snapshot, core/partitions.py month_window); NULL until then.
ALTER TABLE vetmed_staging.snapshot ADD COLUMN IF NOT EXISTS months_from date;
ALTER TABLE vetmed_staging.snapshot ADD COLUMN IF NOT EXISTS months_through date;
