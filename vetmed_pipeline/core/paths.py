"""Where the project's files are. The package runs from its checkout (installed editable), next to sql/."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
SQL_DIR = REPO_ROOT / "sql"
DAGSTER_HOME = REPO_ROOT / "dagster_home"
DEFS_DIR = REPO_ROOT / "vetmed_pipeline" / "defs"
LEGACY_SCHEMA_SQL = SQL_DIR / "legacy" / "schema.sql"
LEGACY_SPEC_JSON = SQL_DIR / "legacy" / "spec.json"
#: The target's DDL files, in the order they are applied (their contents hashed into the DDL version).
DDL_MANIFEST = SQL_DIR / "ddl.manifest"
