"""Jobs: `migrate` runs the whole migration (extract, then every domain, with their checks);
`partition_maintenance` creates the coming months of the time-series tables."""

from __future__ import annotations

import dagster as dg

from vetmed_pipeline.domains import animals, carried, compat, extract, medications, timeseries, users
from vetmed_pipeline.partitions import MONTHLY

#: Groups that make up a migration, in the order the asset graph also implies.
MIGRATION_GROUPS = [
    extract.EXTRACT_GROUP,
    users.GROUP,
    animals.GROUP,
    medications.GROUP,
    carried.GROUP,
    timeseries.GROUP,
    compat.GROUP,
]


def all_months_tags() -> dict[str, str]:
    """Run tags that make one run cover every monthly partition (the single-run backfill policy executes
    them together) and own the rows outside the window (DEFAULT) too."""
    first, last = MONTHLY.get_first_partition_key(), MONTHLY.get_last_partition_key()
    assert first is not None and last is not None  # the window always holds at least the start month
    return {
        "dagster/asset_partition_range_start": first,
        "dagster/asset_partition_range_end": last,
        timeseries.SCOPE_TAG: timeseries.SCOPE_ALL,
    }


migrate = dg.define_asset_job(
    "migrate",
    selection=dg.AssetSelection.groups(*MIGRATION_GROUPS),
    description="The whole migration: one consistent snapshot of the legacy source into vetmed_staging, "
    "then every domain into schema vetmed, every month of the time series in the same run, with all "
    "asset checks. (One month of a time series: materialize that asset partition instead.)",
    tags=all_months_tags(),
)

partition_maintenance = timeseries.partition_maintenance
