import dagster as dg

from vetmed_pipeline.defs.migrate.jobs import migrate
from vetmed_pipeline.defs.migrate.schedules import nightly_migrate

defs = dg.Definitions(jobs=[migrate], schedules=[nightly_migrate])
