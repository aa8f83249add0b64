"""Jobs: `migrate` runs the whole migration (extract, then every domain, with their checks)."""

from __future__ import annotations

import dagster as dg

from vetmed_pipeline.domains import animals, carried, extract, medications, users

#: Groups that make up a migration, in the order the asset graph also implies.
MIGRATION_GROUPS = [extract.EXTRACT_GROUP, users.GROUP, animals.GROUP, medications.GROUP, carried.GROUP]

migrate = dg.define_asset_job(
    "migrate",
    selection=dg.AssetSelection.groups(*MIGRATION_GROUPS),
    description="The whole migration: one consistent snapshot of the legacy source into vetmed_staging, "
    "then every domain into schema vetmed, with all asset checks.",
)
