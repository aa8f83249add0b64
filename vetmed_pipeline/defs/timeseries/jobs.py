"""Partition maintenance: the job that creates the coming months of every time-series table (moving rows
of those months out of DEFAULT first), and the schedule that runs it on the 1st of every month."""

from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg

from vetmed_pipeline.core.partitions import (
    ensure_months,
    month_of,
    month_partitions,
    months_ahead_end,
    parse_month,
)
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.core.runs import target_tags
from vetmed_pipeline.core.target import ensure_target_schema
from vetmed_pipeline.defs.timeseries.assets import log_created
from vetmed_pipeline.defs.timeseries.series import SERIES


class MaintenanceConfig(dg.Config):
    #: Create months through this one (YYYY-MM); empty: the current month plus the configured months ahead.
    through: str = ""


@dg.op(
    out=dg.Out(dg.Nothing),
    description="Create the coming months of every time-series table, moving rows out of DEFAULT first.",
)
def create_coming_months(
    context: dg.OpExecutionContext, config: MaintenanceConfig, target: PostgresResource
) -> Iterator[dg.Output[None]]:
    last = parse_month(config.through, "through") if config.through else months_ahead_end()
    created = []
    with target.transaction() as cur:
        ensure_target_schema(cur)
        for series in SERIES:
            # from the table's first month (the current one on a table without months) through ``last``
            first = min(month_partitions(cur, series.table), default=month_of(datetime.now(UTC)))
            created.extend(ensure_months(cur, series.table, first, last))
    log_created(context, created)
    context.log.info(f"{len(created)} partitions created through {last:%Y-%m}")
    yield dg.Output(
        None,
        metadata={
            "through": f"{last:%Y-%m}",
            "partitions_created": len(created),
            "rows_moved_out_of_default": sum(month.moved_rows for month in created),
            "created": ", ".join(month.partition for month in created) or "none",
        },
    )


@dg.job(
    name="partition_maintenance",
    tags=target_tags(),
    description="Create the coming months of administrations, notifications and the audit log; rows of "
    "those months waiting in DEFAULT are moved into them in the same transaction.",
)
def partition_maintenance() -> None:
    create_coming_months()


monthly_partition_maintenance = dg.ScheduleDefinition(
    name="monthly_partition_maintenance",
    job=partition_maintenance,
    cron_schedule="0 1 1 * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="On the 1st of every month, 01:00 UTC: create the coming months.",
)
