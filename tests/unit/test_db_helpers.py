import pytest

from vetmed_pipeline.core.db import (
    MIN_SERVER_VERSION,
    format_server_version,
    libpq_url,
    parse_named_statements,
    parse_url,
    redact,
    with_database,
)
from vetmed_pipeline.core.errors import PipelineError


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (None, "VETMED_TARGET_URL is not set"),
        ("  ", "VETMED_TARGET_URL is not set"),
        ("not a url", "VETMED_TARGET_URL is not a valid URL"),
        ("mysql://root@localhost/db", "only PostgreSQL is supported"),
        ("postgresql://user@localhost:5432", "names no database"),
    ],
)
def test_bad_urls_give_one_clear_line(url: str | None, message: str) -> None:
    with pytest.raises(PipelineError) as raised:
        parse_url(url, "VETMED_TARGET_URL")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_libpq_url_drops_the_driver_and_keeps_sockets() -> None:
    assert libpq_url("postgresql+psycopg://u:pw@h:5433/db") == "postgresql://u:pw@h:5433/db"
    assert libpq_url("postgres://u@/db?host=/tmp/sock") == "postgresql://u@/db?host=%2Ftmp%2Fsock"


def test_redact_never_shows_the_password() -> None:
    assert "s3cret" not in redact("postgresql://user:s3cret@db.example.com/vetmed")
    assert "db.example.com" in redact("postgresql://user:s3cret@db.example.com/vetmed")


def test_with_database_keeps_server_and_credentials() -> None:
    assert with_database("postgresql://u:pw@h:5433/a?sslmode=require", "b") == (
        "postgresql://u:pw@h:5433/b?sslmode=require"
    )


@pytest.mark.parametrize(("version", "text"), [(150004, "15.4"), (180000, "18.0"), (90624, "9.6.24")])
def test_server_versions_read_like_postgres_writes_them(version: int, text: str) -> None:
    assert format_server_version(version) == text


def test_minimum_is_postgres_15() -> None:
    assert format_server_version(MIN_SERVER_VERSION) == "15.0"
    assert MIN_SERVER_VERSION > 140020


def test_named_statements_split_by_name() -> None:
    text = "-- header\n-- name: first\nSELECT 1;\n\n-- name: second_one\nSELECT 2\nFROM t;\n"
    assert parse_named_statements(text) == {"first": "SELECT 1;", "second_one": "SELECT 2\nFROM t;"}


def test_named_statement_defined_twice_is_an_error() -> None:
    with pytest.raises(ValueError, match="defined twice"):
        parse_named_statements("-- name: a\nSELECT 1;\n-- name: a\nSELECT 2;\n")
