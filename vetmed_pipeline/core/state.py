"""What the target reflects (vetmed.migration_state, vetmed.check_results, vetmed.migration_readiness):
each load records the snapshot and run its table reflects, in the load's own transaction; each check
records its latest result with the snapshot it was evaluated on. The target is ready to cut over when
every asset reflects the current snapshot and every ERROR check passed on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from vetmed_pipeline.core.db import SqlFile, Statement

STAGING_ASSET = "staging"


class State(SqlFile, path="core/state.sql"):
    record_asset: Statement
    record_check: Statement
    readiness: Statement
    assets_off_snapshot: Statement


def record_asset(
    cur: psycopg.Cursor[Any],
    asset: str,
    run_id: str,
    *,
    scoped: bool = False,
    snapshot_run_id: str | None = None,
) -> None:
    """``asset`` (a key, 'vetmed/vetmed_users') now reflects the current snapshot (or ``snapshot_run_id``),
    written by ``run_id``; ``scoped``: a run of some months wrote it (its months reflect several snapshots)."""
    State.record_asset.execute(
        cur, {"asset": asset, "run_id": run_id, "scoped": scoped, "snapshot_run_id": snapshot_run_id}
    )


def record_check(
    cur: psycopg.Cursor[Any], asset: str, check_name: str, severity: str, passed: bool, run_id: str
) -> None:
    State.record_check.execute(
        cur,
        {"asset": asset, "check_name": check_name, "severity": severity, "passed": passed, "run_id": run_id},
    )


@dataclass(frozen=True)
class Readiness:
    snapshot_run_id: str | None
    assets: int
    assets_on_snapshot: int
    error_checks: int
    error_checks_passed: int
    ready: bool
    #: (asset, the snapshot it reflects, the run that wrote it) for every asset off the current snapshot
    off_snapshot: list[tuple[str, str, str]]

    def describe(self) -> str:
        if self.ready:
            return (
                f"ready to cut over: all {self.assets} assets reflect snapshot {self.snapshot_run_id} and all "
                f"{self.error_checks} ERROR checks passed on it"
            )
        reasons = []
        if self.snapshot_run_id is None:
            reasons.append("no snapshot extracted yet")
        if self.assets_on_snapshot < self.assets:
            reasons.append(
                f"{self.assets - self.assets_on_snapshot} of {self.assets} assets reflect another snapshot"
            )
        if self.error_checks_passed < self.error_checks:
            reasons.append(
                f"{self.error_checks - self.error_checks_passed} of {self.error_checks} ERROR checks did not pass "
                "on this snapshot"
            )
        return "not ready to cut over: " + ("; ".join(reasons) or "nothing migrated yet")


def readiness(cur: psycopg.Cursor[Any]) -> Readiness | None:
    """The target's readiness, or None when it has no state yet (never migrated, or an older version)."""
    cur.execute("SELECT to_regclass('vetmed.migration_readiness') IS NOT NULL")
    row = cur.fetchone()
    if not row or not row[0]:
        return None
    ((snapshot_run_id, assets, on_snapshot, error_checks, passed, ready),) = State.readiness.rows(cur)
    off = [(str(a), str(s), str(r)) for a, s, r in State.assets_off_snapshot.rows(cur)]
    return Readiness(snapshot_run_id, assets, on_snapshot, error_checks, passed, bool(ready), off)
