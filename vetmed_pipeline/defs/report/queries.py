"""Named statements of sql/report/: every name declared here exists there (checked on import)."""

from vetmed_pipeline.core.db import SqlFile, Statement


class Report(SqlFile, path="report/report.sql"):
    open_quarantine_by_rule: Statement
    table_bytes: Statement
    rows_in_default: Statement
    month_partitions: Statement
    preferences_before: Statement
    preferences_after: Statement
    dog_multiplier_before: Statement
    dog_multiplier_after: Statement
    active_allergies_before: Statement
    active_allergies_after: Statement
