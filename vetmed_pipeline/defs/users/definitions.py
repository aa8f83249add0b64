import dagster as dg

from vetmed_pipeline.defs.users.assets import assets
from vetmed_pipeline.defs.users.checks import asset_checks

defs = dg.Definitions(assets=assets, asset_checks=asset_checks)
