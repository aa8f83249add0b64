"""Carried-over tables' checks: every legacy row and relationship present (sql/carried/checks.sql)."""

from vetmed_pipeline.core.checks import counts_check, reconciliation_check
from vetmed_pipeline.defs.carried.assets import (
    COSIGN_REQUESTS,
    INVENTORY,
    PUSH_SUBSCRIPTIONS,
    REGIMENS,
    SUGGESTIONS,
)
from vetmed_pipeline.defs.carried.queries import Checks

asset_checks = [
    reconciliation_check(PUSH_SUBSCRIPTIONS, "vetmed_push_subscriptions", "vetmed_push_subscriptions"),
    reconciliation_check(SUGGESTIONS, "vetmed_suggestions", "vetmed_suggestions"),
    reconciliation_check(REGIMENS, "vetmed_regimens", "vetmed_regimens"),
    reconciliation_check(INVENTORY, "vetmed_inventory_items", "vetmed_inventory_items"),
    reconciliation_check(COSIGN_REQUESTS, "vetmed_cosign_requests", "vetmed_cosign_requests"),
    counts_check(
        PUSH_SUBSCRIPTIONS,
        "push_subscription_users_present",
        Checks.push_subscription_users,
        "Every legacy subscription is present with the same user and endpoint, and its user exists.",
    ),
    counts_check(
        SUGGESTIONS,
        "suggestion_relationships_present",
        Checks.suggestion_relationships,
        "Every legacy suggestion keeps its household and its applied/reverted/dismissed-by users, "
        "and those users exist under the role stored with them.",
    ),
    counts_check(
        REGIMENS,
        "regimen_relationships_present",
        Checks.regimen_relationships,
        "Every legacy regimen is present with the same animal and medication.",
    ),
    counts_check(
        INVENTORY,
        "inventory_relationships_present",
        Checks.inventory_relationships,
        "Every legacy inventory item keeps its household, medication and assigned animal.",
    ),
    counts_check(
        COSIGN_REQUESTS,
        "cosign_relationships_present",
        Checks.cosign_relationships,
        "Every legacy cosign request keeps its administration (by id and recorded_at), requester, cosigner "
        "and household (no orphans).",
    ),
]
