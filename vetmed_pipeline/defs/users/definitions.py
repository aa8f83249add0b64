import dagster as dg

from vetmed_pipeline.defs.users.assets import assets
from vetmed_pipeline.defs.users.checks import asset_checks
from vetmed_pipeline.defs.users.forget import forget_user

defs = dg.Definitions(assets=assets, asset_checks=asset_checks, jobs=[forget_user])
