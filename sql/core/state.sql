-- What the target reflects (core/state.py; the tables are in sql/core/ddl.sql).

-- name: record_asset
INSERT INTO vetmed.migration_state AS s (asset, snapshot_run_id, run_id, written_at)
VALUES (%(asset)s,
        CASE WHEN %(scoped)s THEN NULL
             ELSE coalesce(%(snapshot_run_id)s,
                           (SELECT snapshot_run_id FROM vetmed.migration_state WHERE asset = 'staging')) END,
        %(run_id)s, now())
ON CONFLICT (asset) DO UPDATE
SET snapshot_run_id = EXCLUDED.snapshot_run_id, run_id = EXCLUDED.run_id, written_at = EXCLUDED.written_at;

-- name: record_check
INSERT INTO vetmed.check_results AS r (asset, check_name, severity, passed, run_id, snapshot_run_id, evaluated_at)
SELECT %(asset)s, %(check_name)s, %(severity)s, %(passed)s, %(run_id)s,
       (SELECT snapshot_run_id FROM vetmed.migration_state WHERE asset = 'staging'), now()
ON CONFLICT (asset, check_name) DO UPDATE
SET severity = EXCLUDED.severity, passed = EXCLUDED.passed, run_id = EXCLUDED.run_id,
    snapshot_run_id = EXCLUDED.snapshot_run_id, evaluated_at = EXCLUDED.evaluated_at;

-- name: readiness
SELECT snapshot_run_id, assets, assets_on_snapshot, error_checks, error_checks_passed, ready
FROM vetmed.migration_readiness;

-- Assets that do not reflect the current snapshot, with the snapshot and run they do reflect.
-- name: assets_off_snapshot
SELECT s.asset, coalesce(s.snapshot_run_id, 'several (a run of some months)'), s.run_id
FROM vetmed.migration_state s
WHERE s.asset <> 'staging'
  AND s.snapshot_run_id IS DISTINCT FROM (SELECT snapshot_run_id FROM vetmed.migration_state WHERE asset = 'staging')
ORDER BY 1;
