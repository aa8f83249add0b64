"""Departures: rows that left the source, removed from the target's blocking children first.

The legacy schema lets a user, household, animal, regimen or inventory item go only after its
administrations, audit rows and queued notifications went (ON DELETE NO ACTION). The target keeps those
keys, so the loads that delete departed parents need the departed children gone first: this step deletes,
right after the extract, every time-series row whose legacy id is no longer in the snapshot. It only
deletes rows the source no longer has, so nothing that still exists is touched (cosign requests of a
departed administration went with it in the source too: ON DELETE CASCADE there and here).
"""

import dagster as dg

from vetmed_pipeline.db import Queries
from vetmed_pipeline.domains.extract import EXTRACT_GROUP, staging_key
from vetmed_pipeline.partitions import TIME_SERIES
from vetmed_pipeline.resources import PostgresResource
from vetmed_pipeline.target import TARGET, ensure_target_schema, require_staging

DEPARTURES = dg.AssetKey([TARGET, "departures"])
LOAD = Queries("transform/timeseries/load.sql")
STAGING_TABLES = [
    "vetmed_administrations",
    "vetmed_audit_log",
    "vetmed_notifications",
    "vetmed_notification_queue",
]


@dg.asset(
    key=DEPARTURES,
    group_name=EXTRACT_GROUP,
    deps=[staging_key(table) for table in STAGING_TABLES],
    description="Rows that left the source, deleted from the time-series tables before any load deletes "
    "the parents they block (legacy ON DELETE NO ACTION).",
)
def departures(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    deleted: dict[str, int] = {}
    with target.transaction() as cur:
        require_staging(cur, STAGING_TABLES)
        ensure_target_schema(cur)
        for series in TIME_SERIES:
            deleted[series.table] = LOAD.execute(cur, f"departed_{series.table.removeprefix('vetmed_')}")
    context.log.info("departed rows deleted: " + ", ".join(f"{t} {n}" for t, n in deleted.items()))
    return dg.MaterializeResult(metadata={f"deleted {table}": n for table, n in deleted.items()})
