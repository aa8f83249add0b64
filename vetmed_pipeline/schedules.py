"""Schedules. nightly_migrate is off until switched on in the UI (or with `dagster schedule start`);
monthly_partition_maintenance is on (it only creates the coming months)."""

from __future__ import annotations

import dagster as dg

from vetmed_pipeline.domains.timeseries import monthly_partition_maintenance
from vetmed_pipeline.jobs import migrate

nightly_migrate = dg.ScheduleDefinition(
    name="nightly_migrate",
    job=migrate,
    cron_schedule="0 3 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Re-run the migration every night: a fresh snapshot, reconciled with the target, re-checked.",
)

__all__ = ["monthly_partition_maintenance", "nightly_migrate"]
