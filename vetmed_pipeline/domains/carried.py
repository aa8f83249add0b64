"""Tables carried over with their legacy ids, their user references remapped to the composite user keys:
push subscriptions, suggestions, regimens and inventory items (cosign requests come with the
partitioned administrations they reference)."""

import dagster as dg

from vetmed_pipeline.checks import counts_check, reconciliation_check
from vetmed_pipeline.db import Queries
from vetmed_pipeline.domains.animals import ANIMALS
from vetmed_pipeline.domains.extract import staging_key
from vetmed_pipeline.domains.medications import MEDICATIONS
from vetmed_pipeline.domains.users import HOUSEHOLDS, USERS
from vetmed_pipeline.resources import PostgresResource
from vetmed_pipeline.target import TARGET, count, ensure_target_schema, require_staging

GROUP = "carried"
LOAD = Queries("transform/carried/load.sql")
CHECKS = Queries("transform/carried/checks.sql")

PUSH_SUBSCRIPTIONS = dg.AssetKey([TARGET, "vetmed_push_subscriptions"])
SUGGESTIONS = dg.AssetKey([TARGET, "vetmed_suggestions"])
REGIMENS = dg.AssetKey([TARGET, "vetmed_regimens"])
INVENTORY = dg.AssetKey([TARGET, "vetmed_inventory_items"])


def carry(
    context: dg.AssetExecutionContext,
    target: PostgresResource,
    table: str,
    *,
    before_upsert: str | None = None,
    queries: Queries = LOAD,
    staged: tuple[str, ...] = (),
) -> dg.MaterializeResult:
    """Delete what left the source, upsert the rest (statements delete_missing_<t> / upsert_<t> of
    ``queries``, and ``before_upsert`` in between when given); ``staged``: other staging tables it reads."""
    short = table.removeprefix("vetmed_")
    with target.transaction() as cur:
        require_staging(cur, [table, *staged])
        ensure_target_schema(cur)
        deleted = queries.execute(cur, f"delete_missing_{short}")
        if before_upsert:
            queries.execute(cur, before_upsert)
        written = queries.execute(cur, f"upsert_{short}")
        rows = count(cur, TARGET, table)
    context.log.info(f"{table}: {rows} rows ({written} written, {deleted} deleted)")
    return dg.MaterializeResult(metadata={"dagster/row_count": rows, "written": written, "deleted": deleted})


@dg.asset(key=PUSH_SUBSCRIPTIONS, group_name=GROUP, deps=[staging_key("vetmed_push_subscriptions"), USERS])
def vetmed_push_subscriptions(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> dg.MaterializeResult:
    """Push subscriptions, keyed to (user_id, user_role); deleted with their user, as in the legacy schema."""
    return carry(context, target, "vetmed_push_subscriptions", before_upsert="defer_endpoint_uniqueness")


@dg.asset(key=SUGGESTIONS, group_name=GROUP, deps=[staging_key("vetmed_suggestions"), USERS, HOUSEHOLDS])
def vetmed_suggestions(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """Suggestions; applied/reverted/dismissed-by users as composite keys (ON DELETE SET NULL, as legacy)."""
    return carry(context, target, "vetmed_suggestions")


@dg.asset(key=REGIMENS, group_name=GROUP, deps=[staging_key("vetmed_regimens"), ANIMALS, MEDICATIONS])
def vetmed_regimens(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """Medication regimens per animal, as they were (times_local kept as a time[] array)."""
    return carry(context, target, "vetmed_regimens")


@dg.asset(
    key=INVENTORY,
    group_name=GROUP,
    deps=[staging_key("vetmed_inventory_items"), HOUSEHOLDS, ANIMALS, MEDICATIONS],
)
def vetmed_inventory_items(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> dg.MaterializeResult:
    """Household medication inventory, as it was."""
    return carry(context, target, "vetmed_inventory_items")


assets = [vetmed_push_subscriptions, vetmed_suggestions, vetmed_regimens, vetmed_inventory_items]
asset_checks = [
    reconciliation_check(PUSH_SUBSCRIPTIONS, "vetmed_push_subscriptions", "vetmed_push_subscriptions"),
    reconciliation_check(SUGGESTIONS, "vetmed_suggestions", "vetmed_suggestions"),
    reconciliation_check(REGIMENS, "vetmed_regimens", "vetmed_regimens"),
    reconciliation_check(INVENTORY, "vetmed_inventory_items", "vetmed_inventory_items"),
    counts_check(
        PUSH_SUBSCRIPTIONS,
        "push_subscription_users_present",
        CHECKS,
        "push_subscription_users",
        "Every legacy subscription is present with the same user and endpoint, and its user exists.",
    ),
    counts_check(
        SUGGESTIONS,
        "suggestion_relationships_present",
        CHECKS,
        "suggestion_relationships",
        "Every legacy suggestion keeps its household and its applied/reverted/dismissed-by users, "
        "and those users exist under the role stored with them.",
    ),
    counts_check(
        REGIMENS,
        "regimen_relationships_present",
        CHECKS,
        "regimen_relationships",
        "Every legacy regimen is present with the same animal and medication.",
    ),
    counts_check(
        INVENTORY,
        "inventory_relationships_present",
        CHECKS,
        "inventory_relationships",
        "Every legacy inventory item keeps its household, medication and assigned animal.",
    ),
]
