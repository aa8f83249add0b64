import dagster as dg

from vetmed_pipeline.defs.report.assets import migration_report
from vetmed_pipeline.defs.report.jobs import migration_report_job
from vetmed_pipeline.defs.report.sensors import sensors

defs = dg.Definitions(assets=[migration_report], jobs=[migration_report_job], sensors=sensors)
