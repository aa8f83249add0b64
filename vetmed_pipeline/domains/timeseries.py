"""Time series: administrations, notifications (both legacy notification tables in one) and the audit log,
in monthly RANGE partitions that line up with a Dagster MonthlyPartitionsDefinition; cosign requests,
which reference administrations by their whole key.

A run of one Dagster partition (or a range) rewrites exactly those months: the window's rows that left
the source are deleted, rows whose time changed are moved by UPDATE (rows referencing them follow), the
window's source rows are upserted. The ``migrate`` job runs every partition in one run and is tagged
``vetmed/scope=all``: then the window is unbounded, so rows outside the partitioned months (DEFAULT)
are loaded too. Every run first creates the months the window needs (see partitions.py).
"""

import warnings
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import dagster as dg
import psycopg
from psycopg import sql

from vetmed_pipeline.checks import counts_check, reconciliation_check, scanned_relations
from vetmed_pipeline.db import Queries, ident
from vetmed_pipeline.domains.animals import ANIMALS
from vetmed_pipeline.domains.carried import GROUP as CARRIED_GROUP
from vetmed_pipeline.domains.carried import INVENTORY, REGIMENS, carry
from vetmed_pipeline.domains.extract import staging_key
from vetmed_pipeline.domains.users import HOUSEHOLDS, USERS
from vetmed_pipeline.partitions import (
    ADMINISTRATIONS,
    AUDIT_LOG,
    MONTHLY,
    NOTIFICATIONS,
    START_MONTH,
    TIME_SERIES,
    CreatedMonth,
    TimeSeries,
    add_months,
    ensure_months,
    month_of,
    month_partitions,
    months,
    parse_month,
    utc_start,
    window_end,
    write_window,
)
from vetmed_pipeline.resources import PostgresResource
from vetmed_pipeline.target import STAGING, TARGET, count, ensure_target_schema, require_staging

# backfill_policy is "beta" in Dagster 1.13; it is what makes one run cover a range of months.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)

GROUP = "timeseries"
LOAD = Queries("transform/timeseries/load.sql")
CHECKS = Queries("transform/timeseries/checks.sql")

#: Run tag of the migrate job: the run owns every month and the rows outside them (DEFAULT).
SCOPE_TAG = "vetmed/scope"
SCOPE_ALL = "all"

ADMINISTRATIONS_KEY = dg.AssetKey([TARGET, ADMINISTRATIONS.table])
NOTIFICATIONS_KEY = dg.AssetKey([TARGET, NOTIFICATIONS.table])
AUDIT_LOG_KEY = dg.AssetKey([TARGET, AUDIT_LOG.table])
COSIGN_KEY = dg.AssetKey([TARGET, "vetmed_cosign_requests"])

#: The seed's "when to partition" thresholds (schema-refactoring-guide.md, Future Partitioning Strategy).
ADVISOR_THRESHOLDS = {
    ADMINISTRATIONS.table: 10_000_000,
    NOTIFICATIONS.table: 5_000_000,
    AUDIT_LOG.table: 20_000_000,
}

#: (key, time) of every legacy row and of every target row, per time series: what reconciles by month.
_SOURCE_ROWS = {
    ADMINISTRATIONS.table: "SELECT id::text AS key, recorded_at AS at FROM vetmed_staging.vetmed_administrations",
    AUDIT_LOG.table: 'SELECT id::text AS key, "timestamp" AS at FROM vetmed_staging.vetmed_audit_log',
    NOTIFICATIONS.table: (
        "SELECT 'vetmed_notifications:' || id AS key, created_at AS at FROM vetmed_staging.vetmed_notifications "
        "UNION ALL SELECT 'vetmed_notification_queue:' || id, created_at FROM vetmed_staging.vetmed_notification_queue"
    ),
}
_TARGET_ROWS = {
    ADMINISTRATIONS.table: "SELECT id::text AS key, recorded_at AS at FROM vetmed.vetmed_administrations",
    AUDIT_LOG.table: 'SELECT id::text AS key, "timestamp" AS at FROM vetmed.vetmed_audit_log',
    NOTIFICATIONS.table: "SELECT legacy_table || ':' || id AS key, created_at AS at FROM vetmed.vetmed_notifications",
}


def _window(context: dg.AssetExecutionContext) -> tuple[datetime | None, datetime | None, str]:
    """The time window this run rewrites: [lower, upper), None for unbounded."""
    if context.run.tags.get(SCOPE_TAG) == SCOPE_ALL:
        return None, None, "all months and DEFAULT"
    if not (context.has_partition_key or context.has_partition_key_range):
        raise dg.Failure(
            description=(
                f"{context.asset_key.to_user_string()} is partitioned by month: materialize one month "
                "(--partition 2025-03-01), a range (--partition-range 2025-01-01...2025-06-01), or run the "
                "migrate job, which rewrites every month."
            ),
            allow_retries=False,
        )
    window = context.partition_time_window
    keys = context.partition_key_range
    label = keys.start if keys.start == keys.end else f"{keys.start}...{keys.end}"
    return window.start, window.end, label


def _rows_in(
    cur: psycopg.Cursor[Any], series: TimeSeries, lower: datetime | None, upper: datetime | None
) -> int:
    cur.execute(
        sql.SQL(
            "SELECT count(*) FROM {} WHERE {col} >= coalesce(%(lower)s::timestamptz, '-infinity') "
            "AND {col} < coalesce(%(upper)s::timestamptz, 'infinity')"
        ).format(ident(TARGET, series.table), col=sql.Identifier(series.column)),
        {"lower": lower, "upper": upper},
    )
    row = cur.fetchone()
    return int(row[0]) if row else 0


def _advice(table: str, rows: int) -> str:
    threshold = ADVISOR_THRESHOLDS[table]
    share = 100 * rows / threshold
    verdict = (
        "above the threshold: partitioning pays off"
        if rows > threshold
        else "below the threshold: partitions are in place, not yet needed"
    )
    return f"{rows:,} of {threshold:,} rows ({share:.2f}%), {verdict}"


def _log_created(
    context: dg.OpExecutionContext | dg.AssetExecutionContext, created: list[CreatedMonth]
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


def _rewrite(
    context: dg.AssetExecutionContext,
    target: PostgresResource,
    series: TimeSeries,
    staging_tables: list[str],
    prepare: str | None = None,
) -> dg.MaterializeResult:
    lower, upper, label = _window(context)
    short = series.table.removeprefix("vetmed_")
    params = {"lower": lower, "upper": upper}
    with target.transaction() as cur:
        require_staging(cur, staging_tables)
        ensure_target_schema(cur)
        created = ensure_months(cur, series)
        _log_created(context, created)
        # Per-partition uniques (idempotency_key) are checked at commit: a key may move between rows.
        cur.execute("SET CONSTRAINTS ALL DEFERRED")
        if prepare:
            LOAD.execute(cur, prepare)
        deleted = LOAD.execute(cur, f"delete_departed_{short}", params)
        moved = LOAD.execute(cur, f"move_{short}", params)
        result = write_window(cur, series, LOAD.sql(f"rows_{short}"), lower, upper)
        written = result.upserted + result.bulk_rows
        if result.bulk_months:
            context.log.info(
                f"{series.table}: {len(result.bulk_months)} empty months loaded in bulk ({result.bulk_rows} rows)"
            )
        in_window = _rows_in(cur, series, lower, upper)
        total = count(cur, TARGET, series.table)
        in_default = count(cur, TARGET, series.default_partition)
    context.log.info(
        f"{series.table} [{label}]: {in_window} rows in the window ({written} written, {moved} moved, "
        f"{deleted} deleted); {total} in the table, {in_default} in DEFAULT"
    )
    return dg.MaterializeResult(
        metadata={
            "window": label,
            "dagster/row_count": in_window,
            "written": written,
            "moved": moved,
            "deleted": deleted,
            "table_rows": total,
            "default_partition_rows": in_default,
            "partitions_created": len(created),
            "months_loaded_in_bulk": len(result.bulk_months),
            "rows_moved_out_of_default": sum(month.moved_rows for month in created),
            "partition_advisor": _advice(series.table, total),
        }
    )


# One run for any range of months (and for migrate's all of them), set-based in PostgreSQL.
SINGLE_RUN = dg.BackfillPolicy.single_run()


@dg.asset(
    key=ADMINISTRATIONS_KEY,
    deps=[staging_key(ADMINISTRATIONS.table), REGIMENS, INVENTORY, ANIMALS, USERS, HOUSEHOLDS],
    group_name=GROUP,
    partitions_def=MONTHLY,
    backfill_policy=SINGLE_RUN,
)
def vetmed_administrations(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> dg.MaterializeResult:
    """Medication administrations, one partition per UTC month of recorded_at (DEFAULT outside the window)."""
    return _rewrite(context, target, ADMINISTRATIONS, [ADMINISTRATIONS.table])


@dg.asset(
    key=NOTIFICATIONS_KEY,
    deps=[staging_key("vetmed_notifications"), staging_key("vetmed_notification_queue"), USERS, HOUSEHOLDS],
    group_name=GROUP,
    partitions_def=MONTHLY,
    backfill_policy=SINGLE_RUN,
)
def vetmed_notifications(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """In-app notifications and the notification queue in one table, each row keeping its legacy table and
    id, with a status derived from its timestamps and flags as of the snapshot; partitioned by created_at."""
    return _rewrite(
        context,
        target,
        NOTIFICATIONS,
        ["vetmed_notifications", "vetmed_notification_queue"],
        prepare="create_notification_source",
    )


@dg.asset(
    key=AUDIT_LOG_KEY,
    deps=[staging_key(AUDIT_LOG.table), USERS, HOUSEHOLDS],
    group_name=GROUP,
    partitions_def=MONTHLY,
    backfill_policy=SINGLE_RUN,
)
def vetmed_audit_log(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    """The audit log, one partition per UTC month of "timestamp"; JSON old/new values kept as they were."""
    return _rewrite(context, target, AUDIT_LOG, [AUDIT_LOG.table])


@dg.asset(
    key=COSIGN_KEY,
    group_name=CARRIED_GROUP,
    deps=[staging_key("vetmed_cosign_requests"), ADMINISTRATIONS_KEY, USERS, HOUSEHOLDS],
)
def vetmed_cosign_requests(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> dg.MaterializeResult:
    """Cosign requests, referencing their administration by (id, recorded_at)."""
    return carry(
        context,
        target,
        "vetmed_cosign_requests",
        before_upsert="defer_cosign_uniqueness",
        queries=LOAD,
        staged=(ADMINISTRATIONS.table,),
    )


assets = [vetmed_administrations, vetmed_notifications, vetmed_audit_log, vetmed_cosign_requests]


# --- checks -----------------------------------------------------------------------------------------------


def _month_reconciliation(asset_key: dg.AssetKey, series: TimeSeries) -> dg.AssetChecksDefinition:
    query = sql.SQL(
        "WITH s AS ({source}), t AS ({target}), "
        "j AS (SELECT coalesce(s.at, t.at) AS at, s.key IS NOT NULL AS in_s, t.key IS NOT NULL AS in_t "
        "      FROM s FULL JOIN t ON t.key = s.key AND t.at = s.at) "
        "SELECT to_char(date_trunc('month', at AT TIME ZONE 'UTC'), 'YYYY-MM'), "
        "count(*) FILTER (WHERE in_s), count(*) FILTER (WHERE in_t), "
        "count(*) FILTER (WHERE in_s AND NOT in_t), count(*) FILTER (WHERE in_t AND NOT in_s) "
        "FROM j GROUP BY 1 ORDER BY 1"
    ).format(source=sql.SQL(_SOURCE_ROWS[series.table]), target=sql.SQL(_TARGET_ROWS[series.table]))

    @dg.asset_check(
        asset=asset_key,
        name="rows_reconcile_by_month",
        blocking=True,
        description=f"Per UTC month, every legacy row has its {series.table} row with the same key and time, "
        "and the target has no row the snapshot lacks.",
    )
    def _check(target: PostgresResource) -> dg.AssetCheckResult:
        with target.transaction() as cur:
            cur.execute(query)
            per_month = cur.fetchall()
        differing = [row for row in per_month if row[3] or row[4]]
        table = "| month | legacy | target | missing | extra |\n|---|---:|---:|---:|---:|\n" + "\n".join(
            f"| {m} | {s} | {t} | {miss} | {extra} |" for m, s, t, miss, extra in differing[:20]
        )
        return dg.AssetCheckResult(
            passed=not differing,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "legacy_rows": sum(int(row[1]) for row in per_month),
                "target_rows": sum(int(row[2]) for row in per_month),
                "months_compared": len(per_month),
                "months_differing": len(differing),
                "differing_months": dg.MetadataValue.md(table if differing else "none"),
            },
        )

    return _check


def _snapshot_at(cur: psycopg.Cursor[Any]) -> datetime:
    cur.execute(sql.SQL("SELECT snapshot_at FROM {}").format(ident(STAGING, "snapshot")))
    row = cur.fetchone()
    if row is None:
        raise dg.Failure(
            description="no snapshot in vetmed_staging: run the extract first", allow_retries=False
        )
    return row[0]


def _partition_checks(asset_key: dg.AssetKey, series: TimeSeries) -> list[dg.AssetChecksDefinition]:
    @dg.asset_check(
        asset=asset_key,
        name="month_partitions_contiguous",
        description=f"{series.table} has one partition per UTC month, each exactly one month, with no gap from "
        f"{START_MONTH:%Y-%m} through the snapshot month plus the months ahead.",
    )
    def contiguous(target: PostgresResource) -> dg.AssetCheckResult:
        with target.transaction() as cur:
            have = month_partitions(cur, series)
            last = max([window_end(_snapshot_at(cur)), *have])
        missing = [month for month in months(START_MONTH, last) if month not in have]
        misshapen = [
            name
            for month, (name, lower, upper) in have.items()
            if lower != utc_start(month) or upper != utc_start(add_months(month, 1))
        ]
        return dg.AssetCheckResult(
            passed=not missing and not misshapen,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "partitions": len(have),
                "first_month": f"{START_MONTH:%Y-%m}",
                "last_month": f"{last:%Y-%m}",
                "missing_months": ", ".join(f"{m:%Y-%m}" for m in missing[:20]) or "none",
                "misshapen_partitions": ", ".join(misshapen[:20]) or "none",
            },
        )

    @dg.asset_check(
        asset=asset_key,
        name="default_partition_empty",
        description=f"{series.default_partition} holds no rows; WARN with their count and years otherwise "
        "(rows outside the window are kept there, never lost).",
    )
    def default_empty(target: PostgresResource) -> dg.AssetCheckResult:
        with target.transaction() as cur:
            cur.execute(
                sql.SQL(
                    "SELECT count(*), string_agg(DISTINCT to_char({col} AT TIME ZONE 'UTC', 'YYYY'), ', ') FROM {}"
                ).format(ident(TARGET, series.default_partition), col=sql.Identifier(series.column))
            )
            row = cur.fetchone()
        rows, years = (int(row[0]), row[1]) if row else (0, None)
        return dg.AssetCheckResult(
            passed=rows == 0,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"rows_in_default": rows, "years": years or "none"},
        )

    @dg.asset_check(
        asset=asset_key,
        name="month_filter_prunes_to_one_partition",
        description=f"EXPLAIN of a one-month query on {series.table} (the snapshot's month) scans only that "
        "month's partition.",
    )
    def prunes(target: PostgresResource) -> dg.AssetCheckResult:
        with target.transaction() as cur:
            month = month_of(_snapshot_at(cur))
            query = sql.SQL("SELECT count(*) FROM {} WHERE {col} >= {lower} AND {col} < {upper}").format(
                ident(TARGET, series.table),
                col=sql.Identifier(series.column),
                lower=sql.Literal(utc_start(month)),
                upper=sql.Literal(utc_start(add_months(month, 1))),
            )
            scanned = scanned_relations(cur, query)
        expected = series.partition(month)
        return dg.AssetCheckResult(
            passed=scanned == [expected],
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={"month": f"{month:%Y-%m}", "expected": expected, "scanned": ", ".join(scanned)},
        )

    return [contiguous, default_empty, prunes]


def _status_counts() -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=NOTIFICATIONS_KEY,
        name="status_counts_match_snapshot",
        description="Per legacy source and status, the stored statuses equal the statuses recomputed from the "
        "snapshot's timestamps and flags (the documented rule, as of the snapshot time).",
    )
    def _check(target: PostgresResource) -> dg.AssetCheckResult:
        with target.transaction() as cur:
            rows = CHECKS.rows(cur, "notification_status_counts")
        table = "| legacy table | status | recomputed | stored |\n|---|---|---:|---:|\n" + "\n".join(
            f"| {source} | {status} | {expected} | {stored} |" for source, status, expected, stored in rows
        )
        differing = sum(1 for row in rows if row[2] != row[3])
        return dg.AssetCheckResult(
            passed=differing == 0,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={"statuses_differing": differing, "counts": dg.MetadataValue.md(table)},
        )

    return _check


asset_checks = [
    _month_reconciliation(ADMINISTRATIONS_KEY, ADMINISTRATIONS),
    _month_reconciliation(NOTIFICATIONS_KEY, NOTIFICATIONS),
    _month_reconciliation(AUDIT_LOG_KEY, AUDIT_LOG),
    *_partition_checks(ADMINISTRATIONS_KEY, ADMINISTRATIONS),
    *_partition_checks(NOTIFICATIONS_KEY, NOTIFICATIONS),
    *_partition_checks(AUDIT_LOG_KEY, AUDIT_LOG),
    _status_counts(),
    reconciliation_check(COSIGN_KEY, "vetmed_cosign_requests", "vetmed_cosign_requests"),
    counts_check(
        ADMINISTRATIONS_KEY,
        "idempotency_keys_unique_across_partitions",
        CHECKS,
        "administration_keys_unique",
        "No idempotency_key (a legacy global unique, unique per partition here) and no id appears in two "
        "partitions.",
    ),
    counts_check(
        NOTIFICATIONS_KEY,
        "ids_unique_across_partitions",
        CHECKS,
        "notification_keys_unique",
        "No (legacy table, id) appears in two partitions.",
    ),
    counts_check(
        AUDIT_LOG_KEY,
        "ids_unique_across_partitions",
        CHECKS,
        "audit_keys_unique",
        "No id appears in two partitions.",
    ),
    counts_check(
        ADMINISTRATIONS_KEY,
        "administration_relationships_present",
        CHECKS,
        "administration_relationships",
        "Every legacy administration keeps its regimen, animal, household, caregiver, co-signer and inventory "
        "item, and its users exist under the role stored with them (no orphans).",
    ),
    counts_check(
        COSIGN_KEY,
        "cosign_relationships_present",
        CHECKS,
        "cosign_relationships",
        "Every legacy cosign request keeps its administration (by id and recorded_at), requester, cosigner "
        "and household (no orphans).",
    ),
    counts_check(
        NOTIFICATIONS_KEY,
        "notification_relationships_present",
        CHECKS,
        "notification_relationships",
        "Every legacy notification (both tables) keeps its user and household (no orphans).",
    ),
    counts_check(
        AUDIT_LOG_KEY,
        "audit_relationships_present",
        CHECKS,
        "audit_relationships",
        "Every legacy audit row keeps its user and household (no orphans).",
    ),
]


# --- maintenance ------------------------------------------------------------------------------------------


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
    last = parse_month(config.through, "through") if config.through else window_end()
    created = []
    with target.transaction() as cur:
        ensure_target_schema(cur)
        for series in TIME_SERIES:
            created.extend(ensure_months(cur, series, last))
    _log_created(context, created)
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
