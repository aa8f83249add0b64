"""The shared quarantine (vetmed_quarantine.rejected_values): how a domain records what it rejected.

A load first fills the temp table ``rejections`` (``start``), then ``record`` merges it for the legacy
columns that load owns: new rejections are added, values seen again get this run as their last, open
rejections of those columns that this run did not see again are marked resolved, and resolved ones older
than the retention are purged.
"""

import os
from typing import Any

import psycopg

from vetmed_pipeline.core.db import SqlFile, Statement
from vetmed_pipeline.core.errors import PipelineError


class Quarantine(SqlFile, path="core/quarantine.sql"):
    create_rejections: Statement
    analyze_rejections: Statement
    merge_rejections: Statement
    resolve_rejections: Statement
    purge_resolved: Statement
    open_rejections_by_rule: Statement


RETENTION_ENV = "VETMED_QUARANTINE_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 365


def retention_days() -> int:
    """How long a resolved rejection is kept, in days (VETMED_QUARANTINE_RETENTION_DAYS, default 365)."""
    value = os.environ.get(RETENTION_ENV, "").strip()
    if not value:
        return DEFAULT_RETENTION_DAYS
    if not value.isdigit():
        raise PipelineError(f"{RETENTION_ENV} must be a whole number of days (got {value!r})")
    return int(value)


def start(cur: psycopg.Cursor[Any]) -> None:
    Quarantine.create_rejections.execute(cur)


def record(cur: psycopg.Cursor[Any], run_id: str, legacy_table: str, columns: list[str]) -> dict[str, int]:
    """Merge this run's rejections of these columns; returns the open rejections per rule."""
    params = {"run_id": run_id, "legacy_table": legacy_table, "columns": columns}
    Quarantine.analyze_rejections.execute(cur)
    Quarantine.merge_rejections.execute(cur, params)
    Quarantine.resolve_rejections.execute(cur, params)
    Quarantine.purge_resolved.execute(cur, {**params, "retention_days": retention_days()})
    return {rule: int(n) for rule, n in Quarantine.open_rejections_by_rule.rows(cur, params)}


def metadata(quarantined: dict[str, int]) -> dict[str, int]:
    """A load's quarantine figures for its materialization: the total and one entry per rule."""
    return {
        "quarantined": sum(quarantined.values()),
        **{f"quarantined_{rule}": n for rule, n in quarantined.items()},
    }
