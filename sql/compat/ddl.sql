-- vetmed_compat: one view per legacy table, with the legacy table's name and exactly its columns, in its
-- order, rebuilt from schema vetmed (and vetmed_quarantine where values were rejected). Each domain
-- defines the views of its legacy tables in sql/<domain>/compat.sql; this file creates their schema.
-- Application code that reads the legacy names keeps working against them; the round-trip checks
-- (defs/compat) compare them with the snapshot.

CREATE SCHEMA IF NOT EXISTS vetmed_compat;
GRANT USAGE ON SCHEMA vetmed_compat TO :app_role;
