"""Named statements of sql/carried/: every name declared here exists there (checked on import)."""

from vetmed_pipeline.core.db import SqlFile, Statement


class Load(SqlFile, path="carried/load.sql"):
    delete_missing_push_subscriptions: Statement
    defer_endpoint_uniqueness: Statement
    upsert_push_subscriptions: Statement
    delete_missing_suggestions: Statement
    upsert_suggestions: Statement
    delete_missing_regimens: Statement
    upsert_regimens: Statement
    delete_missing_inventory_items: Statement
    upsert_inventory_items: Statement
    delete_missing_cosign_requests: Statement
    defer_cosign_uniqueness: Statement
    upsert_cosign_requests: Statement


class Checks(SqlFile, path="carried/checks.sql"):
    push_subscription_users: Statement
    suggestion_relationships: Statement
    regimen_relationships: Statement
    inventory_relationships: Statement
    cosign_relationships: Statement
