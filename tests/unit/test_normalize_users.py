import pytest
from hypothesis import given
from hypothesis import strategies as st

from vetmed_pipeline.defs.users.rules import (
    INT4_MAX,
    RULE_MINUTES_BLANK,
    RULE_MINUTES_NOT_INTEGER,
    RULE_MINUTES_OUT_OF_RANGE,
    RULE_WEEK_START_OUT_OF_RANGE,
    Parsed,
    parse_reminder_minutes,
    parse_week_starts_on,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("15", Parsed(15)),
        ("0", Parsed(0)),
        (" 45 ", Parsed(45)),
        ("\t30\n", Parsed(30)),
        ("007", Parsed(7)),
        (str(INT4_MAX), Parsed(INT4_MAX)),
        ("", Parsed(None, RULE_MINUTES_BLANK)),
        ("   ", Parsed(None, RULE_MINUTES_BLANK)),
        ("15 min", Parsed(None, RULE_MINUTES_NOT_INTEGER)),
        ("-5", Parsed(None, RULE_MINUTES_NOT_INTEGER)),
        ("+5", Parsed(None, RULE_MINUTES_NOT_INTEGER)),
        ("1e3", Parsed(None, RULE_MINUTES_NOT_INTEGER)),
        ("15.0", Parsed(None, RULE_MINUTES_NOT_INTEGER)),
        ("١٥", Parsed(None, RULE_MINUTES_NOT_INTEGER)),  # Arabic-Indic digits are not guessed at
        ("abc", Parsed(None, RULE_MINUTES_NOT_INTEGER)),
        (str(INT4_MAX + 1), Parsed(None, RULE_MINUTES_OUT_OF_RANGE)),
        ("99999999999", Parsed(None, RULE_MINUTES_OUT_OF_RANGE)),
    ],
)
def test_reminder_minutes(raw: str, expected: Parsed) -> None:
    assert parse_reminder_minutes(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (0, Parsed(0)),
        (1, Parsed(1)),
        (6, Parsed(6)),
        (7, Parsed(None, RULE_WEEK_START_OUT_OF_RANGE)),
        (-1, Parsed(None, RULE_WEEK_START_OUT_OF_RANGE)),
        (2**31 - 1, Parsed(None, RULE_WEEK_START_OUT_OF_RANGE)),
    ],
)
def test_week_starts_on(raw: int, expected: Parsed) -> None:
    assert parse_week_starts_on(raw) == expected


@given(st.text())
def test_reminder_minutes_never_raises_and_gives_value_or_rule(raw: str) -> None:
    parsed = parse_reminder_minutes(raw)
    assert (parsed.value is None) != (parsed.rule is None)
    if parsed.value is not None:
        assert 0 <= parsed.value <= INT4_MAX
        assert raw.strip().lstrip("0") == str(parsed.value).lstrip("0")


def test_minutes_of_any_length_are_typed_or_out_of_range() -> None:
    assert parse_reminder_minutes("0" * 10_000 + "15") == Parsed(15)
    assert parse_reminder_minutes("9" * 10_000).rule == RULE_MINUTES_OUT_OF_RANGE
    assert parse_reminder_minutes("x" * 1_000_000).rule == RULE_MINUTES_NOT_INTEGER
