"""nightly_migrate: off until switched on in the UI (or with `dagster schedule start`)."""

import dagster as dg

from vetmed_pipeline.defs.migrate.jobs import migrate

nightly_migrate = dg.ScheduleDefinition(
    name="nightly_migrate",
    job=migrate,
    cron_schedule="0 3 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Re-run the migration every night: a fresh snapshot, reconciled with the target, re-checked.",
)
