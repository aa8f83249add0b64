"""Roles of the target design: vetmed_app reads everything but emergency contacts; vetmed_privacy reads those too."""

import psycopg
import pytest

from tests.conftest import Migration

pytestmark = pytest.mark.integration


def _as(migration: Migration, role: str, query: str) -> int:
    with migration.target() as conn, conn.transaction():
        conn.execute(psycopg.sql.SQL("SET LOCAL ROLE {}").format(psycopg.sql.Identifier(role)))
        row = conn.execute(query).fetchone()
        assert row is not None
        return int(row[0])


@pytest.mark.parametrize(
    "table",
    [
        "vetmed_users",
        "vetmed_users_owners",
        "vetmed_user_profiles",
        "vetmed_user_preferences",
        "vetmed_households",
        "vetmed_memberships",
    ],
)
def test_app_role_reads_the_user_tables(migration: Migration, table: str) -> None:
    assert _as(migration, "vetmed_app", f"SELECT count(*) FROM vetmed.{table}") >= 0  # noqa: S608


def test_app_role_cannot_read_emergency_contacts(migration: Migration) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _as(migration, "vetmed_app", "SELECT count(*) FROM vetmed.vetmed_emergency_contacts")


def test_privacy_role_reads_emergency_contacts_and_the_rest(migration: Migration) -> None:
    assert _as(migration, "vetmed_privacy", "SELECT count(*) FROM vetmed.vetmed_emergency_contacts") > 0
    assert _as(migration, "vetmed_privacy", "SELECT count(*) FROM vetmed.vetmed_users") > 0


def test_nobody_else_reads_emergency_contacts(migration: Migration) -> None:
    with migration.target() as conn:
        grantees = conn.execute(
            "SELECT DISTINCT grantee FROM information_schema.role_table_grants "
            "WHERE table_schema = 'vetmed' AND table_name = 'vetmed_emergency_contacts' AND grantee <> current_user"
        ).fetchall()
    assert grantees == [("vetmed_privacy",)]
