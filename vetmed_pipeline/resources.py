"""Dagster resources: the source and target PostgreSQL databases, URLs from the environment."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg
import psycopg

from vetmed_pipeline.db import connect
from vetmed_pipeline.environment import SOURCE_URL, TARGET_URL
from vetmed_pipeline.errors import PipelineError


class PostgresResource(dg.ConfigurableResource):
    """A PostgreSQL database. ``setting`` names where its URL came from, for error messages."""

    url: str
    setting: str = "the database URL"
    read_only: bool = False

    def connect(self) -> psycopg.Connection[Any]:
        try:
            return connect(self.url, self.setting, read_only=self.read_only)
        except PipelineError as error:
            raise dg.Failure(description=str(error), allow_retries=False) from None

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Cursor[Any]]:
        """One transaction on one connection: committed when the block ends, rolled back on error."""
        with self.connect() as conn, conn.transaction(), conn.cursor() as cur:
            yield cur


def default_resources() -> dict[str, Any]:
    return {
        "source": PostgresResource(url=dg.EnvVar(SOURCE_URL), setting=SOURCE_URL, read_only=True),
        "target": PostgresResource(url=dg.EnvVar(TARGET_URL), setting=TARGET_URL),
    }
