"""The legacy schema as data (sql/legacy/spec.json), and the comparison of a live catalog with it.

Preflight uses it to stop before extracting from a source that drifted; the staging DDL is derived from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from vetmed_pipeline.core.paths import LEGACY_SPEC_JSON


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    default: str | None


@cache
def spec() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(LEGACY_SPEC_JSON.read_text(encoding="utf-8"))
    return data


def enums() -> dict[str, list[str]]:
    return dict(spec()["enums"])


def table_names() -> list[str]:
    """The 14 legacy tables, in the spec's order."""
    return list(spec()["tables"])


def columns(table: str) -> list[Column]:
    return [Column(**column) for column in spec()["tables"][table]["columns"]]


def staging_type(column: Column) -> str:
    """Staging keeps every value; enum labels become text (the enum types live only in the source)."""
    return "text" if column.type in enums() else column.type


def compare_catalog(actual: dict[str, dict[str, str]]) -> list[str]:
    """Differences between a source catalog ({table: {column: type}}) and the spec, one readable line each.

    Types are compared in ``format_type`` form (``numeric(10,4)``, ``timestamp with time zone``), so the
    spec's short spellings are mapped first. An extra column is a difference too: extracting the listed
    columns would silently leave its values behind.
    """
    differences: list[str] = []
    for table in table_names():
        if table not in actual:
            differences.append(f"table {table} is missing")
            continue
        found = actual[table]
        for column in columns(table):
            if column.name not in found:
                differences.append(f"{table}.{column.name} is missing (expected {column.type})")
            elif canonical_type(found[column.name]) != canonical_type(column.type):
                differences.append(f"{table}.{column.name} is {found[column.name]}, expected {column.type}")
        expected_names = {column.name for column in columns(table)}
        for extra in sorted(set(found) - expected_names):
            differences.append(f"{table}.{extra} is not in the legacy schema ({found[extra]})")
    return differences


_TYPE_ALIASES = {
    "timestamp with time zone": "timestamptz",
    "time without time zone[]": "time[]",
    "time without time zone": "time",
    "character varying": "varchar",
    "int4": "integer",
    "bool": "boolean",
}


def canonical_type(type_name: str) -> str:
    """One spelling per type: format_type's long names become the spec's short ones."""
    name = type_name.strip().lower()
    return _TYPE_ALIASES.get(name, name)
