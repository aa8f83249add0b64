-- The shared quarantine (vetmed_pipeline/core/quarantine.py): every domain collects the values it rejects in
-- the temp table `rejections`, then merges them here. A value seen again keeps its first run id and gets this
-- run as its last; a value no longer rejected (fixed in the source, or its row gone) gets resolved_at and
-- stays for history. Paths are keyed by their md5: a JSON key may be longer than a btree entry holds.

-- name: create_rejections
CREATE TEMP TABLE IF NOT EXISTS rejections (
    legacy_table text NOT NULL, legacy_id uuid NOT NULL, legacy_column text NOT NULL,
    path text NOT NULL DEFAULT '', raw_value jsonb NOT NULL, rule text NOT NULL,
    path_key text GENERATED ALWAYS AS (md5(path)) STORED,
    PRIMARY KEY (legacy_table, legacy_id, legacy_column, path_key)
) ON COMMIT DROP;

-- Temp tables have no statistics until analyzed; without them the anti-join below becomes a nested loop.
-- name: analyze_rejections
ANALYZE rejections;

-- name: merge_rejections
INSERT INTO vetmed_quarantine.rejected_values AS q
    (legacy_table, legacy_id, legacy_column, path, raw_value, rule, first_run_id, last_run_id)
SELECT legacy_table, legacy_id, legacy_column, path, raw_value, rule, %(run_id)s, %(run_id)s
FROM rejections
WHERE legacy_table = %(legacy_table)s AND legacy_column = ANY (%(columns)s)
ON CONFLICT (legacy_table, legacy_id, legacy_column, path_key) DO UPDATE
SET raw_value = EXCLUDED.raw_value, rule = EXCLUDED.rule, last_run_id = EXCLUDED.last_run_id,
    last_seen_at = now(), resolved_at = NULL;

-- name: resolve_rejections
UPDATE vetmed_quarantine.rejected_values q
SET resolved_at = now()
WHERE q.legacy_table = %(legacy_table)s AND q.legacy_column = ANY (%(columns)s) AND q.resolved_at IS NULL
  AND NOT EXISTS (
      SELECT FROM rejections r
      WHERE r.legacy_table = q.legacy_table AND r.legacy_id = q.legacy_id
        AND r.legacy_column = q.legacy_column AND r.path_key = q.path_key);

-- Resolved rejections older than the retention (VETMED_QUARANTINE_RETENTION_DAYS) go: their values left the
-- source, and a target keeps no personal value longer than it must.
-- name: purge_resolved
DELETE FROM vetmed_quarantine.rejected_values
WHERE legacy_table = %(legacy_table)s AND legacy_column = ANY (%(columns)s)
  AND resolved_at < now() - make_interval(days => %(retention_days)s);

-- name: open_rejections_by_rule
SELECT rule, count(*) FROM vetmed_quarantine.rejected_values
WHERE legacy_table = %(legacy_table)s AND legacy_column = ANY (%(columns)s) AND resolved_at IS NULL
GROUP BY rule ORDER BY rule;
