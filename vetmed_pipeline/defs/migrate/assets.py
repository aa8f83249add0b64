"""The migration's last word: what the target reflects (core/state.py), after every compat view and its
proofs. Its check fails the run when the target mixes snapshots."""

import dagster as dg

from vetmed_pipeline.core import legacy_spec
from vetmed_pipeline.core.checks import ERROR, asset_check
from vetmed_pipeline.core.keys import compat_key, target_key
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.core.state import Readiness, readiness

MIGRATION_STATE = target_key("migration_state")


def _readiness(target: PostgresResource) -> Readiness:
    with target.transaction() as cur:
        found = readiness(cur)
    if found is None:
        raise dg.Failure(description="the target has no migration state: run migrate", allow_retries=False)
    return found


@dg.asset(
    key=MIGRATION_STATE,
    group_name="compat",
    deps=[compat_key(table) for table in legacy_spec.table_names()],
    description="What the target reflects: per table and compat view the snapshot and run that wrote it, "
    "and whether every ERROR check passed on that snapshot (vetmed.migration_readiness).",
)
def migration_state(context: dg.AssetExecutionContext, target: PostgresResource) -> dg.MaterializeResult:
    found = _readiness(target)
    context.log.info(found.describe())
    return dg.MaterializeResult(
        metadata={
            "snapshot_run_id": found.snapshot_run_id or "none",
            "assets": found.assets,
            "assets_on_snapshot": found.assets_on_snapshot,
            "error_checks_passed_so_far": f"{found.error_checks_passed} of {found.error_checks}",
            "state": found.describe(),
        }
    )


@asset_check(
    MIGRATION_STATE,
    blocking=True,
    description="Every table and compat view of the target reflects the current snapshot: none was left from "
    "an earlier snapshot by a failed or killed run, and no run of some months mixed snapshots in a table.",
)
def target_reflects_one_snapshot(target: PostgresResource) -> dg.AssetCheckResult:
    found = _readiness(target)
    off = found.off_snapshot
    return dg.AssetCheckResult(
        passed=found.snapshot_run_id is not None and not off and found.assets > 0,
        severity=ERROR,
        metadata={
            "snapshot_run_id": found.snapshot_run_id or "none",
            "assets": found.assets,
            "assets_off_snapshot": len(off),
            "off_snapshot": ", ".join(f"{asset} ({snapshot})" for asset, snapshot, _ in off[:20]) or "none",
        },
    )
