"""Extract: every legacy table into schema vetmed_staging, in one consistent snapshot.

One READ ONLY REPEATABLE READ transaction on the source sees all 14 tables as of one instant; each table is
streamed with COPY straight into the target's staging schema, inside one target transaction, so staging is
either the whole new snapshot or the previous one. Every later step reads staging, never the live source.
"""

import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import dagster as dg
import psycopg
from psycopg import sql

from vetmed_pipeline.core import legacy_spec
from vetmed_pipeline.core.db import ident
from vetmed_pipeline.core.errors import PipelineError
from vetmed_pipeline.core.keys import legacy_key, staging_key
from vetmed_pipeline.core.preflight import (
    SOURCE_SCHEMA,
    check_source_catalog,
    source_warning,
    writable_legacy_tables,
)
from vetmed_pipeline.core.resources import PostgresResource, database_errors_as_failures
from vetmed_pipeline.core.state import STAGING_ASSET, record_asset
from vetmed_pipeline.core.target import STAGING, ensure_target_schema

LEGACY_TABLES = legacy_spec.table_names()
LEGACY_GROUP = "legacy"
EXTRACT_GROUP = "extract"

legacy_tables = [
    dg.AssetSpec(
        legacy_key(table),
        group_name=LEGACY_GROUP,
        description=f"Legacy table public.{table} in the source database (VETMED_SOURCE_URL). Only ever read.",
        metadata={"columns": len(legacy_spec.columns(table))},
    )
    for table in LEGACY_TABLES
]


def _create_staging_table(cur: psycopg.Cursor[Any], table: str) -> None:
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(column.name), sql.SQL(legacy_spec.staging_type(column)))
        for column in legacy_spec.columns(table)
    )
    cur.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(ident(STAGING, table)))
    cur.execute(sql.SQL("CREATE TABLE {} ({})").format(ident(STAGING, table), columns))


def _copy_table(src: psycopg.Connection[Any], dst: psycopg.Cursor[Any], table: str) -> int:
    names = sql.SQL(", ").join(sql.Identifier(column.name) for column in legacy_spec.columns(table))
    copy_out = sql.SQL("COPY {} ({}) TO STDOUT").format(ident(SOURCE_SCHEMA, table), names)
    copy_in = sql.SQL("COPY {} ({}) FROM STDIN").format(ident(STAGING, table), names)
    with src.cursor() as src_cur, src_cur.copy(copy_out) as reader, dst.copy(copy_in) as writer:
        for chunk in reader:
            writer.write(chunk)
    return dst.rowcount


def copy_snapshot(
    source: PostgresResource, target: PostgresResource, run_id: str, log: Any
) -> tuple[datetime, int, dict[str, int]]:
    """Copy all legacy tables; returns (snapshot time, source server version, rows per table)."""
    counts: dict[str, int] = {}
    with source.connect() as src, target.connect() as dst:
        src.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        src.read_only = True
        with src.transaction():
            try:
                check_source_catalog(src)  # inside the snapshot: the schema we check is the one we copy
            except PipelineError as error:
                raise dg.Failure(description=str(error), allow_retries=False) from None
            warning = source_warning(writable_legacy_tables(src))
            if warning:
                log.warning(warning)
            row = src.execute("SELECT now()").fetchone()
            assert row is not None
            snapshot_at: datetime = row[0]
            version = src.info.server_version
            with dst.transaction(), dst.cursor() as cur:
                ensure_target_schema(cur)
                for position, table in enumerate(LEGACY_TABLES, start=1):
                    started = time.perf_counter()
                    _create_staging_table(cur, table)
                    counts[table] = _copy_table(src, cur, table)
                    cur.execute(sql.SQL("ALTER TABLE {} ADD PRIMARY KEY (id)").format(ident(STAGING, table)))
                    cur.execute(sql.SQL("ANALYZE {}").format(ident(STAGING, table)))
                    log.info(
                        f"extracted {table}: {counts[table]} rows in {time.perf_counter() - started:.2f}s "
                        f"({position}/{len(LEGACY_TABLES)})"
                    )
                cur.execute("DELETE FROM vetmed_staging.snapshot")
                cur.execute(
                    "INSERT INTO vetmed_staging.snapshot (run_id, snapshot_at, source_version) VALUES (%s, %s, %s)",
                    (run_id, snapshot_at, version),
                )
                record_asset(cur, STAGING_ASSET, run_id, snapshot_run_id=run_id)
    return snapshot_at, version, counts


@dg.multi_asset(
    name="extract_legacy_snapshot",
    specs=[
        dg.AssetSpec(
            staging_key(table),
            deps=[legacy_key(table)],
            group_name=EXTRACT_GROUP,
            description=f"Raw copy of legacy {table} in vetmed_staging, from the run's one snapshot.",
        )
        for table in LEGACY_TABLES
    ],
)
def extract_legacy_snapshot(
    context: dg.AssetExecutionContext, source: PostgresResource, target: PostgresResource
) -> Iterator[dg.MaterializeResult]:
    """Copy all 14 legacy tables into vetmed_staging in one READ ONLY REPEATABLE READ snapshot."""
    with database_errors_as_failures():
        snapshot_at, version, counts = copy_snapshot(source, target, context.run_id, context.log)
    for table, rows in counts.items():
        yield dg.MaterializeResult(
            asset_key=staging_key(table),
            metadata={
                "dagster/row_count": rows,
                "snapshot_at": dg.MetadataValue.timestamp(snapshot_at),
                "source_server_version": version,
            },
        )
