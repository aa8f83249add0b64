"""What a run did, for people: rows per target table, quarantined values per rule, every check's result.

Counts and names only: never a value from a row, so nothing personal reaches a terminal or a log.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from psycopg import sql

from vetmed_pipeline.core.db import connect, ident
from vetmed_pipeline.core.environment import TARGET_URL
from vetmed_pipeline.core.state import readiness


@dataclass(frozen=True)
class CheckOutcome:
    asset: str
    name: str
    passed: bool
    severity: str

    @property
    def blocks_success(self) -> bool:
        return not self.passed and self.severity == "ERROR"


@dataclass
class Summary:
    run_id: str
    run_succeeded: bool
    tables: list[tuple[str, int]] = field(default_factory=list)
    quarantine: list[tuple[str, str, str, int]] = field(default_factory=list)
    checks: list[CheckOutcome] = field(default_factory=list)
    #: checks of the job that did not run (a failed or skipped step upstream of them)
    not_run: list[str] = field(default_factory=list)
    #: what the target reflects (core/state.py), in one sentence
    state: str | None = None

    @property
    def ok(self) -> bool:
        return (
            self.run_succeeded and not self.not_run and not any(check.blocks_success for check in self.checks)
        )

    def render(self) -> str:
        lines = [
            f"Run {self.run_id}: {'succeeded' if self.run_succeeded else 'FAILED'}",
            "",
            "Rows per target table",
        ]
        width = max((len(name) for name, _ in self.tables), default=10)
        lines += [f"  {name:<{width}}  {rows:>10,}" for name, rows in self.tables]
        lines += ["", "Quarantined values (open), per legacy column and rule"]
        if not self.quarantine:
            lines.append("  none")
        places = [f"{table}.{column}" for table, column, _, _ in self.quarantine]
        place_width = max((len(place) for place in places), default=10)
        rule_width = max((len(rule) for _, _, rule, _ in self.quarantine), default=10)
        lines += [
            f"  {place:<{place_width}}  {rule:<{rule_width}}  {n:>8,}"
            for place, (_, _, rule, n) in zip(places, self.quarantine, strict=True)
        ]
        lines += ["", "Asset checks"]
        for check in sorted(self.checks, key=lambda c: (c.asset, c.name)):
            verdict = "PASS" if check.passed else f"FAIL ({check.severity})"
            lines.append(f"  {verdict:<13} {check.asset} :: {check.name}")
        lines += [f"  {'NOT RUN':<13} {name}" for name in self.not_run]
        passed = sum(check.passed for check in self.checks)
        errors = sum(check.blocks_success for check in self.checks)
        warnings = sum(not check.passed and check.severity != "ERROR" for check in self.checks)
        total = len(self.checks) + len(self.not_run)
        lines += [
            "",
            f"{passed}/{total} checks passed, {errors} ERROR failure(s), {warnings} warning(s), "
            f"{len(self.not_run)} not run",
        ]
        if self.state:
            lines.append(f"Target: {self.state}")
        return "\n".join(lines)


_TABLES = """
SELECT c.relname, c.relispartition
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'vetmed' AND c.relkind IN ('r', 'p')
ORDER BY coalesce((SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
                   WHERE i.inhrelid = c.oid), c.relname), c.relispartition, c.relname
"""
_MONTH_PARTITION = re.compile(r"_y\d{4}m\d{2}$")
_QUARANTINE = """
SELECT legacy_table, legacy_column, rule, count(*)
FROM vetmed_quarantine.rejected_values WHERE resolved_at IS NULL
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""


def target_counts(
    target_url: str,
) -> tuple[list[tuple[str, int]], list[tuple[str, str, str, int]], str | None]:
    """Rows per vetmed table (partitions indented under their parent; a table's month partitions summed on
    one line), open quarantine per rule, and what the target reflects (one sentence)."""
    tables: list[tuple[str, int]] = []
    months: list[int] = []

    def flush_months() -> None:
        if months:
            tables.append((f"  {len(months)} monthly partitions", sum(months)))
            months.clear()

    with connect(target_url, TARGET_URL) as conn:
        for name, is_partition in conn.execute(_TABLES).fetchall():
            row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(ident("vetmed", name))).fetchone()
            rows = int(row[0]) if row else 0
            if is_partition and _MONTH_PARTITION.search(name):
                months.append(rows)
                continue
            flush_months()
            tables.append((("  " if is_partition else "") + name, rows))
        flush_months()
        exists = conn.execute("SELECT to_regclass('vetmed_quarantine.rejected_values')").fetchone()
        quarantine = conn.execute(_QUARANTINE).fetchall() if exists and exists[0] else []
        with conn.cursor() as cur:
            found = readiness(cur)
    quarantined = [(str(t), str(c), str(r), int(n)) for t, c, r, n in quarantine]
    return tables, quarantined, None if found is None else found.describe()


def run_check_results(instance: Any, run_id: str) -> tuple[list[Any], list[str]]:
    """A run's check evaluations, read from the Dagster instance, and the checks it planned that have no
    evaluation (as 'asset :: check', sorted): they did not run because a step upstream of them failed or
    was skipped."""
    import dagster as dg

    def logged(event_type: Any) -> list[Any]:
        entries = instance.all_logs(run_id, of_type=event_type)
        return [
            entry.dagster_event.event_specific_data for entry in entries if entry.dagster_event is not None
        ]

    evaluations = logged(dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    evaluated = {(evaluation.asset_key, evaluation.check_name) for evaluation in evaluations}
    planned = {
        (plan.asset_key, plan.check_name)
        for plan in logged(dg.DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED)
    }
    not_run = sorted(f"{key.to_user_string()} :: {name}" for key, name in planned - evaluated)
    return evaluations, not_run


def check_outcomes(evaluations: Sequence[Any]) -> list[CheckOutcome]:
    return [
        CheckOutcome(
            asset=evaluation.asset_key.to_user_string(),
            name=evaluation.check_name,
            passed=bool(evaluation.passed),
            severity=evaluation.severity.value,
        )
        for evaluation in evaluations
    ]
