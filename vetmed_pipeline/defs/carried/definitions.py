import dagster as dg

from vetmed_pipeline.defs.carried.assets import assets
from vetmed_pipeline.defs.carried.checks import asset_checks

defs = dg.Definitions(assets=assets, asset_checks=asset_checks)
