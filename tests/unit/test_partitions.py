"""Month arithmetic and configuration of the monthly partitions, and the notification status rule."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from vetmed_pipeline.core.errors import PipelineError
from vetmed_pipeline.core.partitions import (
    MONTHLY,
    START_MONTH,
    add_months,
    month_of,
    months,
    parse_month,
    window_end,
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
    assert window_end(datetime(2026, 11, 22, tzinfo=UTC)) == date(2027, 2, 1)  # default: 3 months ahead


def test_dagster_partitions_line_up_with_the_postgresql_months() -> None:
    keys = MONTHLY.get_partition_keys(current_time=datetime(2026, 11, 22, tzinfo=UTC))
    expected = [m.isoformat() for m in months(START_MONTH, window_end(datetime(2026, 11, 22, tzinfo=UTC)))]
    assert keys == expected


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
