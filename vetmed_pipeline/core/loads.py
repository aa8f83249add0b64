"""The recipe every load repeats: one transaction on the target, the staging tables it reads present
(else a Failure saying what to run first), the target DDL current, a result whose metadata carries
``dagster/row_count``, and the table's state (core/state.py) recorded in the same transaction."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import dagster as dg
import psycopg

from vetmed_pipeline.core.errors import PipelineError
from vetmed_pipeline.core.keys import target_key
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.core.runs import run_months
from vetmed_pipeline.core.state import record_asset
from vetmed_pipeline.core.target import TARGET, count, ensure_target_schema, require_staging


@dataclass(frozen=True)
class LoadStep:
    """A load's open transaction on the target."""

    cur: psycopg.Cursor[Any]
    run_id: str
    #: the run rewrites some months only (its tables then reflect several snapshots)
    scoped: bool = False

    def result(
        self,
        table: str,
        asset_key: dg.AssetKey | None = None,
        /,
        *,
        row_count: int | None = None,
        **metadata: Any,
    ) -> dg.MaterializeResult:
        """The materialization of ``vetmed.<table>`` (as ``asset_key`` in a multi-asset): its rows now (or
        ``row_count``), and ``metadata``."""
        rows = count(self.cur, TARGET, table) if row_count is None else row_count
        record_asset(
            self.cur, (asset_key or target_key(table)).to_user_string(), self.run_id, scoped=self.scoped
        )
        return dg.MaterializeResult(asset_key=asset_key, metadata={"dagster/row_count": rows, **metadata})


@contextmanager
def load_step(
    context: dg.AssetExecutionContext | dg.OpExecutionContext,
    target: PostgresResource,
    staging: Sequence[str],
) -> Iterator[LoadStep]:
    """Open a load: committed when the block ends, rolled back (a Failure without row values) on error."""
    try:
        with target.transaction() as cur:
            require_staging(cur, list(staging))
            ensure_target_schema(cur)
            yield LoadStep(cur, context.run_id, scoped=run_months(context.run.tags) is not None)
    except PipelineError as error:  # a setting to fix: one line, no traceback
        raise dg.Failure(description=str(error), allow_retries=False) from None


def rows_of(result: dg.MaterializeResult) -> int:
    """The row count a load's result reports (for its log line)."""
    assert result.metadata is not None
    return int(result.metadata["dagster/row_count"])  # type: ignore[arg-type]
