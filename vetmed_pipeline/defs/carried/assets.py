"""Carried-over tables: each load deletes what left the source and upserts the rest
(statements: sql/carried/load.sql)."""

from collections.abc import Sequence

import dagster as dg

from vetmed_pipeline.core.db import Statement
from vetmed_pipeline.core.keys import staging_key, target_key
from vetmed_pipeline.core.loads import load_step, rows_of
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.defs.carried.queries import Load

GROUP = "carried"

PUSH_SUBSCRIPTIONS = target_key("vetmed_push_subscriptions")
SUGGESTIONS = target_key("vetmed_suggestions")
REGIMENS = target_key("vetmed_regimens")
INVENTORY = target_key("vetmed_inventory_items")
COSIGN_REQUESTS = target_key("vetmed_cosign_requests")
# Other domains' assets these rows reference, by their table.
USERS = target_key("vetmed_users")
HOUSEHOLDS = target_key("vetmed_households")
ANIMALS = target_key("vetmed_animals")
MEDICATIONS = target_key("vetmed_medications")
ADMINISTRATIONS = target_key("vetmed_administrations")


def carry(
    context: dg.AssetExecutionContext,
    target: PostgresResource,
    table: str,
    statements: Sequence[Statement],
    *,
    staged: Sequence[str] = (),
) -> dg.MaterializeResult:
    """Run a carried table's statements: the first deletes what left the source, the last upserts the rest
    (any in between prepare the upsert); ``staged``: other staging tables they read."""
    delete, *prepare, upsert = statements
    with load_step(context, target, [table, *staged]) as step:
        deleted = delete.execute(step.cur)
        for statement in prepare:
            statement.execute(step.cur)
        written = upsert.execute(step.cur)
        result = step.result(table, written=written, deleted=deleted)
    context.log.info(f"{table}: {rows_of(result)} rows ({written} written, {deleted} deleted)")
    return result


@dg.asset(key=PUSH_SUBSCRIPTIONS, group_name=GROUP, deps=[staging_key("vetmed_push_subscriptions"), USERS])
def vetmed_push_subscriptions(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> dg.MaterializeResult:
    """Push subscriptions, keyed to (user_id, user_role); deleted with their user, as in the legacy schema."""
    return carry(
        context,
        target,
        "vetmed_push_subscriptions",
        [
            Load.delete_missing_push_subscriptions,
            Load.defer_endpoint_uniqueness,
            Load.upsert_push_subscriptions,
        ],
    )


@dg.asset(key=SUGGESTIONS, group_name=GROUP, deps=[staging_key("vetmed_suggestions"), USERS, HOUSEHOLDS])
def vetmed_suggestions(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """Suggestions; applied/reverted/dismissed-by users as composite keys (ON DELETE SET NULL, as legacy)."""
    return carry(
        context, target, "vetmed_suggestions", [Load.delete_missing_suggestions, Load.upsert_suggestions]
    )


@dg.asset(key=REGIMENS, group_name=GROUP, deps=[staging_key("vetmed_regimens"), ANIMALS, MEDICATIONS])
def vetmed_regimens(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """Medication regimens per animal, as they were (times_local kept as a time[] array)."""
    return carry(context, target, "vetmed_regimens", [Load.delete_missing_regimens, Load.upsert_regimens])


@dg.asset(
    key=INVENTORY,
    group_name=GROUP,
    deps=[staging_key("vetmed_inventory_items"), HOUSEHOLDS, ANIMALS, MEDICATIONS],
)
def vetmed_inventory_items(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> dg.MaterializeResult:
    """Household medication inventory, as it was."""
    return carry(
        context,
        target,
        "vetmed_inventory_items",
        [Load.delete_missing_inventory_items, Load.upsert_inventory_items],
    )


@dg.asset(
    key=COSIGN_REQUESTS,
    group_name=GROUP,
    deps=[staging_key("vetmed_cosign_requests"), ADMINISTRATIONS, USERS, HOUSEHOLDS],
)
def vetmed_cosign_requests(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> dg.MaterializeResult:
    """Cosign requests, referencing their administration by (id, recorded_at)."""
    return carry(
        context,
        target,
        "vetmed_cosign_requests",
        [Load.delete_missing_cosign_requests, Load.defer_cosign_uniqueness, Load.upsert_cosign_requests],
        staged=["vetmed_administrations"],
    )


assets = [
    vetmed_push_subscriptions,
    vetmed_suggestions,
    vetmed_regimens,
    vetmed_inventory_items,
    vetmed_cosign_requests,
]
