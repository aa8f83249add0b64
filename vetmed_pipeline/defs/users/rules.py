"""Typing rules for the legacy user row's free-form preference values.

Each function takes one distinct legacy value and returns the typed value, or the rule that rejects it.
The users load parses the DISTINCT values of a column here and joins the result in SQL, so there is one
implementation of each rule however many rows share a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INT4_MAX = 2_147_483_647
_DIGITS = re.compile(r"[0-9]+")

RULE_MINUTES_BLANK = "reminder_minutes_blank"
RULE_MINUTES_NOT_INTEGER = "reminder_minutes_not_integer"
RULE_MINUTES_OUT_OF_RANGE = "reminder_minutes_out_of_range"
RULE_WEEK_START_OUT_OF_RANGE = "week_starts_on_out_of_range"


@dataclass(frozen=True)
class Parsed:
    """A typed value, or None with the rule that rejected the raw value."""

    value: int | None
    rule: str | None = None


def parse_reminder_minutes(raw: str) -> Parsed:
    """Legacy ``reminder_lead_time_minutes`` (text, default '15') to a whole number of minutes.

    Surrounding white space is trimmed (a documented normalization); what remains must be ASCII digits
    and fit a PostgreSQL integer. '15 min', '', '-5' and '1e3' are rejected, never guessed at.
    """
    text = raw.strip()
    if not text:
        return Parsed(None, RULE_MINUTES_BLANK)
    if not _DIGITS.fullmatch(text):
        return Parsed(None, RULE_MINUTES_NOT_INTEGER)
    significant = text.lstrip("0") or "0"
    # compared by length first: int() refuses more than 4,300 digits, and PostgreSQL's text has no limit
    if len(significant) > len(str(INT4_MAX)) or int(significant) > INT4_MAX:
        return Parsed(None, RULE_MINUTES_OUT_OF_RANGE)
    return Parsed(int(significant))


def parse_week_starts_on(raw: int) -> Parsed:
    """Legacy ``week_starts_on`` (0 = Sunday, 1 = Monday): any day of the week 0..6 is kept, else rejected."""
    if 0 <= raw <= 6:
        return Parsed(raw)
    return Parsed(None, RULE_WEEK_START_OUT_OF_RANGE)
