"""Departures, and the window of months a time-series run rewrites.

The legacy schema lets a user, household, animal, regimen or inventory item go only after its
administrations, audit rows and queued notifications went (ON DELETE NO ACTION). The target keeps those
keys, so the loads that delete departed parents need the departed children gone first: this step deletes,
right after the extract, the time-series rows whose legacy id is no longer in the snapshot. It only
deletes rows the source no longer has, so nothing that still exists is touched (cosign requests of a
departed administration went with it in the source too: ON DELETE CASCADE there and here). A run of the
whole snapshot (migrate) also clears the rows still in the source whose parent is about to go (the legacy
application re-pointed them), for their loads to put them back re-pointed. It is partitioned like the time
series: a run of some months deletes only their departed rows (and no parent goes in such a run).
"""

from datetime import datetime

import dagster as dg

from vetmed_pipeline.core.keys import staging_key, target_key
from vetmed_pipeline.core.loads import load_step
from vetmed_pipeline.core.partitions import MONTHLY, SINGLE_RUN
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.core.runs import run_months
from vetmed_pipeline.defs.timeseries.queries import Load
from vetmed_pipeline.defs.timeseries.series import SERIES

GROUP = "timeseries"
#: Drawn with the extract in the lineage: it runs right after the snapshot, before any domain's load (the
#: users, households and medications wait for it), so the graph reads extract -> domains -> compat.
DEPARTURES_GROUP = "extract"
DEPARTURES = target_key("departures")
#: The legacy tables whose rows the time series reference (ON DELETE NO ACTION), directly or through them.
PARENTS = [
    "vetmed_users",
    "vetmed_households",
    "vetmed_animals",
    "vetmed_regimens",
    "vetmed_inventory_items",
    "vetmed_medication_catalog",
]


def window(context: dg.AssetExecutionContext) -> tuple[datetime | None, datetime | None, str]:
    """The time window this run rewrites: [lower, upper), None for unbounded."""
    if run_months(context.run.tags) is None:
        return None, None, "all months and DEFAULT"
    time_window = context.partition_time_window
    keys = context.partition_key_range
    label = keys.start if keys.start == keys.end else f"{keys.start}...{keys.end}"
    return time_window.start, time_window.end, label


@dg.asset(
    key=DEPARTURES,
    group_name=DEPARTURES_GROUP,
    deps=[staging_key(table) for table in PARENTS + [t for series in SERIES for t in series.staging]],
    partitions_def=MONTHLY,
    backfill_policy=SINGLE_RUN,
    description="Rows that left the source, deleted from the time-series tables before any load deletes "
    "the parents they block (legacy ON DELETE NO ACTION).",
)
def departures(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """Delete the time-series rows of the run's months that left the source."""
    lower, upper, _ = window(context)
    params = {"lower": lower, "upper": upper}
    deleted: dict[str, int] = {}
    with load_step(context, target, PARENTS + [t for series in SERIES for t in series.staging]) as step:
        if lower is None and upper is None:  # the whole snapshot: the parents' loads come next
            Load.create_doomed_parents.execute(step.cur)
            for series in SERIES:
                deleted[series.table.table] = series.depart.execute(step.cur)
        else:  # some months: no parent is deleted by this run
            for series in SERIES:
                deleted[series.table.table] = series.delete_departed.execute(step.cur, params)
    context.log.info("departed rows deleted: " + ", ".join(f"{t} {n}" for t, n in deleted.items()))
    return dg.MaterializeResult(metadata={f"deleted {table}": n for table, n in deleted.items()})
