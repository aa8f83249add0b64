"""``migrate``: the whole migration. Its selection is every asset the merged definitions hold, but the
report's (which runs after every migrate run, see defs/report): no list of domains is kept here."""

from __future__ import annotations

import dagster as dg

from vetmed_pipeline.core.partitions import MONTHLY
from vetmed_pipeline.core.runs import target_tags
from vetmed_pipeline.defs.report.assets import GROUP as REPORT_GROUP
from vetmed_pipeline.defs.report.assets import MIGRATE_JOB


def all_months_tags() -> dict[str, str]:
    """Run tags that make one run cover every monthly partition (the single-run backfill policy executes
    them together), which makes it a run of the whole migration: it owns the rows outside the window
    (DEFAULT) too (core/runs.run_months), and records a materialization of every month. Given at launch
    (the CLI, the schedule), not as job tags: those go on every run of the job, and a one-month run
    launched from the UI cannot carry a range too. (A run with no partition at all, e.g. a plain
    `dagster job execute -j migrate`, is a whole run as well.)"""
    first, last = MONTHLY.get_first_partition_key(), MONTHLY.get_last_partition_key()
    assert first is not None and last is not None  # the window always holds at least the start month
    return {
        "dagster/asset_partition_range_start": first,
        "dagster/asset_partition_range_end": last,
        **target_tags(),
    }


migrate = dg.define_asset_job(
    MIGRATE_JOB,
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups(REPORT_GROUP),
    description="The whole migration: one consistent snapshot of the legacy source into vetmed_staging, "
    "then every domain into schema vetmed, every month of the time series in the same run, with all "
    "asset checks. (One month of a time series: materialize that asset partition instead.)",
    tags=target_tags(),
)
