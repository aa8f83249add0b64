"""Named statements of sql/medications/: every name declared here exists there (checked on import)."""

from vetmed_pipeline.core.db import SqlFile, Statement


class Load(SqlFile, path="medications/load.sql"):
    catalog_documents: Statement
    delete_missing_medications: Statement
    upsert_medications: Statement
    clear_children: Statement
    insert_base_guidelines: Statement
    create_parse_results: Statement
    reject_medication_values: Statement
    delete_missing_medication_dependents: Statement


class Checks(SqlFile, path="medications/checks.sql"):
    documents_accounted: Statement
    no_orphans: Statement
    species_unique: Statement
    dog_multiplier_legacy: Statement
    dog_multiplier_relational: Statement
