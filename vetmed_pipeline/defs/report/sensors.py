"""Run-status sensors: after every migrate run, successful or failed, build its migration report. They
watch the code location's runs and pick the migrate job's by name (the job is defined in defs/migrate,
which depends on this domain, not the other way round)."""

import dagster as dg

from vetmed_pipeline.defs.report.assets import MIGRATE_JOB, REPORT_FOR_TAG
from vetmed_pipeline.defs.report.jobs import migration_report_job


def _report_sensor(name: str, status: dg.DagsterRunStatus, description: str) -> dg.SensorDefinition:
    @dg.run_status_sensor(
        name=name,
        run_status=status,
        request_job=migration_report_job,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=description,
    )
    def _sensor(context: dg.RunStatusSensorContext) -> dg.RunRequest | dg.SkipReason:
        if context.dagster_run.job_name != MIGRATE_JOB:
            return dg.SkipReason(f"run of {context.dagster_run.job_name}, not {MIGRATE_JOB}")
        run_id = context.dagster_run.run_id
        return dg.RunRequest(run_key=f"report-{run_id}", tags={REPORT_FOR_TAG: run_id})

    return _sensor


report_after_migrate = _report_sensor(
    "report_after_migrate",
    dg.DagsterRunStatus.SUCCESS,
    "After a successful migrate run: build its migration report.",
)
report_after_failed_migrate = _report_sensor(
    "report_after_failed_migrate",
    dg.DagsterRunStatus.FAILURE,
    "After a failed migrate run: build its migration report (failures included).",
)

sensors = [report_after_migrate, report_after_failed_migrate]
