"""Connections and SQL plumbing shared by every domain.

URLs come in SQLAlchemy form (``postgresql://``, ``postgresql+psycopg://``, ``postgres://``, unix sockets as
``?host=/path``); they are parsed once here, and every failure becomes a one-line :class:`PipelineError`
that names the setting, the server (never the password) and what to do.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from vetmed_pipeline.core.errors import PipelineError
from vetmed_pipeline.core.paths import SQL_DIR

MIN_SERVER_VERSION = 150000
_DRIVERS = ("postgresql", "postgres")


def parse_url(url: str | None, setting: str) -> URL:
    """Parse a PostgreSQL URL, or raise a PipelineError naming the setting it came from."""
    if not url or not url.strip():
        raise PipelineError(
            f"{setting} is not set: give a PostgreSQL URL such as postgresql://user@host:5432/db"
        )
    try:
        parsed = make_url(url.strip())
    except ValueError:  # a port that is not a number (":54x2")
        raise PipelineError(f"{setting} has a port that is not a number: use host:5432") from None
    except ArgumentError:
        raise PipelineError(
            f"{setting} is not a valid URL: expected postgresql://user[:password]@host[:port]/database"
        ) from None
    if parsed.drivername.split("+")[0] not in _DRIVERS:
        raise PipelineError(
            f"{setting} uses '{parsed.drivername}://', but only PostgreSQL is supported: use postgresql://..."
        )
    if not parsed.database:
        raise PipelineError(f"{setting} names no database: add /<database> to the URL")
    return parsed


def libpq_url(url: str, setting: str = "the database URL") -> str:
    """The URL as libpq (psycopg) understands it: driver suffix removed, password kept."""
    parsed = parse_url(url, setting)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def redact(url: str) -> str:
    """A URL safe to print: no password."""
    try:
        return make_url(url).set(drivername="postgresql").render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def with_database(url: str, database: str) -> str:
    """The same server and credentials, another database."""
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else error.__class__.__name__


def connect(
    url: str, setting: str = "the database URL", *, read_only: bool = False, autocommit: bool = False
) -> psycopg.Connection[Any]:
    """Open a connection, or raise a PipelineError saying which server could not be reached and why.

    ``read_only`` makes every transaction of the session READ ONLY, so a bug cannot write to a source.
    """
    options = "-c default_transaction_read_only=on" if read_only else None
    try:
        conn = psycopg.connect(
            libpq_url(url, setting),
            autocommit=autocommit,
            connect_timeout=10,
            application_name="vetmed_pipeline",
            options=options,
        )
    except psycopg.OperationalError as error:
        raise PipelineError(
            f"cannot connect to {setting} ({redact(url)}): {_first_line(error)}. "
            "Check that the server is running and the URL is right."
        ) from None
    if conn.info.server_version >= 140000:
        # A statement whose client is gone (a killed run) stops within seconds instead of running on.
        conn.execute("SET client_connection_check_interval = '5s'")
        if not autocommit:
            conn.commit()
    return conn


def require_min_version(conn: psycopg.Connection[Any], setting: str) -> int:
    """Stop with a clear message when the server is older than PostgreSQL 15."""
    version = conn.info.server_version
    if version < MIN_SERVER_VERSION:
        raise PipelineError(
            f"{setting} points at PostgreSQL {format_server_version(version)}; "
            "vetmed_pipeline needs PostgreSQL 15 or newer (partitioned tables with composite foreign keys)."
        )
    return version


def format_server_version(version: int) -> str:
    """170004 -> '17.4', 90624 -> '9.6.24' (libpq's integer form)."""
    if version >= 100000:
        return f"{version // 10000}.{version % 10000}"
    return f"{version // 10000}.{(version // 100) % 100}.{version % 100}"


def ident(*parts: str) -> sql.Composable:
    """The one place identifiers are quoted: ``ident('vetmed', 'vetmed_users')`` -> "vetmed"."vetmed_users"."""
    return sql.Identifier(*parts)


_NAME_LINE = re.compile(r"^--\s*name:\s*([a-z_][a-z0-9_]*)\s*$", re.MULTILINE)


def parse_named_statements(text: str) -> dict[str, str]:
    """Split a .sql file into its named statements (``-- name: foo`` starts one, aiosql style)."""
    statements: dict[str, str] = {}
    matches = list(_NAME_LINE.finditer(text))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = text[match.end() : end].strip()
        name = match.group(1)
        if name in statements:
            raise ValueError(f"statement {name!r} is defined twice")
        statements[name] = body
    return statements


@cache
def named_statements(relative_path: str) -> Mapping[str, str]:
    """Named statements of ``sql/<relative_path>``, read once per process."""
    return parse_named_statements((SQL_DIR / relative_path).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Statement:
    """One named statement of a file under sql/, run with its parameters bound by name."""

    file: str
    name: str
    text: str

    @property
    def sql(self) -> sql.SQL:
        """The statement as a composable, to nest inside another (``SELECT ... FROM ({rows}) r``); it ends
        with a line break, so a trailing comment cannot swallow what follows."""
        return sql.SQL(self.text + "\n")  # a file of ours, never built from values

    def execute(self, cur: psycopg.Cursor[Any], params: Mapping[str, Any] | None = None) -> int:
        """Run it; returns the affected row count."""
        cur.execute(self.text, params)
        return cur.rowcount

    def rows(
        self, cur: psycopg.Cursor[Any], params: Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        cur.execute(self.text, params)
        return cur.fetchall()

    def counts(self, cur: psycopg.Cursor[Any], params: Mapping[str, Any] | None = None) -> dict[str, int]:
        """A statement that returns one row of counts, as {column name: count} (what checks report)."""
        cur.execute(self.text, params)
        row = cur.fetchone()
        assert row is not None and cur.description is not None
        return {column.name: int(value) for column, value in zip(cur.description, row, strict=True)}

    def scalar(self, cur: psycopg.Cursor[Any], params: Mapping[str, Any] | None = None) -> Any:
        cur.execute(self.text, params)
        row = cur.fetchone()
        return None if row is None else row[0]


#: Every SqlFile declared so far (the unit tests check them against sql/).
SQL_FILES: list[type[SqlFile]] = []


class SqlFile:
    """The named statements of one file under sql/, declared as annotations of a subclass::

        class Load(SqlFile, path="users/load.sql"):
            upsert_households: Statement

    ``Load.upsert_households.execute(cur)`` then runs ``-- name: upsert_households`` of sql/users/load.sql.
    A declared name the file lacks stops the import (and mypy knows every name), so a typo never waits
    for a database to find it; tests/unit/test_layout.py checks that every statement of every file is
    declared and used."""

    path: ClassVar[str]

    def __init_subclass__(cls, *, path: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        statements = named_statements(path)
        declared = [name for name in inspect.get_annotations(cls) if not name.startswith("_")]
        missing = [name for name in declared if name not in statements]
        if missing:
            raise LookupError(f"sql/{path} has no statement named {', '.join(missing)}")
        cls.path = path
        for name in declared:
            setattr(cls, name, Statement(path, name, statements[name]))
        SQL_FILES.append(cls)


def run_script(conn: psycopg.Connection[Any], path: Path) -> None:
    """Run a whole DDL file (no parameters, several statements)."""
    conn.execute(path.read_text(encoding="utf-8"))


def copy_rows(
    cur: psycopg.Cursor[Any],
    table: sql.Composable,
    columns: Sequence[str],
    rows: Iterator[Sequence[Any]] | Sequence[Sequence[Any]],
) -> int:
    """COPY Python rows into a table; returns how many were written."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        table, sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    count = 0
    with cur.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count
