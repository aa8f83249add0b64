"""The three time series: their partitioned tables (core/partitions.py) and the statements that rewrite a
window of months of each (sql/timeseries/load.sql)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import dagster as dg
import psycopg

from vetmed_pipeline.core.db import Statement
from vetmed_pipeline.core.keys import target_key
from vetmed_pipeline.core.partitions import (
    MONTHS_AHEAD,
    START_OVERRIDE,
    Dependent,
    MonthWindow,
    TimeSeries,
    month_of,
    month_window,
)
from vetmed_pipeline.defs.timeseries.queries import Checks, Load


@dataclass(frozen=True)
class Series:
    table: TimeSeries
    #: the legacy tables its rows come from
    staging: tuple[str, ...]
    #: deletes the window's rows that left the source (also the departures step's, for some months)
    delete_departed: Statement
    #: deletes the rows that left the source or whose parent is about to (the departures step's, for all)
    depart: Statement
    #: moves rows whose time changed (an UPDATE: referencing rows follow)
    move: Statement
    #: the window's source rows, in the table's column order
    rows: Statement
    #: (key, time) of every legacy row and of every target row, compared month by month
    source_keys: Statement
    target_keys: Statement
    #: the seed's "when to partition" threshold (schema-refactoring-guide.md, Future Partitioning Strategy)
    advisor_threshold: int
    #: run before the others (builds what they read)
    prepare: Statement | None = None

    @property
    def asset_key(self) -> dg.AssetKey:
        return target_key(self.table.table)


ADMINISTRATIONS = Series(
    TimeSeries(
        "vetmed_administrations",
        "recorded_at",
        ("id", "recorded_at"),
        unique_per_partition=("idempotency_key",),
        dependents=(Dependent("vetmed_cosign_requests", "administration_id", "administration_recorded_at"),),
    ),
    ("vetmed_administrations",),
    Load.delete_departed_administrations,
    Load.depart_administrations,
    Load.move_administrations,
    Load.rows_administrations,
    Checks.source_keys_administrations,
    Checks.target_keys_administrations,
    advisor_threshold=10_000_000,
)
NOTIFICATIONS = Series(
    TimeSeries("vetmed_notifications", "created_at", ("legacy_table", "id", "created_at")),
    ("vetmed_notifications", "vetmed_notification_queue"),
    Load.delete_departed_notifications,
    Load.depart_notifications,
    Load.move_notifications,
    Load.rows_notifications,
    Checks.source_keys_notifications,
    Checks.target_keys_notifications,
    advisor_threshold=5_000_000,
    prepare=Load.create_notification_source,
)
AUDIT_LOG = Series(
    TimeSeries("vetmed_audit_log", "timestamp", ("id", "timestamp")),
    ("vetmed_audit_log",),
    Load.delete_departed_audit_log,
    Load.depart_audit_log,
    Load.move_audit_log,
    Load.rows_audit_log,
    Checks.source_keys_audit_log,
    Checks.target_keys_audit_log,
    advisor_threshold=20_000_000,
)
SERIES = (ADMINISTRATIONS, NOTIFICATIONS, AUDIT_LOG)


def _snapshot(cur: psycopg.Cursor[Any]) -> tuple[Any, ...]:
    """The extract's snapshot row (locked): its time and, once computed, its months."""
    rows = Load.snapshot_months.rows(cur)
    if not rows:
        raise dg.Failure(
            description="no snapshot in vetmed_staging: materialize group:extract first (or run migrate)",
            allow_retries=False,
        )
    return rows[0]


def snapshot_at(cur: psycopg.Cursor[Any]) -> datetime:
    return _snapshot(cur)[0]


def snapshot_window(cur: psycopg.Cursor[Any]) -> MonthWindow:
    """The months the snapshot's time series get partitions for (core/partitions.py month_window over the
    rows of all four legacy time-series tables, so the three tables share their months), computed once per
    snapshot and kept with it."""
    taken_at, first, last = _snapshot(cur)
    if first is not None and last is not None:
        return MonthWindow(first, last)
    counts = {(year, month): int(n) for year, month, n in Load.month_histogram.rows(cur)}
    window = month_window(counts, month_of(taken_at), MONTHS_AHEAD, START_OVERRIDE)
    Load.record_snapshot_months.execute(cur, {"first": window.first, "last": window.last})
    return window
