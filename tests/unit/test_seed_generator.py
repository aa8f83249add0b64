from collections import Counter

import pytest

from vetmed_pipeline.core import legacy_spec
from vetmed_pipeline.seed.generator import generate

USER_TRAPS = [
    "email_case_or_space_duplicate",
    "unicode_name",
    "null_profile_fields",
    "blank_profile_fields",
    "json_empty_object",
    "json_null",
    "sql_null_json",
    "reminder_minutes_with_unit",
    "reminder_minutes_blank",
    "reminder_minutes_padded",
    "week_starts_on_out_of_range",
    "contact_name_only",
    "contact_phone_only",
    "contact_whitespace_only",
    "contact_both",
    "several_membership_roles",
    "no_membership",
]


def test_same_seed_same_rows_other_seed_other_rows() -> None:
    first, again, other = generate(60, 1), generate(60, 1), generate(60, 2)
    for table in legacy_spec.table_names():
        assert list(first.rows(table)) == list(again.rows(table))
    assert list(first.rows("vetmed_users")) != list(other.rows("vetmed_users"))


def test_every_table_gets_rows_in_legacy_column_order() -> None:
    data = generate(100, 3)
    for table in legacy_spec.table_names():
        rows = list(data.rows(table))
        assert rows, table
        assert all(len(row) == len(legacy_spec.columns(table)) for row in rows)


def test_every_user_trap_is_planted() -> None:
    data = generate(50, 5)
    for trap in USER_TRAPS:
        assert data.traps.get(trap), trap


def test_legacy_unique_keys_hold_in_generated_data() -> None:
    data = generate(300, 9)
    users = data.tables["vetmed_users"]
    assert max(Counter(u["email"] for u in users).values()) == 1
    stack_ids = [u["stack_user_id"] for u in users if u["stack_user_id"] is not None]
    assert len(stack_ids) == len(set(stack_ids))
    pairs = [(m["user_id"], m["household_id"]) for m in data.tables["vetmed_memberships"]]
    assert len(pairs) == len(set(pairs))
    keys = [a["idempotency_key"] for a in data.tables["vetmed_administrations"]]
    assert len(keys) == len(set(keys))


def test_emails_that_differ_only_by_case_or_spaces_exist() -> None:
    users = generate(50, 5).tables["vetmed_users"]
    normalized = Counter(u["email"].strip().lower() for u in users)
    assert max(normalized.values()) >= 3


def test_too_small_a_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 20"):
        generate(5, 1)
