"""abandoned_runs: every minute, runs of this machine left STARTED by a process that is gone (killed,
crashed) are marked failed, so what waits on their end (the report after a failed migrate) goes on."""

import dagster as dg

from vetmed_pipeline.core.runs import fail_abandoned_runs


@dg.sensor(
    name="abandoned_runs",
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Mark runs of this machine whose process is gone (killed, crashed) as failed.",
)
def abandoned_runs(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    failed = fail_abandoned_runs(context.instance)
    return dg.SkipReason(f"marked {len(failed)} abandoned run(s) failed" if failed else "no abandoned run")
