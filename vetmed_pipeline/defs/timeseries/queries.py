"""Named statements of sql/timeseries/: every name declared here exists there (checked on import)."""

from vetmed_pipeline.core.db import SqlFile, Statement


class Load(SqlFile, path="timeseries/load.sql"):
    delete_departed_administrations: Statement
    move_administrations: Statement
    rows_administrations: Statement
    delete_departed_audit_log: Statement
    move_audit_log: Statement
    rows_audit_log: Statement
    create_notification_source: Statement
    delete_departed_notifications: Statement
    move_notifications: Statement
    rows_notifications: Statement
    snapshot_months: Statement
    month_histogram: Statement
    record_snapshot_months: Statement
    create_doomed_parents: Statement
    depart_administrations: Statement
    depart_notifications: Statement
    depart_audit_log: Statement


class Checks(SqlFile, path="timeseries/checks.sql"):
    administration_relationships: Statement
    notification_relationships: Statement
    audit_relationships: Statement
    administration_keys_unique: Statement
    notification_keys_unique: Statement
    audit_keys_unique: Statement
    notification_status_counts: Statement
    source_keys_administrations: Statement
    target_keys_administrations: Statement
    source_keys_notifications: Statement
    target_keys_notifications: Statement
    source_keys_audit_log: Statement
    target_keys_audit_log: Statement
