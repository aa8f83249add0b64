import dagster as dg

from vetmed_pipeline.defs.extract.assets import extract_legacy_snapshot, legacy_tables

defs = dg.Definitions(assets=[*legacy_tables, extract_legacy_snapshot])
