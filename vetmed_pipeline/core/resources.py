"""Dagster resources: the source and target PostgreSQL databases, URLs from the environment."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg
import psycopg
from pydantic import PrivateAttr

from vetmed_pipeline.core.db import connect
from vetmed_pipeline.core.environment import SOURCE_URL, TARGET_URL
from vetmed_pipeline.core.errors import PipelineError
from vetmed_pipeline.core.runs import TargetHold, hold_target

# SQLSTATE classes whose primary message names only objects (constraints, tables, columns), never values:
# integrity violations (23), undefined or duplicate objects and privileges (42), insufficient resources (53).
_MESSAGE_WITHOUT_VALUES = ("23", "42", "53", "40", "57")


def describe_database_error(error: psycopg.Error) -> str:
    """A database error as one line without row values: PostgreSQL's DETAIL (and, for data errors, its
    message) can quote a value, such as the email a unique violation hit. Names of objects are kept."""
    diag = error.diag
    sqlstate = diag.sqlstate or "?"
    parts = [f"{error.__class__.__name__} (SQLSTATE {sqlstate})"]
    if sqlstate.startswith(_MESSAGE_WITHOUT_VALUES) and diag.message_primary:
        parts.append(diag.message_primary)
    for label, value in (
        ("table", diag.table_name),
        ("column", diag.column_name),
        ("constraint", diag.constraint_name),
    ):
        if value:
            parts.append(f"{label} {value}")
    return ": ".join(parts[:2]) + ("; " + ", ".join(parts[2:]) if len(parts) > 2 else "")


@contextmanager
def database_errors_as_failures() -> Iterator[None]:
    """Turn database errors into a Dagster Failure whose text carries no row values (and no chained
    exception that would)."""
    try:
        yield
    except psycopg.Error as error:
        raise dg.Failure(description=describe_database_error(error), allow_retries=False) from None


class PostgresResource(dg.ConfigurableResource):
    """A PostgreSQL database. ``setting`` names where its URL came from, for error messages. A resource
    with ``holds_run`` holds its database for the run that uses it (core/runs.py): the target."""

    url: str
    setting: str = "the database URL"
    read_only: bool = False
    holds_run: bool = False
    _hold: TargetHold | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        if self.holds_run and context.dagster_run is not None:
            try:
                self._hold = hold_target(
                    self.url, self.setting, context.dagster_run, context.instance, context.log
                )
            except PipelineError as error:
                raise dg.Failure(description=str(error), allow_retries=False) from None

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._hold is not None:
            self._hold.release()
            self._hold = None

    def connect(self) -> psycopg.Connection[Any]:
        try:
            return connect(self.url, self.setting, read_only=self.read_only)
        except PipelineError as error:
            raise dg.Failure(description=str(error), allow_retries=False) from None

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Cursor[Any]]:
        """One transaction on one connection: committed when the block ends, rolled back on error.
        Database errors become Failures without row values."""
        with database_errors_as_failures(), self.connect() as conn, conn.transaction(), conn.cursor() as cur:
            yield cur


def default_resources() -> dict[str, Any]:
    return {
        "source": PostgresResource(url=dg.EnvVar(SOURCE_URL), setting=SOURCE_URL, read_only=True),
        "target": PostgresResource(url=dg.EnvVar(TARGET_URL), setting=TARGET_URL, holds_run=True),
    }
