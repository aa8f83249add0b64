"""The ``vetmed_compat`` views as assets: one per legacy table (the legacy name and columns, rebuilt from
``vetmed`` and the quarantine; their DDL is each domain's sql/<domain>/compat.sql). Each view's upstream is
the target tables the normalization registry places its legacy table's columns in."""

from collections.abc import Iterator
from typing import Any

import dagster as dg
import psycopg
from psycopg import sql

from vetmed_pipeline.core import legacy_spec
from vetmed_pipeline.core.db import ident
from vetmed_pipeline.core.keys import compat_key, target_key
from vetmed_pipeline.core.loads import load_step
from vetmed_pipeline.core.registry import target_tables
from vetmed_pipeline.core.resources import PostgresResource
from vetmed_pipeline.core.state import record_asset
from vetmed_pipeline.core.target import COMPAT

GROUP = "compat"
TABLES = legacy_spec.table_names()


@dg.multi_asset(
    name="vetmed_compat_views",
    group_name=GROUP,
    specs=[
        dg.AssetSpec(
            compat_key(table),
            deps=[target_key(t) for t in target_tables(table)],
            description=f"View vetmed_compat.{table}: legacy {table}'s name and columns, rebuilt from vetmed and "
            "the quarantine.",
        )
        for table in TABLES
    ],
)
def vetmed_compat_views(
    context: dg.AssetExecutionContext, target: PostgresResource
) -> Iterator[dg.MaterializeResult]:
    """(Re)create the compat views and count their rows."""
    with load_step(context, target, TABLES) as step:
        analyzed = _analyze(step.cur)
        counts = {}
        for table in TABLES:
            step.cur.execute(sql.SQL("SELECT count(*) FROM {}").format(ident(COMPAT, table)))
            row = step.cur.fetchone()
            counts[table] = int(row[0]) if row else 0
            record_asset(step.cur, compat_key(table).to_user_string(), step.run_id, scoped=step.scoped)
    context.log.info(f"{len(counts)} compat views, {sum(counts.values())} rows ({analyzed} tables analyzed)")
    for table, rows in counts.items():
        yield dg.MaterializeResult(asset_key=compat_key(table), metadata={"dagster/row_count": rows})


def _analyze(cur: psycopg.Cursor[Any]) -> int:
    """Fresh planner statistics for every table the views read: a first load fills tables that were
    analyzed empty (or never), and the round-trip joins then get nested loops over 100,000 rows."""
    cur.execute(
        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname IN ('vetmed', 'vetmed_quarantine') AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
    )
    tables = cur.fetchall()
    for schema, table in tables:
        cur.execute(sql.SQL("ANALYZE {}").format(ident(schema, table)))
    return len(tables)


assets = [vetmed_compat_views]
