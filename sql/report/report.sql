-- The migration report (defs/report): sizes, open quarantine, and the seed's example queries
-- (schema-refactoring-guide.md, "Query Performance Examples"), before on the legacy source and after on the
-- target. Counts, sizes and times only: never a value from a row.

-- name: open_quarantine_by_rule
SELECT legacy_table, legacy_column, rule, count(*) FROM vetmed_quarantine.rejected_values
WHERE resolved_at IS NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- Heap and TOAST bytes of a table, all its partitions included (indexes not counted).
-- name: table_bytes
SELECT CASE WHEN c.relkind = 'p'
            THEN (SELECT sum(pg_table_size(t.relid)) FROM pg_partition_tree(c.oid) t)
            ELSE pg_table_size(c.oid) END
FROM pg_class c WHERE c.oid = to_regclass(%(table)s);

-- name: preferences_before
EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM public.vetmed_users WHERE id = %(id)s::uuid;

-- name: preferences_after
EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM vetmed.vetmed_user_preferences WHERE user_id = %(id)s::uuid;

-- name: dog_multiplier_before
EXPLAIN (ANALYZE, FORMAT JSON)
SELECT * FROM public.vetmed_medication_catalog WHERE species_adjustments->'dog'->>'multiplier' = '1.2';

-- name: dog_multiplier_after
EXPLAIN (ANALYZE, FORMAT JSON)
SELECT m.*, sa.dose_multiplier FROM vetmed.vetmed_medications m
JOIN vetmed.vetmed_species_adjustments sa ON m.id = sa.medication_id
WHERE sa.species = 'dog' AND sa.dose_multiplier = 1.2;

-- name: active_allergies_before
EXPLAIN (ANALYZE, FORMAT JSON) SELECT allergies FROM public.vetmed_animals WHERE id = %(id)s::uuid;

-- name: active_allergies_after
EXPLAIN (ANALYZE, FORMAT JSON)
SELECT * FROM vetmed.vetmed_animal_allergies WHERE animal_id = %(id)s::uuid AND is_active;

-- Rows outside every month partition, per partitioned table: their count, their share of the table, and
-- up to 20 of their ids (isolated outliers and infinite times stay there, listed, never lost).
-- name: rows_in_default
SELECT p.relname AS parent, d.relname AS partition
FROM pg_catalog.pg_partitioned_table pt
JOIN pg_catalog.pg_class p ON p.oid = pt.partrelid
JOIN pg_catalog.pg_namespace n ON n.oid = p.relnamespace
JOIN pg_catalog.pg_class d ON d.oid = pt.partdefid
WHERE n.nspname = 'vetmed' AND pt.partstrat = 'r'
ORDER BY 1;

-- Every partition of the month-partitioned tables: its parent, its name and its month (UTC; NULL for the
-- DEFAULT partition, which holds the rows outside the window). The report counts each one's rows.
-- name: month_partitions
SELECT p.relname AS parent, c.relname AS partition,
       (date_trunc('month', (regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid),
                                          'FROM \(''([^'']+)''\)'))[1]::timestamptz AT TIME ZONE 'UTC'))::date
           AS month
FROM pg_catalog.pg_partitioned_table pt
JOIN pg_catalog.pg_class p ON p.oid = pt.partrelid
JOIN pg_catalog.pg_namespace n ON n.oid = p.relnamespace
JOIN pg_catalog.pg_inherits i ON i.inhparent = p.oid
JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
WHERE n.nspname = 'vetmed' AND pt.partstrat = 'r'
ORDER BY 1, 3 NULLS LAST;
