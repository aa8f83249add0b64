"""nightly_migrate: off until switched on in the UI (or with `dagster schedule start`)."""

import dagster as dg

from vetmed_pipeline.core.runs import SCOPE_ALL, SCOPE_TAG
from vetmed_pipeline.defs.migrate.jobs import all_months_tags, migrate


@dg.schedule(
    name="nightly_migrate",
    job=migrate,
    cron_schedule="0 3 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Re-run the migration every night: a fresh snapshot, reconciled with the target, re-checked.",
)
def nightly_migrate(_context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Every month as of tonight (the code server may have been started months ago, its job tags with
    it), and the rows outside the window."""
    return dg.RunRequest(tags={**all_months_tags(), SCOPE_TAG: SCOPE_ALL})
