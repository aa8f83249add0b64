"""The shared quarantine (vetmed_quarantine.rejected_values): how a domain records what it rejected.

A load first fills the temp table ``rejections`` (``start``), then ``record`` merges it for the legacy
columns that load owns: new rejections are added, values seen again get this run as their last, and open
rejections of those columns that this run did not see again are marked resolved.
"""

from typing import Any

import psycopg

from vetmed_pipeline.db import Queries

QUERIES = Queries("transform/quarantine.sql")


def start(cur: psycopg.Cursor[Any]) -> None:
    QUERIES.execute(cur, "create_rejections")


def record(cur: psycopg.Cursor[Any], run_id: str, legacy_table: str, columns: list[str]) -> dict[str, int]:
    """Merge this run's rejections of these columns; returns the open rejections per rule."""
    params = {"run_id": run_id, "legacy_table": legacy_table, "columns": columns}
    QUERIES.execute(cur, "analyze_rejections")
    QUERIES.execute(cur, "merge_rejections", params)
    QUERIES.execute(cur, "resolve_rejections", params)
    return {rule: int(n) for rule, n in QUERIES.rows(cur, "open_rejections_by_rule", params)}
