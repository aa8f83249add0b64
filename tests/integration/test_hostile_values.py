"""Every value PostgreSQL accepts in a legacy column reaches the target or the quarantine, and the migration
completes with every round trip passing: infinite, year-1 and year-9999 times and dates, NaN numerics,
integers at their limits, 1 MB texts wherever the legacy schema has no index, quotes, backslashes, control
characters and SQL-looking text, JSON nested 1,000 levels deep, a 10 MB document, the JSON keys "" and
"a/b~c", arrays of 100,000 elements and 1 MB elements.

A seeded legacy database gets, in every table, four rows cloned from an existing one (so every reference
stays valid) with their values replaced by hostile ones, built on the server (nothing this large crosses
the wire)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dagster as dg
import pytest
from psycopg import sql

from tests.conftest import Migration, check_results
from vetmed_pipeline.core import legacy_spec
from vetmed_pipeline.seed.loader import seed_legacy

# slow: building and migrating the 1 MB texts, 10 MB document and 100,000-element arrays takes minutes here.
pytestmark = [pytest.mark.integration, pytest.mark.slow]

HOSTILE = 'it\'s "quoted" \\ back\\slash; DROP TABLE vetmed_users; -- \x01\x07\x1f\t\r\n é 😀'
#: Per row (0..3): a timestamp and a date at the edges PostgreSQL accepts.
TIMES = ["infinity", "-infinity", "0001-01-01 00:00:00+00", "9999-12-31 23:59:59+00"]
DATES = ["infinity", "-infinity", "0001-01-01", "9999-12-31"]
INTEGERS = ["2147483647", "-2147483648", "0", "-1"]


def _indexed(table: str) -> set[str]:
    """Columns the legacy schema keeps in a btree (a unique or an index): longer texts cannot exist there."""
    spec = legacy_spec.spec()["tables"][table]
    columns = {column for unique in spec["uniques"] for column in unique["columns"]}
    for index in spec["indexes"] or []:
        columns.update(part.strip().split()[0].strip('"') for part in index["definition"].split(","))
    return columns | {"id"}


def _foreign(table: str) -> set[str]:
    return {fk["column"] for fk in legacy_spec.spec()["tables"][table]["foreign_keys"]}


def _value(table: str, column: legacy_spec.Column, row: int) -> sql.Composable | None:
    """A hostile value for one column of hostile row ``row`` (0..3), or None to keep the cloned value."""
    kind = column.type
    if column.name == "id" or column.name in _foreign(table) or kind in legacy_spec.enums():
        return None
    if kind == "text":
        if column.name in _indexed(table):
            return sql.SQL("left(md5(random()::text), 8) || {}").format(sql.Literal(HOSTILE))
        if row == 0:
            return sql.SQL("repeat('x', 1000000) || {}").format(sql.Literal(HOSTILE))
        return sql.Literal(["", "   ", "Dr."][row - 1])
    if kind == "timestamptz":
        return sql.SQL("{}::timestamptz").format(sql.Literal(TIMES[row]))
    if kind == "date":
        return sql.SQL("{}::date").format(sql.Literal(DATES[row]))
    if kind.startswith("numeric"):
        return sql.SQL("'NaN'::numeric")
    if kind == "integer":
        return sql.SQL("{}::integer").format(sql.Literal(INTEGERS[row]))
    if kind == "jsonb":
        return [
            sql.SQL("(repeat('[', 1000) || repeat(']', 1000))::jsonb"),
            sql.SQL("""jsonb_build_object('dog', jsonb_build_object('multiplier', repeat('9', 5000)::numeric),
                                          'huge', repeat('x', 10000000))"""),
            sql.SQL("""'{"": {"multiplier": 1.2}, "a/b~c": {"multiplier": "0.5"}, "dog": {"": 1}}'::jsonb"""),
            sql.SQL("""'{"dog": {"multiplier": "1e200000"}, "cat": [], "x": null}'::jsonb"""),
        ][row]
    if kind == "text[]":
        return [
            sql.SQL("ARRAY(SELECT 'allergen ' || n FROM generate_series(1, 100000) n)"),
            sql.SQL("ARRAY[repeat('y', 1000000), NULL, '', {}, 'Chicken (severe)']").format(
                sql.Literal(HOSTILE)
            ),
            sql.SQL("'{}'::text[]"),
            sql.SQL("NULL::text[]"),
        ][row]
    return None


def _insert_hostile_rows(conn: Any, table: str) -> list[str]:
    """Four hostile clones of the table's first row; returns their ids."""
    columns = legacy_spec.columns(table)
    ids = []
    for row in range(4):
        new_id = conn.execute("SELECT gen_random_uuid()::text").fetchone()[0]
        values = []
        for column in columns:
            value = _value(table, column, row)
            if column.name == "id":
                value = sql.Literal(new_id)
            elif (
                table == "vetmed_memberships" and column.name == "household_id"
            ):  # (user, household) is unique
                value = sql.SQL(
                    "(SELECT h.id FROM vetmed_households h WHERE NOT EXISTS (SELECT FROM vetmed_memberships m "
                    "WHERE m.household_id = h.id AND m.user_id = vetmed_memberships.user_id) "
                    "ORDER BY h.id OFFSET {} LIMIT 1)"
                ).format(sql.Literal(row))
            elif table == "vetmed_cosign_requests" and column.name == "administration_id":
                value = sql.SQL(
                    "(SELECT id FROM vetmed_administrations WHERE {} ORDER BY id OFFSET {} LIMIT 1)"
                ).format(
                    sql.SQL(
                        "NOT EXISTS (SELECT FROM vetmed_cosign_requests c WHERE c.administration_id = vetmed_administrations.id)"
                    ),
                    sql.Literal(row),
                )
            values.append(value if value is not None else sql.Identifier(column.name))
        conn.execute(
            sql.SQL(
                "INSERT INTO {table} ({columns}) SELECT {values} FROM {table} ORDER BY id LIMIT 1"
            ).format(
                table=sql.Identifier(table),
                columns=sql.SQL(", ").join(sql.Identifier(c.name) for c in columns),
                values=sql.SQL(", ").join(values),
            )
        )
        ids.append(new_id)
    return ids


@pytest.fixture(scope="module")
def hostile(
    new_database: Callable[[str], str],
) -> tuple[Migration, dict[str, list[str]], dg.ExecuteInProcessResult]:
    migration = Migration(new_database("hostile_src"), new_database("hostile_tgt"))
    seed_legacy(migration.source_url, scale=40, seed=13)
    with migration.source() as conn:
        planted = {table: _insert_hostile_rows(conn, table) for table in legacy_spec.table_names()}
    return migration, planted, migration.run()


def test_the_migration_completes_and_every_round_trip_passes(
    hostile: tuple[Migration, dict[str, list[str]], dg.ExecuteInProcessResult],
) -> None:
    migration, planted, result = hostile
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    results = check_results(result)
    failing = {
        name: e.metadata for name, e in results.items() if not e.passed and e.severity.value == "ERROR"
    }
    assert failing == {}
    for table in legacy_spec.table_names():
        for name in ("round_trip_equals_snapshot", "ids_checksum_matches_snapshot"):
            assert results[f"{table}:{name}"].passed, (table, name)
    with migration.target() as conn:
        for table, ids in planted.items():
            found = conn.execute(
                sql.SQL("SELECT count(*) FROM vetmed_compat.{} WHERE id = ANY(%s::uuid[])").format(
                    sql.Identifier(table)
                ),
                (ids,),
            ).fetchone()
            assert found == (4,), table


def test_what_the_target_cannot_type_is_quarantined_with_its_rule(
    hostile: tuple[Migration, dict[str, list[str]], dg.ExecuteInProcessResult],
) -> None:
    migration, planted, _ = hostile
    with migration.target() as conn:
        rules = {
            (column, rule)
            for column, rule in conn.execute(
                "SELECT legacy_column, rule FROM vetmed_quarantine.rejected_values "
                "WHERE resolved_at IS NULL AND legacy_id = ANY(%s::uuid[])",
                ([i for ids in planted.values() for i in ids],),
            ).fetchall()
        }
        assert {
            ("allergies", "too_long"),
            ("vet_name", "too_long"),
            ("vet_name", "not_identifying"),
            ("vet_phone", "blank_text"),
            ("species_adjustments", "document_too_deep"),
            ("species_adjustments", "blank_key"),
            ("species_adjustments", "out_of_range"),
            ("reminder_lead_time_minutes", "reminder_minutes_not_integer"),
            ("week_starts_on", "week_starts_on_out_of_range"),
            ("emergency_contact_name", "emergency_contact_blank"),
        } <= rules
        # the key "" is the pointer "/", never the whole document
        assert conn.execute(
            "SELECT raw_value FROM vetmed_quarantine.rejected_values WHERE legacy_column = 'species_adjustments' "
            "AND rule = 'blank_key' AND legacy_id = %s::uuid",
            (planted["vetmed_medication_catalog"][2],),
        ).fetchall() == [({"multiplier": 1.2},)]
        # infinite times live in DEFAULT, whole
        assert conn.execute(
            "SELECT count(*) FROM vetmed.vetmed_administrations_default WHERE NOT isfinite(recorded_at) "
            "AND id = ANY(%s::uuid[])",
            (planted["vetmed_administrations"],),
        ).fetchone() == (2,)
        assert conn.execute(
            "SELECT count(*) FROM vetmed.vetmed_animal_allergies WHERE animal_id = %s::uuid",
            (planted["vetmed_animals"][0],),
        ).fetchone() == (100_000,)
