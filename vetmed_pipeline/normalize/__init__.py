"""Pure functions: no database, no Dagster. Each parses legacy values into typed ones or names a rule."""
