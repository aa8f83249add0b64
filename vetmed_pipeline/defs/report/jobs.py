"""The migration_report job: the report asset alone, for the run named by the vetmed/report_for tag."""

import dagster as dg

from vetmed_pipeline.defs.report.assets import REPORT_KEY

migration_report_job = dg.define_asset_job(
    "migration_report",
    selection=[REPORT_KEY],
    description="Build the migration report of a migrate run (tag vetmed/report_for=<run id>; default: the latest).",
)
