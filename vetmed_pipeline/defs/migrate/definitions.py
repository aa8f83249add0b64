import dagster as dg

from vetmed_pipeline.defs.migrate.assets import migration_state, target_reflects_one_snapshot
from vetmed_pipeline.defs.migrate.jobs import migrate
from vetmed_pipeline.defs.migrate.schedules import nightly_migrate
from vetmed_pipeline.defs.migrate.sensors import abandoned_runs

defs = dg.Definitions(
    assets=[migration_state],
    asset_checks=[target_reflects_one_snapshot],
    jobs=[migrate],
    schedules=[nightly_migrate],
    sensors=[abandoned_runs],
)
