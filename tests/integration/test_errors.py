"""Database errors reach the run log as one line that names objects, never row values."""

from collections.abc import Callable

import dagster as dg
import psycopg
import pytest

from vetmed_pipeline.core.db import connect
from vetmed_pipeline.core.resources import database_errors_as_failures, describe_database_error

pytestmark = pytest.mark.integration


def test_a_unique_violation_names_the_constraint_but_not_the_value(
    new_database: Callable[[str], str],
) -> None:
    with connect(new_database("errors"), "errors", autocommit=True) as conn:
        conn.execute("CREATE TABLE people (email text CONSTRAINT people_email_key UNIQUE)")
        conn.execute("INSERT INTO people VALUES ('private.person@example.com')")
        with pytest.raises(psycopg.errors.UniqueViolation) as raised:
            conn.execute("INSERT INTO people VALUES ('private.person@example.com')")
        text = describe_database_error(raised.value)
        assert "people_email_key" in text and "23505" in text
        assert "private.person" not in text
        with pytest.raises(psycopg.errors.InvalidTextRepresentation) as raised:
            conn.execute("SELECT 'Jane Secret-Name'::integer")
        assert "Jane" not in describe_database_error(raised.value)
        with pytest.raises(dg.Failure) as failure, database_errors_as_failures():
            conn.execute("INSERT INTO people VALUES ('private.person@example.com')")
        assert "private.person" not in str(failure.value.description)
        assert failure.value.__cause__ is None and failure.value.__suppress_context__
