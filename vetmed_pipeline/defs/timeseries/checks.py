"""Time-series checks: per-month reconciliation, partitions contiguous and pruned, DEFAULT empty, keys
unique across partitions, relationships, notification statuses (sql/timeseries/checks.sql)."""

import dagster as dg
from psycopg import sql

from vetmed_pipeline.core.checks import ERROR, WARN, asset_check, counts_check, scanned_relations
from vetmed_pipeline.core.db import ident
from vetmed_pipeline.core.partitions import (
    add_months,
    default_rows,
    month_of,
    month_partitions,
    months,
    utc_start,
)
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.core.target import TARGET
from vetmed_pipeline.defs.timeseries.queries import Checks
from vetmed_pipeline.defs.timeseries.series import (
    ADMINISTRATIONS,
    AUDIT_LOG,
    NOTIFICATIONS,
    SERIES,
    Series,
    snapshot_at,
    snapshot_window,
)


def _month_reconciliation(series: Series) -> dg.AssetChecksDefinition:
    query = sql.SQL(
        "WITH s AS ({source}), t AS ({target}), "
        "j AS (SELECT coalesce(s.at, t.at) AS at, s.key IS NOT NULL AS in_s, t.key IS NOT NULL AS in_t "
        "      FROM s FULL JOIN t ON t.key = s.key AND t.at = s.at) "
        "SELECT to_char(date_trunc('month', at AT TIME ZONE 'UTC'), 'YYYY-MM'), "
        "count(*) FILTER (WHERE in_s), count(*) FILTER (WHERE in_t), "
        "count(*) FILTER (WHERE in_s AND NOT in_t), count(*) FILTER (WHERE in_t AND NOT in_s) "
        "FROM j GROUP BY 1 ORDER BY 1"
    ).format(source=series.source_keys.sql, target=series.target_keys.sql)

    @asset_check(
        series.asset_key,
        name="rows_reconcile_by_month",
        blocking=True,
        description=f"Per UTC month, every legacy row has its {series.table.table} row with the same key and time, "
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
            severity=ERROR,
            metadata={
                "legacy_rows": sum(int(row[1]) for row in per_month),
                "target_rows": sum(int(row[2]) for row in per_month),
                "months_compared": len(per_month),
                "months_differing": len(differing),
                "differing_months": dg.MetadataValue.md(table if differing else "none"),
            },
        )

    return _check


def _partition_checks(series: Series) -> list[dg.AssetChecksDefinition]:
    ts = series.table

    @asset_check(
        series.asset_key,
        name="month_partitions_contiguous",
        description=f"{ts.table} has one partition per UTC month, each exactly one month, with no gap over the "
        "months the snapshot's rows fall in (isolated outliers aside) and the months ahead.",
    )
    def contiguous(target: PostgresResource) -> dg.AssetCheckResult:
        with target.transaction() as cur:
            have = month_partitions(cur, ts)
            window = snapshot_window(cur)
        first, last = min([window.first, *have]), max([window.last, *have])
        missing = [month for month in months(first, last) if month not in have]
        misshapen = [
            name
            for month, (name, lower, upper) in have.items()
            if lower != utc_start(month) or upper != utc_start(add_months(month, 1))
        ]
        return dg.AssetCheckResult(
            passed=not missing and not misshapen,
            severity=ERROR,
            metadata={
                "partitions": len(have),
                "first_month": f"{first:%Y-%m}",
                "last_month": f"{last:%Y-%m}",
                "missing_months": ", ".join(f"{m:%Y-%m}" for m in missing[:20]) or "none",
                "misshapen_partitions": ", ".join(misshapen[:20]) or "none",
            },
        )

    @asset_check(
        series.asset_key,
        name="default_partition_empty",
        severity=WARN,
        description=f"{ts.default_partition} holds no rows; WARN with their count, share, years and ids otherwise "
        "(rows outside the window, such as isolated outliers, are kept there, never lost).",
    )
    def default_empty(target: PostgresResource) -> dg.AssetCheckResult:
        with target.transaction() as cur:
            outside = default_rows(cur, ts.table, ts.default_partition)
            cur.execute(
                sql.SQL(
                    "SELECT string_agg(DISTINCT coalesce(to_char({col} AT TIME ZONE 'UTC', 'YYYY'), {col}::text), ', ') "
                    "FROM {default}"
                ).format(default=ident(TARGET, ts.default_partition), col=sql.Identifier(ts.column))
            )
            row = cur.fetchone()
        return dg.AssetCheckResult(
            passed=outside.rows == 0,
            severity=WARN,
            metadata={
                "rows_in_default": outside.rows,
                "share_of_rows": outside.share,
                "years": (row[0] if row else None) or "none",
                "ids": outside.ids or "none",
            },
        )

    @asset_check(
        series.asset_key,
        name="month_filter_prunes_to_one_partition",
        description=f"EXPLAIN of a one-month query on {ts.table} (the snapshot's month) scans only that "
        "month's partition.",
    )
    def prunes(target: PostgresResource) -> dg.AssetCheckResult:
        with target.transaction() as cur:
            month = month_of(snapshot_at(cur))
            query = sql.SQL("SELECT count(*) FROM {} WHERE {col} >= {lower} AND {col} < {upper}").format(
                ident(TARGET, ts.table),
                col=sql.Identifier(ts.column),
                lower=sql.Literal(utc_start(month)),
                upper=sql.Literal(utc_start(add_months(month, 1))),
            )
            scanned = scanned_relations(cur, query)
        expected = ts.partition(month)
        return dg.AssetCheckResult(
            passed=scanned == [expected],
            severity=ERROR,
            metadata={"month": f"{month:%Y-%m}", "expected": expected, "scanned": ", ".join(scanned)},
        )

    return [contiguous, default_empty, prunes]


def _status_counts() -> dg.AssetChecksDefinition:
    @asset_check(
        NOTIFICATIONS.asset_key,
        name="status_counts_match_snapshot",
        description="Per legacy source and status, the stored statuses equal the statuses recomputed from the "
        "snapshot's timestamps and flags (the documented rule, as of the snapshot time).",
    )
    def _check(target: PostgresResource) -> dg.AssetCheckResult:
        with target.transaction() as cur:
            rows = Checks.notification_status_counts.rows(cur)
        table = "| legacy table | status | recomputed | stored |\n|---|---|---:|---:|\n" + "\n".join(
            f"| {source} | {status} | {expected} | {stored} |" for source, status, expected, stored in rows
        )
        differing = sum(1 for row in rows if row[2] != row[3])
        return dg.AssetCheckResult(
            passed=differing == 0,
            severity=ERROR,
            metadata={"statuses_differing": differing, "counts": dg.MetadataValue.md(table)},
        )

    return _check


asset_checks = [
    *(_month_reconciliation(series) for series in SERIES),
    *(check for series in SERIES for check in _partition_checks(series)),
    _status_counts(),
    counts_check(
        ADMINISTRATIONS.asset_key,
        "idempotency_keys_unique_across_partitions",
        Checks.administration_keys_unique,
        "No idempotency_key (a legacy global unique, unique per partition here) and no id appears in two "
        "partitions.",
    ),
    counts_check(
        NOTIFICATIONS.asset_key,
        "ids_unique_across_partitions",
        Checks.notification_keys_unique,
        "No (legacy table, id) appears in two partitions.",
    ),
    counts_check(
        AUDIT_LOG.asset_key,
        "ids_unique_across_partitions",
        Checks.audit_keys_unique,
        "No id appears in two partitions.",
    ),
    counts_check(
        ADMINISTRATIONS.asset_key,
        "administration_relationships_present",
        Checks.administration_relationships,
        "Every legacy administration keeps its regimen, animal, household, caregiver, co-signer and inventory "
        "item, and its users exist under the role stored with them (no orphans).",
    ),
    counts_check(
        NOTIFICATIONS.asset_key,
        "notification_relationships_present",
        Checks.notification_relationships,
        "Every legacy notification (both tables) keeps its user and household (no orphans).",
    ),
    counts_check(
        AUDIT_LOG.asset_key,
        "audit_relationships_present",
        Checks.audit_relationships,
        "Every legacy audit row keeps its user and household (no orphans).",
    ),
]
