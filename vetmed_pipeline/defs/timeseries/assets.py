"""Time-series assets: administrations, notifications (both legacy notification tables in one) and the
audit log, in monthly RANGE partitions that line up with a Dagster MonthlyPartitionsDefinition.

A run of one Dagster partition (or a range) rewrites exactly those months: the window's rows that left
the source are deleted, rows whose time changed are moved by UPDATE (rows referencing them follow), the
window's source rows are upserted. A whole run (every month, no partition, or ``vetmed/scope=all``: see
core/runs.run_months) has an unbounded window, so rows outside the partitioned months (DEFAULT) are
loaded too; each month's materialization gets that month's own row count. Every run first creates the
months the window needs (see core/partitions.py).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import dagster as dg
import psycopg
from psycopg import sql

from vetmed_pipeline.core.db import ident
from vetmed_pipeline.core.keys import staging_key, target_key
from vetmed_pipeline.core.loads import load_step
from vetmed_pipeline.core.partitions import MONTHLY, SINGLE_RUN, CreatedMonth, ensure_months, write_window
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.core.target import TARGET, count
from vetmed_pipeline.defs.timeseries.departures import GROUP, window
from vetmed_pipeline.defs.timeseries.series import (
    ADMINISTRATIONS,
    AUDIT_LOG,
    NOTIFICATIONS,
    Series,
    snapshot_window,
)

# Other domains' assets these rows reference, by their table.
USERS = target_key("vetmed_users")
HOUSEHOLDS = target_key("vetmed_households")
ANIMALS = target_key("vetmed_animals")
REGIMENS = target_key("vetmed_regimens")
INVENTORY = target_key("vetmed_inventory_items")


def _rows_per_month(
    cur: psycopg.Cursor[Any], series: Series, lower: datetime | None, upper: datetime | None
) -> dict[str | None, int]:
    """Rows of the window per UTC month, keyed like the Dagster partitions ("2025-03-01"); infinite times
    (no month) under None. Their sum is the window's row count: one scan gives both."""
    cur.execute(
        sql.SQL(
            "SELECT CASE WHEN isfinite({col}) "
            "THEN to_char(date_trunc('month', {col} AT TIME ZONE 'UTC'), 'YYYY-MM-DD') END, count(*) "
            "FROM {} WHERE {col} >= coalesce(%(lower)s::timestamptz, '-infinity') "
            "AND (%(upper)s::timestamptz IS NULL OR {col} < %(upper)s::timestamptz) GROUP BY 1"
        ).format(ident(TARGET, series.table.table), col=sql.Identifier(series.table.column)),
        {"lower": lower, "upper": upper},
    )
    return {month: int(rows) for month, rows in cur.fetchall()}


def _month_metadata(
    context: dg.AssetExecutionContext,
    per_month: dict[str | None, int],
    created: Sequence[CreatedMonth],
) -> None:
    """Each month's own figures on that month's materialization (the UI's partition page): its rows and
    the rows this run moved into it out of DEFAULT. A run without partitions records none."""
    if not (context.has_partition_key or context.has_partition_key_range):
        return
    moved_in = {f"{month.month:%Y-%m-%d}": month.moved_rows for month in created}
    for key in context.partition_keys:
        rows = per_month.get(key, 0)
        context.add_asset_metadata(
            {"dagster/row_count": rows, "month_rows": rows, "month_rows_moved_in": moved_in.get(key, 0)},
            partition_key=key,
        )


def _advice(series: Series, rows: int) -> str:
    threshold = series.advisor_threshold
    share = 100 * rows / threshold
    verdict = (
        "above the threshold: partitioning pays off"
        if rows > threshold
        else "below the threshold: partitions are in place, not yet needed"
    )
    return f"{rows:,} of {threshold:,} rows ({share:.2f}%), {verdict}"


def log_created(
    context: dg.OpExecutionContext | dg.AssetExecutionContext, created: Sequence[CreatedMonth]
) -> None:
    """One line per table for the months created; one per month that took rows out of DEFAULT."""
    tables = sorted({month.table for month in created})
    for table in tables:
        months_created = [month for month in created if month.table == table]
        context.log.info(
            f"{table}: created {len(months_created)} month partitions "
            f"({months_created[0].month:%Y-%m} .. {months_created[-1].month:%Y-%m})"
        )
        for month in months_created:
            if month.moved_rows:
                context.log.info(
                    f"{month.partition}: {month.moved_rows} rows moved in from DEFAULT, "
                    f"{month.moved_dependents} referencing rows carried along"
                )


def rewrite(
    context: dg.AssetExecutionContext, target: PostgresResource, series: Series
) -> dg.MaterializeResult:
    """Rewrite the run's window of months of one time series."""
    lower, upper, label = window(context)
    table = series.table.table
    params = {"lower": lower, "upper": upper}
    with load_step(context, target, series.staging) as step:
        cur = step.cur
        months = snapshot_window(cur)
        created = ensure_months(cur, series.table, months.first, months.last)
        log_created(context, created)
        # Per-partition uniques (idempotency_key) are checked at commit: a key may move between rows.
        cur.execute("SET CONSTRAINTS ALL DEFERRED")
        if series.prepare:
            series.prepare.execute(cur)
        deleted = series.delete_departed.execute(cur, params)
        moved = series.move.execute(cur, params)
        result = write_window(cur, series.table, series.rows.sql, lower, upper)
        written = result.upserted + result.bulk_rows
        if result.bulk_months:
            context.log.info(
                f"{table}: {len(result.bulk_months)} empty months loaded in bulk ({result.bulk_rows} rows)"
            )
        per_month = _rows_per_month(cur, series, lower, upper)
        in_window = sum(per_month.values())
        total = count(cur, TARGET, table)
        in_default = count(cur, TARGET, series.table.default_partition)
        _month_metadata(context, per_month, created)
        materialized = step.result(
            table,
            row_count=in_window,
            window=label,
            written=written,
            moved=moved,
            deleted=deleted,
            table_rows=total,
            default_partition_rows=in_default,
            partitions_created=len(created),
            months_loaded_in_bulk=len(result.bulk_months),
            rows_moved_out_of_default=sum(month.moved_rows for month in created),
            partition_advisor=_advice(series, total),
        )
    context.log.info(
        f"{table} [{label}]: {in_window} rows in the window ({written} written, {moved} moved, "
        f"{deleted} deleted); {total} in the table, {in_default} in DEFAULT"
    )
    return materialized


@dg.asset(
    key=ADMINISTRATIONS.asset_key,
    deps=[staging_key("vetmed_administrations"), REGIMENS, INVENTORY, ANIMALS, USERS, HOUSEHOLDS],
    group_name=GROUP,
    partitions_def=MONTHLY,
    backfill_policy=SINGLE_RUN,
)
def vetmed_administrations(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> dg.MaterializeResult:
    """Medication administrations, one partition per UTC month of recorded_at (DEFAULT outside the window)."""
    return rewrite(context, target, ADMINISTRATIONS)


@dg.asset(
    key=NOTIFICATIONS.asset_key,
    deps=[
        staging_key("vetmed_notifications"),
        staging_key("vetmed_notification_queue"),
        USERS,
        HOUSEHOLDS,
    ],
    group_name=GROUP,
    partitions_def=MONTHLY,
    backfill_policy=SINGLE_RUN,
)
def vetmed_notifications(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """In-app notifications and the notification queue in one table, each row keeping its legacy table and
    id, with a status derived from its timestamps and flags as of the snapshot; partitioned by created_at."""
    return rewrite(context, target, NOTIFICATIONS)


@dg.asset(
    key=AUDIT_LOG.asset_key,
    deps=[staging_key("vetmed_audit_log"), USERS, HOUSEHOLDS],
    group_name=GROUP,
    partitions_def=MONTHLY,
    backfill_policy=SINGLE_RUN,
)
def vetmed_audit_log(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """The audit log, one partition per UTC month of "timestamp"; JSON old/new values kept as they were."""
    return rewrite(context, target, AUDIT_LOG)


assets = [vetmed_administrations, vetmed_notifications, vetmed_audit_log]
