import dagster as dg

from vetmed_pipeline.defs.animals.assets import assets
from vetmed_pipeline.defs.animals.checks import asset_checks

defs = dg.Definitions(assets=assets, asset_checks=asset_checks)
