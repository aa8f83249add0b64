"""Month arithmetic and configuration of the monthly partitions, and the notification status rule."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from vetmed_pipeline.core.errors import PipelineError
from vetmed_pipeline.core.partitions import (
    MONTHLY,
    START_MONTH,
    MonthWindow,
    add_months,
    month_of,
    month_window,
    months,
    months_ahead_end,
    parse_month,
)
from vetmed_pipeline.defs.timeseries.rules import IN_APP, QUEUE, notification_status
from vetmed_pipeline.defs.timeseries.series import ADMINISTRATIONS


def test_months_roll_over_years() -> None:
    assert add_months(date(2024, 11, 1), 3) == date(2025, 2, 1)
    assert add_months(date(2024, 1, 1), -1) == date(2023, 12, 1)
    assert list(months(date(2024, 11, 1), date(2025, 2, 1))) == [
        date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1)
    ]  # fmt: skip


def test_the_month_of_a_moment_is_its_utc_month() -> None:
    new_york = timezone(timedelta(hours=-5))
    assert month_of(datetime(2025, 2, 28, 22, 0, tzinfo=new_york)) == date(2025, 3, 1)
    assert month_of(datetime(2025, 2, 28, 23, 59, 59, tzinfo=UTC)) == date(2025, 2, 1)


def test_partition_names_and_window() -> None:
    assert ADMINISTRATIONS.table.partition(date(2025, 3, 1)) == "vetmed_administrations_y2025m03"
    assert months_ahead_end(datetime(2026, 11, 22, tzinfo=UTC)) == date(2027, 2, 1)  # default: 3 months ahead


def test_dagster_partitions_line_up_with_the_postgresql_months() -> None:
    keys = MONTHLY.get_partition_keys(current_time=datetime(2026, 11, 22, tzinfo=UTC))
    expected = [
        m.isoformat() for m in months(START_MONTH, months_ahead_end(datetime(2026, 11, 22, tzinfo=UTC)))
    ]
    assert keys == expected


def _counts(first: str, last: str, per_month: int) -> dict[tuple[int, int], int]:
    return {(m.year, m.month): per_month for m in months(parse_month(first), parse_month(last))}


SNAPSHOT = date(2026, 11, 1)


def test_the_window_follows_the_history_and_leaves_isolated_outliers_out() -> None:
    counts = _counts("2023-01", "2026-10", 200) | {(1999, 6): 2, (2031, 3): 1, (0, 5): 1, (10_000, 1): 1}
    assert month_window(counts, SNAPSHOT, 3) == MonthWindow(date(2023, 1, 1), date(2027, 2, 1))


def test_a_gap_of_a_year_or_less_is_one_history_and_a_real_earlier_history_is_kept() -> None:
    counts = _counts("2021-01", "2021-06", 500) | _counts("2022-07", "2026-10", 100)  # 12 months apart
    assert month_window(counts, SNAPSHOT, 0).first == date(2021, 1, 1)
    far = _counts("2015-01", "2015-12", 300) | _counts("2024-01", "2026-10", 100)  # 8 years apart, 8% of rows
    assert month_window(far, SNAPSHOT, 0).first == date(2015, 1, 1)


def test_a_handful_of_rows_or_under_one_percent_is_an_outlier_but_the_largest_stretch_never_is() -> None:
    counts = _counts("2024-01", "2026-10", 100) | {(2019, 1): 11}  # 11 rows, 0.3%
    assert month_window(counts, SNAPSHOT, 0).first == date(2024, 1, 1)
    lonely = {(2010, 5): 3}  # nothing but outliers: the largest stretch stays
    assert month_window(lonely, SNAPSHOT, 1) == MonthWindow(date(2010, 5, 1), date(2026, 12, 1))


def test_the_window_holds_the_snapshot_month_and_the_override_sets_the_start() -> None:
    assert month_window({}, SNAPSHOT, 3) == MonthWindow(SNAPSHOT, date(2027, 2, 1))
    counts = _counts("2023-01", "2024-06", 100)
    assert month_window(counts, SNAPSHOT, 0, date(2024, 1, 1)) == MonthWindow(date(2024, 1, 1), SNAPSHOT)
    assert month_window(_counts("2028-01", "2028-02", 500), SNAPSHOT, 0).last == date(2028, 2, 1)


def test_the_window_stays_within_the_years_python_and_partitions_name() -> None:
    assert month_window({(0, 1): 900, (1, 2): 900}, date(1, 3, 1), 0).first == date(1, 1, 1)
    assert month_window({(9999, 12): 900}, date(9999, 11, 1), 5).last == date(9999, 12, 1)


@pytest.mark.parametrize("value", ["2024", "2024-13", "24-01", "January", ""])
def test_a_bad_month_setting_is_a_clear_error(value: str) -> None:
    with pytest.raises(PipelineError, match="YYYY-MM"):
        parse_month(value)


AS_OF = datetime(2026, 1, 1, tzinfo=UTC)
BEFORE = AS_OF - timedelta(days=1)


@pytest.mark.parametrize(
    ("table", "state", "status"),
    [
        (IN_APP, {}, "delivered"),
        (IN_APP, {"read": True}, "read"),
        (IN_APP, {"read_at": BEFORE}, "read"),
        (IN_APP, {"read": True, "dismissed": True}, "dismissed"),
        (IN_APP, {"created_at": AS_OF + timedelta(seconds=1)}, "draft"),
        (QUEUE, {}, "scheduled"),
        (QUEUE, {"sent_at": BEFORE}, "sent"),
        (QUEUE, {"sent_at": AS_OF + timedelta(hours=1)}, "scheduled"),
        (QUEUE, {"failed_at": BEFORE}, "failed"),
        (QUEUE, {"failed_at": BEFORE, "sent_at": BEFORE + timedelta(minutes=1)}, "sent"),
        (QUEUE, {"failed_at": BEFORE + timedelta(minutes=1), "sent_at": BEFORE}, "failed"),
        (QUEUE, {"sent_at": BEFORE, "read_at": BEFORE}, "read"),
        (QUEUE, {"failed_at": BEFORE, "dismissed_at": BEFORE}, "dismissed"),
    ],
)
def test_notification_status_rule(table: str, state: dict[str, object], status: str) -> None:
    arguments = {"created_at": BEFORE - timedelta(days=1), **state}
    assert notification_status(table, as_of=AS_OF, **arguments) == status  # type: ignore[arg-type]
