"""Where the project's files are. The package runs from its checkout (installed editable), next to sql/."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = REPO_ROOT / "sql"
DAGSTER_HOME = REPO_ROOT / "dagster_home"
LEGACY_SCHEMA_SQL = SQL_DIR / "legacy" / "schema.sql"
LEGACY_SPEC_JSON = SQL_DIR / "legacy" / "spec.json"
