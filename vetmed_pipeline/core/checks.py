"""Check factories shared by every domain: key reconciliation, counts that must be zero, EXPLAIN-based
partition pruning; and the severity every check declares up front.

Dagster learns a check's severity only from each result; every check here also declares it in its spec
(metadata ``vetmed/severity``), where the generated check catalogue (docs/checks.md) and the tests that
prove every ERROR check can fail read it.
"""

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import dagster as dg
import psycopg
from psycopg import sql

from vetmed_pipeline.core.db import Statement, ident
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.core.state import record_check
from vetmed_pipeline.core.target import STAGING, TARGET

ERROR = dg.AssetCheckSeverity.ERROR
WARN = dg.AssetCheckSeverity.WARN
SEVERITY = "vetmed/severity"


def asset_check(
    asset: dg.AssetKey,
    *,
    description: str,
    name: str | None = None,
    severity: dg.AssetCheckSeverity = ERROR,
    blocking: bool = False,
) -> Callable[[Callable[[PostgresResource], dg.AssetCheckResult]], dg.AssetChecksDefinition]:
    """An asset check from a function of the target: the severity its results carry declared in the spec,
    and every result recorded in the target (vetmed.check_results, core/state.py)."""

    def decorate(evaluate: Callable[[PostgresResource], dg.AssetCheckResult]) -> dg.AssetChecksDefinition:
        check_name = name or evaluate.__name__

        @dg.asset_check(
            asset=asset,
            name=check_name,
            description=description,
            blocking=blocking,
            metadata={SEVERITY: severity.value},
        )
        def _check(context: dg.AssetCheckExecutionContext, target: PostgresResource) -> dg.AssetCheckResult:
            result = evaluate(target)
            with target.transaction() as cur:
                record_check(
                    cur, asset.to_user_string(), check_name, severity.value, result.passed, context.run.run_id
                )
            return result

        return _check

    return decorate


def declared_severity(spec: dg.AssetCheckSpec) -> str | None:
    value = spec.metadata.get(SEVERITY)
    return None if value is None else str(getattr(value, "value", value))


def reconcile_keys(
    cur: psycopg.Cursor[Any], staging_table: str, target_table: str, target_key: str = "id"
) -> dict[str, int]:
    """Rows of a staging table against a target table by key: how many are missing, and how many are extra."""
    query = sql.SQL(
        "SELECT count(s.id), count(t.{key}), count(*) FILTER (WHERE t.{key} IS NULL), "
        "count(*) FILTER (WHERE s.id IS NULL) "
        "FROM {staging} s FULL JOIN (SELECT DISTINCT {key} FROM {target}) t ON t.{key} = s.id"
    ).format(
        key=sql.Identifier(target_key),
        staging=ident(STAGING, staging_table),
        target=ident(TARGET, target_table),
    )
    cur.execute(query)
    row = cur.fetchone()
    assert row is not None
    legacy, target, missing, extra = (int(value) for value in row)
    return {"legacy_rows": legacy, "target_rows": target, "missing": missing, "extra": extra}


def reconciliation_check(
    asset_key: dg.AssetKey,
    staging_table: str,
    target_table: str,
    target_key: str = "id",
    *,
    blocking: bool = True,
) -> dg.AssetChecksDefinition:
    """An ERROR check: every legacy row has its target row (by id), and no target row lacks a legacy one."""

    @asset_check(
        asset_key,
        name="rows_reconcile_with_source",
        blocking=blocking,
        description=(
            f"Every row of legacy {staging_table} in the snapshot has exactly one {target_table} row with "
            f"its id ({target_key}), and the target has no row the snapshot lacks."
        ),
    )
    def _check(target: PostgresResource) -> dg.AssetCheckResult:
        with target.transaction() as cur:
            counts = reconcile_keys(cur, staging_table, target_table, target_key)
        return dg.AssetCheckResult(
            passed=counts["missing"] == 0 and counts["extra"] == 0, severity=ERROR, metadata=counts
        )

    return _check


def _relations(plan: Any) -> Iterator[str]:
    if isinstance(plan, dict):
        if "Relation Name" in plan:
            yield str(plan["Relation Name"])
        for value in plan.values():
            yield from _relations(value)
    elif isinstance(plan, list):
        for item in plan:
            yield from _relations(item)


def scanned_relations(cur: psycopg.Cursor[Any], query: sql.Composable) -> list[str]:
    """The tables (partitions) a query's plan scans, read from EXPLAIN (FORMAT JSON)."""
    cur.execute(sql.SQL("EXPLAIN (FORMAT JSON) {}").format(query))
    row = cur.fetchone()
    assert row is not None
    plan = row[0] if not isinstance(row[0], str) else json.loads(row[0])
    return sorted(set(_relations(plan)))


def counts_check(
    asset_key: dg.AssetKey,
    name: str,
    statement: Statement,
    description: str,
    *,
    must_be_zero: Sequence[str] | None = None,
    blocking: bool = False,
) -> dg.AssetChecksDefinition:
    """An ERROR check from a named statement returning one row of counts: it passes when the counts named
    in ``must_be_zero`` (all of them when None) are zero; every count goes to the metadata."""

    @asset_check(asset_key, name=name, blocking=blocking, description=description)
    def _check(target: PostgresResource) -> dg.AssetCheckResult:
        with target.transaction() as cur:
            found = statement.counts(cur)
        failing = list(found) if must_be_zero is None else must_be_zero
        return dg.AssetCheckResult(
            passed=all(found[count] == 0 for count in failing), severity=ERROR, metadata=found
        )

    return _check
