"""Which runs are whole runs (every month and the rows in DEFAULT), and the nightly schedule's tags."""

import dagster as dg

from vetmed_pipeline.core.partitions import MONTHLY
from vetmed_pipeline.core.runs import SCOPE_ALL, SCOPE_TAG, run_months
from vetmed_pipeline.defs.migrate.jobs import all_months_tags
from vetmed_pipeline.defs.migrate.schedules import nightly_migrate

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def _index(key: str) -> int:
    return int(key[:4]) * 12 + int(key[5:7]) - 1


def test_a_run_without_a_partition_or_over_every_month_is_whole() -> None:
    keys = MONTHLY.get_partition_keys()
    assert run_months({}) is None
    assert run_months({SCOPE_TAG: SCOPE_ALL, "dagster/partition": keys[0]}) is None
    assert run_months({RANGE_START: keys[0], RANGE_END: keys[-1]}) is None
    assert run_months(all_months_tags()) is None


def test_a_run_of_some_months_is_limited_to_them() -> None:
    keys = MONTHLY.get_partition_keys()
    assert len(keys) >= 3
    assert run_months({"dagster/partition": keys[1]}) == [_index(keys[1])]
    assert run_months({RANGE_START: keys[0], RANGE_END: keys[1]}) == [_index(keys[0]), _index(keys[1])]
    assert run_months({RANGE_START: keys[1], RANGE_END: keys[-1]}) == list(
        range(_index(keys[1]), _index(keys[-1]) + 1)
    )


def test_the_nightly_schedule_runs_every_month_as_of_its_tick() -> None:
    [request] = nightly_migrate.evaluate_tick(dg.build_schedule_context()).run_requests or []
    assert request.tags[SCOPE_TAG] == SCOPE_ALL
    assert request.tags[RANGE_START] == MONTHLY.get_first_partition_key()
    assert request.tags[RANGE_END] == MONTHLY.get_last_partition_key()
    assert run_months(request.tags) is None
