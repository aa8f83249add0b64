import dagster as dg

from vetmed_pipeline.defs.timeseries.assets import assets
from vetmed_pipeline.defs.timeseries.checks import asset_checks
from vetmed_pipeline.defs.timeseries.departures import departures
from vetmed_pipeline.defs.timeseries.jobs import monthly_partition_maintenance, partition_maintenance

defs = dg.Definitions(
    assets=[departures, *assets],
    asset_checks=asset_checks,
    jobs=[partition_maintenance],
    schedules=[monthly_partition_maintenance],
)
